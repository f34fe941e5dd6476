/** How every channel names and draws the debrief's skills: one label set, one bar. */
import type { Skill } from './debrief';

export const SKILL_NAMES: Record<Skill, { zh: string; en: string }> = {
  data: { zh: '数据支持', en: 'Data' },
  cases: { zh: '成功案例', en: 'Cases' },
  mutual_benefit: { zh: '共同利益', en: 'Common interest' },
  joint_solution: { zh: '共同方案', en: 'Joint solution' },
  respect: { zh: '相互尊重', en: 'Respect' },
  flexibility: { zh: '灵活变通', en: 'Flexibility' },
};

/** A bar of `width` cells for a value in [0, 1]. */
export function bar(value: number, width = 10): string {
  const filled = Math.round(Math.max(0, Math.min(1, value)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
