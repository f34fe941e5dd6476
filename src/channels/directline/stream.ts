/**
 * The Direct Line WebSocket stream (`streamUrl`): a conversation's activities as
 * `{"activities": [...], "watermark": "N"}` messages, first those after the watermark the
 * stream URL names (a client resuming), then every new one as it is logged — by this instance or,
 * through the log's pub/sub, by any other. The URL carries a short-lived stream token (a browser
 * cannot set headers on a WebSocket); once open, the stream lives until either side closes it.
 *
 * Every PING_MS the server sends an empty message, which directlinejs ignores (it parses only
 * messages with data) and which keeps proxies from closing an idle connection, and a WebSocket
 * ping: a client that has not answered the previous one is gone and its socket is closed.
 * Whatever the client sends (directlinejs sends empty pings of its own) is ignored.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../log/logger';
import type { ConversationLog, LogEntry } from './conversationLog';
import type { TokenSigner } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

export interface StreamOptions {
  pingMs: number;
  /** Streams one instance keeps open for one conversation (a tab per device is plenty). */
  maxPerConversation: number;
}

export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly open = new Map<string, Set<WebSocket>>();
  private readonly pinger: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();
  private closing = false;

  constructor(
    private readonly log: ConversationLog,
    private readonly signer: TokenSigner,
    private readonly logger: Logger,
    private readonly options: StreamOptions,
  ) {
    this.pinger = setInterval(() => this.ping(), options.pingMs);
    this.pinger.unref();
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
    });
  }

  /** Streams open on this instance. */
  count(): number {
    let n = 0;
    for (const set of this.open.values()) n += set.size;
    return n;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    const refuse = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.closing) return refuse(503, 'Service Unavailable');
    const url = new URL(req.url ?? '/', 'http://stream.invalid');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return refuse(404, 'Not Found');
    const conversationId = match[1] as string;
    const verdict = this.signer.verify(url.searchParams.get('t') ?? undefined, 'stream');
    if (!verdict.ok) return refuse(verdict.reason === 'expired' ? 403 : 401, 'Unauthorized');
    if (verdict.claims.conv !== conversationId) return refuse(403, 'Forbidden');
    const watermark = parseWatermark(url.searchParams.get('watermark'));
    if (watermark === undefined) return refuse(400, 'Bad Request');
    let meta;
    try {
      meta = await this.log.meta(conversationId);
    } catch (error) {
      this.logger.warn('stream refused: the conversation log cannot be read', { error });
      return refuse(503, 'Service Unavailable');
    }
    if (!meta || meta.user !== verdict.claims.user) return refuse(404, 'Not Found');
    const set = this.open.get(conversationId) ?? new Set<WebSocket>();
    if (set.size >= this.options.maxPerConversation) return refuse(429, 'Too Many Requests');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Closing began while this upgrade waited for the log: no new stream now.
      if (this.closing) ws.close(1001, 'server going away');
      else void this.serve(ws, conversationId, watermark);
    });
  }

  private async serve(ws: WebSocket, conversationId: string, from: number): Promise<void> {
    const set = this.open.get(conversationId) ?? new Set<WebSocket>();
    this.open.set(conversationId, set);
    set.add(ws);
    this.alive.add(ws);
    let last = from;
    let ready = false;
    const early: LogEntry[] = [];
    // Deliveries are chained so that a gap-filling read never lets later activities overtake it.
    let chain = Promise.resolve();
    const deliver = (entries: LogEntry[]): void => {
      chain = chain.then(async () => {
        let fresh = entries.filter((e) => e.w > last);
        if (fresh.length === 0) return;
        // Something was missed (a pub/sub message lost while Redis reconnected): read it back.
        if ((fresh[0] as LogEntry).w > last + 1) fresh = await this.log.since(conversationId, last);
        if (fresh.length === 0 || ws.readyState !== ws.OPEN) return;
        last = (fresh[fresh.length - 1] as LogEntry).w;
        ws.send(JSON.stringify({ activities: fresh.map((e) => e.a), watermark: String(last) }));
      });
      chain = chain.catch((error: unknown) => {
        this.logger.warn('stream delivery failed', { error });
      });
    };
    let unsubscribe: (() => void) | undefined;
    const cleanup = (): void => {
      unsubscribe?.();
      set.delete(ws);
      if (set.size === 0 && this.open.get(conversationId) === set) this.open.delete(conversationId);
    };
    ws.on('close', cleanup);
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => this.alive.add(ws));
    ws.on('message', () => undefined);
    try {
      // Subscribe first, then read what is already there: nothing falls between the two.
      unsubscribe = await this.log.subscribe(conversationId, (entries) => {
        if (ready) deliver(entries);
        else early.push(...entries);
      });
      if (ws.readyState !== ws.OPEN) return cleanup();
      deliver(await this.log.since(conversationId, from));
      ready = true;
      if (early.length > 0) deliver(early.splice(0));
    } catch (error) {
      this.logger.warn('stream could not follow its conversation', { error });
      ws.close(1011, 'unavailable');
    }
  }

  private ping(): void {
    for (const set of this.open.values()) {
      for (const ws of set) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        try {
          ws.send('');
          ws.ping();
        } catch {
          ws.terminate();
        }
      }
    }
  }

  /** Closes every stream (1001, going away): clients reconnect, to another instance if there is one. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    const closed: Promise<void>[] = [];
    for (const set of this.open.values()) {
      for (const ws of set) {
        closed.push(
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 1000);
            timer.unref();
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(1001, 'server going away');
          }),
        );
      }
    }
    await Promise.all(closed);
    this.wss.close();
  }
}

/**
 * A watermark as a client sends it back: absent or empty is the start, else the number this
 * server gave out. Anything else is no watermark of ours (undefined).
 */
export function parseWatermark(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
