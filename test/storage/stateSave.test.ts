/**
 * Saving a turn: what the store ends up holding after the app runs a turn. Both records go in one
 * eTag-checked write, nothing is written when a turn changed nothing, a failed write shows no
 * progress and loses nothing, and personal data never reaches the store.
 */
import { join } from 'node:path';
import type { StoreItems } from 'botbuilder';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { TerminalChannel } from '../../src/channels/terminal/terminalChannel';
import { HOME_EVENT } from '../../src/core/turn';
import { createLogger } from '../../src/log/logger';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { ForwardingStorage } from '../../src/storage/forwardingStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { tempDir } from '../helpers/tmp';

const USER_KEY = 'user/terminal:u1';
const CONVERSATION_KEY = 'conversation/terminal/terminal:u1';

/** A store that fails the next write when told to, and records the writes that reach it. */
class FlakyStore extends ForwardingStorage {
  failNext = false;
  writes: string[][] = [];
  override async write(changes: StoreItems): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes.push(Object.keys(changes).sort());
    await this.inner.write(changes);
  }
}

const backends: [string, () => { store: CoachStorage; done: () => void }][] = [
  ['memory', () => ({ store: new MemoryStorage(), done: () => undefined })],
  [
    'sqlite',
    () => {
      const tmp = tempDir();
      return { store: new SqliteStorage(join(tmp.dir, 'coach.db')), done: tmp.cleanup };
    },
  ],
];

describe.each(backends)('%s: saving a turn', (_name, open) => {
  let raw: CoachStorage;
  let flaky: FlakyStore;
  let runtime: CoachRuntime;
  let chat: TerminalChannel;
  let done: () => void;

  beforeEach(async () => {
    ({ store: raw, done } = open());
    flaky = new FlakyStore(raw);
    runtime = await createApp({ storage: flaky, seed: 1, logger: createLogger({}, 'error') });
    chat = new TerminalChannel(runtime.app, { user: 'u1' });
  });
  afterEach(async () => {
    await raw.close();
    done();
  });

  async function stored(key = USER_KEY): Promise<Record<string, unknown>> {
    return ((await raw.read([key]))[key] ?? {}) as Record<string, unknown>;
  }

  it('writes both records in one call, and nothing when a turn changed nothing', async () => {
    await chat.send('支付宝拒绝了我');
    expect(flaky.writes).toEqual([[CONVERSATION_KEY, USER_KEY].sort()]);
    expect((await stored()).profile).toMatchObject({ journey: { snapshot: { value: 'refused' } } });
    expect((await stored(CONVERSATION_KEY)).state).toMatchObject({ flow: { id: 'refusal' } });
    // The home card reads the user's record and changes nothing.
    await runtime.app.turn({
      identity: 'terminal:u1',
      conversation: 'terminal/home',
      channel: 'terminal',
      kind: 'event',
      name: HOME_EVENT,
    });
    expect(flaky.writes).toHaveLength(1);
  });

  it('after a failed write the user is told, nothing claims progress, and the next turn stores it', async () => {
    flaky.failNext = true;
    const failed = await chat.send('支付宝拒绝了我');
    expect(failed.replies.map((r) => r.text).join('\n')).toContain('出了点问题');
    expect(failed.replies.map((r) => r.text).join('\n')).not.toContain('三条路');
    expect(failed.summary.stage).toBe('planning');
    expect(await stored()).toEqual({});
    const again = await chat.send('支付宝拒绝了我');
    expect(again.summary.stage).toBe('refused');
    expect((await stored()).profile).toMatchObject({ journey: { snapshot: { value: 'refused' } } });
  });

  it('stores personal data masked, though the turn read the message whole', async () => {
    await chat.send('帮我做个协商计划');
    await chat.send('我是开饭店的商家，电话13812345678');
    const text = JSON.stringify(await raw.read([USER_KEY, CONVERSATION_KEY]));
    expect(text).not.toContain('13812345678');
  });

  it('reads back what the previous turn stored, after a restart', async () => {
    await chat.send('支付宝拒绝了我');
    const restarted = await createApp({ storage: raw, seed: 1, logger: createLogger({}, 'error') });
    const turn = await new TerminalChannel(restarted.app, { user: 'u1' }).send('第三方调解');
    expect(turn.summary.stage).toBe('mediation');
  });
});
