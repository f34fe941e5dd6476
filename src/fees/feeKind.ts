/**
 * Which fee a question is about: a merchant's fee on sales (rate × volume), or one of the fees
 * people pay — withdrawing to a bank card, repaying a credit card, paying with a foreign card.
 * A consumer is never asked for a merchant's rate.
 */
import type { Entities } from '../nlu/types';
import type { UserProfile } from '../state/profile';
import { normalizeText } from '../text/normalize';
import type { PersonalFeeKind } from './personalFees';

export type FeeKind = 'merchant' | PersonalFeeKind;
export const FEE_KINDS: readonly FeeKind[] = ['withdrawal', 'card_repayment', 'foreign_card', 'merchant'];

const WITHDRAWAL = /提现|转到银行卡|转出到(?:银行)?卡|取出来|withdraw/;
const CARD_REPAYMENT =
  /还信用卡|信用卡还款|还款.{0,4}信用卡|repay(?:ing)? (?:my |a )?credit card|credit.card repayment|pay (?:off )?my credit card/;
const FOREIGN_CARD =
  /外卡|境外卡|国外的?(?:银行)?卡|foreign (?:bank )?card|visa|master\s?card|amex|jcb|3%|3 ?percent/;
const MERCHANT =
  /流水|费率|扣点|收款|商家|商户|营业额|店里|店铺|档口|摊位|turnover|sales|merchant|(?:my|our) (?:shop|store|restaurant|business|stall)/;

/** The kind the words, the numbers and the case file point to; undefined: ask. */
export function feeKindOf(
  text: string,
  entities: Entities,
  profile: Pick<UserProfile, 'role' | 'facts'>,
): FeeKind | undefined {
  const t = normalizeText(text).toLowerCase();
  if (WITHDRAWAL.test(t)) return 'withdrawal';
  if (CARD_REPAYMENT.test(t)) return 'card_repayment';
  if (FOREIGN_CARD.test(t)) return 'foreign_card';
  if (MERCHANT.test(t) || (entities.rates?.length ?? 0) > 0) return 'merchant';
  const products = profile.facts.products ?? [];
  if (profile.facts.visitor) return 'foreign_card';
  if (profile.role === 'merchant') return 'merchant';
  if (products.includes('withdrawal')) return 'withdrawal';
  if (products.includes('card_repayment')) return 'card_repayment';
  if (profile.role === 'consumer') return undefined;
  return profile.facts.currentRate !== undefined || profile.facts.monthlyVolume !== undefined
    ? 'merchant'
    : undefined;
}
