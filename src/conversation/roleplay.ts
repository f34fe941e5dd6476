/**
 * The role-play's words around the representative: which scene and difficulty a message names,
 * the introduction with the rubric, the representative's lines with their speaker, the debrief
 * as text and as a card (CONTRACTS section 8, with the rubric and per-turn annotations), and
 * the user's progress over their rehearsals (/progress) as text and as a card.
 */
import { formatRate } from '../fees/feeMath';
import { SCENARIOS, type Lang, type Scenario } from '../knowledge/vocabulary';
import type { Texts } from '../knowledge/texts';
import { normalizeText } from '../text/normalize';
import type { Difficulty } from '../nlu/types';
import { SKILLS, type Debrief, type Skill } from '../roleplay/debrief';
import type { StartResult } from '../roleplay/engine';
import { progressSummary, sparkline } from '../roleplay/progress';
import { skillName } from '../roleplay/skillDisplay';
import type { UserProfile } from '../state/profile';
import { labels, type CoachDeps } from './flow';
import type { CoachCard, Reply } from './types';

export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'normal', 'hard'];

/** The scenario a message names: its words, or an issue the NLU read. */
export function scenarioFrom(text: string, issue: Scenario | undefined): Scenario | undefined {
  const t = normalizeText(text).toLowerCase();
  if (/费率|手续费|降费|fee|rate|commission/.test(t)) return 'fees';
  if (/冻结|风控|限制|安全|frozen|freeze|security|restricted/.test(t)) return 'security';
  if (/客服|投诉|没人管|service|complaint/.test(t)) return 'service';
  return issue;
}

/** The difficulty a message names, as a word of its own ("困难", "hard", "normal难度"). */
export function difficultyFrom(text: string): Difficulty | undefined {
  const t = normalizeText(text).toLowerCase();
  if (/(^|[^a-z])(hard|difficult|tough)([^a-z]|$)|困难|高难|难一点|地狱/.test(t)) return 'hard';
  if (/(^|[^a-z])(easy|beginner)([^a-z]|$)|简单|容易|入门|初级/.test(t)) return 'easy';
  if (/(^|[^a-z])(normal|medium|standard)([^a-z]|$)|普通|中等|正常难度|一般难度/.test(t)) return 'normal';
  return undefined;
}

/** The captions of scenes and difficulties (knowledge/ui roleplay.scenario.*, roleplay.difficulty.*). */
export const scenarioKey = (s: string): string => `roleplay.scenario.${s}`;
export const difficultyKey = (d: string): string => `roleplay.difficulty.${d}`;

/** A scene or difficulty caption typed or clicked, in either language. */
export function pickCaption<T extends string>(
  texts: Texts,
  keyOf: (id: string) => string,
  ids: readonly T[],
  text: string,
): T | undefined {
  const t = text.trim();
  return ids.find((id) => {
    const pair = texts.pair(keyOf(id));
    return pair.zh === t || pair.en.toLowerCase() === t.toLowerCase() || id === t.toLowerCase();
  });
}

export function scenarioQuestion(deps: CoachDeps, lang: Lang, hint: Scenario | undefined): Reply {
  const { texts } = deps.kb;
  return {
    text: hint
      ? texts.t('roleplay.ask_scenario_hint', lang, { hint: texts.t(`roleplay.scenario.${hint}`, lang) })
      : texts.t('roleplay.ask_scenario', lang),
    actions: SCENARIOS.map((s) => texts.t(`roleplay.scenario.${s}`, lang)),
  };
}

export function difficultyQuestion(deps: CoachDeps, lang: Lang): Reply {
  const { texts } = deps.kb;
  return {
    text: texts.t('roleplay.ask_difficulty', lang),
    actions: DIFFICULTIES.map((d) => texts.t(`roleplay.difficulty.${d}`, lang)),
  };
}

/** The representative speaking: a line with the speaker's name in front. */
export function repLine(texts: Texts, rep: string, line: string, lang: Lang): string {
  return texts.t('roleplay.speaker', lang, { rep, line });
}

/** The rubric line shown when a role-play starts: the six skills and what earns each. */
function rubricText(texts: Texts, lang: Lang): string {
  const items = SKILLS.map((s) =>
    texts.t('roleplay.rubric_item', lang, {
      name: skillName(texts, s, lang),
      what: texts.t(`debrief.rubric_${s}`, lang),
    }),
  ).join(texts.t('roleplay.rubric_sep', lang));
  return texts.t('roleplay.rubric', lang, { items });
}

