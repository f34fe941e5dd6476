/** How the coach's cards look in a terminal: the debrief as a small bar chart, the stage map. */
import type { Lang } from '../../knowledge/schema';
import type { Texts } from '../../knowledge/texts';
import { SKILLS, type Skill } from '../../roleplay/debrief';
import type { CoachCard } from '../../conversation/types';
import { bar, skillName } from '../../roleplay/skillDisplay';
import { registerTerminalCard } from './render';

/** Display width of a label: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

function renderDebriefBars(texts: Texts, card: CoachCard): string[] {
  const lang: Lang = card.lang === 'en' ? 'en' : 'zh';
  const skills = (card.skills ?? {}) as Partial<Record<Skill, number>>;
  const labels = SKILLS.map((s) => skillName(texts, s, lang));
  const pad = Math.max(...labels.map(width));
  return [
    '',
    ...SKILLS.map((s, i) => {
      const label = labels[i] as string;
      const value = skills[s] ?? 0;
      return `  ${label}${' '.repeat(pad - width(label))}  ${bar(value)} ${value.toFixed(1)}`;
    }),
  ];
}

registerTerminalCard('debrief', renderDebriefBars);
registerTerminalCard('stage_map', () => []); // the reply text already draws the map
registerTerminalCard('progress', () => []); // the reply text already draws the trends
