/**
 * The NLU model on disk: generated/nlu-model.json (what both languages share) and one binary file
 * per language, generated/nlu-model.<lang>.bin: a small JSON header (labels, feature strings,
 * calibration) followed by the typed arrays (weights, counts) as raw little-endian bytes. Loading
 * is then reading one buffer and taking views of it: the earlier all-JSON file (base64 arrays,
 * 12 MB for English) spent most of `coach --json`'s start-up decoding its text (`npm run bench`,
 * cold start).
 */
import type { Intent, Lang } from '../knowledge/schema';
import type { BayesTables } from './bayesModel';
import type { LexiconData } from './features';
import type { Calibration, LanguageModel, NluModel } from './intentModel';
import type { SoftmaxModel } from './softmaxModel';

/** Feature strings never contain this character (they are built from words and tags). */
const SEP = '\u0000';

/** The first bytes of a language file, with the format's version. */
const MAGIC = 'NLU2';
/** Arrays start at a multiple of this (a Float64 view would need 8; Int32 and Float32 need 4). */
const ALIGN = 8;

/** A typed array in the data part of the file: its byte offset there and its length. */
interface ArrayRef {
  o: number;
  n: number;
}

interface PackedBayes {
  labels: string[];
  totals: number[];
  smoothing: number;
  features: string;
  offsets: ArrayRef;
  entryLabels: ArrayRef;
  entryCounts: ArrayRef;
}

interface PackedSoftmax<L extends string> {
  labels: L[];
  features: string;
  bias: number[];
  /** Float32. */
  weights: ArrayRef;
}

interface PackedLanguageModel {
  bayes: PackedBayes;
  softmax: PackedSoftmax<Intent>;
  calibration: Calibration;
  situations?: {
    softmax: PackedSoftmax<string>;
    minConfidence: number;
    agreeConfidence?: number;
    intents?: Record<string, string>;
    cues?: Record<string, string>;
  };
  acts?: {
    bayes: PackedBayes;
    softmax: PackedSoftmax<string>;
    negation: PackedSoftmax<string>;
    bayesWeight: number;
    bayesTemperature: number;
    reportAbove: number;
  };
}

/** generated/nlu-model.json: what every language shares. Each language's model is a file of its own. */
export interface ModelMeta {
  version: number;
  dataHash: string;
  lexicon: LexiconData;
}

export function languageFile(lang: Lang): string {
  return `nlu-model.${lang}.bin`;
}

/** A language file that cannot be read as one (truncated, another format): says why. */
class DamagedModelError extends Error {}

class ArrayWriter {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  add(array: Int32Array | Float32Array): ArrayRef {
    const ref = { o: this.size, n: array.length };
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    this.chunks.push(bytes);
    this.size += bytes.length;
    const pad = (ALIGN - (this.size % ALIGN)) % ALIGN;
    if (pad) {
      this.chunks.push(Buffer.alloc(pad));
      this.size += pad;
    }
    return ref;
  }

