/**
 * Where the coach answers in Slack, through the real Bolt app on the real `coach serve` server:
 * `/coach` in a channel answers there ephemerally (or goes on in the DM for flows, saying so);
 * Slack's help names Slack's own forms; a DM keeps everything at top level, role-plays included;
 * a role-play started in a channel runs in one thread, debrief included.
 */
import type { CoachServer } from '../../src/channels/http/server';
import { coachCommand } from '../../src/channels/slack/listeners/commands/coach';
import { texts } from '../helpers/texts';
import {
  FORM_TYPE,
  JSON_TYPE,
  RESPONSE,
  buttonLabels,
  click,
  dm,
  eventBody,
  interaction,
  postSlack,
  posts,
  shownText,
  slackApiStub,
  slackServer,
  slashCommand,
  sleep,
  type SlackApiStub,
  type SlackCall,
} from './slackHelpers';

/** Every /coach form Slack's help must name. */
const SLACK_FORMS = [
  '/coach help',
  '/coach plan',
  '/coach roleplay [fees|security|service] [easy|normal|hard]',
  '/coach status',
  '/coach progress',
  '/coach lang zh|en',
  '/coach reset',
  '/coach forget',
  '/coach link',
  '/coach end',
];

describe('/coach subcommands as the coach’s commands', () => {
  it.each([
    ['', '/help', 'here'],
    ['help', '/help', 'here'],
    ['plan', '/plan', 'dm'],
    ['roleplay fees hard', '/roleplay fees hard', 'dm'],
    ['status', '/status', 'here'],
    ['progress', '/progress', 'here'],
    ['lang en', '/lang en', 'here'],
    ['reset', '/reset', 'here'],
    ['forget', '/forget', 'here'],
    ['link', '/link', 'here'],
    ['link 123456', '/link 123456', 'here'],
    ['end', '/end', 'roleplay'],
    ['STATUS', '/status', 'here'],
  ])('/coach %s is %s, answered %s', (text, command, place) => {
    expect(coachCommand(text)).toEqual({ text: command, place });
  });
});

describe('help text per channel', () => {
  it.each(['zh', 'en'] as const)(
    'Slack’s help (%s) names Slack’s forms and the buttons, no terminal commands',
    (lang) => {
      const help = texts.t('core.help.slack', lang);
      for (const form of SLACK_FORMS) expect(help).toContain(form);
      expect(help).toMatch(/按钮|buttons/);
      expect(help).not.toMatch(/(^|[\s·])\/(quit|help|lang|reset|status)\b/);
    },
  );

  it.each(['zh', 'en'] as const)('the terminal keeps its own list (%s)', (lang) => {
    const help = texts.t('core.help', lang);
    expect(help).toContain('/quit');
    expect(help).toContain('/lang zh|en');
    expect(help).not.toContain('/coach');
  });
});

