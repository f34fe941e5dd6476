/**
 * The shape of the knowledge base files under `knowledge/`. Every file is YAML and is validated
 * here at build time (`npm run kb:check`, `npm run build`); the coach itself loads the compiled,
 * already-validated bundle so that start-up stays fast.
 */
import { z } from 'zod';
import { INTENTS } from './intents';
import { CHANNEL_ISSUES, ISSUES, ROLES, SCENARIOS, TERM_IDS, type ChannelIssue, type Lang } from './vocabulary';

export {
  CHANNEL_ISSUES,
  ISSUES,
  LANGS,
  ROLES,
  SCENARIOS,
  type ChannelIssue,
  type Issue,
  type Lang,
  type Role,
  type Scenario,
  type TermId,
} from './vocabulary';



/** Who a case (knowledge/cases) is about: the seed's two roles and foreign visitors/residents. */
export const CASE_ROLES = ['merchant', 'consumer', 'visitor'] as const;

/** The Alipay products a case concerns. */
const CASE_PRODUCTS = [
  'f2f',
  'collection_code',
  'website',
  'app_pay',
  'huabei_collect',
  'card_collect',
  'withdrawal',
  'card_repayment',
  'huabei',
  'jiebei',
  'foreign_card',
  'transfer',
  'refund',
  'subscription',
  'account',
] as const;


export { INTENTS, type Intent } from './intents';

/** Every section of the seed document that the knowledge base must cover. */
export const SEED_SECTIONS = [
  '引言',
  '二',
  '二.1',
  '二.2',
  '三',
  '三.1',
  '三.2',
  '三.3',
  '四',
  '四.1',
  '四.2',
  '五',
  '五.1',
  '五.2',
  '五.3',
  '五.4',
  '六',
  '六.1',
  '六.2',
  '六.3',
  '六.4',
  '七',
  '七.1',
  '七.2',
  '七.3',
  '八',
  '八.1',
  '八.2',
  '八.3',
  '结语',
] as const;
export type SeedSection = (typeof SEED_SECTIONS)[number];

/** Actions a follow-up button can start (besides another topic or a template). */
export const FOLLOWUP_ACTIONS = ['plan', 'roleplay', 'fee_calc', 'status', 'refusal', 'help'] as const;

const nonEmpty = z.string().trim().min(1);
const bilingual = z.strictObject({ zh: nonEmpty, en: nonEmpty });

// YAML reads a bare `2022` as a number; accept it and keep dates as text.
const isoDate = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date must be YYYY, YYYY-MM or YYYY-MM-DD'),
);

/** The `url` of a source whose public address could not be found. */
export const NO_URL = 'none';

export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Short display name, shown beside the "as of" date. */
  name: nonEmpty,
  title: nonEmpty,
  where: nonEmpty,
  /** When the source was published or last seen: the "as of" date the coach shows. */
  date: isoDate,
  confidence: z.enum(['H', 'M', 'L']),
  /** Where the source can be read: an http(s) address, or `none` when none was found (reviewed by hand). */
  url: z.string().regex(new RegExp(`^(${NO_URL}|https?://\\S+)$`), `url must be an http(s) address or "${NO_URL}"`),
  /** When we read the page (optional): `date` is the page's own date, this is when it was last checked. */
  accessed: isoDate.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** `topic:<id>`, `template:<id>` or `action:<name>`. */
const followupRef = z.string().regex(/^(topic:[a-z0-9_.-]+|template:[a-z0-9_]+|action:[a-z_]+)$/);
/** A case's follow-ups may also name another case: `case:<id>`. */
const caseFollowupRef = z
  .string()
  .regex(/^(topic:[a-z0-9_.-]+|template:[a-z0-9_]+|action:[a-z_]+|case:[a-z0-9_]+(\.[a-z0-9_]+)*)$/);

const figureSchema = z.strictObject({ text: nonEmpty, source: z.string() });

