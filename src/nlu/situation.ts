/**
 * Situation reading: which case of the case library (knowledge/cases) a message is about. A
 * softmax over the case ids and `none`, on the intent model's features, trained at build time on
 * the real-style examples: each case's describe lines, the real public phrasing and our lines in
 * its style that name a case (a real-style line that names none trains `none`). A situation is
 * reported only when the best case is likely enough; its confidence is the model's probability.
 */
import { createHash } from 'node:crypto';
import { EnglishCueIndex } from '../text/englishCues';
import { HAN } from '../text/normalize';
import { DEFAULT_SOFTMAX, SoftmaxScorer, trainSoftmax, type SoftmaxModel } from './softmaxModel';

/** The label of a real-style message about no case in particular. */
const NO_SITUATION = 'none';

export interface SituationModel {
  softmax: SoftmaxModel<string>;
  /** A case is reported only at this probability or above (fitted on cross-validation)… */
  minConfidence: number;
  /**
   * …or, when the message's intent is the case's own, at this one (fitted the same way; absent
   * in models trained before it, which then use minConfidence alone).
   */
  agreeConfidence?: number;
  /**
   * The intent each case's messages are labelled with (the majority of its lines: the case file's
   * `intent` for its describe lines). A message read as a case is reported with that intent when
   * the intent model's own reading is a neighbouring problem intent.
   */
  intents?: Record<string, string>;
  /**
   * Phrases that name one case (the case files' `cues`: "重复扣款", "charged twice"), read when
   * neither bar is cleared. Real messages are longer and looser than the lines the model learns
   * from, and its probability for a case spreads thin over them; a phrase that names a situation
   * still names it. Simplified Chinese, English in lower case.
   */
  cues?: Record<string, string>;
}

export interface SituationDoc {
  features: string[];
  text: string;
  case?: string;
  /** The intent the line is labelled with (for a line about a case: the case's messages' intent). */
  intent?: string;
  /**
   * A chatbot-style line of an intent no case answers (the seed's section questions, greetings,
   * our out-of-scope themes): about no case by construction. These teach `none` what a general
   * question looks like, so that a word shared with a case ("dispute", "agent") is not enough.
   */
  general?: boolean;
}

/**
 * A case read this surely stands on its own: it answers the message, and names its intent over
 * a neighbouring problem intent (CoachNlu) or another intent's topic (the turn)…
 */
export const SITUATION_SURE = 0.5;
/** …and this surely when the intent model reads the message as out of scope. */
export const SITUATION_SURE_OUT_OF_SCOPE = 0.85;

/**
 * The seed's three problems: a sure case reading overrules one with another (a message about a
 * double charge is `fees` whether the intent model leaned to service or security). Every other
 * intent is a specific ask that stays: other options, a contact, a mediator, a refusal, a plan.
 */
export const PROBLEM_INTENTS: ReadonlySet<string> = new Set(['fees', 'security', 'service']);
/**
 * A case of one of the three problems named by a cue answers a message read as any of them or
 * as out of scope (the reported intent becomes the case's); any other case only its own intent.
 */
const CUE_INTENTS: ReadonlySet<string> = new Set([...PROBLEM_INTENTS, 'out_of_scope']);
/** A case the model gives less than this is not read from a phrase alone. */
const CUE_FLOOR = 0.005;
/** A named case this likely is preferred to the model's likeliest case below the first bar. */
const CUE_PREFERRED = 0.2;
/** Other platforms, whose own problems the case library's phrases must not be read into… */
const OTHER_PLATFORM =
  /微信|抖音|快手|拼多多|闲鱼|京东|美团|小红书|paypal|stripe|wechat|weixin|instagram|facebook|tiktok|douyin|venmo|cash ?app|apple pay|google pay|revolut|\bwise\b|payoneer|steam|amazon/i;
/** …unless the message names Alipay or one of its products too. */
export const ALIPAY_NAMED = /支付宝|花呗|借呗|余额宝|蚂蚁|收钱码|alipay|huabei|jiebei|yu'?e ?bao|ant group/i;

/** The lowest bar a situation must clear, whatever cross-validation says… */
const FLOOR = 0.15;
/**
 * …and the lowest for a case read through the intent: at least a third likely. Below that the
 * fitted bar follows small changes of the training data (0.15–0.5 from one build to the next).
 */
const AGREE_FLOOR = 0.33;
/**
 * Precision first: when fitting the bar, a wrong case reported (a case answered to a message
 * about another case or about none) costs this many right ones. A missing case costs nothing
 * beyond the right one lost: the coach then answers the topic of the intent, which is general
 * but not wrong, while a wrong case answers a situation the person is not in.
 */
