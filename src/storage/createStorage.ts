/**
 * Turns a store URL (`--store`, `STORAGE_URL`; CONTRACTS section 7) into a storage backend.
 * Backends are imported on demand so that the terminal never loads the Redis client.
 */
import { join, resolve } from 'node:path';
import type { CoachStorage } from './coachStorage';

export class StoreUrlError extends Error {}

export type StoreSpec =
  { kind: 'memory' } | { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string };

/** The default store: a SQLite file under COACH_DATA_DIR (default ./data). */
export function defaultStoreUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `sqlite:${join(env.COACH_DATA_DIR || './data', 'coach.db')}`;
}

export function parseStoreUrl(url: string): StoreSpec {
  const trimmed = url.trim();
  if (trimmed === 'memory') return { kind: 'memory' };
  if (trimmed.startsWith('sqlite:')) {
    const path = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new StoreUrlError('sqlite store needs a file path, e.g. sqlite:./data/coach.db');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (/^rediss?:\/\//.test(trimmed)) return { kind: 'redis', url: trimmed };
  throw new StoreUrlError(`unknown store "${url}": use memory, sqlite:PATH or redis://HOST:PORT[/DB]`);
}

export async function createStorage(url: string): Promise<CoachStorage> {
  const spec = parseStoreUrl(url);
  switch (spec.kind) {
    case 'memory': {
      const { MemoryStorage } = await import('./memoryStorage');
      return new MemoryStorage();
    }
    case 'sqlite': {
      const { SqliteStorage } = await import('./sqliteStorage');
      return new SqliteStorage(spec.path);
    }
    case 'redis': {
      const { RedisStorage } = await import('./redisStorage');
      return RedisStorage.connect(spec.url);
    }
  }
}
