/**
 * Measures the skill model (`npm run roleplay:eval`, and the test that holds it to its targets):
 * per-skill precision / recall / F1 on labelled lines, per language too; marker and act
 * accuracy; accept / reject / counter recall; numbers found; and, on the judged role-play
 * transcripts, how well the score of skillScore.ts ranks them (Spearman's rank correlation with
 * the judged scores, and the share of role-plays one level apart that it puts in order).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGS, SCENARIOS, type Lang } from '../knowledge/schema';
import { normalizeText } from '../text/normalize';
import { readNumbers } from './skillFeatures';
import {
  ACTS,
  MARKERS,
  SKILLS,
  type ActType,
  type LineAnalysis,
  type Marker,
  type Skill,
} from './skillModel';
import { scoreRolePlay, type RolePlayOutcome } from './skillScore';
import type { SkillLine } from './skillTrain';

interface PR {
  n: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

function pr(pairs: { truth: boolean; predicted: boolean }[]): PR {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const p of pairs) {
    if (p.truth && p.predicted) tp++;
    else if (p.predicted) fp++;
    else if (p.truth) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { n: tp + fn, tp, fp, fn, precision, recall, f1 };
}

export interface Judged {
  line: SkillLine;
  analysis: LineAnalysis;
}

export interface LineMetrics {
  n: number;
  skills: Record<Skill, Record<'all' | Lang, PR>>;
  /** Mean over skills of the F1 (all languages). */
  macroF1: number;
  markers: Record<Marker, PR & { accuracy: number }>;
  /** Lines whose three markers are all right. */
  markerAccuracy: number;
  act: {
    accuracy: number;
    byLang: Record<Lang, number>;
    perAct: Record<ActType, PR>;
  };
  /** Labelled numbers whose value the model found in the line. */
  numbersFound: { labelled: number; found: number; rate: number };
}

/** Values of the numbers a label lists ("8万" → 80000, "0.6%" → 0.6, "three" → 3). */
function labelValues(labels: readonly string[], scenario: SkillLine['scenario']): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const found = readNumbers(normalizeText(String(l)).toLowerCase(), scenario);
    if (found.length) out.push((found[found.length - 1] as { value: number }).value);
  }
  return out;
}

export function lineMetrics(rows: Judged[]): LineMetrics {
  const skills = {} as LineMetrics['skills'];
  for (const s of SKILLS) {
    const of = (lang?: Lang): PR =>
      pr(
        rows
          .filter((r) => !lang || r.line.lang === lang)
          .map((r) => ({ truth: r.line.skills.includes(s), predicted: r.analysis.skills[s] > 0 })),
      );
    skills[s] = { all: of(), zh: of('zh'), en: of('en') };
  }
  const markers = {} as LineMetrics['markers'];
  for (const m of MARKERS) {
    const pairs = rows.map((r) => ({
      truth: r.line.markers.includes(m),
      predicted: r.analysis.markers[m] > 0,
    }));
    markers[m] = {
      ...pr(pairs),
      accuracy: pairs.filter((p) => p.truth === p.predicted).length / Math.max(1, pairs.length),
    };
  }
  const markerAccuracy =
    rows.filter((r) => MARKERS.every((m) => r.line.markers.includes(m) === r.analysis.markers[m] > 0))
      .length / Math.max(1, rows.length);
  const perAct = {} as Record<ActType, PR>;
  for (const a of ACTS) {
    perAct[a] = pr(rows.map((r) => ({ truth: r.line.act === a, predicted: r.analysis.act.type === a })));
  }
  const actAcc = (lang?: Lang): number => {
    const rs = rows.filter((r) => !lang || r.line.lang === lang);
    return rs.filter((r) => r.analysis.act.type === r.line.act).length / Math.max(1, rs.length);
  };
  let labelled = 0;
  let found = 0;
  for (const r of rows) {
    const truth = labelValues(r.line.numbers, r.line.scenario);
    const got = r.analysis.numbers.map((n) => n.value);
    labelled += truth.length;
    for (const v of truth) {
      const k = got.findIndex((g) => Math.abs(g - v) < 1e-6);
      if (k >= 0) {
        found++;
        got.splice(k, 1);
      }
    }
  }
  return {
    n: rows.length,
    skills,
    macroF1: SKILLS.reduce((s, k) => s + skills[k].all.f1, 0) / SKILLS.length,
    markers,
    markerAccuracy,
    act: { accuracy: actAcc(), byLang: { zh: actAcc('zh'), en: actAcc('en') }, perAct },
    numbersFound: { labelled, found, rate: labelled ? found / labelled : 1 },
  };
}