const WRONG_CASE_COST = 2;
/** The grid of bars tried, and how many neighbours on each side a bar's gain is averaged with. */
const BAR_STEP = 0.025;
const BAR_WINDOW = 2;
/**
 * How far below the best smoothed gain the agreeing bar may go: it only reads a case whose intent
 * is the message's own, so a near-tie is settled toward reading it.
 */
const AGREE_TOLERANCE = 0.15;
/**
 * General (chatbot-style) lines weigh this much next to a real-style line in training and in
 * fitting the bar: there are more of them, and they should hold the border, not drown the
 * cases.
 */
const GENERAL_WEIGHT = 0.5;

/**
 * The features a situation is read from: the intent model's, without the message length. The
 * general lines are short chatbot questions and the real-style ones long, so length would stand
 * for "no case" and push a short message about a case ("is this a scam?") to none.
 */
function situationFeatures(features: readonly string[]): string[] {
  return features.filter((f) => !f.startsWith('@len:'));
}

function train(docs: SituationDoc[]): SoftmaxModel<string> {
  return trainSoftmax(
    docs.map((d) => ({
      features: situationFeatures(d.features),
      label: d.case ?? NO_SITUATION,
      weight: d.general ? GENERAL_WEIGHT : 1,
    })),
    { ...DEFAULT_SOFTMAX, epochs: 20 },
  );
}

function foldOf(text: string, k: number): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) % k;
}

/** One cross-validated reading of a training line. */
interface CvRow {
  /** The best label's probability, -1 when it is `none` (never reported by the first bar). */
  p: number;
  right: boolean;
  /** The best case apart from `none`, its probability, and whether it is the line's case. */
  caseP: number;
  caseRight: boolean;
  caseIntent: string | undefined;
  intent: string | undefined;
  weight: number;
}

function crossValidate(docs: SituationDoc[], intents: Record<string, string>, k = 5): CvRow[] {
  const rows: CvRow[] = [];
  for (let fold = 0; fold < k; fold++) {
    const scorer = new SoftmaxScorer(train(docs.filter((d) => foldOf(d.text, k) !== fold)));
    for (const d of docs) {
      if (foldOf(d.text, k) !== fold) continue;
      const { best, bestCase } = bestOf(scorer, d.features);
      rows.push({
        // A reading of `none` is never reported, whatever its probability.
        p: best.id === NO_SITUATION ? -1 : best.p,
        right: best.id === d.case,
        caseP: bestCase.p,
        caseRight: bestCase.id === d.case,
        caseIntent: intents[bestCase.id],
        intent: d.intent,
        weight: d.general ? GENERAL_WEIGHT : 1,
      });
    }
  }
  return rows;
}

/**
 * The bar above which reporting gains the most on these rows: a right case counts 1, a wrong one
 * (another case, or any case for a message about none) costs WRONG_CASE_COST.
 */
function fitBar(
  rows: { p: number; right: boolean; weight: number }[],
  from: number,
  to: number,
  tolerance = 0,
): number {
  const steps: { t: number; score: number }[] = [];
  for (let t = to; t >= from - 1e-9; t -= BAR_STEP) {
    let score = 0;
    for (const r of rows) if (r.p >= t) score += r.weight * (r.right ? 1 : -WRONG_CASE_COST);
    steps.push({ t, score });
  }
  // The gain is read over a window of neighbouring bars, not at one: a single line crossing a
  // bar moved the best one by 0.2 between builds that differed by a few training lines.
  const smoothed = steps.map((s, i) => {
    const near = steps.slice(Math.max(0, i - BAR_WINDOW), i + BAR_WINDOW + 1);
    return { t: s.t, score: near.reduce((sum, n) => sum + n.score, 0) / near.length };
  });
  let bar = to;
  let bestScore = 0;
  for (const s of smoothed) {
    if (s.score > bestScore + 1e-9) {
      bestScore = s.score;
      bar = s.t;
    }
  }
  if (tolerance <= 0 || bestScore <= 0) return bar;
  // A flat curve with two near-equal peaks let a few training lines move the bar from one to the
  // other (0.65 → 0.825 for English after one new case): the lowest bar within the tolerance of
  // the best is taken instead, so near-ties go to reading the case.
  for (const s of smoothed) if (s.score >= bestScore * (1 - tolerance)) bar = Math.min(bar, s.t);
  return bar;
}

/**
 * The two bars, fitted on cross-validation (a message is about a case or not as its training
 * line says): the probability above which the best reading is reported as it stands, and a
 * lower one for the best case when the message's intent is that case's own — a complaint about
 * fees whose likeliest case is a fee case. The second is fitted on the lines the first leaves
 * out, with the line's labelled intent standing for the intent the model will read.
 */
