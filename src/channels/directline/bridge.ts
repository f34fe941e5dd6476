/**
 * How the web chat reaches the coach. The Direct Line routes, tokens, log, streams and page talk
 * only to `CoachBridge`; this file holds its one implementation for today's runtime, so that the
 * coach's core can change without the web channel noticing — another implementation replaces
 * `createBridge` here and nothing else.
 *
 * Today's implementation is a Bot Framework adapter of its own (like the terminal's): it turns a
 * bridge turn into an activity of channel `webchat` from the issued user id, runs the bot through
 * the same middleware as `/api/messages` (turn metrics, the per-user rate limit, Adaptive Card
 * rendering) and hands back what the bot sent in that turn.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { setIdentity } from '../../identity/identity';
import type { Lang } from '../../knowledge/schema';
import type { CoachMetrics } from '../../ops/metrics';
import { buildPlan, planToMarkdown } from '../../plan/buildPlan';
import { RateLimitMiddleware, type RateLimiter } from '../../runtime/rateLimit';
import { COACH_CARD } from '../../runtime/reply';
import { TurnObserver } from '../../runtime/turnObserver';
import { localeLang } from '../../runtime/lang';
import type { CoachRuntime } from '../../runtime/createRuntime';
import { AdaptiveCardRenderer } from '../http/adaptiveCards';

export const WEBCHAT_CHANNEL = 'webchat';

/** Events the web page sends that the bridge understands. */
export const JOIN_EVENT = 'webchat/join';
/** The page's language switch: value `zh` or `en`; the coach answers from then on in it. */
export const LANG_EVENT = 'webchat/lang';
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

const REPLIES = Symbol('webchat.replies');
const BOT = { id: 'coach', name: '协商教练', role: 'bot' };

/** The coach's replies of one turn, collected instead of sent: the routes deliver them. */
class WebChatAdapter extends BotAdapter {
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as Partial<Activity>[] | undefined;
    return activities.map((activity) => {
      if (activity.type !== ActivityTypes.Typing && activity.type !== 'delay' && activity.type !== 'trace')
        replies?.push(activity);
      return { id: randomUUID() };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('web chat replies are not changed once sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('web chat replies are not deleted once sent');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async run(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, identity: string) {
    const context = new TurnContext(this, activity);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(REPLIES, replies);
    setIdentity(context, identity);
    await this.runMiddleware(context, logic);
    return replies;
  }
}

export interface BridgeOptions {
  rateLimiter: RateLimiter;
  metrics?: CoachMetrics;
}

export function createBridge(runtime: CoachRuntime, options: BridgeOptions): CoachBridge {
  const adapter = new WebChatAdapter();
  if (options.metrics) {
    const metrics = options.metrics;
    adapter.use(
      new TurnObserver((o) => {
        metrics.turn(o.channel, o.seconds, o.summary?.intent ?? 'none');
        if (o.error) metrics.error(o.channel, 'turn');
      }),
    );
  }
  // The limit is the user's, whichever of their conversations or instances a message arrives on.
  adapter.use(new RateLimitMiddleware(options.rateLimiter, (context) => identityKey(context)));
  adapter.use(new AdaptiveCardRenderer());
  adapter.onTurnError = async (context, error) => {
    runtime.logger.error('web chat turn failed', { error, channel: context.activity.channelId });
    options.metrics?.error(WEBCHAT_CHANNEL, 'adapter');
  };

  const activityOf = (turn: BridgeTurn, partial: Partial<Activity>): Partial<Activity> => {
    const fromId = turn.userId.slice(turn.userId.indexOf(':') + 1);
    return {
      id: randomUUID(),
      timestamp: new Date(),
      channelId: WEBCHAT_CHANNEL,
      serviceUrl: 'webchat://coach',
      conversation: { id: turn.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: fromId, name: fromId, role: 'user' },
      recipient: BOT,
      locale: turn.locale,
      ...partial,
    };
  };

  const runTurn = async (turn: BridgeTurn, partial: Partial<Activity>): Promise<Partial<Activity>[]> => {
    const replies = await adapter.run(
      activityOf(turn, partial),
      (context) => runtime.bot.run(context),
      turn.userId,
    );
    // Cards the web cannot show (the coach's own home card) are left out; their text stays.
    return replies.map((r) =>
      r.attachments ? { ...r, attachments: r.attachments.filter((a) => a.contentType !== COACH_CARD) } : r,
    );
  };

  return {
    async turn(turn) {
      switch (turn.type) {
        case 'message':
          return runTurn(turn, { type: ActivityTypes.Message, text: turn.text ?? '', value: turn.value });
        case 'join':
          return runTurn(turn, {
            type: ActivityTypes.ConversationUpdate,
            membersAdded: [{ id: turn.userId.slice(turn.userId.indexOf(':') + 1), name: 'user' }],
          });
        case 'event':
          if (turn.name === LANG_EVENT && (turn.value === 'zh' || turn.value === 'en'))
            return runTurn(turn, { type: ActivityTypes.Message, text: `/lang ${turn.value}` });
          if (turn.name === PLAN_EVENT)
            return [await planReply(runtime, adapter, turn, activityOf(turn, {}))];
          return runTurn(turn, { type: ActivityTypes.Event, name: turn.name, value: turn.value });
      }
    },
  };
}

function identityKey(context: TurnContext): string {
  return `${WEBCHAT_CHANNEL}:${context.activity.from?.id ?? 'anonymous'}`;
}

/**
 * The plan as `coach plan --export` writes it, for the user's record (or the record their
 * identity is linked to). It only reads: no turn runs, nothing of the conversation changes.
 */
async function planReply(
  runtime: CoachRuntime,
  adapter: WebChatAdapter,
  turn: BridgeTurn,
  activity: Partial<Activity>,
): Promise<Partial<Activity>> {
  const context = new TurnContext(adapter, { ...activity, type: ActivityTypes.Event, name: PLAN_EVENT });
  setIdentity(context, turn.userId);
  const { state, coaching, kb } = runtime.services;
  const linked = await state.linkedIdentity(context);
  if (linked) await state.followLink(context, linked);
  const profile = await state.getProfile(context);
  const lang: Lang = profile.lang ?? profile.lastLang ?? localeLang(turn.locale) ?? 'zh';
  if (!profile.planDone) {
    return {
      type: ActivityTypes.Message,
      textFormat: 'plain',
      text:
        lang === 'zh'
          ? '你还没有做计划。在对话里说「制定协商计划」，做完就可以导出。'
          : 'You have no plan yet. Say “Make a plan” in the chat; once it is done you can export it.',
    };
  }
  const doc = buildPlan(profile, kb, lang, coaching.templateValues(profile, lang));
  return { type: ActivityTypes.Message, textFormat: 'markdown', text: planToMarkdown(doc, profile.planDone) };
}
