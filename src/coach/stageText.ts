/** How stages are named and drawn for the user (status, stage changes): knowledge/ui/stages.yaml. */
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Stage } from '../journey/stage';

/** Each stage's name, as an interface text key. */
export const STAGE_KEYS: Record<Stage, string> = {
  planning: 'stages.planning',
  first_contact: 'stages.first_contact',
  making_demands: 'stages.making_demands',
  compromise: 'stages.compromise',
  refused: 'stages.refused',
  alternatives: 'stages.alternatives',
  mediation: 'stages.mediation',
  agreement: 'stages.agreement',
  no_agreement: 'stages.no_agreement',
};

/** A stage's name in the user's language ("制定计划", "Planning"). */
export function stageName(texts: Texts, stage: Stage, lang: Lang): string {
  return texts.t(STAGE_KEYS[stage], lang);
}

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

export function stageMapCard(texts: Texts, current: Stage, lang: Lang): StageMapCard {
  const named = (stage: Stage) => ({ stage, name: stageName(texts, stage, lang) });
  return {
    kind: 'stage_map',
    current,
    mainPath: MAIN_PATH.map(named),
    branches: BRANCHES.map(named),
    end: named('no_agreement'),
  };
}

/** A compact text picture: the four steps and the outcome, the branches below, the current one marked. */
export function drawStageMap(texts: Texts, card: StageMapCard, lang: Lang): string[] {
  const mark = (s: { stage: Stage; name: string }): string =>
    s.stage === card.current ? `【${s.name}】` : s.name;
  const main = card.mainPath.map(mark).join(' → ');
  const branches = card.branches.map(mark).join(' · ');
  return [main, `${texts.t('stages.map_challenges', lang)}: ${branches}  |  ${mark(card.end)}`];
}
