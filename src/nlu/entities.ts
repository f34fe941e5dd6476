/**
 * Entity extraction (CONTRACTS section 3): amounts, rates, period, platforms, role, issue and
 * difficulty from one user message, in Chinese (simplified or traditional), English or both.
 *
 * Numbers are read first (chineseNumbers.ts), then each is classified by the words around it:
 * an explicit unit decides (0.6% is a rate, ¥3000 and 5万 are money); a bare number is money only
 * when the clause says so (流水20000, turnover 80000) and a rate only right after a rate word
 * (费率0.38, 降到0.38). Phone numbers, years, article numbers and counts are never amounts.
 * A message that is nothing but a decimal below 10 ("0.45") is a rate: it is what people type
 * when asked for theirs. Keys are absent when the message does not state them.
 */
import type { Issue, Role } from '../knowledge/schema';
import {
  EN_NUMBER_WORDS_RE,
  canStartNumber,
  chineseDigitValue,
  isAsciiDigit,
  isNumeralChar,
  parseEnglishNumberWords,
  parseNumberAt,
  type ParsedNumber,
} from './chineseNumbers';
import * as L from './lexicon/entityLexicon';
import { normalizeText } from '../text/normalize';
import type { Difficulty, Entities, Period, Platform } from './types';

type Kind = 'amount' | 'rate' | 'bare' | 'none';

interface Token {
  num: ParsedNumber;
  /** Where the mention starts, including a prefix such as 千分之. */
  start: number;
  /** 百分之 → 1, 千分之 → 0.1, 万分之 → 0.01; null when there was no such prefix. */
  fraction: number | null;
}

interface Mention extends Token {
  kind: Kind;
  value: number;
  /** The unit factor of a rate (‰ → 0.1), shared with the other end of a range (千分之三到五). */
  rateFactor: number;
  currencyBefore: boolean;
}

/** How far back a cue word may be and still describe a number (one short clause). */
const BEFORE_WINDOW = 20;
const AFTER_WINDOW = 32;

const FRACTION_PREFIXES: ReadonlyMap<string, number> = new Map([
  ['百分之', 1],
  ['千分之', 0.1],
  ['万分之', 0.01],
]);

/* ------------------------------------------------------------------------------------------------
 * Reading numbers
 * ---------------------------------------------------------------------------------------------- */

/** 千六, 千三八, 千6: merchant slang for 千分之六; digits glued to 千 with nothing numeric after. */
const SLANG_PERMILLE =
  /千(\d(?:\.\d{1,2})?|[一二三四五六七八九两][一二三四五六七八九]?)(?![\d.一二三四五六七八九十百千万亿元块个点])/y;

function slangPermilleAt(s: string, i: number): Token | null {
  if (isNumeralChar(s.charAt(i - 1))) return null; // 一千六 is 1600
  SLANG_PERMILLE.lastIndex = i;
  const m = SLANG_PERMILLE.exec(s);
  if (!m) return null;
  const end = i + m[0].length;
  const context =
    L.SLANG_PERMILLE_CONTEXT_BEFORE.test(s.slice(Math.max(0, i - 10), i)) ||
    L.SLANG_PERMILLE_CONTEXT_AFTER.test(s.slice(end, end + 6));
  if (!context) return null;
  const digits = m[1] ?? '';
  let value = Number(digits);
  if (Number.isNaN(value)) {
    const first = chineseDigitValue(digits.charAt(0)) ?? 0;
    const second = chineseDigitValue(digits.charAt(1));
    value = second === undefined ? first : first + second / 10; // 千三八 = 3.8‰
  }
  return { num: syntheticNumber(i + 1, end, value), start: i, fraction: 0.1 };
}

/**
 * 千分之五六 is "five or six per mille": two neighbouring Chinese digits without a unit after a
 * fraction prefix are a range, read as its midpoint (0.55%), not as fifty-six.
 */
function neighbourRange(s: string, num: ParsedNumber): ParsedNumber {
  if (!num.chinese || num.hasUnit || num.end - num.start !== 2) return num;
  const a = chineseDigitValue(s.charAt(num.start));
  const b = chineseDigitValue(s.charAt(num.start + 1));
  if (a === undefined || b !== a + 1) return num;
  return syntheticNumber(num.start, num.end, (a + b) / 2);
}