/** The introduction: the scene, who the coach plays, the user's side, the rubric (and a drill's focus). */
export function introText(deps: CoachDeps, begun: StartResult, lang: Lang, drill?: Skill): string {
  const { texts } = deps.kb;
  const scene = begun.state;
  const rubric = rubricText(texts, lang);
  return texts.t('roleplay.intro', lang, {
    scenario: texts.t(`roleplay.scenario.${scene.scenario}`, lang),
    difficulty: texts.t(`roleplay.difficulty.${scene.difficulty}`, lang),
    rep: begun.rep,
    setup: begun.setup,
    rubric: drill
      ? `${texts.t('roleplay.drill', lang, { skill: skillName(texts, drill, lang), what: texts.t(`debrief.rubric_${drill}`, lang) })}\n${rubric}`
      : rubric,
  });
}

/** The debrief as CONTRACTS section 8 defines it (plus the rubric, annotations and extensions). */
export function contractDebrief(d: Debrief): Debrief {
  return {
    scenario: d.scenario,
    difficulty: d.difficulty,
    outcome: d.outcome,
    score: d.score,
    skills: d.skills,
    finalRate: d.finalRate,
    turns: d.turns,
    ...(d.rubric ? { rubric: d.rubric } : {}),
    ...(d.annotations ? { annotations: d.annotations } : {}),
    quotes: d.quotes,
    tips: d.tips,
    ...(d.firmer ? { firmer: d.firmer } : {}),
    ...(d.terms ? { terms: d.terms } : {}),
    ...(d.drill ? { drill: d.drill } : {}),
  };
}

/** The debrief as kept in the user's record ("上次练习", App Home): without the rubric, which is fixed. */
export function storedDebrief(d: Debrief): Debrief {
  const { rubric: _rubric, ...rest } = contractDebrief(d);
  void _rubric;
  return rest;
}

/** A skill's value as the debrief shows it: 0 when not used, never a default half. */
export function skillValue(v: number): string {
  return v <= 0 ? '0' : Math.max(0.1, v).toFixed(1);
}

function turnsText(texts: Texts, turns: number, lang: Lang): string {
  return turns === 1
    ? texts.t('roleplay.debrief.turns_one', lang)
    : texts.t('roleplay.debrief.turns_other', lang, { n: turns });
}

/** The readable scorecard (the bars are drawn by channels that can). */
function debriefText(texts: Texts, d: Debrief, lang: Lang): string {
  const lines = [
    texts.t('roleplay.debrief.title', lang, {
      scenario: texts.t(`roleplay.scenario.${d.scenario}`, lang),
      difficulty: texts.t(`roleplay.difficulty.${d.difficulty}`, lang),
    }),
    texts.t('roleplay.debrief.outcome', lang, {
      outcome: texts.t(`roleplay.outcome.${d.outcome}`, lang),
      rate:
        d.finalRate !== null
          ? texts.t('roleplay.debrief.final_rate', lang, { rate: formatRate(d.finalRate) })
          : '',
      score: d.score,
      turns: turnsText(texts, d.turns, lang),
    }),
  ];
  if (d.drill)
    lines.push(texts.t('roleplay.debrief.drill', lang, { skill: skillName(texts, d.drill, lang) }));
  if (d.terms?.length)
    lines.push(
      texts.t('roleplay.debrief.terms', lang, { terms: d.terms.join(texts.t('roleplay.terms_sep', lang)) }),
    );
  for (const skill of SKILLS) {
    const value = d.skills[skill] ?? 0;
    const quote = d.quotes[skill];
    const evidence =
      value > 0 && quote
        ? texts.t('roleplay.debrief.quote', lang, { quote })
        : value > 0
          ? ''
          : texts.t('roleplay.debrief.not_used', lang);
    lines.push(
      texts.t('roleplay.debrief.skill', lang, {
        name: skillName(texts, skill, lang),
        value: skillValue(value),
        evidence,
      }),
    );
  }
  if (d.firmer)
    lines.push(
      d.firmer === 1
        ? texts.t('roleplay.debrief.firmer_one', lang)
        : texts.t('roleplay.debrief.firmer_other', lang, { n: d.firmer }),
    );
  if (d.annotations?.length) {
    lines.push(texts.t('roleplay.debrief.annotations', lang));
    for (const a of d.annotations)
      lines.push(texts.t('roleplay.debrief.annotation', lang, { turn: a.turn, text: a.text, note: a.note }));
  }
  if (d.tips.length > 0) {
    lines.push(texts.t('roleplay.debrief.next_time', lang));
    d.tips.forEach((t, i) => lines.push(`${i + 1}. ${t.text}`));
  }
  return lines.join('\n');
}

