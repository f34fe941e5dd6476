/** The in-memory conversation log: bounded in activities per conversation, in age and in count. */
import { MemoryConversationLog, activityId } from '../../src/channels/directline/conversationLog';

it('numbers activities in order, keeps the last maxActivities and derives ids from the watermark', async () => {
  const log = new MemoryConversationLog({ maxActivities: 3, ttlSeconds: 60 });
  await log.open('c1', 'dl_u');
  const marks = await log.append(
    'c1',
    [1, 2, 3, 4, 5].map((n) => ({ type: 'message', text: String(n) })),
  );
  expect(marks).toEqual([1, 2, 3, 4, 5]);
  const kept = await log.since('c1', 0);
  expect(kept.map((e) => e.a.text)).toEqual(['3', '4', '5']);
  expect(kept[0]?.a.id).toBe(activityId('c1', 3));
  expect((await log.since('c1', 4)).map((e) => e.w)).toEqual([5]);
});

it('forgets a conversation idle for longer than its lifetime, and keeps an active one', async () => {
  let now = 0;
  const log = new MemoryConversationLog({ maxActivities: 10, ttlSeconds: 60 }, () => now);
  await log.open('idle', 'dl_a');
  await log.open('busy', 'dl_b');
  now = 50_000;
  await log.append('busy', [{ type: 'message' }]);
  now = 100_000;
  expect(await log.meta('idle')).toBeUndefined();
  expect((await log.meta('busy'))?.user).toBe('dl_b');
  await expect(log.append('idle', [{ type: 'message' }])).rejects.toThrow();
});

it('keeps at most MAX_LIVE conversations, dropping the least recently used', async () => {
  const log = new MemoryConversationLog({ maxActivities: 1, ttlSeconds: 3600 });
  await log.open('first', 'dl_1');
  await log.open('second', 'dl_2');
  await log.meta('first');
  for (let i = 0; i < MemoryConversationLog.MAX_LIVE; i++) await log.open(`c${i}`, 'dl_x');
  expect(await log.meta('second')).toBeUndefined();
  expect(await log.meta(`c${MemoryConversationLog.MAX_LIVE - 1}`)).toBeDefined();
});

it('tells subscribers of each append, and stops when they unsubscribe', async () => {
  const log = new MemoryConversationLog();
  await log.open('c', 'dl_u');
  const seen: number[] = [];
  const stop = await log.subscribe('c', (entries) => seen.push(...entries.map((e) => e.w)));
  await log.append('c', [{ type: 'message' }, { type: 'message' }]);
  stop();
  await log.append('c', [{ type: 'message' }]);
  expect(seen).toEqual([1, 2]);
});
