/**
 * coach serve under attack and on a flaky network (issue 17): malformed activities, foreign
 * serviceUrls, spoofed channels, slow and dead reply endpoints, bad tokens. Each case is what a
 * client or the reply endpoint sees, against the real server.
 */
import { generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import { startServer, type CoachServer, type ServeConfig } from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { activity, postJson, standIn } from '../helpers/http';

const quiet = createLogger({}, 'error');

function config(extra: Partial<ServeConfig> = {}): ServeConfig {
  return { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {}, ...extra };
}

async function serve(
  options: { storage?: CoachStorage; config?: Partial<ServeConfig>; timeoutMs?: number } = {},
): Promise<{ server: CoachServer; runtime: CoachRuntime; base: string }> {
  const runtime = await createApp({
    storage: options.storage ?? new MemoryStorage(),
    seed: 1,
    logger: quiet,
  });
  const server = await startServer(runtime, config(options.config), quiet, {
    outbound: { timeoutMs: options.timeoutMs ?? 2000, backoffMs: [50, 100] },
  });
  return { server, runtime, base: `http://127.0.0.1:${server.port}` };
}

async function stageOf(runtime: CoachRuntime, identity: string): Promise<string | undefined> {
  const key = `user/${identity}`;
  const record = (await runtime.storage.read([key]))[key] as
    { profile?: { journey?: { snapshot?: { value?: string } } } } | undefined;
  return record?.profile?.journey?.snapshot?.value;
}

describe('loose activities get 400 with a short reason', () => {
  let server: CoachServer;
  let base: string;
  beforeAll(async () => ({ server, base } = await serve()));
  afterAll(() => server.shutdown(1000));

  const good = activity('hello', { deliveryMode: 'expectReplies' });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['no conversation', { ...good, conversation: undefined }, /conversation/],
    ['no from', { ...good, from: undefined }, /from/],
    ['from without id', { ...good, from: { name: 'x' } }, /from\.id/],
    ['empty type', { ...good, type: '' }, /type/],
    ['unknown type', { ...good, type: 'hack' }, /type/],
    ['channelId as an object', { ...good, channelId: { a: 1 } }, /channelId/],
    ['unknown channelId', { ...good, channelId: 'x'.repeat(40) }, /channelId/],
    ['serviceUrl as a number', { ...good, serviceUrl: 42 }, /serviceUrl/],
    ['text as an object', { ...good, text: { zh: 1 } }, /text/],
    ['conversation id empty', { ...good, conversation: { id: '' } }, /conversation\.id/],
    [
      'no serviceUrl on a normal turn',
      { ...good, deliveryMode: undefined, serviceUrl: undefined },
      /serviceUrl/,
    ],
  ];
  it.each(cases)('%s', async (_name, body, reason) => {
    const res = await postJson(`${base}/api/messages`, body);
    expect(res.status).toBe(400);
    const error = (res.json as { error: string }).error;
    expect(error).toMatch(reason);
    expect(error.length).toBeLessThan(200);
  });

  it('an array or a number is not an activity', async () => {
    expect((await postJson(`${base}/api/messages`, '[1,2]')).status).toBe(400);
    expect((await postJson(`${base}/api/messages`, '7')).status).toBe(400);
  });
});

