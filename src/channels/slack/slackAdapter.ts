/**
 * The Slack channel: Bolt hands it Slack messages, it runs each through the app as the Slack
 * user `slack:<id>` (after the turn is saved and its locks released), and posts the replies with
 * chat.postMessage in Block Kit.
 *
 * Where replies go: in a direct message, always at top level (a role-play too), so the
 * conversation never jumps between the DM and a thread. In a channel, a role-play runs in one
 * thread rooted at the message that started it (remembered in the store), and every reply of
 * that role-play, the debrief included, goes there; other replies go to the thread the user
 * wrote in, or the channel. A turn can instead be answered through a response_url (`respond`):
 * ephemeral messages only the user sees, for `/coach` commands typed in a channel.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { CoachApp } from '../../app/coachApp';
import type { Reply, TurnSummary } from '../../conversation/types';
import type { Logger } from '../../log/logger';
import type { CoachStorage } from '../../storage/coachStorage';
import { toKnownBlocks, toSlackMessage } from './blocks';

const SLACK_CHANNEL = 'slack';

/** A reply sent through a response_url: ephemeral, a new message (never replacing the original). */
interface SlackResponse {
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

/** Where a role-play thread lives, per channel and user. */
const threadKey = (channel: string, user: string): string => `slack/thread/${channel}/${user}`;

export class SlackAdapter {
  constructor(
    private readonly app: CoachApp,
    private readonly client: WebClient,
    private readonly storage: CoachStorage,
    private readonly logger: Logger,
  ) {}

  /**
   * A user's message (or button click) through the coach; replies are posted to Slack (or sent
   * through `respond`). Returns what the turn learnt (its language, mode …).
   */
  async handleMessage(message: SlackMessageIn): Promise<TurnSummary> {
    const { user, channel } = message;
    // In a channel, whether this user's role-play runs here (its replies go to its thread).
    const before = isDirectMessage(channel) ? undefined : await this.roleplayThread(channel, user);
    const out = await this.app.turn({
      identity: `${SLACK_CHANNEL}:${user}`,
      // One conversation per user and channel: a role-play thread and the channel share it.
      conversation: `${SLACK_CHANNEL}/${channel}:${user}`,
      channel: 'slack',
      kind: 'message',
      text: message.text,
      locale: message.locale,
      limitKey: user,
    });
    const thread = message.respond ? undefined : await this.threadFor(message, out.summary, before);
    for (const reply of out.replies) await this.post(message, reply, thread);
    return out.summary;
  }

  /** Runs an event and returns the replies instead of posting them (App Home). */
  async collect(user: string, name: string, locale?: string): Promise<Reply[]> {
    const out = await this.app.turn({
      identity: `${SLACK_CHANNEL}:${user}`,
      conversation: `${SLACK_CHANNEL}/home:${user}`,
      channel: 'slack',
      kind: 'event',
      name,
      locale,
    });
    return out.replies;
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

  private async post(message: SlackMessageIn, reply: Reply, thread: string | undefined): Promise<void> {
    const { text, blocks } = toSlackMessage(this.app.deps.kb.texts, reply);
    if (message.respond) {
      await message.respond({
        response_type: 'ephemeral',
        replace_original: false,
        text,
        blocks: toKnownBlocks(blocks),
      });
      return;
    }
    // The Web API client waits out 429 Retry-After and retries, so no reply is dropped.
    await this.client.chat.postMessage({
      channel: message.channel,
      text,
      blocks: toKnownBlocks(blocks),
      thread_ts: thread,
    });
  }

  /**
   * The thread a turn's replies go to. In a DM: none, ever. In a channel, for a role-play: the
   * thread it runs in (remembered from its first turn), else the thread of the message that
   * starts it; otherwise the thread the user wrote in, or the channel itself.
   */
  private async threadFor(
    message: SlackMessageIn,
    summary: TurnSummary,
    stored: string | undefined,
  ): Promise<string | undefined> {
    if (isDirectMessage(message.channel)) return undefined;
    const ended = summary.debrief !== undefined;
    const roleplay = summary.mode === 'roleplay' || ended;
    const key = threadKey(message.channel, message.user);
    if (!roleplay) {
      // Left without a debrief (another flow, a reset): the thread is no role-play's any more.
      if (stored !== undefined) await this.storage.delete([key]);
      return message.threadTs;
    }
    const root = stored ?? message.threadTs ?? message.messageTs;
    if (ended) await this.storage.delete([key]);
    else if (root && stored !== root) await this.storage.write({ [key]: { ts: root } });
    this.logger.debug('slack: role-play thread', { ended });
    return root;
  }
}
