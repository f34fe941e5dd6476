/**
 * The role-play debrief (CONTRACTS section 8): outcome, a score out of 100, each skill 0–1 with
 * the user's own sentence that showed it, the final rate, the rubric the user was told at the
 * start, one annotation per user turn (which line earned what, and why — threats that made the
 * representative firmer included), and up to three things to try next time that fit the scenario,
 * each with a sentence the user could have said.
 *
 * The score is skillScore.ts's (what every line showed — the skill model — and how the talk
 * ended, minus threats, insults and bare demands), with each insulting line costing INSULT_EXTRA
 * more: `npm run roleplay:eval` replays the judged role-plays through the coach and checks that
 * this score ranks them as the judges did. A skill never shown is 0 and says so; nothing counts
 * half by default.
 */
import type { Lang, Scenario } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Difficulty } from '../nlu/types';
import { SKILLS, type ActType, type LineAnalysis, type Skill } from './skillModel';
import { scoreRolePlay } from './skillScore';

export { SKILLS, type Skill };

export type Outcome = 'agreement' | 'impasse' | 'abandoned';

/** One user turn as kept during the role-play (small: it lives in conversation state). */
export interface TurnRecord {
  /** The line, shortened at a clause boundary (quote.ts). */
  q: string;
  /** Per skill (SKILLS order), the model's confidence × 100; 0 when not shown. */
  k: number[];
  /** Markers: 1 threat, 2 insult, 4 demand. */
  m: number;
  a: ActType;
  /** What the representative did because of it (first_offer, improved, hardened …). */
  d?: string[];
  /** The numbers it gave as data, as written. */
  n?: string[];
  /** Fees: the rate on the table when the user took it or it was granted. */
  r?: number;
}

interface Annotation {
  turn: number;
  text: string;
  skills: Partial<Record<Skill, number>>;
  note: string;
}

interface Tip {
  skill: Skill | 'hostility';
  topic: string;
  text: string;
}

export interface Debrief {
  scenario: Scenario;
  difficulty: Difficulty;
  outcome: Outcome;
  score: number;
  skills: Record<Skill, number>;
  finalRate: number | null;
  turns: number;
  /** The skills and what earns them, as shown at the start (CONTRACTS §8, optional). */
  rubric?: Record<Skill, string>;
  /** One per user turn (CONTRACTS §8, optional). */
  annotations?: Annotation[];
  /** Extensions: the evidence per skill, the advice, threats that hardened the other side. */
  quotes: Partial<Record<Skill, string>>;
  tips: Tip[];
  firmer?: number;
  /** Outside fees: what was agreed, in a few words each. */
  terms?: string[];
  /** The skill a drill practised. */
  drill?: Skill;
}

