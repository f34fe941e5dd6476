/** The user's negotiation stage (CONTRACTS section 4), read from their profile. */
import type { UserProfile } from '../state/profile';

export const STAGES = [
  'planning',
  'first_contact',
  'making_demands',
  'compromise',
  'refused',
  'alternatives',
  'mediation',
  'agreement',
  'no_agreement',
] as const;
export type Stage = (typeof STAGES)[number];

export function currentStage(profile: UserProfile): Stage {
  const value = (profile.journey?.snapshot as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value)
    ? (value as Stage)
    : 'planning';
}
