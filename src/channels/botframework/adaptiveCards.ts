/**
 * Rendering for Bot Framework channels (Teams, Web Chat, the Emulator): the coach's cards become
 * Adaptive Cards — the role-play debrief as a scorecard with bars and its turn-by-turn notes,
 * /progress as a chart, the stage map with the current stage marked. Suggested actions are already Bot Framework suggested actions.
 */
import { CardFactory, type Attachment } from 'botbuilder';
import type { StageMapCard } from '../../conversation/stageMap';
import type { Lang } from '../../knowledge/schema';
import type { Texts } from '../../knowledge/texts';
import { skillValue, type ProgressCard } from '../../conversation/roleplay';
import { SKILLS, type Debrief } from '../../roleplay/debrief';
import { sparkline } from '../../roleplay/progress';
import { bar, skillName } from '../../roleplay/skillDisplay';
import type { CoachCard } from '../../conversation/types';

/** "2. …" as Markdown is a list that renderers may renumber from 1: a no-break space keeps it text. */
const numbered = (i: number, text: string): string => `${i + 1}.\u00a0${text}`;

export function debriefCard(texts: Texts, card: CoachCard & Partial<Debrief>): Attachment {
  const lang: Lang = card.lang === 'en' ? 'en' : 'zh';
  const skills = card.skills ?? ({} as Debrief['skills']);
  const outcome = card.outcome ? texts.t(`roleplay.outcome.${card.outcome}`, lang) : '';
  const annotations = card.annotations ?? [];
  const tips = card.tips ?? [];
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: texts.t('cards.debrief_title', lang), weight: 'Bolder', size: 'Medium' },
      {
        type: 'FactSet',
        facts: [
          { title: texts.t('cards.outcome', lang), value: outcome },
          { title: texts.t('cards.score', lang), value: `${card.score ?? 0}/100` },
          { title: texts.t('cards.turns', lang), value: String(card.turns ?? 0) },
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
                text: `${bar(skills[s] ?? 0)} ${skillValue(skills[s] ?? 0)}`,
                fontType: 'Monospace',
              },
            ],
          },
        ],
      })),
      ...(card.firmer
        ? [
            {
              type: 'TextBlock',
              text:
                card.firmer === 1
                  ? texts.t('roleplay.debrief.firmer_one', lang)
                  : texts.t('roleplay.debrief.firmer_other', lang, { n: card.firmer }),
              wrap: true,
              color: 'Warning',
            },
          ]
        : []),
      ...(annotations.length
        ? [
            {
              type: 'TextBlock',
              text: texts.t('cards.annotations', lang),
              weight: 'Bolder',
              spacing: 'Medium',
            },
            ...annotations.map((a) => ({
              type: 'TextBlock',
              text: texts.t('roleplay.debrief.annotation', lang, {
                turn: a.turn,
                text: a.text,
                note: a.note,
              }),
              wrap: true,
              spacing: 'Small',
              size: 'Small',
            })),
          ]
        : []),
      ...(tips.length
        ? [
            { type: 'TextBlock', text: texts.t('cards.tips', lang), weight: 'Bolder', spacing: 'Medium' },
            ...tips.map((t, i) => ({
              type: 'TextBlock',
              text: numbered(i, t.text),
              wrap: true,
              spacing: 'Small',
            })),
          ]
        : []),
    ],
  });
}

/** /progress as a card: first and latest, the scores as a bar chart, each skill's trend. */
export function progressAdaptiveCard(card: ProgressCard): Attachment {
  const BAR_PX = 48;
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: card.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: card.first, wrap: true, spacing: 'Small' },
      ...(card.latest ? [{ type: 'TextBlock', text: card.latest, wrap: true, spacing: 'None' }] : []),
      // The scores as bars, oldest to latest (a container's height is the score).
      {
        type: 'ColumnSet',
        spacing: 'Medium',
        columns: card.scores.map((v) => ({
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'Bottom',
          minHeight: `${BAR_PX}px`,
          items: [
            {
              type: 'Container',
              style: 'accent',
              minHeight: `${Math.max(2, Math.round(v * BAR_PX))}px`,
              items: [],
            },
          ],
        })),
      },
      { type: 'TextBlock', text: card.trendLabel, weight: 'Bolder', spacing: 'Medium' },
      ...card.skills.map((s) => ({
        type: 'ColumnSet',
        spacing: 'None',
        columns: [
          { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: s.name }] },
          {
            type: 'Column',
            width: 'auto',
            items: [
              { type: 'TextBlock', text: `${sparkline(s.series)} ${s.from}→${s.to}`, fontType: 'Monospace' },
            ],
          },
        ],
      })),
      { type: 'TextBlock', text: card.next, wrap: true, spacing: 'Medium' },
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
