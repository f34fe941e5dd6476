/**
 * The role-play skill model: what one user line in a role-play shows (CONTRACTS §8) — the six
 * skills of seed 五.1–五.4, 四.2 and 六.4 (data, cases, mutual_benefit, joint_solution, respect,
 * flexibility), three markers (threat, insult, demand), a dialogue act (accept, reject, counter …)
 * and the numbers with what they are (a rate, an amount …) and what they do (data or an ask).
 *
 * Trained at build time (scripts/trainSkills.ts → generated/skill-model.json) on
 * knowledge/roleplay/skills/skills-train.yaml: one small multi-task network — the features of
 * skillFeatures.ts (character bigrams and lexicon words for Chinese, stems and stem bigrams for
 * English, hand-made cues) summed into a shared hidden layer (ReLU), and from it a logit per skill
 * and marker and the act's eight scores. The shared layer is what lets a wording seen for one skill
 * or in one scenario carry over to another; trained with input dropout, so that no single n-gram
 * decides a line; three such networks from different seeds, averaged. Binary heads are calibrated
 * on cross-validation of the training lines, per language (Platt scaling, decision point chosen
 * there). Loaded once, lazily; analysing a line is its features plus some ten thousand
 * multiply-adds.
 *
 * Rules applied after the classifiers (the labelling guide's, CONTRACTS §8):
 * - a skill not shown is 0 (a confidence below the decision point is reported as 0);
 * - a demand is not data: a line whose only numbers are asked for ("赔我五万", "降到0.3%") and
 *   that names no record, document or volume shows no data;
 * - a threat is not a case: a threatening line shows a case only with a real precedent (someone
 *   who got something);
 * - politeness inside a hostile line (a threat or an insult) is not respect.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang, Scenario } from '../knowledge/schema';
import { generatedDir } from '../util/paths';
import {
  lineFeatures,
  type FeatureOptions,
  type LineFeatures,
  type NumberKind,
  type NumberRole,
} from './skillFeatures';

export const SKILLS = [
  'data',
  'cases',
  'mutual_benefit',
  'joint_solution',
  'respect',
  'flexibility',
] as const;
export type Skill = (typeof SKILLS)[number];
export const MARKERS = ['threat', 'insult', 'demand'] as const;
export type Marker = (typeof MARKERS)[number];
export const ACTS = ['accept', 'reject', 'counter', 'question', 'propose', 'argue', 'end', 'other'] as const;
export type ActType = (typeof ACTS)[number];

export interface LineContext {
  /** The representative's standing offer, if any (a fees rate in percent, e.g. 0.5). */
  repOffer?: number | null;
}

interface LineNumber {
  value: number;
  kind: NumberKind;
  role: NumberRole;
}

export interface LineAnalysis {
  /** Confidence per skill, 0–1; 0 when the line does not show the skill. */
  skills: Record<Skill, number>;
  /** Confidence per marker, 0–1; 0 when the line does not carry it. */
  markers: Record<Marker, number>;
  act: { type: ActType; confidence: number };
  numbers: LineNumber[];
}

export const SKILL_MODEL_FILE = 'skill-model.json';
export const SKILL_MODEL_VERSION = 3;

/** A head's probability is shown (≥ 0.5) or not; below, the reported confidence is 0. */
const DECISION = 0.5;

export interface HeadSpec {
  name: string;
  /** Binary heads: ['no', 'yes']. */
  labels: string[];
  /** First output of this head (a binary head has one output, its logit; the act one per act). */
  offset: number;
  /**
   * Binary heads: p = σ(a · logit + b), fitted on cross-validation and shifted so that p = 0.5 is
   * the decision point chosen there. Multi-class heads: a temperature (a) only.
   */
  a: number;
  b: number;
  /**
   * Binary heads: the same calibration fitted on each language's lines alone (a and b above are
   * for a language without one). The network is surer of one language's wordings than the
   * other's, so one decision point for both would favour precision in one and recall in the other.
   */
  byLang?: Partial<Record<Lang, { a: number; b: number }>>;
}

/** generated/skill-model.json */
export interface SkillModelFile {
  version: number;
  featureVersion: number;
  dataHash: string;
  /** Chinese domain words kept whole. */
  words: string[];
  /** Sorted, joined with \u0000. */
  features: string;
  /** Width of the shared hidden layer. */
  hidden: number;
  /** Outputs: one per binary head, then one per act. */
  columns: number;
  heads: HeadSpec[];
  /**
   * Hidden layer: bias (hidden) and Int8 weights (features × hidden, row-major, base64), each
   * times its hidden unit's scale.
   */
  hiddenBias: number[];
  hiddenWeights: string;
  hiddenScale: number[];
  /** Output layer: bias (columns) and Float32 weights (hidden × columns, row-major, base64). */
  bias: number[];
  weights: string;
}

