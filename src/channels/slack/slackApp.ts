/**
 * The Bolt app: Slack's transport onto the coach's one bot runtime. Receives events, commands and
 * button clicks (over HTTP or Socket Mode), handles each Slack event once even when Slack retries
 * it, and hands messages to the Slack adapter.
 */
import { App, LogLevel, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { Logger } from '../../log/logger';
import type { CoachRuntime } from '../../runtime/createRuntime';
import type { SlackConfig } from './config';
import { createRateLimiter, RateLimitMiddleware } from '../../runtime/rateLimit';
import { registerListeners } from './listeners';
import { SlackAdapter } from './slackAdapter';
import { RecentMap } from '../../util/recentMap';

/** How long a handled event id is remembered (Slack retries within minutes). */
const EVENT_MEMORY_MS = 60 * 60 * 1000;
/** Bounded caches: a busy workspace must not grow the process without limit. */
const CACHE_LIMIT = 2000;

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
  const adapter = new SlackAdapter(app.client, runtime.storage, logger);
  adapter.use(new RateLimitMiddleware(createRateLimiter('user', undefined, runtime.storage.redis)));

  // Slack resends an event it thinks was missed (X-Slack-Retry-Num); its event_id stays the same.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (
      typeof eventId === 'string' &&
      !(await runtime.storage.claim(`slack/event/${eventId}`, EVENT_MEMORY_MS))
    ) {
      logger.info('slack: duplicate event ignored', { eventId });
      return;
    }
    await next();
  });

  const locales = new RecentMap<string, string | undefined>(CACHE_LIMIT);
  const dms = new RecentMap<string, string>(CACHE_LIMIT);
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
