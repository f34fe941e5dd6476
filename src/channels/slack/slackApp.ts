/**
 * The Bolt app: Slack's transport onto the coach's one bot runtime. Receives events, commands and
 * button clicks (over HTTP or Socket Mode), handles each Slack event once even when Slack retries
 * it, and hands messages to the Slack adapter.
 */
import { App, LogLevel, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { Logger } from '../../log/logger';
import type { CoachRuntime } from '../../app/createApp';
import type { SlackConfig } from './config';
import { registerListeners } from './listeners';
import { SlackAdapter } from './slackAdapter';
import { LRUCache } from 'lru-cache';

/** How long a handled event id is remembered (Slack retries within minutes). */
const EVENT_MEMORY_MS = 60 * 60 * 1000;
/**
 * How long a handled command or click is remembered. A signature is good for five minutes either
 * side of its timestamp, so a captured request can be sent again for up to ten minutes.
 */
const REPLAY_MEMORY_MS = 15 * 60 * 1000;
/** Bounded caches: a busy workspace must not grow the process without limit. */
const CACHE_LIMIT = 2000;

/**
 * The store key that makes a request "already handled", and how long it is kept: events by
 * event_id; slash commands, which have no id, by trigger_id; clicks and other interactivity
 * payloads by trigger_id and action_ts. Undefined for a body that carries none of these.
 */
function replayKey(body: unknown): { key: string; ttlMs: number } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as {
    event_id?: unknown;
    command?: unknown;
    trigger_id?: unknown;
    actions?: { action_ts?: unknown }[];
    action_ts?: unknown;
  };
  if (typeof b.event_id === 'string') return { key: `slack/event/${b.event_id}`, ttlMs: EVENT_MEMORY_MS };
  const trigger = typeof b.trigger_id === 'string' ? b.trigger_id : undefined;
  if (typeof b.command === 'string') {
    return trigger ? { key: `slack/command/${trigger}`, ttlMs: REPLAY_MEMORY_MS } : undefined;
  }
  const actionTs = Array.isArray(b.actions) ? b.actions[0]?.action_ts : b.action_ts;
  const action = typeof actionTs === 'string' ? actionTs : undefined;
  if (!trigger && !action) return undefined;
  return { key: `slack/interaction/${trigger ?? '-'}/${action ?? '-'}`, ttlMs: REPLAY_MEMORY_MS };
}

export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m) => logger.debug(m.map(String).join(' '), { source: 'bolt' }),
    info: (...m) => logger.info(m.map(String).join(' '), { source: 'bolt' }),
    warn: (...m) => logger.warn(m.map(String).join(' '), { source: 'bolt' }),
    error: (...m) => logger.error(m.map(String).join(' '), { source: 'bolt' }),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackChannel {
  app: App;
  adapter: SlackAdapter;
}

export function createSlackApp(
  config: SlackConfig,
  receiver: Receiver,
  runtime: CoachRuntime,
  logger: Logger,
): SlackChannel {
  const app = new App({
    token: config.botToken,
    receiver,
    logger: boltLogger(logger),
    ignoreSelf: true,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // On 429 the client waits for Retry-After and tries again: replies are delayed, never dropped.
      rejectRateLimitedCalls: false,
      retryConfig: { retries: 5, factor: 1.6, minTimeout: 200, maxTimeout: 10_000 },
    },
  });
  const adapter = new SlackAdapter(runtime.app, app.client, runtime.storage, logger);

  // Each request is handled once: Slack resends an event it thinks was missed (same event_id),
  // and a signed command or click sent again within its signature window must not run twice.
  app.use(async (args) => {
    const replay = replayKey(args.body);
    if (replay && !(await runtime.storage.claim(replay.key, replay.ttlMs))) {
      logger.info('slack: duplicate request ignored', { key: replay.key });
      // A command or click still gets its acknowledgement (events were acknowledged by Bolt).
      await (args as { ack?: () => Promise<void> }).ack?.();
      return;
    }
    await args.next();
  });

  const locales = new LRUCache<string, string>({ max: CACHE_LIMIT });
  const dms = new LRUCache<string, string>({ max: CACHE_LIMIT });
  registerListeners(app, {
    runtime,
    adapter,
    logger,
    async localeOf(user) {
      const cached = locales.get(user);
      if (cached !== undefined) return cached;
      try {
        const info = await app.client.users.info({ user, include_locale: true });
        const locale = (info.user as { locale?: string } | undefined)?.locale;
        locales.set(user, locale ?? '');
        return locale;
      } catch (error) {
        logger.debug('slack: no locale for user', { error });
        locales.set(user, '');
        return undefined;
      }
    },
    async dmWith(user) {
      const cached = dms.get(user);
      if (cached) return cached;
      const opened = await app.client.conversations.open({ users: user });
      const id = opened.channel?.id;
      if (!id) throw new Error('slack: could not open a direct message');
      dms.set(user, id);
      return id;
    },
  });
  app.error(async (error) => {
    logger.error('slack: listener failed', { error });
  });
  return { app, adapter };
}
