/**
 * Fees people (not merchants) pay, from the published rules (knowledge/fee-rules.yaml) and the
 * user's own amount: withdrawing the balance to a bank card, repaying a credit card, paying with
 * a foreign card. Amounts in CNY, rates in percent; rounded to the fen at the end.
 */
import type { FeeRule } from '../knowledge/schema';
import { round2 } from './feeMath';

export type PersonalFeeKind = FeeRule['id'];

export interface PersonalFee {
  kind: PersonalFeeKind;
  amount: number;
  /** The part the rate applies to. */
  charged: number;
  fee: number;
  rule: FeeRule;
}

/**
 * The fee on `amount`. `used`: how much of a free quota the user says is already used (a
 * withdrawal's lifetime quota, this month's repayments); unknown is taken as none.
 */
export function personalFee(rule: FeeRule, amount: number, used = 0): PersonalFee {
  let charged: number;
  if (rule.threshold !== undefined) charged = amount > rule.threshold ? amount : 0;
  else charged = Math.max(0, amount - Math.max(0, (rule.free ?? 0) - used));
  let fee = (charged * rule.rate) / 100;
  if (charged > 0 && rule.minimum !== undefined) fee = Math.max(fee, rule.minimum);
  return { kind: rule.id, amount, charged: round2(charged), fee: round2(fee), rule };
}
