/**
 * Personal data that must never reach logs or storage: phone numbers, ID-card numbers, bank-card
 * numbers (Luhn-checked), email addresses, passwords and verification codes. `maskPii` replaces
 * them with a label; `findSecrets` tells the coach when a user typed a password or a code, so it
 * can warn them never to share those — not even with "Alipay staff".
 */

import { RecentMap } from '../util/recentMap';

export type PiiKind = 'phone' | 'id_card' | 'bank_card' | 'email' | 'password' | 'verification_code';

const LABEL: Record<PiiKind, string> = {
  phone: '[phone]',
  id_card: '[id-card]',
  bank_card: '[card]',
  email: '[email]',
  password: '[password]',
  verification_code: '[code]',
};

/** Luhn checksum: real bank-card numbers pass it, most random digit runs do not. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// A secret after a keyword: "密码是abc123", "password: hunter2", "验证码 482913", "code is 1234".
const PASSWORD =
  /((?:支付|登录|登陆)?密码|口令|password|passcode|pwd|pin)(\s*(?:是|为|:|：|=|is)?\s*)([^\s，。,.;；]{3,64})/gi;
// The value must hold a digit, so that "code review" is not taken for a code.
const CODE =
  /(验证码|校验码|动态码|短信码|verification code|security code|sms code|otp|code)(\s*(?:是|为|:|：|=|is)?\s*)((?=[A-Za-z]*\d)[A-Za-z0-9]{4,8})(?![A-Za-z0-9])/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// 18-digit resident ID (last may be X), on its own, not inside a longer number.
const ID_CARD =
  /(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])/g;
// Mainland mobile numbers, with an optional +86 and separators.
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
// Landlines: area code 0xx/0xxx plus 7–8 digits.
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]\d{7,8}(?!\d)/g;
// Candidate card numbers: 13–19 digits, possibly in groups of four.
const CARD = /(?<!\d)(?:\d[\s-]?){12,18}\d(?!\d)/g;

function maskWith(text: string, kind: PiiKind, pattern: RegExp, found: Set<PiiKind>): string {
  return text.replace(pattern, () => {
    found.add(kind);
    return LABEL[kind];
  });
}

export interface MaskResult {
  text: string;
  found: PiiKind[];
}

/**
 * Every pattern needs a digit, an "@" or a password word: text without any of them is returned
 * as it is without running the patterns (most strings in stored state are like that).
 */
const MAYBE_PII = /[\d@]|密码|口令|pass|pwd|pin|验证码|校验码|动态码|短信码|code|otp/i;

export function maskPiiDetailed(text: string): MaskResult {
  if (!MAYBE_PII.test(text)) return { text, found: [] };
  const found = new Set<PiiKind>();
  let out = text.replace(PASSWORD, (_m, key: string, sep: string) => {
    found.add('password');
    return `${key}${sep}${LABEL.password}`;
  });
  out = out.replace(CODE, (m, key: string, sep: string, value: string) => {
    // "code 12363" or "code 95188" are phone lines people talk about, not codes.
    if (/^(12363|12315|95188|96110)$/.test(value)) return m;
    found.add('verification_code');
    return `${key}${sep}${LABEL.verification_code}`;
  });
  out = maskWith(out, 'email', EMAIL, found);
  out = maskWith(out, 'id_card', ID_CARD, found);
  out = out.replace(CARD, (m) => {
    const digits = m.replace(/[\s-]/g, '');
    if (digits.length >= 13 && luhnValid(digits)) {
      found.add('bank_card');
      return LABEL.bank_card;
    }
    return m;
  });
  out = maskWith(out, 'phone', MOBILE, found);
  out = maskWith(out, 'phone', LANDLINE, found);
  return { text: out, found: [...found] };
}

export function maskPii(text: string): string {
  return maskPiiDetailed(text).text;
}

/** The secrets (passwords, codes) a message contains: the coach warns about those. */
export function findSecrets(text: string): PiiKind[] {
  return maskPiiDetailed(text).found.filter((k) => k === 'password' || k === 'verification_code');
}

/**
 * Long strings found clean. Stored state keeps the coach's own rendered texts (a prompt waiting
 * for its answer), which are saved again every turn of the conversation and hold figures,
 * dates and hotline numbers that make every pattern run. Only clean strings are remembered,
 * so no personal data is kept here.
 */
const KNOWN_CLEAN = new RecentMap<string, true>(512);
const REMEMBER_FROM = 64;

/** No pattern matches fewer characters ("密码" and three, an email like a@b.cn). */
const SHORTEST_PII = 5;

function maskStored(text: string): string {
  // Ids, stage names and language codes fill stored state: too short to hold anything.
  if (text.length < SHORTEST_PII) return text;
  if (text.length < REMEMBER_FROM) return maskPii(text);
  if (KNOWN_CLEAN.has(text)) return text;
  const masked = maskPii(text);
  if (masked === text) KNOWN_CLEAN.set(text, true);
  return masked;
}

/**
 * Masks every string inside a JSON-like value (state records before they are stored). Copies
 * only what changes: a value without personal data comes back as the same object, so the
 * usual save costs a walk and no allocation. The input is never modified.
 */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskStored(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = maskDeep(v);
      if (m !== v) (out ??= value.slice())[i] = m;
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const k in record) {
      if (!Object.prototype.hasOwnProperty.call(record, k)) continue;
      const v = record[k];
      const m = maskDeep(v);
      if (m !== v) (out ??= { ...record })[k] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}
