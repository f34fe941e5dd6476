/**
 * The Bayes half of the intent model: `natural`'s BayesClassifier, fed our own features instead
 * of its English-only tokens. natural multiplies probabilities, which underflows on long
 * messages and is not a probability anyway; we read its trained counts and score in log space.
 */
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import type { Intent } from '../knowledge/schema';
import { labelToIntent } from './labels';
import { indexOf } from './sortedIndex';

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

/**
 * natural's trained counts in the form scoring wants: the features sorted (looked up by binary
 * search), and for each feature the labels it was seen with and how often (compressed sparse
 * rows). Built from natural's state after training, or read straight from the model file.
 */
export interface BayesTables {
  labels: string[];
  totals: number[];
  smoothing: number;
  /** Sorted. */
  features: string[];
  /** Entries of feature i are offsets[i] … offsets[i + 1] - 1. */
  offsets: Int32Array;
  entryLabels: Int32Array;
  entryCounts: Int32Array;
}

export function tablesFromCounts(model: BayesCounts): BayesTables {
  const labels = Object.keys(model.classFeatures);
  const byFeature = new Map<string, [number, number][]>();
  labels.forEach((label, c) => {
    for (const [feature, count] of Object.entries(model.classFeatures[label] ?? {})) {
      const list = byFeature.get(feature) ?? [];
      list.push([c, count]);
      byFeature.set(feature, list);
    }
  });
  const features = [...byFeature.keys()].sort();
  const offsets = new Int32Array(features.length + 1);
  const total = [...byFeature.values()].reduce((n, l) => n + l.length, 0);
  const entryLabels = new Int32Array(total);
  const entryCounts = new Int32Array(total);
  let at = 0;
  features.forEach((f, i) => {
    offsets[i] = at;
    for (const [c, n] of byFeature.get(f) ?? []) {
      entryLabels[at] = c;
      entryCounts[at] = n;
      at++;
    }
  });
  offsets[features.length] = at;
  return {
    labels,
    totals: labels.map((l) => model.classTotals[l] ?? 1),
    smoothing: model.smoothing,
    features,
    offsets,
    entryLabels,
    entryCounts,
  };
}

export class BayesScorer {
  /** The intent of each training label (out-of-scope themes are labels of their own). */
  readonly intents: Intent[];
  private readonly logPrior: Float64Array;
  private readonly logTotal: Float64Array;
  /** log(count) − log(smoothing) per entry: what a seen feature adds over an unseen one. */
  private readonly gain: Float32Array;
  private readonly logSmoothing: number;
  /** Feature → row. Built when the language is first used (milliseconds), it makes a lookup a
   * hash probe instead of a binary search over tens of thousands of strings. */
  private readonly index: Map<string, number>;

  constructor(readonly tables: BayesTables) {
    this.index = indexOf(tables.features);
    this.intents = tables.labels.map(labelToIntent);
    // Priors: every intent equally likely, out_of_scope counting as one intent whose mass is
    // shared by its many themes. natural's priors follow the example counts instead, which would
    // let ten thousand off-domain rows outvote a greeting.
    const themes = this.intents.filter((i) => i === 'out_of_scope').length;
    const intentCount = new Set(this.intents).size;
    this.logPrior = Float64Array.from(
      this.intents.map((i) => -Math.log(intentCount) - (i === 'out_of_scope' ? Math.log(themes) : 0)),
    );
    this.logTotal = Float64Array.from(tables.totals.map((t) => Math.log(t)));
    this.logSmoothing = Math.log(tables.smoothing);
    this.gain = new Float32Array(tables.entryCounts.length);
    for (let k = 0; k < tables.entryCounts.length; k++) {
      this.gain[k] = Math.log(tables.entryCounts[k] as number) - this.logSmoothing;
    }
  }

  /** Log scores per training label (features never seen in training are ignored). */
  logScores(features: readonly string[]): Float64Array {
    const { offsets, entryLabels } = this.tables;
    const known: number[] = [];
    for (const f of features) {
      const i = this.index.get(f) ?? -1;
      if (i >= 0) known.push(i);
    }
    const scores = new Float64Array(this.logPrior.length);
    for (let c = 0; c < scores.length; c++) {
      // Every known feature as if unseen in this label…
      scores[c] =
        (this.logPrior[c] as number) + known.length * (this.logSmoothing - (this.logTotal[c] as number));
    }
    // …then what the labels it was seen with gain over that.
    for (const i of known) {
      for (let k = offsets[i] as number; k < (offsets[i + 1] as number); k++) {
        const c = entryLabels[k] as number;
        scores[c] = (scores[c] as number) + (this.gain[k] as number);
      }
    }
    return scores;
  }
}