export interface DebriefInput {
  scenario: Scenario;
  difficulty: Difficulty;
  outcome: Outcome;
  record: readonly TurnRecord[];
  finalRate: number | null;
  terms: string[];
  drill?: Skill;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const THREAT = 1;
const INSULT = 2;
const DEMAND = 4;
/** Points an insulting line costs beyond skillScore.ts's penalty. */
const INSULT_EXTRA = 4;

/** A kept turn as the scorer reads it. */
function lineOf(r: TurnRecord): LineAnalysis {
  const skills = {} as Record<Skill, number>;
  SKILLS.forEach((s, i) => (skills[s] = (r.k[i] ?? 0) / 100));
  return {
    skills,
    markers: {
      threat: r.m & THREAT ? 1 : 0,
      insult: r.m & INSULT ? 1 : 0,
      demand: r.m & DEMAND ? 1 : 0,
    },
    act: { type: r.a, confidence: 1 },
    numbers: [],
  };
}

/** The knowledge-base topic behind each tip. */
const TIP_TOPIC: Record<Skill | 'hostility', (scenario: Scenario) => string> = {
  data: (s) => (s === 'fees' ? 'strategy.data.fees' : 'strategy.data.security_service'),
  cases: () => 'strategy.cases',
  mutual_benefit: () => 'strategy.common_interest',
  joint_solution: () => 'strategy.joint_solution',
  respect: () => 'goals.principles',
  flexibility: () => 'steps.compromise',
  hostility: () => 'goals.principles',
};

/** The rubric as shown at the start and kept in the debrief. */
function rubric(texts: Texts, lang: Lang): Record<Skill, string> {
  const out = {} as Record<Skill, string>;
  for (const s of SKILLS) out[s] = texts.t(`debrief.rubric_${s}`, lang);
  return out;
}

/** Why a turn earned what it did (or nothing), in the user's language. */
function note(texts: Texts, r: TurnRecord, lang: Lang): string {
  const parts: string[] = [];
  const sep = texts.t('debrief.note_sep', lang);
  SKILLS.forEach((s, i) => {
    if ((r.k[i] ?? 0) <= 0) return;
    if (s === 'data' && r.n?.length)
      parts.push(
        texts.t('debrief.why_data_numbers', lang, { numbers: r.n.join(texts.t('debrief.number_sep', lang)) }),
      );
    else parts.push(texts.t(`debrief.why_${s}`, lang));
  });
  if (r.m & THREAT) parts.push(texts.t('debrief.note_threat', lang));
  if (r.m & INSULT) parts.push(texts.t('debrief.note_insult', lang));
  if (r.m & DEMAND && !(r.m & (THREAT | INSULT))) parts.push(texts.t('debrief.note_demand', lang));
  const deeds = new Set(r.d ?? []);
  if (deeds.has('granted_ask') || deeds.has('took_offer') || (r.a === 'accept' && r.r !== undefined))
    parts.push(
      r.r !== undefined
        ? texts.t('debrief.note_deal_rate', lang, { rate: `${r.r}%` })
        : texts.t('debrief.note_deal', lang),
    );
  else if (deeds.has('first_offer')) parts.push(texts.t('debrief.note_first_offer', lang));
  else if (deeds.has('improved')) parts.push(texts.t('debrief.note_improved', lang));
  if (deeds.has('supervisor')) parts.push(texts.t('debrief.note_supervisor', lang));
  if (parts.length === 0) {
    const byAct: Partial<Record<ActType, string>> = {
      question: 'debrief.note_question',
      accept: 'debrief.note_accept',
      end: 'debrief.note_end',
    };
    parts.push(texts.t(byAct[r.a] ?? 'debrief.note_nothing', lang));
  }
  return parts.join(sep);
}

export function buildDebrief(texts: Texts, input: DebriefInput, lang: Lang): Debrief {
  const lines = input.record.map(lineOf);
  const scored = scoreRolePlay(lines, input.outcome);
  const skills = { ...scored.skills };
  // Courtesy among threats and insults is not respect: it counts in the share of civil lines.
  const hostileLines = input.record.filter((r) => r.m & (THREAT | INSULT)).length;
  if (hostileLines > 0) {
    const courteous = lines.filter((l) => l.skills.respect > 0).length;
    skills.respect = round2(skills.respect * (courteous / (courteous + hostileLines)));
  }
  const quotes: Partial<Record<Skill, string>> = {};
  SKILLS.forEach((s, i) => {
    let best = 0;
    for (const r of input.record) {
      const v = r.k[i] ?? 0;
      if (v > best) {
        best = v;
        quotes[s] = r.q;
      }
    }
  });
  const annotations: Annotation[] = input.record.map((r, i) => {
    const shown: Partial<Record<Skill, number>> = {};
    SKILLS.forEach((s, j) => {
      if ((r.k[j] ?? 0) > 0) shown[s] = (r.k[j] ?? 0) / 100;
    });
    return { turn: i + 1, text: r.q, skills: shown, note: note(texts, r, lang) };
  });

  // Tips: threats first, then the skills least shown (a drilled skill before the others).
  const tips: Tip[] = [];
  if (hostileLines > 0)
    tips.push({
      skill: 'hostility',
      topic: TIP_TOPIC.hostility(input.scenario),
      text: texts.t(`debrief.tip_${input.scenario}_hostility`, lang),
    });
  const weakest = [...SKILLS]
    .filter((s) => skills[s] < 0.5)
    .sort((a, b) =>
      a === input.drill
        ? -1
        : b === input.drill
          ? 1
          : skills[a] - skills[b] || SKILLS.indexOf(a) - SKILLS.indexOf(b),
    );
  for (const s of weakest) {
    if (tips.length >= 3) break;
    tips.push({
      skill: s,
      topic: TIP_TOPIC[s](input.scenario),
      text: texts.t(`debrief.tip_${input.scenario}_${s}`, lang),
    });
  }

  const firmer = input.record.filter((r) => r.m & (THREAT | INSULT)).length;
  // An insult is hostility and the opposite of respect at once: it costs again on top of the
  // skill score's capped penalty, so abuse always ranks below mere threats and demands.
  const insults = input.record.filter((r) => r.m & INSULT).length;
  const score = Math.max(0, scored.score - INSULT_EXTRA * insults);
  return {
    scenario: input.scenario,
    difficulty: input.difficulty,
    outcome: input.outcome,
    score,
    skills,
    finalRate: input.scenario === 'fees' && input.outcome === 'agreement' ? input.finalRate : null,
    turns: input.record.length,
    rubric: rubric(texts, lang),
    annotations,
    quotes,
    tips,
    ...(firmer > 0 ? { firmer } : {}),
    ...(input.terms.length ? { terms: input.terms } : {}),
    ...(input.drill ? { drill: input.drill } : {}),
  };
}