/* ------------------------------------------------------------------------------------------------
 * Judged role-plays
 * ---------------------------------------------------------------------------------------------- */

const transcriptSchema = z.object({
  scenario: z.enum(SCENARIOS),
  lang: z.enum(LANGS),
  difficulty: z.string(),
  level: z.number().int(),
  judged_score: z.number(),
  expected_outcome: z.enum(['agreement', 'impasse', 'abandoned']),
  split: z.enum(['dev', 'heldout']),
  turns: z.array(
    z.object({
      text: z.string(),
      skills: z.array(z.enum(SKILLS)),
      markers: z.array(z.enum(MARKERS)),
      act: z.enum(ACTS),
    }),
  ),
});
export type Transcript = z.infer<typeof transcriptSchema> & { file: string };

export function loadTranscripts(dir: string): Transcript[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const r = transcriptSchema.safeParse(parse(readFileSync(join(dir, f), 'utf8')));
      if (!r.success)
        throw new Error(`${f}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return { ...r.data, file: f };
    });
}

/** Average ranks (ties share the mean of their positions). */
function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (
      j + 1 < order.length &&
      (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j++;
    for (let k = i; k <= j; k++) out[(order[k] as readonly [number, number])[1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/**
 * How well role-play scores follow judged quality: the rank correlation, and of the pairs of
 * role-plays one level of skill apart, the share the higher level scored higher.
 */
export function rankAgreement(results: readonly { level: number; score: number; judged: number }[]): {
  spearman: number;
  oneApartPairs: number;
  oneApartOrdered: number;
} {
  let pairs = 0;
  let ordered = 0;
  for (const a of results)
    for (const b of results) {
      if (b.level !== a.level + 1) continue;
      pairs++;
      if (b.score > a.score) ordered++;
    }
  return {
    spearman: spearman(
      results.map((r) => r.score),
      results.map((r) => r.judged),
    ),
    oneApartPairs: pairs,
    oneApartOrdered: pairs ? ordered / pairs : 1,
  };
}

/** Spearman's rank correlation: Pearson's correlation of the (tie-averaged) ranks. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (rx[i] as number) - mx;
    const dy = (ry[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

interface TranscriptResult {
  file: string;
  level: number;
  judged: number;
  score: number;
  /** Per-turn skill labels right (all six), for diagnosis. */
  turnSkillAccuracy: number;
}

export interface TranscriptMetrics {
  n: number;
  spearman: number;
  /** Pairs of role-plays whose levels differ by exactly one (any scenario and language). */
  oneApartPairs: number;
  /** Share of those pairs whose scores are strictly in the order of their levels (ties count as wrong). */
  oneApartOrdered: number;
  /** The per-turn labels' own score (what a perfect line model would give). */
  spearmanWithLabels: number;
  results: TranscriptResult[];
}

export type LineAnalyzer = (text: string, lang: Lang, scenario: Transcript['scenario']) => LineAnalysis;

/** The labels of a turn as an analysis (each shown skill at confidence 1). */
function labelledAnalysis(turn: Transcript['turns'][number]): LineAnalysis {
  const skills = {} as Record<Skill, number>;
  for (const s of SKILLS) skills[s] = turn.skills.includes(s) ? 1 : 0;
  return {
    skills,
    markers: {
      threat: turn.markers.includes('threat') ? 1 : 0,
      insult: turn.markers.includes('insult') ? 1 : 0,
      demand: turn.markers.includes('demand') ? 1 : 0,
    },
    act: { type: turn.act, confidence: 1 },
    numbers: [],
  };
}

export function transcriptMetrics(transcripts: Transcript[], analyze: LineAnalyzer): TranscriptMetrics {
  const results: TranscriptResult[] = [];
  const fromLabels: number[] = [];
  for (const t of transcripts) {
    const lines = t.turns.map((turn) => analyze(turn.text, t.lang, t.scenario));
    const outcome = t.expected_outcome as RolePlayOutcome;
    const right = t.turns.filter((turn, i) =>
      SKILLS.every((s) => turn.skills.includes(s) === (lines[i] as LineAnalysis).skills[s] > 0),
    ).length;
    results.push({
      file: t.file,
      level: t.level,
      judged: t.judged_score,
      score: scoreRolePlay(lines, outcome).score,
      turnSkillAccuracy: right / Math.max(1, t.turns.length),
    });
    fromLabels.push(scoreRolePlay(t.turns.map(labelledAnalysis), outcome).score);
  }
  return {
    n: results.length,
    ...rankAgreement(results),
    spearmanWithLabels: spearman(
      fromLabels,
      results.map((r) => r.judged),
    ),
    results,
  };
}