function syntheticNumber(start: number, end: number, value: number): ParsedNumber {
  return {
    start,
    end,
    value,
    scale: 1,
    magnitude: 'none',
    chinese: true,
    hasUnit: false,
    decimal: false,
    digits: '',
    grouped: false,
  };
}

/** Digits glued to a word (iphone15, v2, 1.2.3) are model names and versions, not quantities. */
function gluedToWord(s: string, i: number): boolean {
  const prev = s.charAt(i - 1);
  if (prev >= 'a' && prev <= 'z') return !L.GLUED_CURRENCY_BEFORE.test(s.slice(Math.max(0, i - 4), i));
  return prev === '.' && isAsciiDigit(s.charAt(i - 2));
}

function skipDigits(s: string, i: number): number {
  let j = i;
  while (j < s.length && (isAsciiDigit(s.charAt(j)) || s.charAt(j) === '.')) j++;
  return j;
}

/** Reads whatever number starts at i into `out`; returns where scanning continues. */
function readTokenAt(s: string, i: number, out: Token[]): number {
  const c = s.charAt(i);
  const fraction = s.charAt(i + 1) === '分' ? FRACTION_PREFIXES.get(s.slice(i, i + 3)) : undefined;
  if (fraction !== undefined) {
    const num = parseNumberAt(s, i + 3);
    if (num) out.push({ num: neighbourRange(s, num), start: i, fraction });
    return num ? num.end : i + 3;
  }
  if (c === '千') {
    const slang = slangPermilleAt(s, i);
    if (slang) out.push(slang);
    return slang ? slang.num.end : i + 1;
  }
  if (!canStartNumber(c)) return i + 1;
  if (isAsciiDigit(c) && gluedToWord(s, i)) return skipDigits(s, i);
  const num = parseNumberAt(s, i);
  if (!num) return i + 1;
  out.push({ num, start: i, fraction: null });
  return num.end;
}

/** "five thousand", "a hundred and twenty thousand yuan": only runs that can be money. */
function englishWordTokens(s: string): Token[] {
  if (!/hundred|thousand|million|billion/.test(s)) return [];
  const out: Token[] = [];
  for (const m of s.matchAll(EN_NUMBER_WORDS_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    const parsed = parseEnglishNumberWords(m[0]);
    if (!parsed) continue;
    if (!parsed.magnitude && !L.CURRENCY_AFTER.test(s.slice(end, end + AFTER_WINDOW))) continue;
    const num = syntheticNumber(start, end, parsed.value);
    num.chinese = false;
    num.hasUnit = true;
    num.magnitude = parsed.magnitude ? 'strong' : 'none';
    out.push({ num, start, fraction: null });
  }
  return out;
}

function scanNumbers(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const next = readTokenAt(s, i, out);
    i = next > i ? next : i + 1; // always advance: the scan is linear
  }
  const words = englishWordTokens(s);
  if (words.length === 0) return out;
  return [...out, ...words].sort((a, b) => a.start - b.start);
}

/* ------------------------------------------------------------------------------------------------
 * Classifying numbers
 * ---------------------------------------------------------------------------------------------- */

/** The text before `start` back to the last clause break, at most BEFORE_WINDOW characters. */
function clauseBefore(s: string, start: number): string {
  const from = Math.max(0, start - BEFORE_WINDOW);
  let cut = from;
  for (let k = start - 1; k >= from; k--) {
    const c = s.charAt(k);
    const sentenceDot = c === '.' && !isAsciiDigit(s.charAt(k + 1));
    if (L.CLAUSE_BREAK_CHARS.has(c) || sentenceDot) {
      cut = k + 1;
      break;
    }
  }
  return s.slice(cut, start);
}

/** Parts of a run like 2024-01-05 or 400-820-1234, counted up to 3 (enough to know it is a code). */
function hyphenParts(s: string, num: ParsedNumber): number {
  let parts = 1;
  let k = num.start;
  while (parts < 3 && s.charAt(k - 1) === '-' && isAsciiDigit(s.charAt(k - 2))) {
    k -= 2;
    while (k > 0 && isAsciiDigit(s.charAt(k - 1))) k--;
    parts++;
  }
  k = num.end;
  while (parts < 3 && s.charAt(k) === '-' && isAsciiDigit(s.charAt(k + 1))) {
    k += 1;
    while (k < s.length && isAsciiDigit(s.charAt(k))) k++;
    parts++;
  }
  return parts;
}

