/**
 * Saving a turn's state: what the store ends up holding. A turn serialises its records once and
 * the store writes that text (src/storage/jsonText.ts); these tests make sure the shortcut never
 * writes an out-of-date text, never skips a real change, and never lets personal data through.
 */
import { join } from 'node:path';
import { TestAdapter, TurnContext, type Activity, type StoreItems } from 'botbuilder';
import { CoachState } from '../../src/state/coachState';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { ForwardingStorage } from '../../src/storage/forwardingStorage';
import { MaskingStorage } from '../../src/storage/maskingStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { tempDir } from '../helpers/tmp';

/** Identities are channel and id (CONTRACTS section 9): this turn's user is test:u1. */
const USER_KEY = 'user/test:u1';

function turn(): TurnContext {
  const activity: Partial<Activity> = {
    type: 'message',
    text: 'hi',
    channelId: 'test',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'u1' },
    recipient: { id: 'bot', name: 'bot' },
  };
  return new TurnContext(new TestAdapter(), activity as Activity);
}

/** A store that fails the next write when told to, and counts the writes that reach it. */
class FlakyStore extends ForwardingStorage {
  failNext = false;
  writes = 0;
  override async write(changes: StoreItems): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes++;
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
  let state: CoachState;
  let done: () => void;

  beforeEach(() => {
    ({ store: raw, done } = open());
    flaky = new FlakyStore(raw);
    state = new CoachState(new MaskingStorage(flaky));
  });
  afterEach(async () => {
    await raw.close();
    done();
  });

  async function stored(): Promise<Record<string, unknown>> {
    return ((await raw.read([USER_KEY]))[USER_KEY] ?? {}) as Record<string, unknown>;
  }

  it('writes both records in one call, and nothing when a turn changed nothing', async () => {
    const first = turn();
    await state.ensureReadable(first);
    (await state.getProfile(first)).lastLang = 'en';
    await state.save(first);
    expect(flaky.writes).toBe(1);

    const second = turn();
    await state.ensureReadable(second);
    await state.getProfile(second);
    await state.save(second);
    expect(flaky.writes).toBe(1);
    expect((await stored()).profile).toMatchObject({ lastLang: 'en' });
  });

  it('writes a change made after an earlier save of the same turn', async () => {
    const context = turn();
    await state.ensureReadable(context);
    const profile = await state.getProfile(context);
    profile.lastLang = 'zh';
    await state.save(context);
    profile.lastLang = 'en';
    await state.save(context);
    expect((await stored()).profile).toMatchObject({ lastLang: 'en' });
  });

  it('after a failed write, the next save stores the latest state', async () => {
    const context = turn();
    await state.ensureReadable(context);
    const profile = await state.getProfile(context);
    profile.lastLang = 'zh';
    flaky.failNext = true;
    await expect(state.save(context)).rejects.toThrow('disk full');
    profile.lastLang = 'en';
    await state.save(context);
    expect((await stored()).profile).toMatchObject({ lastLang: 'en' });
  });

  it('stores personal data masked even though the turn serialised it unmasked', async () => {
    const context = turn();
    await state.ensureReadable(context);
    const profile = await state.getProfile(context);
    profile.facts.business = '饭店，电话13812345678';
    await state.save(context);
    const text = JSON.stringify(await stored());
    expect(text).not.toContain('13812345678');
    expect(text).toContain('[phone]');
  });

  it('reads back what the previous turn stored, and sees later changes as changes', async () => {
    const first = turn();
    await state.ensureReadable(first);
    (await state.getProfile(first)).facts.currentRate = 0.6;
    await state.save(first);

    const second = turn();
    await state.ensureReadable(second);
    const profile = await state.getProfile(second);
    expect(profile.facts.currentRate).toBe(0.6);
    profile.facts.targetRate = 0.38;
    await state.save(second);
    expect((await stored()).profile).toMatchObject({ facts: { currentRate: 0.6, targetRate: 0.38 } });
  });
});
