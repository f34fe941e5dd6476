/**
 * The intent model of one language: natural's Bayes classifier and a softmax regression over
 * the same features, combined log-linearly and calibrated on cross-validation so that a
 * confidence of 0.8 is right about 80% of the time. One model per language: a Chinese message is
 * only compared with Chinese examples.
 */
import { INTENTS, type Intent } from '../knowledge/intents';
import type { Lang } from '../knowledge/schema';
import { BayesScorer, type BayesTables } from './bayesModel';
import type { ActModel } from './acts';
import type { LexiconData } from './features';
import type { SituationModel } from './situation';
import { SoftmaxScorer, type SoftmaxModel } from './softmaxModel';

export interface Calibration {
  /** Temperature that turns the Bayes log scores into probabilities. */
  bayesTemperature: number;
  /** How much the Bayes opinion counts next to the softmax one (0: not at all). */
  bayesWeight: number;
  /** Temperature of the combined scores. */
  temperature: number;
  /** Below this confidence the top in-domain intent is rejected as out_of_scope. */
  rejectBelow: number;
  /**
   * out_of_scope wins only with at least this probability; a weaker out-of-scope lead goes to
   * the best in-domain intent (if that one clears rejectBelow). Together the two thresholds
   * hold in-domain false rejects down while catching most off-domain messages.
   */
  oosAbove: number;
}

export interface LanguageModel {
  bayes: BayesTables;
  softmax: SoftmaxModel;
  calibration: Calibration;
  /** Which case of knowledge/cases a message is about (absent in models trained without cases). */
  situations?: SituationModel;
  /** Dialogue acts (absent in models trained without act lines). */
  acts?: ActModel;
}

export interface NluModel {
  version: number;
  /** Hash of the training data, lexicon and training code version, to detect a stale model. */
  dataHash: string;
  lexicon: LexiconData;
  models: Record<Lang, LanguageModel>;
}

export const NLU_MODEL_VERSION = 10;

export interface Ranked {
  intent: Intent;
  p: number;
}

/** The two opinions on one message, before calibration (kept per doc during cross-validation). */
export interface RawScores {
  /** Bayes log scores per Bayes label. */
  bayes: Float64Array;
  /** Softmax log-probabilities per softmax label. */
  softmax: Float64Array;
}

/** The intent ids in a fixed order, so per-intent sums can live in arrays. */
const INTENT_ORDER: readonly Intent[] = INTENTS;
const INTENT_INDEX = new Map(INTENT_ORDER.map((intent, i) => [intent, i]));

/**
 * Probability per intent (index-aligned with INTENT_ORDER) from per-label log scores softened by
 * a temperature: labels of the same intent (out-of-scope themes) are summed.
 */
function intentProbs(
  logs: Float64Array,
  labelIntent: Int32Array,
  temperature: number,
  out: Float64Array,
): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < logs.length; c++) if ((logs[c] as number) > max) max = logs[c] as number;
  out.fill(0);
  let total = 0;
  for (let c = 0; c < logs.length; c++) {
    const w = Math.exp(((logs[c] as number) - max) / temperature);
    total += w;
    const i = labelIntent[c] as number;
    out[i] = (out[i] as number) + w;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

export class IntentScorer {
  readonly bayes: BayesScorer;
  readonly softmax: SoftmaxScorer;

  private readonly bayesIntent: Int32Array;
  private readonly softmaxIntent: Int32Array;

  constructor(
    bayesTables: BayesTables,
    readonly softmaxModel: SoftmaxModel,
  ) {
    this.bayes = new BayesScorer(bayesTables);
    this.softmax = new SoftmaxScorer(softmaxModel);
    this.bayesIntent = Int32Array.from(this.bayes.intents.map((i) => INTENT_INDEX.get(i) ?? 0));
    this.softmaxIntent = Int32Array.from(softmaxModel.labels.map((i) => INTENT_INDEX.get(i) ?? 0));
  }

  raw(features: readonly string[]): RawScores {
    return { bayes: this.bayes.logScores(features), softmax: this.softmax.logProbs(features) };
  }

  /** Calibrated probability per intent, highest first. */
  rank(raw: RawScores, calibration: Calibration): Ranked[] {
    const nb = intentProbs(
      raw.bayes,
      this.bayesIntent,
      calibration.bayesTemperature,
      new Float64Array(INTENT_ORDER.length),
    );
    const combined = new Float64Array(this.softmaxIntent.length);
    for (let c = 0; c < combined.length; c++) {
      const p = nb[this.softmaxIntent[c] as number] as number;
      combined[c] = (raw.softmax[c] as number) + calibration.bayesWeight * Math.log(Math.max(p, 1e-300));
    }
    const probs = intentProbs(
      combined,
      this.softmaxIntent,
      calibration.temperature,
      new Float64Array(INTENT_ORDER.length),
    );
    const ranked: Ranked[] = [];
    for (const c of this.softmaxIntent)
      ranked.push({ intent: INTENT_ORDER[c] as Intent, p: probs[c] as number });
    return ranked.sort((a, b) => b.p - a.p);
  }
}

/** The decision on a ranked reading: the top intent, unless it is not sure enough to trust. */
export function decide(ranked: Ranked[], calibration: Calibration): { intent: Intent; confidence: number } {
  const oos = ranked.find((r) => r.intent === 'out_of_scope')?.p ?? 0;
  const best = ranked.find((r) => r.intent !== 'out_of_scope');
  if (oos >= calibration.oosAbove || !best || best.p < calibration.rejectBelow) {
    // Clearly off-domain, or not sure enough of any in-domain reading: say so rather than guess.
    return { intent: 'out_of_scope', confidence: Math.max(oos, 1 - (best?.p ?? 0)) };
  }
  return { intent: best.intent, confidence: best.p };
}