function fitBars(rows: CvRow[]): { minConfidence: number; agreeConfidence: number } {
  const minConfidence = fitBar(rows, FLOOR, 0.95);
  const agreeing = rows
    .filter((r) => r.p < minConfidence && r.caseIntent !== undefined && r.caseIntent === r.intent)
    .map((r) => ({ p: r.caseP, right: r.caseRight, weight: r.weight }));
  return { minConfidence, agreeConfidence: fitBar(agreeing, AGREE_FLOOR, minConfidence, AGREE_TOLERANCE) };
}

export function trainSituations(docs: SituationDoc[]): SituationModel {
  const intents = caseIntents(docs);
  return { softmax: train(docs), ...fitBars(crossValidate(docs, intents)), intents };
}

/** Each case's intent: the one most of its lines are labelled with. */
function caseIntents(docs: SituationDoc[]): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const d of docs) {
    if (!d.case || !d.intent) continue;
    const c = counts.get(d.case) ?? new Map<string, number>();
    c.set(d.intent, (c.get(d.intent) ?? 0) + 1);
    counts.set(d.case, c);
  }
  const out: Record<string, string> = {};
  for (const [id, c] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    out[id] = [...c].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
  }
  return out;
}

/**
 * The likeliest label (`none` included) and the likeliest case apart from `none`, from one
 * scoring of the message.
 */
function bestOf(
  scorer: SoftmaxScorer<string>,
  features: readonly string[],
): {
  best: { id: string; p: number };
  bestCase: { id: string; p: number };
  probabilities: (id: string) => number;
} {
  const logs = scorer.logProbs(situationFeatures(features));
  const labels = scorer.model.labels;
  let best = 0;
  let bestCase = -1;
  for (let c = 0; c < logs.length; c++) {
    if ((logs[c] as number) > (logs[best] as number)) best = c;
    if (labels[c] !== NO_SITUATION && (bestCase < 0 || (logs[c] as number) > (logs[bestCase] as number)))
      bestCase = c;
  }
  const at = (c: number): { id: string; p: number } =>
    c < 0 ? { id: NO_SITUATION, p: 0 } : { id: labels[c] ?? NO_SITUATION, p: Math.exp(logs[c] as number) };
  return {
    best: at(best),
    bestCase: at(bestCase),
    probabilities: (id) => {
      const c = labels.indexOf(id);
      return c < 0 ? 0 : Math.exp(logs[c] as number);
    },
  };
}

/** A cue of exactly four Chinese characters: two two-character words. */
const FOUR_HAN = /^\p{Script=Han}{4}$/u;
/** Adverbs a speaker puts between a cue's two words. */
const CUE_FILLERS = '一直|总是|老是|经常|突然|都|又|还|也|就|总|老';

const reading = (r: { id: string; p: number }): { id: string; confidence: number } => ({
  id: r.id,
  confidence: Math.round(r.p * 1000) / 1000,
});

export class SituationReader {
  private readonly scorer: SoftmaxScorer<string>;

  /** The cue phrases a message names, and each phrase's case. */
  private readonly cues?: { find: (text: string) => string[]; ids: Map<string, string> };

  constructor(readonly model: SituationModel) {
    this.scorer = new SoftmaxScorer(model.softmax);
    const ids = new Map(Object.entries(model.cues ?? {}));
    const phrases = [...ids.keys()];
    if (phrases.length > 0 && phrases.every((c) => !HAN.test(c))) {
      const english = new EnglishCueIndex(phrases);
      this.cues = { find: (text) => english.find(text), ids };
    } else if (phrases.length > 0) {
      // Longest first: a phrase inside a longer one does not take its place.
      // A four-character phrase of two words also names its case with an adverb between them:
      // "付款一直失败", "转账老是失败" name "付款失败", "转账失败".
      const alternatives = phrases
        .sort((a, b) => b.length - a.length)
        .map((c) => {
          const quoted = c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          return FOUR_HAN.test(c) ? `${c.slice(0, 2)}(?:${CUE_FILLERS})?${c.slice(2)}` : quoted;
        })
        .join('|');
      const pattern = new RegExp(`(${alternatives})`, 'g');
      this.cues = {
        find: (text) =>
          [...text.toLowerCase().matchAll(pattern)].map((m) => {
            const found = m[1] as string;
            return ids.has(found) ? found : found.slice(0, 2) + found.slice(-2);
          }),
        ids,
      };
    }
  }

  /**
   * The best case for these features, or undefined when none is likely enough. Given the message
   * (normalised: simplified Chinese), a case one of its phrases names is read when the model's bars are not
   * cleared and the intent is the case's own, one of the three problems, or out of scope; among
   * several named cases the likeliest.
   */
  read(
    features: readonly string[],
    intent?: string,
    text?: string,
  ): { id: string; confidence: number; cue?: string } | undefined {
    return this.readWithLikeliest(features, intent, text).situation;
  }

