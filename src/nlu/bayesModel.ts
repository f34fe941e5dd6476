/**
 * The Bayes half of the intent model: `natural`'s BayesClassifier, fed our own features instead
 * of its English-only tokens. natural multiplies probabilities, which underflows on long
 * messages and is not a probability anyway; we read its trained counts and score in log space.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import type { Intent } from '../knowledge/schema';
import { labelToIntent } from './trainingData';

/** natural's classifier with our feature lists as sparse observations. */
class FeatureBayes extends BayesClassifier {
  // natural's base turns text into a dense vector over the whole vocabulary (slow, English
  // only); a plain object is the sparse form its Bayes implementation also accepts.
  override textToFeatures(observation: string | string[]): number[] {
    const sparse: Record<string, string> = {};
    (Array.isArray(observation) ? observation : [observation]).forEach((f, i) => (sparse[i] = f));
    return sparse as unknown as number[];
  }
}

/** The trained counts of one language's model: natural's Bayes state, made plain. */
export interface BayesCounts {
  classFeatures: Record<string, Record<string, number>>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
}

export function trainBayes(docs: { features: string[]; label: string }[]): BayesCounts {
  const classifier = new FeatureBayes();
  for (const d of docs) classifier.addDocument(d.features, d.label);
  classifier.train();
  const inner = classifier.classifier as unknown as BayesCounts;
  return {
    classFeatures: inner.classFeatures,
    classTotals: inner.classTotals,
    totalExamples: inner.totalExamples,
    smoothing: inner.smoothing,
  };
}

export class BayesScorer {
  /** The intent of each training label (out-of-scope themes are labels of their own). */
  readonly intents: Intent[];
  private readonly logPrior: Float64Array;
  private readonly logTotal: Float64Array;
  private readonly counts: Record<string, number>[];
  private readonly vocabulary: Set<string>;

  constructor(readonly model: BayesCounts) {
    const labels = Object.keys(model.classFeatures);
    this.intents = labels.map(labelToIntent);
    // Priors: every intent equally likely, out_of_scope counting as one intent whose mass is
    // shared by its many themes. natural's priors follow the example counts instead, which would
    // let ten thousand off-domain rows outvote a greeting.
    const themes = this.intents.filter((i) => i === 'out_of_scope').length;
    const intentCount = new Set(this.intents).size;
    this.logPrior = Float64Array.from(
      this.intents.map((i) => -Math.log(intentCount) - (i === 'out_of_scope' ? Math.log(themes) : 0)),
    );
    this.logTotal = Float64Array.from(labels.map((l) => Math.log(model.classTotals[l] ?? 1)));
    this.counts = labels.map((l) => model.classFeatures[l] ?? {});
    this.vocabulary = new Set(this.counts.flatMap((f) => Object.keys(f)));
  }

  /** Log scores per training label (features never seen in training are ignored). */
  logScores(features: readonly string[]): Float64Array {
    const known = features.filter((f) => this.vocabulary.has(f));
    const { smoothing } = this.model;
    const scores = Float64Array.from(this.logPrior);
    for (let c = 0; c < this.counts.length; c++) {
      const counts = this.counts[c] as Record<string, number>;
      let s = 0;
      for (const f of known) s += Math.log(counts[f] ?? smoothing);
      scores[c] = (scores[c] as number) + s - known.length * (this.logTotal[c] as number);
    }
    return scores;
  }
}
