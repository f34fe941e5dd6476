/**
 * RecentMap bounds caches and per-user records (rate limits, last-known stage, NLU readings):
 * memory must stay bounded however many users come, and the users seen last must be the ones
 * remembered.
 */
import { RecentMap } from '../../src/util/recentMap';

describe('RecentMap', () => {
  it('never holds more than its capacity, however many keys arrive', () => {
    const map = new RecentMap<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      map.set(`user-${i}`, i);
      expect(map.size).toBeLessThanOrEqual(100);
    }
    expect(map.size).toBeGreaterThan(90);
  });

  it('forgets the least recently set keys first and keeps the newest', () => {
    const map = new RecentMap<string, number>(32);
    for (let i = 0; i < 33; i++) map.set(`k${i}`, i);
    expect(map.has('k0')).toBe(false);
    expect(map.get('k32')).toBe(32);
    expect(map.get('k31')).toBe(31);
  });

  it('counts setting a key again as recent use', () => {
    const map = new RecentMap<string, number>(4);
    map.set('a', 1).set('b', 2).set('c', 3).set('d', 4);
    map.set('a', 10);
    map.set('e', 5);
    expect(map.get('a')).toBe(10);
    expect(map.has('b')).toBe(false);
  });

  it('deletes and rejects a capacity that cannot hold anything', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    expect(map.delete('a')).toBe(true);
    expect(map.size).toBe(0);
    expect(() => new RecentMap(0)).toThrow(RangeError);
  });
});
