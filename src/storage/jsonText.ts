/** How stores keep an item: its JSON without the eTag (the store keeps that apart). */

/**
 * Serialises an item as stores keep it: everything but its eTag. The eTag is left out by
 * setting it to undefined for the call (JSON leaves undefined values out) rather than by
 * copying the record without it: the copy cost more than the serialising.
 */
export function writeText(item: object): string {
  const record = item as Record<string, unknown>;
  const eTag = record.eTag;
  if (eTag === undefined) return JSON.stringify(record);
  record.eTag = undefined;
  try {
    return JSON.stringify(record);
  } finally {
    record.eTag = eTag;
  }
}

/** Parses a stored text into an item with its eTag. */
export function parseItem(json: string, eTag: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  const item: Record<string, unknown> =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  item.eTag = eTag;
  return item;
}
