/**
 * A role-play's score (0–100) from what its user lines showed (skillModel.ts), for the debrief
 * (CONTRACTS §8) and for checking the skill model against judged role-plays.
 *
 *   score = 15 + 30·breadth + 30·depth + 15·outcome − penalty, clamped to 0–100, where
 *   - breadth = the mean over the six skills of the best line's confidence (0 if never shown);
 *   - depth   = the mean over the six skills of min(1, (sum of the lines' confidences) / 2):
 *               a skill shown in two lines or more counts fully, once counts half;
 *   - outcome = 1 for an agreement, 0.5 for an impasse, 0 when the user abandoned;
 *   - penalty = min(20, 4 × threatening lines + 4 × insulting lines + 2 × bare demands).
 *
 * So a courteous user with nothing else (respect in every line) gets about a third, one who
 * brings data and a precedent about 60, one who shows every skill repeatedly and closes a deal
 * about 90; threats and insults take up to 20 points off.
 */
import { SKILLS, type LineAnalysis, type Skill } from './skillModel';

export type RolePlayOutcome = 'agreement' | 'impasse' | 'abandoned';

export interface RolePlayScore {
  score: number;
  /** Per skill: the best line's confidence (what the debrief shows, CONTRACTS §8). */
  skills: Record<Skill, number>;
  breadth: number;
  depth: number;
  penalty: number;
}

const OUTCOME_VALUE: Record<RolePlayOutcome, number> = { agreement: 1, impasse: 0.5, abandoned: 0 };

export function scoreRolePlay(lines: readonly LineAnalysis[], outcome: RolePlayOutcome): RolePlayScore {
  const skills = {} as Record<Skill, number>;
  let breadth = 0;
  let depth = 0;
  for (const s of SKILLS) {
    let best = 0;
    let sum = 0;
    for (const l of lines) {
      best = Math.max(best, l.skills[s]);
      sum += l.skills[s];
    }
    skills[s] = Math.round(best * 100) / 100;
    breadth += best / SKILLS.length;
    depth += Math.min(1, sum / 2) / SKILLS.length;
  }
  let threats = 0;
  let insults = 0;
  let demands = 0;
  for (const l of lines) {
    if (l.markers.threat > 0) threats++;
    if (l.markers.insult > 0) insults++;
    if (l.markers.demand > 0) demands++;
  }
  const penalty = Math.min(20, 4 * threats + 4 * insults + 2 * demands);
  const raw = 15 + 30 * breadth + 30 * depth + 15 * OUTCOME_VALUE[outcome] - penalty;
  return { score: Math.max(0, Math.min(100, Math.round(raw))), skills, breadth, depth, penalty };
}
