/**
 * Sends a turn's replies to the Bot Framework connector at the activity's `serviceUrl`, after the
 * turn's state is saved and its locks are released: a slow or dead connector delays only those
 * replies, never the user's next message, and can never fail a turn or the process.
 *
 * Each post has a timeout and a bounded number of retries (connection errors, 429, 5xx), so one
 * inbound message makes at most (retries + 1) posts per reply; once the connector is found
 * unreachable the rest of that turn's replies are dropped rather than tried one by one. Replies of
 * one conversation go out in order, one turn after the other; the number of turns waiting to be
 * delivered is bounded.
 */
import type { Activity } from 'botbuilder';
import type { Logger } from '../../log/logger';

export interface DeliveryTarget {
  serviceUrl: string;
  conversationId: string;
  /** The activity being answered: replies thread under it. */
  replyToId?: string;
  /** A bearer token for the connector (with Bot Framework credentials), fetched when sending. */
  token?: () => Promise<string | undefined>;
}

export interface OutboundOptions {
  /** How long one post may take. */
  timeoutMs: number;
  /** Retries after a failed post (network error, timeout, 429 or 5xx). */
  retries: number;
  /** Pause before each retry, in order (a Retry-After header of up to 2 s wins). */
  backoffMs: readonly number[];
  /** Turns waiting to be delivered, over all conversations; beyond it new ones are dropped. */
  maxPending: number;
}

export const DEFAULT_OUTBOUND: OutboundOptions = {
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: [250, 1000],
  maxPending: 1000,
};

export type DeliveryOutcome = 'sent' | 'failed' | 'dropped';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries used up on errors, timeouts, 429 or 5xx: the connector is not taking replies now. */
class Unreachable extends Error {}

/** The connector refused this one reply (4xx). */
class Refused extends Error {}

export class ReplySender {
  private readonly queues = new Map<string, Promise<void>>();
  private waiting = 0;

  constructor(
    private readonly logger: Logger,
    private readonly count: (outcome: DeliveryOutcome, n: number) => void = () => undefined,
    private readonly options: OutboundOptions = DEFAULT_OUTBOUND,
  ) {}

  /** Turns accepted and not yet delivered (or given up). */
  get pending(): number {
    return this.waiting;
  }

  /** Queues a turn's replies; never rejects. Resolves when they are delivered or given up. */
  deliver(target: DeliveryTarget, activities: readonly Partial<Activity>[]): Promise<void> {
    if (activities.length === 0) return Promise.resolve();
    if (this.waiting >= this.options.maxPending) {
      this.logger.warn('replies dropped: too many deliveries waiting', { pending: this.waiting });
      this.count('dropped', activities.length);
      return Promise.resolve();
    }
    this.waiting++;
    const key = `${target.serviceUrl}\u0000${target.conversationId}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const done = previous.then(() => this.send(target, activities));
    const tail = done.finally(() => {
      this.waiting--;
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    this.queues.set(key, tail);
    return tail;
  }

  /** Waits until nothing is waiting, or `ms` has passed (shutdown). */
  async idle(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.waiting > 0 && Date.now() < deadline) await sleep(20);
  }

  private async send(target: DeliveryTarget, activities: readonly Partial<Activity>[]): Promise<void> {
    let token: string | undefined;
    try {
      token = await withTimeout(target.token?.() ?? Promise.resolve(undefined), this.options.timeoutMs);
    } catch (error) {
      this.logger.warn('replies not sent: no token for the connector', { error });
      this.count('failed', activities.length);
      return;
    }
    for (const [i, activity] of activities.entries()) {
      try {
        await this.post(target, activity, token);
        this.count('sent', 1);
      } catch (error) {
        this.count('failed', 1);
        if (error instanceof Unreachable) {
          // The connector is down or too slow: the remaining replies of this turn would only
          // wait for the same timeouts.
          this.count('dropped', activities.length - i - 1);
          this.logger.warn('connector unreachable: replies of this turn dropped', {
            host: hostOf(target.serviceUrl),
            dropped: activities.length - i,
          });
          return;
        }
        this.logger.warn('reply refused by the connector', { host: hostOf(target.serviceUrl), error });
      }
    }
  }

  private async post(
    target: DeliveryTarget,
    activity: Partial<Activity>,
    token: string | undefined,
  ): Promise<void> {
    const base = target.serviceUrl.replace(/\/+$/, '');
    const conversation = encodeURIComponent(target.conversationId);
    const url = target.replyToId
      ? `${base}/v3/conversations/${conversation}/activities/${encodeURIComponent(target.replyToId)}`
      : `${base}/v3/conversations/${conversation}/activities`;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (token) headers.authorization = `Bearer ${token}`;
    const body = JSON.stringify(activity);
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      let failure: string;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        // The body is not needed; reading it frees the connection.
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        // A 4xx is about this reply (retrying it changes nothing); the others of the turn may go.
        if (res.status !== 429 && res.status < 500) throw new Refused(`connector answered ${res.status}`);
        retryAfterMs = retryAfter(res.headers.get('retry-after'));
        failure = `connector answered ${res.status}`;
      } catch (error) {
        if (error instanceof Refused) throw error;
        failure = (error as Error).message || 'network error';
      }
      if (attempt >= this.options.retries) throw new Unreachable(failure);
      await sleep(retryAfterMs ?? this.options.backoffMs[attempt] ?? 1000);
    }
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 2000) : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
