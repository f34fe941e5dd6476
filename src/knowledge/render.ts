/**
 * Renders knowledge for a chat: a topic's answer (or its long version) with the sources of its
 * figures and their "as of" dates, and templates with the user's facts filled in.
 */
import type { Lang, Source, Template, TemplateSlot, Topic } from './schema';
import { EXAMPLE_SOURCE } from './exampleSource';

const SHORT_SOURCES = 2;

export function sourceLine(sources: Source[], lang: Lang, limit = Infinity): string {
  if (sources.length === 0) return '';
  const shown = sources.slice(0, limit).map((s) =>
    lang === 'zh' ? `${s.name}（截至${s.date}）` : `${s.name} (as of ${s.date})`,
  );
  const more = sources.length > limit ? (lang === 'zh' ? ' 等' : ' and more') : '';
  return lang === 'zh' ? `📎 依据：${shown.join('；')}${more}` : `📎 Sources: ${shown.join('; ')}${more}`;
}

/** The distinct sources behind a topic's figures, in the order they are declared. */
export function topicSources(topic: Topic, lookup: (id: string) => Source | undefined): Source[] {
  const ids = [...new Set(topic.figures.map((f) => f.source).filter((s) => s !== EXAMPLE_SOURCE))];
  return ids.map(lookup).filter((s): s is Source => s !== undefined);
}

export function renderTopic(
  topic: Topic,
  lang: Lang,
  lookup: (id: string) => Source | undefined,
  long = false,
): string {
  const body = (long ? topic.more : topic.answer)[lang];
  const line = sourceLine(topicSources(topic, lookup), lang, long ? Infinity : SHORT_SOURCES);
  const heading = long ? `【${topic.title[lang]}】\n` : '';
  return [heading + body, line].filter(Boolean).join('\n');
}

const BLANKS: Record<TemplateSlot, { zh: string; en: string }> = {
  name: { zh: '你的姓名', en: 'your name' },
  business: { zh: '店铺名称', en: 'business name' },
  account: { zh: '商户账号', en: 'merchant account' },
  currentRate: { zh: '当前费率', en: 'current rate' },
  targetRate: { zh: '目标费率', en: 'target rate' },
  monthlyVolume: { zh: '月流水', en: 'monthly volume' },
  monthlyFee: { zh: '每月手续费', en: 'monthly fee' },
  monthlySaving: { zh: '每月节省', en: 'monthly saving' },
  yearlySaving: { zh: '每年节省', en: 'yearly saving' },
  competitorOffer: { zh: '其他平台报价', en: 'competing offer' },
  problem: { zh: '问题描述', en: 'the problem' },
  since: { zh: '开始时间', en: 'start date' },
  caseNumber: { zh: '工单号', en: 'case number' },
  evidence: { zh: '证据材料', en: 'evidence' },
  alternative: { zh: '替代方案', en: 'your alternative' },
  demand: { zh: '具体诉求', en: 'your request' },
  date: { zh: '日期', en: 'date' },
};

/** Fills `{{slot}}` blanks with what is known; unknown ones become a bracketed blank to fill in. */
export function fillTemplate(template: Template, lang: Lang, values: Partial<Record<TemplateSlot, string>>): string {
  return template.body[lang].replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_m, slot: string) => {
    const value = values[slot as TemplateSlot];
    if (value !== undefined && value !== '') return value;
    const blank = BLANKS[slot as TemplateSlot];
    if (!blank) return '';
    return lang === 'zh' ? `【${blank.zh}】` : `[${blank.en}]`;
  });
}
