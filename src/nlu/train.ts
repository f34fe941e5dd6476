/**
 * Build-time training: features for every example; per language, natural's Bayes model and a
 * softmax regression; and the calibration — how much each opinion counts, the temperatures and
 * the reject threshold — fitted on k-fold cross-validation so that confidences mean what they
 * say. Also used by `npm run nlu:eval`.
 */
import { createHash } from 'node:crypto';
import { detectLang } from '../i18n/detectLang';
import type { Intent, Lang } from '../knowledge/schema';
import { tablesFromCounts, trainBayes } from './bayesModel';
import { FeatureExtractor, type LexiconData } from './features';
import {
  IntentScorer,
  NLU_MODEL_VERSION,
  type Calibration,
  type LanguageModel,
  type NluModel,
  type RawScores,
} from './intentModel';
import { actFeatures, actLabel, trainActs, type ActExample, type ActTrainingDoc } from './acts';
import { trainSituations, type SituationDoc } from './situation';
import { DEFAULT_SOFTMAX, trainSoftmax, type SoftmaxModel } from './softmaxModel';
import { OOS_PREFIX } from './labels';
import { labelToIntent, type CaseCues, type Example } from './trainingData';

/** Bumped when features or training change, so that an old model file is retrained. */
const TRAINING_VERSION = 12;

export interface Doc {
  features: string[];
  label: string;
  text: string;
  /** A real-style message (see Example.real): weighs REAL_WEIGHT in training. */
  real?: boolean;
  case?: string;
}

/**
 * How much a real-style example weighs next to a chatbot-style one in the softmax. Real messages
 * are long and use other words; at full weight they pull short chatbot questions ("should I
 * meet them halfway") towards the intents of the real lines that share a word, and the coach's
 * routing of reworded questions suffers. Half weight keeps most of what they teach.
 */
const REAL_WEIGHT = 0.5;
/**
 * In-domain real-style lines stay out of the Bayes half, the steadier opinion on short chatbot
 * messages; out-of-scope ones (near-misses: the app's theme, Ant Group's shares, other apps'
 * risk control) are in it, to hold the border.
 */
function inBayes(d: Doc): boolean {
  return !d.real || labelToIntent(d.label) === 'out_of_scope';
}

/** Which model an example trains: the language of its text, else the list it was in. */
export function docsByLang(examples: Example[], extractor: FeatureExtractor): Record<Lang, Doc[]> {
  const out: Record<Lang, Doc[]> = { zh: [], en: [] };
  for (const e of examples) {
    const lang = detectLang(e.text) ?? e.lang;
    const doc: Doc = { features: extractor.features(e.text), label: e.label, text: e.text };
    if (e.real) doc.real = true;
    if (e.case) doc.case = e.case;
    out[lang].push(doc);
  }
  return out;
}

/**
 * Out-of-scope examples together weigh as much as this many intents in the softmax training:
 * enough to learn the border, not so much that short in-domain messages are pushed out.
 */
const OOS_SHARE = 8;

function trainSoftmaxFor(docs: Doc[]): SoftmaxModel {
  const intents = docs.map((d) => labelToIntent(d.label));
  // The out-of-scope share is about the chatbot-style and CLINC rows; real-style ones (a few
  // hundred near-misses) weigh as real-style lines do.
  const oos = docs.filter((d, i) => intents[i] === 'out_of_scope' && !d.real).length;
  const inDomain = intents.filter((i) => i !== 'out_of_scope').length;
  const perIntent = inDomain / Math.max(1, new Set(intents).size - 1);
  const oosWeight = oos > 0 ? Math.min(1, (OOS_SHARE * perIntent) / oos) : 1;
  return trainSoftmax(
    docs.map((d, i) => ({
      features: d.features,
      label: intents[i] as Intent,
      weight: d.real ? REAL_WEIGHT : intents[i] === 'out_of_scope' ? oosWeight : 1,
    })),
    DEFAULT_SOFTMAX,
  );
}

