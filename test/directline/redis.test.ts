/**
 * Several `coach serve` instances on one Redis serve one web conversation: a token of one is
 * good on the other (the secret is shared through Redis), an activity posted on A reaches a
 * stream opened on B, and either can answer a poll. No sticky sessions needed.
 */
import { Redis } from 'ioredis';
import { SECRET_KEY } from '../../src/channels/directline/tokens';
import { RedisStorage } from '../../src/storage/redisStorage';
import { startRedis, type RedisServer } from '../helpers/redis';
import {
  activities,
  bySender,
  call,
  claimsOf,
  message,
  openStream,
  postActivity,
  startCoach,
  startConversation,
  type Coach,
  type Started,
} from './client';

let redis: RedisServer;
let a: Coach;
let b: Coach;

beforeAll(async () => {
  redis = await startRedis();
  // No secret given: the instances must agree on one through Redis.
  a = await startCoach({ storage: await RedisStorage.connect(redis.url) });
  b = await startCoach({ storage: await RedisStorage.connect(redis.url) });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

it('shares one signing secret through Redis: a token of A works on B', async () => {
  const client = new Redis(redis.url);
  try {
    expect((await client.get(SECRET_KEY))?.length).toBeGreaterThanOrEqual(32);
  } finally {
    client.disconnect();
  }
  const conv = await startConversation(a.base);
  const res = await call(b.base, 'POST', '/v3/directline/tokens/refresh', { token: conv.token });
  expect(res.status).toBe(200);
});

it('delivers what is posted on A to a stream opened on B, and B answers polls of it', async () => {
  const conv = await startConversation(a.base);
  const reconnect = await call<Started>(
    b.base,
    'GET',
    `/v3/directline/conversations/${conv.conversationId}?watermark=`,
    {
      token: conv.token,
    },
  );
  expect(reconnect.status).toBe(200);
  expect(reconnect.body.streamUrl).toContain(`:${b.server.port}/`);
  const onB = await openStream(reconnect.body.streamUrl);
  try {
    const posted = await postActivity(
      a.base,
      conv,
      message('支付宝拒绝了我', { channelData: { clientActivityID: 'ab-1' } }),
    );
    expect(posted.status).toBe(200);
    const seen = await onB.waitFor((all) => all.some((x) => x.replyToId === posted.body.id));
    expect(seen[0]).toMatchObject({ id: posted.body.id, channelData: { clientActivityID: 'ab-1' } });
    expect(seen.find((x) => x.replyToId === posted.body.id)?.text).toContain('三条路');
    // Posted on B this time, seen on B's stream and in A's log, in one order.
    const second = await postActivity(b.base, conv, message('3'));
    await onB.waitFor((all) => all.some((x) => x.replyToId === second.body.id));
    const fromA = await activities(a.base, conv);
    const fromB = await activities(b.base, conv);
    expect(fromA).toEqual(fromB);
    expect(fromA.activities.map((x) => x.id)).toEqual(onB.activities().map((x) => x.id));
    expect(fromA.activities.filter(bySender('bot')).length).toBeGreaterThanOrEqual(2);
  } finally {
    await onB.close();
  }
});

it('keeps the conversation when the instance that started it is gone', async () => {
  const conv = await startConversation(a.base);
  await postActivity(a.base, conv, message('hello'));
  const c = await startCoach({ storage: await RedisStorage.connect(redis.url) });
  try {
    const log = await activities(c.base, conv);
    expect(log.activities.some((x) => x.text === 'hello')).toBe(true);
    expect(claimsOf(conv.token).conv).toBe(conv.conversationId);
  } finally {
    await c.close();
  }
});
