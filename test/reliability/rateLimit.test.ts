/** Abuse limits: a per-user rate limit with a friendly reply, in bounded memory. */
import { DEFAULT_RATE_LIMIT, RateLimiter } from '../../src/runtime/rateLimit';
import { startServer } from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createRuntime } from '../../src/runtime/createRuntime';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { activity, postJson } from '../helpers/http';

describe('rate limit', () => {
  it('allows a burst, then refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 60, maxUsers: 10 }, () => now);
    expect([limiter.take('u'), limiter.take('u'), limiter.take('u'), limiter.take('u')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 1000; // one token a second
    expect(limiter.take('u')).toBe(true);
    expect(limiter.take('other')).toBe(true);
  });

  it('keeps at most maxUsers buckets', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1, maxUsers: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`user-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.size).toBeGreaterThan(90);
    // The users seen last are the ones still limited.
    expect(limiter.take('user-999')).toBe(false);
  });

  it('answers a flood on the HTTP route with a friendly reply instead of processing it', async () => {
    const quiet = createLogger({}, 'error');
    const runtime = await createRuntime({ storage: new MemoryStorage(), logger: quiet });
    // The default limit on a clock that stands still: no token comes back however slow the
    // machine is, so exactly the first ten messages go through.
    const server = await startServer(
      runtime,
      { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
      quiet,
      { rateLimiter: new RateLimiter(DEFAULT_RATE_LIMIT, () => 0) },
    );
    try {
      const texts: string[] = [];
      for (let i = 0; i < 14; i++) {
        const res = await postJson(
          `http://127.0.0.1:${server.port}/api/messages`,
          activity('手续费太高了', { deliveryMode: 'expectReplies', from: { id: 'flooder' } }),
        );
        texts.push(JSON.stringify(res.json));
      }
      expect(texts.slice(0, 10).every((t) => !t.includes('等几秒'))).toBe(true);
      expect(texts.slice(10).every((t) => t.includes('等几秒'))).toBe(true);
    } finally {
      await server.shutdown(1000);
    }
  });
});
