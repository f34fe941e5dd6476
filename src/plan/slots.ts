/**
 * The slots of a negotiation plan (seed 六.1) and how messages fill them: role, issue, goal, and
 * for fees the current rate, monthly volume and target; then evidence and cases, the user's
 * alternative (BATNA) and the contact channel. Pure functions over a draft of the user's facts.
 */
import type { Issue, Lang, Role } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import { normalizeText } from '../text/normalize';
import type { Entities, NluResult } from '../nlu/types';
import { readFeeSlots } from '../fees/feeSlots';
import { readSlotAnswer, type SlotAnswer } from '../nlu/slots';
import type { Facts } from '../state/profile';

export type Slot =
  | 'role'
  | 'issue'
  | 'currentRate'
  | 'monthlyVolume'
  | 'targetRate'
  | 'goal'
  | 'evidence'
  | 'alternative'
  | 'channel';

/** What the plan knows: the user's role, issue and facts. */
export interface PlanDraft {
  role?: Role;
  issue?: Issue;
  facts: Facts;
  /** Slots the user could not answer ("不知道"): not asked again; the plan leaves them open. */
  skipped?: Slot[];
}

/** The choices offered with each question (ids; captions are knowledge/ui `plan.choice.<id>`). */
export function choicesFor(slot: Slot, draft: PlanDraft): string[] {
  switch (slot) {
    case 'role':
      return ['merchant', 'consumer'];
    case 'issue':
      return ['fees', 'security', 'service'];
    case 'currentRate':
      return ['rate_06', 'rate_038'];
    case 'goal':
      return draft.issue === 'security'
        ? ['unfreeze', 'reason', 'recover']
        : ['resolve', 'compensate', 'apology'];
    case 'evidence':
      return ['none', 'skip'];
    case 'alternative':
      return draft.role === 'consumer'
        ? ['other_payment', 'complaint', 'none']
        : ['wechat_pay', 'bank_pos', 'aggregator', 'none'];
    case 'channel':
      return ['phone', 'app', 'manager', 'ticket'];
    default:
      return [];
  }
}

/** The rate a rate choice stands for. */
const CHOICE_RATES: Record<string, number> = { rate_06: 0.6, rate_038: 0.38 };

const ESSENTIAL_FEES: Slot[] = ['role', 'issue', 'currentRate', 'monthlyVolume', 'targetRate'];
const ESSENTIAL_OTHER: Slot[] = ['role', 'issue', 'goal'];
export const OPTIONAL_SLOTS: readonly Slot[] = ['evidence', 'alternative', 'channel'];

export function essentialSlots(draft: PlanDraft): Slot[] {
  return draft.issue === 'fees' ? ESSENTIAL_FEES : ESSENTIAL_OTHER;
}

export function known(draft: PlanDraft, slot: Slot): boolean {
  if (draft.skipped?.includes(slot)) return true;
  if (slot === 'role') return draft.role !== undefined;
  if (slot === 'issue') return draft.issue !== undefined;
  return draft.facts[slot] !== undefined;
}

/** The next question: the slot asked to refine, else the first essential unknown, else an optional one. */
export function nextSlot(draft: PlanDraft, interactive: boolean, refine?: Slot): Slot | undefined {
  return (
    refine ??
    essentialSlots(draft).find((s) => !known(draft, s)) ??
    (interactive ? OPTIONAL_SLOTS.find((s) => !known(draft, s)) : undefined)
  );
}

export function isSlot(value: unknown): value is Slot {
  return (
    typeof value === 'string' &&
    [
      'role',
      'issue',
      'currentRate',
      'monthlyVolume',
      'targetRate',
      'goal',
      'evidence',
      'alternative',
      'channel',
    ].includes(value)
  );
}

/** Fills what a message says into the draft: role, issue, rates, volume, a competitor's quote. */
export function prefill(draft: PlanDraft, text: string, entities: Entities): PlanDraft {
  const out: PlanDraft = { ...draft, facts: { ...draft.facts } };
  if (entities.role) out.role = entities.role;
  if (entities.issue) out.issue = entities.issue;
  const saysFees = (entities.rates?.length ?? 0) > 0 || (entities.amounts?.length ?? 0) > 0;
  if (!out.issue && saysFees) out.issue = 'fees';
  if (out.issue === 'fees' && !out.role && saysFees) out.role = 'merchant';
  if (saysFees) {
    const slots = readFeeSlots(text, entities, {
      volume: out.facts.monthlyVolume,
      current: out.facts.currentRate,
      target: out.facts.targetRate,
    });
    if (slots.volume !== undefined) out.facts.monthlyVolume = slots.volume;
    if (slots.current !== undefined) out.facts.currentRate = slots.current;
    if (slots.target !== undefined) out.facts.targetRate = slots.target;
  }
  const platform = entities.platforms?.find((p) => p !== 'alipay');
  if (platform && /报价|给我|offer|quote|愿意|可以给/i.test(normalizeText(text))) {
    out.facts.alternative ??= platform;
    const rate = entities.rates?.[entities.rates.length - 1];
    if (rate !== undefined && (entities.rates?.length ?? 0) >= 3) out.facts.competitorRate = rate;
  }
  return out;
}

