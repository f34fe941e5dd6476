/**
 * Numbers as users actually type them, read at one position of a normalised, lower-cased message:
 * Arabic with thousands separators and decimals (120,000 · 0.38), Chinese numerals (一百二十万,
 * 零点六, 十来万, 两万五), finance capitals (壹万贰仟), mixes (1.5万, 2万5, 3千5) and English
 * magnitudes (80k, 1.2w, 1.2 million, 5 thousand, 5 grand), plus English number words
 * (five thousand, a hundred and twenty thousand).
 *
 * This module only reads numbers; whether a number is money, a rate or a count is decided by the
 * entity extractor from the words around it.
 */

/** Chinese digits, everyday and finance-style (大写). 两 is "two" before units (两万). */
const CN_DIGITS: ReadonlyMap<string, number> = new Map([
  ['零', 0],
  ['〇', 0],
  ['一', 1],
  ['壹', 1],
  ['二', 2],
  ['贰', 2],
  ['两', 2],
  ['三', 3],
  ['叁', 3],
  ['四', 4],
  ['肆', 4],
  ['五', 5],
  ['伍', 5],
  ['六', 6],
  ['陆', 6],
  ['七', 7],
  ['柒', 7],
  ['八', 8],
  ['捌', 8],
  ['九', 9],
  ['玖', 9],
]);

const SMALL_UNITS: ReadonlyMap<string, number> = new Map([
  ['十', 10],
  ['拾', 10],
  ['百', 100],
  ['佰', 100],
  ['千', 1000],
  ['仟', 1000],
]);

const BIG_UNITS: ReadonlyMap<string, number> = new Map([
  ['万', 1e4],
  ['亿', 1e8],
]);

/** 十来万, 二十多万, 十几万, 两万多, 一万余: approximate words that keep the base value. */
const APPROX = new Set(['来', '多', '余', '几']);

/**
 * After "两万" a lone digit is shorthand for the next unit down (两万五 = 25000), unless it starts
 * a count or a time ("五万一个月" is 50000 a month, "3万2次" is 30000 twice).
 */
const SHORTHAND_STOP = new Set([...'个年月天日次笔单周号家位名人条间张台岁倍']);

/** Arabic number with optional thousands groups (a group must be exactly three digits). */
const ARABIC_RE = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?/y;

/** English magnitudes after an Arabic number. k/w/m must be glued on; words may follow a space. */
const EN_MAGNITUDE_RE = /(?:(k|w|mn|m|bn)|\s?(thousand|grand|million|billion))(?![a-z])/y;

const EN_MAGNITUDES: ReadonlyMap<string, number> = new Map([
  ['k', 1e3],
  ['thousand', 1e3],
  ['grand', 1e3],
  ['w', 1e4],
  ['m', 1e6],
  ['mn', 1e6],
  ['million', 1e6],
  ['bn', 1e9],
  ['billion', 1e9],
]);

/** m/mn/bn are also metres, minutes and so on: money only if something else says so. */
const WEAK_MAGNITUDES = new Set(['m', 'mn', 'bn']);

type Magnitude = 'none' | 'weak' | 'strong';

export interface ParsedNumber {
  start: number;
  end: number;
  value: number;
  /** The multiplier after the leading number when the number is "N + units" (5万 → 1e4); else 1. */
  scale: number;
  /** strong: 千/万/亿/k/w/thousand/million; weak: m/bn; none: a plain number (百 and 十 are not). */
  magnitude: Magnitude;
  /** Any Chinese numeral character was used. */
  chinese: boolean;
  /** A Chinese unit (十百千万亿) was used, so a Chinese number is not just a stray 一. */
  hasUnit: boolean;
  decimal: boolean;
  /** The Arabic digits as typed when the number is a plain Arabic integer or decimal, else ''. */
  digits: string;
  grouped: boolean;
}

export function isAsciiDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** 0–9 for a Chinese digit character, else undefined. */
export function chineseDigitValue(c: string): number | undefined {
  return CN_DIGITS.get(c);
}

/** A character that can begin a number: Arabic digit, Chinese digit, or 十 (十万 = 100000). */
export function canStartNumber(c: string): boolean {
  return isAsciiDigit(c) || CN_DIGITS.has(c) || c === '十' || c === '拾';
}

