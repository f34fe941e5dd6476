/**
 * Embedded storage in one SQLite file (better-sqlite3). Several processes may open the same file:
 * WAL mode lets readers and one writer work together, every `write` applies all its keys or none,
 * eTags are checked inside the transaction that writes, and `withLock` uses a lease row so that
 * turns of one conversation never interleave across processes. Changes made in the same loop turn
 * share one transaction (group commit): a commit costs more than the statements in it.
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
import { GroupCommit, type Outcome } from './groupCommit';
import { KeyedMutex } from './keyedMutex';
import { QUARANTINED } from './quarantine';

export interface SqliteOptions {
  /** How long a write waits for another process's write lock on the file. */
  busyTimeoutMs?: number;
  /**
   * How long a lock lasts unless its holder renews it (it does, every quarter of this, while it
   * runs): the locks of a process that died are free again within this time.
   */
  lockLeaseMs?: number;
  /** How long `withLock` waits for a lock held by another process. */
  lockWaitMs?: number;
  /**
   * PRAGMA statements run after opening, e.g. `max_page_count = 40` or `query_only = 1`: tests
   * make a store that cannot take writes with them, as a full disk does.
   */
  pragmas?: readonly string[];
}

/** SQLite's codes for "try again later": busy or locked file, full disk, I/O trouble. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOLFS)/;
/** Of those, the ones that pass by themselves in moments (another writer): worth waiting for. */
const TRANSIENT_CODES = /^SQLITE_(BUSY|LOCKED)/;

/** The store is there but cannot take writes now (full disk, read-only, I/O error). */
class CannotWrite extends StorageUnavailableError {}

function translate(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
    const Kind = TRANSIENT_CODES.test(code) ? StorageUnavailableError : CannotWrite;
    return new Kind(`sqlite: ${code}`, { cause: err });
  }
  return err;
}

/** A turn's leases could not all be had: one of the keys is held by another process. */
const LEASE_HELD = new Error('lease held by another process');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One change to the file, applied with the others of its loop turn (see GroupCommit). */
type Change =
  | { kind: 'acquire'; keys: readonly string[] }
  | { kind: 'release'; keys: readonly string[] }
  | { kind: 'renew' }
  | { kind: 'health' }
  | { kind: 'write'; rows: { key: string; eTag: string | undefined; text: string }[] }
  | { kind: 'delete'; keys: readonly string[] };

