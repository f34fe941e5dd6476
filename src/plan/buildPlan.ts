/**
 * A negotiation plan from what the coach knows about the user: goals and principles, the data
 * with fee arithmetic, the four strategies (seed 五) as a checklist filled with their own facts,
 * the four steps (seed 六) as a timeline, an opening script and a demand email from the
 * knowledge base templates. Rendered as chat messages or as Markdown for export.
 */
import { formatMoney, formatRate, monthlyFee, round2, saving } from '../fees/feeMath';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { fillTemplate, sourceLine } from '../knowledge/render';
import type { Lang, Source, TemplateSlot } from '../knowledge/schema';
import type { UserProfile } from '../state/profile';

export interface PlanSection {
  title: string;
  lines: string[];
}

export interface PlanDoc {
  title: string;
  sections: PlanSection[];
  scripts: { title: string; body: string }[];
}

type L = { zh: string; en: string };
const t = (lang: Lang, pair: L): string => pair[lang];

const GOAL_TEXT: Record<string, L> = {
  unfreeze: {
    zh: '弄清冻结原因，尽快解除限制',
    en: 'learn why the account was restricted and get it lifted quickly',
  },
  reason: {
    zh: '拿到书面的冻结原因和申诉渠道',
    en: 'get the reason, the appeal channel and the documents needed in writing',
  },
  recover: { zh: '追回损失，并查清资金去向', en: 'recover the loss and trace where the money went' },
  resolve: {
    zh: '让问题真正得到处理，有明确的答复期限',
    en: 'get the problem actually handled, with a firm reply date',
  },
  compensate: { zh: '得到合理的补偿', en: 'get fair compensation' },
  apology: { zh: '得到道歉，并改进处理流程', en: 'get an apology and a fix to how it is handled' },
};

export function goalText(goal: string | undefined, lang: Lang): string | undefined {
  if (!goal) return undefined;
  return GOAL_TEXT[goal]?.[lang] ?? goal;
}

/** A trial rate halfway between where they are and where they want to be, for the joint solution. */
export function middleRate(current: number, target: number): number {
  return round2((current + target) / 2);
}

