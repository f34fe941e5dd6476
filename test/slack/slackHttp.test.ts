/**
 * The coach in Slack over HTTP, driven through the real Bolt app mounted on the real `coach
 * serve` server: signed requests in, a local stand-in for the Slack Web API recording what the
 * coach posts.
 */
import type { CoachServer } from '../../src/channels/http/server';
import {
  FORM_TYPE,
  JSON_TYPE,
  buttonLabels,
  dm,
  eventBody,
  postSlack,
  shownText,
  sign,
  slackApiStub,
  slackServer,
  type SlackApiStub,
} from './slackHelpers';

describe('Slack over HTTP', () => {
  let api: SlackApiStub;
  let server: CoachServer;
  let base: string;
  beforeEach(async () => {
    api = await slackApiStub();
    ({ server, base } = await slackServer(api));
  });
  afterEach(async () => {
    await server.shutdown(1000);
    await api.close();
  });

  it('answers a direct message in Block Kit, in the user’s language', async () => {
    const res = await postSlack(base, eventBody(dm('支付宝手续费太高了，怎么办？')), JSON_TYPE);
    expect(res.status).toBe(200);
    const [post] = await api.waitForMethod('chat.postMessage');
    expect(post?.args.channel).toBe('D1');
    expect((post?.args.blocks as { type: string }[]).some((b) => b.type === 'section')).toBe(true);
    expect(shownText(post!)).toMatch(/费率|手续费/);
    expect(buttonLabels(post!).length).toBeGreaterThan(0);
  });

  it('takes a button click as the user’s reply and continues the dialog', async () => {
    await postSlack(base, eventBody(dm('支付宝拒绝了我')), JSON_TYPE);
    const [first] = await api.waitForMethod('chat.postMessage');
    expect(buttonLabels(first!)).toEqual(['继续沟通', '寻找替代方案', '第三方调解']);
    const payload = {
      type: 'block_actions',
      user: { id: 'U1' },
      channel: { id: 'D1' },
      message: { ts: '91.000' },
      actions: [{ action_id: 'coach_btn_2', value: '第三方调解', type: 'button' }],
      trigger_id: 't',
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const res = await postSlack(base, body, FORM_TYPE);
    expect(res.status).toBe(200);
    const posts = await api.waitForMethod('chat.postMessage', 2);
    expect(shownText(posts[1]!)).toContain('12363');
  });

  it('publishes the App Home with the stage map and quick starts', async () => {
    await postSlack(
      base,
      eventBody({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' }),
      JSON_TYPE,
    );
    const [publish] = await api.waitForMethod('views.publish');
    expect(publish?.args.user_id).toBe('U1');
    const view = publish?.args.view as { type: string; blocks: { type: string; text?: { text: string } }[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('制定计划');
  });

  it('handles a retried event once', async () => {
    const body = eventBody(dm('hello there'), 'EvRetry1');
    await postSlack(base, body, JSON_TYPE);
    await api.waitForMethod('chat.postMessage');
    const retry = await postSlack(base, body, JSON_TYPE, {
      ...sign(body),
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('never answers messages from bots, itself included', async () => {
    await postSlack(base, eventBody(dm('I am a bot', { bot_id: 'B999', subtype: 'bot_message' })), JSON_TYPE);
    await postSlack(base, eventBody(dm('me again', { user: 'UCOACH', bot_id: 'BCOACH' })), JSON_TYPE);
    await new Promise((r) => setTimeout(r, 500));
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('rejects forged and stale signatures with 401 and does nothing', async () => {
    const body = eventBody(dm('你好'));
    const forged = await postSlack(base, body, JSON_TYPE, sign(body, undefined, 'wrong-secret'));
    const stale = await postSlack(base, body, JSON_TYPE, sign(body, Math.floor(Date.now() / 1000) - 60 * 10));
    const unsigned = await postSlack(base, body, JSON_TYPE, {});
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack rate limits', () => {
  it('waits out a 429 and still delivers the reply', async () => {
    const api = await slackApiStub({ rateLimitFirstPost: true });
    const { server, base } = await slackServer(api);
    try {
      await postSlack(base, eventBody(dm('hello')), JSON_TYPE);
      const posts = await api.waitForMethod('chat.postMessage', 2, 15_000);
      expect(posts).toHaveLength(2); // the refused one and the retry
      expect(shownText(posts[1]!)).toContain('Negotiation Coach');
    } finally {
      await server.shutdown(1000);
      await api.close();
    }
  }, 20_000);
});
