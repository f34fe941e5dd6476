/**
 * Progress over time: every rehearsal is kept in the user's record (scenario, difficulty, score,
 * skills, date — the last 50), and /progress compares the first with the latest, draws each
 * skill's trend and names the skill to drill next (the weakest of the recent rehearsals).
 */
import type { PracticeEntry } from '../state/profile';
import type { Debrief } from './debrief';
import { SKILLS, type Skill } from './skillModel';

const PRACTICE_KEEP = 50;
/** How many recent rehearsals decide the weakest skill. */
const RECENT = 3;

const OUTCOME_CODE = { agreement: 'a', impasse: 'i', abandoned: 'x' } as const;

/** A debrief as a practice entry, dated `now`. */
export function practiceEntry(d: Debrief, now: number): PracticeEntry {
  return {
    s: d.scenario,
    d: d.difficulty,
    n: d.score,
    k: SKILLS.map((s) => Math.round((d.skills[s] ?? 0) * 100)),
    t: new Date(now).toISOString().slice(0, 10),
    o: OUTCOME_CODE[d.outcome],
  };
}

/** The list with the entry added, the oldest dropped beyond PRACTICE_KEEP. */
export function addPractice(
  list: readonly PracticeEntry[] | undefined,
  entry: PracticeEntry,
): PracticeEntry[] {
  return [...(list ?? []), entry].slice(-PRACTICE_KEEP);
}

/** A text chart of values in [0, 1]: one block per value, taller is better. */
export function sparkline(values: readonly number[]): string {
  const blocks = '▁▂▃▄▅▆▇█';
  return values
    .map((v) => blocks.charAt(Math.min(blocks.length - 1, Math.max(0, Math.round(v * (blocks.length - 1))))))
    .join('');
}

interface SkillTrend {
  skill: Skill;
  /** 0–1 per rehearsal, oldest first (the last 12). */
  series: number[];
  first: number;
  last: number;
}

export interface ProgressSummary {
  count: number;
  first: PracticeEntry;
  latest: PracticeEntry;
  delta: number;
  /** Scores 0–1, oldest first (the last 12). */
  scores: number[];
  skills: SkillTrend[];
  /** The skill to drill next, or none when every recent skill is strong. */
  weakest?: Skill;
}

const CHART = 12;

export function progressSummary(list: readonly PracticeEntry[]): ProgressSummary | undefined {
  const first = list[0];
  const latest = list[list.length - 1];
  if (!first || !latest) return undefined;
  const shown = list.slice(-CHART);
  const skills = SKILLS.map((skill, i) => {
    const series = shown.map((e) => (e.k[i] ?? 0) / 100);
    return { skill, series, first: (first.k[i] ?? 0) / 100, last: (latest.k[i] ?? 0) / 100 };
  });
  const recent = list.slice(-RECENT);
  const mean = (i: number): number => recent.reduce((a, e) => a + (e.k[i] ?? 0), 0) / recent.length / 100;
  let weakest: Skill | undefined;
  let low = 0.7;
  SKILLS.forEach((s, i) => {
    if (mean(i) < low) {
      low = mean(i);
      weakest = s;
    }
  });
  return {
    count: list.length,
    first,
    latest,
    delta: latest.n - first.n,
    scores: shown.map((e) => e.n / 100),
    skills,
    ...(weakest ? { weakest } : {}),
  };
}
