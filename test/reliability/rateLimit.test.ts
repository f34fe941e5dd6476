/**
 * Abuse limits: a per-user rate limit with a friendly reply. In one process it is kept in
 * memory; with a Redis store every instance counts against the same limit, and while Redis is
 * away each instance still limits on its own.
 */
import { startServer, type CoachServer } from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createApp } from '../../src/app/createApp';
import { createRateLimiter } from '../../src/runtime/rateLimit';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { RedisStorage } from '../../src/storage/redisStorage';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { activity, postJson } from '../helpers/http';
import { startRedis, type RedisServer } from '../helpers/redis';

const quiet = createLogger({}, 'error');
const SLOW_DOWN = '等几秒';

async function takeMany(take: (i: number) => Promise<boolean>, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push(await take(i));
  return out;
}

async function serveOn(storage: CoachStorage): Promise<CoachServer> {
  const runtime = await createApp({ storage, logger: quiet });
  return startServer(
    runtime,
    { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
    quiet,
  );
}

async function say(server: CoachServer, text: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson(
    `http://127.0.0.1:${server.port}/api/messages`,
    activity(text, { deliveryMode: 'expectReplies', ...extra }),
  );
  return JSON.stringify(res.json);
}

describe('rate limit in one process', () => {
  it('allows a burst, then refuses, per user', async () => {
    const limiter = createRateLimiter('test', { burst: 3, burstSeconds: 60, perMinute: 100 });
    expect(await takeMany(() => limiter.take('u'), 4)).toEqual([true, true, true, false]);
    expect(await limiter.take('other')).toBe(true);
  });

  it('also caps a minute', async () => {
    const limiter = createRateLimiter('test', { burst: 100, burstSeconds: 1, perMinute: 5 });
    expect((await takeMany(() => limiter.take('u'), 7)).filter(Boolean)).toHaveLength(5);
  });

  it('answers a flood on the HTTP route with a friendly reply instead of processing it', async () => {
    const server = await serveOn(new MemoryStorage());
    try {
      const texts: string[] = [];
      for (let i = 0; i < 14; i++) texts.push(await say(server, '手续费太高了', { from: { id: 'flooder' } }));
      expect(texts.slice(0, 10).every((t) => !t.includes(SLOW_DOWN))).toBe(true);
      expect(texts.slice(10).every((t) => t.includes(SLOW_DOWN))).toBe(true);
    } finally {
      await server.shutdown(1000);
    }
  });

  it('counts a user once whatever channel id the activity claims', async () => {
    const server = await serveOn(new MemoryStorage());
    try {
      const channels = ['emulator', 'msteams', 'webchat', 'directline', 'telegram', 'skype', 'slack'];
      const texts: string[] = [];
      for (let i = 0; i < 14; i++)
        texts.push(
          await say(server, '手续费太高了', {
            from: { id: 'rotator' },
            channelId: channels[i % channels.length],
            conversation: { id: `rot-${i}` },
          }),
        );
      expect(texts.filter((t) => t.includes(SLOW_DOWN))).toHaveLength(4);
    } finally {
      await server.shutdown(1000);
    }
  });
});

describe('rate limit shared through Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('two instances on one Redis allow one burst between them, not two', async () => {
    const a = await serveOn(await RedisStorage.connect(redis.url));
    const b = await serveOn(await RedisStorage.connect(redis.url));
    try {
      const texts: string[] = [];
      for (let i = 0; i < 16; i++)
        texts.push(await say(i % 2 ? b : a, 'fees are too high', { from: { id: 'shared-flooder' } }));
      const refused = texts.filter((t) => t.includes('few seconds'));
      expect(texts.length - refused.length).toBe(10);
    } finally {
      await a.shutdown(1000);
      await b.shutdown(1000);
    }
  });

  it('keeps limiting in each process while Redis is down', async () => {
    const store = await RedisStorage.connect(redis.url);
    const limiter = createRateLimiter(
      'insurance',
      { burst: 3, burstSeconds: 60, perMinute: 100 },
      store.redis,
    );
    try {
      await redis.kill();
      const results = await takeMany(() => limiter.take('u-down'), 5);
      expect(results).toEqual([true, true, true, false, false]);
    } finally {
      await redis.restart();
      await store.close();
    }
  });
});
