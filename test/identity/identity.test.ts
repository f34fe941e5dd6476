/**
 * Identities (CONTRACTS section 9): a user is channel and id; `/link` joins two channels with a
 * one-time code; records kept under a bare id before identities had channels are taken over only
 * by the channel they can have belonged to, and never lost.
 */
import { TerminalChannel } from '../../src/channels/terminal/terminalChannel';
import { startServer, type CoachServer } from '../../src/channels/http/server';
import { Links, LINK_CODE_TTL_MS } from '../../src/identity/links';
import { createLogger } from '../../src/log/logger';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { activity, postJson } from '../helpers/http';

const quiet = createLogger({}, 'error');

describe('link codes', () => {
  it('are six digits, work once, for another identity, within ten minutes', async () => {
    let now = 1_000_000;
    const links = new Links(new MemoryStorage(), () => now);
    const code = await links.issue('terminal:alice');
    expect(code).toMatch(/^\d{6}$/);
    expect(await links.redeem('terminal:alice', code)).toEqual({ ok: false, reason: 'own' });
    expect(await links.redeem('slack:U1', code)).toEqual({ ok: true, identity: 'terminal:alice' });
    expect(await links.redeem('msteams:29:x', code)).toEqual({ ok: false, reason: 'unknown' });
    const late = await links.issue('terminal:alice');
    now += LINK_CODE_TTL_MS + 1;
    expect(await links.redeem('slack:U2', late)).toEqual({ ok: false, reason: 'unknown' });
    expect(await links.redeem('slack:U2', '12ab56')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('stop answering after a few wrong guesses', async () => {
    const links = new Links(new MemoryStorage());
    const real = await links.issue('terminal:alice');
    const wrong = real === '000000' ? '000001' : '000000';
    const results = [];
    for (let i = 0; i < 6; i++) results.push((await links.redeem('webchat:guesser', wrong)).ok === false);
    expect(results.every(Boolean)).toBe(true);
    expect(await links.redeem('webchat:guesser', real)).toEqual({ ok: false, reason: 'too_many' });
  });
});

describe('linking channels through the bot', () => {
  let runtime: CoachRuntime;
  let server: CoachServer;
  let storage: MemoryStorage;
  beforeEach(async () => {
    storage = new MemoryStorage();
    runtime = await createApp({ storage, seed: 1, logger: quiet });
    server = await startServer(
      runtime,
      { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
      quiet,
    );
  });
  afterEach(() => server.shutdown(1000));

  const terminal = (user: string) => new TerminalChannel(runtime.app, { user });
  async function teams(id: string, text: string) {
    const res = await postJson(
      `http://127.0.0.1:${server.port}/api/messages`,
      activity(text, {
        channelId: 'msteams',
        from: { id },
        conversation: { id: `teams-${id}` },
        deliveryMode: 'expectReplies',
      }),
    );
    const texts = (res.json as { activities: { text?: string }[] }).activities.map((a) => a.text ?? '');
    return texts.join('\n');
  }
  async function stageOfTerminal(adapter: TerminalChannel) {
    return (await adapter.send('我到哪一步了')).summary?.stage;
  }

  it('shares stage and case after /link CODE, and the code works only once', async () => {
    const alice = terminal('alice');
    await alice.send('支付宝拒绝了我');
    expect(await stageOfTerminal(alice)).toBe('refused');
    // Bob on Teams has a history of his own before linking.
    await teams('29:bob', '我已经联系过支付宝了');
    const shown = (await alice.send('/link')).replies.map((r) => r.text).join('\n');
    const code = /\/link (\d{6})/.exec(shown)?.[1];
    expect(code).toBeDefined();

    expect(await teams('29:bob', `/link ${code}`)).toContain('已关联');
    expect(await teams('29:bob', '我到哪一步了')).toContain('被拒绝');
    await teams('29:bob', '第三方调解');
    expect(await stageOfTerminal(alice)).toBe('mediation');
    // Bob's own progress from before was kept aside, not deleted.
    const kept = [...(storage as unknown as { items: Map<string, unknown> }).items.keys()];
    expect(kept.some((k) => k.startsWith('user-unlinked/msteams:29:bob/'))).toBe(true);

    // The code is spent: nobody else can join with it.
    expect(await teams('29:mallory', `/link ${code}`)).toContain('不对');
    expect(await teams('29:mallory', '我到哪一步了')).toContain('制定计划');
  });

  it('a third channel joins the same record through a code from a linked one', async () => {
    const alice = terminal('alice');
    await alice.send('支付宝拒绝了我');
    const first = /\/link (\d{6})/.exec((await alice.send('/link')).replies.map((r) => r.text).join(''))?.[1];
    await teams('29:bob', `/link ${first}`);
    const second = /\/link (\d{6})/.exec(await teams('29:bob', '/link'))?.[1];
    const carol = terminal('carol');
    await carol.send(`/link ${second}`);
    expect(await stageOfTerminal(carol)).toBe('refused');
  });
});

describe('records from before identities had channels', () => {
  async function legacyRecordInStage(storage: MemoryStorage, key: string): Promise<void> {
    const runtime = await createApp({ storage, seed: 1, logger: quiet });
    await new TerminalChannel(runtime.app, { user: 'template' }).send('支付宝拒绝了我');
    const { eTag: _e, ...record } = (await storage.read(['user/terminal:template']))[
      'user/terminal:template'
    ]!;
    await storage.write({ [key]: record });
    await storage.delete(['user/terminal:template']);
  }

  it('are taken over by the terminal, and the old key says where they went', async () => {
    const storage = new MemoryStorage();
    await legacyRecordInStage(storage, 'user/old-friend');
    const runtime = await createApp({ storage, seed: 1, logger: quiet });
    const turn = await new TerminalChannel(runtime.app, { user: 'old-friend' }).send('我到哪一步了');
    expect(turn.summary?.stage).toBe('refused');
    const items = await storage.read(['user/terminal:old-friend', 'user/old-friend']);
    expect(items['user/terminal:old-friend']?.profile).toBeDefined();
    expect(items['user/old-friend']).toMatchObject({ migratedTo: 'user/terminal:old-friend' });
  });

  it('are left where they are for channels whose ids could be anyone’s', async () => {
    const storage = new MemoryStorage();
    await legacyRecordInStage(storage, 'user/some-emulator-id');
    const runtime = await createApp({ storage, seed: 1, logger: quiet });
    const server = await startServer(
      runtime,
      { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
      quiet,
    );
    try {
      const res = await postJson(
        `http://127.0.0.1:${server.port}/api/messages`,
        activity('我到哪一步了', { from: { id: 'some-emulator-id' }, deliveryMode: 'expectReplies' }),
      );
      expect(JSON.stringify(res.json)).toContain('制定计划');
      const legacy = (await storage.read(['user/some-emulator-id']))['user/some-emulator-id'];
      expect(legacy?.profile).toBeDefined();
      expect(legacy).not.toHaveProperty('migratedTo');
    } finally {
      await server.shutdown(1000);
    }
  });
});