describe('replies go only to a loopback serviceUrl without credentials', () => {
  let server: CoachServer;
  let base: string;
  beforeAll(async () => ({ server, base } = await serve()));
  afterAll(() => server.shutdown(1000));

  it.each([
    'http://10.0.0.8:3978',
    'https://example.com/',
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1.nip.io:3978',
    'http://[::ffff:10.0.0.1]:80',
    'file:///etc/passwd',
  ])('refuses %s with 400 before any call', async (serviceUrl) => {
    const res = await postJson(`${base}/api/messages`, activity('hello', { serviceUrl }));
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toMatch(/serviceUrl/);
  });

  it('refuses a loopback serviceUrl that carries a query, fragment or credentials, and calls nothing', async () => {
    const connector = await standIn();
    try {
      const host = connector.url.replace('http://', '');
      for (const serviceUrl of [`${connector.url}/?to=x`, `${connector.url}/#x`, `http://u:p@${host}`]) {
        const res = await postJson(`${base}/api/messages`, activity('hello', { serviceUrl }));
        expect(res.status).toBe(400);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(connector.calls).toHaveLength(0);
    } finally {
      await connector.close();
    }
  });

  it('sends to a loopback serviceUrl (the Emulator)', async () => {
    const connector = await standIn();
    try {
      const res = await postJson(
        `${base}/api/messages`,
        activity('hello', { serviceUrl: connector.url.replace('127.0.0.1', 'localhost') }),
      );
      expect(res.status).toBe(200);
      await connector.waitFor(1);
    } finally {
      await connector.close();
    }
  });
});

describe('a failing or slow reply endpoint', () => {
  it('answers 503 a bounded number of times and the server goes on', async () => {
    const { server, base } = await serve();
    const connector = await standIn(() => ({ status: 503 }));
    try {
      const sent = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          postJson(
            `${base}/api/messages`,
            activity('支付宝拒绝了我', {
              serviceUrl: connector.url,
              conversation: { id: `c503-${i}` },
              from: { id: `u503-${i}` },
            }),
          ),
        ),
      );
      expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      await new Promise((r) => setTimeout(r, 1500));
      // Each turn: its first reply tried three times (one try and two retries), then the turn's
      // other replies given up; never a retry storm, never an apology that fails again.
      for (const i of [1, 2, 3, 4]) {
        const mine = connector.calls.filter((c) => c.url.includes(`c503-${i}`));
        expect(mine.length).toBeGreaterThanOrEqual(1);
        expect(mine.length).toBeLessThanOrEqual(3);
      }
      const again = await postJson(
        `${base}/api/messages`,
        activity('hello', { deliveryMode: 'expectReplies' }),
      );
      expect(again.status).toBe(200);
    } finally {
      await connector.close();
      await server.shutdown(1000);
    }
  });

  it('does not hold up the same user’s next message while replies wait on a slow endpoint', async () => {
    const { server, base } = await serve({ timeoutMs: 5000 });
    const connector = await standIn(() => ({ delayMs: 60_000 }));
    try {
      const who = { conversation: { id: 'slow-conv' }, from: { id: 'slow-user' } };
      const first = await postJson(
        `${base}/api/messages`,
        activity('hello', { ...who, serviceUrl: connector.url }),
      );
      expect(first.status).toBe(200);
      await connector.waitFor(1);
      const started = Date.now();
      const second = await postJson(
        `${base}/api/messages`,
        activity('支付宝拒绝了我', { ...who, deliveryMode: 'expectReplies' }),
      );
      expect(Date.now() - started).toBeLessThan(1500);
      expect(JSON.stringify(second.json)).toContain('三条路');
    } finally {
      await connector.close();
      await server.shutdown(200);
    }
  });
});

describe('identities are per channel', () => {
  it('an activity naming another channel or user id never reads or writes that user', async () => {
    const { server, base, runtime } = await serve();
    try {
      const say = (text: string, channelId: string, id: string) =>
        postJson(
          `${base}/api/messages`,
          activity(text, {
            channelId,
            from: { id },
            conversation: { id: `${channelId}-${id}` },
            deliveryMode: 'expectReplies',
          }),
        );
      expect((await say('支付宝拒绝了我', 'msteams', '29:victim')).status).toBe(200);
      expect(await stageOf(runtime, 'msteams:29:victim')).toBe('refused');
      // Same id on another channel: a different user, who starts at the beginning.
      await say('我已经联系过支付宝了', 'emulator', '29:victim');
      expect(await stageOf(runtime, 'msteams:29:victim')).toBe('refused');
      // The Bot Framework route cannot speak as the coach's own Slack or web chat users.
      await say('谈成了，降到0.45%', 'slack', 'U0VICTIM');
      expect(await stageOf(runtime, 'slack:U0VICTIM')).toBeUndefined();
      expect(await stageOf(runtime, 'bf-slack:U0VICTIM')).toBe('agreement');
    } finally {
      await server.shutdown(1000);
    }
  });
});

describe('metrics labels stay bounded', () => {
  it('unknown channels are refused and never become labels', async () => {
    const { server, base } = await serve();
    try {
      for (let i = 0; i < 200; i++) {
        const res = await postJson(
          `${base}/api/messages`,
          activity('hi', { channelId: `chan-${i}`, deliveryMode: 'expectReplies' }),
        );
        expect(res.status).toBe(400);
      }
      for (let i = 0; i < 50; i++) await fetch(`${base}/random/path/${i}`);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).not.toContain('chan-1');
      expect(text).not.toContain('/random/path');
      expect(text.length).toBeLessThan(200_000);
    } finally {
      await server.shutdown(1000);
    }
  });
});