  /**
   * The situation, as `read`, and from the same scoring the likeliest case apart from `none`
   * (reported or not), which the NLU keeps when no situation is reported.
   */
  readWithLikeliest(
    features: readonly string[],
    intent?: string,
    text?: string,
  ): {
    situation?: { id: string; confidence: number; cue?: string };
    likeliest?: { id: string; confidence: number };
  } {
    const { best, bestCase, probabilities } = bestOf(this.scorer, features);
    const likeliest = bestCase.id === NO_SITUATION ? undefined : reading(bestCase);
    const found = (situation?: { id: string; confidence: number; cue?: string }) => ({
      ...(situation ? { situation } : {}),
      ...(likeliest ? { likeliest } : {}),
    });
    if (best.id !== NO_SITUATION && best.p >= this.model.minConfidence) return found(reading(best));
    const named = this.namedByCue(text, intent, bestCase.id, probabilities);
    // A case the message's own phrase names, which the model also finds plausible, is preferred
    // to a neighbour the model likes a little more ("淘宝退款显示已退款…没收到": the refund that
    // never arrived, not a dispute with the seller).
    if (named && named.p >= CUE_PREFERRED && named.id !== bestCase.id)
      return found({ ...reading(named), cue: named.cue });
    const agree = this.model.agreeConfidence;
    if (
      intent !== undefined &&
      agree !== undefined &&
      bestCase.id !== NO_SITUATION &&
      this.model.intents?.[bestCase.id] === intent &&
      bestCase.p >= agree
    )
      // Below the first bar a case the message's own phrase names outweighs the model's guess
      // ("…asked for my verification code, I gave it": the code shared, not identity checks).
      return found(named ? { ...reading(named), cue: named.cue } : reading(bestCase));
    return found(named ? { ...reading(named), cue: named.cue } : undefined);
  }

  /**
   * The case of one intent for these features: the first of `named` (cases the message's phrases
   * name, in the order they appear) that is the intent's, else the intent's likeliest.
   */
  bestOfIntent(
    features: readonly string[],
    intent: string,
    named: readonly string[] = [],
  ): { id: string; confidence: number } | undefined {
    const { probabilities } = bestOf(this.scorer, features);
    const intents = this.model.intents ?? {};
    // The first case named is the message's subject ("商家码升级后…变成千分之六": the code, not the rate).
    const first = named.find((id) => intents[id] === intent);
    if (first) return reading({ id: first, p: probabilities(first) });
    let found: { id: string; p: number } | undefined;
    for (const [id, own] of Object.entries(intents)) {
      if (own !== intent) continue;
      const p = probabilities(id);
      if (!found || p > found.p) found = { id, p };
    }
    return found ? reading(found) : undefined;
  }

  /** The likeliest case a phrase of the message names that fits the intent, if any. */
  private namedByCue(
    text: string | undefined,
    intent: string | undefined,
    likeliest: string,
    probabilities: (id: string) => number,
  ): { id: string; p: number; cue: string } | undefined {
    if (text === undefined || intent === undefined || !this.cues) return undefined;
    // A phrase in a message about another platform ("my paypal got restricted") names nothing here.
    if (OTHER_PLATFORM.test(text) && !ALIPAY_NAMED.test(text)) return undefined;
    let named: { id: string; p: number; cue: string } | undefined;
    for (const cue of this.cues.find(text)) {
      const id = this.cues.ids.get(cue) as string;
      const own = this.model.intents?.[id];
      if (!(own === intent || (own !== undefined && PROBLEM_INTENTS.has(own) && CUE_INTENTS.has(intent))))
        continue;
      const p = probabilities(id);
      // Below the floor only the reader's own likeliest case stands: the phrase and the model
      // then agree, however unsure the model is of any case at all.
      if (p < CUE_FLOOR && id !== likeliest) continue;
      if (!named || p > named.p) named = { id, p, cue };
    }
    return named;
  }

  /** The cases the message's phrases name, in the order found (none for another platform's problem). */
  namedCases(text: string): string[] {
    if (!this.cues || (OTHER_PLATFORM.test(text) && !ALIPAY_NAMED.test(text))) return [];
    const ids = this.cues.find(text).map((cue) => this.cues?.ids.get(cue) as string);
    return [...new Set(ids)];
  }

  /** The intent messages about this case are labelled with. */
  intentOf(id: string): string | undefined {
    return this.model.intents?.[id];
  }

  /** Probability per case id (and `none`), for combining with the intent. */
  probabilities(features: readonly string[]): Map<string, number> {
    const logs = this.scorer.logProbs(situationFeatures(features));
    const out = new Map<string, number>();
    this.scorer.model.labels.forEach((id, c) => out.set(id, Math.exp(logs[c] as number)));
    return out;
  }
}
