/**
 * An instalment plan in the person's own numbers ("每期手续费80，12期一共多少", "6000元分12期，每期
 * 手续费0.6%", "fee of 45 a month over 12 months on 6000"): the total fee, and with the principal
 * the fee's share of it and the annualised rate by the internal-rate-of-return method, the method
 * the PBOC's 2021 rule has lenders disclose. Pure arithmetic on what the person typed: no lender's
 * rate is assumed.
 */
import { normalizeText } from '../text/normalize';
import { parseNumberAt } from '../nlu/chineseNumbers';
import { extractEntities } from '../nlu/entities';
import { round2 } from './feeMath';

export interface InstalmentPlan {
  count: number;
  /** The fee of one instalment, in CNY. */
  perFee: number;
  total: number;
  principal?: number;
  /** The total fee as a percentage of the principal. */
  sharePct?: number;
  /** Annualised rate in percent (monthly IRR × 12), the figure a lender must show. */
  aprPct?: number;
}

const NUM = '(\\d+(?:\\.\\d+)?(?:万|千|k|w)?|[零一二两三四五六七八九十百千万]+)';
/** "12期", "分12期", "12个月", "12 instalments", "over 12 months". */
const COUNT = new RegExp(
  `(?:分|共|一共)?${NUM}\\s*(?:期|个月)|${NUM}[- ]?(?:(?:huabei|ant|equal|monthly) )?(?:instal+ments?|monthly payments|months?|periods)(?![a-z])`,
  'i',
);
/** "每期手续费80", "每期80元手续费", "80 a month in fees", "a fee of 45 per instalment". */
const PER_FEE = new RegExp(
  [
    `每(?:期|个?月)(?:的)?(?:手续费|服务费|利息|费用)(?:是|要|收|为|都是)?\\s*${NUM}\\s*(?:元|块)?(?![\\d.%]|\\s*%)`,
    `每(?:期|个?月)(?:收|扣)?\\s*${NUM}\\s*(?:元|块)?(?:的)?(?:手续费|服务费|利息)`,
    `(?:fee|interest|charge)s?(?: of)?\\s*(?:cny|rmb|¥)?\\s*${NUM}\\s*(?:yuan|rmb|cny)?\\s*(?:a|per|each) (?:month|instal+ment|period)`,
    `(?:cny|rmb|¥)?\\s*${NUM}\\s*(?:yuan|rmb|cny)?\\s*(?:a|per|each) (?:month|instal+ment|period) (?:in |of )?(?:fees?|interest)`,
  ].join('|'),
  'i',
);
/** "每期费率0.6%", "0.6% per month", "每期手续费0.6%". */
const PER_RATE = new RegExp(
  `每(?:期|个?月)(?:的)?(?:手续费|服务费|利息)?(?:费率|利率)?(?:是|为)?\\s*(\\d+(?:\\.\\d+)?)\\s*%|(\\d+(?:\\.\\d+)?)\\s*%\\s*(?:a|per|each) (?:month|instal+ment|period)`,
  'i',
);
/** "本金6000", "借了6000", "6000元的手机", "6000分12期", "on 6000", "a 6000 yuan phone". */
const PRINCIPAL = new RegExp(
  [
    `(?:本金|借了|借款|分期了?|买了?[^，,。；;0-9]{0,8}?|花了|总价|价格|总共|贷了|消费了?)\\s*${NUM}\\s*(?:元|块)?`,
    `${NUM}\\s*(?:元|块)?(?:的)?(?:手机|电脑|东西|商品|账单|消费)`,
    `${NUM}\\s*(?:元|块)?\\s*分\\s*(?:\\d+|[一二两三六九十]+)\\s*期`,
    `(?:split|spread|put)\\s*(?:a|an|my)?\\s*(?:cny|rmb|¥)?\\s*${NUM}`,
    `(?:on|of|borrowed|spent|bought [a-z ]{0,20}? for|principal(?: of)?|loan of)\\s*(?:cny|rmb|¥)?\\s*${NUM}\\s*(?:yuan|rmb|cny)?(?![a-z%])`,
  ].join('|'),
  'i',
);
/** "每月还900", "每期还款545", "I pay 545 a month": one instalment, principal and fee together. */
const PAYMENT = new RegExp(
  `每(?:期|个?月)(?:要|需要|得)?还(?:款)?\\s*${NUM}|(?:pay|repay)(?:ing)?\\s*(?:cny|rmb|¥)?\\s*${NUM}\\s*(?:yuan|rmb|cny)?\\s*(?:a|per|each) (?:month|instal+ment)`,
  'i',
);
/** Words that say the numbers are an instalment plan. */
const INSTALMENT_WORDS = /分期|期|instal+ment|monthly payments|months?(?![a-z])/i;

function numberOf(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const parsed = parseNumberAt(raw.toLowerCase(), 0);
  return parsed && parsed.end >= raw.length ? parsed.value : undefined;
}

const firstGroup = (m: RegExpExecArray | null): number | undefined =>
  m ? numberOf(m.slice(1).find((g) => g !== undefined)) : undefined;

/**
 * Monthly internal rate of return of a loan of `principal` repaid in `count` equal parts of the
 * principal, each with `perFee` on top: the r at which the payments' present value is the principal.
 */
function monthlyIrr(principal: number, count: number, perFee: number): number {
  const payment = principal / count + perFee;
  const presentValue = (r: number): number => {
    let sum = 0;
    let discount = 1;
    for (let k = 1; k <= count; k++) {
      discount /= 1 + r;
      sum += payment * discount;
    }
    return sum;
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (presentValue(mid) > principal) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The plan the message states, or undefined unless it gives a count and a fee per instalment. */
export function readInstalment(
  text: string,
  amounts: readonly number[] = extractEntities(text).amounts ?? [],
): InstalmentPlan | undefined {
  const t = normalizeText(text);
  if (!INSTALMENT_WORDS.test(t)) return undefined;
  const count = firstGroup(COUNT.exec(t));
  if (count === undefined || !Number.isInteger(count) || count < 2 || count > 60) return undefined;
  let perFee = firstGroup(PER_FEE.exec(t));
  // The principal by its words, else the largest sum that cannot be the fee ("…，6000块").
  const sums = amounts.filter((a) => a > 2 * (perFee ?? 0));
  const principal = firstGroup(PRINCIPAL.exec(t)) ?? (sums.length > 0 ? Math.max(...sums) : undefined);
  if (perFee === undefined) {
    const rate = firstGroup(PER_RATE.exec(t));
    if (rate !== undefined && principal !== undefined && rate > 0 && rate < 10)
      perFee = (principal * rate) / 100;
  }
  if (perFee === undefined && principal !== undefined) {
    const payment = firstGroup(PAYMENT.exec(t));
    if (payment !== undefined && payment > principal / count) perFee = payment - principal / count;
  }
  if (perFee === undefined || perFee <= 0) return undefined;
  const plan: InstalmentPlan = { count, perFee: round2(perFee), total: round2(perFee * count) };
  if (principal !== undefined && principal > perFee * 2) {
    plan.principal = principal;
    plan.sharePct = (plan.total / principal) * 100;
    plan.aprPct = monthlyIrr(principal, count, perFee) * 12 * 100;
  }
  return plan;
}
