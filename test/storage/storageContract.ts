/**
 * The behaviour every storage backend must have (Bot Framework Storage semantics plus our
 * lock and claim), as a suite each backend's test file runs against its own instances.
 */
import { EtagConflictError, type CoachStorage } from '../../src/storage/coachStorage';

export function storageContract(
  name: string,
  open: () => Promise<CoachStorage>,
  cleanup?: () => Promise<void>,
): void {
  describe(`${name}: Bot Framework storage semantics`, () => {
    let store: CoachStorage;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('reads back what was written, with an eTag, and nothing for unknown keys', async () => {
      await store.write({ a: { n: 1, nested: { zh: '支付宝' } } });
      const items = await store.read(['a', 'missing']);
      expect(items.a).toMatchObject({ n: 1, nested: { zh: '支付宝' } });
      expect(typeof items.a.eTag).toBe('string');
      expect(items).not.toHaveProperty('missing');
    });

    it('accepts a write with the current eTag and changes the eTag', async () => {
      await store.write({ a: { n: 1 } });
      const first = (await store.read(['a'])).a;
      await store.write({ a: { ...first, n: 2 } });
      const second = (await store.read(['a'])).a;
      expect(second.n).toBe(2);
      expect(second.eTag).not.toBe(first.eTag);
    });

    it('rejects a stale eTag instead of silently overwriting', async () => {
      await store.write({ a: { n: 1 } });
      const stale = (await store.read(['a'])).a;
      await store.write({ a: { ...stale, n: 2 } });
      await expect(store.write({ a: { ...stale, n: 3 } })).rejects.toBeInstanceOf(EtagConflictError);
      expect((await store.read(['a'])).a.n).toBe(2);
    });

    it('lets "*" or a missing eTag overwrite (last writer wins, by request)', async () => {
      await store.write({ a: { n: 1 } });
      await store.write({ a: { n: 2, eTag: '*' } });
      await store.write({ a: { n: 3 } });
      expect((await store.read(['a'])).a.n).toBe(3);
    });

    it('writes several keys atomically: one conflict leaves every key as it was', async () => {
      await store.write({ a: { n: 1 }, b: { n: 1 } });
      const { a, b } = await store.read(['a', 'b']);
      await store.write({ b: { ...b, n: 2 } });
      await expect(store.write({ a: { ...a, n: 9 }, b: { ...b, n: 9 } })).rejects.toBeInstanceOf(
        EtagConflictError,
      );
      const after = await store.read(['a', 'b']);
      expect(after.a.n).toBe(1);
      expect(after.b.n).toBe(2);
    });

    it('settles writes made at the same moment each on its own: the stale one fails alone', async () => {
      await store.write({ a: { n: 1 } });
      const a = (await store.read(['a'])).a;
      // Three turns finishing together (a store may commit them as one batch).
      const results = await Promise.allSettled([
        store.write({ a: { ...a, n: 2 } }),
        store.write({ a: { ...a, n: 3 } }),
        store.write({ b: { n: 1 } }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(EtagConflictError);
      const after = await store.read(['a', 'b']);
      expect(after.a.n).toBe(2);
      expect(after.b.n).toBe(1);
    });

    it('deletes keys', async () => {
      await store.write({ a: { n: 1 }, b: { n: 2 } });
      await store.delete(['a']);
      expect(Object.keys(await store.read(['a', 'b']))).toEqual(['b']);
    });

    it('does not let a caller change stored data by mutating the object it wrote', async () => {
      const item = { list: [1] };
      await store.write({ a: item });
      item.list.push(2);
      expect((await store.read(['a'])).a.list).toEqual([1]);
    });

    it('serialises work under one lock key, in arrival order', async () => {
      const order: string[] = [];
      const slow = store.withLock('k', async () => {
        order.push('first:start');
        await new Promise((r) => setTimeout(r, 30));
        order.push('first:end');
      });
      const fast = store.withLock('k', async () => {
        order.push('second');
      });
      await Promise.all([slow, fast]);
      expect(order).toEqual(['first:start', 'first:end', 'second']);
    });

    it('releases the lock when the work throws', async () => {
      await expect(store.withLock('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      await expect(store.withLock('k', async () => 'ok')).resolves.toBe('ok');
    });

    it('holds every key of withLocks: a turn sharing one of them never runs inside it', async () => {
      const order: string[] = [];
      const both = store.withLocks(['conversation/c', 'user/u'], async () => {
        order.push('both:start');
        await new Promise((r) => setTimeout(r, 30));
        order.push('both:end');
      });
      const user = store.withLock('user/u', async () => {
        order.push('user');
      });
      const other = store.withLock('user/other', async () => {
        order.push('other');
      });
      await Promise.all([both, user, other]);
      // Never inside the turn that holds its key; a key nobody else holds is not held up.
      const inside = (name: string): boolean =>
        order.indexOf(name) > order.indexOf('both:start') && order.indexOf(name) < order.indexOf('both:end');
      expect(inside('user')).toBe(false);
      expect(order).toContain('user');
      expect(order.indexOf('other')).toBeLessThan(order.indexOf('both:end'));
    });

    it('releases every key of withLocks when the work throws', async () => {
      await expect(
        store.withLocks(['a', 'b'], async () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      await expect(store.withLocks(['b', 'a'], async () => 'ok')).resolves.toBe('ok');
    });

    it('claims a key once until it expires', async () => {
      expect(await store.claim('event-1', 60_000)).toBe(true);
      expect(await store.claim('event-1', 60_000)).toBe(false);
      expect(await store.claim('event-2', 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 10));
      expect(await store.claim('event-2', 60_000)).toBe(true);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
