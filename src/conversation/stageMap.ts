/** The stage map: the four steps, the challenge branches and the end without agreement, as data for cards and as text. */
import type { Stage } from '../journey/stage';
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';

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
  const named = (stage: Stage) => ({ stage, name: texts.t(`stages.${stage}`, lang) });
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
  return [
    card.mainPath.map(mark).join(' → '),
    `${texts.t('stages.map_challenges', lang)}: ${card.branches.map(mark).join(' · ')}  |  ${mark(card.end)}`,
  ];
}
