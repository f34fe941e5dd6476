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
  softmax: { labels: Intent[]; features: string; bias: number[]; weights: string };
  calibration: Calibration;
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

export function packLanguage(m: LanguageModel): PackedLanguageModel {
  return {
    bayes: packBayes(m.bayes),
    softmax: {
      labels: m.softmax.labels,
      features: m.softmax.features.join(SEP),
      bias: m.softmax.bias,
      weights: toBase64(Float32Array.from(m.softmax.weights)),
    },
    calibration: m.calibration,
  };
}

export function unpackLanguage(p: PackedLanguageModel): LanguageModel {
  return {
    bayes: unpackBayes(p.bayes),
    softmax: {
      labels: p.softmax.labels,
      features: p.softmax.features ? p.softmax.features.split(SEP) : [],
      bias: p.softmax.bias,
      weights: float32s(p.softmax.weights),
    },
    calibration: p.calibration,
  };
}

export function metaOf(model: NluModel): ModelMeta {
  return { version: model.version, dataHash: model.dataHash, lexicon: model.lexicon };
}
