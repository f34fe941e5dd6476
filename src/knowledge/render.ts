/**
 * Renders knowledge for a chat: a topic's answer (or its long version) with the sources of its
 * figures and their "as of" dates, and templates with the user's facts filled in. The words
 * around them (the source line, the blanks) are interface text (knowledge/ui/core.yaml,
 * render.yaml), looked up in the `Texts` given.
 */
import type { Lang, Source, Template, TemplateSlot, Topic } from './schema';
import { EXAMPLE_SOURCE } from './exampleSource';
import type { Texts } from './texts';

const SHORT_SOURCES = 2;

export function sourceLine(texts: Texts, sources: Source[], lang: Lang, limit = Infinity): string {
  if (sources.length === 0) return '';
  const shown = sources
    .slice(0, limit)
    .map((s) => texts.t('core.source_item', lang, { name: s.name, date: s.date }));
  const more = sources.length > limit ? texts.t('core.source_more', lang) : '';
  return texts.t('core.source_line', lang, {
    sources: shown.join(texts.t('core.source_separator', lang)) + more,
  });
}

/** The distinct sources behind a topic's figures, in the order they are declared. */
export function topicSources(topic: Topic, lookup: (id: string) => Source | undefined): Source[] {
  const ids = [...new Set(topic.figures.map((f) => f.source).filter((s) => s !== EXAMPLE_SOURCE))];
  return ids.map(lookup).filter((s): s is Source => s !== undefined);
}

export function renderTopic(
  texts: Texts,
  topic: Topic,
  lang: Lang,
  lookup: (id: string) => Source | undefined,
  long = false,
): string {
  const body = (long ? topic.more : topic.answer)[lang];
  const line = sourceLine(texts, topicSources(topic, lookup), lang, long ? Infinity : SHORT_SOURCES);
  const heading = long ? `${texts.t('render.topic_heading', lang, { title: topic.title[lang] })}\n` : '';
  return [heading + body, line].filter(Boolean).join('\n');
}

/** What an unknown template slot asks the user to fill in. */
const BLANKS: Record<TemplateSlot, string> = {
  name: 'render.blank_name',
  business: 'render.blank_business',
  account: 'render.blank_account',
  currentRate: 'render.blank_current_rate',
  targetRate: 'render.blank_target_rate',
  trialRate: 'render.blank_trial_rate',
  monthlyVolume: 'render.blank_monthly_volume',
  monthlyFee: 'render.blank_monthly_fee',
  monthlySaving: 'render.blank_monthly_saving',
  yearlySaving: 'render.blank_yearly_saving',
  competitorOffer: 'render.blank_competitor_offer',
  problem: 'render.blank_problem',
  since: 'render.blank_since',
  caseNumber: 'render.blank_case_number',
  evidence: 'render.blank_evidence',
  alternative: 'render.blank_alternative',
  demand: 'render.blank_demand',
  date: 'render.blank_date',
};

/** Fills `{{slot}}` blanks with what is known; unknown ones become a bracketed blank to fill in. */
export function fillTemplate(
  texts: Texts,
  template: Template,
  lang: Lang,
  values: Partial<Record<TemplateSlot, string>>,
): string {
  return template.body[lang].replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_m, slot: string) => {
    const value = values[slot as TemplateSlot];
    if (value !== undefined && value !== '') return value;
    if (!Object.prototype.hasOwnProperty.call(BLANKS, slot)) return '';
    const blank = texts.t(BLANKS[slot as TemplateSlot], lang);
    return texts.t('render.blank', lang, { blank });
  });
}

/** The slots of a template's body the values leave blank, in the order they appear. */
export function templateBlanks(
  template: Template,
  lang: Lang,
  values: Partial<Record<TemplateSlot, string>>,
): TemplateSlot[] {
  const out: TemplateSlot[] = [];
  for (const m of template.body[lang].matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)) {
    const slot = m[1] as TemplateSlot;
    if (!values[slot] && Object.prototype.hasOwnProperty.call(BLANKS, slot) && !out.includes(slot)) out.push(slot);
  }
  return out;
}

/** The name of a blank ("商户账号", "your name"), as the letter shows it. */
export function blankName(texts: Texts, slot: TemplateSlot, lang: Lang): string {
  return texts.t(BLANKS[slot], lang);
}
