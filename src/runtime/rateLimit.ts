/**
 * Per-user rate limit for the network channels (HTTP, Slack): a token bucket per user, kept in a
 * bounded map so that many users cannot grow memory without limit. Over the limit, the user gets
 * a friendly reply and the message is not processed. (The terminal is a local, trusted user.)
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { detectLang } from '../i18n/detectLang';
import { ui } from '../i18n/messages';
import { RecentMap } from '../util/recentMap';
import { message } from './reply';

export interface RateLimitOptions {
  /** Messages a user may send at once. */
  burst: number;
  /** Sustained messages per minute. */
  perMinute: number;
  /** Users tracked at most (least recently seen are forgotten first). */
  maxUsers: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 10, perMinute: 30, maxUsers: 10_000 };

export class RateLimiter {
  private readonly buckets: RecentMap<string, { tokens: number; at: number }>;

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new RecentMap(options.maxUsers);
  }

  /** Takes one token for `key`; false when the user is over the limit. */
  take(key: string): boolean {
    const t = this.now();
    const refillPerMs = this.options.perMinute / 60_000;
    const previous = this.buckets.get(key) ?? { tokens: this.options.burst, at: t };
    const tokens = Math.min(this.options.burst, previous.tokens + (t - previous.at) * refillPerMs);
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: t });
    return allowed;
  }

  get size(): number {
    return this.buckets.size;
  }
}

export class RateLimitMiddleware implements Middleware {
  constructor(private readonly limiter: RateLimiter) {}

  // Not an async function: a turn within the limit goes on without a layer of its own.
  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type !== 'message' || this.limiter.take(`${a.channelId}/${a.from?.id ?? 'anonymous'}`)) {
      return next();
    }
    const lang = detectLang(typeof a.text === 'string' ? a.text : '') ?? 'zh';
    return context.sendActivity(message(ui.slowDown[lang])).then(() => undefined);
  }
}
