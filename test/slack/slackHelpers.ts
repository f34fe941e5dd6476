/**
 * Slack test kit: a local stand-in for the Slack Web API (SLACK_API_URL) that records calls,
 * and request signing the way Slack signs (v0 HMAC-SHA256 over "v0:timestamp:body").
 */
import { createHmac } from 'node:crypto';
import { startServer, type CoachServer } from '../../src/channels/http/server';
import { mountSlack } from '../../src/channels/slack/slackHttp';
import { createLogger } from '../../src/log/logger';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { standIn, type Recorded, type StandIn } from '../helpers/http';

export const SIGNING_SECRET = 'test-signing-secret';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

export interface SlackApiStub {
  apiUrl: string;
  calls: SlackCall[];
  raw: StandIn;
  waitForMethod(method: string, n?: number, ms?: number): Promise<SlackCall[]>;
  close(): Promise<void>;
}

function parseArgs(rec: Recorded): Record<string, unknown> {
  const type = String(rec.headers['content-type'] ?? '');
  if (type.includes('application/json')) return JSON.parse(rec.body || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(rec.body)) {
    try {
      out[k] = k === 'blocks' || k === 'view' ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export async function slackApiStub(
  options: { rateLimitFirstPost?: boolean; socketUrl?: string } = {},
): Promise<SlackApiStub> {
  let posts = 0;
  const raw = await standIn((rec) => {
    const method = rec.url.replace(/^\/api\//, '').split('?')[0] ?? '';
    switch (method) {
      case 'auth.test':
        return { body: { ok: true, user_id: 'UCOACH', bot_id: 'BCOACH', team_id: 'T1', user: 'coach' } };
      case 'users.info':
        return { body: { ok: true, user: { id: 'U1', locale: 'zh-CN' } } };
      case 'conversations.open':
        return { body: { ok: true, channel: { id: 'DOPENED' } } };
      case 'chat.postMessage':
        posts++;
        if (options.rateLimitFirstPost && posts === 1) {
          return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
        }
        return { body: { ok: true, ts: `9${posts}.000`, channel: 'D1' } };
      case 'apps.connections.open':
        return { body: { ok: true, url: options.socketUrl } };
      case 'views.publish':
        return { body: { ok: true, view: { id: 'V1' } } };
      default:
        return { body: { ok: true } };
    }
  });
  const calls = (): SlackCall[] =>
    raw.calls.map((c) => ({ method: c.url.replace(/^\/api\//, '').split('?')[0] ?? '', args: parseArgs(c) }));
  return {
    apiUrl: `${raw.url}/api/`,
    get calls() {
      return calls();
    },
    raw,
    async waitForMethod(method, n = 1, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = calls().filter((c) => c.method === method);
        if (found.length >= n) return found;
        if (Date.now() > deadline)
          throw new Error(
            `expected ${n} ${method} calls, got ${found.length}: ${JSON.stringify(calls().map((c) => c.method))}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => raw.close(),
  };
}

export function sign(
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** `coach serve`'s real server with the Slack channel mounted, the Web API pointed at `api`. */
export async function slackServer(
  api: SlackApiStub,
): Promise<{ server: CoachServer; base: string; runtime: CoachRuntime }> {
  const quiet = createLogger({}, 'error');
  const runtime = await createApp({ storage: new MemoryStorage(), seed: 1, logger: quiet });
  const server = await startServer(
    runtime,
    { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
    quiet,
    {
      mount: (app) => {
        mountSlack(
          app,
          runtime,
          { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: api.apiUrl },
          quiet,
        );
      },
    },
  );
  return { server, base: `http://127.0.0.1:${server.port}`, runtime };
}

/**
 * POSTs a body to /slack/events (signed unless told otherwise). Gives up after `timeoutMs`, so a
 * request the server never answers fails the test instead of hanging it.
 */
export async function postSlack(
  base: string,
  body: string,
  contentType: string,
  headers: Record<string, string> = sign(body),
  timeoutMs = 8000,
): Promise<{ status: number; ms: number; text: string }> {
  const started = Date.now();
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - started, text };
}

let eventCounter = 0;

export function eventBody(
  event: Record<string, unknown>,
  eventId = `Ev${++eventCounter}${Date.now()}`,
): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}

export function dm(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channel_type: 'im',
    channel: 'D1',
    user: 'U1',
    text,
    ts: `${Date.now() / 1000}`,
    ...extra,
  };
}

/** All the text a postMessage call shows: fallback text and every section. */
export function shownText(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as {
    type: string;
    text?: { text?: string };
    fields?: { text: string }[];
  }[];
  return [
    String(call.args.text ?? ''),
    ...blocks.map((b) => b.text?.text ?? (b.fields ?? []).map((f) => f.text).join(' ')),
  ].join('\n');
}

export function buttonLabels(call: SlackCall): string[] {
  const blocks = (call.args.blocks ?? []) as { type: string; elements?: { text: { text: string } }[] }[];
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text.text));
}

/** The path of the stand-in's response_url: what the coach answers there is recorded as a call. */
export const RESPONSE = '/response';

let triggerCounter = 0;

/** A fresh trigger_id, as Slack gives every command and click its own. */
function triggerId(): string {
  return `trig.${++triggerCounter}.${Date.now()}`;
}

/** The form body Slack posts for `/coach TEXT` typed by U1 (in channel C123 unless told). */
export function slashCommand(
  api: SlackApiStub,
  text: string,
  options: { channel?: string; channelName?: string; trigger?: string } = {},
): string {
  return new URLSearchParams({
    command: '/coach',
    text,
    user_id: 'U1',
    channel_id: options.channel ?? 'C123',
    channel_name: options.channelName ?? (options.channel?.startsWith('D') ? 'directmessage' : 'general'),
    team_id: 'T1',
    api_app_id: 'A1',
    response_url: `${api.raw.url}${RESPONSE}`,
    trigger_id: options.trigger ?? triggerId(),
  }).toString();
}

/** The form body of an interactivity payload (a button click). */
export function interaction(payload: Record<string, unknown>): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A click on the coach's button `label` under message `ts` in `channel`. */
export function click(
  label: string,
  options: {
    channel?: string;
    ts?: string;
    threadTs?: string;
    trigger?: string;
    ephemeral?: boolean;
    responseUrl?: string;
  } = {},
): Record<string, unknown> {
  const channel = options.channel ?? 'D1';
  const ts = options.ts ?? '91.000';
  return {
    type: 'block_actions',
    user: { id: 'U1' },
    channel: { id: channel },
    container: {
      type: 'message',
      channel_id: channel,
      message_ts: ts,
      ...(options.ephemeral ? { is_ephemeral: true } : {}),
    },
    // Slack leaves the message out of clicks on ephemeral messages.
    ...(options.ephemeral
      ? {}
      : { message: { ts, ...(options.threadTs ? { thread_ts: options.threadTs } : {}) } }),
    ...(options.responseUrl ? { response_url: options.responseUrl } : {}),
    actions: [{ action_id: 'coach_btn_0', value: label, type: 'button', action_ts: `${Date.now() / 1000}` }],
    trigger_id: options.trigger ?? triggerId(),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The chat.postMessage calls made so far. */
export function posts(api: SlackApiStub): SlackCall[] {
  return api.calls.filter((c) => c.method === 'chat.postMessage');
}
