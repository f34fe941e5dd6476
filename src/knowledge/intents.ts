/**
 * The intent ids, apart from the schema so that the runtime can use them without loading the
 * schema library (the model indexes its per-intent arrays in this order).
 */
/** The intent ids of CONTRACTS section 3. */
export const INTENTS = [
  'greet',
  'help',
  'goodbye',
  'background',
  'fees',
  'security',
  'service',
  'goals_principles',
  'strategy',
  'steps',
  'plan',
  'contact',
  'roleplay',
  'refusal',
  'alternatives',
  'mediation',
  'agreement',
  'no_agreement',
  'outlook',
  'fee_calc',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

/** The seed's sections as intents: answers about negotiating in general, not about a case. */
export const SECTION_INTENTS: ReadonlySet<string> = new Set<Intent>([
  'background',
  'goals_principles',
  'strategy',
  'steps',
  'outlook',
]);

