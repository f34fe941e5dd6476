/**
 * How the terminal shows the coach's replies: the text, any coach card drawn as text (a bar chart
 * for a debrief), and the buttons as numbered choices.
 */
import type { CoachCard, Reply } from '../../conversation/types';

type CardRenderer = (card: CoachCard) => string[];
const cardRenderers = new Map<string, CardRenderer>();

/** Card kinds register how they look in the terminal (debrief, stage map…). */
export function registerTerminalCard(kind: string, render: CardRenderer): void {
  cardRenderers.set(kind, render);
}

export function renderReply(reply: Reply): { text: string; actions: string[] } {
  const lines = [reply.text];
  if (reply.card) lines.push(...(cardRenderers.get(reply.card.kind)?.(reply.card) ?? []));
  return { text: lines.filter((l) => l !== '').join('\n'), actions: reply.actions };
}

export function renderActions(actions: readonly string[]): string {
  return actions.map((a, i) => `[${i + 1}] ${a}`).join('   ');
}
