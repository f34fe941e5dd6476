/**
 * How the terminal shows the coach's replies: the text, any coach card drawn as text (a bar chart
 * for a debrief), and the buttons as numbered choices.
 */
import type { CoachCard, Reply } from '../../conversation/types';
import type { Texts } from '../../knowledge/texts';

/** Draws a card as lines of text, its labels looked up in `texts`. */
type CardRenderer = (texts: Texts, card: CoachCard) => string[];
const cardRenderers = new Map<string, CardRenderer>();

/** Card kinds register how they look in the terminal (debrief, stage map…). */
export function registerTerminalCard(kind: string, render: CardRenderer): void {
  cardRenderers.set(kind, render);
}

export function renderReply(texts: Texts, reply: Reply): { text: string; actions: string[] } {
  const lines = [reply.text];
  if (reply.card) lines.push(...(cardRenderers.get(reply.card.kind)?.(texts, reply.card) ?? []));
  return { text: lines.filter((l) => l !== '').join('\n'), actions: reply.actions };
}

export function renderActions(actions: readonly string[]): string {
  return actions.map((a, i) => `[${i + 1}] ${a}`).join('   ');
}