/** Any character that belongs to a number (used to see whether a word is glued to one). */
export function isNumeralChar(c: string): boolean {
  return isAsciiDigit(c) || CN_DIGITS.has(c) || SMALL_UNITS.has(c) || BIG_UNITS.has(c);
}

function isUnitChar(c: string): boolean {
  return SMALL_UNITS.has(c) || BIG_UNITS.has(c);
}

/** Fractional digits after 点: Chinese (零点三八) or Arabic (1点5). Returns [fraction, length]. */
function readFraction(s: string, j: number): [number, number] {
  let text = '';
  let k = j;
  while (k < s.length) {
    const c = s.charAt(k);
    const d = CN_DIGITS.get(c);
    if (d !== undefined && c !== '两') text += String(d);
    else if (isAsciiDigit(c)) text += c;
    else break;
    k++;
  }
  return text === '' ? [0, 0] : [Number(`0.${text}`), k - j];
}

/** Mutable state of one number being read; kept in an object so each step can be a small function. */
interface Reader {
  s: string;
  j: number;
  total: number;
  section: number;
  cur: number | null;
  /** Consecutive Chinese digits in `cur` (二零二一 reads as a digit string). */
  run: number;
  lastSmallUnit: number;
  /** Unit consumed just before the current digit, for 两万五 shorthand; 0 when none. */
  shorthandUnit: number;
  /** Value of the last unit read (万 → 1e4). */
  lastUnitValue: number;
  afterUnit: boolean;
  leading: number | null;
  extraDigitsAfterLeading: boolean;
  unitProduct: number;
  magnitude: Magnitude;
  chinese: boolean;
  hasUnit: boolean;
  decimal: boolean;
  digits: string;
  grouped: boolean;
  englishMagnitude: boolean;
}

function newReader(s: string, i: number): Reader {
  return {
    s,
    j: i,
    total: 0,
    section: 0,
    cur: null,
    run: 0,
    lastSmallUnit: 0,
    shorthandUnit: 0,
    lastUnitValue: 0,
    afterUnit: false,
    leading: null,
    extraDigitsAfterLeading: false,
    unitProduct: 1,
    magnitude: 'none',
    chinese: false,
    hasUnit: false,
    decimal: false,
    digits: '',
    grouped: false,
    englishMagnitude: false,
  };
}

/** Remember the first number so "3-5万" can give 3 the same ×10000 as 5. */
function noteDigit(r: Reader, value: number): void {
  if (r.leading === null) r.leading = value;
  else r.extraDigitsAfterLeading = true;
}

/** A digit right after a unit: returns false when it must not be taken (五万一个月). */
function shorthandAllowed(r: Reader, digitEnd: number): boolean {
  if (!r.afterUnit) return true;
  const next = r.s.charAt(digitEnd);
  return !SHORTHAND_STOP.has(next);
}

function readArabic(r: Reader): boolean {
  if (r.cur !== null) return false;
  ARABIC_RE.lastIndex = r.j;
  const m = ARABIC_RE.exec(r.s);
  if (!m) return false;
  const raw = m[0];
  const end = r.j + raw.length;
  if (!shorthandAllowed(r, end)) return false;
  const plain = raw.replace(/,/g, '');
  const value = Number(plain);
  if (r.leading === null) {
    r.digits = plain;
    r.grouped = raw.includes(',');
  }
  noteDigit(r, value);
  r.decimal ||= raw.includes('.');
  // Only a single digit after a unit is shorthand (3千5 = 3500; 5万3000 = 53000).
  r.shorthandUnit = r.afterUnit && /^\d$/.test(raw) ? r.lastUnitValue : 0;
  r.cur = value;
  r.run = 0;
  r.afterUnit = false;
  r.j = end;
  return true;
}

