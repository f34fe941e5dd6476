/**
 * The fee calculator's words: its questions, and the result — monthly and yearly fee at each
 * rate, the saving, and the sourced reference rates for comparison.
 */
import { formatMoney, formatRate, monthlyFee, saving } from '../fees/feeMath';
import { FEE_KINDS } from '../fees/feeKind';
import type { FeeSlots } from '../fees/feeSlots';
import { personalFee, type PersonalFeeKind } from '../fees/personalFees';
import { sourceLine } from '../knowledge/render';
import type { FeeRule, Lang, Source } from '../knowledge/schema';
import { labels, type CoachDeps } from './flow';
import type { Reply } from './types';

export function feeQuestion(
  deps: CoachDeps,
  missing: 'volume' | 'current',
  lang: Lang,
  /** Asked again: say why (nothing could be read as the value). */
  again = false,
): Reply {
  const { texts } = deps.kb;
  return {
    text: texts.t(again ? `fees.ask.again.${missing}` : `fees.ask.${missing}`, lang),
    actions: missing === 'current' ? [texts.t('fees.rate_06', lang), texts.t('fees.rate_038', lang)] : [],
  };
}

export function feeKindQuestion(deps: CoachDeps, lang: Lang): Reply {
  const { texts } = deps.kb;
  return {
    text: texts.t('fees.ask.kind', lang),
    actions: FEE_KINDS.map((k) => texts.t(`fees.kind.${k}`, lang)),
  };
}

/**
 * The amount question. Asked the first time, the published rule comes first ("3% on foreign
 * cards?" is answered before the coach asks how much), with its source and date.
 */
export function amountQuestion(deps: CoachDeps, kind: PersonalFeeKind, lang: Lang, again = false): Reply {
  const { kb } = deps;
  const { texts } = kb;
  if (again) return { text: texts.t('fees.ask.again.amount', lang), actions: [] };
  const rule = feeRule(deps, kind);
  const source = kb.source(rule.source);
  return {
    text: [
      texts.t(`fees.rule.${kind}`, lang, ruleValues(deps, rule, lang)),
      sourceLine(texts, source ? [source] : [], lang),
      texts.t(`fees.ask.amount.${kind}`, lang),
    ]
      .filter(Boolean)
      .join('\n'),
    actions: [],
  };
}

function feeRule(deps: CoachDeps, kind: PersonalFeeKind): FeeRule {
  const rule = deps.kb.bundle.feeRules.find((r) => r.id === kind);
  if (!rule) throw new Error(`no fee rule ${kind} in knowledge/fee-rules.yaml`);
  return rule;
}

/** A rule's own figures, as the texts that state it show them. */
function ruleValues(deps: CoachDeps, rule: FeeRule, lang: Lang): Record<string, string> {
  const money = (x: number): string => formatMoney(deps.kb.texts, x, lang);
  return {
    free: money(rule.free ?? 0),
    threshold: money(rule.threshold ?? 0),
    rate: formatRate(rule.rate),
    minimum: money(rule.minimum ?? 0),
  };
}

/** A person's fee on their own amount, from the published rule, with its source. */
export function personalFeeReply(deps: CoachDeps, kind: PersonalFeeKind, amount: number, lang: Lang): Reply {
  const { kb } = deps;
  const { texts } = kb;
  const rule = feeRule(deps, kind);
  const money = (x: number): string => formatMoney(texts, x, lang);
  const result = personalFee(rule, amount);
  const values = {
    ...ruleValues(deps, rule, lang),
    amount: money(amount),
    charged: money(result.charged),
    fee: money(result.fee),
    full: money(personalFee(rule, amount, rule.free ?? 0).fee),
  };
  // Within the free amount the charged part is zero: "0元收0元" told the person nothing.
  const key = result.fee === 0 ? `fees.result.${kind}_free` : `fees.result.${kind}`;
  const source = kb.source(rule.source);
  return {
    text: [
      texts.t(key, lang, values),
      sourceLine(texts, source ? [source] : [], lang),
      texts.t('fees.confirm_personal', lang),
    ]
      .filter(Boolean)
      .join('\n'),
    actions: labels(deps, ['topic:problems.fees.consumer', 'action:help'], lang),
  };
}

export function feeResultReply(deps: CoachDeps, slots: FeeSlots, lang: Lang): Reply {
  const { kb } = deps;
  const { texts } = kb;
  const current = slots.current;
  const base = slots.volume ?? 10_000;
  const lines: string[] = [];
  const row = (label: string, rate: number): string => {
    const m = monthlyFee(base, rate);
    return texts.t('fees.row', lang, {
      label,
      rate: formatRate(rate),
      monthly: formatMoney(kb.texts, m, lang),
      yearly: formatMoney(kb.texts, m * 12, lang),
    });
  };
  lines.push(
    slots.volume !== undefined
      ? texts.t('fees.head.volume', lang, { volume: formatMoney(kb.texts, base, lang) })
      : texts.t('fees.head.per_10k', lang),
  );
  if (current === undefined) lines.push(texts.t('fees.no_current', lang));
  else lines.push(row(texts.t('fees.now', lang), current));
  const usual = kb.referenceRates.map((r) => r.rate);
  if (current !== undefined && usual.length > 0 && current > 2 * Math.max(...usual)) {
    // "6个点" read as 6%: far above any merchant rate we know, so the user may have meant 6‰.
    lines.push(
      texts.t('fees.check_high', lang, {
        rate: formatRate(current),
        low: formatRate(Math.min(...usual)),
        high: formatRate(Math.max(...usual)),
        tenth: formatRate(current / 10),
      }),
    );
  }
  if (slots.target !== undefined && current !== undefined) {
    lines.push(row(texts.t('fees.target', lang), slots.target));
    const s = saving(base, current, slots.target);
    lines.push(
      texts.t('fees.saves', lang, {
        monthly: formatMoney(kb.texts, s.monthly, lang),
        yearly: formatMoney(kb.texts, s.yearly, lang),
      }),
    );
  }
  const refs = kb.referenceRates.filter((r) => r.rate !== current && r.rate !== slots.target);
  const sources: Source[] = [];
  if (refs.length > 0) {
    lines.push(texts.t('fees.references', lang));
    for (const r of refs) {
      lines.push(row(r.label[lang], r.rate));
      const src = kb.source(r.source);
      if (src && !sources.includes(src)) sources.push(src);
    }
  }
  lines.push(sourceLine(texts, sources, lang));
  lines.push(texts.t('fees.confirm', lang));
  return {
    text: lines.filter(Boolean).join('\n'),
    actions: labels(deps, ['action:plan', 'template:demand_email', 'action:roleplay'], lang),
  };
}
