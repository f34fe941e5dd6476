/**
 * Per-user rate limit for the network channels (HTTP, Slack), on rate-limiter-flexible: at most
 * `burst` messages in any `burstSeconds` and `perMinute` a minute. With a Redis store the counts
 * live in Redis, so several instances share one limit (an in-memory limiter takes over while Redis
 * cannot answer); otherwise they are kept in this process. The app checks it for network
 * channels; over the limit the user gets a friendly reply and the message is not processed.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

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