/** A Bot Framework-style RS256 token, signed by `key`. */
function token(key: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(key).toString('base64url');
  return `${body}.${signature}`;
}

describe('Bot Framework tokens', () => {
  const APP_ID = '00000000-0000-0000-0000-00000000c0ac';
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = signer.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const claims = () => ({
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    exp: Math.floor(Date.now() / 1000) + 600,
    nbf: Math.floor(Date.now() / 1000) - 60,
    serviceurl: 'http://127.0.0.1:9',
  });

  async function withKeys(keysUp: boolean) {
    const metadata = await standIn((req) =>
      req.url.startsWith('/keys')
        ? {
            body: {
              keys: [
                {
                  kty: 'RSA',
                  use: 'sig',
                  kid: 'k1',
                  n: jwk.n,
                  e: jwk.e,
                  endorsements: ['msteams', 'emulator'],
                },
              ],
            },
          }
        : { body: { issuer: 'https://api.botframework.com', jwks_uri: `${metadataUrl}/keys` } },
    );
    const metadataUrl = metadata.url;
    const url = keysUp ? `${metadata.url}/openid` : 'http://127.0.0.1:9/openid';
    const served = await serve({
      config: {
        credentials: {
          MicrosoftAppId: APP_ID,
          MicrosoftAppPassword: 'not-a-real-secret',
          MicrosoftAppType: 'MultiTenant',
          // The public cloud's settings, with the key document on a local stand-in.
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          CallerId: 'urn:botframework:azure',
          ValidateAuthority: true,
          ToBotFromChannelOpenIdMetadataUrl: url,
          ToBotFromEmulatorOpenIdMetadataUrl: url,
        } as ServeConfig['credentials'],
      },
    });
    return { ...served, metadata };
  }

  const post = (base: string, authorization?: string) =>
    postJson(
      `${base}/api/messages`,
      activity('hello', {
        deliveryMode: 'expectReplies',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9',
      }),
      authorization ? { authorization } : {},
    );

  it('refuses bad tokens with 401, never 500', async () => {
    const { server, base, metadata } = await withKeys(true);
    try {
      const good = token(signer.privateKey, { alg: 'RS256', kid: 'k1', typ: 'JWT' }, claims());
      const [h, p] = good.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
      const hs256 = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'k1' })).toString('base64url')}.${p}.c2ln`;
      const bad = [
        undefined,
        'Bearer',
        'Basic dXNlcjpwYXNz',
        `Bearer ${none}`,
        `Bearer ${hs256}`,
        `Bearer ${h}.${p}.`,
        `Bearer ${h}.${p}`,
        `Bearer ${token(stranger.privateKey, { alg: 'RS256', kid: 'k1' }, claims())}`,
        `Bearer ${token(signer.privateKey, { alg: 'RS256', kid: 'k1' }, { ...claims(), aud: 'someone-else' })}`,
        `Bearer ${token(signer.privateKey, { alg: 'RS256', kid: 'k1' }, { ...claims(), exp: 1000 })}`,
        `Bearer ${token(signer.privateKey, { alg: 'RS256', kid: 'unknown' }, claims())}`,
        'Bearer not.a.jwt',
      ];
      for (const authorization of bad) {
        const res = await post(base, authorization);
        expect([authorization, res.status]).toEqual([authorization, 401]);
      }
      const ok = await post(base, `Bearer ${good}`);
      expect(ok.status).toBe(200);
    } finally {
      await server.shutdown(1000);
      await metadata.close();
    }
  });

  it('answers 503 without internal addresses when the signing keys cannot be fetched', async () => {
    const { server, base, metadata } = await withKeys(false);
    try {
      const res = await post(
        base,
        `Bearer ${token(signer.privateKey, { alg: 'RS256', kid: 'k1' }, claims())}`,
      );
      expect(res.status).toBe(503);
      expect(res.text).not.toMatch(/127\.0\.0\.1|http|openid/i);
    } finally {
      await server.shutdown(1000);
      await metadata.close();
    }
  });
});
