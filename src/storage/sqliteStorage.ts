/**
 * Embedded storage in one SQLite file (better-sqlite3). Several processes may open the same file:
 * WAL mode lets readers and one writer work together, every `write` is one transaction (all keys
 * or none), eTags are checked inside that transaction, and `withLock` uses a lease row so that
 * turns of one conversation never interleave across processes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import {
  EtagConflictError,
  LockTimeoutError,
  StorageUnavailableError,
  nestedLocks,
  wantsEtagCheck,
  type CoachStorage,
} from './coachStorage';
import { parseItem, writeText } from './jsonText';
import { KeyedMutex } from './keyedMutex';
import { QUARANTINED } from './quarantine';

export interface SqliteOptions {
  /** How long a write waits for another process's write lock on the file. */
  busyTimeoutMs?: number;
  /** How long a lock is held at most if its holder dies without releasing it. */
  lockLeaseMs?: number;
  /** How long `withLock` waits for a lock held by another process. */
  lockWaitMs?: number;
}

/** SQLite's codes for "try again later": busy or locked file, full disk, I/O trouble. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOLFS)/;

function translate(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
    return new StorageUnavailableError(`sqlite: ${code}`, { cause: err });
  }
  return err;
}

/** Thrown inside the lease transaction to roll it back when a key is taken. */
const LEASE_HELD = new Error('lease held by another process');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class SqliteStorage implements CoachStorage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly mutex = new KeyedMutex();
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly stmts;
  private readonly writeTx: (changes: StoreItems) => void;
  private readonly acquireTx: (keys: readonly string[], now: number) => boolean;
  private readonly releaseTx: (keys: readonly string[]) => void;

  constructor(
    readonly path: string,
    options: SqliteOptions = {},
  ) {
    this.leaseMs = options.lockLeaseMs ?? 30_000;
    this.waitMs = options.lockWaitMs ?? 15_000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, etag TEXT NOT NULL, value TEXT NOT NULL,
                                          updated INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS quarantine (key TEXT NOT NULL, value TEXT NOT NULL, at INTEGER NOT NULL);
      `);
    } catch (err) {
      throw translate(err);
    }
    this.stmts = {
      get: this.db.prepare<[string], { etag: string; value: string }>(
        'SELECT etag, value FROM items WHERE key = ?',
      ),
      put: this.db.prepare(
        `INSERT INTO items (key, etag, value, updated) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated = excluded.updated`,
      ),
      del: this.db.prepare('DELETE FROM items WHERE key = ?'),
      lock: this.db.prepare(
        `INSERT INTO locks (key, owner, expires) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
         WHERE locks.expires < ?`,
      ),
      unlock: this.db.prepare('DELETE FROM locks WHERE key = ? AND owner = ?'),
      claim: this.db.prepare(
        `INSERT INTO claims (key, expires) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE claims.expires < ?`,
      ),
      purgeClaims: this.db.prepare('DELETE FROM claims WHERE expires < ?'),
      quarantine: this.db.prepare('INSERT INTO quarantine (key, value, at) VALUES (?, ?, ?)'),
      ping: this.db.prepare('SELECT 1'),
    };
    // One transaction per write: the eTag checks and the updates see the same snapshot, and a
    // conflict on any key leaves every key as it was. IMMEDIATE takes the write lock up front so
    // two processes cannot both pass the check.
    const tx = this.db.transaction((changes: StoreItems) => {
      const now = Date.now();
      for (const [key, item] of Object.entries(changes)) {
        const current = this.stmts.get.get(key);
        if (wantsEtagCheck(item) && current?.etag !== item.eTag) throw new EtagConflictError(key);
        this.stmts.put.run(key, randomUUID(), writeText(item), now);
      }
    });
    this.writeTx = (changes) => tx.immediate(changes);
    // All leases or none: a key held by another process undoes the ones just taken.
    const takeAll = this.db.transaction((keys: readonly string[], now: number) => {
      for (const key of keys) {
        if (this.stmts.lock.run(key, this.owner, now + this.leaseMs, now).changes !== 1) throw LEASE_HELD;
      }
    });
    this.acquireTx = (keys, now) => {
      try {
        takeAll.immediate(keys, now);
        return true;
      } catch (err) {
        if (err === LEASE_HELD) return false;
        throw err;
      }
    };
    const releaseAll = this.db.transaction((keys: readonly string[]) => {
      for (const key of keys) this.stmts.unlock.run(key, this.owner);
    });
    this.releaseTx = (keys) => releaseAll(keys);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    try {
      for (const key of keys) {
        const row = this.stmts.get.get(key);
        if (!row) continue;
        try {
          out[key] = parseItem(row.value, row.etag);
        } catch {
          // A damaged record: keep it aside for inspection, and let the user start fresh.
          this.db.transaction(() => {
            this.stmts.quarantine.run(key, row.value, Date.now());
            this.stmts.del.run(key);
          })();
          out[key] = { [QUARANTINED]: true };
        }
      }
    } catch (err) {
      throw translate(err);
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    try {
      this.writeTx(changes);
    } catch (err) {
      throw translate(err);
    }
  }

  async delete(keys: string[]): Promise<void> {
    try {
      this.db.transaction(() => keys.forEach((k) => this.stmts.del.run(k)))();
    } catch (err) {
      throw translate(err);
    }
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.withLocks([key], fn);
  }

  /**
   * Takes the leases of all keys in one transaction and gives them back in one: a turn locks
   * its conversation and its user, and every lease taken or returned on its own would be a
   * write transaction of its own. Inside this process the keys queue on the mutex first.
   */
  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const locked = async (): Promise<T> => {
      await this.acquire(keys);
      try {
        return await fn();
      } finally {
        try {
          this.releaseTx(keys);
        } catch {
          // The leases expire on their own; nothing else to do if the file is gone.
        }
      }
    };
    return nestedLocks({ withLock: (key, next) => this.mutex.run(key, next) }, keys, locked);
  }

  private async acquire(keys: readonly string[]): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let pause = 2;
    for (;;) {
      try {
        if (this.acquireTx(keys, Date.now())) return;
      } catch (err) {
        const translated = translate(err);
        if (!(translated instanceof StorageUnavailableError)) throw translated;
      }
      if (Date.now() >= deadline) throw new LockTimeoutError(keys.join(', '));
      await sleep(pause);
      pause = Math.min(pause * 2, 50);
    }
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    try {
      this.stmts.purgeClaims.run(now);
      return this.stmts.claim.run(key, now + ttlMs, now).changes === 1;
    } catch (err) {
      throw translate(err);
    }
  }

  async ping(): Promise<void> {
    try {
      this.stmts.ping.get();
    } catch (err) {
      throw translate(err);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
