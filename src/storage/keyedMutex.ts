/**
 * An in-process lock per key: a promise chain. Used by every backend so that turns of one
 * conversation inside one process queue up without polling; cross-process backends take their
 * shared lock inside it.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => current) : current;
    this.tails.set(key, tail);
    // Nobody ahead (the usual case): no waiting round at all.
    if (previous) await previous;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key when nobody queued behind us, so the map stays bounded.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** How many keys currently have a holder or waiters (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
