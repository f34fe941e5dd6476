/**
 * Bot Framework authentication as a client sees it: a bad token is 401, never 500; when the
 * Microsoft signing keys cannot be fetched the answer is 503 with no internal detail.
 *
 * The SDK checks the token itself. What is done here first: a header that cannot be a Bot
 * Framework token (not a three-part JWT, an unsigned or stripped one, an algorithm other than
 * RS256 — "alg: none" and HS256 key confusion among them) is refused at once, without fetching
 * keys for it. Afterwards, the SDK's errors are sorted into "the token is bad" and "we could not
 * check it".
 */
export type AuthVerdict = { status: 401 | 503; error: string };

/** The only signature algorithm Bot Framework channel and Emulator tokens use. */
const ALGORITHM = 'RS256';

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
}

/** Why this Authorization header is refused without looking further, if it is. */
export function precheckAuthorization(header: string | undefined): AuthVerdict | undefined {
  const refused = (why: string): AuthVerdict => ({ status: 401, error: `unauthorized: ${why}` });
  if (!header) return refused('missing bearer token');
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(header.trim());
  if (!match) return refused('malformed bearer token');
  const [, head = '', , signature = ''] = match;
  if (signature.length === 0) return refused('unsigned token');
  let parsed: unknown;
  try {
    parsed = decodeSegment(head);
  } catch {
    return refused('malformed token header');
  }
  const alg = (parsed as { alg?: unknown } | null)?.alg;
  if (alg !== ALGORITHM) return refused('token algorithm not accepted');
  if (typeof (parsed as { kid?: unknown }).kid !== 'string') return refused('token has no key id');
  return undefined;
}

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * Sorts an error from the SDK's authentication. Undefined: not an authentication problem (the
 * caller answers 500 without detail).
 */
export function authVerdict(error: unknown): AuthVerdict | undefined {
  const e = error as {
    name?: unknown;
    statusCode?: unknown;
    message?: unknown;
    type?: unknown;
    code?: unknown;
  };
  const message = typeof e?.message === 'string' ? e.message : '';
  // The SDK reports failing to load Microsoft's OpenID configuration or keys as an
  // AuthenticationError with status 500; a network failure reaches us as node-fetch's FetchError.
  if (
    /^Failed to load (openID config|Keys)/.test(message) ||
    e?.name === 'FetchError' ||
    e?.type === 'system'
  )
    return { status: 503, error: 'authentication is unavailable right now, try again later' };
  // The SDK's AuthenticationError carries a numeric statusCode (4xx for a token it refuses).
  const code = typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if ((code >= 400 && code < 500) || (typeof e?.name === 'string' && TOKEN_ERRORS.has(e.name)))
    return { status: 401, error: 'unauthorized' };
  return undefined;
}
