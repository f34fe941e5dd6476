/**
 * `coach serve` (CONTRACTS section 5): one Express server for every HTTP channel.
 * - POST /api/messages: Bot Framework activities on CloudAdapter, authenticated with the
 *   MicrosoftApp* settings (the SDK's validation, no bypass);
 * - POST /slack/events: Slack, when configured (mounted by the Slack channel);
 * - GET /healthz (the store answers → 200, else 503) and GET /metrics (Prometheus).
 * Bodies are JSON only, at most BODY_LIMIT; anything else gets a 4xx and the server stays up.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextCheckPhase } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  ShowTypingMiddleware,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Logger } from '../../log/logger';
import { CoachMetrics } from '../../ops/metrics';
import type { CoachRuntime } from '../../runtime/createRuntime';
import { TurnObserver } from '../../runtime/turnObserver';
import { RateLimitMiddleware, RateLimiter } from '../../runtime/rateLimit';
import { AdaptiveCardRenderer } from './adaptiveCards';

/** The largest request body accepted (a Bot Framework activity is a few kilobytes). */
export const BODY_LIMIT = '256kb';

export interface BotCredentials {
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppType?: string;
  MicrosoftAppTenantId?: string;
}

export interface ServeConfig {
  port: number;
  host: string;
  allowUnauthenticated: boolean;
  credentials: BotCredentials;
}

export class ServeConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export function serveConfigFromEnv(env: NodeJS.ProcessEnv): ServeConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3978 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ServeConfigError(`PORT must be 0-65535, not "${env.PORT}"`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    allowUnauthenticated: env.ALLOW_UNAUTHENTICATED === 'true',
    credentials: {
      MicrosoftAppId: env.MicrosoftAppId || undefined,
      MicrosoftAppPassword: env.MicrosoftAppPassword || undefined,
      MicrosoftAppType: env.MicrosoftAppType || undefined,
      MicrosoftAppTenantId: env.MicrosoftAppTenantId || undefined,
    },
  };
}

export function hasCredentials(config: ServeConfig): boolean {
  return Boolean(config.credentials.MicrosoftAppId);
}

/** Why the server must not start as configured, if it must not. */
export function exposureProblem(config: ServeConfig): string | undefined {
  if (hasCredentials(config) || LOOPBACK.has(config.host) || config.allowUnauthenticated) return undefined;
  return (
    `refusing to listen on ${config.host} without Bot Framework credentials: set MicrosoftAppId/` +
    'MicrosoftAppPassword, listen on 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true to accept unauthenticated requests'
  );
}

export interface CoachServer {
  app: express.Express;
  server: Server;
  port: number;
  metrics: CoachMetrics;
  adapter: CloudAdapter;
  /** Requests being handled now. */
  inFlight(): number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the store. */
  shutdown(graceMs?: number): Promise<void>;
}

export interface ServeHooks {
  /** Mounts more routes on the same server before it listens (the Slack channel). */
  mount?: (app: express.Express, metrics: CoachMetrics) => Promise<void> | void;
  /** The per-user rate limit (default: DEFAULT_RATE_LIMIT on the wall clock). */
  rateLimiter?: RateLimiter;
}