export const topicSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/),
  section: z.enum(SEED_SECTIONS),
  intents: z.array(z.enum(INTENTS)).min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  issues: z.array(z.enum(ISSUES)).min(1),
  /** Short label for a button that opens this topic. */
  button: bilingual,
  title: bilingual,
  /** Chat-sized answer: about 300 Chinese characters or 120 English words. */
  answer: bilingual,
  /** The long version, shown for "详细" / "more". */
  more: bilingual,
  /** Words that pick this topic among others answering the same intent. */
  keywords: z.strictObject({ zh: z.array(nonEmpty).min(2), en: z.array(nonEmpty).min(2) }),
  /** Questions a user might ask for this topic, in their own words (retrieval examples). */
  examples: z.strictObject({ zh: z.array(nonEmpty).min(3), en: z.array(nonEmpty).min(3) }),
  followups: z.array(followupRef).min(1).max(4),
  /** Every figure the text states, with the source that backs it. */
  figures: z.array(z.strictObject({ text: nonEmpty, source: z.string() })).default([]),
});
export type Topic = z.infer<typeof topicSchema>;

/**
 * A concrete situation real Alipay users meet (knowledge/cases/<id>.yaml): how people describe
 * it, what is known, what to say, what to ask for, where to go next and what the coach does not
 * know. Every figure in the coach's texts is declared with its source, as in topics.
 */
export const caseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
  /** The CONTRACTS intent a message about this situation is reported as. */
  intent: z.enum(INTENTS),
  /** Omitted only for honest-scope (`scope.*`) cases. */
  issue: z.enum(ISSUES).optional(),
  roles: z.array(z.enum(CASE_ROLES)).min(1),
  products: z.array(z.enum(CASE_PRODUCTS)).optional(),
  title: bilingual,
  /** How real people say it: retrieval and training examples, not the coach's words. */
  describe: z.strictObject({ zh: z.array(nonEmpty).min(10), en: z.array(nonEmpty).min(8) }),
  /**
   * Phrases that name this situation and no other ("重复扣款", "charged twice"): the NLU reads the
   * case from them when its model is unsure (Chinese simplified, English in lower case). A cap
   * keeps them distinctive phrases, not a second training set.
   */
  cues: z.strictObject({ zh: z.array(nonEmpty).max(16), en: z.array(nonEmpty).max(16) }),
  /** What is known (answer first), chat-sized. */
  known: bilingual,
  /** A quotable script for talking to Alipay. */
  script: bilingual,
  /** What to ask Alipay for and what to prepare. */
  ask_for: bilingual,
  /** Where to go next, in order. */
  escalate: bilingual,
  /** What the coach does not know, and the official channel to ask. */
  unknown: bilingual,
  figures: z.array(figureSchema).default([]),
  followups: z.array(caseFollowupRef).min(1).max(4),
});
export type Case = z.infer<typeof caseSchema>;

/** The coach's own texts of a case (everything but `describe`, which is the users' words). */
export const CASE_TEXT_FIELDS = ['title', 'known', 'script', 'ask_for', 'escalate', 'unknown'] as const;

export const templateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  intents: z.array(z.enum(INTENTS)).min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  issues: z.array(z.enum(ISSUES)).min(1),
  button: bilingual,
  title: bilingual,
  /** Body with `{{slot}}` placeholders; see TEMPLATE_SLOTS. */
  body: bilingual,
  figures: z.array(z.strictObject({ text: nonEmpty, source: z.string() })).default([]),
});
export type Template = z.infer<typeof templateSchema>;

/** The facts about a user that templates may use. Unknown ones render as a bracketed blank. */
export const TEMPLATE_SLOTS = [
  'name',
  'business',
  'account',
  'currentRate',
  'targetRate',
  'trialRate',
  'monthlyVolume',
  'monthlyFee',
  'monthlySaving',
  'yearlySaving',
  'competitorOffer',
  'problem',
  'since',
  'caseNumber',
  'evidence',
  'alternative',
  'demand',
  'date',
] as const;
export type TemplateSlot = (typeof TEMPLATE_SLOTS)[number];

export const referenceRateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  /** Percent: 0.6 means 0.6%. */
  rate: z.number().positive().max(10),
  label: bilingual,
  source: z.string(),
});
export type ReferenceRate = z.infer<typeof referenceRateSchema>;

