/**
 * Per-user rate limit for the network channels (HTTP, Slack), on rate-limiter-flexible: at most
 * `burst` messages in any `burstSeconds` and `perMinute` a minute. With a Redis store the counts
 * live in Redis, so several instances share one limit (an in-memory limiter takes over while Redis
 * cannot answer); otherwise they are kept in this process. Over the limit, the user gets a
 * friendly reply and the message is not processed. (The terminal is a local, trusted user.)
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { detectLang } from '../i18n/detectLang';
import { ui } from '../i18n/messages';
import { message } from './reply';

export interface RateLimitOptions {
  /** Messages allowed in any `burstSeconds`. */
  burst: number;
  burstSeconds: number;
  /** Messages allowed in any minute. */
  perMinute: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 10, burstSeconds: 10, perMinute: 30 };

/** Client addresses on an unauthenticated public server: generous, it only stops id rotation. */
export const ADDRESS_RATE_LIMIT: RateLimitOptions = { burst: 60, burstSeconds: 10, perMinute: 300 };

export interface RateLimiter {
  /** Counts one message for `key`; false when it is over the limit. Never rejects. */
  take(key: string): Promise<boolean>;
}

function windows(
  name: string,
  options: RateLimitOptions,
  redis: Redis | undefined,
): readonly RateLimiterAbstract[] {
  const specs = [
    { keyPrefix: `coach:rl:${name}:burst`, points: options.burst, duration: options.burstSeconds },
    { keyPrefix: `coach:rl:${name}:minute`, points: options.perMinute, duration: 60 },
  ];
  return specs.map((spec) =>
    redis
      ? new RateLimiterRedis({
          ...spec,
          storeClient: redis,
          // Redis down or slow: the same limit per process, rather than no limit or no service.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(spec),
        })
      : new RateLimiterMemory(spec),
  );
}

/** A limiter; pass the store's Redis client to share the limit between instances. */
export function createRateLimiter(
  name: string,
  options: RateLimitOptions = DEFAULT_RATE_LIMIT,
  redis?: Redis,
): RateLimiter {
  const limiters = windows(name, options, redis);
  return {
    take(key: string): Promise<boolean> {
      // Every window counts the message, whether or not another one refuses it: a client that
      // keeps sending stays limited.
      return Promise.allSettled(limiters.map((l) => l.consume(key))).then((results) =>
        results.every((r) => r.status === 'fulfilled'),
      );
    },
  };
}

export class RateLimitMiddleware implements Middleware {
  constructor(
    private readonly limiter: RateLimiter,
    /** Whose limit a message counts against (default: the sender's id, whatever the channel). */
    private readonly keyOf: (context: TurnContext) => string = (c) => c.activity.from?.id ?? 'anonymous',
  ) {}

  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type !== 'message') return next();
    return this.limiter.take(this.keyOf(context)).then((allowed) => {
      if (allowed) return next();
      const lang = detectLang(typeof a.text === 'string' ? a.text : '') ?? 'zh';
      return context.sendActivity(message(ui.slowDown[lang])).then(() => undefined);
    });
  }
}
