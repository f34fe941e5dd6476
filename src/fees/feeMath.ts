/**
 * Fee arithmetic: what a rate costs at a volume, and what a lower rate saves. Rates are in
 * percent (0.6 means 0.6%), amounts in CNY. Results are rounded to the fen at the end only.
 */
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The trial rate proposed as the joint solution (seed 五.4): halfway between where the merchant
 * is and where they want to be. The plan and every letter propose this same rate.
 */
export function trialRate(currentPct: number, targetPct: number): number {
  return round2((currentPct + targetPct) / 2);
}

export function monthlyFee(volume: number, ratePct: number): number {
  return round2((volume * ratePct) / 100);
}

export interface Saving {
  monthlyFeeNow: number;
  monthlyFeeTarget: number;
  monthly: number;
  yearly: number;
}

export function saving(volume: number, currentPct: number, targetPct: number): Saving {
  const now = (volume * currentPct) / 100;
  const target = (volume * targetPct) / 100;
  return {
    monthlyFeeNow: round2(now),
    monthlyFeeTarget: round2(target),
    monthly: round2(now - target),
    yearly: round2((now - target) * 12),
  };
}

// Built on first use and kept: `toLocaleString` with options builds a new formatter on every
// call, and building them at import would slow the start (the locale data loads then).
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, decimals: 0 | 2): Intl.NumberFormat {
  const key = `${locale}${decimals}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: 2,
    });
    moneyFormats.set(key, format);
  }
  return format;
}

/** "1,234.5元" / "CNY 1,234.50": money as a user reads it (the words are render.money). */
export function formatMoney(texts: Texts, amount: number, lang: Lang): string {
  const format = moneyFormat(texts.t('render.number_locale', lang), Number.isInteger(amount) ? 0 : 2);
  return texts.t('render.money', lang, { amount: format.format(amount) });
}

/** "0.38%": at most three decimals, no trailing zeros. */
export function formatRate(ratePct: number): string {
  return `${Number(ratePct.toFixed(3))}%`;
}