export function buildPlan(
  profile: UserProfile,
  kb: KnowledgeBase,
  lang: Lang,
  values: Partial<Record<TemplateSlot, string>>,
): PlanDoc {
  const f = profile.facts;
  const isFees = profile.issue === 'fees' || (profile.issue === undefined && f.currentRate !== undefined);
  const sections: PlanSection[] = [];
  const sources: Source[] = [];

  // 1. Goals and principles (seed 四).
  const goalLine = isFees
    ? f.currentRate !== undefined && f.targetRate !== undefined
      ? t(lang, {
          zh: `目标：把费率从${formatRate(f.currentRate)}降到${formatRate(f.targetRate)}。`,
          en: `Goal: bring your rate from ${formatRate(f.currentRate)} down to ${formatRate(f.targetRate)}.`,
        })
      : t(lang, { zh: '目标：降低你的收款手续费。', en: 'Goal: lower your payment fees.' })
    : `${t(lang, { zh: '目标：', en: 'Goal: ' })}${goalText(f.goal, lang) ?? t(lang, { zh: '把问题解决', en: 'get the problem solved' })}${lang === 'zh' ? '。' : '.'}`;
  sections.push({
    title: t(lang, { zh: '① 目标与原则', en: '① Goal and principles' }),
    lines: [
      goalLine,
      t(lang, {
        zh: '底线：先想好最少接受什么（比如一个中间费率或一个明确的处理期限），谈的时候不轻易让到底线以下。',
        en: 'Bottom line: decide the least you will accept (a middle rate, a firm deadline) before you talk, and hold it.',
      }),
      t(lang, {
        zh: '原则：相互尊重（语气平和、不威胁）、公平合理（要求有依据）、互惠互利（方案对支付宝也有好处）。',
        en: 'Principles: mutual respect (calm, no threats), fairness (every request backed by facts), mutual benefit (the deal helps Alipay too).',
      }),
    ],
  });

  // 2. The data (seed 五.1), with the user's own arithmetic.
  const data: string[] = [];
  if (isFees && f.monthlyVolume !== undefined && f.currentRate !== undefined) {
    const v = f.monthlyVolume;
    data.push(
      t(lang, {
        zh: `月流水${formatMoney(kb.texts, v, lang)}，费率${formatRate(f.currentRate)} → 每月手续费${formatMoney(kb.texts, monthlyFee(v, f.currentRate), lang)}，每年${formatMoney(kb.texts, monthlyFee(v, f.currentRate) * 12, lang)}。`,
        en: `Monthly volume ${formatMoney(kb.texts, v, lang)} at ${formatRate(f.currentRate)} → ${formatMoney(kb.texts, monthlyFee(v, f.currentRate), lang)} a month, ${formatMoney(kb.texts, monthlyFee(v, f.currentRate) * 12, lang)} a year.`,
      }),
    );
    if (f.targetRate !== undefined) {
      const s = saving(v, f.currentRate, f.targetRate);
      data.push(
        t(lang, {
          zh: `降到${formatRate(f.targetRate)}：每月${formatMoney(kb.texts, s.monthlyFeeTarget, lang)}，每月省${formatMoney(kb.texts, s.monthly, lang)}，每年省${formatMoney(kb.texts, s.yearly, lang)}。`,
          en: `At ${formatRate(f.targetRate)}: ${formatMoney(kb.texts, s.monthlyFeeTarget, lang)} a month — you save ${formatMoney(kb.texts, s.monthly, lang)} a month, ${formatMoney(kb.texts, s.yearly, lang)} a year.`,
        }),
      );
    }
    for (const r of kb.referenceRates.filter((x) => x.rate !== f.currentRate)) {
      data.push(
        t(lang, {
          zh: `参考：${r.label.zh}${formatRate(r.rate)}，按你的流水每月${formatMoney(kb.texts, monthlyFee(v, r.rate), lang)}。`,
          en: `Reference: ${r.label.en} ${formatRate(r.rate)} — ${formatMoney(kb.texts, monthlyFee(v, r.rate), lang)} a month at your volume.`,
        }),
      );
      const src = kb.source(r.source);
      if (src && !sources.includes(src)) sources.push(src);
    }
  } else if (isFees) {
    data.push(
      t(lang, {
        zh: '补上你的月流水和当前费率，我来算每月手续费和能省多少（说“算手续费”）。',
        en: 'Add your monthly volume and current rate and I will work out your fees and savings (say “calculate fees”).',
      }),
    );
  } else {
    data.push(
      t(lang, {
        zh: '整理一条时间线：哪天出的问题、哪天联系的、对方怎么说；保留截图、短信、工单号。',
        en: 'Build a timeline: when it happened, when you contacted them, what they said; keep screenshots, messages and case numbers.',
      }),
    );
  }
  if (f.evidence) data.push(`${t(lang, { zh: '你的证据：', en: 'Your evidence: ' })}${f.evidence}`);
  const dataSources = sourceLine(kb.texts, sources, lang);
  if (dataSources) data.push(dataSources);
  sections.push({ title: t(lang, { zh: '② 数据', en: '② The data' }), lines: data });

  // 3. The four strategies (seed 五) as a checklist with the user's facts.
  const mid =
    f.currentRate !== undefined && f.targetRate !== undefined
      ? middleRate(f.currentRate, f.targetRate)
      : undefined;
  sections.push({
    title: t(lang, { zh: '③ 四个策略（逐项打勾）', en: '③ The four strategies (tick each)' }),
    lines: [
      `☐ ${t(lang, { zh: '数据支持：', en: 'Data: ' })}${
        isFees && f.monthlyVolume !== undefined && f.currentRate !== undefined
          ? t(lang, {
              zh: `带上月流水${formatMoney(kb.texts, f.monthlyVolume, lang)}和每月${formatMoney(kb.texts, monthlyFee(f.monthlyVolume, f.currentRate), lang)}的手续费账单`,
              en: `bring your ${formatMoney(kb.texts, f.monthlyVolume, lang)} monthly volume and the ${formatMoney(kb.texts, monthlyFee(f.monthlyVolume, f.currentRate), lang)} monthly fee statement`,
            })
          : t(lang, {
              zh: '带上时间线、截图和工单号',
              en: 'bring the timeline, screenshots and case numbers',
            })
      }`,
      `☐ ${t(lang, { zh: '成功案例：', en: 'Cases: ' })}${
        f.alternative && f.competitorRate !== undefined
          ? t(lang, {
              zh: `你拿到的报价：${f.alternative} ${formatRate(f.competitorRate)}`,
              en: `your quote: ${f.alternative} at ${formatRate(f.competitorRate)}`,
            })
          : t(lang, {
              zh: '找一个同行成功降费或解决问题的例子，或拿一份别家的书面报价',
              en: 'find a peer who got a cut or a fix, or get a written quote from another provider',
            })
      }`,
      `☐ ${t(lang, { zh: '共同利益：', en: 'Common interest: ' })}${
        isFees
          ? t(lang, {
              zh: '「费率合理的话，我会把主要收款一直放在支付宝。」',
              en: '“With a fair rate I will keep most of my payments on Alipay.”',
            })
          : t(lang, {
              zh: '「尽快处理好，我会继续放心地用支付宝。」',
              en: '“Sort this out quickly and I will keep using Alipay with confidence.”',
            })
      }`,
      `☐ ${t(lang, { zh: '共同方案：', en: 'Joint solution: ' })}${
        mid !== undefined
          ? t(lang, {
              zh: `「先按${formatRate(mid)}试行一个季度，到期按流水再评估。」`,
              en: `“Trial ${formatRate(mid)} for one quarter, then review it against my volume.”`,
            })
          : t(lang, {
              zh: '提一个双方都能接受的做法，比如先处理无争议的部分、约定答复期限',
              en: 'propose something both sides can accept, e.g. settle the undisputed part first and agree a reply date',
            })
      }`,
    ],
  });

  // 4. The four steps (seed 六) as a timeline.
  const channel = f.channel ?? t(lang, { zh: '95188或App内客服', en: '95188 or in-app support' });
  sections.push({
    title: t(lang, { zh: '④ 四个步骤', en: '④ The four steps' }),
    lines: [
      t(lang, { zh: '1) 今天：制定计划 ✓', en: '1) Today: make the plan ✓' }),
      t(lang, {
        zh: `2) 这几天：初步接触（${channel}），说明来意，问清对方立场和负责人`,
        en: `2) This week: first contact (${channel}) — say why you call, learn their position and who decides`,
      }),
      t(lang, {
        zh: '3) 接着：提出具体要求和理由（发申请邮件/工单，要书面答复）',
        en: '3) Next: state your concrete request and reasons (email or ticket; ask for a written answer)',
      }),
      t(lang, {
        zh: `4) 最后：寻求妥协与协议${f.alternative ? `（备选：${f.alternative}）` : ''}，谈成后要书面确认`,
        en: `4) Then: seek a compromise and agreement${f.alternative ? ` (fallback: ${f.alternative})` : ''}; get it confirmed in writing`,
      }),
    ],
  });

  const scripts: PlanDoc['scripts'] = [];
  const opening = kb.template('opening_script');
  if (opening)
    scripts.push({ title: opening.title[lang], body: fillTemplate(kb.texts, opening, lang, values) });
  const email = kb.template('demand_email');
  if (email && isFees && profile.role !== 'consumer') {
    scripts.push({ title: email.title[lang], body: fillTemplate(kb.texts, email, lang, values) });
  }
  return { title: t(lang, { zh: '📋 你的协商计划', en: '📋 Your negotiation plan' }), sections, scripts };
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
