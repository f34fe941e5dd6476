/**
 * The web channel on `coach serve` (CONTRACTS section 5): a Direct Line 3.0-compatible API, the
 * WebSocket stream, the plan export and the Web Chat page at `/`.
 *
 *   POST /v3/directline/conversations                      → 201 {conversationId, token, expires_in, streamUrl}
 *   GET  /v3/directline/conversations/:id?watermark=       → a fresh token and streamUrl (reconnect)
 *   POST /v3/directline/conversations/:id/activities       → {id}, once the coach's replies are logged
 *   GET  /v3/directline/conversations/:id/activities?watermark= → {activities, watermark}
 *   POST /v3/directline/tokens/refresh                     → {conversationId, token, expires_in}
 *   GET  /webchat/plan.md                                  → the token's user's plan as Markdown
 *   WS   streamUrl                                         → {activities, watermark} messages
 *
 * Who may do what: the server issues the user id (`dl_…`, the coach's identity
 * `webchat:dl_…`) inside a signed token that also names the conversation; a token opens only
 * its own conversation, and every activity posted is rebuilt with the token's user as sender.
 * POST /conversations without a token starts a new user (limited per client address); with a
 * token that expired less than `resumeSeconds` ago it starts again as that same user — in the
 * same conversation while its log is kept — which is how a page reopened after a long pause
 * keeps the user's stage and plan.
 */
import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../log/logger';
import type { CoachMetrics } from '../../ops/metrics';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMIT,
  type RateLimiter,
  type RateLimitOptions,
} from '../../runtime/rateLimit';
import type { CoachStorage } from '../../storage/coachStorage';
import { isLoopbackAddress } from '../../util/net';
import { mountWebChatPage } from './page';
import { botActivity, bridgeTurnOf, checkPosted, userActivity } from './activities';
import { PLAN_EVENT, WEBCHAT_CHANNEL, type CoachBridge } from './bridge';
import {
  activityId,
  DEFAULT_LOG_LIMITS,
  MemoryConversationLog,
  RedisConversationLog,
  type ConversationLog,
} from './conversationLog';
import {
  baseSecurityHeaders,
  clientAddress,
  directLineCors,
  dlError,
  publicOrigin,
  type PublicOrigin,
} from './http';
import { parseWatermark, StreamHub } from './stream';
import { bearer, randomId, resolveSecret, TokenSigner, type TokenClaims } from './tokens';

/** The same body limit as /api/messages. */
const BODY_LIMIT = '256kb';
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface DirectLineOptions {
  bridge: CoachBridge;
  /** The coach's store: with Redis, tokens' secret, the log and streams are shared through it. */
  storage: CoachStorage;
  logger: Logger;
  metrics: CoachMetrics;
  /**
   * The user's other activities (events, plan exports) have a limit of their own, of the same
   * size: a page's join event or a plan download does not use up the user's messages.
   */
  eventRateLimiter?: RateLimiter;
  /** Believe X-Forwarded-Proto/-Host/-For from one reverse proxy in front (TRUST_PROXY=true). */
  trustProxy: boolean;
  /** Token signing secret (default: DIRECTLINE_SECRET, else shared in Redis, else random). */
  secret?: string;
  tokenSeconds?: number;
  /** How long a stream URL may wait to be opened. */
  streamTokenSeconds?: number;
  /** How long after its expiry a token still resumes its user (POST /conversations). */
  resumeSeconds?: number;
  maxActivities?: number;
  conversationSeconds?: number;
  pingMs?: number;
  /** New conversations per client address. */
  newConversationLimit?: RateLimitOptions;
}

const DIRECT_LINE_DEFAULTS = {
  tokenSeconds: 30 * 60,
  streamTokenSeconds: 120,
  resumeSeconds: 30 * 24 * 3600,
  maxActivities: DEFAULT_LOG_LIMITS.maxActivities,
  conversationSeconds: DEFAULT_LOG_LIMITS.ttlSeconds,
  pingMs: 20_000,
  newConversationLimit: { burst: 20, burstSeconds: 10, perMinute: 60 } as RateLimitOptions,
};

export interface DirectLineMount {
  /** Takes the server's WebSocket upgrades (the streams). */
  attach(server: Server): void;
  /** Closes the streams (clients reconnect elsewhere) and the log's connections. */
  close(): Promise<void>;
}

type Handler = (req: Request, res: Response) => Promise<void>;