export function debriefReply(deps: CoachDeps, debrief: Debrief, lang: Lang): Reply {
  const refs = [
    'action:again',
    ...(debrief.difficulty !== 'hard' ? ['action:again_harder'] : []),
    ...debrief.tips.slice(0, 1).map((t) => `topic:${t.topic}`),
    'action:progress',
  ];
  return {
    text: debriefText(deps.kb.texts, debrief, lang),
    actions: labels(deps, refs, lang),
    card: { kind: 'debrief', lang, ...debrief },
  };
}

export function lastDebriefReply(deps: CoachDeps, last: unknown, lang: Lang): Reply {
  if (!last) {
    return {
      text: deps.kb.texts.t('roleplay.no_practice_yet', lang),
      actions: labels(deps, ['action:roleplay'], lang),
    };
  }
  const reply = debriefReply(deps, last as Debrief, lang);
  return { ...reply, text: `${deps.kb.texts.t('roleplay.last_head', lang)}\n${reply.text}` };
}

// ---------------------------------------------------------------------------- progress

/** What every channel draws for /progress and the home view. */
export interface ProgressCard extends CoachCard {
  kind: 'progress';
  lang: Lang;
  title: string;
  first: string;
  latest?: string;
  scoresLabel: string;
  scores: number[];
  skills: { name: string; series: number[]; from: string; to: string }[];
  trendLabel: string;
  next: string;
}

/** The progress card of a user's record, or nothing before their first rehearsal. */
export function progressCard(
  texts: Texts,
  profile: Pick<UserProfile, 'practice'>,
  lang: Lang,
): ProgressCard | undefined {
  const summary = progressSummary(profile.practice ?? []);
  if (!summary) return undefined;
  const scene = (e: { s: string; d: string }): string =>
    texts.t('progress.scene', lang, {
      scenario: texts.t(`roleplay.scenario.${e.s}`, lang),
      difficulty: texts.t(`roleplay.difficulty.${e.d}`, lang),
    });
  const delta = summary.delta > 0 ? `+${summary.delta}` : summary.delta < 0 ? `−${-summary.delta}` : '±0';
  const one = summary.count === 1;
  return {
    kind: 'progress',
    lang,
    title: one
      ? texts.t('progress.title_one', lang)
      : texts.t('progress.title_other', lang, { n: summary.count }),
    first: texts.t('progress.first', lang, {
      date: summary.first.t,
      scene: scene(summary.first),
      score: summary.first.n,
    }),
    ...(one
      ? {}
      : {
          latest: texts.t('progress.latest', lang, {
            date: summary.latest.t,
            scene: scene(summary.latest),
            score: summary.latest.n,
            delta,
          }),
        }),
    scoresLabel: texts.t('progress.scores', lang, { chart: sparkline(summary.scores) }),
    scores: summary.scores,
    skills: summary.skills.map((s) => ({
      name: skillName(texts, s.skill, lang),
      series: s.series,
      from: skillValue(s.first),
      to: skillValue(s.last),
    })),
    trendLabel: texts.t('progress.trend', lang),
    next: summary.weakest
      ? texts.t('progress.next', lang, {
          skill: skillName(texts, summary.weakest, lang),
          what: texts.t(`debrief.rubric_${summary.weakest}`, lang),
        })
      : one
        ? texts.t('progress.only_one', lang)
        : texts.t('progress.all_good', lang),
    ...(summary.weakest ? { drill: summary.weakest } : {}),
  };
}

/** /progress: first against latest, each skill's trend, and a button for the next drill. */
export function progressReply(deps: CoachDeps, profile: Pick<UserProfile, 'practice'>, lang: Lang): Reply {
  const { texts } = deps.kb;
  const card = progressCard(texts, profile, lang);
  if (!card)
    return { text: texts.t('progress.none', lang), actions: labels(deps, ['action:roleplay'], lang) };
  const rows = card.skills.map((s) =>
    texts.t('progress.skill_row', lang, { name: s.name, chart: sparkline(s.series), from: s.from, to: s.to }),
  );
  const text = [
    card.title,
    card.first,
    ...(card.latest ? [card.latest] : []),
    card.scoresLabel,
    texts.t('progress.skills', lang),
    ...rows,
    card.next,
  ].join('\n');
  const drill = card.drill as Skill | undefined;
  const refs = [...(drill ? [`action:drill_${drill}`] : []), 'action:roleplay'];
  return { text, actions: labels(deps, refs, lang), card };
}
