/**
 * Build-time training of the skill model (skillModel.ts), also used by `npm run roleplay:eval`
 * and the tests: reads the labelled lines, featurises them, trains one small multi-task network
 * (a shared hidden layer; a logit per skill and marker, scores for the act's eight classes) by
 * stochastic gradient descent with input dropout, and calibrates each head on k-fold
 * cross-validation of the training lines only. Deterministic: seeded shuffles and dropout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGS, SCENARIOS, type Lang } from '../knowledge/schema';
import { createRandom } from '../util/random';
import { sortOrder } from '../nlu/sortedIndex';
import { FEATURE_VERSION, lineFeatures, type FeatureOptions, type LineFeatures } from './skillFeatures';
import {
  ACTS,
  MARKERS,
  SKILLS,
  SKILL_MODEL_VERSION,
  SkillModel,
  forward,
  type ActType,
  type HeadSpec,
  type Marker,
  type RawOutputs,
  type Skill,
  type SkillModelFile,
} from './skillModel';

/** Bumped when training changes (with FEATURE_VERSION and the data, it makes the model's hash). */
const SKILL_TRAINING_VERSION = 3;

const lineSchema = z.object({
  text: z.string().trim().min(1),
  lang: z.enum(LANGS),
  scenario: z.enum(SCENARIOS),
  skills: z.array(z.enum(SKILLS)),
  markers: z.array(z.enum(MARKERS)),
  act: z.enum(ACTS),
  numbers: z.array(z.union([z.string(), z.number().transform(String)])).default([]),
  split: z.string().optional(),
});
export type SkillLine = z.infer<typeof lineSchema>;

