/**
 * Situation reading: which case of the case library (knowledge/cases) a message is about. A
 * softmax over the case ids and `none`, on the intent model's features, trained at build time on
 * the real-style examples: each case's describe lines, the real public phrasing and our lines in
 * its style that name a case (a real-style line that names none trains `none`). A situation is
 * reported only when the best case is likely enough; its confidence is the model's probability.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_SOFTMAX, SoftmaxScorer, trainSoftmax, type SoftmaxModel } from './softmaxModel';

/** The label of a real-style message about no case in particular. */
export const NO_SITUATION = 'none';

export interface SituationModel {
  softmax: SoftmaxModel<string>;
  /** A case is reported only at this probability or above (fitted on cross-validation). */
  minConfidence: number;
}

export interface SituationDoc {
  features: string[];
  text: string;
  case?: string;
}

/** The lowest bar a situation must clear, whatever cross-validation says. */
const FLOOR = 0.15;

function train(docs: SituationDoc[]): SoftmaxModel<string> {
  return trainSoftmax(
    docs.map((d) => ({ features: d.features, label: d.case ?? NO_SITUATION })),
    { ...DEFAULT_SOFTMAX, epochs: 20 },
  );
}

function foldOf(text: string, k: number): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) % k;
}

/**
 * The bar, fitted on cross-validation: the probability above which reporting the best case
 * makes the most readings right — the right case for a message about one, no case for a message
 * about none. A message is about a case or not as its training line says.
 */
function fitMinConfidence(docs: SituationDoc[], k = 5): number {
  const rows: { p: number; right: boolean; cased: boolean }[] = [];
  for (let fold = 0; fold < k; fold++) {
    const scorer = new SoftmaxScorer(train(docs.filter((d) => foldOf(d.text, k) !== fold)));
    for (const d of docs) {
      if (foldOf(d.text, k) !== fold) continue;
      const best = bestOf(scorer, d.features);
      // A reading of `none` is never reported, whatever its probability.
      const p = best.id === NO_SITUATION ? -1 : best.p;
      rows.push({ p, right: best.id === d.case, cased: d.case !== undefined });
    }
  }
  let bar = FLOOR;
  let bestScore = -1;
  for (let t = FLOOR; t <= 0.95; t += 0.025) {
    let score = 0;
    for (const r of rows) score += r.p >= t ? (r.right ? 1 : 0) : r.cased ? 0 : 1;
    if (score > bestScore) {
      bestScore = score;
      bar = t;
    }
  }
  return bar;
}

export function trainSituations(docs: SituationDoc[]): SituationModel {
  return { softmax: train(docs), minConfidence: fitMinConfidence(docs) };
}

function bestOf(scorer: SoftmaxScorer<string>, features: readonly string[]): { id: string; p: number } {
  const logs = scorer.logProbs(features);
  let best = 0;
  for (let c = 1; c < logs.length; c++) if ((logs[c] as number) > (logs[best] as number)) best = c;
  return { id: scorer.model.labels[best] ?? NO_SITUATION, p: Math.exp(logs[best] as number) };
}

export class SituationReader {
  private readonly scorer: SoftmaxScorer<string>;

  constructor(readonly model: SituationModel) {
    this.scorer = new SoftmaxScorer(model.softmax);
  }

  /** The best case for these features, or undefined when none is likely enough. */
  read(features: readonly string[]): { id: string; confidence: number } | undefined {
    const best = bestOf(this.scorer, features);
    if (best.id === NO_SITUATION || best.p < this.model.minConfidence) return undefined;
    return { id: best.id, confidence: Math.round(best.p * 1000) / 1000 };
  }

  /** Probability per case id (and `none`), for combining with the intent. */
  probabilities(features: readonly string[]): Map<string, number> {
    const logs = this.scorer.logProbs(features);
    const out = new Map<string, number>();
    this.scorer.model.labels.forEach((id, c) => out.set(id, Math.exp(logs[c] as number)));
    return out;
  }
}
