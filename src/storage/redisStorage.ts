/**
 * Storage in Redis for several coach instances (STORAGE_URL=redis://…), with Bot Framework eTag
 * semantics done atomically inside Redis: one Lua script checks every eTag of a write and
 * stores every item, or none. Locks are SET NX PX leases released by a compare-and-delete
 * script, so turns of one conversation are serialised across instances.
 *
 * When Redis is down, calls fail at once (no offline queue) with StorageUnavailableError: the
 * user is told to try again in a moment, /healthz says 503, and the client reconnects by itself.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StoreItems } from 'botbuilder';
import {
  EtagConflictError,
  LockTimeoutError,
  nestedLocks,
  StorageUnavailableError,
  wantsEtagCheck,
  type CoachStorage,
} from './coachStorage';
import { parseItem, writeText } from './jsonText';
import { KeyedMutex } from './keyedMutex';
import { QUARANTINED, quarantineKey } from './quarantine';

const PREFIX = 'coach:';
const itemKey = (key: string): string => `${PREFIX}item:${key}`;
const lockKey = (key: string): string => `${PREFIX}lock:${key}`;
const claimKey = (key: string): string => `${PREFIX}claim:${key}`;

/**
 * KEYS: the item hashes. ARGV: n, then n expected eTags ('' = no check), then n new eTags, then
 * n JSON values. Returns 0 on success, or the 1-based index of the first conflicting key.
 */
const WRITE_SCRIPT = `
local n = tonumber(ARGV[1])
for i = 1, n do
  local expected = ARGV[1 + i]
  if expected ~= '' then
    local current = redis.call('HGET', KEYS[i], 'etag')
    if current ~= expected then return i end
  end
end
for i = 1, n do
  redis.call('HSET', KEYS[i], 'etag', ARGV[1 + n + i], 'value', ARGV[1 + 2 * n + i])
end
return 0`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: lock keys; ARGV: lease ms, then one token per key. Extends the leases still ours. */
const RENEW_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1 + i] then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return 0`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RedisOptions {
  /**
   * How long a lock lasts unless its holder renews it (it does, every quarter of this, while it
   * runs): the locks of an instance that died are free again within this time.
   */
  lockLeaseMs?: number;
  lockWaitMs?: number;
}

export class RedisStorage implements CoachStorage {
  readonly kind = 'redis';
  private readonly mutex = new KeyedMutex();
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  /** The locks this instance holds now (key → token); their leases are renewed while held. */
  private readonly held = new Map<string, string>();
  private renewer: NodeJS.Timeout | undefined;

  private constructor(
    readonly redis: Redis,
    options: RedisOptions,
  ) {
    this.leaseMs = options.lockLeaseMs ?? 2_000;
    this.waitMs = options.lockWaitMs ?? 5_000;
  }

  /** Connects in the background: a coach started while Redis is down answers "try again later". */
  static async connect(url: string, options: RedisOptions = {}): Promise<RedisStorage> {
    const redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 3000,
      // Reconnect forever, a little slower each time, at most every two seconds.
      retryStrategy: (times) => Math.min(50 * times, 2000),
    });
    redis.on('error', () => {
      // Reported per call as StorageUnavailableError; the connection heals itself.
    });
    const storage = new RedisStorage(redis, options);
    await new Promise<void>((resolve) => {
      if (redis.status === 'ready') return resolve();
      const done = (): void => resolve();
      redis.once('ready', done);
      setTimeout(done, 2000).unref();
    });
    return storage;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof EtagConflictError) throw err;
      throw new StorageUnavailableError(`redis: ${(err as Error).message}`, { cause: err });
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.call(() =>
      Promise.all(keys.map((k) => this.redis.hmget(itemKey(k), 'etag', 'value'))),
    );
    const out: StoreItems = {};
    for (const [i, key] of keys.entries()) {
      const [etag, value] = rows[i] ?? [];
      if (etag === null || etag === undefined || value === null || value === undefined) continue;
      try {
        out[key] = parseItem(value, etag);
      } catch {
        // A damaged record: keep it aside for inspection, and let the user start fresh.
        await this.call(() => this.redis.rename(itemKey(key), `${PREFIX}${quarantineKey(key)}`));
        out[key] = { [QUARANTINED]: true };
      }
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const expected = keys.map((k) =>
      wantsEtagCheck(changes[k]) ? (changes[k] as { eTag: string }).eTag : '',
    );
    const fresh = keys.map(() => randomUUID());
    const values = keys.map((k) => writeText(changes[k] as object));
    const result = await this.call(
      () =>
        this.redis.eval(
          WRITE_SCRIPT,
          keys.length,
          ...keys.map(itemKey),
          String(keys.length),
          ...expected,
          ...fresh,
          ...values,
        ) as Promise<number>,
    );
    if (result !== 0) throw new EtagConflictError(keys[Number(result) - 1] ?? '');
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call(() => this.redis.del(...keys.map(itemKey)));
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, async () => {
      const token = `${this.owner}:${randomUUID()}`;
      await this.acquire(key, token);
      this.held.set(key, token);
      this.renewWhileHeld();
      try {
        return await fn();
      } finally {
        this.held.delete(key);
        await this.redis.eval(RELEASE_SCRIPT, 1, lockKey(key), token).catch(() => {
          // If Redis is gone the lease expires by itself.
        });
      }
    });
  }

  /**
   * One timer renews every lease held, in one script call; it stops at its first tick with
   * nothing held (turns hold their locks for milliseconds, so under load it keeps running
   * instead of being made for each turn).
   */
  private renewWhileHeld(): void {
    if (this.renewer) return;
    this.renewer = setInterval(() => {
      if (this.held.size === 0) {
        clearInterval(this.renewer);
        this.renewer = undefined;
        return;
      }
      const keys = [...this.held.keys()];
      this.redis
        .eval(
          RENEW_SCRIPT,
          keys.length,
          ...keys.map(lockKey),
          String(this.leaseMs),
          ...keys.map((k) => this.held.get(k) ?? ''),
        )
        .catch(() => undefined);
    }, this.leaseMs / 4);
    this.renewer.unref();
  }

  private async acquire(key: string, token: string): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    let pause = 5;
    for (;;) {
      const ok = await this.call(() => this.redis.set(lockKey(key), token, 'PX', this.leaseMs, 'NX'));
      if (ok === 'OK') return;
      if (Date.now() >= deadline) throw new LockTimeoutError(key);
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 100);
    }
  }

  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return nestedLocks(this, keys, fn);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const ok = await this.call(() => this.redis.set(claimKey(key), '1', 'PX', ttlMs, 'NX'));
    return ok === 'OK';
  }

  async ping(options: { write?: boolean } = {}): Promise<void> {
    if (options.write) {
      await this.call(() => this.redis.set(`${PREFIX}health`, String(Date.now()), 'PX', 60_000));
      return;
    }
    await this.call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    if (this.renewer) clearInterval(this.renewer);
    this.redis.disconnect();
  }
}
