/**
 * A store that hands every call to another one: the base of wrappers that change one thing
 * (MaskingStorage masks what is written) and leave the rest of the contract as it is.
 */
import type { StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import type { CoachStorage } from './coachStorage';

export class ForwardingStorage implements CoachStorage {
  constructor(protected readonly inner: CoachStorage) {}

  get kind(): string {
    return this.inner.kind;
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.withLock(key, fn);
  }

  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return this.inner.withLocks(keys, fn);
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.inner.claim(key, ttlMs);
  }

  ping(options?: { write?: boolean }): Promise<void> {
    return this.inner.ping(options);
  }

  get redis(): Redis | undefined {
    return this.inner.redis;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
