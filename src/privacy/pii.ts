/**
 * Personal data that must never reach logs or storage: phone numbers, ID-card numbers, bank-card
 * numbers (Luhn-checked), email addresses, passwords and verification codes. `maskPii` replaces
 * them with a label; `findSecrets` tells the coach when a user typed a password or a code, so it
 * can warn them never to share those — not even with "Alipay staff".
 *
 * The patterns read the NFKC form of the text, so full-width digits, "＠" and "：" are found like
 * their ASCII forms. What comes back is the text as it was given with only the personal parts
 * replaced: the coach's own texts (stored prompts with "，" and "（）") are never rewritten, and
 * what the NLU reads of a message is what the user wrote (the NLU normalises it itself).
 *
 * Not personal data, and left readable: amounts, rates, dates, hotline numbers (95188, 12363) and
 * case or ticket numbers ("工单号 20241208-5531"): they identify a complaint, not a person, and
 * the user needs to see them again in what the coach stored.
 */

import { LRUCache } from 'lru-cache';

export type PiiKind = 'phone' | 'id_card' | 'bank_card' | 'email' | 'password' | 'verification_code';

const KINDS: readonly PiiKind[] = ['phone', 'id_card', 'bank_card', 'email', 'password', 'verification_code'];

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

// ---------------------------------------------------------------------------------------------
// Placeholders. Each pass replaces what it found with private-use characters of the same length
// (one that opens a span, then ones that continue it, per kind), so that later passes never match
// inside an earlier match and every position still maps back to the original text.

const PLACEHOLDER_BASE = 0xe000;
const openOf = (i: number): number => PLACEHOLDER_BASE + i * 2;
const contOf = (i: number): number => PLACEHOLDER_BASE + i * 2 + 1;
const PLACEHOLDER_END = PLACEHOLDER_BASE + KINDS.length * 2;
const PLACEHOLDERS = /[\uE000-\uE00F]/g;

function placeholder(kind: PiiKind, length: number): string {
  const i = KINDS.indexOf(kind);
  return String.fromCharCode(openOf(i)) + String.fromCharCode(contOf(i)).repeat(Math.max(0, length - 1));
}

// ---------------------------------------------------------------------------------------------
// Keyword patterns: a secret after a word that names it.

/** What may stand between a keyword and its value: "is:", "是：", "为", "=", "->", "改成". */
const SEP = String.raw`(?:\s|:|=|->|=>|→|\bis\b|\bare\b|\bwas\b|就是|也是|是|为|為|改成了|改成|改为|改為|设为|設為|设成|设置为|设置成|換成|换成)`;
const SEPS = `((?:${SEP}){0,6})`;
/** An opening quote or bracket before a value is not part of it. */
const OPEN = `(["'“‘「『(\\[]?)`;

const PASSWORD_KEYS =
  String.raw`(?:支付|登录|登陆|登入|登錄|交易|取款|银行卡|銀行卡|动态|動態|网银|網銀)?(?:密码|密碼)|口令|` +
  String.raw`(?<![A-Za-z])(?:pin[码碼]|password|passcode|passphrase|passwd|pwd|pin)(?![A-Za-z])`;
/**
 * A password runs to the next space, comma, semicolon, Chinese character or Chinese punctuation:
 * dots and symbols inside it are part of it, and it may be of any length.
 */
