/**
 * Faults in the embedded store and damaged state: the user gets a clear reply, the process goes
 * on, and nothing that was stored is lost. (Redis faults: test/storage/redisStorage.test.ts.)
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { PROFILE_VERSION } from '../../src/state/profile';
import { tempDir } from '../helpers/tmp';
import { testChat } from '../helpers/runtime';

describe('store faults', () => {
  it('answers "try again" while the SQLite file is locked, and carries on afterwards', async () => {
    const t = tempDir();
    const file = join(t.dir, 'coach.db');
    const storage = new SqliteStorage(file, { busyTimeoutMs: 100 });
    const chat = await testChat({ storage, user: 'locked' });
    expect((await chat.say('支付宝拒绝了我')).turn.summary?.stage).toBe('refused');
    // Another process holds the write lock on the file.
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    const during = await chat.say('第三方调解');
    expect(during.text).toContain('稍后');
    expect(during.turn.summary?.stage).toBe('refused');
    other.exec('COMMIT');
    other.close();
    expect((await chat.say('第三方调解')).turn.summary?.stage).toBe('mediation');
    await chat.runtime.close();
    t.cleanup();
  });

  it('tells the user and starts fresh when their record is damaged; the record is kept aside; others are unaffected', async () => {
    const t = tempDir();
    const file = join(t.dir, 'coach.db');
    const storage = new SqliteStorage(file);
    const alice = await testChat({ storage, user: 'alice' });
    await alice.say('支付宝拒绝了我');
    const bob = await testChat({ storage, user: 'bob' });
    await bob.say('支付宝拒绝了我');
    const raw = new Database(file);
    raw.prepare("UPDATE items SET value = '{broken' WHERE key = 'user/terminal:alice'").run();
    const said = await alice.say('我到哪一步了');
    expect(said.texts[0]).toContain('备份');
    expect(said.turn.summary?.stage).toBe('planning');
    expect(raw.prepare('SELECT count(*) AS n FROM quarantine').get()).toEqual({ n: 1 });
    expect((await bob.say('我到哪一步了')).turn.summary?.stage).toBe('refused');
    raw.close();
    await alice.runtime.close();
    t.cleanup();
  });

  it('sets an old-version record aside and starts fresh', async () => {
    const storage = new MemoryStorage();
    await storage.write({
      'user/terminal:old': { profile: { v: PROFILE_VERSION + 99, facts: {}, weird: true } },
    });
    const chat = await testChat({ storage, user: 'old' });
    const said = await chat.say('你好');
    expect(said.texts[0]).toContain('备份');
    const kept = Object.keys(
      (storage as unknown as { items: Map<string, unknown> }).items
        ? Object.fromEntries((storage as unknown as { items: Map<string, unknown> }).items)
        : {},
    );
    expect(kept.some((k) => k.startsWith('quarantine/') && k.endsWith('/user/terminal:old'))).toBe(true);
    expect((await chat.say('我到哪一步了')).turn.summary?.stage).toBe('planning');
  });
});
