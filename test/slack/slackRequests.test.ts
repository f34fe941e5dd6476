/**
 * What /slack/events accepts, through the real Bolt app on the real `coach serve` server: a
 * signed body Slack could not have sent is refused at once with a 4xx; a request signed more
 * than five minutes away from now, in either direction, gets 401; a replayed command or click is
 * acknowledged and ignored.
 */
import type { CoachServer } from '../../src/channels/http/server';
import {
  FORM_TYPE,
  JSON_TYPE,
  RESPONSE,
  click,
  dm,
  eventBody,
  interaction,
  postSlack,
  posts,
  sign,
  slackApiStub,
  slackServer,
  slashCommand,
  sleep,
  type SlackApiStub,
} from './slackHelpers';

/** Well under Slack's 3 seconds: "at once". */
const AT_ONCE_MS = 1500;

describe('Slack requests over HTTP', () => {
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

  /** Every message the coach showed: posted, or answered through a response_url. */
  const answered = (): number => posts(api).length + api.calls.filter((c) => c.method === RESPONSE).length;

  describe('bodies Slack could not have sent', () => {
    it.each([
      ['a JSON body of an unknown type', JSON.stringify({ type: 'mystery', token: 'x' }), JSON_TYPE],
      ['a JSON body without a type', JSON.stringify({ hello: 'world' }), JSON_TYPE],
      ['a JSON array', JSON.stringify([1, 2]), JSON_TYPE],
      [
        'an event_callback without an event',
        JSON.stringify({ type: 'event_callback', event_id: 'Ev0' }),
        JSON_TYPE,
      ],
      ['an event sent as a form', eventBody(dm('hello')), FORM_TYPE],
      ['a slash command sent as JSON', 'command=%2Fcoach&text=help&user_id=U1&channel_id=C1', JSON_TYPE],
      ['a form without a command or payload', 'foo=bar&baz=1', FORM_TYPE],
      [
        'an interactivity payload of an unknown type',
        interaction({ type: 'mystery', user: { id: 'U1' } }),
        FORM_TYPE,
      ],
      [
        'a block_actions payload without actions',
        interaction({ type: 'block_actions', user: { id: 'U1' } }),
        FORM_TYPE,
      ],
      ['a payload that is not JSON', 'payload=%7Bnot-json', FORM_TYPE],
      ['a body of another content type', eventBody(dm('hello')), 'text/plain'],
    ])('answers %s, correctly signed, with 400 at once and does nothing', async (_what, body, type) => {
      const res = await postSlack(base, body, type);
      expect(res.status).toBe(400);
      expect(res.ms).toBeLessThan(AT_ONCE_MS);
      expect(res.text).toMatch(/\w+/); // a short reason
      await sleep(300);
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    });

    it('still answers 401, not 400, when such a body is unsigned or badly signed', async () => {
      const body = JSON.stringify({ type: 'mystery' });
      const unsigned = await postSlack(base, body, JSON_TYPE, {});
      const forged = await postSlack(base, body, JSON_TYPE, sign(body, undefined, 'wrong-secret'));
      expect([unsigned.status, forged.status]).toEqual([401, 401]);
    });

    it('ends a request no listener acknowledges (another slash command) instead of leaving it open', async () => {
      const body = slashCommand(api, 'help').replace('command=%2Fcoach', 'command=%2Fother');
      const res = await postSlack(base, body, FORM_TYPE);
      expect(res.status).toBe(404);
      expect(res.ms).toBeLessThan(5000);
      expect(answered()).toBe(0);
    });

    it('answers Slack’s url_verification and app_rate_limited notices', async () => {
      const challenge = JSON.stringify({ type: 'url_verification', token: 't', challenge: 'abc123' });
      const verified = await postSlack(base, challenge, JSON_TYPE);
      expect(verified.status).toBe(200);
      expect(JSON.parse(verified.text)).toEqual({ challenge: 'abc123' });
      const limited = JSON.stringify({
        token: 't',
        type: 'app_rate_limited',
        team_id: 'T1',
        minute_rate_limited: 1518467820,
        api_app_id: 'A1',
      });
      const notice = await postSlack(base, limited, JSON_TYPE);
      expect(notice.status).toBe(200);
      expect(notice.ms).toBeLessThan(AT_ONCE_MS);
    });
  });

  describe('request timestamps', () => {
    const now = (): number => Math.floor(Date.now() / 1000);

    it('refuses a signature dated more than 5 minutes in the future with 401, and does nothing', async () => {
      const body = eventBody(dm('你好'));
      const res = await postSlack(base, body, JSON_TYPE, sign(body, now() + 6 * 60));
      expect(res.status).toBe(401);
      const command = slashCommand(api, 'help');
      const later = await postSlack(base, command, FORM_TYPE, sign(command, now() + 60 * 60));
      expect(later.status).toBe(401);
      await sleep(300);
      expect(answered()).toBe(0);
    });

    it('accepts a little clock skew either way (within 5 minutes)', async () => {
      const ahead = eventBody(dm('hello'));
      expect((await postSlack(base, ahead, JSON_TYPE, sign(ahead, now() + 4 * 60))).status).toBe(200);
      const behind = eventBody(dm('hello again'));
      expect((await postSlack(base, behind, JSON_TYPE, sign(behind, now() - 4 * 60))).status).toBe(200);
      await api.waitForMethod('chat.postMessage', 2);
    });

    it('refuses a timestamp that is not a number with 401', async () => {
      const body = eventBody(dm('hello'));
      const res = await postSlack(base, body, JSON_TYPE, {
        ...sign(body),
        'x-slack-request-timestamp': 'soon',
      });
      expect(res.status).toBe(401);
    });
  });

  describe('replays', () => {
    it('acknowledges a replayed slash command and runs it once', async () => {
      const body = slashCommand(api, 'help');
      const headers = sign(body);
      const first = await postSlack(base, body, FORM_TYPE, headers);
      expect(first.status).toBe(200);
      await sleep(800);
      const handled = answered();
      expect(handled).toBeGreaterThan(0);
      const replay = await postSlack(base, body, FORM_TYPE, headers);
      expect(replay.status).toBe(200);
      expect(replay.ms).toBeLessThan(AT_ONCE_MS);
      await sleep(800);
      expect(answered()).toBe(handled);
    });

    it('acknowledges a replayed button click and takes it once', async () => {
      await postSlack(base, eventBody(dm('支付宝拒绝了我')), JSON_TYPE);
      await api.waitForMethod('chat.postMessage');
      const body = interaction(click('第三方调解'));
      const headers = sign(body);
      expect((await postSlack(base, body, FORM_TYPE, headers)).status).toBe(200);
      await api.waitForMethod('chat.postMessage', 2);
      const replay = await postSlack(base, body, FORM_TYPE, headers);
      expect(replay.status).toBe(200);
      await sleep(800);
      expect(posts(api)).toHaveLength(2);
    });

    it('runs two different commands (two trigger ids) both', async () => {
      await postSlack(base, slashCommand(api, 'help'), FORM_TYPE);
      await sleep(500);
      const once = answered();
      await postSlack(base, slashCommand(api, 'help'), FORM_TYPE);
      const deadline = Date.now() + 5000;
      while (answered() < 2 * once && Date.now() < deadline) await sleep(50);
      expect(answered()).toBe(2 * once);
    });
  });
});
