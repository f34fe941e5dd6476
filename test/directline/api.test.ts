/**
 * The Direct Line 3.0 API of `coach serve` (CONTRACTS section 5), as a Direct Line client sees
 * it: tokens and who may do what, watermarks, the echo, the WebSocket stream and reconnects,
 * token refresh, CORS, the page's security headers and what the channel refuses.
 */
import { TokenSigner } from '../../src/channels/directline/tokens';
import { createRateLimiter } from '../../src/runtime/rateLimit';
import {
  activities,
  bySender,
  call,
  claimsOf,
  message,
  openStream,
  postActivity,
  rawRequest,
  startCoach,
  startConversation,
  TEST_SECRET,
  upgradeStatus,
  type Activity,
  type Coach,
  type Started,
} from './client';

let coach: Coach;
let base: string;
const signer = new TokenSigner(TEST_SECRET);

beforeAll(async () => {
  coach = await startCoach({
    hooks: { directLine: { secret: TEST_SECRET } },
    // Generous: these tests send more than a person would, never from one user in a burst.
    rateLimiter: createRateLimiter('dl-api-test', { burst: 50, burstSeconds: 10, perMinute: 200 }),
  });
  base = coach.base;
});
afterAll(() => coach.close());

describe('starting a conversation', () => {
  it('answers 201 with a conversation, a token for a user the server issued, and a stream URL', async () => {
    const res = await call<Started>(base, 'POST', '/v3/directline/conversations', { body: {} });
    expect(res.status).toBe(201);
    const { conversationId, token, expires_in, streamUrl } = res.body;
    expect(conversationId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(expires_in).toBe(1800);
    const claims = claimsOf(token);
    expect(claims.user).toMatch(/^dl_[A-Za-z0-9_-]{16,}$/);
    expect(claims.conv).toBe(conversationId);
    expect(
      streamUrl.startsWith(
        `ws://127.0.0.1:${coach.server.port}/v3/directline/conversations/${conversationId}/stream?`,
      ),
    ).toBe(true);
  });

  it('issues a different user to every new visitor, whatever the body says', async () => {
    const a = await call<Started>(base, 'POST', '/v3/directline/conversations', {
      body: { user: { id: 'dl_chosen-by-client' } },
    });
    const b = await startConversation(base);
    expect(claimsOf(a.body.token).user).not.toBe('dl_chosen-by-client');
    expect(claimsOf(a.body.token).user).not.toBe(claimsOf(b.token).user);
  });

  it('builds the stream URL for the host the client used, and believes proxy headers only when told to', async () => {
    const port = coach.server.port;
    const proxied = {
      host: 'coach.example:8443',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'chat.example',
    };
    const direct = await rawRequest(port, 'POST', '/v3/directline/conversations', proxied);
    expect(direct.status).toBe(201);
    expect(JSON.parse(direct.body).streamUrl).toMatch(/^ws:\/\/coach\.example:8443\/v3\/directline\//);
    const bad = await rawRequest(port, 'POST', '/v3/directline/conversations', { host: 'a;b' });
    expect(bad.status).toBe(400);
    const trusting = await startCoach({ hooks: { directLine: { secret: TEST_SECRET, trustProxy: true } } });
    try {
      const behind = await rawRequest(trusting.server.port, 'POST', '/v3/directline/conversations', proxied);
      expect(JSON.parse(behind.body).streamUrl).toMatch(
        /^wss:\/\/chat\.example\/v3\/directline\/conversations\//,
      );
      const page = await rawRequest(trusting.server.port, 'GET', '/', proxied);
      expect(page.headers['content-security-policy']).toContain(
        "connect-src 'self' ws://chat.example wss://chat.example",
      );
    } finally {
      await trusting.close();
    }
  });
});

describe('tokens', () => {
  let conv: Started;
  beforeAll(async () => {
    conv = await startConversation(base);
  });

  const routes = (c: Started) => [
    ['GET', `/v3/directline/conversations/${c.conversationId}`],
    ['GET', `/v3/directline/conversations/${c.conversationId}/activities`],
    ['POST', `/v3/directline/conversations/${c.conversationId}/activities`],
    ['POST', '/v3/directline/tokens/refresh'],
    ['GET', '/webchat/plan.md'],
  ];

  it('refuses every route without a token, with a forged one, or one signed by another secret (401)', async () => {
    const other = new TokenSigner('another-secret-another-secret-000').sign(
      'conversation',
      claimsOf(conv.token).user,
      conv.conversationId,
      600,
    );
    const [head, , sig] = conv.token.split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claimsOf(conv.token), user: 'dl_x' })).toString('base64url')}.${sig}`;
    for (const token of [undefined, 'garbage', other, tampered]) {
      for (const [method, path] of routes(conv)) {
        const res = await call(base, method as string, path as string, {
          token,
          body: method === 'POST' ? message('hi') : undefined,
        });
        expect([method, path, token === undefined ? 'none' : 'bad', res.status]).toEqual([
          method,
          path,
          token === undefined ? 'none' : 'bad',
          401,
        ]);
      }
    }
  });

  it('refuses an expired token with 403 (directlinejs then refreshes or reconnects)', async () => {
    const expired = signer.sign('conversation', claimsOf(conv.token).user, conv.conversationId, -5);
    for (const [method, path] of routes(conv)) {
      const res = await call(base, method as string, path as string, {
        token: expired,
        body: method === 'POST' ? message('hi') : undefined,
      });
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it('does not let a stream token stand in for a conversation token', async () => {
    const t = new URL(conv.streamUrl).searchParams.get('t') as string;
    const res = await call(base, 'GET', `/v3/directline/conversations/${conv.conversationId}/activities`, {
      token: t,
    });
    expect(res.status).toBe(401);
  });

  it('refreshes a token: the new one works, the conversation stays the same', async () => {
    const res = await call<{ conversationId: string; token: string; expires_in: number }>(
      base,
      'POST',
      '/v3/directline/tokens/refresh',
      { token: conv.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.conversationId).toBe(conv.conversationId);
    expect(res.body.expires_in).toBe(1800);
    expect(claimsOf(res.body.token).user).toBe(claimsOf(conv.token).user);
    const posted = await postActivity(base, { ...conv, token: res.body.token }, message('你好'));
    expect(posted.status).toBe(200);
  });

  it('starts again as the same user with a token that expired (a page reopened later)', async () => {
    const user = claimsOf(conv.token).user;
    const expired = signer.sign('conversation', user, conv.conversationId, -3600);
    const again = await startConversation(base, expired);
    expect(claimsOf(again.token).user).toBe(user);
    // The conversation's log is still kept: the same conversation goes on.
    expect(again.conversationId).toBe(conv.conversationId);
    // A conversation that is gone: the same user, a new conversation.
    const gone = signer.sign('conversation', user, 'no-such-conversation-0000', -60);
    const fresh = await startConversation(base, gone);
    expect(claimsOf(fresh.token).user).toBe(user);
    expect(fresh.conversationId).not.toBe('no-such-conversation-0000');
  });
});

describe('one user cannot reach another user', () => {
  let a: Started;
  let b: Started;
  beforeAll(async () => {
    a = await startConversation(base);
    b = await startConversation(base);
    await postActivity(base, b, message('B 的秘密计划'));
  });

  it('a token for conversation A can neither read, post to, nor reconnect to B (403)', async () => {
    const asA = { conversationId: b.conversationId, token: a.token };
    expect(
      (
        await call(base, 'GET', `/v3/directline/conversations/${b.conversationId}/activities`, {
          token: a.token,
        })
      ).status,
    ).toBe(403);
    expect((await postActivity(base, asA, message('hello B'))).status).toBe(403);
    expect(
      (await call(base, 'GET', `/v3/directline/conversations/${b.conversationId}`, { token: a.token }))
        .status,
    ).toBe(403);
    const bLog = await activities(base, b);
    expect(bLog.activities.some((x) => x.text === 'hello B')).toBe(false);
  });

  it("a stream URL of A does not open B's stream", async () => {
    const aStream = new URL(a.streamUrl);
    const onB = `ws://127.0.0.1:${coach.server.port}/v3/directline/conversations/${b.conversationId}/stream${aStream.search}`;
    expect(await upgradeStatus(onB)).toBe(403);
    expect(
      await upgradeStatus(
        `ws://127.0.0.1:${coach.server.port}/v3/directline/conversations/${a.conversationId}/stream`,
      ),
    ).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${coach.server.port}/nowhere`)).toBe(404);
  });

  it('ignores the from.id a client sends: the echo and the turn are the token user’s', async () => {
    const victim = claimsOf(b.token).user;
    const res = await postActivity(
      base,
      a,
      message('/status', { from: { id: victim, name: 'B', role: 'bot' } }),
    );
    expect(res.status).toBe(200);
    const log = await activities(base, a);
    const echo = log.activities.find((x) => x.id === res.body.id) as Activity;
    expect(echo.from).toEqual({ id: claimsOf(a.token).user, role: 'user' });
    const replies = log.activities.filter((x) => x.replyToId === res.body.id);
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) expect(r.recipient?.id).toBe(claimsOf(a.token).user);
    // Nothing landed in B's conversation.
    expect((await activities(base, b)).activities.some((x) => x.text === '/status')).toBe(false);
  });
});

describe('activities and watermarks', () => {
  let conv: Started;
  beforeAll(async () => {
    conv = await startConversation(base);
  });

  it('echoes a posted activity with its clientActivityID, an id and a timestamp; the reply follows it', async () => {
    const res = await postActivity(
      base,
      conv,
      message('支付宝拒绝了我', { channelData: { clientActivityID: 'client-42', extra: 'dropped' } }),
    );
    expect(res.status).toBe(200);
    const { activities: all } = await activities(base, conv);
    const echo = all.find((a) => a.id === res.body.id) as Activity;
    expect(echo).toBeDefined();
    expect(echo.channelData).toEqual({ clientActivityID: 'client-42' });
    expect(echo.text).toBe('支付宝拒绝了我');
    expect(Number.isNaN(Date.parse(echo.timestamp))).toBe(false);
    const reply = all.find((a) => a.replyToId === echo.id && a.from.role === 'bot') as Activity;
    expect(reply.text).toContain('三条路');
    expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual([
      '继续沟通',
      '寻找替代方案',
      '第三方调解',
    ]);
    expect(Date.parse(reply.timestamp)).toBeGreaterThan(Date.parse(echo.timestamp));
  });

  it('masks personal numbers in the echo, as the coach stores nothing of them', async () => {
    const res = await postActivity(base, conv, message('我的手机号是13812345678'));
    const { activities: all } = await activities(base, conv);
    const echo = all.find((a) => a.id === res.body.id) as Activity;
    expect(echo.text).not.toContain('13812345678');
  });

  it('returns only activities newer than the watermark it gave out', async () => {
    const first = await activities(base, conv);
    expect(first.activities.length).toBeGreaterThan(0);
    const mark = first.watermark;
    expect(typeof mark).toBe('string');
    const none = await activities(base, conv, mark);
    expect(none.activities).toEqual([]);
    expect(none.watermark).toBe(mark);
    const res = await postActivity(base, conv, message('hello'));
    const newer = await activities(base, conv, mark);
    expect(newer.activities[0]?.id).toBe(res.body.id);
    expect(newer.activities.every((a) => !first.activities.some((b) => b.id === a.id))).toBe(true);
    expect(newer.watermark).not.toBe(mark);
  });

  it('refuses a watermark it did not give out (400)', async () => {
    for (const w of ['abc', '-1', '1.5', '99999999999999999999']) {
      const res = await call(
        base,
        'GET',
        `/v3/directline/conversations/${conv.conversationId}/activities?watermark=${w}`,
        {
          token: conv.token,
        },
      );
      expect([w, res.status]).toEqual([w, 400]);
    }
  });

  it('greets on the join event, in the language of the page', async () => {
    const en = await startConversation(base);
    await postActivity(base, en, {
      type: 'event',
      name: 'webchat/join',
      locale: 'en-US',
      value: { locale: 'en-US' },
    });
    const replies = (await activities(base, en)).activities.filter(bySender('bot'));
    expect(replies[0]?.text).toContain('Negotiation Coach');
    const zh = await startConversation(base);
    await postActivity(base, zh, { type: 'conversationUpdate', locale: 'zh-CN' });
    expect((await activities(base, zh)).activities.filter(bySender('bot'))[0]?.text).toContain('协商教练');
  });

  it('refuses what is not an activity, or too big, with a 4xx and goes on', async () => {
    const path = `/v3/directline/conversations/${conv.conversationId}/activities`;
    const cases: [unknown, number][] = [
      ['[1,2]', 400],
      [{ type: 'invoke' }, 400],
      [{ type: 'message', text: 42 }, 400],
      ['{"type":', 400],
      [{ type: 'message', text: 'x'.repeat(300 * 1024) }, 413],
    ];
    for (const [body, status] of cases) {
      const res = await call(base, 'POST', path, { token: conv.token, body });
      expect(res.status).toBe(status);
    }
    expect((await postActivity(base, conv, message('still here'))).status).toBe(200);
  });
});

describe('the WebSocket stream', () => {
  it('delivers the echo and the bot replies as they are logged, and empty pings', async () => {
    const pinging = await startCoach({ hooks: { directLine: { secret: TEST_SECRET, pingMs: 200 } } });
    try {
      const conv = await startConversation(pinging.base);
      const stream = await openStream(conv.streamUrl);
      const res = await postActivity(
        pinging.base,
        conv,
        message('支付宝手续费太高了', { channelData: { clientActivityID: 'c1' } }),
      );
      const seen = await stream.waitFor((all) => all.some((a) => a.replyToId === res.body.id));
      expect(seen[0]).toMatchObject({ id: res.body.id, channelData: { clientActivityID: 'c1' } });
      expect(seen.find((a) => a.replyToId === res.body.id)?.from.role).toBe('bot');
      // Each group carries the watermark of its last activity.
      const lastGroup = stream.groups[stream.groups.length - 1];
      expect(lastGroup?.watermark).toBe((await activities(pinging.base, conv)).watermark);
      await new Promise((r) => setTimeout(r, 500));
      expect(stream.raw.filter((m) => m === '').length).toBeGreaterThan(0);
      await stream.close();
    } finally {
      await pinging.close();
    }
  });

  it('reconnects: GET conversation gives a new stream URL that resumes after the watermark', async () => {
    const conv = await startConversation(base);
    await postActivity(base, conv, message('第一句'));
    const { watermark } = await activities(base, conv);
    await postActivity(base, conv, message('第二句'));
    const res = await call<Started>(
      base,
      'GET',
      `/v3/directline/conversations/${conv.conversationId}?watermark=${watermark}`,
      {
        token: conv.token,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.conversationId).toBe(conv.conversationId);
    expect(res.body.streamUrl).not.toBe(conv.streamUrl);
    expect(claimsOf(res.body.token).user).toBe(claimsOf(conv.token).user);
    const stream = await openStream(res.body.streamUrl);
    const seen = await stream.waitFor((all) => all.some((a) => a.text === '第二句'));
    expect(seen.some((a) => a.text === '第一句')).toBe(false);
    // And it goes on live.
    await postActivity(base, conv, message('第三句'));
    await stream.waitFor((all) => all.some((a) => a.text === '第三句'));
    await stream.close();
  });

  it('replays the whole conversation to a stream opened without a watermark', async () => {
    const conv = await startConversation(base);
    await postActivity(base, conv, message('hello'));
    const res = await call<Started>(
      base,
      'GET',
      `/v3/directline/conversations/${conv.conversationId}?watermark=`,
      {
        token: conv.token,
      },
    );
    const stream = await openStream(res.body.streamUrl);
    await stream.waitFor((all) => all.some((a) => a.text === 'hello') && all.some(bySender('bot')));
    await stream.close();
  });
});

describe('limits', () => {
  it('limits a user’s events and messages, each in a budget of its own', async () => {
    const tight = await startCoach({
      hooks: {
        directLine: {
          secret: TEST_SECRET,
          eventRateLimiter: createRateLimiter('dl-tight-events', {
            burst: 3,
            burstSeconds: 60,
            perMinute: 100,
          }),
        },
      },
      rateLimiter: createRateLimiter('dl-tight', { burst: 1, burstSeconds: 60, perMinute: 100 }),
    });
    try {
      const conv = await startConversation(tight.base);
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await postActivity(tight.base, conv, { type: 'event', name: 'webchat/ping' })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Messages have their own budget; one over it gets the coach's "slow down" reply.
      await postActivity(tight.base, conv, message('支付宝拒绝了我'));
      expect((await activities(tight.base, conv)).activities.filter(bySender('bot')).pop()?.text).toContain(
        '三条路',
      );
      await postActivity(tight.base, conv, message('支付宝拒绝了我'));
      const replies = (await activities(tight.base, conv)).activities.filter(bySender('bot'));
      expect(replies[replies.length - 1]?.text).toMatch(/慢|稍等|秒/);
    } finally {
      await tight.close();
    }
  });
});

describe('new conversations per client address', () => {
  it('limits them per address the trusted proxy saw, and not this machine’s own clients', async () => {
    const proxied = await startCoach({
      hooks: {
        directLine: {
          secret: TEST_SECRET,
          trustProxy: true,
          newConversationLimit: { burst: 2, burstSeconds: 60, perMinute: 100 },
        },
      },
    });
    try {
      const from = (address: string) =>
        rawRequest(proxied.server.port, 'POST', '/v3/directline/conversations', {
          'x-forwarded-for': `10.9.9.9, ${address}`,
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await from('203.0.113.7')).status);
      expect(statuses).toEqual([201, 201, 429]);
      expect((await from('203.0.113.8')).status).toBe(201);
    } finally {
      await proxied.close();
    }
    const local = await startCoach({
      hooks: {
        directLine: {
          secret: TEST_SECRET,
          newConversationLimit: { burst: 1, burstSeconds: 60, perMinute: 1 },
        },
      },
    });
    try {
      for (let i = 0; i < 3; i++)
        expect((await call(local.base, 'POST', '/v3/directline/conversations')).status).toBe(201);
    } finally {
      await local.close();
    }
  });
});

describe('CORS and security headers', () => {
  it('answers a CORS preflight that asks for Authorization and x-ms-bot-agent', async () => {
    const res = await fetch(`${base}/v3/directline/conversations/abc/activities`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-ms-bot-agent',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-ms-bot-agent']) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const get = await call(base, 'POST', '/v3/directline/conversations', {
      headers: { origin: 'https://shop.example' },
    });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves the page with a CSP that allows only this origin, and the other security headers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const host = `127.0.0.1:${coach.server.port}`;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp.replaceAll(`ws://${host}`, '').replaceAll(`wss://${host}`, '')).not.toMatch(/:\/\/|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`content="${nonce}"`);
    // Every script and style of the page is this server's, none inline.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/webchat\/)/);
    expect(html).not.toMatch(/\bsrc="https?:|href="https?:/);
    const again = await fetch(`${base}/`);
    expect(again.headers.get('content-security-policy')).not.toContain(`nonce-${nonce}`);
  });

  it('serves the Web Chat bundle from this server, gzipped and cached, never the dist folder', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const bundle = /src="(\/webchat\/webchat\.[0-9a-f]+\.js)"/.exec(html)?.[1] as string;
    expect(bundle).toBeDefined();
    const res = await fetch(`${base}${bundle}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect((await res.text()).length).toBeGreaterThan(1_000_000);
    for (const path of [
      '/webchat/stats.json',
      '/node_modules/botframework-webchat/dist/stats.json',
      '/webchat/webchat.js',
    ])
      expect((await fetch(`${base}${path}`)).status).toBe(404);
  });
});