/** Joined to another number by / : or . (dates, times, fractions, versions). */
function joinedToNumber(s: string, num: ParsedNumber): boolean {
  const prev = s.charAt(num.start - 1);
  const next = s.charAt(num.end);
  const prevJoined = (prev === '/' || prev === ':') && isAsciiDigit(s.charAt(num.start - 2));
  const nextJoined = (next === '/' || next === ':' || next === '.') && isAsciiDigit(s.charAt(num.end + 1));
  return prevJoined || nextJoined || hyphenParts(s, num) >= 3;
}

/** A phone number, hotline, ID or code written as plain digits. */
function looksLikeCode(digits: string, grouped: boolean): boolean {
  if (digits === '' || grouped) return false;
  if (L.SERVICE_NUMBERS.has(digits)) return true;
  if (/^1[3-9]\d{9}$/.test(digits)) return true; // mainland mobile
  if (/^0\d/.test(digits)) return true; // 0571…, 01, 007
  return !digits.includes('.') && digits.length >= 9;
}

function looksLikeYear(s: string, num: ParsedNumber): boolean {
  if (!/^(?:19|20)\d\d$/.test(num.digits)) return false;
  return L.YEAR_CUE_BEFORE.test(s.slice(Math.max(0, num.start - 8), num.start));
}

/** A bare number that can never be money or a rate: count, ordinal, phone, year, date. */
function blockedBare(s: string, num: ParsedNumber, before: string, after: string): boolean {
  if (L.COUNT_AFTER.test(after)) return true;
  if (L.ORDINAL_BEFORE.test(s.slice(Math.max(0, num.start - 10), num.start))) return true;
  if (L.PHONE_CUE_BEFORE.test(before)) return true;
  if (looksLikeCode(num.digits, num.grouped) || looksLikeYear(s, num)) return true;
  return joinedToNumber(s, num);
}

/** 费率0.006 means 0.6%: a fraction below 0.05 after a rate word is a ratio, not a percent. */
function percentFromBare(num: ParsedNumber): number {
  return num.decimal && num.value > 0 && num.value < 0.05 ? num.value * 100 : num.value;
}

function mention(token: Token, kind: Kind, value: number, rateFactor = 1, currencyBefore = false): Mention {
  // Built field by field (not spread) so every mention has one hidden class: hot on long inputs.
  return {
    num: token.num,
    start: token.start,
    fraction: token.fraction,
    kind,
    value,
    rateFactor,
    currencyBefore,
  };
}

/** A unit written after the number: %, ‰, bp, 个点, 元, 块, yuan. */
function byUnit(token: Token, after: string): Mention | null {
  const { num } = token;
  if (L.PERCENT_AFTER.test(after)) return mention(token, 'rate', num.value, 1);
  if (num.decimal && !num.chinese && L.BARE_POINT_AFTER.test(after))
    return mention(token, 'rate', num.value, 1);
  if (L.PERMILLE_AFTER.test(after)) return mention(token, 'rate', num.value / 10, 0.1);
  if (L.BASIS_POINTS_AFTER.test(after)) return mention(token, 'rate', num.value / 100, 0.01);
  return null;
}

/** Whether the clause around a bare number says it is money. */
function moneyContext(num: ParsedNumber, before: string, after: string): boolean {
  if (num.chinese && !num.hasUnit) return false; // 流水一直…: a stray 一 is not an amount
  if (num.value < 1) return false;
  if (L.MONEY_CUE_BEFORE.test(before) || L.MONEY_CUE_AFTER.test(after)) return true;
  // 每个月3000, 30000 a month: a period makes a sizeable number money, but not "3 a month".
  return num.value >= 100 && (L.PERIOD_CUE_BEFORE.test(before) || L.PERIOD_CUE_AFTER.test(after));
}