/** The choice a typed or clicked answer names, in either language. */
function chosen(slot: Slot, draft: PlanDraft, text: string, texts: Texts): string | undefined {
  const t = text.trim().toLowerCase();
  return choicesFor(slot, draft).find((id) => {
    const pair = texts.pair(`plan.choice.${id}`);
    return pair.zh === text.trim() || pair.en.toLowerCase() === t;
  });
}

const QUESTION = /[?？]|^(怎么|如何|为什么|什么|哪|how|what|why|where|when|who|can|should)/i;
const SKIPPED = /^(跳过|没有|还没有|无|skip|none|no|n\/a)$/i;

/**
 * Whether a message answers the question for `slot` rather than changing the subject: numbers
 * answer the numeric slots; a choice, a role or an issue answers those; free text the rest,
 * unless it is a question.
 */
export function looksLikeAnswer(
  slot: Slot,
  draft: PlanDraft,
  text: string,
  reading: NluResult | null,
  texts: Texts,
): boolean {
  const e = reading?.entities ?? {};
  const numbers = (e.rates?.length ?? 0) + (e.amounts?.length ?? 0) > 0;
  if (slot === 'currentRate' || slot === 'targetRate' || slot === 'monthlyVolume') {
    const answer = numberAnswer(slot, text);
    return !answer.newQuestion && (numbers || answer.value !== undefined || answer.unknown === true);
  }
  const question = QUESTION.test(text.trim());
  if (slot === 'evidence' || slot === 'alternative') return !question;
  return (
    chosen(slot, draft, text, texts) !== undefined ||
    numbers ||
    e.role !== undefined ||
    e.issue !== undefined ||
    (!question && text.length <= 12)
  );
}

/** A typed number for a numeric slot: "0.45", "千6", "七八万", "不知道". */
function numberAnswer(slot: 'currentRate' | 'targetRate' | 'monthlyVolume', text: string): SlotAnswer {
  return readSlotAnswer(text, slot === 'monthlyVolume' ? 'monthly_volume' : 'rate', 'zh');
}

function skip(draft: PlanDraft, slot: Slot): void {
  draft.skipped = [...new Set([...(draft.skipped ?? []), slot])];
}

/** Reads the answer to the question for `slot` into the draft. */
export function fill(
  draft: PlanDraft,
  slot: Slot,
  text: string,
  reading: NluResult | null,
  entities: Entities,
  texts: Texts,
  lang: Lang,
): PlanDraft {
  const out: PlanDraft = { ...draft, facts: { ...draft.facts } };
  const choice = chosen(slot, draft, text, texts);
  const f = out.facts;
  const skipped = choice === 'skip' || choice === 'none' || SKIPPED.test(text);
  const label = (id: string): string => texts.t(`plan.choice.${id}`, lang);
  switch (slot) {
    case 'role':
      out.role =
        (choice as Role | undefined) ??
        entities.role ??
        (/商|店|老板|merchant|shop|store|business|sell/i.test(text) ? 'merchant' : 'consumer');
      break;
    case 'issue': {
      const intent = reading?.intent;
      out.issue =
        (choice as Issue | undefined) ??
        entities.issue ??
        (intent === 'security' || intent === 'service' ? intent : 'fees');
      break;
    }
    case 'currentRate':
      if (choice && CHOICE_RATES[choice] !== undefined) f.currentRate = CHOICE_RATES[choice];
      else if (entities.rates?.[0] !== undefined) f.currentRate = entities.rates[0];
      break;
    case 'targetRate':
      if (entities.rates?.length) f.targetRate = entities.rates[entities.rates.length - 1];
      break;
    case 'monthlyVolume':
      if (entities.amounts?.length) {
        const v = Math.max(...entities.amounts);
        f.monthlyVolume = entities.period === 'year' ? Math.round(v / 12) : v;
      }
      break;
    case 'goal':
      f.goal = choice ?? text.slice(0, 120);
      break;
    case 'evidence':
      f.evidence = skipped ? texts.t('plan.none_yet', lang) : text.slice(0, 200);
      break;
    case 'alternative':
      f.alternative = skipped ? texts.t('plan.none_yet', lang) : choice ? label(choice) : text.slice(0, 120);
      if (entities.rates?.length) f.competitorRate = entities.rates[entities.rates.length - 1];
      break;
    case 'channel':
      f.channel = choice ? label(choice) : text.slice(0, 60);
      break;
  }
  if (slot === 'currentRate' || slot === 'targetRate' || slot === 'monthlyVolume') {
    // A bare number the entity reader does not take as a rate or amount ("0.45", "七八万").
    if (f[slot] === undefined) {
      const answer = numberAnswer(slot, text);
      if (typeof answer.value === 'number') f[slot] = answer.value;
      else if (answer.unknown || skipped) skip(out, slot);
    }
  }
  return out;
}
