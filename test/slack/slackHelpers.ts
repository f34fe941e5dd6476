/**
 * Slack test kit: a local stand-in for the Slack Web API (SLACK_API_URL) that records calls,
 * and request signing the way Slack signs (v0 HMAC-SHA256 over "v0:timestamp:body").
 */
import { createHmac } from 'node:crypto';
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

export async function postSlack(
  base: string,
  body: string,
  contentType: string,
  headers: Record<string, string> = sign(body),
): Promise<{ status: number; ms: number; text: string }> {
  const started = Date.now();
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
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
