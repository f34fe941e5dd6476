/**
 * The activities of each web conversation, in order, numbered by a per-conversation sequence:
 * the number is the Direct Line watermark (an opaque string to clients) and, with the
 * conversation id, the activity's id. Streams learn of new activities by subscribing.
 *
 * In memory for a single instance (conversations expire after a day idle, at most MAX_LIVE of
 * them); in Redis when the store is Redis, so that any instance can serve any request of a
 * conversation: the log is a capped list per conversation, appended with its sequence by one Lua
 * script, and each append is published on the conversation's channel for the instances whose
 * WebSocket streams follow it. A load balancer then needs no sticky sessions.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

/** An activity as a Direct Line client sees it (JSON; `id` is derived from the watermark). */
export interface WireActivity {
  type: string;
  id?: string;
  [field: string]: unknown;
}

export interface LogEntry {
  /** The sequence number: the watermark once a client has seen this activity. */
  w: number;
  a: WireActivity;
}

export interface ConversationMeta {
  user: string;
  created: number;
}

export interface LogLimits {
  /** Activities kept per conversation (older ones are dropped). */
  maxActivities: number;
  /** A conversation without activity for this long is forgotten. */
  ttlSeconds: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { maxActivities: 500, ttlSeconds: 24 * 3600 };

export interface ConversationLog {
  readonly kind: 'memory' | 'redis';
  /** Records a new conversation for `user`, or returns the one already there (its owner unchanged). */
  open(conversationId: string, user: string): Promise<ConversationMeta>;
  meta(conversationId: string): Promise<ConversationMeta | undefined>;
  /** Appends in order; returns each activity's watermark. */
  append(conversationId: string, activities: WireActivity[]): Promise<number[]>;
  /** The retained activities after `watermark` (0: all). */
  since(conversationId: string, watermark: number): Promise<LogEntry[]>;
  /** Calls `listener` with every later append; resolves once listening. Returns the unsubscribe. */
  subscribe(conversationId: string, listener: (entries: LogEntry[]) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** An activity's Direct Line id: its conversation and its sequence number, as the service does. */
export function activityId(conversationId: string, w: number): string {
  return `${conversationId}|${String(w).padStart(7, '0')}`;
}

function withId(conversationId: string, entry: LogEntry): LogEntry {
  return { w: entry.w, a: { ...entry.a, id: activityId(conversationId, entry.w) } };
}

interface MemoryConversation {
  meta: ConversationMeta;
  seq: number;
  entries: LogEntry[];
  touched: number;
}

export class MemoryConversationLog implements ConversationLog {
  readonly kind = 'memory';
  /** Most conversations kept at once; the least recently used goes first. */
  static readonly MAX_LIVE = 10_000;
  private readonly conversations = new Map<string, MemoryConversation>();
  private readonly events = new EventEmitter();

  constructor(
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    // Every stream of a conversation listens; many streams is not a leak.
    this.events.setMaxListeners(0);
  }

  async open(conversationId: string, user: string): Promise<ConversationMeta> {
    const existing = this.live(conversationId);
    if (existing) return existing.meta;
    this.evict();
    const conversation = { meta: { user, created: this.now() }, seq: 0, entries: [], touched: this.now() };
    this.conversations.set(conversationId, conversation);
    return conversation.meta;
  }

  async meta(conversationId: string): Promise<ConversationMeta | undefined> {
    return this.live(conversationId)?.meta;
  }

  async append(conversationId: string, activities: WireActivity[]): Promise<number[]> {
    const conversation = this.live(conversationId);
    if (!conversation) throw new Error('no such conversation');
    const added = activities.map((a) => ({ w: ++conversation.seq, a }));
    conversation.entries.push(...added);
    if (conversation.entries.length > this.limits.maxActivities)
      conversation.entries.splice(0, conversation.entries.length - this.limits.maxActivities);
    this.events.emit(
      conversationId,
      added.map((e) => withId(conversationId, e)),
    );
    return added.map((e) => e.w);
  }

  async since(conversationId: string, watermark: number): Promise<LogEntry[]> {
    const conversation = this.live(conversationId);
    if (!conversation) return [];
    return conversation.entries.filter((e) => e.w > watermark).map((e) => withId(conversationId, e));
  }

  async subscribe(conversationId: string, listener: (entries: LogEntry[]) => void): Promise<() => void> {
    this.events.on(conversationId, listener);
    return () => this.events.off(conversationId, listener);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }

  /** The conversation if it has not expired; touching it keeps it alive and most recent. */
  private live(conversationId: string): MemoryConversation | undefined {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return undefined;
    if (this.now() - conversation.touched > this.limits.ttlSeconds * 1000) {
      this.conversations.delete(conversationId);
      return undefined;
    }
    conversation.touched = this.now();
    // Map order is insertion order: re-inserting makes it the most recently used.
    this.conversations.delete(conversationId);
    this.conversations.set(conversationId, conversation);
    return conversation;
  }

  private evict(): void {
    for (const [id, conversation] of this.conversations) {
      const expired = this.now() - conversation.touched > this.limits.ttlSeconds * 1000;
      if (!expired && this.conversations.size < MemoryConversationLog.MAX_LIVE) break;
      this.conversations.delete(id);
    }
  }
}

/**
 * KEYS: sequence, list, meta. ARGV: cap, ttl seconds, pub/sub channel, then one JSON activity
 * each. Numbers, stores, trims, keeps all three keys alive and publishes the batch; returns the
 * watermarks. One script, so two instances appending at once never interleave numbers and order.
 */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('no such conversation') end
local cap = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local items = {}
local marks = {}
for i = 4, #ARGV do
  local w = redis.call('INCR', KEYS[1])
  local item = '{"w":' .. w .. ',"a":' .. ARGV[i] .. '}'
  redis.call('RPUSH', KEYS[2], item)
  items[#items + 1] = item
  marks[#marks + 1] = w
end
redis.call('LTRIM', KEYS[2], -cap, -1)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('EXPIRE', KEYS[3], ttl)
redis.call('PUBLISH', ARGV[3], '[' .. table.concat(items, ',') .. ']')
return marks`;

export class RedisConversationLog implements ConversationLog {
  readonly kind = 'redis';
  private subscriber: Redis | undefined;
  private subscribing: Promise<Redis> | undefined;
  private readonly listeners = new Map<string, Set<(entries: LogEntry[]) => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  // One hash tag per conversation keeps its keys in one slot (Redis Cluster runs the script).
  private key(conversationId: string, part: 'seq' | 'log' | 'meta'): string {
    return `coach:dl:{${conversationId}}:${part}`;
  }

  private channel(conversationId: string): string {
    return `coach:dl:{${conversationId}}:stream`;
  }

  async open(conversationId: string, user: string): Promise<ConversationMeta> {
    const meta: ConversationMeta = { user, created: this.now() };
    const key = this.key(conversationId, 'meta');
    await this.redis.set(key, JSON.stringify(meta), 'EX', this.limits.ttlSeconds, 'NX');
    const stored = await this.meta(conversationId);
    if (!stored) throw new Error('conversation could not be recorded');
    return stored;
  }

  async meta(conversationId: string): Promise<ConversationMeta | undefined> {
    const text = await this.redis.get(this.key(conversationId, 'meta'));
    if (!text) return undefined;
    try {
      const meta = JSON.parse(text) as ConversationMeta;
      return typeof meta.user === 'string' ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  async append(conversationId: string, activities: WireActivity[]): Promise<number[]> {
    if (activities.length === 0) return [];
    const marks = (await this.redis.eval(
      APPEND_SCRIPT,
      3,
      this.key(conversationId, 'seq'),
      this.key(conversationId, 'log'),
      this.key(conversationId, 'meta'),
      String(this.limits.maxActivities),
      String(this.limits.ttlSeconds),
      this.channel(conversationId),
      ...activities.map((a) => JSON.stringify(a)),
    )) as number[];
    return marks.map(Number);
  }

  async since(conversationId: string, watermark: number): Promise<LogEntry[]> {
    const items = await this.redis.lrange(this.key(conversationId, 'log'), 0, -1);
    return parseEntries(items)
      .filter((e) => e.w > watermark)
      .map((e) => withId(conversationId, e));
  }

  async subscribe(conversationId: string, listener: (entries: LogEntry[]) => void): Promise<() => void> {
    const subscriber = await this.connectSubscriber();
    const channel = this.channel(conversationId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    const wrapped = (entries: LogEntry[]): void => listener(entries.map((e) => withId(conversationId, e)));
    set.add(wrapped);
    return () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(wrapped);
      if (current.size === 0) {
        this.listeners.delete(channel);
        subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber ?? (await this.subscribing?.catch(() => undefined));
    subscriber?.disconnect();
    this.subscriber = undefined;
  }

  /** A second connection for pub/sub (a subscribed connection can run nothing else), made once. */
  private connectSubscriber(): Promise<Redis> {
    if (this.subscriber) return Promise.resolve(this.subscriber);
    this.subscribing ??= (async () => {
      const subscriber = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (channel: string, text: string) => {
        const set = this.listeners.get(channel);
        if (!set || set.size === 0) return;
        let entries: LogEntry[];
        try {
          entries = parseEntries(JSON.parse(text) as unknown[]);
        } catch {
          return;
        }
        for (const listener of set) listener(entries);
      });
      await subscriber.connect();
      this.subscriber = subscriber;
      return subscriber;
    })();
    this.subscribing.catch(() => {
      this.subscribing = undefined;
    });
    return this.subscribing;
  }
}

function parseEntries(items: readonly unknown[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const item of items) {
    let value: unknown = item;
    if (typeof item === 'string') {
      try {
        value = JSON.parse(item);
      } catch {
        continue;
      }
    }
    const entry = value as Partial<LogEntry> | null;
    if (entry && typeof entry.w === 'number' && entry.a && typeof entry.a.type === 'string')
      entries.push({ w: entry.w, a: entry.a });
  }
  return entries;
}
