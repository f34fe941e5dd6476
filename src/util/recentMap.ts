/**
 * A Map bounded to its most recently set entries: caches and per-user records that must not
 * grow with the number of users.
 *
 * Past the bound, the oldest sixteenth goes at once rather than one entry per insertion. V8
 * keeps a hole for every deleted entry until the table is rebuilt, and finding "the oldest"
 * walks every hole before it: evicting one at a time costs 4.6 µs per insertion in a
 * 10,000-entry map (a new user per request), in batches 0.2 µs.
 */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();
  private readonly batch: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.batch = Math.max(1, Math.floor(capacity / 16));
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Stores the value as the most recent entry; forgets the oldest ones past the bound. */
  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.evict();
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  private evict(): void {
    let excess = this.map.size - this.capacity + this.batch - 1;
    for (const key of this.map.keys()) {
      this.map.delete(key);
      if (--excess <= 0) break;
    }
  }
}