const PASSWORD = new RegExp(
  `(${PASSWORD_KEYS})${SEPS}${OPEN}([^\\s,;\\u3000-\\u303F\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uE000-\\uE00F“”‘’]+)`,
  'gi',
);
/** Sentence punctuation and closing quotes at the end of a password are the sentence's, not its. */
const TRAILING = /[.!?:'"’”)\]}>]+$/;
/**
 * Words that follow "password is" in a sentence about a password, not in one that gives it:
 * "my password is wrong", "the password was stolen". A password that is one of these is not
 * taken for one (such a password would also be guessed first).
 */
const NOT_A_PASSWORD = new Set(
  (
    'a an the my your his her our their this that it its not no none wrong incorrect invalid correct right ' +
    'required needed stolen changed reset leaked hacked compromised expired locked blocked lost forgotten ' +
    'forgot weak strong too very still being been also same different new old ok okay fine safe secure ' +
    'empty blank missing set saved sent shown working accepted rejected long short and or but in on for ' +
    'to now already never always just only what which who how why where when there here correctly ' +
    'manager recovery change please help'
  ).split(' '),
);

const CODE_KEYS_ZH =
  '验证码|驗證碼|校验码|校驗碼|动态码|動態碼|短信码|簡訊碼|确认码|確認碼|安全码|安全碼|认证码|認證碼|' +
  '授权码|授權碼|随机码|隨機碼';
/** Codes that are not secrets: an error code, a postcode, a promotion code. */
const NOT_SECRET_CODES =
  'zip|postal|post|area|country|promo|promotion|coupon|discount|invite|invitation|referral|error|' +
  'status|source|qr|bar|tracking|reference|ref|case|ticket|order|tax|swift|bank|branch|merchant|product|' +
  'reason|response|return';
const CODE_KEYS_EN =
  String.raw`(?<![A-Za-z])(?:otp|2fa|(?:(?:verification|verify|security|confirmation|auth|authentication|` +
  String.raw`sms|text|one[- ]?time|login|access|pin)\s)?(?<!(?:${NOT_SECRET_CODES})\s)code)(?![A-Za-z])`;
/** 4–10 letters or digits, or digits in small groups ("482 913"). */
const CODE = new RegExp(
  `(${CODE_KEYS_ZH}|${CODE_KEYS_EN})${SEPS}${OPEN}(\\d{2,5}(?:[ -]\\d{2,5}){1,3}|[A-Za-z0-9]{4,10})(?![A-Za-z0-9])`,
  'gi',
);
/** Phone lines people talk about: "code 12363" names one, it is not a code. */
const HOTLINES = new Set(['95188', '12363', '12315', '12378', '96110', '12345', '12321', '110110']);

const EMAIL = /[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

// ---------------------------------------------------------------------------------------------
// Numbers. A run is digits in groups with separators between them (space, "-", ".", "(", ")",
// "+", dashes, middle dots; full-width forms are ASCII after NFKC). Groups that together form an
// ID-card, phone or bank-card number in one of the ways people write those numbers are masked.

const RUN = /(?:\+|\(\+?)?\d+[Xx]?(?:[\s\-.()+\u2010-\u2015\u2027\u2212\u00B7\u30FB]{1,3}\d+[Xx]?)*/g;
const GROUP = /\d+[Xx]?/g;

/** The usual ways of writing each number, as group lengths ("3,4,4": 138 1234 5678). */
const ID18_GROUPS = new Set(['18', '6,8,4', '6,4,4,4', '4,4,4,4,2', '6,12', '6,8,3,1', '3,3,4,4,4']);
const ID15_GROUPS = new Set(['15', '6,6,3', '6,9', '4,4,4,3', '3,3,3,3,3']);
const MOBILE_GROUPS = new Set(['11', '3,4,4', '3,8', '4,4,3', '7,4', '3,3,5']);
const LANDLINE_REST = new Set(['7', '8', '3,4', '4,4']);
/** The provinces (first two digits) of resident ID numbers. */
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91'.split(
    ' ',
  ),
);

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An 18-digit resident ID: a province, a real birth date (1800–2099); the last may be X. */
function isId18(s: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(s) || !PROVINCES.has(s.slice(0, 2))) return false;
  const year = Number(s.slice(6, 10));
  return year >= 1800 && year <= 2099 && validDate(year, Number(s.slice(10, 12)), Number(s.slice(12, 14)));
}

/** A 15-digit (first-generation) ID: a province and a real birth date 19YYMMDD. */
function isId15(s: string): boolean {
  if (!/^[1-9]\d{14}$/.test(s) || !PROVINCES.has(s.slice(0, 2))) return false;
  return validDate(1900 + Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)));
}

function isMobile(groups: string[]): boolean {
  let rest = groups;
  // +86 / 0086 / (86): a country code written as a group of its own.
  if (rest.length > 1 && (rest[0] === '86' || rest[0] === '0086')) rest = rest.slice(1);
  const joined = rest.join('');
  if (rest.length === 1) return /^(?:0086|86)?1[3-9]\d{9}$/.test(joined);
  return /^1[3-9]\d{9}$/.test(joined) && MOBILE_GROUPS.has(rest.map((g) => g.length).join(','));
}

/** A landline: an area code 0xx / 0xxx, written apart from the 7–8 digits of the number. */
function isLandline(groups: string[]): boolean {
  const [area, ...rest] = groups;
  return (
    area !== undefined &&
    rest.length > 0 &&
    /^0\d{2,3}$/.test(area) &&
    rest.every((g) => /^\d+$/.test(g)) &&
    LANDLINE_REST.has(rest.map((g) => g.length).join(','))
  );
}

/** A bank card: 13–19 digits passing Luhn, in one piece or in groups of four (or 4-6-5). */
function isCard(groups: string[]): boolean {
  const joined = groups.join('');
  if (!/^\d{13,19}$/.test(joined) || !luhnValid(joined)) return false;
  if (groups.length === 1) return true;
  const lens = groups.map((g) => g.length);
  const last = lens[lens.length - 1] ?? 0;
  if (lens.slice(0, -1).every((l) => l === 4) && last >= 1 && last <= 4) return true;
  const shape = lens.join(',');
  return shape === '4,6,5' || shape === '4,6,4' || shape === '6,13' || shape === '6,12';
}

