/**
 * Linking two identities (CONTRACTS section 9): `/link` in one channel shows a one-time code
 * (6 digits, 10 minutes, single use); `/link CODE` in another channel makes that channel's
 * identity share the first one's record — stage, case and history.
 *
 * A code is reserved with the store's `claim` (so two processes never hand out the same one) and
 * spent with another `claim` (so it works once, whichever process sees it first). Wrong codes are
 * limited per identity, which keeps guessing a 6-digit code hopeless within its 10 minutes.
 */
import { randomInt } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { CoachStorage } from '../storage/coachStorage';

export const LINK_CODE_TTL_MS = 10 * 60_000;

/** Wrong codes one identity may try per code lifetime. */
const WRONG_CODES_ALLOWED = 5;

const codeKey = (code: string): string => `link/code/${code}`;

interface CodeRecord {
  identity: string;
  expires: number;
}

export type Redeemed =
  { ok: true; identity: string } | { ok: false; reason: 'malformed' | 'unknown' | 'own' | 'too_many' };

export class Links {
  private readonly wrong = new RateLimiterMemory({
    points: WRONG_CODES_ALLOWED,
    duration: LINK_CODE_TTL_MS / 1000,
  });

  constructor(
    private readonly storage: CoachStorage,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new code for `identity` (the one whose record the other channel will share). */
  async issue(identity: string): Promise<string> {
    for (;;) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      if (!(await this.storage.claim(`${codeKey(code)}/issued`, LINK_CODE_TTL_MS))) continue;
      const record: CodeRecord = { identity, expires: this.now() + LINK_CODE_TTL_MS };
      await this.storage.write({ [codeKey(code)]: { ...record, eTag: '*' } });
      return code;
    }
  }

  /** Spends `code` for `identity`: the identity that issued it, when the code is good. */
  async redeem(identity: string, code: string): Promise<Redeemed> {
    if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'malformed' };
    const refused = async (reason: 'unknown'): Promise<Redeemed> => {
      const allowed = await this.wrong.consume(identity).then(
        () => true,
        () => false,
      );
      return { ok: false, reason: allowed ? reason : 'too_many' };
    };
    if ((await this.wrong.get(identity))?.remainingPoints === 0) return { ok: false, reason: 'too_many' };
    const record = (await this.storage.read([codeKey(code)]))[codeKey(code)] as
      Partial<CodeRecord> | undefined;
    if (!record || typeof record.identity !== 'string' || (record.expires ?? 0) < this.now())
      return refused('unknown');
    if (record.identity === identity) return { ok: false, reason: 'own' };
    if (!(await this.storage.claim(`${codeKey(code)}/spent`, LINK_CODE_TTL_MS))) return refused('unknown');
    await this.storage.delete([codeKey(code)]);
    return { ok: true, identity: record.identity };
  }
}
