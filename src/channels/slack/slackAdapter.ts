/**
 * The Slack channel as a Bot Framework adapter: Bolt hands it Slack messages, it turns each into
 * an activity for the one bot runtime, and posts the bot's replies with chat.postMessage in
 * Block Kit. One Slack user is one coach user (their state is shared with every other channel).
 *
 * Where replies go: in a direct message, always at top level (a role-play too), so the
 * conversation never jumps between the DM and a thread. In a channel, a role-play runs in one
 * thread rooted at the message that started it (remembered in the store), and every reply of
 * that role-play, the debrief included, goes there; other replies go to the thread the user
 * wrote in, or the channel. A turn can instead be answered through a response_url (`respond`):
 * ephemeral messages only the user sees, for `/coach` commands typed in a channel.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ActivityHandler,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Texts } from '../../knowledge/texts';
import type { Logger } from '../../log/logger';
import { findTurnInfo, getTurnSummary, type TurnSummary } from '../../runtime/turnInfo';
import type { CoachStorage } from '../../storage/coachStorage';
import { toKnownBlocks, toSlackMessage } from './blocks';

export const SLACK_CHANNEL = 'slack';

/** A reply sent through a response_url: ephemeral, a new message (never replacing the original). */
export interface SlackResponse {
  response_type: 'ephemeral';
  replace_original: false;
  text: string;
  blocks: KnownBlock[];
}

/** Slack's direct-message channel ids start with D (channels C, private channels and groups G). */
export function isDirectMessage(channel: string): boolean {
  return channel.startsWith('D');
}

export interface SlackMessageIn {
  user: string;
  channel: string;
  text: string;
  /** The thread the message was posted in, if any. */
  threadTs?: string;
  /** The message's own timestamp: the root of a role-play thread started by it. */
  messageTs?: string;
  /** A locale hint (from the user's Slack profile). */
  locale?: string;
  /** Answers through a response_url instead of posting (ephemeral replies). */
  respond?: (message: SlackResponse) => Promise<unknown>;
}

interface SlackRoute {
  channel: string;
  user: string;
  threadTs?: string;
  messageTs?: string;
  respond?: (message: SlackResponse) => Promise<unknown>;
}

const ROUTE = Symbol('slack.route');
const COLLECT = Symbol('slack.collect');

/** Where a role-play thread lives, per channel and user. */
const threadKey = (channel: string, user: string): string => `slack/thread/${channel}/${user}`;

export class SlackAdapter extends BotAdapter {
  constructor(
    private readonly client: WebClient,
    private readonly storage: CoachStorage,
    private readonly logger: Logger,
    private readonly texts: Texts,
  ) {
    super();
  }

  /**
   * A user's message (or button click) through the bot; replies are posted to Slack (or sent
   * through `respond`). Returns what the turn learnt (its language, mode …).
   */
  async handleMessage(bot: ActivityHandler, message: SlackMessageIn): Promise<TurnSummary | undefined> {
    const activity = this.activity(message, { type: ActivityTypes.Message, text: message.text });
    const context = new TurnContext(this, activity);
    const { user, channel, threadTs, messageTs, respond } = message;
    context.turnState.set(ROUTE, { user, channel, threadTs, messageTs, respond } satisfies SlackRoute);
    await this.runMiddleware(context, (ctx) => bot.run(ctx));
    return getTurnSummary(context);
  }

  /** Runs an event activity and returns the replies instead of posting them (App Home). */
  async collect(
    bot: ActivityHandler,
    user: string,
    name: string,
    locale?: string,
  ): Promise<Partial<Activity>[]> {
    const activity = this.activity(
      { user, channel: 'home', text: '', locale },
      { type: ActivityTypes.Event, name },
    );
    const context = new TurnContext(this, activity);
    const collected: Partial<Activity>[] = [];
    context.turnState.set(COLLECT, collected);
    await this.runMiddleware(context, (ctx) => bot.run(ctx));
    return collected;
  }

