/** The case file read back to the user (/status): one line per thing the coach knows. */
import { formatMoney, formatRate } from '../fees/feeMath';
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { UserProfile } from '../state/profile';

export function caseSummary(texts: Texts, profile: UserProfile, lang: Lang): string[] {
  const t = (key: string, values?: Record<string, string | number>): string =>
    texts.t(`case.${key}`, lang, values);
  const known = (key: string): boolean => texts.has(`case.${key}`);
  const f = profile.facts;
  const lines: string[] = [];
  if (f.visitor) lines.push(t('role.visitor'));
  else if (profile.role) lines.push(t(`role.${profile.role}`));
  if (profile.issue) lines.push(t(`issue.${profile.issue}`));
  const products = (f.products ?? []).filter((p) => known(`product.${p}`));
  if (products.length > 0)
    lines.push(t('products', { products: products.map((p) => t(`product.${p}`)).join(t('list_separator')) }));
  if (f.monthlyVolume !== undefined)
    lines.push(t('volume', { volume: formatMoney(texts, f.monthlyVolume, lang) }));
  if (f.currentRate !== undefined) lines.push(t('current_rate', { rate: formatRate(f.currentRate) }));
  if (f.targetRate !== undefined) lines.push(t('target_rate', { rate: formatRate(f.targetRate) }));
  if (f.amount !== undefined) lines.push(t('amount', { amount: formatMoney(texts, f.amount, lang) }));
  if (f.competitorRate !== undefined) {
    const who =
      f.competitor && known(`platform.${f.competitor}`)
        ? t(`platform.${f.competitor}`)
        : (f.alternative ?? '');
    lines.push(t('competitor', { who, rate: formatRate(f.competitorRate) }));
  }
  if (f.alipayOffer !== undefined) lines.push(t('alipay_offer', { rate: formatRate(f.alipayOffer) }));
  if (f.refusalKind) lines.push(t(`refusal.${f.refusalKind}`));
  if (f.contactedVia) {
    const via = known(`channel.${f.contactedVia}`) ? t(`channel.${f.contactedVia}`) : f.contactedVia;
    lines.push(t('contact', { via, date: f.contactedOn ?? '' }));
  }
  if (f.caseNumber) lines.push(t('case_number', { number: f.caseNumber }));
  if (f.replyBy) lines.push(t('reply_by', { date: f.replyBy }));
  const evidence = (f.evidenceKinds ?? []).filter((e) => known(`evidence.${e}`));
  if (evidence.length > 0)
    lines.push(t('evidence', { items: evidence.map((e) => t(`evidence.${e}`)).join(t('list_separator')) }));
  if (lines.length === 0) return [t('nothing')];
  return [t('head'), ...lines, t('forget_hint')];
}