/** A published fee rule for people (knowledge/fee-rules.yaml): amounts in CNY, rates in percent. */
export const feeRuleSchema = z.strictObject({
  id: z.enum(['withdrawal', 'card_repayment', 'foreign_card']),
  /** Free amount (per `per`) before the rate applies to the part above it. */
  free: z.number().nonnegative().optional(),
  /** A payment up to this is free; above it the rate applies to the whole payment. */
  threshold: z.number().nonnegative().optional(),
  per: z.enum(['lifetime', 'month', 'payment']),
  rate: z.number().positive().max(10),
  minimum: z.number().nonnegative().optional(),
  source: z.string(),
});
export type FeeRule = z.infer<typeof feeRuleSchema>;


/** Fees only: a rate asked for, and questions about the rate. */
const FEE_ONLY_MOVES = [
  'accept_no_offer_ask',
  'ask_too_low',
  'ask_noted',
  'ask_granted',
  'took_offer',
  'answer_rate',
  'answer_rate_none',
  'answer_why',
  'answer_materials',
] as const;
/** Outside fees: every needed term is on the table; an amount the user asks for. */
const TERMS_ONLY_MOVES = ['propose_close', 'ack_ask', 'term_not_yet'] as const;

/** What the simulated Alipay representative can say (knowledge/roleplay/<scenario>.yaml). */
const REP_MOVES = [
  'opening',
  'probe',
  'objection',
  'objection_again',
  'considering',
  'counter_offer',
  'improve_offer',
  'floor_reached',
  'hold_offer',
  'accept_no_offer',
  'reject_hold',
  'agreement',
  'impasse',
  'impasse_walkaway',
  'supervisor',
  'supervisor_again',
  'react_threat',
  'react_insult',
  'react_demand',
  'ack_rate',
  'ack_amount',
  'ack_figure',
  'ack_data',
  'ack_cases',
  'ack_mutual_benefit',
  'ack_joint_solution',
  'ack_respect',
  'ack_flexibility',
  'stall',
  ...FEE_ONLY_MOVES,
  ...TERMS_ONLY_MOVES,
] as const;
export type RepMove = (typeof REP_MOVES)[number];
/** Moves only the fee scenario has, and only the others. */
export const FEE_MOVES: readonly RepMove[] = FEE_ONLY_MOVES;
export const TERMS_MOVES: readonly RepMove[] = TERMS_ONLY_MOVES;


const phrasings = z.array(nonEmpty).min(3);
const lineSet = z.strictObject({ zh: phrasings, en: phrasings });
const termSchema = z.strictObject({
  id: z.enum(TERM_IDS),
  /** The step of the concession schedule (1–3) at which the representative offers it unprompted. */
  level: z.number().int().min(1).max(3),
  /** Needed before the representative proposes to close on the terms. */
  required: z.boolean().default(false),
  /** What it grants, worst first; a higher step raises a granted term's tier. */
  tiers: z
    .array(
      z.strictObject({
        /** A few words for the agreement's summary ("申诉入口：我的客服", "a reply by tomorrow"). */
        short: bilingual,
        say: lineSet,
      }),
    )
    .min(1),
});
export type TermLines = z.infer<typeof termSchema>;

export const roleplayLinesSchema = z.strictObject({
  scenario: z.enum(SCENARIOS),
  /** Who the representative is, shown when the role-play starts and before each line. */
  rep: bilingual,
  /** Who takes over when the user asks for someone senior. */
  supervisor: bilingual,
  /** The user's side of the scene, told before it starts; `{{name}}` from `premise` or the case. */
  setup: bilingual,
  /** Defaults and clauses of the set-up: a fact of the user's case replaces or fills them. */
  premise: z.record(z.string().regex(/^[a-zA-Z]+$/), bilingual).default({}),
  terms: z.array(termSchema).default([]),
  moves: z.strictObject(
    Object.fromEntries(
      REP_MOVES.map((m) => [
        m,
        FEE_MOVES.includes(m) || TERMS_MOVES.includes(m) ? lineSet.optional() : lineSet,
      ]),
    ) as Record<RepMove, typeof lineSet>,
  ),
  /** Every figure the lines state, with its source (`example` for the simulation's own). */
  figures: z.array(figureSchema).default([]),
});
export type RoleplayLines = z.infer<typeof roleplayLinesSchema>;

