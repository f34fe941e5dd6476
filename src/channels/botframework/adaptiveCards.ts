/**
 * Rendering for Bot Framework channels (Teams, Web Chat, the Emulator): the coach's cards become
 * Adaptive Cards — the role-play debrief as a scorecard with bars, the stage map with the
 * current stage marked. Suggested actions are already Bot Framework suggested actions.
 */
import { CardFactory, type Attachment } from 'botbuilder';
import type { StageMapCard } from '../../conversation/stageMap';
import type { Lang } from '../../knowledge/schema';
import type { Texts } from '../../knowledge/texts';
import { SKILLS, type Debrief } from '../../roleplay/debrief';
import { bar, skillName } from '../../roleplay/skillDisplay';
import type { CoachCard } from '../../conversation/types';

export function debriefCard(texts: Texts, card: CoachCard & Partial<Debrief>): Attachment {
  const lang: Lang = card.lang === 'en' ? 'en' : 'zh';
  const skills = card.skills ?? ({} as Debrief['skills']);
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: texts.t('cards.debrief_title', lang), weight: 'Bolder', size: 'Medium' },
      {
        type: 'FactSet',
        facts: [
          { title: texts.t('cards.outcome', lang), value: String(card.outcome ?? '') },
          { title: texts.t('cards.score', lang), value: `${card.score ?? 0}/100` },
          ...(card.finalRate !== null && card.finalRate !== undefined
            ? [{ title: texts.t('cards.final_rate', lang), value: `${card.finalRate}%` }]
            : []),
        ],
      },
      ...SKILLS.map((s) => ({
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'stretch',
            items: [{ type: 'TextBlock', text: skillName(texts, s, lang) }],
          },
          {
            type: 'Column',
            width: 'auto',
            items: [
              {
                type: 'TextBlock',
                text: `${bar(skills[s] ?? 0)} ${(skills[s] ?? 0).toFixed(1)}`,
                fontType: 'Monospace',
              },
            ],
          },
        ],
      })),
      ...(card.tips ?? []).map((t, i) => ({
        type: 'TextBlock',
        text: `${i + 1}. ${t.text}`,
        wrap: true,
        spacing: 'Small',
      })),
    ],
  });
}

export function stageMapAdaptiveCard(card: StageMapCard): Attachment {
  const mark = (s: { stage: string; name: string }) => ({
    type: 'TextBlock',
    text: s.stage === card.current ? `▶ ${s.name}` : s.name,
    weight: s.stage === card.current ? 'Bolder' : 'Default',
    color: s.stage === card.current ? 'Accent' : 'Default',
    spacing: 'None',
  });
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      ...card.mainPath.map(mark),
      { type: 'TextBlock', text: '—', spacing: 'Small' },
      ...card.branches.map(mark),
      mark(card.end),
    ],
  });
}
