/**
 * A concrete situation of the case library as a chat reply: what is known (answer first) and
 * what to say; its long version adds what to ask for, where to go next and what the coach does
 * not know, with the sources of every figure.
 */
import { sourceLine } from '../knowledge/render';
import { EXAMPLE_SOURCE } from '../knowledge/exampleSource';
import type { Case, Lang, Source } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';

const SHORT_SOURCES = 2;

export function caseSources(c: Case, lookup: (id: string) => Source | undefined): Source[] {
  const ids = [...new Set(c.figures.map((f) => f.source).filter((s) => s !== EXAMPLE_SOURCE))];
  return ids.map(lookup).filter((s): s is Source => s !== undefined);
}

export function renderCase(
  texts: Texts,
  c: Case,
  lang: Lang,
  lookup: (id: string) => Source | undefined,
  long = false,
): string {
  const t = (key: string): string => texts.t(key, lang);
  const parts = long
    ? [
        texts.t('render.topic_heading', lang, { title: c.title[lang] }),
        `${t('answer.ask_for_head')}\n${c.ask_for[lang]}`,
        `${t('answer.escalate_head')}\n${c.escalate[lang]}`,
        `${t('answer.unknown_head')}\n${c.unknown[lang]}`,
      ]
    : [c.known[lang], `${t('answer.say_head')}\n${c.script[lang]}`];
  const line = sourceLine(texts, caseSources(c, lookup), lang, long ? Infinity : SHORT_SOURCES);
  return [...parts, line].filter(Boolean).join('\n\n');
}