const SEP = '\u0000';

function float32s(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  return new Float32Array(new Uint8Array(buf).buffer);
}

function int8s(base64: string, scale: readonly number[]): Float32Array {
  const q = new Int8Array(new Uint8Array(Buffer.from(base64, 'base64')).buffer);
  const H = scale.length;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = (q[i] as number) * (scale[i % H] as number);
  return out;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Outputs of every head for one line, before the rules. */
export interface RawOutputs {
  /** Probability per binary head (by head name). */
  binary: Record<string, number>;
  /** Probabilities per act, index-aligned with the act head's labels. */
  act: Record<ActType, number>;
}

/**
 * The network's outputs for a line's known features (indices into the feature list): the hidden
 * layer is ReLU(bias + Σ rows / √n) over the n known features, the outputs a linear map of it.
 * Shared by training and the shipped model, so both compute exactly the same thing.
 */
export function forward(
  net: {
    hidden: number;
    columns: number;
    hiddenBias: ArrayLike<number>;
    hiddenWeights: ArrayLike<number>;
    bias: ArrayLike<number>;
    weights: ArrayLike<number>;
  },
  rows: readonly number[],
  scale: number,
  h: Float64Array,
  out: Float64Array,
): void {
  const H = net.hidden;
  const C = net.columns;
  const W1 = net.hiddenWeights;
  const W2 = net.weights;
  for (let j = 0; j < H; j++) h[j] = net.hiddenBias[j] as number;
  for (const r of rows) {
    const at = r * H;
    for (let j = 0; j < H; j++) h[j] = (h[j] as number) + (W1[at + j] as number) * scale;
  }
  for (let c = 0; c < C; c++) out[c] = net.bias[c] as number;
  for (let j = 0; j < H; j++) {
    const v = h[j] as number;
    if (v <= 0) {
      h[j] = 0;
      continue;
    }
    const at = j * C;
    for (let c = 0; c < C; c++) out[c] = (out[c] as number) + v * (W2[at + c] as number);
  }
}

export class SkillModel {
  private readonly index = new Map<string, number>();
  private readonly net: Parameters<typeof forward>[0];
  private readonly options: FeatureOptions;
  private readonly h: Float64Array;
  private readonly out: Float64Array;

  constructor(readonly file: SkillModelFile) {
    const features = file.features ? file.features.split(SEP) : [];
    for (let i = 0; i < features.length; i++) this.index.set(features[i] as string, i);
    this.net = {
      hidden: file.hidden,
      columns: file.columns,
      hiddenBias: file.hiddenBias,
      hiddenWeights: int8s(file.hiddenWeights, file.hiddenScale),
      bias: file.bias,
      weights: float32s(file.weights),
    };
    const words = new Set(file.words);
    this.options = { words, maxWord: Math.max(1, ...[...words].map((w) => w.length)) };
    this.h = new Float64Array(file.hidden);
    this.out = new Float64Array(file.columns);
  }

  features(text: string, scenario: Scenario): LineFeatures {
    return lineFeatures(text, scenario, this.options);
  }

  /** The raw outputs (logits and act scores) for one featurised line. */
  outputs(features: readonly string[]): Float64Array {
    const rows: number[] = [];
    for (const f of features) {
      const i = this.index.get(f);
      if (i !== undefined) rows.push(i);
    }
    forward(this.net, rows, 1 / Math.sqrt(Math.max(1, rows.length)), this.h, this.out);
    return this.out;
  }

  /** Every head's probabilities for one featurised line (calibrated for its language, if given). */
  raw(features: readonly string[], lang?: Lang): RawOutputs {
    return headsOf(this.file.heads, this.outputs(features), lang);
  }

  analyze(text: string, lang: Lang, scenario: Scenario, context?: LineContext): LineAnalysis {
    // One network for both languages (their words differ, their cues are shared); the
    // calibration of its outputs is per language.
    const lf = this.features(text, scenario);
    return decideLine(this.raw(lf.features, lang), lf, context);
  }
}

/** Each head's probabilities from the network's outputs (calibration applied). */
function headsOf(heads: readonly HeadSpec[], z: ArrayLike<number>, lang?: Lang): RawOutputs {
  const binary: Record<string, number> = {};
  const act = {} as Record<ActType, number>;
  for (const h of heads) {
    if (h.labels.length === 2) {
      const c = (lang && h.byLang?.[lang]) || h;
      binary[h.name] = sigmoid(c.a * (z[h.offset] as number) + c.b);
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < h.labels.length; c++) max = Math.max(max, (z[h.offset + c] as number) * h.a);
    let sum = 0;
    const e = h.labels.map((_, c) => {
      const v = Math.exp((z[h.offset + c] as number) * h.a - max);
      sum += v;
      return v;
    });
    h.labels.forEach((l, c) => (act[l as ActType] = (e[c] as number) / sum));
  }
  return { binary, act };
}

const shown = (p: number): number => (p >= DECISION ? Math.round(p * 1000) / 1000 : 0);

/** The rules of the labelling guide on top of the classifiers' probabilities (see the header). */
export function decideLine(raw: RawOutputs, lf: LineFeatures, context?: LineContext): LineAnalysis {
  const p = (name: string): number => raw.binary[name] ?? 0;
  const cue = (c: string): boolean => lf.cues.has(c);
  const markers: Record<Marker, number> = {
    threat: shown(p('marker:threat')),
    insult: shown(p('marker:insult')),
    demand: shown(p('marker:demand')),
  };
  const skills = {} as Record<Skill, number>;
  for (const s of SKILLS) skills[s] = shown(p(`skill:${s}`));
  const hostile = markers.threat > 0 || markers.insult > 0;
  if (hostile) skills.respect = 0;
  if (skills.data > 0 && cue('n_only_ask') && !cue('docs') && !cue('volume')) skills.data = 0;
  if (
    skills.cases > 0 &&
    markers.threat > 0 &&
    !(cue('peer_got') || cue('past_got') || cue('competitor_got'))
  )
    skills.cases = 0;

  // The act: the most probable; a line that proposes an arrangement is a proposal.
  let type: ActType = 'other';
  let best = -1;
  for (const a of ACTS) {
    const v = raw.act[a] ?? 0;
    if (v > best) {
      best = v;
      type = a;
    }
  }
  // Two act rules on top of the classifier, for the moves the role-play turns on:
  // - acceptance on a condition ("只要周五前到账，我就接受", "if it's in writing, I'll accept 0.5%")
  //   is an acceptance, whatever else the line proposes;
  // - a line that names a number it asks for ("0.5太高了，0.45行不行？", "could you do 0.46?")
  //   is a counter-offer, not a rejection or a question.
  // A rule takes over the top probability as its confidence.
  const hostileLine = markers.threat > 0 || markers.insult > 0;
  const asks = lf.numbers.some((n) => n.ask && (n.kind === 'rate' || n.kind === 'amount'));
  if (cue('condAccept') && !hostileLine && !cue('rejectStrong')) type = 'accept';
  else if (
    asks &&
    !hostileLine &&
    cue('counter_ask') &&
    (type === 'reject' || type === 'question' || type === 'other' || type === 'argue')
  )
    type = 'counter';
  const act = { type, confidence: Math.round(Math.max(best, raw.act[type] ?? 0) * 1000) / 1000 };

  const numbers: LineNumber[] = lf.numbers.map((n) => {
    let role: NumberRole = 'other';
    // In a counter-offer with no number read as an ask, its own rates and amounts are the ask.
    if (
      n.ask ||
      (act.type === 'counter' && !asks && !n.attributed && (n.kind === 'rate' || n.kind === 'amount'))
    )
      role = 'ask';
    else if ((skills.data > 0 || skills.cases > 0) && n.kind !== 'other' && !n.trivial) role = 'data';
    // Taking the representative's own number is not asking for it.
    const offer = context?.repOffer ?? null;
    if (role === 'ask' && act.type === 'accept' && offer !== null && Math.abs(n.value - offer) < 1e-9)
      role = 'other';
    return { value: n.value, kind: n.kind, role };
  });
  return { skills, markers, act, numbers };
}

export function readSkillModel(dir = generatedDir()): SkillModelFile {
  const file = join(dir, SKILL_MODEL_FILE);
  if (!existsSync(file)) throw new Error(`skill model not found at ${file}; run \`npm run build\``);
  let model: SkillModelFile;
  try {
    model = JSON.parse(readFileSync(file, 'utf8')) as SkillModelFile;
  } catch (err) {
    throw new Error(`skill model ${file} is damaged (${(err as Error).message}); run \`npm run build\``);
  }
  if (model.version !== SKILL_MODEL_VERSION) {
    throw new Error(
      `skill model ${file} is version ${model.version}, expected ${SKILL_MODEL_VERSION}; run \`npm run build\``,
    );
  }
  return model;
}

let cached: SkillModel | undefined;

/** One skill model per process, read the first time a line is analysed. */
export function loadSkillModel(): SkillModel {
  if (!cached) cached = new SkillModel(readSkillModel());
  return cached;
}

/** What one role-play line shows (see the header). */
export function analyzeLine(
  text: string,
  lang: Lang,
  scenario: Scenario,
  context?: LineContext,
): LineAnalysis {
  return loadSkillModel().analyze(text, lang, scenario, context);
}