export class SqliteStorage implements CoachStorage {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly mutex = new KeyedMutex();
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly stmts;
  private readonly keyStatements = new Map<string, Database.Statement>();
  private readonly changes: GroupCommit<Change>;
  /** Lock sets this store holds now; while there are any, their leases are renewed. */
  private held = 0;
  private renewer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    options: SqliteOptions = {},
  ) {
    this.leaseMs = options.lockLeaseMs ?? 2_000;
    this.waitMs = options.lockWaitMs ?? 5_000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      for (const pragma of options.pragmas ?? []) this.db.pragma(pragma);
      // Leases and claims are small rows looked up by key: WITHOUT ROWID keeps each in one
      // B-tree, so taking or returning one touches one page instead of two. (Files made before
      // keep their tables; the statements are the same for both.)
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, etag TEXT NOT NULL, value TEXT NOT NULL,
                                          updated INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)
          WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS quarantine (key TEXT NOT NULL, value TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
      `);
    } catch (err) {
      throw translate(err);
    }
    this.stmts = {
      etag: this.db.prepare<[string], { etag: string }>('SELECT etag FROM items WHERE key = ?'),
      put: this.db.prepare(
        `INSERT INTO items (key, etag, value, updated) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated = excluded.updated`,
      ),
      del: this.db.prepare('DELETE FROM items WHERE key = ?'),
      claim: this.db.prepare(
        `INSERT INTO claims (key, expires) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE claims.expires < ?`,
      ),
      purgeClaims: this.db.prepare('DELETE FROM claims WHERE expires < ?'),
      quarantine: this.db.prepare('INSERT INTO quarantine (key, value, at) VALUES (?, ?, ?)'),
      ping: this.db.prepare('SELECT 1'),
      renew: this.db.prepare('UPDATE locks SET expires = ? WHERE owner = ?'),
      health: this.db.prepare(
        'INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at',
      ),
    };
    // Every change of a loop turn in one IMMEDIATE transaction (the write lock taken up front, so
    // no other process can slip between a check and its update). A change that cannot apply (a
    // stale eTag, a lease held elsewhere) finds out before it modifies anything and is reported
    // to its submitter alone; anything else (disk full, I/O error) undoes the whole batch.
    const batch = this.db.transaction((ops: readonly Change[]) => {
      const now = Date.now();
      return ops.map((op) => this.apply(op, now));
    });
    this.changes = new GroupCommit<Change>((ops) => {
      if (!this.db.open) throw new StorageUnavailableError('sqlite: the store is closed');
      try {
        return batch.immediate(ops);
      } catch (err) {
        throw translate(err);
      }
    });
  }

  /** Applies one change inside the batch transaction; returns why it could not, if it could not. */
  private apply(op: Change, now: number): Outcome {
    switch (op.kind) {
      case 'acquire': {
        // All leases or none, in one statement: a key held by another process (and not expired)
        // is left alone, and then the ones just taken are given back.
        const expires = now + this.leaseMs;
        const values: (string | number)[] = [];
        for (const key of op.keys) values.push(key, this.owner, expires);
        const taken = this.keyStatement('take', op.keys.length).run(...values, now).changes;
        if (taken === op.keys.length) return undefined;
        this.keyStatement('give', op.keys.length).run(this.owner, ...op.keys);
        return LEASE_HELD;
      }
      case 'release':
        this.keyStatement('give', op.keys.length).run(this.owner, ...op.keys);
        return undefined;
      case 'renew':
        this.stmts.renew.run(now + this.leaseMs, this.owner);
        return undefined;
      case 'health':
        this.stmts.health.run(now);
        return undefined;
      case 'write': {
        // Every eTag first: a conflict on one key writes none.
        for (const row of op.rows) {
          if (row.eTag !== undefined && this.stmts.etag.get(row.key)?.etag !== row.eTag)
            return new EtagConflictError(row.key);
        }
        for (const row of op.rows) this.stmts.put.run(row.key, randomUUID(), row.text, now);
        return undefined;
      }
      case 'delete':
        for (const key of op.keys) this.stmts.del.run(key);
        return undefined;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    if (keys.length === 0) return out;
    try {
      // One statement for all the keys (a turn reads its user and its conversation together).
      const rows = this.keyStatement('read', keys.length).all(...keys) as {
        key: string;
        etag: string;
        value: string;
      }[];
      for (const row of rows) {
        try {
          out[row.key] = parseItem(row.value, row.etag);
        } catch {
          // A damaged record: keep it aside for inspection, and let the user start fresh.
          this.db.transaction(() => {
            this.stmts.quarantine.run(row.key, row.value, Date.now());
            this.stmts.del.run(row.key);
          })();
          out[row.key] = { [QUARANTINED]: true };
        }
      }
    } catch (err) {
      throw translate(err);
    }
    return out;
  }

  /**
   * The statements that take a list of keys, prepared once per list length (a turn's calls use
   * one or two keys): `read` reads their items; `take` takes their leases where free, expired
   * or already ours; `give` gives back the leases this store holds on them.
   */
  private keyStatement(kind: 'read' | 'take' | 'give', n: number): Database.Statement {
    const id = `${kind}:${n}`;
    let stmt = this.keyStatements.get(id);
    if (stmt) return stmt;
    const list = Array.from({ length: n }, () => '?').join(', ');
    const sql =
      kind === 'read'
        ? `SELECT key, etag, value FROM items WHERE key IN (${list})`
        : kind === 'give'
          ? `DELETE FROM locks WHERE owner = ? AND key IN (${list})`
          : `INSERT INTO locks (key, owner, expires) VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')}
             ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
             WHERE locks.expires < ? OR locks.owner = excluded.owner`;
    stmt = this.db.prepare(sql);
    this.keyStatements.set(id, stmt);
    return stmt;
  }

  write(changes: StoreItems): Promise<void> {
    // The texts are taken now: a caller changing its objects after this call changes nothing.
    const rows: { key: string; eTag: string | undefined; text: string }[] = [];
    for (const [key, item] of Object.entries(changes)) {
      rows.push({ key, eTag: wantsEtagCheck(item) ? item.eTag : undefined, text: writeText(item) });
    }
    return this.changes.submit({ kind: 'write', rows });
  }

  delete(keys: string[]): Promise<void> {
    return this.changes.submit({ kind: 'delete', keys: [...keys] });
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.withLocks([key], fn);
  }

  /**
   * Takes the leases of all keys as one change and gives them back as one: a turn locks its
   * conversation and its user. Both ride in the loop turn's shared commit (GroupCommit). Inside
   * this process the keys queue on the mutex first. When this resolves, the leases are back.
   */
  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    if (keys.length === 0) return fn();
    const locked = async (): Promise<T> => {
      await this.acquire(keys);
      this.holding(+1);
      try {
        return await fn();
      } finally {
        this.holding(-1);
        // The leases expire on their own if they cannot be given back (the file is gone).
        await this.changes.submit({ kind: 'release', keys }).catch(() => undefined);
      }
    };
    return nestedLocks({ withLock: (key, next) => this.mutex.run(key, next) }, keys, locked);
  }

  /**
   * Counts the lock sets held. While any is held, one timer renews every lease this store holds,
   * in one statement; it stops at its first tick with nothing held (turns hold their locks for
   * milliseconds, so under load it simply keeps running instead of being made for each turn).
   */
  private holding(delta: number): void {
    this.held += delta;
    if (this.held === 0 || this.renewer) return;
    this.renewer = setInterval(() => {
      if (this.held === 0) {
        clearInterval(this.renewer);
        this.renewer = undefined;
        return;
      }
      this.changes.submit({ kind: 'renew' }).catch(() => undefined);
    }, this.leaseMs / 4);
    this.renewer.unref();
  }

  private async acquire(keys: readonly string[]): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let pause = 2;
    for (;;) {
      try {
        await this.changes.submit({ kind: 'acquire', keys });
        return;
      } catch (err) {
        // Held elsewhere, or the file busy for a moment: wait and try again until the deadline.
        // A file that cannot take writes (full disk, read-only) will not be better in a moment:
        // the turn fails now and the user is told to try again.
        if (err !== LEASE_HELD && !(err instanceof StorageUnavailableError)) throw err;
        if (err instanceof CannotWrite) throw err;
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

  async ping(options: { write?: boolean } = {}): Promise<void> {
    if (options.write) return this.changes.submit({ kind: 'health' });
    try {
      this.stmts.ping.get();
    } catch (err) {
      throw translate(err);
    }
  }

  async close(): Promise<void> {
    if (this.renewer) clearInterval(this.renewer);
    // Whatever is still queued is committed first.
    this.changes.flush();
    if (this.db.open) this.db.close();
  }
}