export function loadSkillLines(file: string): SkillLine[] {
  const rows = parse(readFileSync(file, 'utf8')) as unknown[];
  return rows.map((row, i) => {
    const r = lineSchema.safeParse(row);
    if (!r.success) {
      throw new Error(
        `${file}: item ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
      );
    }
    return r.data;
  });
}

export interface Doc {
  line: SkillLine;
  lf: LineFeatures;
}

function featureOptions(words: readonly string[]): FeatureOptions {
  const set = new Set(words);
  return { words: set, maxWord: Math.max(1, ...[...set].map((w) => w.length)) };
}

export function featurize(lines: SkillLine[], words: readonly string[]): Doc[] {
  const opts = featureOptions(words);
  return lines.map((line) => ({ line, lf: lineFeatures(line.text, line.scenario, opts) }));
}

interface HeadDef {
  name: string;
  labels: string[];
  label: (l: SkillLine) => string;
}

const HEADS: HeadDef[] = [
  ...SKILLS.map((s: Skill) => ({
    name: `skill:${s}`,
    labels: ['no', 'yes'],
    label: (l: SkillLine) => (l.skills.includes(s) ? 'yes' : 'no'),
  })),
  ...MARKERS.map((m: Marker) => ({
    name: `marker:${m}`,
    labels: ['no', 'yes'],
    label: (l: SkillLine) => (l.markers.includes(m) ? 'yes' : 'no'),
  })),
  { name: 'act', labels: [...ACTS], label: (l: SkillLine) => l.act },
];

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** Learning rate kept after each epoch. */
  decay: number;
  l2: number;
  /** Width of the shared hidden layer. */
  hidden: number;
  /** Share of a line's features dropped at each training step. */
  dropout: number;
  /** Features seen in fewer training lines are left out (mostly one line's typos and names). */
  minCount: number;
  seed: number;
  /** Networks trained from different seeds and averaged. */
  ensemble: number;
  folds: number;
}

const DEFAULT_TRAIN: TrainOptions = {
  epochs: 30,
  learningRate: 0.05,
  decay: 0.93,
  l2: 1e-5,
  hidden: 64,
  dropout: 0.5,
  minCount: 2,
  seed: 11,
  // Three networks from different seeds vote: one network's held-out errors move by several
  // points with the seed alone; the average does not.
  ensemble: 3,
  folds: 5,
};

const BINARY_HEADS = HEADS.filter((h) => h.labels.length === 2);
const ACT_HEAD = HEADS.find((h) => h.name === 'act') as HeadDef;

/** Untrained network outputs: one per binary head, then one per act. */
function headSpecs(): { heads: HeadSpec[]; columns: number } {
  const heads: HeadSpec[] = BINARY_HEADS.map((h, i) => ({
    name: h.name,
    labels: h.labels,
    offset: i,
    a: 1,
    b: 0,
  }));
  heads.push({ name: ACT_HEAD.name, labels: ACT_HEAD.labels, offset: BINARY_HEADS.length, a: 1, b: 0 });
  return { heads, columns: BINARY_HEADS.length + ACT_HEAD.labels.length };
}

/** A trained network before its input weights are quantized for the model file. */
type FloatNet = Omit<SkillModelFile, 'hiddenWeights' | 'hiddenScale'> & { w1: Float32Array };

/**
 * The network, trained on `docs` (uncalibrated: every head a = 1, b = 0). With `ensemble` > 1,
 * that many networks from different seeds, averaged — stored as one network whose hidden layer is
 * theirs side by side and whose output weights are divided by their number. Cross-validation
 * scores with the same quantized weights as the shipped file, so its calibration fits them.
 */
function trainRaw(docs: Doc[], words: readonly string[], o: TrainOptions, dataHash = ''): SkillModelFile {
  if (o.ensemble <= 1) return quantize(trainNet(docs, words, o, dataHash));
  const nets = Array.from({ length: o.ensemble }, (_, k) =>
    trainNet(docs, words, { ...o, seed: o.seed + 101 * k }, dataHash),
  );
  const first = nets[0] as FloatNet;
  const H = first.hidden;
  const C = first.columns;
  const F = first.features ? first.features.split('\u0000').length : 0;
  const E = nets.length;
  const w1 = new Float32Array(F * H * E);
  const w2 = new Float32Array(H * E * C);
  const bias = new Array<number>(C).fill(0);
  const hiddenBias: number[] = [];
  nets.forEach((n, k) => {
    const b = float32s(n.weights);
    for (let f = 0; f < F; f++)
      for (let j = 0; j < H; j++) w1[f * H * E + k * H + j] = n.w1[f * H + j] as number;
    for (let j = 0; j < H; j++)
      for (let c = 0; c < C; c++) w2[(k * H + j) * C + c] = (b[j * C + c] as number) / E;
    n.bias.forEach((v, c) => (bias[c] = (bias[c] as number) + v / E));
    hiddenBias.push(...n.hiddenBias);
  });
  return quantize({
    ...first,
    hidden: H * E,
    hiddenBias,
    w1,
    bias,
    weights: Buffer.from(w2.buffer).toString('base64'),
  });
}

/**
 * Input weights as int8 with one scale per hidden unit: the file is a quarter of the size, so
 * the model loads in a quarter of the time, and a weight moves by at most 1/254 of its unit's
 * largest — well under what changes a decision.
 */
function quantize(net: FloatNet): SkillModelFile {
  const { w1, ...rest } = net;
  const H = net.hidden;
  const F = H ? w1.length / H : 0;
  const hiddenScale = new Array<number>(H).fill(0);
  for (let f = 0; f < F; f++)
    for (let j = 0; j < H; j++)
      hiddenScale[j] = Math.max(hiddenScale[j] as number, Math.abs(w1[f * H + j] as number));
  for (let j = 0; j < H; j++) hiddenScale[j] = Math.fround((hiddenScale[j] as number) / 127 || 1);
  const q = new Int8Array(w1.length);
  for (let f = 0; f < F; f++)
    for (let j = 0; j < H; j++)
      q[f * H + j] = Math.round((w1[f * H + j] as number) / (hiddenScale[j] as number));
  return { ...rest, hiddenScale, hiddenWeights: Buffer.from(q.buffer).toString('base64') };
}

function float32s(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  return new Float32Array(new Uint8Array(buf).buffer);
}

function trainNet(docs: Doc[], words: readonly string[], o: TrainOptions, dataHash: string): FloatNet {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.lf.features) df.set(f, (df.get(f) ?? 0) + 1);
  const list = [...df].filter(([, n]) => n >= o.minCount).map(([f]) => f);
  const features = sortOrder(list).map((i) => list[i] as string);
  const index = new Map(features.map((f, i) => [f, i]));
  const { heads, columns: C } = headSpecs();
  const NB = BINARY_HEADS.length;
  const H = o.hidden;
  const random = createRandom(o.seed);
  const init = (n: number): Float64Array => new Float64Array(n).map(() => (random.next() - 0.5) * 0.2);
  const net = {
    hidden: H,
    columns: C,
    hiddenBias: new Float64Array(H),
    hiddenWeights: init(features.length * H),
    bias: new Float64Array(C),
    weights: init(H * C),
  };
  const W1 = net.hiddenWeights;
  const W2 = net.weights;
  const encoded = docs.map((d) => ({
    x: d.lf.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined),
    y: BINARY_HEADS.map((h) => (h.label(d.line) === 'yes' ? 1 : 0)),
    act: ACT_HEAD.labels.indexOf(ACT_HEAD.label(d.line)),
  }));
  const order = encoded.map((_, i) => i);
  const h = new Float64Array(H);
  const gh = new Float64Array(H);
  const out = new Float64Array(C);
  const g = new Float64Array(C);
  let rate = o.learningRate;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const k of order) {
      const e = encoded[k] as (typeof encoded)[number];
      const x = e.x.filter(() => random.next() >= o.dropout);
      // Inverted dropout: the kept features count for the dropped ones, as at inference (1/√n).
      const scale = 1 / ((1 - o.dropout) * Math.sqrt(Math.max(1, e.x.length)));
      forward(net, x, scale, h, out);
      // Gradients of the losses (binary cross-entropy per head, cross-entropy for the act).
      for (let c = 0; c < NB; c++) g[c] = 1 / (1 + Math.exp(-(out[c] as number))) - (e.y[c] as number);
      let max = -Infinity;
      for (let c = NB; c < C; c++) max = Math.max(max, out[c] as number);
      let sum = 0;
      for (let c = NB; c < C; c++) {
        g[c] = Math.exp((out[c] as number) - max);
        sum += g[c] as number;
      }
      for (let c = NB; c < C; c++) g[c] = (g[c] as number) / sum - (c - NB === e.act ? 1 : 0);
      for (let j = 0; j < H; j++) {
        const v = h[j] as number;
        let back = 0;
        const at = j * C;
        for (let c = 0; c < C; c++) {
          back += (g[c] as number) * (W2[at + c] as number);
          if (v > 0)
            W2[at + c] =
              (W2[at + c] as number) - rate * ((g[c] as number) * v + o.l2 * (W2[at + c] as number));
        }
        gh[j] = v > 0 ? back : 0;
      }
      for (let c = 0; c < C; c++) net.bias[c] = (net.bias[c] as number) - rate * (g[c] as number);
      for (let j = 0; j < H; j++) {
        const gj = gh[j] as number;
        if (gj === 0) continue;
        net.hiddenBias[j] = (net.hiddenBias[j] as number) - rate * gj;
        for (const f of x) {
          const at = f * H + j;
          W1[at] = (W1[at] as number) - rate * (gj * scale + o.l2 * (W1[at] as number));
        }
      }
    }
    rate *= o.decay;
  }
  const b64 = (a: Float64Array): string => Buffer.from(Float32Array.from(a).buffer).toString('base64');
  return {
    version: SKILL_MODEL_VERSION,
    featureVersion: FEATURE_VERSION,
    dataHash,
    words: [...words],
    features: features.join('\u0000'),
    hidden: H,
    columns: C,
    heads,
    hiddenBias: [...net.hiddenBias],
    w1: Float32Array.from(W1),
    bias: [...net.bias],
    weights: b64(W2),
  };
}

/** Deterministic fold of a line (stable across runs). */
function foldOf(text: string, k: number): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) % k;
}

export interface CvRow {
  doc: Doc;
  /** Binary heads: the raw logit. */
  logits: Record<string, number>;
  /** The act head's raw scores. */
  actScores: number[];
}

function rawScores(
  model: SkillModel,
  features: readonly string[],
): { logits: Record<string, number>; act: number[] } {
  const z = model.outputs(features);
  const logits: Record<string, number> = {};
  for (const h of model.file.heads) if (h.labels.length === 2) logits[h.name] = z[h.offset] as number;
  const act = model.file.heads.find((h) => h.labels.length !== 2) as HeadSpec;
  return { logits, act: ACTS.map((_, c) => z[act.offset + c] as number) };
}

/**
 * k-fold cross-validation on the training lines: each line scored by a model that never saw it.
 * Folds are by a hash of the text unless `foldOfDoc` says otherwise (e.g. one fold per scenario).
 */
export function crossValidate(
  docs: Doc[],
  words: readonly string[],
  o: TrainOptions = DEFAULT_TRAIN,
  foldOfDoc: (d: Doc) => number = (d) => foldOf(d.line.text, o.folds),
): CvRow[] {
  const rows: CvRow[] = [];
  const folds = Math.max(0, ...docs.map(foldOfDoc)) + 1;
  for (let fold = 0; fold < folds; fold++) {
    const file = trainRaw(
      docs.filter((d) => foldOfDoc(d) !== fold),
      words,
      o,
    );
    const model = new SkillModel(file);
    for (const doc of docs) {
      if (foldOfDoc(doc) !== fold) continue;
      const r = rawScores(model, doc.lf.features);
      rows.push({ doc, logits: r.logits, actScores: r.act });
    }
  }
  return rows;
}

/** Platt scaling p = σ(a·x + b): Newton's method on the log-loss, with step halving. */
function platt(xs: number[], ys: number[]): { a: number; b: number } {
  const loss = (a: number, b: number): number => {
    let l = 0;
    for (let i = 0; i < xs.length; i++) {
      const m = a * (xs[i] as number) + b;
      // log(1 + e^m) − y·m, computed stably
      l += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - (ys[i] as number) * m;
    }
    return l + 1e-3 * (a * a + b * b);
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 2e-3 * a;
    let gb = 2e-3 * b;
    let haa = 2e-3;
    let hab = 0;
    let hbb = 2e-3;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const d = p - (ys[i] as number);
      const w = p * (1 - p);
      ga += d * x;
      gb += d;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-4) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const gain = current - next;
    current = next;
    if (gain < 1e-10) break;
  }
  return { a, b };
}

/**
 * The decision point of a binary head: the calibrated probability that maximises F1 in
 * cross-validation (the middle of the best plateau), folded into b so that 0.5 decides.
 */
function calibrateBinary(xs: number[], ys: number[]): { a: number; b: number; threshold: number } {
  const { a, b } = platt(xs, ys);
  const ps = xs.map((x) => 1 / (1 + Math.exp(-(a * x + b))));
  const candidates = [...new Set(ps.map((p) => Math.round(p * 1000) / 1000))].sort((x, y) => x - y);
  let bestF1 = -1;
  let bestLo = 0.5;
  let bestHi = 0.5;
  for (const t of candidates) {
    if (t < 0.1 || t > 0.9) continue;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    ps.forEach((p, i) => {
      const yes = p >= t;
      if (yes && ys[i]) tp++;
      else if (yes) fp++;
      else if (ys[i]) fn++;
    });
    // The targets ask for precision and recall both high: the worse of the two decides, F1 breaks ties.
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    const score = tp === 0 ? f1 : Math.min(tp / (tp + fp), tp / (tp + fn)) + 1e-3 * f1;
    if (score > bestF1 + 1e-12) {
      bestF1 = score;
      bestLo = t;
      bestHi = t;
    } else if (Math.abs(score - bestF1) <= 1e-12) bestHi = t;
  }
  // Any threshold in (previous candidate, bestHi] gives the same decisions; take the middle of the plateau.
  const threshold = Math.min(0.9, Math.max(0.1, (bestLo + bestHi) / 2));
  return { a, b: b - Math.log(threshold / (1 - threshold)), threshold };
}

/** The act head's temperature: minimises the cross-validated log-loss over a small grid. */
function actTemperature(rows: CvRow[]): number {
  let best = { a: 1, loss: Infinity };
  for (let a = 0.3; a <= 2.5; a += 0.05) {
    let loss = 0;
    for (const r of rows) {
      const s = r.actScores.map((v) => v * a);
      const max = Math.max(...s);
      const sum = s.reduce((acc, v) => acc + Math.exp(v - max), 0);
      const truth = ACTS.indexOf(r.doc.line.act);
      loss -= (s[truth] as number) - max - Math.log(sum);
    }
    if (loss < best.loss) best = { a, loss };
  }
  return best.a;
}

interface HeadCalibration {
  a: number;
  b: number;
  threshold?: number;
}

export interface Calibrated {
  /** Binary heads also per language (see HeadSpec.byLang). */
  heads: Record<string, HeadCalibration & { byLang?: Partial<Record<Lang, HeadCalibration>> }>;
}

export function calibrate(rows: CvRow[]): Calibrated {
  const heads: Calibrated['heads'] = {};
  for (const head of HEADS) {
    if (head.labels.length !== 2) continue;
    const fit = (of: CvRow[]): HeadCalibration =>
      calibrateBinary(
        of.map((r) => r.logits[head.name] as number),
        of.map((r) => (head.label(r.doc.line) === 'yes' ? 1 : 0)),
      );
    const byLang: Partial<Record<Lang, HeadCalibration>> = {};
    for (const lang of LANGS) {
      const of = rows.filter((r) => r.doc.line.lang === lang);
      if (of.some((r) => head.label(r.doc.line) === 'yes')) byLang[lang] = fit(of);
    }
    heads[head.name] = { ...fit(rows), byLang };
  }
  heads.act = { a: actTemperature(rows), b: 0 };
  return { heads };
}

function applyCalibration(file: SkillModelFile, cal: Calibrated): SkillModelFile {
  return {
    ...file,
    heads: file.heads.map((h) => {
      const c = cal.heads[h.name];
      if (!c) return h;
      const byLang = c.byLang
        ? Object.fromEntries(Object.entries(c.byLang).map(([l, x]) => [l, { a: x.a, b: x.b }]))
        : undefined;
      return { ...h, a: c.a, b: c.b, ...(byLang ? { byLang } : {}) };
    }),
  };
}

/** Calibrated out-of-fold outputs, as the shipped model would give them (for the evaluation). */
export function calibratedCv(rows: CvRow[], cal: Calibrated): { doc: Doc; raw: RawOutputs }[] {
  return rows.map((r) => {
    const binary: Record<string, number> = {};
    for (const [name, x] of Object.entries(r.logits)) {
      const head = cal.heads[name] as Calibrated['heads'][string];
      const c = head.byLang?.[r.doc.line.lang] ?? head;
      binary[name] = 1 / (1 + Math.exp(-(c.a * x + c.b)));
    }
    const a = (cal.heads.act as { a: number }).a;
    const s = r.actScores.map((v) => v * a);
    const max = Math.max(...s);
    const e = s.map((v) => Math.exp(v - max));
    const sum = e.reduce((x, y) => x + y, 0);
    const act = {} as Record<ActType, number>;
    ACTS.forEach((k, i) => (act[k] = (e[i] as number) / sum));
    return { doc: r.doc, raw: { binary, act } };
  });
}

export function hashSkillData(lines: SkillLine[], words: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`v${SKILL_MODEL_VERSION}.${FEATURE_VERSION}.${SKILL_TRAINING_VERSION}\n`);
  h.update(JSON.stringify(words));
  for (const l of lines)
    h.update(JSON.stringify([l.text, l.lang, l.scenario, l.skills, l.markers, l.act]) + '\n');
  return h.digest('hex').slice(0, 16);
}

export function trainSkillModel(
  lines: SkillLine[],
  words: readonly string[],
  o: TrainOptions = DEFAULT_TRAIN,
): { file: SkillModelFile; cv: CvRow[]; calibration: Calibrated } {
  const docs = featurize(lines, words);
  const cv = crossValidate(docs, words, o);
  const calibration = calibrate(cv);
  const file = applyCalibration(trainRaw(docs, words, o, hashSkillData(lines, words)), calibration);
  return { file, cv, calibration };
}
