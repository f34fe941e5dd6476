/**
 * How the web chat reaches the coach. The Direct Line routes, tokens, log, streams and page talk
 * only to `CoachBridge`; this file holds its implementation over the app: a bridge turn is an app
 * turn of the issued web user (`webchat:<id>`), and its replies come back as Bot Framework
 * activities (suggested actions, Adaptive Cards) ready for Web Chat.
 */
import type { Activity } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import type { CoachApp } from '../../app/coachApp';
import { replyToActivity } from '../botframework/activities';

export const WEBCHAT_CHANNEL = 'webchat';

/** Events the web page sends that the bridge understands. */
export const JOIN_EVENT = 'webchat/join';
/** The page's language switch: value `zh` or `en`; the coach answers from then on in it. */
const LANG_EVENT = 'webchat/lang';
/** The user's plan as Markdown: one message with textFormat `markdown`, or a plain "no plan yet". */
export const PLAN_EVENT = 'coach/plan';

export interface BridgeTurn {
  /** Whose turn: `webchat:<id the server issued>`. */
  userId: string;
  conversationId: string;
  type: 'message' | 'join' | 'event';
  text?: string;
  name?: string;
  locale?: string;
  value?: unknown;
}

export interface CoachBridge {
  /** Runs one turn; resolves to the replies, ready to send (text, suggested actions, Adaptive Cards). */
  turn(activity: BridgeTurn): Promise<Partial<Activity>[]>;
}

export function createBridge(app: CoachApp): CoachBridge {
  const texts = app.deps.kb.texts;
  const run = async (
    turn: BridgeTurn,
    kind: 'message' | 'join' | 'event',
    text?: string,
  ): Promise<Partial<Activity>[]> => {
    const out = await app.turn({
      identity: turn.userId,
      conversation: `${WEBCHAT_CHANNEL}/${turn.conversationId}`,
      channel: 'webchat',
      kind,
      text,
      name: turn.name,
      locale: turn.locale,
      // The limit is the user's, whichever of their conversations or instances a message arrives on.
      limitKey: kind === 'message' ? turn.userId : undefined,
    });
    return out.replies.map((reply) => replyToActivity(texts, reply));
  };
  return {
    async turn(turn) {
      switch (turn.type) {
        case 'message':
          return run(turn, 'message', turn.text ?? '');
        case 'join':
          return run(turn, 'join');
        case 'event': {
          if (turn.name === LANG_EVENT && (turn.value === 'zh' || turn.value === 'en'))
            return run(turn, 'message', `/lang ${turn.value}`);
          if (turn.name === PLAN_EVENT) {
            const plan = await app.planExport(turn.userId, turn.locale);
            return [
              plan.markdown !== undefined
                ? { type: ActivityTypes.Message, textFormat: 'markdown', text: plan.markdown }
                : {
                    type: ActivityTypes.Message,
                    textFormat: 'plain',
                    text: texts.t('plan.no_plan_to_export', plan.lang),
                  },
            ];
          }
          return run(turn, 'event');
        }
      }
    },
  };
}