function classifyBare(s: string, token: Token, before: string, after: string): Mention {
  const { num } = token;
  if (blockedBare(s, num, before, after)) return mention(token, 'none', num.value);
  if (num.magnitude === 'none' && num.value < 5) {
    if (L.RATE_CUE_BEFORE.test(before)) return mention(token, 'rate', percentFromBare(num));
    if (num.decimal && (L.FEE_CUE_BEFORE.test(before) || L.OFFER_CUE_BEFORE.test(before)))
      return mention(token, 'rate', percentFromBare(num));
  }
  if (moneyContext(num, before, after)) return mention(token, 'amount', num.value);
  return mention(token, 'bare', num.value);
}

function classify(s: string, token: Token): Mention {
  const { num } = token;
  const after = s.slice(num.end, num.end + AFTER_WINDOW);
  if (token.fraction !== null) return mention(token, 'rate', num.value * token.fraction, token.fraction);
  const unit = byUnit(token, after);
  if (unit) return unit;
  const currencyBefore = L.CURRENCY_BEFORE.test(s.slice(Math.max(0, token.start - 8), token.start));
  if (currencyBefore || L.CURRENCY_AFTER.test(after)) {
    return mention(token, 'amount', num.value, 1, currencyBefore);
  }
  if (num.magnitude === 'strong') {
    return L.COUNT_AFTER.test(after)
      ? mention(token, 'none', num.value)
      : mention(token, 'amount', num.value);
  }
  return classifyBare(s, token, clauseBefore(s, token.start), after);
}

/**
 * Ranges and changes share their unit: 3-5万 → 30000, 50000; 0.38到0.6% → both rates;
 * 千分之三到五 → 0.3, 0.5; rate from 0.6 to 0.38; ¥3000-5000.
 */
function linkRanges(s: string, mentions: Mention[]): void {
  for (let k = 0; k + 1 < mentions.length; k++) {
    const a = mentions[k];
    const b = mentions[k + 1];
    if (!a || !b || !L.CONNECTOR.test(s.slice(a.num.end, b.start))) continue;
    if (a.kind === 'bare') inheritBackward(a, b);
    else if (b.kind === 'bare') inheritForward(a, b);
    else if (a.kind === 'amount' && b.kind === 'amount') shareScale(a, b);
  }
}

function inheritBackward(a: Mention, b: Mention): void {
  if (b.kind === 'amount') {
    a.kind = 'amount';
    a.value = a.num.magnitude === 'none' ? a.num.value * b.num.scale : a.num.value;
  } else if (b.kind === 'rate') {
    a.kind = 'rate';
    a.value = a.num.value * b.rateFactor;
    a.rateFactor = b.rateFactor;
  }
}

/**
 * 流水6-8万: the 6 was already money (流水 says so) but still needs the 万 of the range's other
 * end. Only when 6 is the same order as 8, so 流水20000到3万 keeps 20000.
 */
function shareScale(a: Mention, b: Mention): void {
  if (a.num.magnitude !== 'none' || a.currencyBefore || b.num.scale <= 1) return;
  const lead = b.num.value / b.num.scale;
  if (a.num.value >= lead / 10 && a.num.value < lead * 10) a.value = a.num.value * b.num.scale;
}

