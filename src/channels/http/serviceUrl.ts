/**
 * Where replies may be sent. The server posts replies to the activity's `serviceUrl`, so an
 * unchecked one makes it a proxy for anyone who can reach it (SSRF). Without Bot Framework
 * credentials only a loopback connector may be called — the Emulator on this machine; with them,
 * the Bot Framework channels' HTTPS endpoints (whose token vouches for the serviceUrl) or loopback.
 */
import { isIP } from 'node:net';

export type ServiceUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

export function checkServiceUrl(raw: string, authenticated: boolean): ServiceUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'activity.serviceUrl is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'activity.serviceUrl must be an http(s) URL' };
  // Replies go to <serviceUrl>/v3/conversations/…: a query, a fragment or credentials in it only
  // serve to aim those posts somewhere else.
  if (url.username || url.password || url.search || url.hash)
    return { ok: false, reason: 'activity.serviceUrl must not carry credentials, a query or a fragment' };
  if (isLoopbackHost(url.hostname)) return { ok: true, url };
  if (!authenticated)
    return {
      ok: false,
      reason: 'without Bot Framework credentials replies are only sent to a loopback serviceUrl',
    };
  if (url.protocol !== 'https:') return { ok: false, reason: 'activity.serviceUrl must use https' };
  return { ok: true, url };
}

/** Whether a client address (a socket's remoteAddress) is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && isLoopbackHost(address);
}
