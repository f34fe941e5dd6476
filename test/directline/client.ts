/**
 * A small Direct Line client for tests, and a coach server to point it at: the real server
 * (startServer, every route, the real bot) on a free loopback port.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import { startServer, type CoachServer, type ServeHooks } from '../../src/channels/http/server';
import { createLogger } from '../../src/log/logger';
import { createApp } from '../../src/app/createApp';
import type { RateLimiter } from '../../src/runtime/rateLimit';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';

const quiet = createLogger({}, 'error');
export const TEST_SECRET = 'test-secret-for-direct-line-0123456789';

export interface Coach {
  server: CoachServer;
  base: string;
  close(): Promise<void>;
}

export async function startCoach(
  options: { storage?: CoachStorage; hooks?: ServeHooks; port?: number; rateLimiter?: RateLimiter } = {},
): Promise<Coach> {
  const runtime = await createApp({
    storage: options.storage ?? new MemoryStorage(),
    seed: 1,
    logger: quiet,
    rateLimiter: options.rateLimiter,
  });
  const server = await startServer(
    runtime,
    { port: options.port ?? 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
    quiet,
    options.hooks ?? {},
  );
  return { server, base: `http://127.0.0.1:${server.port}`, close: () => server.shutdown(2000) };
}

export interface Started {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl: string;
}

export interface Activity {
  type: string;
  id: string;
  timestamp: string;
  text?: string;
  name?: string;
  from: { id: string; role?: string };
  recipient?: { id: string };
  replyToId?: string;
  channelData?: { clientActivityID?: string };
  suggestedActions?: { actions: { title: string; value: string }[] };
  attachments?: { contentType: string; content: unknown }[];
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a page, Markdown): the text.
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export async function startConversation(base: string, token?: string): Promise<Started> {
  const res = await call<Started>(base, 'POST', '/v3/directline/conversations', { token, body: {} });
  if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function postActivity(
  base: string,
  started: Pick<Started, 'conversationId' | 'token'>,
  activity: Record<string, unknown>,
): Promise<Reply<{ id: string }>> {
  return call(base, 'POST', `/v3/directline/conversations/${started.conversationId}/activities`, {
    token: started.token,
    body: activity,
  });
}

export function message(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', text, from: { id: 'someone' }, locale: 'zh-CN', ...extra };
}

export async function activities(
  base: string,
  started: Pick<Started, 'conversationId' | 'token'>,
  watermark = '',
): Promise<{ activities: Activity[]; watermark: string }> {
  const res = await call<{ activities: Activity[]; watermark: string }>(
    base,
    'GET',
    `/v3/directline/conversations/${started.conversationId}/activities?watermark=${encodeURIComponent(watermark)}`,
    { token: started.token },
  );
  if (res.status !== 200) throw new Error(`activities: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The token's claims (tests read what the server put in it). */
export function claimsOf(token: string): { user: string; conv: string; kind: string; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** A WebSocket stream that records every activity group it receives. */
export interface Stream {
  groups: { activities: Activity[]; watermark: string }[];
  /** Raw messages, pings included. */
  raw: string[];
  activities(): Activity[];
  waitFor(test: (all: Activity[]) => boolean, ms?: number): Promise<Activity[]>;
  close(): Promise<void>;
}

export function openStream(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const stream: Stream = {
      groups: [],
      raw: [],
      activities: () => stream.groups.flatMap((g) => g.activities),
      async waitFor(test, ms = 10_000) {
        const deadline = Date.now() + ms;
        while (!test(stream.activities())) {
          if (Date.now() > deadline)
            throw new Error(
              `stream: not seen in ${ms} ms; got ${JSON.stringify(stream.activities().map((a) => [a.type, a.text]))}`,
            );
          await new Promise((r) => setTimeout(r, 25));
        }
        return stream.activities();
      },
      close: () =>
        new Promise<void>((done) => {
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.close();
        }),
    };
    ws.on('message', (data) => {
      const text = data.toString();
      stream.raw.push(text);
      if (text) stream.groups.push(JSON.parse(text));
    });
    ws.once('open', () => resolve(stream));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The HTTP status a WebSocket upgrade to `url` is refused with (or 101 when it opens). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (error) => reject(error));
  });
}

export const bySender = (role: string) => (a: Activity) => a.from.role === role && a.type === 'message';

/** A request with headers fetch will not send as given (Host). */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
