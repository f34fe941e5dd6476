/**
 * What the coach knows about the user, formatted for the blanks of its templates and plan. Every
 * value comes from the case file as a fact (a rate, an amount, a kind of evidence, the situation
 * the user is in), never as a sentence the user typed: a letter must read as the user's letter.
 */
import { formatMoney, formatRate, saving, trialRate } from '../fees/feeMath';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { Lang, TemplateSlot } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { UserProfile } from '../state/profile';

/** Goals the plan records as ids, in words (knowledge/ui/plan.yaml). */
const GOALS = ['unfreeze', 'reason', 'recover', 'resolve', 'compensate', 'apology'] as const;

export function templateValues(
  texts: Texts,
  profile: Pick<UserProfile, 'facts' | 'issue' | 'role'>,
  lang: Lang,
  now: number,
  kb?: Pick<KnowledgeBase, 'caseById'>,
): Partial<Record<TemplateSlot, string>> {
  const f = profile.facts;
  const t = (key: string, v?: Record<string, string | number>): string => texts.t(key, lang, v);
  const list = (items: string[]): string => items.join(t('case.list_separator'));
  const values: Partial<Record<TemplateSlot, string>> = { date: new Date(now).toISOString().slice(0, 10) };
  if (f.business) values.business = f.business;
  if (f.currentRate !== undefined) values.currentRate = formatRate(f.currentRate);
  if (f.targetRate !== undefined) values.targetRate = formatRate(f.targetRate);
  if (f.currentRate !== undefined && f.targetRate !== undefined && f.targetRate < f.currentRate)
    values.trialRate = formatRate(trialRate(f.currentRate, f.targetRate));
  if (f.monthlyVolume !== undefined) values.monthlyVolume = formatMoney(texts, f.monthlyVolume, lang);
  if (f.caseNumber) values.caseNumber = f.caseNumber;
  const evidence = (f.evidenceKinds ?? []).filter((k) => texts.has(`case.evidence.${k}`));
  if (evidence.length > 0) values.evidence = list(evidence.map((k) => t(`case.evidence.${k}`)));
  if (f.competitorRate !== undefined) {
    const who = f.competitor && texts.has(`case.platform.${f.competitor}`) ? t(`case.platform.${f.competitor}`) : '';
    values.competitorOffer = who ? `${who} ${formatRate(f.competitorRate)}` : formatRate(f.competitorRate);
  }
  if (f.competitor && texts.has(`case.platform.${f.competitor}`)) values.alternative = t(`case.platform.${f.competitor}`);
  if (f.monthlyVolume !== undefined && f.currentRate !== undefined) {
    values.monthlyFee = formatMoney(texts, (f.monthlyVolume * f.currentRate) / 100, lang);
    if (f.targetRate !== undefined) {
      const s = saving(f.monthlyVolume, f.currentRate, f.targetRate);
      values.monthlySaving = formatMoney(texts, s.monthly, lang);
      values.yearlySaving = formatMoney(texts, s.yearly, lang);
    }
  }
  const amount = f.amount !== undefined ? formatMoney(texts, f.amount, lang) : undefined;
  const problem = problemOf(profile, lang, t, amount, kb);
  if (problem) values.problem = problem;
  const demand = demandOf(profile, t);
  if (demand) values.demand = demand;
  return values;
}

/** What happened, in the coach's words: the situation of the case library, with the amount. */
function problemOf(
  profile: Pick<UserProfile, 'facts' | 'issue'>,
  lang: Lang,
  t: (key: string, v?: Record<string, string | number>) => string,
  amount: string | undefined,
  kb?: Pick<KnowledgeBase, 'caseById'>,
): string | undefined {
  const f = profile.facts;
  const c = f.situation ? kb?.caseById(f.situation) : undefined;
  const base = c ? c.title[lang].split(/[：:]/)[0]?.trim() : profile.issue ? t(`templates.problem.${profile.issue}`) : undefined;
  if (!base) return undefined;
  return amount ? t('templates.problem_amount', { problem: base, amount }) : base;
}

/** What the user wants: the goal the plan recorded, the target rate, or the issue's usual demand. */
function demandOf(
  profile: Pick<UserProfile, 'facts' | 'issue'>,
  t: (key: string, v?: Record<string, string | number>) => string,
): string | undefined {
  const f = profile.facts;
  const goal = GOALS.find((g) => g === f.goal);
  if (goal) return t(`plan.goal_${goal}`);
  if (profile.issue === 'fees' && f.targetRate !== undefined)
    return t('templates.demand_rate', { rate: formatRate(f.targetRate) });
  return profile.issue ? t(`templates.demand.${profile.issue}`) : undefined;
}