  data(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

class ArrayReader {
  constructor(private readonly data: Buffer) {}

  private bytes(ref: ArrayRef): { buffer: ArrayBuffer; offset: number } {
    if (!Number.isInteger(ref?.o) || !Number.isInteger(ref?.n) || ref.o < 0 || ref.n < 0)
      throw new DamagedModelError('an array reference is malformed');
    if (ref.o + ref.n * 4 > this.data.length) throw new DamagedModelError('the file is truncated');
    return { buffer: this.data.buffer as ArrayBuffer, offset: this.data.byteOffset + ref.o };
  }

  int32(ref: ArrayRef): Int32Array {
    const { buffer, offset } = this.bytes(ref);
    return new Int32Array(buffer, offset, ref.n);
  }

  float32(ref: ArrayRef): Float32Array {
    const { buffer, offset } = this.bytes(ref);
    return new Float32Array(buffer, offset, ref.n);
  }
}

function packBayes(t: BayesTables, w: ArrayWriter): PackedBayes {
  return {
    labels: t.labels,
    totals: t.totals,
    smoothing: t.smoothing,
    features: t.features.join(SEP),
    offsets: w.add(t.offsets),
    entryLabels: w.add(t.entryLabels),
    entryCounts: w.add(t.entryCounts),
  };
}

function unpackBayes(p: PackedBayes, r: ArrayReader): BayesTables {
  return {
    labels: p.labels,
    totals: p.totals,
    smoothing: p.smoothing,
    features: p.features ? p.features.split(SEP) : [],
    offsets: r.int32(p.offsets),
    entryLabels: r.int32(p.entryLabels),
    entryCounts: r.int32(p.entryCounts),
  };
}

function packSoftmax<L extends string>(m: SoftmaxModel<L>, w: ArrayWriter): PackedSoftmax<L> {
  return {
    labels: m.labels,
    features: m.features.join(SEP),
    bias: m.bias,
    weights: w.add(Float32Array.from(m.weights)),
  };
}

function unpackSoftmax<L extends string>(p: PackedSoftmax<L>, r: ArrayReader): SoftmaxModel<L> {
  return {
    labels: p.labels,
    features: p.features ? p.features.split(SEP) : [],
    bias: p.bias,
    weights: r.float32(p.weights),
  };
}

function packLanguage(m: LanguageModel, w: ArrayWriter): PackedLanguageModel {
  const packed: PackedLanguageModel = {
    bayes: packBayes(m.bayes, w),
    softmax: packSoftmax(m.softmax, w),
    calibration: m.calibration,
  };
  if (m.situations) {
    packed.situations = {
      softmax: packSoftmax(m.situations.softmax, w),
      minConfidence: m.situations.minConfidence,
      ...(m.situations.agreeConfidence !== undefined
        ? { agreeConfidence: m.situations.agreeConfidence }
        : {}),
      ...(m.situations.intents ? { intents: m.situations.intents } : {}),
      ...(m.situations.cues ? { cues: m.situations.cues } : {}),
    };
  }
  if (m.acts) {
    const a = m.acts;
    packed.acts = {
      bayes: packBayes(a.bayes, w),
      softmax: packSoftmax(a.softmax, w),
      negation: packSoftmax(a.negation, w),
      bayesWeight: a.bayesWeight,
      bayesTemperature: a.bayesTemperature,
      reportAbove: a.reportAbove,
    };
  }
  return packed;
}

function unpackLanguage(p: PackedLanguageModel, r: ArrayReader): LanguageModel {
  const model: LanguageModel = {
    bayes: unpackBayes(p.bayes, r),
    softmax: unpackSoftmax(p.softmax, r),
    calibration: p.calibration,
  };
  if (p.situations) {
    model.situations = {
      softmax: unpackSoftmax(p.situations.softmax, r),
      minConfidence: p.situations.minConfidence,
      ...(p.situations.agreeConfidence !== undefined
        ? { agreeConfidence: p.situations.agreeConfidence }
        : {}),
      ...(p.situations.intents ? { intents: p.situations.intents } : {}),
      ...(p.situations.cues ? { cues: p.situations.cues } : {}),
    };
  }
  if (p.acts) {
    const a = p.acts;
    model.acts = {
      bayes: unpackBayes(a.bayes, r),
      softmax: unpackSoftmax(a.softmax, r),
      negation: unpackSoftmax(a.negation, r),
      bayesWeight: a.bayesWeight,
      bayesTemperature: a.bayesTemperature,
      reportAbove: a.reportAbove,
    };
  }
  return model;
}

/** A language's model as the bytes of its file: magic, header length, header JSON, arrays. */
export function encodeLanguage(m: LanguageModel): Buffer {
  const w = new ArrayWriter();
  const header = Buffer.from(JSON.stringify(packLanguage(m, w)), 'utf8');
  const start = MAGIC.length + 4 + header.length;
  const pad = (ALIGN - (start % ALIGN)) % ALIGN;
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, MAGIC.length);
  return Buffer.concat([prefix, header, Buffer.alloc(pad), w.data()]);
}

/**
 * The model in a language file's bytes. The arrays are views of `bytes` (no copy); a buffer that
 * does not start on an aligned address is copied once so that they can be.
 */
export function decodeLanguage(bytes: Buffer): LanguageModel {
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new DamagedModelError('not an NLU model file of this version');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  if (start > bytes.length) throw new DamagedModelError('the file is truncated');
  let header: PackedLanguageModel;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, start)) as PackedLanguageModel;
  } catch (err) {
    throw new DamagedModelError((err as Error).message);
  }
  const dataStart = start + ((ALIGN - (start % ALIGN)) % ALIGN);
  let data = bytes.subarray(dataStart);
  if (data.byteOffset % ALIGN !== 0) data = Buffer.from(data);
  return unpackLanguage(header, new ArrayReader(data));
}

export function metaOf(model: NluModel): ModelMeta {
  return { version: model.version, dataHash: model.dataHash, lexicon: model.lexicon };
}
