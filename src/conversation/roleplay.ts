/**
 * The role-play's words around the representative: which scene and difficulty a message names,
 * the introduction, the representative's lines with their speaker, and the debrief as text and
 * as a card (CONTRACTS section 8).
 */
import { formatRate } from '../fees/feeMath';
import { SCENARIOS, type Lang, type Scenario } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import { normalizeText } from '../text/normalize';
import type { Difficulty } from '../nlu/types';
import { SKILLS, type Debrief } from '../roleplay/debrief';
import { skillName } from '../roleplay/skillDisplay';
import { labels, type CoachDeps } from './flow';
import type { Reply } from './types';

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

/** The debrief as CONTRACTS section 8 defines it (plus the quotes and tips as extensions). */
export function contractDebrief(d: Debrief): Debrief {
  return {
    scenario: d.scenario,
    difficulty: d.difficulty,
    outcome: d.outcome,
    score: d.score,
    skills: d.skills,
    finalRate: d.finalRate,
    turns: d.turns,
    quotes: d.quotes,
    tips: d.tips,
  };
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
      turns: d.turns,
    }),
  ];
  for (const skill of SKILLS) {
    const quote = d.quotes[skill];
    const evidence = quote
      ? texts.t('roleplay.debrief.quote', lang, { quote })
      : texts.t('roleplay.debrief.not_used', lang);
    lines.push(`• ${skillName(texts, skill, lang)} ${d.skills[skill].toFixed(1)} ${evidence}`);
  }
  if (d.tips.length > 0) {
    lines.push(texts.t('roleplay.debrief.next_time', lang));
    d.tips.forEach((t, i) => lines.push(`${i + 1}. ${t.text}`));
  }
  return lines.join('\n');
}

export function debriefReply(deps: CoachDeps, debrief: Debrief, lang: Lang): Reply {
  const refs = ['action:roleplay', ...debrief.tips.slice(0, 2).map((t) => `topic:${t.topic}`)];
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
  return debriefReply(deps, last as Debrief, lang);
}