/**
 * An interface text is kept exactly as written, spaces at either end included: the pieces the
 * code joins (" 等", "; ", "  ↳ 挑战") need them. It must not be blank.
 */
const uiString = z.string().refine((s) => s.trim().length > 0, { message: 'must not be blank' });

/**
 * The coach's own interface text (questions, labels, button captions, notices), one file per
 * part of the coach in knowledge/ui/; a key is `<file>.<key>`. `{name}` marks a value the code
 * fills in, and both languages must use the same ones. Figures are sourced like a topic's (an
 * example number in a prompt cites `example`).
 */
const uiTextSchema = z.strictObject({
  zh: uiString,
  en: uiString,
  figures: z.array(z.strictObject({ text: nonEmpty, source: z.string() })).optional(),
});
export const uiFileSchema = z.record(z.string().regex(/^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)*$/), uiTextSchema);


/** Whether a channel takes a problem: `unknown` where no source says. */
export const VERDICTS = ['yes', 'no', 'partly', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * The words a `handles` answer starts with, per verdict and language, so that the first words
 * answer the question ("Can 12363 handle fees?" — "Partly: …").
 */
export const VERDICT_LEADS: Record<Verdict, Record<Lang, string>> = {
  yes: { zh: '可以', en: 'Yes' },
  no: { zh: '不', en: 'No' },
  partly: { zh: '部分可以', en: 'Partly' },
  unknown: { zh: '我不确定', en: "I don't know for sure" },
};

/** A name or term as users type it; YAML reads a bare `12363` as a number, so accept that too. */
const term = z.union([nonEmpty, z.number().transform(String)]);
const terms = z.strictObject({ zh: z.array(term).min(1), en: z.array(term).min(1) });

const verdictAnswer = z.strictObject({ verdict: z.enum(VERDICTS), zh: nonEmpty, en: nonEmpty });

/**
 * A place a user can take a problem with Alipay (knowledge/channels.yaml): Alipay's own
 * channels, regulators, mediation, public complaint sites, the police, courts. For each problem
 * it says in one sentence whether the channel takes it; every figure is sourced as in topics.
 */
export const channelSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/),
  /** What users type to mean it (matching is case- and width-insensitive; unique across channels). */
  names: terms,
  title: bilingual,
  /** One sentence: what it is and who runs it. */
  what: bilingual,
  /** Per problem: the verdict and a one-sentence answer that starts with it (VERDICT_LEADS). */
  handles: z.strictObject(
    Object.fromEntries(CHANNEL_ISSUES.map((i) => [i, verdictAnswer])) as Record<ChannelIssue, typeof verdictAnswer>,
  ),
  /** What to do first (for example, complain to Alipay before a regulator). */
  before: bilingual.optional(),
  /** How to reach it (number, website, hours), as far as sourced. */
  how: bilingual,
  figures: z.array(figureSchema).default([]),
  /** The sources behind the texts' facts beyond the figures' own (optional; each must exist). */
  sources: z.array(z.string()).optional(),
});
export type Channel = z.infer<typeof channelSchema>;

/**
 * A term users ask the meaning of (knowledge/glossary.yaml): "什么是当面付", "what is 风控".
 * `see` names the channel (channels.yaml) or case (cases/) that tells more.
 */
export const glossaryEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/),
  /** The words users ask about (unique across entries). */
  terms,
  /** One or two plain sentences. */
  meaning: bilingual,
  see: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/).optional(),
  figures: z.array(figureSchema).default([]),
  /** The sources behind the meaning beyond the figures' own (optional; each must exist). */
  sources: z.array(z.string()).optional(),
});
export type GlossaryEntry = z.infer<typeof glossaryEntrySchema>;
