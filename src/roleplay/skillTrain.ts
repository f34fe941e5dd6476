/**
 * Build-time training of the skill model (skillModel.ts), also used by `npm run roleplay:eval`
 * and the tests: reads the labelled lines, featurises them, trains one softmax regression per
 * head (the project's own, src/nlu/softmaxModel.ts: six skills, three markers — binary — and
 * the act, eight classes), and calibrates each head on k-fold cross-validation of the training
 * lines only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGS, SCENARIOS } from '../knowledge/schema';
import { trainSoftmax, type SoftmaxModel } from '../nlu/softmaxModel';
import { sortOrder } from '../nlu/sortedIndex';
import { FEATURE_VERSION, lineFeatures, type FeatureOptions, type LineFeatures } from './skillFeatures';
import {
  ACTS,
  MARKERS,
  SKILLS,
  SKILL_MODEL_VERSION,
  SkillModel,
  type ActType,
  type HeadSpec,
  type Marker,
  type RawOutputs,
  type Skill,
  type SkillModelFile,
} from './skillModel';

/** Bumped when training changes (with FEATURE_VERSION and the data, it makes the model's hash). */
export const SKILL_TRAINING_VERSION = 1;

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

export function featureOptions(words: readonly string[]): FeatureOptions {
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

export const HEADS: HeadDef[] = [
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
  l2: number;
  /** Weight of a positive example of a binary head (positives are about one line in ten). */
  positiveWeight: number;
  folds: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  epochs: 40,
  learningRate: 0.1,
  l2: 1e-3,
  positiveWeight: 2,
  folds: 5,
};

function trainHead(docs: Doc[], head: HeadDef, o: TrainOptions): SoftmaxModel<string> {
  return trainSoftmax<string>(
    docs.map((d) => {
      const label = head.label(d.line);
      const weight = head.labels.length === 2 && label === 'yes' ? o.positiveWeight : 1;
      return { features: d.lf.features, label, weight };
    }),
    {
      epochs: o.epochs,
      learningRate: o.learningRate,
      l2: o.l2,
      seed: 7,
    },
  );
}

/** All heads in one matrix: one hash look-up per feature scores every head. */
function merge(
  models: { head: HeadDef; model: SoftmaxModel<string> }[],
  words: readonly string[],
  dataHash: string,
): SkillModelFile {
  const all = new Set<string>();
  for (const { model } of models) for (const f of model.features) all.add(f);
  const list = [...all];
  const features = sortOrder(list).map((i) => list[i] as string);
  const row = new Map(features.map((f, i) => [f, i]));
  const heads: HeadSpec[] = [];
  let columns = 0;
  for (const { head } of models) {
    heads.push({ name: head.name, labels: head.labels, offset: columns, a: 1, b: 0 });
    columns += head.labels.length;
  }
  const weights = new Float32Array(features.length * columns);
  const bias = new Array<number>(columns).fill(0);
  models.forEach(({ head, model }, h) => {
    const offset = (heads[h] as HeadSpec).offset;
    // The softmax may order its labels differently from ours.
    const map = head.labels.map((l) => (model.labels as string[]).indexOf(l));
    const L = model.labels.length;
    head.labels.forEach((_, c) => {
      const from = map[c] as number;
      bias[offset + c] = from >= 0 ? (model.bias[from] as number) : -20;
    });
    model.features.forEach((f, i) => {
      const r = row.get(f) as number;
      head.labels.forEach((_, c) => {
        const from = map[c] as number;
        if (from >= 0) weights[r * columns + offset + c] = model.weights[i * L + from] as number;
      });
    });
  });
  return {
    version: SKILL_MODEL_VERSION,
    featureVersion: FEATURE_VERSION,
    dataHash,
    words: [...words],
    features: features.join('\u0000'),
    columns,
    heads,
    bias,
    weights: Buffer.from(weights.buffer).toString('base64'),
  };
}

/** Uncalibrated model (every head a = 1, b = 0). */
function trainRaw(docs: Doc[], words: readonly string[], o: TrainOptions, dataHash = ''): SkillModelFile {
  return merge(
    HEADS.map((head) => ({ head, model: trainHead(docs, head, o) })),
    words,
    dataHash,
  );
}

/** Deterministic fold of a line (stable across runs). */
export function foldOf(text: string, k: number): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) % k;
}

export interface CvRow {
  doc: Doc;
  /** Binary heads: the raw logit z_yes − z_no. */
  logits: Record<string, number>;
  /** The act head's raw scores. */
  actScores: number[];
}

function rawScores(
  model: SkillModel,
  file: SkillModelFile,
  features: readonly string[],
): { logits: Record<string, number>; act: number[] } {
  // With a = 1, b = 0 the binary probability is σ(logit): invert it.
  const out = model.raw(features);
  const logits: Record<string, number> = {};
  for (const h of file.heads) {
    if (h.labels.length === 2) {
      const p = Math.min(1 - 1e-12, Math.max(1e-12, out.binary[h.name] as number));
      logits[h.name] = Math.log(p / (1 - p));
    }
  }
  const act = ACTS.map((a) => Math.log(Math.max(1e-300, out.act[a] ?? 0)));
  return { logits, act };
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
      const r = rawScores(model, file, doc.lf.features);
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
export function calibrateBinary(xs: number[], ys: number[]): { a: number; b: number; threshold: number } {
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

export interface Calibrated {
  heads: Record<string, { a: number; b: number; threshold?: number }>;
}

export function calibrate(rows: CvRow[]): Calibrated {
  const heads: Calibrated['heads'] = {};
  for (const head of HEADS) {
    if (head.labels.length !== 2) continue;
    const xs = rows.map((r) => r.logits[head.name] as number);
    const ys = rows.map((r) => (head.label(r.doc.line) === 'yes' ? 1 : 0));
    heads[head.name] = calibrateBinary(xs, ys);
  }
  heads.act = { a: actTemperature(rows), b: 0 };
  return { heads };
}

export function applyCalibration(file: SkillModelFile, cal: Calibrated): SkillModelFile {
  return {
    ...file,
    heads: file.heads.map((h) => {
      const c = cal.heads[h.name];
      return c ? { ...h, a: c.a, b: c.b } : h;
    }),
  };
}

/** Calibrated out-of-fold outputs, as the shipped model would give them (for the evaluation). */
export function calibratedCv(rows: CvRow[], cal: Calibrated): { doc: Doc; raw: RawOutputs }[] {
  return rows.map((r) => {
    const binary: Record<string, number> = {};
    for (const [name, x] of Object.entries(r.logits)) {
      const c = cal.heads[name] as { a: number; b: number };
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
