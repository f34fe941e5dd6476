/**
 * Prometheus metrics (prom-client): turns, turn latency, errors — by channel and intent — plus
 * the process's default metrics. Served at GET /metrics by `coach serve`.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class CoachMetrics {
  readonly registry = new Registry();
  readonly turns: Counter<'channel' | 'intent'>;
  readonly errors: Counter<'channel' | 'kind'>;
  readonly latency: Histogram<'channel'>;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly deliveries: Counter<'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.turns = new Counter({
      name: 'coach_turns_total',
      help: 'Turns handled, by channel and the intent the NLU read',
      labelNames: ['channel', 'intent'],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'coach_errors_total',
      help: 'Failed turns and requests, by channel and kind',
      labelNames: ['channel', 'kind'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'coach_turn_duration_seconds',
      help: 'Time to handle one turn, by channel',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.httpRequests = new Counter({
      name: 'coach_http_requests_total',
      help: 'HTTP requests, by route and status',
      labelNames: ['route', 'status'],
      registers: [this.registry],
    });
    this.deliveries = new Counter({
      name: 'coach_reply_deliveries_total',
      help: 'Replies posted to Bot Framework connectors, by outcome (sent, failed, dropped)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
  }

  /**
   * prom-client's `labels(...)` checks the labels and builds new closures on every call; the
   * label sets are few and closed (known channels × intents, route patterns × statuses: callers
   * never pass what a client sent), so each child is made once.
   */
  private readonly children = new Map<string, { inc(): void } | { observe(v: number): void }>();

  private child<T extends { inc(): void } | { observe(v: number): void }>(key: string, make: () => T): T {
    let c = this.children.get(key) as T | undefined;
    if (!c) {
      c = make();
      // Label values come from a closed set; the bound only guards against a surprise.
      if (this.children.size < 10_000) this.children.set(key, c);
    }
    return c;
  }

  /** One turn: its latency and the intent it was read as. */
  turn(channel: string, seconds: number, intent: string): void {
    this.child(`l\u0000${channel}`, () => this.latency.labels(channel)).observe(seconds);
    this.child(`t\u0000${channel}\u0000${intent}`, () => this.turns.labels(channel, intent)).inc();
  }

  error(channel: string, kind: string): void {
    this.child(`e\u0000${channel}\u0000${kind}`, () => this.errors.labels(channel, kind)).inc();
  }

  delivery(outcome: 'sent' | 'failed' | 'dropped', n: number): void {
    if (n > 0) this.deliveries.labels(outcome).inc(n);
  }

  request(route: string, status: string): void {
    this.child(`r\u0000${route}\u0000${status}`, () => this.httpRequests.labels(route, status)).inc();
  }
}
