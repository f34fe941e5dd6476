/**
 * coach serve, as a client sees it: the real server on a free loopback port, speaking the Bot
 * Framework protocol (CONTRACTS section 5).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  startServer,
  ServeConfigError,
  type CoachServer,
  type ServeConfig,
} from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createApp } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { activity, postJson, standIn } from '../helpers/http';
import { tempDir } from '../helpers/tmp';

const quiet = createLogger({}, 'error');

function config(extra: Partial<ServeConfig> = {}): ServeConfig {
  return { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {}, ...extra };
}

async function serve(extra: Partial<ServeConfig> = {}): Promise<CoachServer> {
  const runtime = await createApp({ storage: new MemoryStorage(), seed: 1, logger: quiet });
  return startServer(runtime, config(extra), quiet);
}

describe('coach serve: Bot Framework route', () => {
  let server: CoachServer;
  let base: string;
  beforeAll(async () => {
    server = await serve();
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.shutdown(1000));

  it('answers an expectReplies turn in the response body', async () => {
    const res = await postJson(
      `${base}/api/messages`,
      activity('支付宝拒绝了我', { deliveryMode: 'expectReplies' }),
    );
    expect(res.status).toBe(200);
    const replies = (
      res.json as {
        activities: { type: string; text: string; suggestedActions?: { actions: { title: string }[] } }[];
      }
    ).activities;
    const messages = replies.filter((a) => a.type === 'message');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]?.text).toContain('三条路');
    expect(messages[0]?.suggestedActions?.actions.map((a) => a.title)).toEqual([
      '继续沟通',
      '寻找替代方案',
      '第三方调解',
    ]);
  });

  it('sends the replies of a normal turn to the activity serviceUrl', async () => {
    const connector = await standIn();
    try {
      const res = await postJson(
        `${base}/api/messages`,
        activity('hello', {
          serviceUrl: connector.url,
          conversation: { id: 'conv-normal' },
          from: { id: 'user-normal' },
        }),
      );
      expect(res.status).toBe(200);
      const calls = await connector.waitFor(1);
      expect(calls[0]?.method).toBe('POST');
      expect(calls[0]?.url).toMatch(/^\/v3\/conversations\/conv-normal\/activities/);
      expect(JSON.parse(calls[0]?.body ?? '{}').text).toContain('Negotiation Coach');
    } finally {
      await connector.close();
    }
  });

  it('renders a debrief as an Adaptive Card', async () => {
    const talk = async (text: string) =>
      postJson(
        `${base}/api/messages`,
        activity(text, {
          deliveryMode: 'expectReplies',
          conversation: { id: 'rp' },
          from: { id: 'rp-user' },
        }),
      );
    await talk('roleplay fees easy');
    const res = await talk('/end');
    const attachments = (
      res.json as { activities: { attachments?: { contentType: string }[] }[] }
    ).activities.flatMap((a) => a.attachments ?? []);
    expect(attachments.map((a) => a.contentType)).toContain('application/vnd.microsoft.card.adaptive');
  });

  it.each([
    ['a wrong content type', 'hello', { 'content-type': 'text/plain' }, 415],
    ['malformed JSON', '{"type":', {}, 400],
    ['a JSON array', '[1,2,3]', {}, 400],
    ['an object without a type', '{"text":"hi"}', {}, 400],
    ['an oversized body', JSON.stringify(activity('x'.repeat(300_000))), {}, 413],
  ])('rejects %s with a 4xx and stays healthy', async (_name, body, headers, status) => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(res.status).toBe(status);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics with turns by channel and intent', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/coach_turns_total\{channel="emulator",intent="refusal"\} \d+/);
    expect(text).toContain('coach_turn_duration_seconds_bucket');
  });

  it('gives every response a request id', async () => {
    const res = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
  });
});

describe('coach serve: security', () => {
  it('requires a Bot Framework token when credentials are configured', async () => {
    const server = await serve({
      credentials: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret' },
    });
    try {
      const res = await postJson(`http://127.0.0.1:${server.port}/api/messages`, activity('hello'));
      expect(res.status).toBe(401);
      const forged = await postJson(`http://127.0.0.1:${server.port}/api/messages`, activity('hello'), {
        authorization: 'Bearer not.a.real.token',
      });
      expect(forged.status).toBe(401);
    } finally {
      await server.shutdown(1000);
    }
  });

  it('refuses to listen on a public address without credentials', async () => {
    const runtime = await createApp({ storage: new MemoryStorage(), logger: quiet });
    await expect(startServer(runtime, config({ host: '0.0.0.0' }), quiet)).rejects.toBeInstanceOf(
      ServeConfigError,
    );
    await runtime.close();
  });

  it('listens on a public address without credentials only when ALLOW_UNAUTHENTICATED is set', async () => {
    const server = await serve({ host: '0.0.0.0', allowUnauthenticated: true });
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    await server.shutdown(1000);
  });

  it('answers 503 from /healthz when the store does not answer', async () => {
    const storage = new MemoryStorage();
    storage.ping = async () => {
      throw new Error('down');
    };
    const runtime = await createApp({ storage, logger: quiet });
    const server = await startServer(runtime, config(), quiet);
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(503);
    await server.shutdown(1000);
  });
});

describe('coach serve: graceful shutdown', () => {
  it('finishes a turn in flight on SIGTERM, keeps its state and exits 0', async () => {
    const t = tempDir();
    const db = join(t.dir, 'coach.db');
    // The connector answers slowly, so the turn is still running when SIGTERM arrives.
    const connector = await standIn(() => ({ delayMs: 1500 }));
    const child = spawn(
      process.execPath,
      [join(__dirname, '../../bin/coach.js'), 'serve', '--store', `sqlite:${db}`],
      {
        env: { ...process.env, PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`server exited early: ${stderr}`)));
    });
    const turn = postJson(
      `http://127.0.0.1:${port}/api/messages`,
      activity('支付宝拒绝了我', {
        serviceUrl: connector.url,
        from: { id: 'shutdown-user' },
        conversation: { id: 'shutdown-conv' },
      }),
    );
    await connector.waitFor(1); // the reply is being delivered: the turn is in flight
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const response = await turn;
    expect(response.status).toBe(200);
    expect(await exited).toBe(0);
    const store = new SqliteStorage(db);
    const user = (await store.read(['user/emulator:shutdown-user']))['user/emulator:shutdown-user'];
    expect((user?.profile as { journey?: { snapshot?: { value?: string } } }).journey?.snapshot?.value).toBe(
      'refused',
    );
    await store.close();
    await connector.close();
    t.cleanup();
  }, 30_000);
});

describe('coach serve: many conversations at once', () => {
  it('answers every one of them on its default SQLite store and keeps each user’s stage', async () => {
    const t = tempDir();
    const storage = new SqliteStorage(join(t.dir, 'coach.db'));
    const runtime = await createApp({ storage, seed: 1, logger: quiet });
    const server = await startServer(runtime, config(), quiet);
    try {
      // Sent together, so that their turns run together and share the store's commits.
      const users = Array.from({ length: 30 }, (_, i) => `crowd-${i}`);
      const responses = await Promise.all(
        users.map((id) =>
          postJson(
            `http://127.0.0.1:${server.port}/api/messages`,
            activity(id.endsWith('7') ? 'Alipay refused to lower my fee' : '支付宝拒绝了我', {
              deliveryMode: 'expectReplies',
              from: { id },
              conversation: { id: `conv-${id}` },
            }),
          ),
        ),
      );
      for (const [i, res] of responses.entries()) {
        expect(res.status).toBe(200);
        const text = (res.json as { activities: { text?: string }[] }).activities[0]?.text ?? '';
        expect(text).toContain(users[i]?.endsWith('7') ? 'three paths' : '三条路');
      }
      const stored = await storage.read(users.map((id) => `user/emulator:${id}`));
      for (const id of users) {
        const profile = stored[`user/emulator:${id}`]?.profile as {
          journey?: { snapshot?: { value?: string } };
        };
        expect(profile.journey?.snapshot?.value).toBe('refused');
      }
    } finally {
      await server.shutdown(1000);
      t.cleanup();
    }
  }, 30_000);
});
