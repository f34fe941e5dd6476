/**
 * The ids the runtime uses as values (languages, roles, problems, scenarios, agreement terms,
 * channel problems), apart from the schema so that a chat starts without loading the schema
 * library: `coach --json` answers its first line about 15% sooner (`npm run bench`, cold start).
 * The schema (schema.ts) validates the knowledge files against these.
 */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const ROLES = ['merchant', 'consumer'] as const;
export type Role = (typeof ROLES)[number];

export const ISSUES = ['fees', 'security', 'service'] as const;
export type Issue = (typeof ISSUES)[number];

export const SCENARIOS = ['fees', 'security', 'service'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The concrete terms of an agreement outside fees (security: 1–5, service: 6–9). */
export const TERM_IDS = [
  'reason',
  'channel',
  'documents',
  'deadline',
  'release',
  'case_number',
  'reply_date',
  'handler',
  'remedy',
] as const;
export type TermId = (typeof TERM_IDS)[number];

/**
 * The problems a channel's `handles` answers for: the three issues of the seed and consumer
 * credit (花呗, 借呗), which has its own regulator.
 */
export const CHANNEL_ISSUES = [...ISSUES, 'credit'] as const;
export type ChannelIssue = (typeof CHANNEL_ISSUES)[number];
