import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { tempDir } from '../helpers/tmp';
import { storageContract } from './storageContract';

let tmp = tempDir();
storageContract(
  'sqlite',
  async () => new SqliteStorage(join(tmp.dir, 'coach.db')),
  async () => {
    tmp.cleanup();
    tmp = tempDir();
  },
);

describe('sqlite: persistence across processes', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('creates the file and its folder on first use, and a reopened store sees the data', async () => {
    const file = join(t.dir, 'nested', 'dir', 'coach.db');
    const a = new SqliteStorage(file);
    await a.write({ k: { v: '协商' } });
    await a.close();
    const b = new SqliteStorage(file);
    expect((await b.read(['k'])).k.v).toBe('协商');
    await b.close();
  });

  it('sees a write made by another process, and rejects a stale eTag from before it', async () => {
    const file = join(t.dir, 'shared.db');
    const mine = new SqliteStorage(file);
    await mine.write({ k: { n: 1 } });
    const before = (await mine.read(['k'])).k;
    const script = `
      const { SqliteStorage } = require(${JSON.stringify(require.resolve('../../src/storage/sqliteStorage'))});
      const s = new SqliteStorage(${JSON.stringify(file)});
      s.read(['k']).then(i => s.write({ k: { ...i.k, n: 2 } })).then(() => s.close());`;
    const child = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect((await mine.read(['k'])).k.n).toBe(2);
    await expect(mine.write({ k: { ...before, n: 3 } })).rejects.toThrow(/eTag conflict/);
    await mine.close();
  });

  it("takes a turn's leases all or none", async () => {
    const file = join(t.dir, 'pair.db');
    const mine = new SqliteStorage(file, { lockWaitMs: 100 });
    const other = new SqliteStorage(file, { lockWaitMs: 100 });
    await other.withLock('user/u', async () => {
      // The user is locked elsewhere: the turn waits, gives up, and keeps no lease on the
      // conversation, which a third party can lock at once.
      await expect(mine.withLocks(['conversation/c', 'user/u'], async () => 'ran')).rejects.toThrow(
        'timed out',
      );
      const third = new SqliteStorage(file, { lockWaitMs: 0 });
      await expect(third.withLock('conversation/c', async () => 'free')).resolves.toBe('free');
      await third.close();
    });
    await expect(mine.withLocks(['conversation/c', 'user/u'], async () => 'ran')).resolves.toBe('ran');
    await mine.close();
    await other.close();
  });

  it('a lease held elsewhere holds up only the turn that needs it, not the others committed with it', async () => {
    const file = join(t.dir, 'batch.db');
    const mine = new SqliteStorage(file, { lockWaitMs: 100 });
    const other = new SqliteStorage(file);
    await other.withLock('user/u', async () => {
      // Both turns ask for their leases in the same loop turn, so in the same commit.
      const [blocked, free] = await Promise.allSettled([
        mine.withLocks(['conversation/c', 'user/u'], async () => 'ran'),
        mine.withLocks(['conversation/d', 'user/v'], async () => {
          await mine.write({ 'user/v': { n: 1 } });
          return 'ran';
        }),
      ]);
      expect(blocked.status).toBe('rejected');
      expect(free).toEqual({ status: 'fulfilled', value: 'ran' });
    });
    expect((await other.read(['user/v']))['user/v'].n).toBe(1);
    await mine.close();
    await other.close();
  });

  it('an unexpected failure in a shared commit fails every change in it, and none of them lands', async () => {
    const file = join(t.dir, 'broken.db');
    const store = new SqliteStorage(file);
    await store.write({ before: { n: 1 } });
    // The file refuses one key as a full disk would refuse any: the commit cannot go through.
    const raw = new Database(file);
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.key = 'boom'
              BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    raw.close();
    const results = await Promise.allSettled([
      store.write({ fine: { n: 1 } }),
      store.write({ boom: { n: 1 } }),
      store.write({ before: { n: 2 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const after = await store.read(['fine', 'boom', 'before']);
    expect(Object.keys(after)).toEqual(['before']);
    expect(after.before.n).toBe(1);
    // The next commit, without the refused key, goes through.
    await store.write({ fine: { n: 2 } });
    expect((await store.read(['fine'])).fine.n).toBe(2);
    await store.close();
  });

  it('serialises two processes holding the same lock', async () => {
    const file = join(t.dir, 'lock.db');
    // A long lease: the test blocks this process (spawnSync), so nothing could renew a short one.
    const mine = new SqliteStorage(file, { lockLeaseMs: 60_000 });
    let childResult: ReturnType<typeof spawnSync> | undefined;
    await mine.withLock('conv', async () => {
      // While we hold the lock, another process must wait for it, then get it.
      const script = `
        const { SqliteStorage } = require(${JSON.stringify(require.resolve('../../src/storage/sqliteStorage'))});
        const s = new SqliteStorage(${JSON.stringify(file)}, { lockWaitMs: 200 });
        s.withLock('conv', async () => 'got it').then(
          () => { process.stdout.write('acquired'); },
          (e) => { process.stdout.write(e.name); });`;
      childResult = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    });
    expect(childResult?.stdout).toBe('LockTimeoutError');
    const after = spawnSync(
      process.execPath,
      [
        '-r',
        'tsx/cjs',
        '-e',
        `const { SqliteStorage } = require(${JSON.stringify(require.resolve('../../src/storage/sqliteStorage'))});
         new SqliteStorage(${JSON.stringify(file)}, { lockWaitMs: 200 }).withLock('conv', async () => 1)
           .then(() => process.stdout.write('acquired'), (e) => process.stdout.write(e.name));`,
      ],
      { encoding: 'utf8' },
    );
    expect(after.stdout).toBe('acquired');
    await mine.close();
  });
});
