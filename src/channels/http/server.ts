/**
 * `coach serve` (CONTRACTS section 5): one Express server for every HTTP channel.
 * - POST /api/messages: Bot Framework activities on CloudAdapter, authenticated with the
 *   MicrosoftApp* settings (the SDK's validation, no bypass). An activity is checked before it
 *   reaches the adapter (fields, channel, where its replies would go); its turn runs, its state is
 *   saved and its locks released, and only then are its replies sent (see outbound.ts);
 * - POST /slack/events: Slack, when configured (mounted by the Slack channel);
 * - GET / and /v3/directline/…: the web chat and its Direct Line API (src/channels/directline);
 * - GET /healthz (the store can write → 200, else 503) and GET /metrics (Prometheus).
 * Bodies are JSON only, at most BODY_LIMIT; anything else gets a 4xx and the server stays up.
 */
import { ReusingAuthentication } from './reusingAuthentication';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextCheckPhase } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import { botFrameworkIdentity, setIdentity } from '../../identity/identity';
import type { Logger } from '../../log/logger';
import { CoachMetrics } from '../../ops/metrics';
import type { CoachRuntime } from '../../app/createApp';
import { ADDRESS_RATE_LIMIT, createRateLimiter } from '../../runtime/rateLimit';
import { createBridge } from '../directline/bridge';
import { mountDirectLine, type DirectLineOptions } from '../directline/mount';
import { checkActivity } from './activityCheck';
import { CoachActivityHandler } from './coachHandler';
import { authVerdict, precheckAuthorization } from './auth';
import { DEFAULT_OUTBOUND, ReplySender, type DeliveryTarget, type OutboundOptions } from './outbound';
import { isLoopbackAddress } from '../../util/net';
import { checkServiceUrl } from './serviceUrl';

/** The largest request body accepted (a Bot Framework activity is a few kilobytes). */
const BODY_LIMIT = '256kb';

interface BotCredentials {
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
function exposureProblem(config: ServeConfig): string | undefined {
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
  /** Timeouts and retries of reply delivery (tests shorten them). */
  outbound?: Partial<OutboundOptions>;
  /** Settings of the web chat's Direct Line (tests shorten lifetimes); TRUST_PROXY=true trusts a proxy. */
  directLine?: Partial<DirectLineOptions>;
}

/** Where a turn's replies wait until its state is saved and its locks are released. */
const OUTBOX = Symbol('coach.outbox');

/**
 * CloudAdapter whose sends of a turn that has an outbox go into it instead of to the connector:
 * the route sends them once the turn is over (expectReplies turns buffer in the TurnContext and
 * never come here). Delays and traces mean nothing to the coach's clients and are dropped.
 */
class OutboxAdapter extends CloudAdapter {
  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const outbox = context.turnState.get(OUTBOX) as Partial<Activity>[] | undefined;
    if (!outbox) return super.sendActivities(context, activities);
    const passOn = activities.filter((a) => a.type === 'invokeResponse');
    for (const a of activities)
      if (a.type !== 'invokeResponse' && a.type !== 'delay' && a.type !== 'trace') outbox.push(a);
    if (passOn.length > 0) await super.sendActivities(context, passOn);
    return activities.map(() => ({ id: randomUUID() }));
  }

