/**
 * The NLU model on disk (generated/nlu-model.json). Numbers are packed as base64 typed arrays
 * and feature tables as one joined string: the file then parses in a few milliseconds instead
 * of the half-second a JSON of a million small numbers and objects takes, which matters for
 * start-up (the model is read once at start, never retrained).
 */
import type { Intent, Lang } from '../knowledge/schema';
import type { BayesTables } from './bayesModel';
import type { LexiconData } from './features';
import type { Calibration, LanguageModel, NluModel } from './intentModel';
import type { SoftmaxModel } from './softmaxModel';

/** Feature strings never contain this character (they are built from words and tags). */
const SEP = '\u0000';

interface PackedLanguageModel {
  bayes: {
    labels: string[];
    totals: number[];
    smoothing: number;
    features: string;
    /** Int32 arrays, base64: the compressed sparse rows of the counts. */
    offsets: string;
    entryLabels: string;
    entryCounts: string;
  };
  softmax: PackedSoftmax<Intent>;
  calibration: Calibration;
  situations?: { softmax: PackedSoftmax<string>; minConfidence: number; intents?: Record<string, string> };
  acts?: {
    bayes: PackedBayes;
    softmax: PackedSoftmax<string>;
    negation: PackedSoftmax<string>;
    bayesWeight: number;
    bayesTemperature: number;
    reportAbove: number;
  };
}

type PackedBayes = PackedLanguageModel['bayes'];

interface PackedSoftmax<L extends string> {
  labels: L[];
  features: string;
  bias: number[];
  /** Float32 array, base64. */
  weights: string;
}

/** generated/nlu-model.json: what every language shares. Each language's model is a file of its own. */
export interface ModelMeta {
  version: number;
  dataHash: string;
  lexicon: LexiconData;
}

export function languageFile(lang: Lang): string {
  return `nlu-model.${lang}.json`;
}

export type { PackedLanguageModel };

function toBase64(array: Int32Array | Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function int32s(base64: string): Int32Array {
  const buf = Buffer.from(base64, 'base64');
  // Copy into an aligned buffer: Buffer slices from the pool may start at any offset.
  return new Int32Array(new Uint8Array(buf).buffer);
}

function float32s(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  return new Float32Array(new Uint8Array(buf).buffer);
}

function packBayes(t: BayesTables): PackedLanguageModel['bayes'] {
  return {
    labels: t.labels,
    totals: t.totals,
    smoothing: t.smoothing,
    features: t.features.join(SEP),
    offsets: toBase64(t.offsets),
    entryLabels: toBase64(t.entryLabels),
    entryCounts: toBase64(t.entryCounts),
  };
}

function unpackBayes(p: PackedLanguageModel['bayes']): BayesTables {
  return {
    labels: p.labels,
    totals: p.totals,
    smoothing: p.smoothing,
    features: p.features ? p.features.split(SEP) : [],
    offsets: int32s(p.offsets),
    entryLabels: int32s(p.entryLabels),
    entryCounts: int32s(p.entryCounts),
  };
}

function packSoftmax<L extends string>(m: SoftmaxModel<L>): PackedSoftmax<L> {
  return {
    labels: m.labels,
    features: m.features.join(SEP),
    bias: m.bias,
    weights: toBase64(Float32Array.from(m.weights)),
  };
}

function unpackSoftmax<L extends string>(p: PackedSoftmax<L>): SoftmaxModel<L> {
  return {
    labels: p.labels,
    features: p.features ? p.features.split(SEP) : [],
    bias: p.bias,
    weights: float32s(p.weights),
  };
}

export function packLanguage(m: LanguageModel): PackedLanguageModel {
  const packed: PackedLanguageModel = {
    bayes: packBayes(m.bayes),
    softmax: packSoftmax(m.softmax),
    calibration: m.calibration,
  };
  if (m.situations) {
    packed.situations = {
      softmax: packSoftmax(m.situations.softmax),
      minConfidence: m.situations.minConfidence,
      ...(m.situations.intents ? { intents: m.situations.intents } : {}),
    };
  }
  if (m.acts) {
    const a = m.acts;
    packed.acts = {
      bayes: packBayes(a.bayes),
      softmax: packSoftmax(a.softmax),
      negation: packSoftmax(a.negation),
      bayesWeight: a.bayesWeight,
      bayesTemperature: a.bayesTemperature,
      reportAbove: a.reportAbove,
    };
  }
  return packed;
}

export function unpackLanguage(p: PackedLanguageModel): LanguageModel {
  const model: LanguageModel = {
    bayes: unpackBayes(p.bayes),
    softmax: unpackSoftmax(p.softmax),
    calibration: p.calibration,
  };
  if (p.situations) {
    model.situations = {
      softmax: unpackSoftmax(p.situations.softmax),
      minConfidence: p.situations.minConfidence,
      ...(p.situations.intents ? { intents: p.situations.intents } : {}),
    };
  }
  if (p.acts) {
    const a = p.acts;
    model.acts = {
      bayes: unpackBayes(a.bayes),
      softmax: unpackSoftmax(a.softmax),
      negation: unpackSoftmax(a.negation),
      bayesWeight: a.bayesWeight,
      bayesTemperature: a.bayesTemperature,
      reportAbove: a.reportAbove,
    };
  }
  return model;
}

export function metaOf(model: NluModel): ModelMeta {
  return { version: model.version, dataHash: model.dataHash, lexicon: model.lexicon };
}
