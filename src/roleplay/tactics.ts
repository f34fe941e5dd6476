/**
 * Tactic detection for the role-play (multi-label): which negotiation moves a user's message
 * shows. Cue words come from knowledge/tactics.yaml; the NLU's entities (numbers, rates,
 * platforms) and intent sharpen them: "data" counts fully only with real numbers, a named
 * competitor is a credible alternative, a named regulator a credible escalation.
 */
import { normalizeText } from '../text/normalize';
import type { Entities, NluResult } from '../nlu/types';
import type { Scenario, Tactic, TacticCues } from '../knowledge/schema';

export interface TurnAnalysis {
  /** Tactics shown, each with a strength in (0, 1]. */
  tactics: Partial<Record<Tactic, number>>;
  /** Rates the user named, in order (fees: what they ask for or quote). */
  rates: number[];
  /** The message is a question ("能不能…?") rather than a statement. */
  question: boolean;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function englishPattern(cue: string): string {
  const w = cue.toLowerCase();
  return w.endsWith('*') ? `${escape(w.slice(0, -1))}[a-z']*` : escape(w);
}

type Matchers = Record<Tactic, { zh: RegExp; en: RegExp }>;

export function compileCues(cues: TacticCues): Matchers {
  const out = {} as Matchers;
  for (const [tactic, { zh, en }] of Object.entries(cues) as [Tactic, { zh: string[]; en: string[] }][]) {
    out[tactic] = {
      zh: new RegExp(zh.map((c) => escape(normalizeText(c).toLowerCase())).join('|')),
      en: new RegExp(`(?<![a-z])(?:${en.map(englishPattern).join('|')})(?![a-z])`),
    };
  }
  return out;
}

const QUESTION =
  /[?？]|吗|么[？?]?$|能不能|可不可以|是否|^(?:can|could|would|will|is|are|do|does|what|how|why)\b/;
/** Shouting: mostly capitals over a longer stretch, or a run of exclamation marks. */
const SHOUTING = (raw: string): boolean => {
  const letters = raw.replace(/[^A-Za-z]/g, '');
  return (
    (letters.length >= 12 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7) ||
    /[!！]{3,}/.test(raw)
  );
};
/** A message that is nothing but a yes: "好的", "行吧", "ok", "sure". */
const SHORT_YES =
  /^(?:好|好的|好吧|行|行吧|可以|可以的|嗯|嗯嗯|同意|接受|ok|okay|sure|yes|yep|fine|alright|deal)[。.!！~～，,]*(?:谢谢|谢谢您|thanks|thank you)?[。.!！]*$/;
/** Staying with Alipay ("以后都留在支付宝", "keep my payments on Alipay"): common interest, not an alternative. */
const STAYING =
  /(?:留在|继续用|继续走|都走|一直用|都用|放在)支付宝|(?:keep|stay|stick|remain)\w*(?: \w+){0,4} (?:on|with) alipay/;
const NON_ALIPAY = (e: Entities): boolean => (e.platforms ?? []).some((p) => p !== 'alipay');

export class TacticDetector {
  private readonly matchers: Matchers;

  constructor(cues: TacticCues) {
    this.matchers = compileCues(cues);
  }

  analyze(text: string, nlu: NluResult | null, scenario: Scenario): TurnAnalysis {
    const t = normalizeText(text).toLowerCase();
    const hit = (tactic: Tactic): boolean => {
      const m = this.matchers[tactic];
      return m.zh.test(t) || m.en.test(t);
    };
    const e = nlu?.entities ?? {};
    const numbers = (e.amounts?.length ?? 0) + (e.rates?.length ?? 0) > 0;
    const tactics: Partial<Record<Tactic, number>> = {};
    const set = (tactic: Tactic, strength: number): void => {
      tactics[tactic] = Math.max(tactics[tactic] ?? 0, strength);
    };

    // Data: real figures count fully; the words alone ("I have the statements") count half.
    if (hit('data')) set('data', numbers || /\d/.test(t) ? 1 : 0.5);
    else if ((e.amounts?.length ?? 0) > 0 || (scenario === 'fees' && (e.rates?.length ?? 0) > 1))
      set('data', 1);
    // A competitor's offer is a case (and an alternative); so is a policy precedent.
    if (hit('case')) set('case', 1);
    if (NON_ALIPAY(e) && ((e.rates?.length ?? 0) > 0 || hit('case'))) set('case', 1);
    if (hit('mutual')) set('mutual', 1);
    if (hit('joint')) set('joint', numbers || /季度|个月|试行|trial|quarter|month/.test(t) ? 1 : 0.6);
    if (hit('flexibility')) set('flexibility', 1);
    if (hit('batna') && (NON_ALIPAY(e) || /换|转|迁|switch|move|alternative/.test(t))) set('batna', 1);
    // The intent alone is a weaker sign; a promise to stay with Alipay is the opposite of a BATNA.
    if (nlu?.intent === 'alternatives' && nlu.confidence > 0.6 && !STAYING.test(t)) set('batna', 0.8);
    if (hit('escalation'))
      set(
        'escalation',
        /12363|12315|人民银行|央行|监管|消协|调解|仲裁|法院|反电信|条例|pboc|regulat|mediat|arbitrat|court|law|article/.test(
          t,
        )
          ? 1
          : 0.5,
      );
    if (nlu?.intent === 'mediation' && nlu.confidence > 0.6) set('escalation', 1);

    const hostile = hit('hostility') || SHOUTING(text);
    if (hostile) set('hostility', 1);
    if (hit('respect') && !hostile) set('respect', 1);
    if (hit('ultimatum')) set('ultimatum', 1);

    const question = QUESTION.test(t);
    const reasons = ['data', 'case', 'mutual', 'joint', 'batna'].some((k) => tactics[k as Tactic]);
    // A bare demand ("降点吧", "make it cheaper") with nothing behind it is vague.
    if (hit('demand') && !numbers && !reasons) set('demand', 1);
    if (hit('reject')) set('reject', 1);
    else if ((hit('accept') || SHORT_YES.test(t)) && !question) set('accept', 1);
    return { tactics, rates: e.rates ?? [], question };
  }
}