function inheritForward(a: Mention, b: Mention): void {
  if (a.kind === 'rate' && b.num.value < 100) {
    b.kind = 'rate';
    b.value = b.num.value * a.rateFactor;
    b.rateFactor = a.rateFactor;
  } else if (a.kind === 'amount' && a.currencyBefore) {
    b.kind = 'amount';
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function numbersOf(mentions: Mention[], kind: Kind, decimals: number): number[] {
  return mentions
    .filter((m) => m.kind === kind && Number.isFinite(m.value) && m.value >= 0)
    .map((m) => round(m.value, decimals))
    .filter((v) => Number.isFinite(v));
}

function extractNumbers(s: string): { amounts: number[]; rates: number[] } {
  const mentions = scanNumbers(s).map((token) => classify(s, token));
  linkRanges(s, mentions);
  return { amounts: numbersOf(mentions, 'amount', 2), rates: numbersOf(mentions, 'rate', 4) };
}

/* ------------------------------------------------------------------------------------------------
 * Keyword entities
 * ---------------------------------------------------------------------------------------------- */

/** The value whose pattern matches earliest in the text ("the first one stated wins"). */
function firstStated<T>(s: string, patterns: readonly (readonly [T, RegExp])[]): T | undefined {
  let best: T | undefined;
  let bestIndex = Infinity;
  for (const [value, re] of patterns) {
    const index = s.search(re);
    if (index >= 0 && index < bestIndex) {
      best = value;
      bestIndex = index;
    }
  }
  return best;
}

function extractPlatforms(s: string): Platform[] {
  const found: { platform: Platform; index: number }[] = [];
  for (const [platform, re] of L.PLATFORM_PATTERNS) {
    const index = s.search(re);
    if (index >= 0) found.push({ platform, index });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.platform);
}

/** Weighted vote; a tie (or nothing) means the role is not clear, so it is left out. */
function extractRole(s: string): Role | undefined {
  let merchant = 0;
  let consumer = 0;
  for (const [role, weight, re] of L.ROLE_PATTERNS) {
    if (!re.test(s)) continue;
    if (role === 'merchant') merchant += weight;
    else consumer += weight;
  }
  if (merchant > consumer) return 'merchant';
  if (consumer > merchant) return 'consumer';
  return undefined;
}

function extractIssue(s: string, rates: number[]): Issue | undefined {
  // A fee-sized rate with no other topic word is still about fees (0.6%太高了); a share such as
  // 60%的顾客 is not.
  const feeSized = rates.some((r) => r <= 5);
  return firstStated(s, L.ISSUE_PATTERNS) ?? (feeSized ? 'fees' : undefined);
}

function extractDifficulty(s: string): Difficulty | undefined {
  let best: Difficulty | undefined;
  let bestIndex = Infinity;
  for (const re of L.DIFFICULTY_PATTERNS) {
    const m = re.exec(s);
    const level = m?.[1] === undefined ? undefined : L.difficultyOfWord(m[1]);
    if (m && level && m.index < bestIndex) {
      best = level;
      bestIndex = m.index;
    }
  }
  if (best) return best;
  const alone = L.DIFFICULTY_ALONE.exec(s.replace(/[\s!?.,;:。！？、~…'"“”‘’()（）]/g, ''));
  return alone?.[1] === undefined ? undefined : L.difficultyOfWord(alone[1]);
}

function extractPeriod(s: string): Period | undefined {
  return firstStated(s, L.PERIOD_PATTERNS);
}

/* ------------------------------------------------------------------------------------------------
 * Entry point
 * ---------------------------------------------------------------------------------------------- */

/** A message that is only a decimal figure below 10 ("0.45", ".6"): what people type for their rate. */
const BARE_RATE = /^(?:\d?\.\d+|\d\.\d*)$/;

function extract(text: string): Entities {
  // 0,6% · 12,5%: a comma before one or two digits and a percent sign is a decimal comma.
  const s = normalizeText(text)
    .toLowerCase()
    .replace(/(\d),(\d{1,2})(?=\s*(?:%|‰|个点|percent|per cent))/g, '$1.$2');
  if (s === '') return {};
  const out: Entities = {};
  if (BARE_RATE.test(s) && Number(s) < 10) {
    out.rates = [round(Number(s), 4)];
    out.issue = 'fees';
    return out;
  }
  const { amounts, rates } = extractNumbers(s);
  if (amounts.length > 0) out.amounts = amounts;
  if (rates.length > 0) out.rates = rates;
  const period = extractPeriod(s);
  if (period) out.period = period;
  const platforms = extractPlatforms(s);
  if (platforms.length > 0) out.platforms = platforms;
  const role = extractRole(s);
  if (role) out.role = role;
  const issue = extractIssue(s, rates);
  if (issue) out.issue = issue;
  const difficulty = extractDifficulty(s);
  if (difficulty) out.difficulty = difficulty;
  return out;
}

/**
 * Entities stated in one message; keys are absent when not stated (`extractEntities("你好")` is
 * `{}`). Never throws: any input, however broken, yields an object.
 */
export function extractEntities(text: string): Entities {
  if (typeof text !== 'string' || text.length === 0) return {};
  try {
    return extract(text);
  } catch {
    // Last line of defence for a chatbot that must answer every line; the scanners are written
    // not to throw, so reaching this is a bug, but a missing entity beats a crashed turn.
    return {};
  }
}
