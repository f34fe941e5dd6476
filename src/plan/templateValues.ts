/** What the coach knows about the user, formatted for the blanks of its templates and plan. */
import { formatMoney, formatRate, saving } from '../fees/feeMath';
import type { Lang, TemplateSlot } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { UserProfile } from '../state/profile';

export function templateValues(
  texts: Texts,
  profile: Pick<UserProfile, 'facts'>,
  lang: Lang,
  now: number,
): Partial<Record<TemplateSlot, string>> {
  const f = profile.facts;
  const values: Partial<Record<TemplateSlot, string>> = { date: new Date(now).toISOString().slice(0, 10) };
  if (f.business) values.business = f.business;
  if (f.currentRate !== undefined) values.currentRate = formatRate(f.currentRate);
  if (f.targetRate !== undefined) values.targetRate = formatRate(f.targetRate);
  if (f.monthlyVolume !== undefined) values.monthlyVolume = formatMoney(texts, f.monthlyVolume, lang);
  if (f.evidence) values.evidence = f.evidence;
  if (f.alternative) values.alternative = f.alternative;
  if (f.goal) values.demand = f.goal;
  if (f.competitorRate !== undefined) values.competitorOffer = formatRate(f.competitorRate);
  if (f.monthlyVolume !== undefined && f.currentRate !== undefined) {
    values.monthlyFee = formatMoney(texts, (f.monthlyVolume * f.currentRate) / 100, lang);
    if (f.targetRate !== undefined) {
      const s = saving(f.monthlyVolume, f.currentRate, f.targetRate);
      values.monthlySaving = formatMoney(texts, s.monthly, lang);
      values.yearlySaving = formatMoney(texts, s.yearly, lang);
    }
  }
  return values;
}