function readChineseDigit(r: Reader, d: number): boolean {
  r.chinese = true;
  if (r.cur === null) {
    if (!shorthandAllowed(r, r.j + 1)) return false;
    r.shorthandUnit = r.afterUnit && d !== 0 ? r.lastUnitValue : 0;
    r.cur = d;
    r.run = 1;
    r.afterUnit = false;
    noteDigit(r, d);
    r.j++;
    return true;
  }
  if (r.run === 0) return false; // an Arabic number followed by a Chinese digit: two numbers
  const next = r.s.charAt(r.j + 1);
  // 三四千, 一两万: a spoken range before a unit; keep the lower (first) value.
  if (r.run === 1 && r.cur >= 1 && (d === r.cur + 1 || (r.cur === 1 && d === 2)) && isUnitChar(next)) {
    r.j++;
    return true;
  }
  // 二零二一 is a digit string and 一百零五 adds after 零; but after 两万五 another digit starts
  // something else (两万五一个月).
  if (r.hasUnit && r.cur !== 0) return false;
  r.cur = r.cur * 10 + d;
  r.run++;
  r.shorthandUnit = 0;
  r.extraDigitsAfterLeading = true;
  r.j++;
  return true;
}

function readPoint(r: Reader): boolean {
  if (r.cur === null || r.decimal) return false;
  const [fraction, length] = readFraction(r.s, r.j + 1);
  if (length === 0) return false; // 一点 without digits is "a little", not a decimal point
  r.cur += fraction;
  r.decimal = true;
  r.shorthandUnit = 0;
  r.j += 1 + length;
  return true;
}

function readSmallUnit(r: Reader, unit: number): boolean {
  const atStart = r.cur === null && r.section === 0 && r.total === 0 && r.leading === null;
  if (r.cur === null && !(unit === 10 && (atStart || r.afterUnit))) return false;
  if (r.lastSmallUnit !== 0 && unit >= r.lastSmallUnit) return false; // 三百千 is not a number
  if (atStart) noteDigit(r, 1);
  r.section += (r.cur ?? 1) * unit;
  afterUnit(r, unit);
  r.lastSmallUnit = unit;
  if (unit === 1000) r.magnitude = 'strong';
  return true;
}

function readBigUnit(r: Reader, unit: number): boolean {
  if (r.cur === null && r.section === 0) return false;
  const head = r.section + (r.cur ?? 0);
  if (unit === 1e8) r.total = (r.total + head) * unit;
  else r.total += head * unit;
  r.section = 0;
  r.lastSmallUnit = 0;
  afterUnit(r, unit);
  r.magnitude = 'strong';
  return true;
}

/** Bookkeeping shared by 十百千 and 万亿; consumes the unit character. */
function afterUnit(r: Reader, unit: number): void {
  r.j++;
  r.cur = null;
  r.run = 0;
  r.afterUnit = true;
  r.lastUnitValue = unit;
  r.hasUnit = true;
  if (!r.extraDigitsAfterLeading) r.unitProduct *= unit;
}

/** 十来万, 两万多, 10多万, 20多块: consumed without changing the value. */
function readApprox(r: Reader, c: string): boolean {
  if (r.cur === null && !r.afterUnit) return false;
  const next = r.s.charAt(r.j + 1);
  if (c === '多' && next === '少') return false; // 多少 = "how much"
  const beforeUnit = isUnitChar(next) || next === '元' || next === '块';
  if (!beforeUnit && !(r.afterUnit && !canStartNumber(next))) return false;
  r.j++;
  return true;
}

function readEnglishMagnitude(r: Reader): boolean {
  if (r.cur === null || r.run !== 0 || r.hasUnit) return false;
  EN_MAGNITUDE_RE.lastIndex = r.j;
  const m = EN_MAGNITUDE_RE.exec(r.s);
  if (!m) return false;
  const word = m[1] ?? m[2] ?? '';
  const mult = EN_MAGNITUDES.get(word);
  if (mult === undefined) return false;
  r.cur *= mult;
  r.unitProduct *= mult;
  r.magnitude = WEAK_MAGNITUDES.has(word) ? 'weak' : 'strong';
  r.englishMagnitude = true;
  r.j += m[0].length;
  return true;
}

/**
 * Everyday words that begin or end with a numeral but mean no number: 一直 ("always"), 一起,
 * 一样, 统一, 唯一, 万一 … ("费率合适的话我会一直用" names no rate of 1%).
 */
const NUMERAL_WORD_AFTER = new Set([
  ...'直起样下定般些切旦边向致律再同块会番味心概贯时口手面方步路共齐连', // 一直, 一起 …
]);
const NUMERAL_WORD_BEFORE = new Set([...'统唯之万同单逐不划专第']); // 统一, 唯一, 第一 …