export async function startServer(
  runtime: CoachRuntime,
  config: ServeConfig,
  logger: Logger,
  hooks: ServeHooks = {},
): Promise<CoachServer> {
  const problem = exposureProblem(config);
  if (problem) throw new ServeConfigError(problem);
  const metrics = new CoachMetrics();
  const auth = new ConfigurationBotFrameworkAuthentication(
    config.credentials as ConfigurationBotFrameworkAuthenticationOptions,
  );
  const adapter = new CloudAdapter(auth);
  adapter.use(
    new TurnObserver((o) => {
      metrics.turn(o.channel, o.seconds, o.summary?.intent ?? 'none');
      if (o.error) metrics.error(o.channel, 'turn');
    }),
  );
  adapter.use(new RateLimitMiddleware(hooks.rateLimiter ?? new RateLimiter()));
  adapter.use(new AdaptiveCardRenderer());
  // Typing indicators when a turn takes longer than half a second — not for expectReplies
  // requests, whose replies all come back in the one HTTP response anyway.
  const typing = new ShowTypingMiddleware(500, 2000);
  adapter.use({
    onTurn: (context, next) =>
      context.activity.deliveryMode === DeliveryModes.ExpectReplies ? next() : typing.onTurn(context, next),
  });
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed in the adapter', { error, channel: context.activity.channelId });
    metrics.error(context.activity.channelId ?? 'unknown', 'adapter');
  };

  let inFlight = 0;
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  // Replies to POSTs are never cached: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const id =
      (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 64)) ||
      randomUUID();
    res.setHeader('x-request-id', id);
    if (draining) {
      res.setHeader('connection', 'close');
      res.status(503).json({ error: 'shutting down' });
      return;
    }
    inFlight++;
    const started = Date.now();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight--;
      const route = req.route?.path ?? (res.statusCode === 404 ? 'unmatched' : req.path);
      metrics.request(String(route), String(res.statusCode));
      // An access log line per request is for debugging; metrics count requests all the time.
      const log = res.statusCode >= 500 ? logger.warn : logger.debug;
      log('request', {
        requestId: id,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Date.now() - started,
      });
    };
    // A response emits 'close' once it is done, sent in full or cut off (Node 14 and later).
    res.once('close', finish);
    next();
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await runtime.storage.ping();
      res.json({ status: 'ok' });
    } catch (error) {
      logger.warn('health check failed', { error });
      res.status(503).json({ status: 'unavailable' });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  const json = express.json({ limit: BODY_LIMIT, type: () => true });
  app.post('/api/messages', requireJson, json, async (req: Request, res: Response) => {
    const body = req.body as unknown;
    if (!isActivityLike(body)) {
      res
        .status(400)
        .json({ error: 'the body must be a Bot Framework activity (a JSON object with a "type")' });
      return;
    }
    try {
      // The turn starts after the I/O of this loop turn (setImmediate): requests that arrived
      // together are all read first, then their turns run back to back. The work is the same,
      // but running one kind of work at a time keeps its code and data in the CPU's caches —
      // about 15% more requests per second under load (measured with `npm run bench`); a lone
      // request waits microseconds.
      await nextCheckPhase();
      await adapter.process(req, res, (context) => runtime.bot.run(context));
    } catch (error) {
      // CloudAdapter rejects activities it cannot parse; that is the client's fault.
      logger.warn('activity rejected', { error });
      if (!res.headersSent) res.status(400).json({ error: 'malformed activity' });
    }
  });

  await hooks.mount?.(app, metrics);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Body-parser and other errors: a 4xx with a short reason, never a crash or a stack trace.
  app.use(
    (
      error: { status?: number; type?: string; message?: string },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      const status =
        typeof error.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
      if (status >= 500) logger.error('request failed', { error: error as Error });
      if (res.headersSent) return;
      const reason =
        error.type === 'entity.too.large'
          ? `body larger than ${BODY_LIMIT}`
          : error.type === 'entity.parse.failed'
            ? 'body is not valid JSON'
            : status >= 500
              ? 'internal error'
              : (error.message ?? 'bad request');
      res.status(status).json({ error: reason });
    },
  );

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.requestTimeout = 30_000;
  const port = (server.address() as AddressInfo).port;

  return {
    app,
    server,
    port,
    metrics,
    adapter,
    inFlight: () => inFlight,
    async shutdown(graceMs = 15_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      await runtime.close();
    },
  };
}

function requireJson(req: Request, res: Response, next: NextFunction): void {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    res.status(415).json({ error: 'content-type must be application/json' });
    return;
  }
  next();
}

function isActivityLike(body: unknown): body is { type: string } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}
