/**
 * The role-play debrief (CONTRACTS section 8): outcome, a score out of 100, each skill 0–1 with
 * the user's own sentence that showed it (or what was missing), the final rate, and two or three
 * concrete things to try next time, each linked to a knowledge-base topic.
 */
import type { Lang, Scenario } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Difficulty } from '../nlu/types';

export const SKILLS = [
  'data',
  'cases',
  'mutual_benefit',
  'joint_solution',
  'respect',
  'flexibility',
] as const;
export type Skill = (typeof SKILLS)[number];

export type Outcome = 'agreement' | 'impasse' | 'abandoned';

/** What the role-play counted along the way (kept small: it lives in conversation state). */
export interface RoleplayRecord {
  /** Strength per skill shown so far (0–1). */
  skills: Partial<Record<Skill, number>>;
  /** The user's first sentence that showed each skill (masked, shortened). */
  quotes: Partial<Record<Skill, string>>;
  courtesy: number;
  hostility: number;
  ultimatums: number;
  /** The user took an offer or proposed a middle. */
  conceded: boolean;
}

export interface Debrief {
  scenario: Scenario;
  difficulty: Difficulty;
  outcome: Outcome;
  score: number;
  skills: Record<Skill, number>;
  finalRate: number | null;
  turns: number;
  /** Extensions beyond the contract: the evidence and the advice. */
  quotes: Partial<Record<Skill, string>>;
  tips: { skill: Skill; topic: string; text: string }[];
}

export function newRecord(): RoleplayRecord {
  return { skills: {}, quotes: {}, courtesy: 0, hostility: 0, ultimatums: 0, conceded: false };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Each skill's final value: what was shown, with respect and flexibility also marked down. */
export function skillValues(record: RoleplayRecord): Record<Skill, number> {
  const shown = (s: Skill): number => record.skills[s] ?? 0;
  const respect =
    record.hostility > 0 ? Math.max(0, 0.5 - 0.25 * record.hostility) : record.courtesy > 0 ? 1 : 0.5;
  const flexibility =
    record.conceded || shown('flexibility') >= 1
      ? 1
      : record.ultimatums > 0
        ? 0
        : Math.max(0.5 * (record.hostility === 0 ? 1 : 0), shown('flexibility'));
  return {
    data: shown('data'),
    cases: shown('cases'),
    mutual_benefit: shown('mutual_benefit'),
    joint_solution: shown('joint_solution'),
    respect: round2(Math.max(0, respect - 0.15 * record.ultimatums)),
    flexibility: round2(flexibility),
  };
}

export interface ScoreInput {
  record: RoleplayRecord;
  outcome: Outcome;
  scenario: Scenario;
  start: number;
  target: number;
  finalRate: number | null;
  concessions: number;
}

/** 55% how the user negotiated, 30% whether it ended in agreement, 15% how good the deal was. */
export function score(input: ScoreInput): number {
  const skills = skillValues(input.record);
  const mean = SKILLS.reduce((s, k) => s + skills[k], 0) / SKILLS.length;
  const agreed = input.outcome === 'agreement' ? 1 : 0;
  let quality = 0;
  if (agreed) {
    quality =
      input.scenario === 'fees' && input.finalRate !== null && input.start > input.target
        ? Math.min(1, Math.max(0, (input.start - input.finalRate) / (input.start - input.target)))
        : Math.min(1, input.concessions / 2);
  }
  const raw =
    100 * (0.55 * mean + 0.3 * agreed + 0.15 * quality) -
    8 * input.record.hostility -
    5 * input.record.ultimatums;
  return Math.max(0, Math.min(100, Math.round(raw)));
}

const TIP_TOPIC: Record<Skill, (scenario: Scenario) => string> = {
  data: (s) => (s === 'fees' ? 'strategy.data.fees' : 'strategy.data.security_service'),
  cases: () => 'strategy.cases',
  mutual_benefit: () => 'strategy.common_interest',
  joint_solution: () => 'strategy.joint_solution',
  respect: () => 'goals.principles',
  flexibility: () => 'steps.compromise',
};

/** What to try next time, per skill (knowledge/ui/debrief.yaml); data and cases read differently for fees. */
const TIP_KEY: Record<Skill, (scenario: Scenario) => string> = {
  data: (s) => (s === 'fees' ? 'debrief.tip_data_fees' : 'debrief.tip_data'),
  cases: (s) => (s === 'fees' ? 'debrief.tip_cases_fees' : 'debrief.tip_cases'),
  mutual_benefit: () => 'debrief.tip_mutual_benefit',
  joint_solution: () => 'debrief.tip_joint_solution',
  respect: () => 'debrief.tip_respect',
  flexibility: () => 'debrief.tip_flexibility',
};

export function buildDebrief(
  texts: Texts,
  input: ScoreInput & { difficulty: Difficulty; turns: number },
  lang: Lang,
): Debrief {
  const skills = skillValues(input.record);
  const weakest = [...SKILLS].sort((a, b) => skills[a] - skills[b]).filter((s) => skills[s] < 1);
  const tips = weakest.slice(0, 3).map((skill) => ({
    skill,
    topic: TIP_TOPIC[skill](input.scenario),
    text: texts.t(TIP_KEY[skill](input.scenario), lang),
  }));
  return {
    scenario: input.scenario,
    difficulty: input.difficulty,
    outcome: input.outcome,
    score: score(input),
    skills,
    finalRate: input.scenario === 'fees' && input.outcome === 'agreement' ? input.finalRate : null,
    turns: input.turns,
    quotes: input.record.quotes,
    tips,
  };
}
