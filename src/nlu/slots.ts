/**
 * Slot answers: what people type when the coach has asked for one value — their rate, their
 * monthly volume, an amount, or whether they are a merchant — read as that value. Unlike
 * `extractEntities`, which reads figures out of free text and never guesses, the reader knows
 * which value was asked for, so a bare "0.45" is a rate, "八千多" is money, "一天两三千" is a
 * daily figure to turn into a monthly one and "不知道" is an answer too. Every conversion or
 * guess is said in `note`, for the coach to confirm with the user.
 *
 * Written from knowledge/nlu/acts/slots-train.yaml; measured on test/nlu/dev/slots-heldout.yaml.
 */
import type { Lang } from '../knowledge/schema';
import {
  chineseDigitValue,
  EN_NUMBER_WORDS_RE,
  parseEnglishNumberWords,
  parseNumberAt,
  type ParsedNumber,
} from './chineseNumbers';
import { normalizeText } from '../text/normalize';

export type SlotName = 'rate' | 'monthly_volume' | 'amount' | 'role';

export interface SlotAnswer {
  /** Rate in percent (0.6 for 0.6%), CNY (per month for monthly_volume), or merchant | consumer | both. */
  value?: number | string;
  /** The user does not know the value or will not say it. */
  unknown?: boolean;
  /** The message asks something new or changes the subject (with or without a value). */
  newQuestion?: boolean;
  /** How the value was read, when it was not read as written: conversions, ranges, guesses. */
  note?: string;
}

/** CNY per US dollar for a figure given in dollars (said in the note: confirm with the user). */
const CNY_PER_USD = 7.2;

/* ------------------------------------------------------------------------------------------------
 * Shared cues
 * ---------------------------------------------------------------------------------------------- */

const UNKNOWN =
  /不知道|不晓得|没概念|搞不清|不告诉|ask my|not telling|won'?t say|不清楚|不太清楚|忘了|忘记|不记得|记不清|记不得|没看过|没注意|没留意|说不准|说不好|不确定|不方便说|不想说|保密|查不到|看不到|找不到|还没开业|没开业|没开张|时多时少|no idea|dunno|don'?t know|do not know|not sure|can'?t remember|cannot remember|no clue|never checked|rather not|prefer not|\bskip\b|look it up|it varies|varies a lot|it depends|haven'?t opened|not open yet|idk|whatever'?s in/;
/** A magnitude without a figure: ask for a number. */
const VAGUE = /几[十百千万]|[六七八]位数|six figures|five figures|a few (?:hundred|thousand)/;
const QUESTION_WORD =
  /怎么|怎样|如何|哪里|哪儿|在哪|为什么|为啥|干嘛|啥|什么|吗|多少|是不是|有没有|算高|区别|有关系|\bhow\b|\bwhat\b|\bwhy\b|\bwhere\b|\bwhich\b|is that|is it|does it|do you|do i|can we talk|should i|is there|enough to/;
const CHANGE_SUBJECT =
  /算了|不说这个|换个话题|我想问|想先问|先问问|never mind|nevermind|forget the|instead\b|the real problem/;
/** An echo of the prompt ("月流水？六位数吧") is not a new question. */
const ECHO = /^(?:月流水|流水|费率|金额|rate|volume)[?？]/;

/** "不记得多少", "not sure how much": the question word belongs to the "I don't know". */
const UNKNOWN_HOW_MUCH =
  /(?:记不清|不记得|不知道|不清楚|没)[^，,。?？]{0,4}多少|(?:not sure|don'?t know|no idea) how much/g;
/** "大家不都是这个吗": a rhetorical question. */
const RHETORICAL = /不都是[^，,。]*[吗嘛]|不就是[^，,。]*[吗嘛]/g;

function isNewQuestion(s: string): boolean {
  // Asking to skip the prompt is declining to answer, not a new question.
  if (ECHO.test(s) || /\bskip\b|跳过/.test(s)) return false;
  const t = s.replace(UNKNOWN_HOW_MUCH, '').replace(RHETORICAL, '');
  if (QUESTION_WORD.test(t) || CHANGE_SUBJECT.test(t)) return true;
  // Words ending in a question mark ("提现还要收手续费？"); a figure with one is only unsure ("6个点？").
  const words = t.replace(/[\d.,%‰\s?？]|个点|千分之|百分之|万|千|k\b|w\b/g, '');
  return /[?？]\s*$/.test(t) && [...words].length >= 3;
}

/* ------------------------------------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------------------------------- */

const EN_DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};
const EN_SMALL: Record<string, number> = {
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
};