  /** Is this thread a role-play thread of this user (a reply there needs no @mention)? */
  async isRoleplayThread(channel: string, user: string, threadTs: string): Promise<boolean> {
    return (await this.roleplayThread(channel, user)) === threadTs;
  }

  /** The root of this user's role-play thread in a channel, if one is running there. */
  async roleplayThread(channel: string, user: string): Promise<string | undefined> {
    const key = threadKey(channel, user);
    const stored = (await this.storage.read([key]))[key] as { ts?: unknown } | undefined;
    return typeof stored?.ts === 'string' ? stored.ts : undefined;
  }

  private activity(message: SlackMessageIn, partial: Partial<Activity>): Activity {
    return {
      id: message.messageTs ?? randomUUID(),
      timestamp: new Date(),
      channelId: SLACK_CHANNEL,
      serviceUrl: 'https://slack.com',
      // One conversation per user and channel: a role-play thread and the channel share it.
      conversation: {
        id: `${message.channel}:${message.user}`,
        isGroup: !isDirectMessage(message.channel),
        conversationType: '',
        name: '',
      },
      from: { id: message.user, name: message.user },
      recipient: { id: 'coach', name: 'coach' },
      locale: message.locale,
      channelData: { slack: { channel: message.channel, thread_ts: message.threadTs } },
      ...partial,
    } as Activity;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const collected = context.turnState.get(COLLECT) as Partial<Activity>[] | undefined;
    if (collected) {
      collected.push(...activities.filter((a) => a.type === ActivityTypes.Message));
      return activities.map(() => ({ id: randomUUID() }));
    }
    const route = context.turnState.get(ROUTE) as SlackRoute | undefined;
    if (!route) throw new Error('slack: no route for this turn');
    const thread = route.respond ? undefined : await this.threadFor(context, route);
    const out: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) {
        out.push({ id: '' });
        continue;
      }
      const { text, blocks } = toSlackMessage(this.texts, activity);
      if (route.respond) {
        await route.respond({
          response_type: 'ephemeral',
          replace_original: false,
          text,
          blocks: toKnownBlocks(blocks),
        });
        out.push({ id: randomUUID() });
        continue;
      }
      // The Web API client waits out 429 Retry-After and retries, so no reply is dropped.
      const result = await this.client.chat.postMessage({
        channel: route.channel,
        text,
        blocks: toKnownBlocks(blocks),
        thread_ts: thread,
      });
      out.push({ id: String(result.ts ?? '') });
    }
    return out;
  }

  /**
   * The thread a turn's replies go to. In a DM: none, ever. In a channel, for a role-play: the
   * thread it runs in (remembered from its first turn), else the thread of the message that
   * starts it; otherwise the thread the user wrote in, or the channel itself.
   */
  private async threadFor(context: TurnContext, route: SlackRoute): Promise<string | undefined> {
    if (isDirectMessage(route.channel)) return undefined;
    const summary = getTurnSummary(context);
    const wasRoleplay = findTurnInfo(context)?.before?.mode === 'roleplay';
    const ended = summary?.debrief !== undefined;
    const roleplay = summary?.mode === 'roleplay' || ended;
    if (!roleplay && !wasRoleplay) return route.threadTs;
    const key = threadKey(route.channel, route.user);
    const stored = wasRoleplay ? await this.roleplayThread(route.channel, route.user) : undefined;
    if (!roleplay) {
      // Left without a debrief (another flow, a reset): the thread is no role-play's any more.
      await this.storage.delete([key]);
      return route.threadTs;
    }
    const root = stored ?? route.threadTs ?? route.messageTs;
    if (ended) await this.storage.delete([key]);
    else if (root && stored !== root) await this.storage.write({ [key]: { ts: root } });
    return root;
  }

  async updateActivity(): Promise<void> {
    this.logger.debug('slack: updateActivity is not used by the coach');
  }

  async deleteActivity(): Promise<void> {
    this.logger.debug('slack: deleteActivity is not used by the coach');
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
}
