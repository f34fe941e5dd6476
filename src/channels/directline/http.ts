/**
 * HTTP details of the web channel: where the client reached us (for the stream URL), who the
 * client is (for the per-address limit), CORS for Direct Line clients on other origins, and the
 * headers every response of the channel carries.
 *
 * Behind a reverse proxy (TLS terminated there) the Host and the client's address are the proxy's
 * business: with `trustProxy` the first X-Forwarded-Proto / X-Forwarded-Host and the last
 * X-Forwarded-For entry (the one our proxy added) are believed; without it those headers are
 * ignored, since any client can send them.
 */
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';

/** A host as it may appear in a URL and in a CSP source: name or IP, optional port; nothing else. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::\d{1,5})?$/i;

export interface PublicOrigin {
  secure: boolean;
  host: string;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}

/** The scheme and host the client used; undefined when the Host header is not a host. */
export function publicOrigin(req: IncomingMessage, trustProxy: boolean): PublicOrigin | undefined {
  let secure = Boolean((req.socket as TLSSocket).encrypted);
  let host = req.headers.host;
  if (trustProxy) {
    const proto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    if (proto === 'https' || proto === 'http') secure = proto === 'https';
    host = firstValue(req.headers['x-forwarded-host']) ?? host;
  }
  if (!host || !HOST.test(host)) return undefined;
  return { secure, host: host.toLowerCase() };
}

/** The client's address: the socket's, or behind a trusted proxy the address the proxy saw. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
    const last = list[list.length - 1]?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Direct Line clients on other origins (a page embedding the chat elsewhere) may call the API:
 * it is authorised by bearer tokens, never by cookies, so any origin may ask.
 */
export function directLineCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'x-request-id');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, x-ms-bot-agent, x-requested-with',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
    return;
  }
  next();
}

/** Headers of every response of the web channel. */
export function baseSecurityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/** A Direct Line style error body. */
export function dlError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