  /** The SDK's authentication and turn for an activity already parsed and checked. */
  runActivity(
    authorization: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): ReturnType<CloudAdapter['processActivity']> {
    return this.processActivity(authorization, activity, logic);
  }
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
  const authenticated = hasCredentials(config);
  const auth = new ReusingAuthentication(
    new ConfigurationBotFrameworkAuthentication(
      config.credentials as ConfigurationBotFrameworkAuthenticationOptions,
    ),
  );
  const adapter = new OutboxAdapter(auth);
  const handler = new CoachActivityHandler(runtime.app);
  runtime.app.onTurn((o) => {
    metrics.turn(o.channel, o.seconds, o.summary.intent ?? 'none');
    if (o.error) metrics.error(o.channel, 'turn');
  });
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed in the adapter', { error, channel: context.activity.channelId });
    metrics.error(context.activity.channelId ?? 'unknown', 'adapter');
  };
  const sender = new ReplySender(logger, (outcome, n) => metrics.delivery(outcome, n), {
    ...DEFAULT_OUTBOUND,
    ...hooks.outbound,
  });
  // Without credentials anyone who can reach the server may post: a client that changes its user
  // id for every message is still one address. (Loopback clients are this machine's own.)
  const addressLimiter = authenticated
    ? undefined
    : createRateLimiter('address', ADDRESS_RATE_LIMIT, runtime.storage.redis);

  let inFlight = 0;
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  // Replies to POSTs are never cached: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
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
      // Route patterns and statuses only: a label made of what clients send would grow without bound.
      metrics.request(routeLabel(req), String(res.statusCode));
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
      // A store that can be read but not written (disk full, read-only) cannot serve a turn.
      await runtime.storage.ping({ write: true });
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
    const refuse = (status: number, error: string): void => {
      res.status(status).json({ error });
    };
    const check = checkActivity(req.body as unknown);
    if (!check.ok) return refuse(400, check.reason);
    const activity = check.activity;
    const expectReplies = activity.deliveryMode === DeliveryModes.ExpectReplies;
    // Where replies would go is checked before anything is run or sent. An expectReplies turn
    // sends nothing there, but a serviceUrl it names must still be one replies may go to.
    let target: DeliveryTarget | undefined;
    if (typeof activity.serviceUrl === 'string' || !expectReplies) {
      if (typeof activity.serviceUrl !== 'string') return refuse(400, 'activity.serviceUrl is required');
      const where = checkServiceUrl(activity.serviceUrl, authenticated);
      if (!where.ok) return refuse(400, where.reason);
      target = {
        serviceUrl: activity.serviceUrl,
        conversationId: activity.conversation.id,
        replyToId: typeof activity.id === 'string' && activity.id ? activity.id : undefined,
      };
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    if (authenticated) {
      const verdict = precheckAuthorization(authorization);
      if (verdict) return refuse(verdict.status, verdict.error);
    } else if (addressLimiter && !isLoopbackAddress(req.socket.remoteAddress)) {
      if (!(await addressLimiter.take(req.socket.remoteAddress ?? 'unknown')))
        return refuse(429, 'too many requests from this address');
    }
    // The turn starts after the I/O of this loop turn (setImmediate): requests that arrived
    // together are all read first, then their turns run back to back. The work is the same,
    // but running one kind of work at a time keeps its code and data in the CPU's caches —
    // about 15% more requests per second under load (measured with `npm run bench`); a lone
    // request waits microseconds.
    await nextCheckPhase();
    const outbox: Partial<Activity>[] = [];
    let token: DeliveryTarget['token'];
    let result;
    try {
      result = await adapter.runActivity(authorization, activity, (context) => {
        setIdentity(context, botFrameworkIdentity(activity.channelId, activity.from.id));
        if (!expectReplies) {
          context.turnState.set(OUTBOX, outbox);
          if (authenticated) token = connectorToken(context);
        }
        return handler.run(context);
      });
    } catch (error) {
      const verdict = authVerdict(error);
      if (verdict) {
        logger.warn('activity refused by authentication', { status: verdict.status, error });
        return refuse(verdict.status, verdict.error);
      }
      logger.error('activity failed', { error });
      return refuse(500, 'internal error');
    }
    if (result?.body !== undefined) res.status(result.status ?? 200).json(result.body);
    else res.status(result?.status ?? 200).end();
    // The turn is over, its state saved and its locks released: a slow connector now delays
    // only these replies.
    if (target && outbox.length > 0) void sender.deliver({ ...target, token }, outbox);
  });

  await hooks.mount?.(app, metrics);
  // The web chat (GET /, Direct Line): it reaches the bot only through the bridge.
  const directLine = await mountDirectLine(app, {
    bridge: createBridge(runtime.app),
    storage: runtime.storage,
    logger,
    metrics,
    trustProxy: process.env.TRUST_PROXY === 'true',
    ...hooks.directLine,
  });

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

  const server = createServer(app);
  directLine.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
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
      // Replies of finished turns still on their way get what is left of the grace period.
      await sender.idle(Math.max(0, deadline - Date.now()));
      await directLine.close();
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

/** The metrics label of a request: its route's pattern, never the path a client sent. */
function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return pattern;
  if (req.path.startsWith('/slack/')) return '/slack/events';
  return 'other';
}

/**
 * The bearer token for replies of this turn, from the connector client the SDK made for it
 * (its credentials cache and refresh tokens); fetched only when the replies are sent.
 */
function connectorToken(context: TurnContext): DeliveryTarget['token'] {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as
    { credentials?: { getToken?: () => Promise<string> } } | undefined;
  const credentials = client?.credentials;
  return credentials?.getToken ? () => credentials.getToken!() : undefined;
}
