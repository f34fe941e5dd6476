/**
 * The storage contract every backend of the coach fulfils: Bot Framework's `Storage` (read,
 * write, delete with eTags) plus what several instances need to share one store safely.
 */
import type { Storage } from 'botbuilder';
import type { Redis } from 'ioredis';

export interface CoachStorage extends Storage {
  /** A short name for logs and health checks ("memory", "sqlite", "redis"). */
  readonly kind: string;
  /**
   * Runs `fn` while holding an exclusive lock on `key`, across every process that shares this
   * store. Turns of one conversation are serialised with it, so two messages arriving together
   * both take effect, in order, instead of one overwriting the other's state. A lock is a lease
   * its holder keeps renewing: the locks of a process that died are free again within seconds.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding the locks of all `keys` (a turn holds its conversation's and its user's).
   * Callers pass keys in one fixed order, so two turns never wait on each other in a circle.
   */
  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T>;
  /**
   * Records `key` if it is not there yet and returns true; returns false if it already was.
   * Used to handle a retried Slack event once. Claims expire after `ttlMs`.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Throws if the store cannot answer now (health checks); with `write`, also if it cannot
   * take a write (a full disk, a read-only file) — a store that only reads cannot serve a turn.
   */
  ping(options?: { write?: boolean }): Promise<void>;
  /** The Redis connection, when the store is Redis: rate limits are shared through it. */
  readonly redis?: Redis;
  close(): Promise<void>;
}

/** Thrown by `write` when an item's eTag is stale: someone else wrote it since it was read. */
export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

/** Thrown when the store is unreachable, locked or full; the turn should be retried later. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** Thrown by `withLock` when the lock could not be had in time. */
export class LockTimeoutError extends StorageUnavailableError {
  constructor(readonly key: string) {
    super(`timed out waiting for the lock on "${key}"`);
    this.name = 'LockTimeoutError';
  }
}

/** `withLocks` as one `withLock` inside the other, for stores with nothing cheaper. */
export function nestedLocks<T>(
  store: Pick<CoachStorage, 'withLock'>,
  keys: readonly string[],
  fn: () => Promise<T>,
): Promise<T> {
  const [first, ...rest] = keys;
  if (first === undefined) return fn();
  return store.withLock(first, () => nestedLocks(store, rest, fn));
}

/** True when a write of `item` must check the stored eTag (the Bot Framework rule). */
export function wantsEtagCheck(item: { eTag?: unknown } | undefined): item is { eTag: string } {
  return typeof item?.eTag === 'string' && item.eTag !== '*' && item.eTag !== '';
}
