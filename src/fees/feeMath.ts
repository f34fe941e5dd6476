/**
 * Fee arithmetic: what a rate costs at a volume, and what a lower rate saves. Rates are in
 * percent (0.6 means 0.6%), amounts in CNY. Results are rounded to the fen at the end only.
 */
import type { Lang } from '../knowledge/schema';

export const round2 = (x: number): number => Math.round(x * 100) / 100;

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

/** "1,234.5元" / "CNY 1,234.50": money as a user reads it. */
export function formatMoney(amount: number, lang: Lang): string {
  const whole = Number.isInteger(amount);
  const opts = { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 };
  return lang === 'zh'
    ? `${amount.toLocaleString('zh-CN', opts)}元`
    : `CNY ${amount.toLocaleString('en-US', opts)}`;
}

/** "0.38%": at most three decimals, no trailing zeros. */
export function formatRate(ratePct: number): string {
  return `${Number(ratePct.toFixed(3))}%`;
}