/** Normalised text with decimal commas, spoken decimals and number words turned into digits. */
function prepare(text: string): string {
  let s = normalizeText(text).toLowerCase();
  // 0,38 · 0,6% · 12,5%: a comma before one or two digits is a decimal comma (grouping takes three).
  s = s.replace(/(\d),(\d{1,2})(?!\d)/g, '$1.$2');
  // zero point six · point five five
  s = s.replace(
    /(?:\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\s+)?\bpoint((?:\s+(?:zero|oh|one|two|three|four|five|six|seven|eight|nine))+)/g,
    (_, whole: string | undefined, digits: string) =>
      `${whole ? EN_DIGIT_WORDS[whole] : '0'}.${digits
        .trim()
        .split(/\s+/)
        .map((w) => EN_DIGIT_WORDS[w])
        .join('')}`,
  );
  // .5% → 0.5%
  s = s.replace(/(^|[\s(~约])\.(\d)/g, '$10.$2');
  s = s.replace(/\bsix tenths of a percent\b/g, '0.6%').replace(/\bhalf (?:a )?percent\b/g, '0.5%');
  s = s.replace(/\bone percent\b/g, '1%').replace(/\bhalf a million\b/g, '500000');
  s = s.replace(/\ba (thousand|hundred|million)\b/g, 'one $1');
  s = s.replace(
    /\b(ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty) (grand|k)\b/g,
    (_, w: string, u: string) => `${EN_SMALL[w]} ${u}`,
  );
  // fifteen thousand · three hundred thousand · 3 thousand 5 hundred
  s = s.replace(/\b(\d+) thousand (\d+) hundred\b/g, (_, a: string, b: string) =>
    String(Number(a) * 1000 + Number(b) * 100),
  );
  s = s.replace(EN_NUMBER_WORDS_RE, (run) => {
    const parsed = parseEnglishNumberWords(run);
    return parsed && (parsed.magnitude || parsed.value >= 10) ? String(parsed.value) : run;
  });
  // 5个w · 两个w: 个 between a figure and its unit; w after a Chinese digit is 万.
  s = s.replace(/([\d一二两三四五六七八九十])个(w|万)/g, '$1$2');
  s = s.replace(/([一二两三四五六七八九十])w/g, '$1万');
  return s;
}

interface Figure {
  value: number;
  start: number;
  end: number;
  num: ParsedNumber;
}

function isDigitLike(c: string): boolean {
  return /[\d.一二两三四五六七八九十百千万零〇壹贰叁肆伍陆柒捌玖拾佰仟]/.test(c);
}

/** Every number in the prepared text, in order. */
function figures(s: string): Figure[] {
  const out: Figure[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    // A figure glued to letters before it (v2, h5) is not a figure; $ and ¥ are fine.
    if (isDigitLike(c) && !(i > 0 && /[a-z]/.test(s.charAt(i - 1)) && /\d/.test(c))) {
      const num = parseNumberAt(s, i);
      if (num && num.end > i) {
        out.push({ value: num.value, start: num.start, end: num.end, num });
        i = num.end;
        continue;
      }
    }
    i++;
  }
  return out;
}

const CN_UNIT: Record<string, number> = {
  十: 10,
  百: 100,
  千: 1000,
  万: 1e4,
  十万: 1e5,
  百万: 1e6,
  千万: 1e7,
};

/** 两三千 · 七八十万 · 四五百 · 三四万: two neighbouring digits and a unit, read as the midpoint. */
const CN_RANGE = /([一二两三四五六七八九])([二三四五六七八九])(十万|百万|千万|十|百|千|万)/;
/** 3-4k · 50-60k · 3到5万 · between 0.5 and 0.6 */
const AR_RANGE =
  /(?:between\s+)?(\d+(?:\.\d+)?)\s*(?:-|~|～|到|至|to|and)\s*(\d+(?:\.\d+)?)\s*(k|w|万|千|thousand)?/;
const UNIT_SCALE: Record<string, number> = { k: 1e3, w: 1e4, 万: 1e4, 千: 1e3, thousand: 1e3 };

function cnRange(s: string): { value: number; index: number } | undefined {
  const m = CN_RANGE.exec(s);
  if (!m) return undefined;
  const a = chineseDigitValue(m[1] as string) as number;
  const b = chineseDigitValue(m[2] as string) as number;
  if (b !== a + 1) return undefined;
  return { value: ((a + b) / 2) * (CN_UNIT[m[3] as string] as number), index: m.index };
}

/* ------------------------------------------------------------------------------------------------
 * Rate
 * ---------------------------------------------------------------------------------------------- */

interface RateCandidate {
  value: number;
  start: number;
  end: number;
  note?: string;
}

/** A rate's unit right after it: [factor to percent, pattern]. */
const RATE_UNITS: [number, RegExp][] = [
  [1, /^\s*(?:%|个点|个百分点|点(?![\d一二三四五六七八九])|pct|percent|per ?cent)/],
  [0.1, /^\s*(?:‰|per ?mille|permille|in a thousand|in 1000|\/1000|厘|釐)/],
  [0.01, /^\s*(?:bp|bps|basis points?\b|个基点|基点)/],
];

/** Words before or after a figure that make it some other fee or an old or future rate. */
const OTHER_BEFORE =
  /提现|withdraw|信用卡|credit card|微信|wechat|以前|原来|之前|过去|上次|was\b|used to|\bold\b|下个月|next month|恢复|after the promo|after the promotion|promo ends|外卡/;
const OTHER_AFTER = /^[^\d,，。;；]{0,12}(?:on credit cards?|on withdrawals?|for withdrawals?|提现|withdraw)/;
const NOW_BEFORE = /现在|now\b|currently|涨到|降到|变成|调到|支付宝|alipay|合同上|contract/;

function rateCandidates(s: string): RateCandidate[] {
  const out: RateCandidate[] = [];
  const taken: [number, number][] = [];
  const add = (c: RateCandidate): void => {
    if (taken.some(([a, b]) => c.start < b && c.end > a)) return;
    taken.push([c.start, c.end]);
    out.push(c);
  };
  // 千分之五到六 · 千分之3-5: a range after a fraction prefix.
  for (const m of s.matchAll(
    /(百分之|千分之|万分之)([\d.]+|[一二两三四五六七八九])\s*(?:到|至|-|~)\s*([\d.]+|[一二两三四五六七八九])/g,
  )) {
    const read = (x: string): number => (/\d/.test(x) ? Number(x) : (chineseDigitValue(x) as number));
    const a = read(m[2] as string);
    const b = read(m[3] as string);
    if (!(a < b)) continue;
    const factor = m[1] === '百分之' ? 1 : m[1] === '千分之' ? 0.1 : 0.01;
    add({
      value: ((a + b) / 2) * factor,
      start: m.index,
      end: m.index + m[0].length,
      note: `range ${round(a * factor, 4)}–${round(b * factor, 4)}%, read as the midpoint: confirm`,
    });
  }
  // 千分之五六: neighbouring digits after a fraction prefix are a range.
  for (const m of s.matchAll(
    /(百分之|千分之|万分之)([一二两三四五六七八九])([二三四五六七八九])(?![点.\d十百千])/g,
  )) {
    const a = chineseDigitValue(m[2] as string) as number;
    const b = chineseDigitValue(m[3] as string) as number;
    if (b !== a + 1) continue;
    const factor = m[1] === '百分之' ? 1 : m[1] === '千分之' ? 0.1 : 0.01;
    add({
      value: ((a + b) / 2) * factor,
      start: m.index,
      end: m.index + m[0].length,
      note: `range ${m[1]}${a}到${b}, read as the midpoint: confirm`,
    });
  }
  for (const m of s.matchAll(/(百分之|千分之|万分之)/g)) {
    const num = parseNumberAt(s, m.index + 3);
    if (!num) continue;
    const factor = m[1] === '百分之' ? 1 : m[1] === '千分之' ? 0.1 : 0.01;
    add({ value: num.value * factor, start: m.index, end: num.end });
  }
  // 千6 · 千三八: merchant shorthand for 千分之.
  for (const m of s.matchAll(
    /(?<![\d一二两三四五六七八九十百])千(\d(?:\.\d+)?|[一二三四五六七八九][一二三四五六七八九]?)(?![\d万元块])/g,
  )) {
    const d = m[1] as string;
    const value = /\d/.test(d)
      ? Number(d)
      : (chineseDigitValue(d.charAt(0)) ?? 0) +
        (d.length > 1 ? (chineseDigitValue(d.charAt(1)) ?? 0) / 10 : 0);
    add({
      value: value / 10,
      start: m.index,
      end: m.index + m[0].length,
      note: '千N is shorthand for 千分之N',
    });
  }
  for (const f of figures(s)) {
    const after = s.slice(f.end, f.end + 16);
    let unit: number | undefined;
    for (const [factor, re] of RATE_UNITS) {
      if (re.test(after)) {
        unit = factor;
        break;
      }
    }
    if (unit !== undefined) {
      const c: RateCandidate = { value: f.value * unit, start: f.start, end: f.end };
      if (unit === 0.1 && /^\s*(?:厘|釐)/.test(after)) c.note = '1厘 = 0.1%';
      add(c);
      continue;
    }
    // A bare figure in a rate answer: a fraction (0.006), a percent (0.6), or shorthand.
    if (f.num.magnitude !== 'none' || /^\s*(?:元|块|rmb|yuan|万|k\b)/.test(after)) continue;
    const v = f.value;
    if (f.num.decimal && v > 0 && v < 0.05)
      add({ value: v * 100, start: f.start, end: f.end, note: 'written as a fraction' });
    else if (f.num.decimal && v < 10) add({ value: v, start: f.start, end: f.end });
    else if (
      !f.num.decimal &&
      Number.isInteger(v) &&
      v >= 1 &&
      v <= 9 &&
      f.num.chinese === false &&
      f.end - f.start === 1
    )
      add({
        value: v / 10,
        start: f.start,
        end: f.end,
        note: `bare ${v} read as 千分之${v} (${v / 10}%): confirm`,
      });
    else if (f.num.chinese && !f.num.hasUnit && v >= 1 && v <= 9)
      add({
        value: v / 10,
        start: f.start,
        end: f.end,
        note: `bare ${v} read as 千分之${v} (${v / 10}%): confirm`,
      });
    else if (f.num.chinese && !f.num.hasUnit && v >= 11 && v <= 99 && f.end - f.start === 2)
      add({
        value: v / 100,
        start: f.start,
        end: f.end,
        note: `${v} read as 千分之${v / 10} (${v / 100}%): confirm`,
      });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** 一百块扣六毛 · 一万块扣60 · 6 yuan per 1000 · 600 a month on 100k: a fee on a base. */
function rateFromRatio(s: string): RateCandidate | undefined {
  if (!/扣|收|抽|take|takes|pay|charge|per\b|on every|on\s+\d/.test(s)) return undefined;
  const figs = figures(s).filter((f) => f.value > 0);
  if (figs.length !== 2) return undefined;
  const [a, b] = figs as [Figure, Figure];
  const valueOf = (f: Figure): number => (/^\s*毛/.test(s.slice(f.end, f.end + 2)) ? f.value / 10 : f.value);
  const base = Math.max(valueOf(a), valueOf(b));
  const fee = Math.min(valueOf(a), valueOf(b));
  if (!/^10+$/.test(String(base)) || base < 100) return undefined;
  const value = (fee / base) * 100;
  if (value <= 0 || value >= 10) return undefined;
  return { value, start: a.start, end: b.end, note: `${fee} on ${base}` };
}

function readRate(s: string): { value?: number; note?: string } {
  if (/标准|standard rate|the standard/.test(s) && !/\d/.test(s)) {
    return { value: 0.6, note: 'the standard QR-code merchant rate is 0.6%: confirm' };
  }
  if (/^(?:zero|零|0)\b|免费|没收过|don'?t charge|no fee/.test(s) && !/\d\.\d|[1-9]/.test(s)) {
    return { value: 0, note: 'says no fee is charged' };
  }
  const ratio = rateFromRatio(s);
  if (ratio) return { value: round(ratio.value, 4), note: ratio.note };
  const range = AR_RANGE.exec(s);
  if (range && /between|到|至|-|~/.test(range[0]) && !range[3]) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a < 10 && b < 10 && a < b)
      return { value: round((a + b) / 2, 4), note: `range ${a}–${b}, read as the midpoint: confirm` };
  }
  const candidates = rateCandidates(s);
  if (candidates.length === 0) return {};
  const scored = candidates.map((c, i) => {
    const from = Math.max(i > 0 ? (candidates[i - 1] as RateCandidate).end : 0, c.start - 14);
    const before = s.slice(from, c.start);
    const after = s.slice(c.end, c.end + 20);
    return { c, other: OTHER_BEFORE.test(before) || OTHER_AFTER.test(after), now: NOW_BEFORE.test(before) };
  });
  // "6个点？不对是0.6个点": after a correction the last figure stands.
  const corrected = /不对|不是|说错|打错|i mean|i meant|sorry|correction|actually/.test(s);
  const last = scored[scored.length - 1] as (typeof scored)[number];
  const pick = corrected
    ? last
    : (scored.find((x) => x.now && !x.other) ?? scored.find((x) => !x.other) ?? last);
  const out: { value?: number; note?: string } = { value: round(pick.c.value, 4) };
  const notes: string[] = [];
  if (pick.c.note) notes.push(pick.c.note);
  if (candidates.length > 1) {
    notes.push(
      corrected
        ? 'corrected: the last figure given'
        : `${candidates.length} figures given; read the current Alipay rate`,
    );
  }
  if (
    /something|\d\s*多/.test(s) &&
    pick.c.value < 10 &&
    out.value !== undefined &&
    Number.isInteger(out.value * 10)
  ) {
    out.value = round(out.value + 0.05, 4);
    notes.push(
      `"${pick.c.value} something": between ${pick.c.value} and ${round(pick.c.value + 0.1, 2)}: confirm`,
    );
  }
  if ((out.value ?? 0) > 1.5)
    notes.push(`${out.value}% is far above a normal merchant QR rate (0.38–0.6%): confirm`);
  if (notes.length) out.note = notes.join('; ');
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * Money: monthly volume and amounts
 * ---------------------------------------------------------------------------------------------- */

const DAILY = /一天|每天|日均|每日|天天|日流水|日营业|日收入|\ba day\b|per day|daily|\/day|早餐店/;
const WEEKLY = /一周|每周|一星期|每星期|周流水|\ba week\b|per week|weekly|\/week/;
const HALF_YEAR = /半年|half a year|six months|6 months/;
const YEARLY =
  /一年|每年|年流水|年营业|年收入|年销售|去年|全年|\ba year\b|per year|annual|yearly|last year|\/year/;
const UPPER = /不到|少于|不足|以内|以下|less than|under\b|below|at most|\bmax\b/;
const LOWER = /多(?!少)|出头|以上|来(?:块|万|个)?|just over|over\b|more than|at least|\+/;
const APPROX =
  /左右|大概|大约|约|差不多|估计|around|about|roughly|approx|like\b|-ish|ish\b|give or take|maybe|i'?d guess/;
const USD = /\$|usd|dollars?|美元|美金|刀/;

interface Money {
  value: number;
  start: number;
  end: number;
}

function moneyFigures(s: string): Money[] {
  const out: Money[] = [];
  for (const f of figures(s)) {
    const after = s.slice(f.end, f.end + 12);
    // Counts, dates and percentages are not money.
    if (
      /^\s*(?:%|‰|个点|次|笔|单|orders?\b|天|days?\b|号|月|个月|months?\b|年|years?\b|周|星期|weeks?\b|半|位数|家|个人)/.test(
        after,
      )
    ) {
      continue;
    }
    // 3点 is a time; 三万多点 is "a little over 30k".
    if (/^点/.test(after) && !/多$/.test(s.slice(f.start, f.end))) continue;
    if (f.num.decimal && f.value < 10 && f.num.magnitude === 'none') continue;
    out.push({ value: f.value, start: f.start, end: f.end });
  }
  return out;
}

function readMoney(s: string, monthly: boolean): { value?: number; note?: string } {
  const notes: string[] = [];
  let value: number | undefined;
  let at = 0;
  const range = cnRange(s);
  const arRange = AR_RANGE.exec(s);
  const all = moneyFigures(s);
  if (range) {
    value = range.value;
    at = range.index;
    notes.push('a range, read as its midpoint');
  } else if (
    arRange &&
    /-|~|～|到|至|to/.test(arRange[0].replace(/^between\s+/, '')) &&
    !/between|and/.test(arRange[0])
  ) {
    const scale = arRange[3] ? (UNIT_SCALE[arRange[3]] as number) : 1;
    const a = Number(arRange[1]) * scale;
    const b = Number(arRange[2]) * scale;
    if (a < b) {
      value = (a + b) / 2;
      at = arRange.index;
      notes.push('a range, read as its midpoint');
    }
  }
  if (value === undefined) {
    if (all.length === 0) {
      // 一个月流水一百个: 个 is merchant slang for 万.
      return {};
    }
    let pick = all[0] as Money;
    const total = /加起来|一共|总共|合计|in total|\btotal\b|altogether/;
    const sumOfTwo = /两笔|二笔|two (?:transfers|payments|charges)|\band\b|和/;
    if (all.length > 1) {
      const platform = all.find((m) =>
        /支付宝|alipay/.test(s.slice(Math.max(0, m.start - 6), m.start) + s.slice(m.end, m.end + 8)),
      );
      const seasons = /淡季|旺季|good months?|slow|busy|quiet|好的时候|差的时候/;
      if (platform && /微信|wechat/.test(s)) {
        pick = platform;
        notes.push('the Alipay share only');
      } else if (seasons.test(s) && all.length === 2) {
        value = ((all[0] as Money).value + (all[1] as Money).value) / 2;
        notes.push('the average of the two seasons');
      } else if (total.test(s)) {
        const m = total.exec(s) as RegExpExecArray;
        pick = all.find((x) => x.start > m.index) ?? (all[all.length - 1] as Money);
        if (pick.start < m.index) notes.push('the total');
      } else if (sumOfTwo.test(s) && all.length === 2 && /two|两笔|二笔/.test(s)) {
        value = (all[0] as Money).value + (all[1] as Money).value;
        notes.push('the sum of the two');
      } else if (/一半|half/.test(s)) {
        pick = all[all.length - 1] as Money;
      }
    } else if (/支付宝占一半|alipay is half|half (?:of it )?on alipay/.test(s)) {
      value = pick.value / 2;
      notes.push('the Alipay half of the total');
    }
    // 200 orders a day at ~30 yuan each
    const orders =
      /(\d+)\s*(?:orders?|单|笔)[^\d]{0,20}?(\d+(?:\.\d+)?)\s*(?:yuan|元|块|rmb)?\s*(?:each|一单|每单|a piece)/.exec(
        s,
      );
    if (orders) {
      value = Number(orders[1]) * Number(orders[2]);
      notes.push(`${orders[1]} orders × ${orders[2]} yuan`);
    }
    if (value === undefined) value = pick.value;
    at = pick.start;
  }
  // 一百个 (no other unit) in a monthly volume: 个 = 万.
  if (
    monthly &&
    value !== undefined &&
    value < 1000 &&
    /^\s*个/.test(s.slice(at).replace(/^[\d一二两三四五六七八九十百千.]+/, ''))
  ) {
    value *= 1e4;
    notes.push('个 = 万 in merchant slang');
  }
  if (USD.test(s)) {
    value = value * CNY_PER_USD;
    notes.push(`USD at about ${CNY_PER_USD} CNY per dollar (approximate; confirm the currency)`);
  }
  const before = s.slice(Math.max(0, at - 12), at);
  const after = s.slice(at, at + 16);
  if (UPPER.test(before) || /^[^，,]*?(?:不到|以内|以下)/.test(after)) notes.push('an upper bound');
  else if (
    LOWER.test(after.replace(/^[\d.,kw万千百十一二两三四五六七八九]+/, '').slice(0, 4)) ||
    /just over|more than|over\b/.test(before)
  ) {
    notes.push('a lower bound');
  } else if (APPROX.test(s)) notes.push('approximate');
  if (monthly && value !== undefined) {
    if (DAILY.test(s)) {
      notes.push(`daily ${round(value, 2)} × 30 days`);
      value *= 30;
    } else if (WEEKLY.test(s)) {
      notes.push(`weekly ${round(value, 2)} × 52 / 12`);
      value = (value * 52) / 12;
    } else if (HALF_YEAR.test(s)) {
      notes.push(`half-yearly ${round(value, 2)} / 6`);
      value /= 6;
    } else if (YEARLY.test(s)) {
      notes.push(`yearly ${round(value, 2)} / 12`);
      value /= 12;
    }
  }
  const out: { value?: number; note?: string } = { value: Math.round(value) };
  if (notes.length) out.note = notes.join('; ');
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * Role
 * ---------------------------------------------------------------------------------------------- */

const BOTH = /都是|都有|两个都|兩個都|也有个人|both|a bit of both/;
const MERCHANT =
  /开店|店|超市|民宿|淘宝|代购|批发|档口|工厂|餐馆|商家|商户|个体|老板|卖|摆摊|网店|微商|外贸|公司|财务|工作室|自由职业|司机|饭店|小卖部|做生意|生意|收款|接单|shop|store|merchant|business|sell|vendor|owner|company|freelanc|food truck|hostel|cafe|restaurant|trader|seller|clients pay/;
const CONSUMER =
  /个人|普通|用户|买东西|消费者|打工|游客|留学|学生|外国|出差|旅游|来玩|用花呗|不是商家|personal|individual|consumer|customer|normal user|\buser\b|tourist|visit|student|expat|foreign|retired|not a business|pay bills/;
const VISITOR = /外国|游客|留学|出差|来玩|旅游|tourist|visit|expat|foreign|exchange student|conference/;

function readRole(s: string): { value?: string; note?: string } {
  // "有店，但这次是个人账户的事": what comes after "but" is the answer.
  const parts = s.split(/但是|但|不过|\bbut\b/);
  const last = parts[parts.length - 1] ?? s;
  const clause = parts.length > 1 && (MERCHANT.test(last) || CONSUMER.test(last)) ? last : s;
  if (BOTH.test(clause) && !/不是/.test(clause))
    return { value: 'both', note: 'ask which one this case is about' };
  const notMerchant = /不是商家|不是做生意|not a (?:business|merchant|shop)|no business/.test(clause);
  const merchant = !notMerchant && MERCHANT.test(clause);
  const consumer = notMerchant || CONSUMER.test(clause);
  if (merchant && !consumer) return { value: 'merchant' };
  if (consumer && !merchant) {
    const out: { value?: string; note?: string } = { value: 'consumer' };
    if (VISITOR.test(clause)) out.note = 'a foreign visitor or resident';
    if (parts.length > 1 && clause === last)
      out.note = 'has a business, but this case is about the personal account';
    return out;
  }
  if (merchant && consumer) {
    // 我帮我妈问，她开小卖部 · I own a cafe but…: the more specific word wins, a shop over a person.
    return /个人账户|personal account/.test(clause) ? { value: 'consumer' } : { value: 'merchant' };
  }
  return {};
}

/* ------------------------------------------------------------------------------------------------
 * Entry point
 * ---------------------------------------------------------------------------------------------- */

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/**
 * Reads the answer to a prompt for one value. `lang` is the language of the prompt (numbers and
 * cues are read in both languages whatever it is). Never throws.
 */
export function readSlotAnswer(text: string, slot: SlotName, lang: Lang): SlotAnswer {
  void lang;
  if (typeof text !== 'string' || text.trim() === '') return { unknown: true };
  let s: string;
  try {
    s = prepare(text);
  } catch {
    return {};
  }
  const out: SlotAnswer = {};
  let read: { value?: number | string; note?: string } = {};
  try {
    if (slot === 'rate') read = readRate(s);
    else if (slot === 'role') read = readRole(s);
    else read = readMoney(s, slot === 'monthly_volume');
  } catch {
    read = {};
  }
  if (read.value !== undefined && !(typeof read.value === 'number' && !Number.isFinite(read.value))) {
    out.value = read.value;
  }
  if (out.value === undefined) {
    if (
      UNKNOWN.test(s) ||
      VAGUE.test(s) ||
      /默认|跟大家一样|same as everyone|the default/.test(s) ||
      /全部|all of it|everything/.test(s)
    ) {
      out.unknown = true;
      if (/默认|跟大家一样|same as everyone|the default/.test(s))
        read.note = 'probably the standard 0.6%: confirm';
      else if (VAGUE.test(s)) read.note = 'a magnitude without a figure: ask for a number';
    }
  }
  if (isNewQuestion(s)) out.newQuestion = true;
  if (read.note) out.note = read.note;
  return out;
}
