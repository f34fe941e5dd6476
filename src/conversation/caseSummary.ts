/** The case file read back to the user (/status): one line per thing the coach knows. */
import { formatMoney, formatRate } from '../fees/feeMath';
import type { Lang } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { UserProfile } from '../state/profile';

export function caseSummary(texts: Texts, profile: UserProfile, lang: Lang): string[] {
  const lines = caseLines(texts, profile, lang);
  if (lines.length === 0) return [texts.t('case.nothing', lang)];
  return [texts.t('case.head', lang), ...lines, texts.t('case.forget_hint', lang)];
}

/** One line per thing the coach knows about the case (none when it knows nothing). */
export function caseLines(
  texts: Texts,
  profile: Pick<UserProfile, 'role' | 'issue' | 'facts'>,
  lang: Lang,
): string[] {
  const t = (key: string, values?: Record<string, string | number>): string => texts.t(key, lang, values);
  const known = (key: string): boolean => texts.has(key);
  const f = profile.facts;
  const lines: string[] = [];
  if (f.visitor) lines.push(t('case.role.visitor'));
  else if (profile.role) lines.push(t(`case.role.${profile.role}`));
  if (f.business && !f.visitor) lines.push(t('case.business', { business: f.business }));
  if (profile.issue) lines.push(t(`case.issue.${profile.issue}`));
  const products = (f.products ?? []).filter((p) => known(`case.product.${p}`));
  if (products.length > 0)
    lines.push(
      t('case.products', {
        products: products.map((p) => t(`case.product.${p}`)).join(t('case.list_separator')),
      }),
    );
  if (f.monthlyVolume !== undefined)
    lines.push(t('case.volume', { volume: formatMoney(texts, f.monthlyVolume, lang) }));
  if (f.currentRate !== undefined) lines.push(t('case.current_rate', { rate: formatRate(f.currentRate) }));
  if (f.targetRate !== undefined) lines.push(t('case.target_rate', { rate: formatRate(f.targetRate) }));
  if (f.amount !== undefined) lines.push(t('case.amount', { amount: formatMoney(texts, f.amount, lang) }));
  if (f.competitorRate !== undefined) {
    const who =
      f.competitor && known(`case.platform.${f.competitor}`)
        ? t(`case.platform.${f.competitor}`)
        : (f.alternative ?? '');
    lines.push(t('case.competitor', { who, rate: formatRate(f.competitorRate) }));
  }
  if (f.peerRate !== undefined) lines.push(t('case.peer_rate', { rate: formatRate(f.peerRate) }));
  if (f.alipayOffer !== undefined) lines.push(t('case.alipay_offer', { rate: formatRate(f.alipayOffer) }));
  if (f.refusalKind) lines.push(t(`case.refusal.${f.refusalKind}`));
  if (f.contactedVia) {
    const via = known(`case.channel.${f.contactedVia}`)
      ? t(`case.channel.${f.contactedVia}`)
      : f.contactedVia;
    lines.push(t('case.contact', { via, date: f.contactedOn ?? '' }));
  }
  if (f.caseNumber) lines.push(t('case.case_number', { number: f.caseNumber }));
  if (f.replyBy) lines.push(t('case.reply_by', { date: f.replyBy }));
  const evidence = (f.evidenceKinds ?? []).filter((e) => known(`case.evidence.${e}`));
  if (evidence.length > 0)
    lines.push(
      t('case.evidence', {
        items: evidence.map((e) => t(`case.evidence.${e}`)).join(t('case.list_separator')),
      }),
    );
  return lines;
}