export async function mountDirectLine(app: Express, options: DirectLineOptions): Promise<DirectLineMount> {
  const settings = { ...DIRECT_LINE_DEFAULTS, ...withoutUndefined(options) };
  const { bridge, logger, trustProxy } = options;
  const redis = options.storage.redis;
  const signer = new TokenSigner(options.secret ?? (await resolveSecret(process.env, redis)));
  const limits = { maxActivities: settings.maxActivities, ttlSeconds: settings.conversationSeconds };
  const log: ConversationLog = redis
    ? new RedisConversationLog(redis, limits)
    : new MemoryConversationLog(limits);
  const hub = new StreamHub(log, signer, logger, { pingMs: settings.pingMs, maxPerConversation: 10 });
  const newConversations = createRateLimiter('directline-new', settings.newConversationLimit, redis);
  const eventLimiter =
    options.eventRateLimiter ?? createRateLimiter('webchat-event', DEFAULT_RATE_LIMIT, redis);
  const json = express.json({ limit: BODY_LIMIT, type: () => true });

  const tokenFor = (claims: Pick<TokenClaims, 'user' | 'conv'>) => ({
    token: signer.sign('conversation', claims.user, claims.conv, settings.tokenSeconds),
    expires_in: settings.tokenSeconds,
  });
  const streamUrl = (origin: PublicOrigin, claims: Pick<TokenClaims, 'user' | 'conv'>, watermark: number) => {
    const t = signer.sign('stream', claims.user, claims.conv, settings.streamTokenSeconds);
    const query = `watermark=${watermark > 0 ? watermark : ''}&t=${encodeURIComponent(t)}`;
    return `${origin.secure ? 'wss' : 'ws'}://${origin.host}/v3/directline/conversations/${claims.conv}/stream?${query}`;
  };

  /** The token's claims, or undefined after refusing: 401 without a valid one, 403 expired or another conversation's. */
  const authorize = (req: Request, res: Response, conversationId?: string): TokenClaims | undefined => {
    const verdict = signer.verify(bearer(req.headers.authorization), 'conversation');
    if (!verdict.ok) {
      if (verdict.reason === 'expired') dlError(res, 403, 'TokenExpired', 'the token has expired');
      else dlError(res, 401, 'Unauthorized', 'a valid Direct Line token is required');
      return undefined;
    }
    if (conversationId !== undefined && verdict.claims.conv !== conversationId) {
      dlError(res, 403, 'Forbidden', 'the token is for another conversation');
      return undefined;
    }
    return verdict.claims;
  };

  /** The conversation of a route's :id for its token, or undefined after refusing. */
  const conversationOf = async (req: Request, res: Response): Promise<TokenClaims | undefined> => {
    const id = String(req.params.id ?? '');
    if (!CONVERSATION_ID.test(id)) {
      dlError(res, 404, 'NotFound', 'no such conversation');
      return undefined;
    }
    const claims = authorize(req, res, id);
    if (!claims) return undefined;
    const meta = await log.meta(id);
    if (!meta || meta.user !== claims.user) {
      dlError(res, 404, 'NotFound', 'the conversation has ended');
      return undefined;
    }
    return claims;
  };

  // A failure of the log (Redis down) is a 503 the client retries, never a crash.
  const safe =
    (handler: Handler) =>
    (req: Request, res: Response, next: NextFunction): void => {
      handler(req, res).catch((error: unknown) => {
        logger.error('direct line request failed', { error, path: req.route?.path });
        options.metrics.error(WEBCHAT_CHANNEL, 'directline');
        if (res.headersSent) return next();
        dlError(res, 503, 'ServiceUnavailable', 'try again in a moment');
      });
    };

  app.use('/v3/directline', baseSecurityHeaders, directLineCors, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.post(
    '/v3/directline/conversations',
    json,
    safe(async (req, res) => {
      const origin = publicOrigin(req, trustProxy);
      if (!origin) return dlError(res, 400, 'BadArgument', 'the Host header is not a host name');
      // As on /api/messages, this machine's own clients are not limited by address (a proxy on
      // it is a client of its own only with TRUST_PROXY, which names the address it saw).
      const address = clientAddress(req, trustProxy);
      if ((trustProxy || !isLoopbackAddress(address)) && !(await newConversations.take(address)))
        return dlError(res, 429, 'TooManyRequests', 'too many new conversations from this address');
      let user = `dl_${randomId()}`;
      let conv = randomId();
      const presented = bearer(req.headers.authorization);
      if (presented) {
        const verdict = signer.verify(presented, 'conversation', settings.resumeSeconds);
        if (!verdict.ok) return dlError(res, 401, 'Unauthorized', 'the token is not one of this server');
        user = verdict.claims.user;
        const meta = await log.meta(verdict.claims.conv);
        if (meta?.user === user) conv = verdict.claims.conv;
      }
      await log.open(conv, user);
      const claims = { user, conv };
      res
        .status(201)
        .json({ conversationId: conv, ...tokenFor(claims), streamUrl: streamUrl(origin, claims, 0) });
    }),
  );

  app.get(
    '/v3/directline/conversations/:id',
    safe(async (req, res) => {
      const origin = publicOrigin(req, trustProxy);
      if (!origin) return dlError(res, 400, 'BadArgument', 'the Host header is not a host name');
      const claims = await conversationOf(req, res);
      if (!claims) return;
      const watermark = parseWatermark(req.query.watermark);
      if (watermark === undefined) return dlError(res, 400, 'BadArgument', 'unknown watermark');
      res.json({
        conversationId: claims.conv,
        ...tokenFor(claims),
        streamUrl: streamUrl(origin, claims, watermark),
      });
    }),
  );

  app.post(
    '/v3/directline/conversations/:id/activities',
    json,
    safe(async (req, res) => {
      const claims = await conversationOf(req, res);
      if (!claims) return;
      const check = checkPosted(req.body as unknown);
      if (!check.ok) return dlError(res, 400, 'BadArgument', check.reason);
      const posted = check.activity;
      const identity = `${WEBCHAT_CHANNEL}:${claims.user}`;
      // Messages count against the user's limit inside the turn (they get a friendly "slow
      // down" reply there); anything else is counted here.
      if (posted.type !== 'message' && !(await eventLimiter.take(identity)))
        return dlError(res, 429, 'TooManyRequests', 'too many activities; slow down');
      const turn = bridgeTurnOf(posted, claims.conv, identity);
      if (posted.type === 'typing') {
        res.json({ id: '' });
        return;
      }
      const received = new Date();
      const [w] = await log.append(claims.conv, [userActivity(posted, claims.conv, claims.user, received)]);
      const echoId = activityId(claims.conv, w as number);
      if (turn) {
        const replies = await bridge.turn(turn);
        // Strictly later than the echo and in order: clients sort by timestamp.
        const start = Math.max(Date.now(), received.getTime() + 1);
        const wires = replies.map((r, i) =>
          botActivity(r, claims.conv, claims.user, echoId, new Date(start + i)),
        );
        if (wires.length > 0) await log.append(claims.conv, wires);
      }
      res.json({ id: echoId });
    }),
  );

  app.get(
    '/v3/directline/conversations/:id/activities',
    safe(async (req, res) => {
      const claims = await conversationOf(req, res);
      if (!claims) return;
      const watermark = parseWatermark(req.query.watermark);
      if (watermark === undefined) return dlError(res, 400, 'BadArgument', 'unknown watermark');
      const entries = await log.since(claims.conv, watermark);
      const last = entries[entries.length - 1]?.w ?? watermark;
      res.json({ activities: entries.map((e) => e.a), watermark: String(last) });
    }),
  );

  app.post(
    '/v3/directline/tokens/refresh',
    json,
    safe(async (req, res) => {
      const claims = authorize(req, res);
      if (!claims) return;
      const meta = await log.meta(claims.conv);
      if (!meta || meta.user !== claims.user)
        return dlError(res, 404, 'NotFound', 'the conversation has ended');
      res.json({ conversationId: claims.conv, ...tokenFor(claims) });
    }),
  );

  app.get(
    '/webchat/plan.md',
    baseSecurityHeaders,
    safe(async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const claims = authorize(req, res);
      if (!claims) return;
      const identity = `${WEBCHAT_CHANNEL}:${claims.user}`;
      if (!(await eventLimiter.take(identity))) return dlError(res, 429, 'TooManyRequests', 'slow down');
      const lang = req.query.lang === 'en' ? 'en-US' : req.query.lang === 'zh' ? 'zh-CN' : undefined;
      const replies = await bridge.turn({
        userId: identity,
        conversationId: claims.conv,
        type: 'event',
        name: PLAN_EVENT,
        locale: lang,
      });
      const reply = replies.find((r) => r.type === 'message' && typeof r.text === 'string');
      if (reply?.textFormat === 'markdown') {
        res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="coach-plan.md"');
        res.send(reply.text);
        return;
      }
      res
        .status(404)
        .type('text/plain; charset=utf-8')
        .send(reply?.text ?? 'no plan');
    }),
  );

  mountWebChatPage(app, { trustProxy });

  return {
    attach: (server) => hub.attach(server),
    async close() {
      await hub.close();
      await log.close();
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
