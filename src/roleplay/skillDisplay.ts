/** How every channel names and draws the debrief's skills: one label set, one bar. */
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Skill } from './debrief';

/** Each skill's name, as an interface text key (knowledge/ui/debrief.yaml). */
const SKILL_KEYS: Record<Skill, string> = {
  data: 'debrief.skill_data',
  cases: 'debrief.skill_cases',
  mutual_benefit: 'debrief.skill_mutual_benefit',
  joint_solution: 'debrief.skill_joint_solution',
  respect: 'debrief.skill_respect',
  flexibility: 'debrief.skill_flexibility',
};

/** A skill's name in the user's language ("数据支持", "Data"). */
export function skillName(texts: Texts, skill: Skill, lang: Lang): string {
  return texts.t(SKILL_KEYS[skill], lang);
}

/** A bar of `width` cells for a value in [0, 1]. */
export function bar(value: number, width = 10): string {
  const filled = Math.round(Math.max(0, Math.min(1, value)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