describe('Slack: where the coach answers', () => {
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

  const responses = (): SlackCall[] => api.calls.filter((c) => c.method === RESPONSE);

  async function command(text: string, options: Parameters<typeof slashCommand>[2] = {}): Promise<void> {
    const res = await postSlack(base, slashCommand(api, text, options), FORM_TYPE);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
  }

  describe('/coach in a channel', () => {
    it('help: answered in the channel, ephemerally, with Slack’s forms and buttons', async () => {
      await command('help');
      const [answer] = await api.waitForMethod(RESPONSE);
      expect(answer?.args.response_type).toBe('ephemeral');
      expect(shownText(answer!)).toContain('/coach roleplay');
      expect(shownText(answer!)).not.toContain('/quit');
      expect(buttonLabels(answer!).length).toBeGreaterThan(0);
      await sleep(300);
      expect(posts(api)).toEqual([]);
    });

    it('help in English after /coach lang en, both ephemeral', async () => {
      await command('lang en');
      await api.waitForMethod(RESPONSE);
      await command('help');
      const answers = await api.waitForMethod(RESPONSE, 2);
      expect(answers.every((a) => a.args.response_type === 'ephemeral')).toBe(true);
      expect(shownText(answers[1]!)).toContain('Commands: `/coach help`');
      expect(posts(api)).toEqual([]);
    });

    it('status: the stage, ephemerally', async () => {
      await command('status');
      const [answer] = await api.waitForMethod(RESPONSE);
      expect(answer?.args.response_type).toBe('ephemeral');
      expect(shownText(answer!)).toMatch(/阶段|stage/);
    });

    it.each(['forget', 'link', 'progress'])(
      '%s: passed to the bot as its command, answered ephemerally (not the help)',
      async (sub) => {
        await command(sub);
        const [answer] = await api.waitForMethod(RESPONSE);
        expect(answer?.args.response_type).toBe('ephemeral');
        expect(shownText(answer!)).not.toContain('/coach plan');
        expect(shownText(answer!)).not.toContain('/quit');
      },
    );

    it.each([
      ['roleplay fees hard', /费率谈判（困难）|fee.*hard/i],
      ['plan', /merchant|商家/i],
    ])('%s: goes on in the user’s DM, and says so in the channel', async (text, shown) => {
      await command(text);
      const [post] = await api.waitForMethod('chat.postMessage');
      expect(post?.args.channel).toBe('DOPENED');
      expect(post?.args.thread_ts).toBeUndefined();
      expect(shownText(post!)).not.toMatch(/Unknown command|没有这个命令/);
      expect(shownText(post!)).toMatch(shown);
      const [note] = await api.waitForMethod(RESPONSE);
      expect(note?.args.response_type).toBe('ephemeral');
      expect(shownText(note!)).toMatch(/私信|direct messages/);
    });

    it('reset: the question and the answer to its button both stay ephemeral', async () => {
      await command('reset');
      const [question] = await api.waitForMethod(RESPONSE);
      expect(buttonLabels(question!)).toEqual(['确定', '取消']);
      const body = interaction(
        click('确定', { channel: 'C123', ephemeral: true, responseUrl: `${api.raw.url}${RESPONSE}` }),
      );
      expect((await postSlack(base, body, FORM_TYPE)).status).toBe(200);
      const answers = await api.waitForMethod(RESPONSE, 2);
      expect(answers[1]?.args.response_type).toBe('ephemeral');
      expect(shownText(answers[1]!)).toContain('已清空');
      expect(posts(api)).toEqual([]);
    });
  });

  it('a flow button on an ephemeral answer goes on in the DM, and says so', async () => {
    await command('help');
    const [help] = await api.waitForMethod(RESPONSE);
    expect(buttonLabels(help!)).toContain('模拟练习');
    const body = interaction(
      click('模拟练习', { channel: 'C123', ephemeral: true, responseUrl: `${api.raw.url}${RESPONSE}` }),
    );
    expect((await postSlack(base, body, FORM_TYPE)).status).toBe(200);
    const [note] = (await api.waitForMethod(RESPONSE, 2)).slice(1);
    expect(note?.args.response_type).toBe('ephemeral');
    expect(shownText(note!)).toMatch(/私信|direct messages/);
    const all = posts(api);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((p) => p.args.channel === 'DOPENED' && p.args.thread_ts === undefined)).toBe(true);
    expect(shownText(all[0]!)).toMatch(/场景|scenario/i);
  });

  it('/coach help typed in the user’s DM with the coach is answered in that DM', async () => {
    await command('help', { channel: 'DOPENED' });
    const [post] = await api.waitForMethod('chat.postMessage');
    expect(post?.args.channel).toBe('DOPENED');
    expect(post?.args.thread_ts).toBeUndefined();
    expect(shownText(post!)).toContain('/coach roleplay');
    expect(responses()).toEqual([]);
  });

  it('a role-play in a DM stays at top level, the debrief too, even for a reply typed in a thread', async () => {
    await postSlack(base, eventBody(dm('roleplay fees easy', { ts: '100.0001' })), JSON_TYPE);
    await api.waitForMethod('chat.postMessage', 2);
    await postSlack(
      base,
      eventBody(dm('Hello, I would like to discuss my rate, thank you.', { ts: '100.0002' })),
      JSON_TYPE,
    );
    await api.waitForMethod('chat.postMessage', 3);
    await postSlack(
      base,
      eventBody(
        dm('Our volume is growing, can you lower the rate?', { ts: '100.0003', thread_ts: '100.0001' }),
      ),
      JSON_TYPE,
    );
    await api.waitForMethod('chat.postMessage', 4);
    await postSlack(base, eventBody(dm('end', { ts: '100.0004' })), JSON_TYPE);
    const all = await api.waitForMethod('chat.postMessage', 5);
    const debrief = all[all.length - 1]!;
    expect((debrief.args.blocks as { type: string }[])[0]).toMatchObject({ type: 'header' });
    expect(shownText(debrief)).toMatch(/Score|得分/);
    expect(all.every((p) => p.args.channel === 'D1' && p.args.thread_ts === undefined)).toBe(true);
  });

  describe('a role-play started in a channel', () => {
    const mention = (text: string, ts: string, threadTs?: string): string =>
      eventBody({
        type: 'app_mention',
        user: 'U1',
        channel: 'C9',
        text: `<@UCOACH> ${text}`,
        ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    const inThread = (text: string, ts: string, threadTs: string): string =>
      eventBody({
        type: 'message',
        channel_type: 'channel',
        channel: 'C9',
        user: 'U1',
        text,
        ts,
        thread_ts: threadTs,
      });

    it('runs in one thread rooted at the message that started it, debrief included', async () => {
      await postSlack(base, mention('roleplay fees easy', '200.0001'), JSON_TYPE);
      await api.waitForMethod('chat.postMessage', 2);
      // A reply in the thread needs no @mention.
      await postSlack(
        base,
        inThread('Hello, I would like to discuss my rate, thank you.', '200.0002', '200.0001'),
        JSON_TYPE,
      );
      await api.waitForMethod('chat.postMessage', 3);
      // An @mention elsewhere in the channel, in another thread, still belongs to the role-play.
      await postSlack(
        base,
        mention('Our volume is growing, can you lower the rate?', '200.0004', '150.0000'),
        JSON_TYPE,
      );
      await api.waitForMethod('chat.postMessage', 4);
      await postSlack(base, inThread('end', '200.0005', '200.0001'), JSON_TYPE);
      const all = await api.waitForMethod('chat.postMessage', 5);
      const debrief = all[all.length - 1]!;
      expect((debrief.args.blocks as { type: string }[])[0]).toMatchObject({ type: 'header' });
      expect(all.every((p) => p.args.channel === 'C9' && p.args.thread_ts === '200.0001')).toBe(true);

      // Over: the next @mention at top level is answered at top level.
      await postSlack(base, mention('hello', '300.0001'), JSON_TYPE);
      const after = await api.waitForMethod('chat.postMessage', all.length + 1);
      expect(after[after.length - 1]?.args.thread_ts).toBeUndefined();
    });

    it('/coach end typed in the channel ends it there: the debrief goes to its thread', async () => {
      await postSlack(base, mention('roleplay fees easy', '400.0001'), JSON_TYPE);
      const opening = await api.waitForMethod('chat.postMessage', 2);
      await command('end', { channel: 'C9' });
      const all = await api.waitForMethod('chat.postMessage', opening.length + 1);
      const debrief = all[all.length - 1]!;
      expect(debrief.args.channel).toBe('C9');
      expect(debrief.args.thread_ts).toBe('400.0001');
      expect((debrief.args.blocks as { type: string }[])[0]).toMatchObject({ type: 'header' });
    });
  });
});
