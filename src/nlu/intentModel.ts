/**
 * The intent model of one language: natural's Bayes classifier and a softmax regression over
 * the same features, combined log-linearly and calibrated on cross-validation so that a
 * confidence of 0.8 is right about 80% of the time. One model per language: a Chinese message is
 * only compared with Chinese examples.
 */
import type { Intent, Lang } from '../knowledge/schema';
import { BayesScorer, type BayesTables } from './bayesModel';
import type { LexiconData } from './features';
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
}

export interface NluModel {
  version: number;
  /** Hash of the training data, lexicon and training code version, to detect a stale model. */
  dataHash: string;
  lexicon: LexiconData;
  models: Record<Lang, LanguageModel>;
}

export const NLU_MODEL_VERSION = 6;

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

/** Sums probabilities per intent from per-label log scores at a temperature, as log-probabilities. */
function intentLogProbs(
  logs: Float64Array,
  intents: readonly Intent[],
  temperature: number,
): Map<Intent, number> {
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  const sums = new Map<Intent, number>();
  let total = 0;
  for (let c = 0; c < logs.length; c++) {
    const w = Math.exp(((logs[c] as number) - max) / temperature);
    total += w;
    const intent = intents[c] as Intent;
    sums.set(intent, (sums.get(intent) ?? 0) + w);
  }
  const out = new Map<Intent, number>();
  for (const [intent, w] of sums) out.set(intent, Math.log(Math.max(w / total, 1e-300)));
  return out;
}

export class IntentScorer {
  readonly bayes: BayesScorer;
  readonly softmax: SoftmaxScorer;

  constructor(
    bayesTables: BayesTables,
    readonly softmaxModel: SoftmaxModel,
  ) {
    this.bayes = new BayesScorer(bayesTables);
    this.softmax = new SoftmaxScorer(softmaxModel);
  }

  raw(features: readonly string[]): RawScores {
    return { bayes: this.bayes.logScores(features), softmax: this.softmax.logProbs(features) };
  }

  /** Calibrated probability per intent, highest first. */
  rank(raw: RawScores, calibration: Calibration): Ranked[] {
    const nb = intentLogProbs(raw.bayes, this.bayes.intents, calibration.bayesTemperature);
    const labels = this.softmaxModel.labels;
    const combined = new Float64Array(labels.length);
    for (let c = 0; c < labels.length; c++) {
      const intent = labels[c] as Intent;
      combined[c] = (raw.softmax[c] as number) + calibration.bayesWeight * (nb.get(intent) ?? -700);
    }
    const probs = intentLogProbs(combined, labels, calibration.temperature);
    return [...probs.entries()]
      .map(([intent, lp]) => ({ intent, p: Math.exp(lp) }))
      .sort((a, b) => b.p - a.p);
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
