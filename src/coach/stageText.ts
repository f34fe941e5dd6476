/** How stages are named and drawn for the user (status, stage changes). */
import type { Lang } from '../knowledge/schema';
import type { Stage } from '../journey/stage';

export const STAGE_NAMES: Record<Stage, { zh: string; en: string }> = {
  planning: { zh: '制定计划', en: 'Planning' },
  first_contact: { zh: '初步接触', en: 'First contact' },
  making_demands: { zh: '提出要求', en: 'Making demands' },
  compromise: { zh: '妥协与协议', en: 'Compromise' },
  refused: { zh: '被拒绝', en: 'Refused' },
  alternatives: { zh: '寻找替代方案', en: 'Alternatives' },
  mediation: { zh: '第三方调解', en: 'Mediation' },
  agreement: { zh: '达成协议', en: 'Agreement' },
  no_agreement: { zh: '未达成协议', en: 'No agreement' },
};

const MAIN_PATH: Stage[] = ['planning', 'first_contact', 'making_demands', 'compromise', 'agreement'];
const BRANCHES: Stage[] = ['refused', 'alternatives', 'mediation'];

/** The stage map as data, for cards (Slack, Adaptive Cards, terminal). */
export interface StageMapCard {
  kind: 'stage_map';
  current: Stage;
  mainPath: { stage: Stage; name: string }[];
  branches: { stage: Stage; name: string }[];
  end: { stage: Stage; name: string };
  [key: string]: unknown;
}

export function stageMapCard(current: Stage, lang: Lang): StageMapCard {
  const named = (stage: Stage) => ({ stage, name: STAGE_NAMES[stage][lang] });
  return {
    kind: 'stage_map',
    current,
    mainPath: MAIN_PATH.map(named),
    branches: BRANCHES.map(named),
    end: named('no_agreement'),
  };
}

/** A compact text picture: the four steps and the outcome, the branches below, the current one marked. */
export function drawStageMap(card: StageMapCard, lang: Lang): string[] {
  const mark = (s: { stage: Stage; name: string }): string =>
    s.stage === card.current ? `【${s.name}】` : s.name;
  const main = card.mainPath.map(mark).join(' → ');
  const branches = card.branches.map(mark).join(' · ');
  return [main, `${lang === 'zh' ? '  ↳ 挑战' : '  ↳ challenges'}: ${branches}  |  ${mark(card.end)}`];
}
