/**
 * A negotiation plan from what the coach knows about the user: goals and principles, the data
 * with fee arithmetic, the four strategies (seed 五) as a checklist filled with their own facts,
 * the four steps (seed 六) as a timeline, an opening script and a demand email from the
 * knowledge base templates. Rendered as chat messages or as Markdown for export.
 */
import { formatMoney, formatRate, monthlyFee, saving, trialRate } from '../fees/feeMath';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { fillTemplate, sourceLine } from '../knowledge/render';
import type { Lang, Source, TemplateSlot } from '../knowledge/schema';
import type { TextValues, Texts } from '../knowledge/texts';
import type { Skill } from '../roleplay/debrief';
import { skillName } from '../roleplay/skillDisplay';
import type { UserProfile } from '../state/profile';

interface PlanSection {
  title: string;
  lines: string[];
}

export interface PlanDoc {
  title: string;
  sections: PlanSection[];
  scripts: { title: string; body: string }[];
}

/** What the user wants, by the goal the plan conversation recorded (knowledge/ui/plan.yaml). */
const GOAL_KEYS: Record<string, string> = {
  unfreeze: 'plan.goal_unfreeze',
  reason: 'plan.goal_reason',
  recover: 'plan.goal_recover',
  resolve: 'plan.goal_resolve',
  compensate: 'plan.goal_compensate',
  apology: 'plan.goal_apology',
};

/** The goal in words: one of the known goals, or the user's own words as they gave them. */
function goalText(texts: Texts, goal: string | undefined, lang: Lang): string | undefined {
  if (!goal) return undefined;
  const key = Object.prototype.hasOwnProperty.call(GOAL_KEYS, goal) ? GOAL_KEYS[goal] : undefined;
  return key ? texts.t(key, lang) : goal;
}

export function buildPlan(
  profile: UserProfile,
  kb: KnowledgeBase,
  lang: Lang,
  values: Partial<Record<TemplateSlot, string>>,
): PlanDoc {
  const { texts } = kb;
  const t = (key: string, v?: TextValues): string => texts.t(key, lang, v);
  const money = (amount: number): string => formatMoney(texts, amount, lang);
  const f = profile.facts;
  const isFees = profile.issue === 'fees' || (profile.issue === undefined && f.currentRate !== undefined);
  const sections: PlanSection[] = [];
  const sources: Source[] = [];

  // 1. Goals and principles (seed 四).
  const goalLine = isFees
    ? f.currentRate !== undefined && f.targetRate !== undefined
      ? t('plan.goal_rates', { current: formatRate(f.currentRate), target: formatRate(f.targetRate) })
      : t('plan.goal_fees')
    : t('plan.goal_line', { goal: goalText(texts, f.goal, lang) ?? t('plan.goal_default') });
  sections.push({
    title: t('plan.section_goal'),
    lines: [goalLine, t('plan.bottom_line'), t('plan.principles')],
  });

  // 2. The data (seed 五.1), with the user's own arithmetic.
  const data: string[] = [];
  if (isFees && f.monthlyVolume !== undefined && f.currentRate !== undefined) {
    const v = f.monthlyVolume;
    const fee = monthlyFee(v, f.currentRate);
    data.push(
      t('plan.data_fees', {
        volume: money(v),
        rate: formatRate(f.currentRate),
        monthly: money(fee),
        yearly: money(fee * 12),
      }),
    );
    if (f.targetRate !== undefined) {
      const s = saving(v, f.currentRate, f.targetRate);
      data.push(
        t('plan.data_target', {
          target: formatRate(f.targetRate),
          monthly: money(s.monthlyFeeTarget),
          saving: money(s.monthly),
          yearly: money(s.yearly),
        }),
      );
    }
    for (const r of kb.referenceRates.filter((x) => x.rate !== f.currentRate)) {
      data.push(
        t('plan.data_reference', {
          label: r.label[lang],
          rate: formatRate(r.rate),
          monthly: money(monthlyFee(v, r.rate)),
        }),
      );
      const src = kb.source(r.source);
      if (src && !sources.includes(src)) sources.push(src);
    }
  } else if (isFees) {
    data.push(t('plan.data_fees_missing'));
  } else {
    data.push(t('plan.data_timeline'));
  }
  if (f.evidence) data.push(t('plan.data_evidence', { evidence: f.evidence }));
  const dataSources = sourceLine(texts, sources, lang);
  if (dataSources) data.push(dataSources);
  sections.push({ title: t('plan.section_data'), lines: data });

  // 3. The four strategies (seed 五) as a checklist with the user's facts.
  const mid =
    f.currentRate !== undefined && f.targetRate !== undefined
      ? trialRate(f.currentRate, f.targetRate)
      : undefined;
  const item = (skill: Skill, detail: string): string =>
    t('plan.strategy_item', { strategy: skillName(texts, skill, lang), detail });
  sections.push({
    title: t('plan.section_strategies'),
    lines: [
      item(
        'data',
        isFees && f.monthlyVolume !== undefined && f.currentRate !== undefined
          ? t('plan.data_bring_fees', {
              volume: money(f.monthlyVolume),
              monthly: money(monthlyFee(f.monthlyVolume, f.currentRate)),
            })
          : t('plan.data_bring'),
      ),
      item(
        'cases',
        f.alternative && f.competitorRate !== undefined
          ? t('plan.cases_quote', { alternative: f.alternative, rate: formatRate(f.competitorRate) })
          : t('plan.cases_find'),
      ),
      item('mutual_benefit', t(isFees ? 'plan.common_interest_fees' : 'plan.common_interest')),
      item(
        'joint_solution',
        mid !== undefined ? t('plan.joint_trial', { rate: formatRate(mid) }) : t('plan.joint_solution'),
      ),
    ],
  });

  // 4. The four steps (seed 六) as a timeline.
  const channel = f.channel ?? t('plan.default_channel');
  sections.push({
    title: t('plan.section_steps'),
    lines: [
      t('plan.step_plan'),
      t('plan.step_contact', { channel }),
      t('plan.step_demands'),
      t('plan.step_agreement', {
        fallback: f.alternative ? t('plan.step_fallback', { alternative: f.alternative }) : '',
      }),
    ],
  });

  const scripts: PlanDoc['scripts'] = [];
  const opening = kb.template('opening_script');
  if (opening) scripts.push({ title: opening.title[lang], body: fillTemplate(texts, opening, lang, values) });
  const email = kb.template('demand_email');
  if (email && isFees && profile.role !== 'consumer') {
    scripts.push({ title: email.title[lang], body: fillTemplate(texts, email, lang, values) });
  }
  return { title: t('plan.title'), sections, scripts };
}

export function planToMarkdown(doc: PlanDoc, date: string): string {
  const out = [`# ${doc.title.replace(/^📋\s*/, '')}`, '', `_${date}_`, ''];
  for (const s of doc.sections) out.push(`## ${s.title}`, '', ...s.lines.map((l) => `- ${l}`), '');
  for (const s of doc.scripts) out.push(`## ${s.title}`, '', '```text', s.body, '```', '');
  return out.join('\n');
}

export function planToMessages(doc: PlanDoc): string[] {
  const body = (s: PlanSection): string => [s.title, ...s.lines].join('\n');
  const [first, second, third, fourth] = doc.sections;
  const messages = [
    [doc.title, first && body(first), second && body(second)].filter(Boolean).join('\n\n'),
    [third && body(third), fourth && body(fourth)].filter(Boolean).join('\n\n'),
  ];
  for (const s of doc.scripts) messages.push(`📝 ${s.title}\n\n${s.body}`);
  return messages.filter((m) => m.trim() !== '');
}
