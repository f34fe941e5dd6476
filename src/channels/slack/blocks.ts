/**
 * Block Kit rendering of the coach's replies: text as sections, suggested actions as buttons
 * whose click is the user's reply, the debrief as a scorecard with its turn-by-turn notes,
 * /progress as a text chart, and the App Home view (with the progress).
 */
import type { KnownBlock } from '@slack/types';
import type { Lang } from '../../knowledge/schema';
import type { Texts } from '../../knowledge/texts';
import { skillValue, type ProgressCard } from '../../conversation/roleplay';
import { SKILLS, type Debrief } from '../../roleplay/debrief';
import { sparkline } from '../../roleplay/progress';
import { bar, skillName } from '../../roleplay/skillDisplay';
import type { CoachCard, Reply } from '../../conversation/types';

// Slack's limits: 3000 characters of section text, 75 of button text, 25 elements per actions block.
const SECTION_LIMIT = 2900;
const BUTTON_TEXT_LIMIT = 75;
const BUTTONS_PER_BLOCK = 5;

export const BUTTON_ACTION_PREFIX = 'coach_btn_';

/**
 * A block as we build it. Built as plain objects and handed to Slack's API as its KnownBlock
 * type at the boundary (toKnownBlocks), which keeps the builders short.
 */
export type Block = Record<string, unknown>;

export function toKnownBlocks(blocks: Block[]): KnownBlock[] {
  return blocks as unknown as KnownBlock[];
}

/** mrkdwn needs &, < and > escaped; everything else is shown as typed. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sections(text: string): Block[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current.length + line.length + 1 > SECTION_LIMIT && current) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line.slice(0, SECTION_LIMIT);
  }
  if (current.trim()) chunks.push(current);
  return chunks.map((c) => ({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(c) } }));
}

function buttons(labels: string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < labels.length; i += BUTTONS_PER_BLOCK) {
    blocks.push({
      type: 'actions',
      elements: labels.slice(i, i + BUTTONS_PER_BLOCK).map((label, j) => ({
        type: 'button',
        action_id: `${BUTTON_ACTION_PREFIX}${i + j}`,
        text: { type: 'plain_text', text: label.slice(0, BUTTON_TEXT_LIMIT), emoji: true },
        value: label,
      })),
    });
  }
  return blocks;
}

function debriefBlocks(texts: Texts, d: Debrief & { lang?: Lang }): Block[] {
  const lang: Lang = d.lang === 'en' ? 'en' : 'zh';
  const rows = SKILLS.map(
    (s) =>
      `${bar(d.skills[s] ?? 0)} ${skillValue(d.skills[s] ?? 0).padStart(3)}  ${skillName(texts, s, lang)}`,
  );
  const fields = [
    `*${texts.t('cards.outcome', lang)}*\n${texts.t(`roleplay.outcome.${d.outcome}`, lang)}`,
    `*${texts.t('cards.score', lang)}*\n${d.score}/100`,
    `*${texts.t('cards.turns', lang)}*\n${d.turns}`,
    ...(d.finalRate !== null ? [`*${texts.t('cards.final_rate', lang)}*\n${d.finalRate}%`] : []),
  ];
  const notes = (d.annotations ?? []).map((a) =>
    texts.t('roleplay.debrief.annotation', lang, { turn: a.turn, text: a.text, note: a.note }),
  );
  const firmer = d.firmer
    ? d.firmer === 1
      ? texts.t('roleplay.debrief.firmer_one', lang)
      : texts.t('roleplay.debrief.firmer_other', lang, { n: d.firmer })
    : '';
  return [
    { type: 'header', text: { type: 'plain_text', text: texts.t('cards.debrief_title.slack', lang) } },
    { type: 'section', fields: fields.map((f) => ({ type: 'mrkdwn', text: f })) },
    { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${rows.join('\n')}\`\`\`` } },
    ...(firmer ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(firmer) }] }] : []),
    ...(notes.length
      ? [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${escapeMrkdwn(texts.t('cards.annotations', lang))}*` },
          },
          ...sections(notes.join('\n')),
        ]
      : []),
    ...(d.tips.length
      ? [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*${texts.t('cards.tips', lang)}*\n${escapeMrkdwn(d.tips.map((t, i) => `${i + 1}. ${t.text}`).join('\n'))}`,
            },
          },
        ]
      : []),
  ];
}

/** /progress as blocks: first and latest, the trends as a text chart, the next drill. */
function progressBlocks(card: ProgressCard): Block[] {
  const rows = [
    card.scoresLabel,
    ...card.skills.map((s) => `${sparkline(s.series)} ${s.from}→${s.to}  ${s.name}`),
  ];
  return [
    { type: 'header', text: { type: 'plain_text', text: card.title } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: escapeMrkdwn([card.first, ...(card.latest ? [card.latest] : [])].join('\n')),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${escapeMrkdwn(rows.join('\n'))}\`\`\`` } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(card.next) } },
  ];
}

/** One coach reply as a Slack message: fallback text plus blocks. */
export function toSlackMessage(texts: Texts, reply: Reply): { text: string; blocks: Block[] } {
  const text = reply.text;
  const debrief = reply.card?.kind === 'debrief' ? (reply.card as CoachCard & Debrief) : undefined;
  const progress = reply.card?.kind === 'progress' ? (reply.card as ProgressCard) : undefined;
  const body = debrief ? debriefBlocks(texts, debrief) : progress ? progressBlocks(progress) : sections(text);
  return {
    text: text.slice(0, 3000) || ' ',
    blocks: [...body, ...buttons([...reply.actions])].slice(0, 50),
  };
}

export interface HomeCard {
  kind: 'home';
  lang: Lang;
  title: string;
  stageText: string;
  actions: string[];
  quickStarts: string[];
  lastDebrief?: Debrief;
  lastDebriefTitle: string;
  /** The user's progress over their rehearsals, once they have one. */
  progress?: ProgressCard;
}

/** A header inside the home view reads as a bold section (the view has one header, its title). */
function headerAsSection(block: Block): Block {
  if (block.type !== 'header') return block;
  const text = (block.text as { text: string }).text;
  return { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(text)}*` } };
}

/** The App Home tab: stage map, next actions, the last debrief, progress, quick starts. */
export function homeView(texts: Texts, home: HomeCard): { type: 'home'; blocks: KnownBlock[] } {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: home.title } },
    ...sections(home.stageText),
    ...buttons(home.actions),
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(home.lastDebriefTitle)}*` } },
    ...(home.lastDebrief ? debriefBlocks(texts, { ...home.lastDebrief, lang: home.lang }).slice(1) : []),
    ...(home.progress ? [{ type: 'divider' }, ...progressBlocks(home.progress).map(headerAsSection)] : []),
    { type: 'divider' },
    ...buttons(home.quickStarts),
  ];
  return { type: 'home', blocks: toKnownBlocks(blocks.slice(0, 100)) };
}
