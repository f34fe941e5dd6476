/**
 * How the terminal shows the bot's replies: the text, any coach card drawn as text (a bar chart
 * for a debrief, a line for the stage map), and the suggested actions as numbered choices.
 */
import type { Activity } from 'botbuilder';
import type { Texts } from '../../knowledge/texts';
import { COACH_CARD, type CoachCard } from '../../runtime/reply';

export function replyActions(activity: Partial<Activity>): string[] {
  return (activity.suggestedActions?.actions ?? []).map((a) => String(a.title ?? a.value ?? ''));
}

export function replyCards(activity: Partial<Activity>): CoachCard[] {
  return (activity.attachments ?? [])
    .filter((a) => a.contentType === COACH_CARD && a.content && typeof a.content === 'object')
    .map((a) => a.content as CoachCard);
}

/** Draws a card as lines of text, its labels looked up in `texts`. */
type CardRenderer = (texts: Texts, card: CoachCard) => string[];
const cardRenderers = new Map<string, CardRenderer>();

/** Card kinds register how they look in the terminal (debrief, stage map…). */
export function registerTerminalCard(kind: string, render: CardRenderer): void {
  cardRenderers.set(kind, render);
}

export function renderReply(texts: Texts, activity: Partial<Activity>): { text: string; actions: string[] } {
  const lines = [activity.text ?? ''];
  for (const card of replyCards(activity)) lines.push(...(cardRenderers.get(card.kind)?.(texts, card) ?? []));
  return { text: lines.filter((l) => l !== '').join('\n'), actions: replyActions(activity) };
}

export function renderActions(actions: string[]): string {
  return actions.map((a, i) => `[${i + 1}] ${a}`).join('   ');
}
