/**
 * The coach's replies as Bot Framework activities (Teams, the Emulator, Web Chat): text, the
 * buttons as suggested actions whose click sends the caption (which the coach reads as the user's
 * choice), and the coach's cards as Adaptive Cards — the debrief as a scorecard, the stage map
 * with the current stage marked.
 */
import { ActionTypes, ActivityTypes, type Activity, type Attachment } from 'botbuilder';
import type { CoachCard, Reply } from '../../conversation/types';
import type { StageMapCard } from '../../conversation/stageMap';
import type { Texts } from '../../knowledge/texts';
import type { Debrief } from '../../roleplay/debrief';
import type { ProgressCard } from '../../conversation/roleplay';
import { debriefCard, progressAdaptiveCard, stageMapAdaptiveCard } from './adaptiveCards';

function cardAttachment(texts: Texts, card: CoachCard): Attachment | undefined {
  if (card.kind === 'debrief') return debriefCard(texts, card as CoachCard & Partial<Debrief>);
  if (card.kind === 'stage_map') return stageMapAdaptiveCard(card as unknown as StageMapCard);
  if (card.kind === 'progress') return progressAdaptiveCard(card as ProgressCard);
  return undefined;
}

export function replyToActivity(texts: Texts, reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = { type: ActivityTypes.Message, text: reply.text, textFormat: 'plain' };
  if (reply.actions.length > 0) {
    // imBack with title = value: a click sends the caption itself (CONTRACTS section 2).
    activity.suggestedActions = {
      to: [],
      actions: reply.actions.map((a) => ({ type: ActionTypes.ImBack, title: a, value: a })),
    };
  }
  const attachment = reply.card ? cardAttachment(texts, reply.card) : undefined;
  if (attachment) activity.attachments = [attachment];
  return activity;
}
