/**
 * Damaged or outdated state records are never thrown away: the store keeps them aside under a
 * quarantine key for inspection, and hands the bot a marker instead so that the user is told and
 * starts fresh — without other users noticing anything.
 */

/** Put in place of a record that could not be read. */
export const QUARANTINED = '__quarantined';

export function quarantineKey(key: string, at = new Date()): string {
  return `quarantine/${at.toISOString()}/${key}`;
}

export function isQuarantined(item: unknown): boolean {
  return typeof item === 'object' && item !== null && (item as Record<string, unknown>)[QUARANTINED] === true;
}
