/** Builds the coach's replies: text plus the next actions as suggested-action buttons. */
import { ActionTypes, ActivityTypes, type Activity, type Attachment, type TurnContext } from 'botbuilder';

/** A channel-neutral structured payload (debrief, stage map, plan) that each channel renders its own way. */
export const COACH_CARD = 'application/vnd.coach.card+json';

export interface CoachCard {
  kind: string;
  [key: string]: unknown;
}

export function message(text: string, actions: readonly string[] = [], card?: CoachCard): Partial<Activity> {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, text, textFormat: 'plain' };
  if (actions.length > 0) {
    // imBack with title = value: a click sends the label itself, which the coach understands
    // as typed text too (CONTRACTS section 2: an action's text sent back is the user's choice).
    activity.suggestedActions = {
      to: [],
      actions: actions.map((a) => ({ type: ActionTypes.ImBack, title: a, value: a })),
    };
  }
  if (card) {
    const attachment: Attachment = { contentType: COACH_CARD, content: card };
    activity.attachments = [attachment];
  }
  return activity;
}

export function say(
  context: TurnContext,
  text: string,
  actions: readonly string[] = [],
  card?: CoachCard,
): Promise<void> {
  return context.sendActivity(message(text, actions, card)).then(() => undefined);
}