function inNumeralWord(s: string, i: number): boolean {
  const c = s.charAt(i);
  if (c !== '一') return false;
  const next = s.charAt(i + 1);
  if (NUMERAL_WORD_AFTER.has(next)) return true;
  // 一点 is "a little" unless a digit follows (一点五 is 1.5).
  if (next === '点' && !canStartNumber(s.charAt(i + 2))) return true;
  const before = s.charAt(i - 1);
  // 之一 is "one of", but 千分之一 / 百分之一 are numbers.
  if (before === '之') return s.charAt(i - 2) !== '分';
  return NUMERAL_WORD_BEFORE.has(before);
}

/** One step of the reader; false ends the number. */
function step(r: Reader): boolean {
  if (r.englishMagnitude) return false; // "80k" ends the number
  const c = r.s.charAt(r.j);
  if (isAsciiDigit(c)) return readArabic(r);
  const d = CN_DIGITS.get(c);
  if (d !== undefined) return readChineseDigit(r, d);
  if (c === '点') return readPoint(r);
  const small = SMALL_UNITS.get(c);
  if (small !== undefined) return readSmallUnit(r, small);
  const big = BIG_UNITS.get(c);
  if (big !== undefined) return readBigUnit(r, big);
  if (APPROX.has(c)) return readApprox(r, c);
  return readEnglishMagnitude(r);
}

/**
 * Read the number that starts at `i` of a normalised, lower-cased string, or null when there is
 * none. Linear in the length of the number: every step consumes at least one character.
 */
export function parseNumberAt(s: string, i: number): ParsedNumber | null {
  if (!canStartNumber(s.charAt(i))) return null;
  if (inNumeralWord(s, i)) return null;
  const r = newReader(s, i);
  while (r.j < s.length && step(r)) {
    /* each step advances r.j */
  }
  if (r.leading === null) return null;
  let tail = r.cur ?? 0;
  if (r.cur !== null && r.shorthandUnit >= 100) tail = r.cur * (r.shorthandUnit / 10);
  const value = r.total + r.section + tail;
  const scale = !r.extraDigitsAfterLeading && r.unitProduct > 1 ? r.unitProduct : 1;
  return {
    start: i,
    end: r.j,
    value,
    scale,
    magnitude: r.magnitude,
    chinese: r.chinese,
    hasUnit: r.hasUnit,
    decimal: r.decimal,
    digits: r.chinese || r.hasUnit || r.englishMagnitude ? '' : r.digits,
    grouped: r.grouped,
  };
}

const EN_WORD_VALUES: ReadonlyMap<string, number> = new Map([
  ['a', 1],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
]);

const EN_SCALE_WORDS: ReadonlyMap<string, number> = new Map([
  ['thousand', 1e3],
  ['million', 1e6],
  ['billion', 1e9],
]);

const EN_FIRST = [...EN_WORD_VALUES.keys()].join('|');
const EN_ANY = `${[...EN_WORD_VALUES.keys()].filter((w) => w !== 'a').join('|')}|hundred|thousand|million|billion`;

/**
 * Runs of English number words. Only runs with thousand/million/billion are useful as amounts
 * ("five thousand"); the caller drops the rest. Separators are required between words, so the
 * pattern cannot backtrack badly.
 */
export const EN_NUMBER_WORDS_RE = new RegExp(
  `\\b(?:${EN_FIRST})(?:[\\s-]+(?:and[\\s-]+)?(?:${EN_ANY}))*\\b`,
  'g',
);

/** Value of a run of English number words, with whether it used a scale word. */
export function parseEnglishNumberWords(run: string): { value: number; magnitude: boolean } | null {
  let total = 0;
  let current = 0;
  let magnitude = false;
  let sawNumber = false;
  for (const word of run.split(/[\s-]+/)) {
    const v = EN_WORD_VALUES.get(word);
    const scale = EN_SCALE_WORDS.get(word);
    if (v !== undefined) {
      current += v;
      sawNumber = true;
    } else if (word === 'hundred') {
      current = (current || 1) * 100;
    } else if (scale !== undefined) {
      total += (current || 1) * scale;
      current = 0;
      magnitude = true;
    }
  }
  if (!sawNumber) return null;
  return { value: total + current, magnitude };
}
