/** Small HTTP helpers for integration tests: a JSON request, and a recording stand-in server. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StandIn {
  url: string;
  calls: Recorded[];
  close(): Promise<void>;
  /** Resolves when `n` calls have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<Recorded[]>;
}

/** A local HTTP server that records every request and answers with `respond`. */
export async function standIn(
  respond: (
    req: Recorded,
    n: number,
  ) => { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number } = () => ({}),
): Promise<StandIn> {
  const calls: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      calls.push(rec);
      const out = respond(rec, calls.length);
      const send = (): void => {
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json', ...(out.headers ?? {}) });
        res.end(JSON.stringify(out.body ?? { id: `reply-${calls.length}` }));
      };
      // A delayed answer must not keep a test process alive after the test is done.
      if (out.delayMs) setTimeout(send, out.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
    async waitFor(n, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (calls.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} calls, got ${calls.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return calls;
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

export function activity(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    text,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9',
    conversation: { id: 'conv-1' },
    from: { id: 'user-1', name: 'user' },
    recipient: { id: 'coach', name: 'coach' },
    ...extra,
  };
}