/**
 * A ticket, case or order number is not personal data; a long one may pass Luhn by chance, so a
 * number right after such a word is read as a whole and never taken for a card (an ID or a phone
 * number written there is still masked).
 */
const TICKET_BEFORE =
  /(?:工单|工單|单号|單號|订单|訂單|编号|編號|受理号|受理號|投诉号|投訴號|投诉单|投訴單|申诉号|申訴號|案件号|案件號|(?<![A-Za-z])(?:case|ticket|order|reference|ref|complaint|claim))\s*[（(]?\s*(?:号|號|no\.?|number|#|id)?\s*(?:是|为|為|:|：|#)?\s*$/i;

function classify(groups: string[], ticket: boolean): PiiKind | undefined {
  const joined = groups.join('');
  const shape = groups.map((g) => g.length).join(',');
  if (joined.length === 18 && ID18_GROUPS.has(shape) && isId18(joined)) return 'id_card';
  if (joined.length === 15 && ID15_GROUPS.has(shape) && isId15(joined)) return 'id_card';
  if (/[Xx]/.test(joined)) return undefined;
  if (isMobile(groups) || isLandline(groups)) return 'phone';
  if (!ticket && isCard(groups)) return 'bank_card';
  return undefined;
}

const SHORTEST_NUMBER = 10;
/** A 19-digit bank card; "0086" and a mobile number make 15, an ID 18. */
const LONGEST_NUMBER = 19;

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Finds the numbers in each run, longest first, and replaces them with placeholders. */
function maskNumbers(text: string, found: Set<PiiKind>): string {
  return text.replace(RUN, (run: string, offset: number) => {
    // Rates, amounts and dates: too few digits for any number masked here (a landline has 10).
    if (run.length < SHORTEST_NUMBER || countDigits(run) < SHORTEST_NUMBER) return run;
    const groups: { text: string; start: number; end: number }[] = [];
    for (const g of run.matchAll(GROUP)) {
      groups.push({ text: g[0], start: g.index, end: g.index + g[0].length });
    }
    let out = '';
    let done = 0;
    const mask = (i: number, j: number, kind: PiiKind): void => {
      // A "+" or "(" opening the run ("+86 …", "(010) …") belongs to a number that starts it,
      // and so does the bracket closing one opened inside it.
      const start = i === 0 ? 0 : (groups[i] as { start: number }).start;
      let end = (groups[j] as { end: number }).end;
      const span = run.slice(start, end);
      if (span.split('(').length > span.split(')').length && run[end] === ')') end++;
      out += run.slice(done, start) + placeholder(kind, end - start);
      done = end;
      found.add(kind);
    };
    let i = 0;
    if (TICKET_BEFORE.test(text.slice(Math.max(0, offset - 16), offset))) {
      // The first word of the run is the ticket number: as a whole it may still be a phone
      // number or an ID, never a card; what follows it is read as usual.
      const space = run.search(/\s/);
      const words = groups.filter((g) => space < 0 || g.end <= space).length;
      const kind = classify(
        groups.slice(0, words).map((g) => g.text),
        true,
      );
      if (kind) mask(0, words - 1, kind);
      i = words;
    }
    while (i < groups.length) {
      // No number masked here is longer than LONGEST_NUMBER digits: the groups a candidate may
      // take end there, so a long run of groups costs linear time.
      let last = i;
      for (let n = groups[i]?.text.length ?? 0; last + 1 < groups.length; last++) {
        n += (groups[last + 1] as { text: string }).text.length;
        if (n > LONGEST_NUMBER) break;
      }
      let j = last;
      let kind: PiiKind | undefined;
      for (; j >= i; j--) {
        kind = classify(
          groups.slice(i, j + 1).map((g) => g.text),
          false,
        );
        if (kind) break;
      }
      if (kind) {
        mask(i, j, kind);
        i = j + 1;
      } else i++;
    }
    return done === 0 ? run : out + run.slice(done);
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * The NFKC form of a text, and for each of its UTF-16 units the range of the original text it
 * came from. Each code point is normalised on its own, so every unit has one origin.
 */
interface Normalised {
  text: string;
  from: number[];
  to: number[];
}

function normalise(text: string): Normalised {
  let out = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    // ASCII and the common CJK ideographs are their own NFKC form.
    const n = cp < 0x80 || (cp >= 0x4e00 && cp <= 0x9fff) ? ch : ch.normalize('NFKC');
    for (let k = 0; k < n.length; k++) {
      from.push(i);
      to.push(i + width);
    }
    out += n;
    i += width;
  }
  return { text: out, from, to };
}

/** The original text with each placeholder span replaced by its kind's label. */
function restore(original: string, masked: string, map: Normalised | undefined): string {
  let out = '';
  let done = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked.charCodeAt(i);
    if (c < PLACEHOLDER_BASE || c >= PLACEHOLDER_END || (c - PLACEHOLDER_BASE) % 2 !== 0) continue;
    const kindIndex = (c - PLACEHOLDER_BASE) / 2;
    let j = i + 1;
    while (j < masked.length && masked.charCodeAt(j) === contOf(kindIndex)) j++;
    const start = map ? (map.from[i] as number) : i;
    const end = map ? (map.to[j - 1] as number) : j;
    out += original.slice(done, Math.max(done, start)) + LABEL[KINDS[kindIndex] as PiiKind];
    done = Math.max(done, end);
    i = j - 1;
  }
  return out + original.slice(done);
}

export interface MaskResult {
  text: string;
  found: PiiKind[];
}

/**
 * What each kind of pattern cannot match without: a pattern runs only on text that has it (most
 * strings in stored state have none). Checked on the NFKC form, so full-width digits count.
 */
const MAYBE_PASSWORD = /密码|密碼|口令|pass|pwd|pin/i;
const MAYBE_CODE = /码|碼|code|otp|2fa/i;
const MAYBE_PII = /[\d@]|密码|密碼|口令|码|碼|pass|pwd|pin/i;

/** A label of an earlier masking ("密码是[password]"): masked text masks to itself. */
const LABEL_AHEAD = new RegExp(
  `["'“‘「『(]?(?:${Object.values(LABEL)
    .map((l) => l.replace(/[[\]-]/g, '\\$&'))
    .join('|')})`,
  'y',
);

function isLabelAt(text: string, index: number): boolean {
  LABEL_AHEAD.lastIndex = index;
  return LABEL_AHEAD.test(text);
}

/** Runs every pattern over NFKC text; what they find becomes placeholders. */
function findAll(normalised: string): { work: string; found: Set<PiiKind> } {
  // Private-use characters typed by the user must not be taken for placeholders.
  let work = normalised.replace(PLACEHOLDERS, '\uFFFD');
  const found = new Set<PiiKind>();

  if (MAYBE_PASSWORD.test(work))
    work = work.replace(
      PASSWORD,
      (m: string, key: string, sep: string, open: string, token: string, offset: number, whole: string) => {
        const value = token.replace(TRAILING, '');
        if (value.length < 3 || isLabelAt(whole, offset + key.length + sep.length)) return m;
        const english = /^[A-Za-z]/.test(key);
        // "password-free": an English keyword is apart from its value.
        if (english && sep === '') return m;
        const lettersOnly = /^[A-Za-z]+$/.test(value);
        if (lettersOnly && NOT_A_PASSWORD.has(value.toLowerCase())) return m;
        // "password manager", "password doesn't work", "pin the message": without "is" or ":" an
        // English word is not a password.
        if (english && sep.trim() === '' && /^[A-Za-z'’-]+$/.test(value)) return m;
        found.add('password');
        return key + sep + open + placeholder('password', value.length) + token.slice(value.length);
      },
    );

  if (MAYBE_CODE.test(work))
    work = work.replace(
      CODE,
      (m: string, key: string, sep: string, open: string, value: string, offset: number, whole: string) => {
        if (isLabelAt(whole, offset + key.length + sep.length)) return m;
        const code = value.replace(/[ -]/g, '');
        if (code.length < 4 || code.length > 10 || HOTLINES.has(code)) return m;
        // "code review", "verification code sent": an English code holds a digit.
        if (!/\d/.test(code) && /^[A-Za-z0-9]/.test(key)) return m;
        found.add('verification_code');
        return key + sep + open + placeholder('verification_code', value.length);
      },
    );

  if (work.includes('@')) {
    work = work.replace(EMAIL, (m) => {
      found.add('email');
      return placeholder('email', m.length);
    });
  }

  return { work: maskNumbers(work, found), found };
}

export function maskPiiDetailed(text: string): MaskResult {
  const whole = text.normalize('NFKC');
  if (!MAYBE_PII.test(whole)) return { text, found: [] };
  let result = findAll(whole);
  if (result.found.size === 0) return { text, found: [] };
  if (whole === text) return { text: restore(text, result.work, undefined), found: [...result.found] };
  // Something to mask in a text NFKC changed: find it again in a form whose every position
  // maps back to the original text (rarely needed, so only built now).
  const map = normalise(text);
  if (map.text !== whole) result = findAll(map.text);
  if (result.found.size === 0) return { text, found: [] };
  return { text: restore(text, result.work, map), found: [...result.found] };
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
const KNOWN_CLEAN = new LRUCache<string, true>({ max: 512 });
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
