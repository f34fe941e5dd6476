/**
 * A letter or script from the templates, filled from the user's case file, and the blanks the
 * coach can ask about: what only the user knows (the shop's name, the case number, the evidence)
 * is asked one at a time; their own name, account and dates stay blanks for them to write in.
 */
import { fillTemplate, templateBlanks } from '../knowledge/render';
import type { Lang, Template, TemplateSlot } from '../knowledge/schema';
import { readSlotAnswer } from '../nlu/slots';
import { templateValues } from '../plan/templateValues';
import type { Facts, UserProfile } from '../state/profile';
import type { CoachDeps } from './flow';

/** Never asked: the coach does not keep names, accounts or dates the user writes in themselves. */
const PRIVATE_SLOTS: readonly TemplateSlot[] = ['name', 'account', 'date', 'since'];
/** Worked out from other blanks (a fee from the volume and the rate): filled when those are. */
const DERIVED_SLOTS: readonly TemplateSlot[] = ['monthlyFee', 'monthlySaving', 'yearlySaving', 'trialRate'];
/** A typed answer kept for a text blank, at most this long. */
const MAX_ANSWER = 120;

export function letterText(
  deps: CoachDeps,
  template: Template,
  profile: Readonly<UserProfile>,
  lang: Lang,
  now: number,
): string {
  const { kb } = deps;
  const values = templateValues(kb.texts, profile, lang, now, kb);
  const body = fillTemplate(kb.texts, template, lang, values);
  return `${kb.texts.t('core.template_intro', lang, { title: template.title[lang] })}\n\n${body}`;
}

/** The blanks of the letter the coach can ask the user about, in the letter's order. */
export function askableBlanks(
  deps: CoachDeps,
  template: Template,
  profile: Readonly<UserProfile>,
  lang: Lang,
  now: number,
): TemplateSlot[] {
  const values = templateValues(deps.kb.texts, profile, lang, now, deps.kb);
  return templateBlanks(template, lang, values).filter(
    (s) => !PRIVATE_SLOTS.includes(s) && !DERIVED_SLOTS.includes(s),
  );
}

const CASE_NUMBER = /[A-Za-z0-9][A-Za-z0-9-]{3,}/;

/**
 * The answer to "what goes in this blank?" as facts of the case file: numbers as numbers, a case
 * number as the number itself, anything else as the short answer the user gave for that blank.
 * Undefined when nothing could be read (the question is asked again).
 */
export function readBlank(
  slot: TemplateSlot,
  text: string,
  facts: Readonly<Facts>,
): Partial<Facts> | undefined {
  const answer = text.trim();
  if (!answer) return undefined;
  switch (slot) {
    case 'currentRate':
    case 'targetRate': {
      const read = readSlotAnswer(answer, 'rate', 'zh');
      return typeof read.value === 'number' ? { [slot]: read.value } : undefined;
    }
    case 'monthlyVolume': {
      const read = readSlotAnswer(answer, 'monthly_volume', 'zh');
      return typeof read.value === 'number' ? { monthlyVolume: read.value } : undefined;
    }
    case 'caseNumber': {
      const number = CASE_NUMBER.exec(answer)?.[0];
      return number ? { caseNumber: number } : undefined;
    }
    default:
      return { filled: { ...facts.filled, [slot]: answer.slice(0, MAX_ANSWER) } };
  }
}
