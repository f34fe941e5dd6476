/**
 * In-process storage with the same eTag rules as the persistent backends. Items are kept as JSON
 * text so that a caller mutating an object after `write` cannot change what is stored.
 */
import type { StoreItems } from 'botbuilder';
import { EtagConflictError, nestedLocks, wantsEtagCheck, type CoachStorage } from './coachStorage';
import { parseItem, writeText } from './jsonText';
import { KeyedMutex } from './keyedMutex';

export class MemoryStorage implements CoachStorage {
  readonly kind = 'memory';
  private readonly items = new Map<string, { eTag: string; json: string }>();
  private readonly claims = new Map<string, number>();
  private readonly mutex = new KeyedMutex();
  private nextEtag = 1;

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) out[key] = parseItem(item.json, item.eTag);
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    // Check every key first so that a conflict on one writes none (all or nothing).
    for (const [key, item] of Object.entries(changes)) {
      const current = this.items.get(key);
      if (wantsEtagCheck(item) && current && current.eTag !== item.eTag) throw new EtagConflictError(key);
      if (wantsEtagCheck(item) && !current) throw new EtagConflictError(key);
    }
    for (const [key, item] of Object.entries(changes)) {
      this.items.set(key, { eTag: String(this.nextEtag++), json: writeText(item) });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }

  withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    return nestedLocks(this, keys, fn);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    for (const [k, expires] of this.claims) if (expires <= now) this.claims.delete(k);
    if (this.claims.has(key)) return false;
    this.claims.set(key, now + ttlMs);
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
