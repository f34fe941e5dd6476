/**
 * Redis: the storage contract against a real redis-server, then several coach instances sharing
 * it — alternating processes, concurrent turns, and Redis dying mid-conversation.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { TerminalChannel } from '../../src/channels/terminal/terminalChannel';
import { startServer } from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { RedisStorage } from '../../src/storage/redisStorage';
import { startRedis, type RedisServer } from '../helpers/redis';
import { storageContract } from './storageContract';

const quiet = createLogger({}, 'error');
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('redis: storage contract', () => {
  storageContract(
    'redis',
    async () => RedisStorage.connect(redis.url),
    async () => {
      const client = new Redis(redis.url);
      await client.flushall();
      client.disconnect();
    },
  );

  it('keeps a damaged record aside and hands back a marker instead of failing', async () => {
    const client = new Redis(redis.url);
    await client.hset('coach:item:user/broken', 'etag', 'x', 'value', '{not json');
    const store = await RedisStorage.connect(redis.url);
    const items = await store.read(['user/broken']);
    expect(items['user/broken']).toEqual({ __quarantined: true });
    const kept = await client.keys('coach:quarantine/*');
    expect(kept.length).toBe(1);
    expect(await client.exists('coach:item:user/broken')).toBe(0);
    await store.close();
    client.disconnect();
  });
});

/** A `coach --json` process on the shared Redis, answering one JSON line per line written. */
function coachProcess(user: string): {
  send(line: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
} {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [join(__dirname, '../../bin/coach.js'), '--json', '--store', redis.url, '--user', user, '--seed', '1'],
    { stdio: 'pipe' },
  );
  const lines = createInterface({ input: child.stdout });
  const queue: ((line: string) => void)[] = [];
  lines.on('line', (line) => queue.shift()?.(line));
  return {
    send(line) {
      return new Promise((resolve) => {
        queue.push((out) => resolve(JSON.parse(out) as Record<string, unknown>));
        child.stdin.write(`${line}\n`);
      });
    },
    close() {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      });
    },
  };
}

describe('redis: several instances, one conversation', () => {
  it('lets two coach processes alternate the turns of one role-play', async () => {
    const a = coachProcess('alternating');
    const b = coachProcess('alternating');
    try {
      expect((await a.send('roleplay fees easy')).mode).toBe('roleplay');
      expect((await b.send('Hello, thanks for your time.')).mode).toBe('roleplay');
      expect((await a.send('I take about 100k a month at 0.6%.')).mode).toBe('roleplay');
      const end = await b.send('end');
      expect(end.debrief).toMatchObject({ outcome: 'abandoned', turns: 2 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 30_000);

  it('counts all of 20 concurrent messages to one conversation across two instances', async () => {
    const runtimes: CoachRuntime[] = [];
    for (let i = 0; i < 2; i++) {
      runtimes.push(
        await createApp({ storage: await RedisStorage.connect(redis.url), logger: quiet, seed: 1 }),
      );
    }
    const [one, two] = runtimes as [CoachRuntime, CoachRuntime];
    const adapterOne = new TerminalChannel(one.app, { user: 'concurrent' });
    const adapterTwo = new TerminalChannel(two.app, { user: 'concurrent' });
    await adapterOne.send('roleplay service easy');
    // Each line brings a figure: twenty empty thank-yous would wear the representative out and
    // end the scene before the last of them.
    const line = (i: number): string =>
      `Thank you. The 329 yuan refund from 3 May is still missing, point ${i}.`;
    const turns = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? adapterOne.send(line(i)) : adapterTwo.send(line(i)),
    );
    const results = await Promise.all(turns);
    expect(results.every((r) => r.summary?.mode === 'roleplay')).toBe(true);
    const end = await adapterTwo.send('/end');
    expect(end.summary?.debrief).toMatchObject({ outcome: 'abandoned', turns: 20 });
    await Promise.all(runtimes.map((r) => r.close()));
  }, 60_000);

  it('survives Redis being killed and restarted mid-conversation without losing state', async () => {
    const storage = await RedisStorage.connect(redis.url);
    const runtime = await createApp({ storage, logger: quiet, seed: 1 });
    const server = await startServer(
      runtime,
      { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
      quiet,
    );
    const adapter = new TerminalChannel(runtime.app, { user: 'crash' });
    try {
      expect((await adapter.send('支付宝拒绝了我')).summary?.stage).toBe('refused');
      await redis.kill();
      const during = await adapter.send('第三方调解');
      expect(during.replies.map((r) => r.text).join('')).toContain('稍后');
      expect(during.summary?.stage).toBe('refused');
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503);
      await redis.restart();
      // The client reconnects by itself.
      const deadline = Date.now() + 10_000;
      while ((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status !== 200) {
        if (Date.now() > deadline) throw new Error('no recovery');
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = await adapter.send('第三方调解');
      expect(after.summary?.stage).toBe('mediation');
    } finally {
      await server.shutdown(1000);
    }
  }, 60_000);
});
