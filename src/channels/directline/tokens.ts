/**
 * Direct Line tokens: compact JWTs (HS256) signed with the server's secret. A conversation token
 * names the user the server issued (`user`, the id Web Chat and directlinejs read from a token)
 * and the one conversation it may read and post to; a stream token opens that conversation's
 * WebSocket and lives only long enough to connect. Nothing about a token is stored: its signature
 * and expiry are the whole check, so any instance that shares the secret accepts it.
 *
 * The secret is DIRECTLINE_SECRET when set; otherwise, on a Redis store, one random secret that
 * the first instance writes with SET NX and every other instance reads; otherwise a random one
 * for this process (tokens then end with it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

export type TokenKind = 'conversation' | 'stream';

export interface TokenClaims {
  kind: TokenKind;
  /** The user id the server issued (`dl_…`); the coach's identity is `webchat:<user>`. */
  user: string;
  /** The conversation the token is for. */
  conv: string;
  /** Issued at and expires at, in seconds since the epoch. */
  iat: number;
  exp: number;
}

export type Verdict =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad_signature' | 'wrong_kind' | 'expired' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
/** Where instances sharing a Redis store keep the secret they all sign with. */
export const SECRET_KEY = 'coach:directline:secret';
const MIN_SECRET_CHARS = 16;

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (secret.length < MIN_SECRET_CHARS)
      throw new Error(`DIRECTLINE_SECRET must be at least ${MIN_SECRET_CHARS} characters`);
    this.key = Buffer.from(secret, 'utf8');
  }

  sign(kind: TokenKind, user: string, conv: string, ttlSeconds: number): string {
    const iat = this.now();
    const claims: TokenClaims = { kind, user, conv, iat, exp: iat + ttlSeconds };
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return `${body}.${this.mac(body)}`;
  }

  /**
   * Checks a token of `kind`. `graceSeconds` accepts one that expired at most that long ago
   * (a returning page resuming as the same user); everything else must not have expired.
   */
  verify(token: string | undefined, kind: TokenKind, graceSeconds = 0): Verdict {
    if (!token) return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const body = `${parts[0]}.${parts[1]}`;
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'bad_signature' };
    let claims: Partial<TokenClaims>;
    try {
      claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (
      typeof claims.user !== 'string' ||
      typeof claims.conv !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number'
    )
      return { ok: false, reason: 'malformed' };
    if (claims.kind !== kind) return { ok: false, reason: 'wrong_kind' };
    if (claims.exp + graceSeconds <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims as TokenClaims };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** The bearer token of an Authorization header, if it has one. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** A fresh random id: url-safe, 22 characters (128 bits). */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/** The signing secret: DIRECTLINE_SECRET, else one shared through Redis, else one for this process. */
export async function resolveSecret(env: NodeJS.ProcessEnv, redis?: Redis): Promise<string> {
  const configured = env.DIRECTLINE_SECRET;
  if (configured) return configured;
  const candidate = randomBytes(32).toString('base64url');
  if (!redis) return candidate;
  // The first instance to start writes it; the others (and later restarts) read the same one.
  await redis.set(SECRET_KEY, candidate, 'NX');
  const shared = await redis.get(SECRET_KEY);
  if (!shared) throw new Error('the Direct Line secret could not be read back from Redis');
  return shared;
}
