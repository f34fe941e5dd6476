/**
 * Where replies may be sent. The server posts replies to the activity's `serviceUrl`, so an
 * unchecked one makes it a proxy for anyone who can reach it (SSRF). Without Bot Framework
 * credentials only a loopback connector may be called — the Emulator on this machine; with them,
 * the Bot Framework channels' HTTPS endpoints (whose token vouches for the serviceUrl) or loopback.
 */
import { isLoopbackHost } from '../../util/net';

export type ServiceUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

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