/** Deterministic fold of a doc (stable across runs, spread across labels). */
function foldOf(doc: Doc, k: number): number {
  const h = createHash('md5').update(doc.text).digest();
  return h.readUInt32BE(0) % k;
}

export interface CvPrediction {
  truth: Intent;
  /** The training label (an out-of-scope theme keeps its own name). */
  label: string;
  /** The fold's model and its raw scores for this doc (re-used at every calibration setting). */
  scorer: IntentScorer;
  raw: RawScores;
}

/** k-fold cross-validation: each doc scored by a model that never saw it. */
export function crossValidate(docs: Doc[], k: number): CvPrediction[] {
  const out: CvPrediction[] = [];
  for (let fold = 0; fold < k; fold++) {
    const scorer = trainScorer(docs.filter((d) => foldOf(d, k) !== fold));
    for (const d of docs) {
      if (foldOf(d, k) === fold) {
        out.push({ truth: labelToIntent(d.label), label: d.label, scorer, raw: scorer.raw(d.features) });
      }
    }
  }
  return out;
}

/** The largest in-domain false-reject rate accepted in cross-validation when setting the threshold. */
const MAX_FALSE_REJECT = 0.028;

/** Golden-section search for the minimum of a unimodal function of log T over [1/20, 50]. */
function minimiseOverTemperature(loss: (t: number) => number): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.05);
  let hi = Math.log(50);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = loss(Math.exp(a));
  let fb = loss(Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = loss(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = loss(Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Mean negative log-likelihood of the truth when per-label logs are softened by T. */
function nll(rows: { logs: Float64Array; intents: readonly Intent[]; truth: Intent }[], t: number): number {
  let sum = 0;
  for (const r of rows) {
    let max = -Infinity;
    for (const v of r.logs) if (v > max) max = v;
    let total = 0;
    let truth = 0;
    for (let c = 0; c < r.logs.length; c++) {
      const w = Math.exp(((r.logs[c] as number) - max) / t);
      total += w;
      if (r.intents[c] === r.truth) truth += w;
    }
    sum -= Math.log(Math.max(truth / total, 1e-12));
  }
  return sum / rows.length;
}

/**
 * Candidate weights of the Bayes opinion. It always counts for something: the two models make
 * different mistakes (Bayes is steadier on very short messages), and cross-validation shows the
 * cost of a floor of 0.25 is within noise where it is not a gain.
 */
const BAYES_WEIGHTS = [0.25, 0.5, 0.75, 1];

function calibrate(preds: CvPrediction[]): Calibration {
  // 1. The Bayes scores alone, softened until their probabilities are honest.
  const bayesTemperature = minimiseOverTemperature((t) =>
    nll(
      preds.map((p) => ({ logs: p.raw.bayes, intents: p.scorer.bayes.intents, truth: p.truth })),
      t,
    ),
  );
  // 2. How much the Bayes opinion adds to the softmax one. Cross-validated accuracy is nearly flat
  // over these weights (neighbours often differ by a handful of docs in ten thousand), so the raw
  // best flips with any small data change and drags the temperature and thresholds with it. Each
  // weight is therefore judged by its accuracy averaged with its neighbours' on the grid, and the
  // smoothed best wins (a tie goes to the smaller weight).
  const accuracies = BAYES_WEIGHTS.map((weight) => {
    const cal: Calibration = {
      bayesTemperature,
      bayesWeight: weight,
      temperature: 1,
      rejectBelow: 0,
      oosAbove: 1,
    };
    const right = preds.filter((p) => p.scorer.rank(p.raw, cal)[0]?.intent === p.truth).length;
    return right / preds.length;
  });
  let best = { weight: 0, accuracy: -1 };
  BAYES_WEIGHTS.forEach((weight, i) => {
    // An end of the grid stands in for its missing neighbour, so ends are not favoured.
    const own = accuracies[i] as number;
    const accuracy = ((accuracies[i - 1] ?? own) + own + (accuracies[i + 1] ?? own)) / 3;
    if (process.env.NLU_DEBUG)
      process.stderr.write(
        `bayes weight ${weight}: cv accuracy ${(accuracies[i] as number).toFixed(4)}, ` +
          `with neighbours ${accuracy.toFixed(4)}\n`,
      );
    if (accuracy > best.accuracy + 1e-9) best = { weight, accuracy };
  });
  // 3. The combined scores' temperature.
  const combinedRows = preds.map((p) => {
    const ranked = p.scorer.rank(p.raw, {
      bayesTemperature,
      bayesWeight: best.weight,
      temperature: 1,
      rejectBelow: 0,
      oosAbove: 1,
    });
    return {
      logs: Float64Array.from(ranked.map((r) => Math.log(Math.max(r.p, 1e-300)))),
      intents: ranked.map((r) => r.intent),
      truth: p.truth,
    };
  });
  const temperature = minimiseOverTemperature((t) => nll(combinedRows, t));
  const calibration: Calibration = {
    bayesTemperature,
    bayesWeight: best.weight,
    temperature,
    rejectBelow: 0,
    oosAbove: 1,
  };
  return { ...calibration, ...fitThresholds(preds, calibration) };
}

/**
 * The two thresholds of `decide`: over a grid of out-of-scope bars, the highest in-domain bar
 * that keeps cross-validated in-domain false rejects within MAX_FALSE_REJECT; of those pairs,
 * the one that catches the most out-of-scope examples.
 */
function fitThresholds(
  preds: CvPrediction[],
  calibration: Calibration,
): { rejectBelow: number; oosAbove: number } {
  const rows = preds.map((p) => {
    const ranked = p.scorer.rank(p.raw, calibration);
    return {
      label: p.label,
      oos: p.truth === 'out_of_scope',
      pOos: ranked.find((r) => r.intent === 'out_of_scope')?.p ?? 0,
      pBest: ranked.find((r) => r.intent !== 'out_of_scope')?.p ?? 0,
    };
  });
  const inDomain = rows.filter((r) => !r.oos);
  const offDomain = rows.filter((r) => r.oos);
  const allowed = Math.floor(inDomain.length * MAX_FALSE_REJECT);
  let best = { rejectBelow: 0, oosAbove: 1, recall: -1 };
  for (let oosAbove = 0.5; oosAbove <= 0.995; oosAbove += 0.025) {
    // In-domain rows the out-of-scope bar alone already rejects.
    const lost = inDomain.filter((r) => r.pOos >= oosAbove).length;
    if (lost > allowed) continue;
    const kept = inDomain
      .filter((r) => r.pOos < oosAbove)
      .map((r) => r.pBest)
      .sort((a, b) => a - b);
    const rejectBelow = kept[Math.min(allowed - lost, kept.length - 1)] ?? 0;
    // Recall averaged over out-of-scope themes, so that ten thousand easy rows of one source do
    // not outweigh the harder themes (general questions, near-domain Alipay how-tos).
    const byTheme = new Map<string, { caught: number; n: number }>();
    for (const r of offDomain) {
      const t = byTheme.get(r.label) ?? { caught: 0, n: 0 };
      t.n++;
      if (r.pOos >= oosAbove || r.pBest < rejectBelow) t.caught++;
      byTheme.set(r.label, t);
    }
    const recall = byTheme.size
      ? [...byTheme.values()].reduce((s, t) => s + t.caught / t.n, 0) / byTheme.size
      : 0;
    if (recall > best.recall) best = { rejectBelow, oosAbove, recall };
  }
  return { rejectBelow: best.rejectBelow, oosAbove: best.oosAbove };
}

/** What natural's Bayes model is trained on (see inBayes). */
function bayesDocs(docs: Doc[]): Doc[] {
  return docs.filter(inBayes);
}

function trainScorer(docs: Doc[]): IntentScorer {
  return new IntentScorer(tablesFromCounts(trainBayes(bayesDocs(docs))), trainSoftmaxFor(docs));
}

/**
 * The intents whose chatbot-style lines are about no case: the seed's own section questions
 * (background, goals, strategy, steps, outlook), small talk, the rehearsal, and our out-of-scope
 * themes. Left out: the problem intents (fees, security, service, mediation, contact,
 * alternatives), whose lines often describe a case in general words, and the intents of a case's
 * later states (plan, fee_calc, refusal, agreement, no_agreement: "申诉被驳回", "退款到账了" are
 * a case too). The CLINC rows are left out as well: thousands of them, far from any case, and
 * the real-style near-misses already hold that border.
 */
const GENERAL_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'greet',
  'goodbye',
  'help',
  'background',
  'goals_principles',
  'strategy',
  'steps',
  'outlook',
  'roleplay',
  'out_of_scope',
]);

/** What the situation reader trains on: the real-style lines and the general chatbot lines. */
function situationDocs(docs: Doc[]): SituationDoc[] {
  const out: SituationDoc[] = [];
  for (const d of docs) {
    if (d.real) {
      out.push({
        features: d.features,
        text: d.text,
        intent: labelToIntent(d.label),
        ...(d.case ? { case: d.case } : {}),
      });
    } else if (GENERAL_INTENTS.has(labelToIntent(d.label)) && !d.label.startsWith(`${OOS_PREFIX}clinc_`)) {
      out.push({ features: d.features, text: d.text, general: true });
    }
  }
  return out;
}

function trainLanguage(
  docs: Doc[],
  folds = 5,
  acts: ActTrainingDoc[] = [],
  cues: Record<string, string> = {},
): LanguageModel {
  const calibration = calibrate(crossValidate(docs, folds));
  const model: LanguageModel = {
    bayes: tablesFromCounts(trainBayes(bayesDocs(docs))),
    softmax: trainSoftmaxFor(docs),
    calibration,
  };
  const real = docs.filter((d) => d.real);
  if (real.some((d) => d.case)) {
    model.situations = trainSituations(situationDocs(docs));
    if (Object.keys(cues).length > 0) model.situations.cues = cues;
  }
  if (acts.length > 0) model.acts = trainActs(acts);
  return model;
}

/** The act lines of each language, featurized as the act reader sees them. */
function actDocsByLang(acts: ActExample[], extractor: FeatureExtractor): Record<Lang, ActTrainingDoc[]> {
  const out: Record<Lang, ActTrainingDoc[]> = { zh: [], en: [] };
  for (const a of acts) {
    const lang = detectLang(a.text) ?? a.lang;
    out[lang].push({
      features: actFeatures(a.text, extractor.features(a.text)),
      label: actLabel(a),
      negated: a.negated === true,
      text: a.text,
    });
  }
  return out;
}

export function hashTrainingData(
  examples: Example[],
  lexicon: LexiconData,
  acts: ActExample[] = [],
  cues?: CaseCues,
): string {
  const h = createHash('sha256');
  h.update(`v${NLU_MODEL_VERSION}.${TRAINING_VERSION}\n`);
  h.update(JSON.stringify(lexicon));
  for (const e of examples)
    h.update(`${e.lang}\t${e.label}\t${e.case ?? ''}\t${e.real ? 1 : 0}\t${e.text}\n`);
  for (const a of acts) h.update(`act\t${a.lang}\t${actLabel(a)}\t${a.negated ? 1 : 0}\t${a.text}\n`);
  if (cues) h.update(JSON.stringify(cues));
  return h.digest('hex').slice(0, 16);
}

export function trainModel(
  examples: Example[],
  lexicon: LexiconData,
  acts: ActExample[] = [],
  cues?: CaseCues,
): NluModel {
  const extractor = new FeatureExtractor(lexicon);
  const byLang = docsByLang(examples, extractor);
  const actsByLang = actDocsByLang(acts, extractor);
  const models = {
    zh: trainLanguage(byLang.zh, 5, actsByLang.zh, cues?.zh),
    en: trainLanguage(byLang.en, 5, actsByLang.en, cues?.en),
  };
  return {
    version: NLU_MODEL_VERSION,
    dataHash: hashTrainingData(examples, lexicon, acts, cues),
    lexicon,
    models,
  };
}
