/**
 * Reads the NLU's training data (build time only), with schema checks: from `knowledge/nlu/`
 * the intent examples, our out-of-scope themes, the vendored CLINC150 training rows, the real
 * public phrasing (`real/real-train.yaml`) and our own lines written in that style
 * (`real/written/`); from `knowledge/cases/` each situation's `describe` lines, labelled with the
 * case's intent. Examples that name a case also train the situation reader.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENTS, type Lang } from '../knowledge/schema';
import { ACT_DOCS, ACT_EVENTS, ACT_TYPES, type ActExample } from './acts';
import { OOS_PREFIX } from './labels';
import type { LexiconData } from './features';

/** Training label: an intent id, or `oos:<theme>` for one theme of out-of-scope messages. */
export interface Example {
  text: string;
  lang: Lang;
  label: string;
  /** Where it came from, for error messages and the hygiene test. */
  source: string;
  /** The situation (knowledge/cases id) the example is about, when it is about one. */
  case?: string;
  /**
   * Real-style messages (real public phrasing, case descriptions and our lines in their style)
   * are what users actually send; the intent model weighs them more than the chatbot-style
   * lines (see train.ts).
   */
  real?: boolean;
}

export { labelToIntent } from './labels';

const text = z.string().trim().min(1);
const word = z.union([text, z.number().transform(String)]);
const intentFile = z.strictObject({
  intent: z.enum(INTENTS).refine((i) => i !== 'out_of_scope', 'use knowledge/nlu/out_of_scope/ for those'),
  zh: z.array(text),
  en: z.array(text),
});

/** The least examples an intent needs per language, over all its files. */
const MIN_EXAMPLES_PER_LANGUAGE = 30;
const oosFile = z.strictObject({
  intent: z.literal('out_of_scope'),
  label: z.string().regex(/^[a-z0-9_]+$/),
  zh: z.array(text),
  en: z.array(text),
});
const lexiconFile = z.strictObject({
  words: z.array(text),
  // YAML reads a bare 12363 as a number; phone numbers are words here.
  concepts: z.record(z.string(), z.strictObject({ zh: z.array(word), en: z.array(word) })),
});
const clincRow = z.object({ text, label: z.string() });
const caseId = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
/** One line of real public phrasing (knowledge/nlu/real/real-train.yaml). */
const realRow = z.object({
  text,
  lang: z.enum(['zh', 'en']),
  intent: z.enum(INTENTS),
  case: z.union([caseId, z.literal('none')]),
});
/** Our own real-style lines (knowledge/nlu/real/written/): groups by intent and case. */
const writtenFile = z.array(
  z.strictObject({
    intent: z.enum(INTENTS),
    case: z.union([caseId, z.literal('none')]),
    zh: z.array(text).default([]),
    en: z.array(text).default([]),
  }),
);
/** What the NLU reads of a case file (the knowledge check validates the rest). */
const caseFile = z.object({
  id: caseId,
  intent: z.enum(INTENTS),
  describe: z.object({ zh: z.array(text), en: z.array(text) }),
  cues: z.object({ zh: z.array(text).default([]), en: z.array(text).default([]) }).optional(),
});

/** Per language, each case's cue phrases: phrase → case id (see SituationModel.cues). */
export type CaseCues = Record<Lang, Record<string, string>>;

/** The cue phrases of the case library (`cues:` in knowledge/cases/*.yaml). */
export function loadCaseCues(nluDir: string, casesDir = join(nluDir, '..', 'cases')): CaseCues {
  const out: CaseCues = { zh: {}, en: {} };
  for (const file of yamlFiles(casesDir)) {
    const data = load(caseFile, file);
    for (const lang of ['zh', 'en'] as const) {
      for (const cue of data.cues?.[lang] ?? []) out[lang][lang === 'en' ? cue.toLowerCase() : cue] = data.id;
    }
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

function load<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const why = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${why}`);
  }
  return result.data;
}

export function loadLexicon(nluDir: string): LexiconData {
  return load(lexiconFile, join(nluDir, 'lexicon.yaml'));
}

export function readJsonl(file: string): { text: string; label: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const row = clincRow.safeParse(JSON.parse(l));
      if (!row.success) throw new Error(`${file}:${i + 1}: not a {text, label} row`);
      return row.data;
    });
}

const actRow = z.strictObject({
  text,
  lang: z.enum(['zh', 'en']),
  act: z.enum(ACT_TYPES),
  event: z.enum(ACT_EVENTS).optional(),
  doc: z.enum(ACT_DOCS).optional(),
  negated: z.boolean().optional(),
});

/** The dialogue-act training lines: knowledge/nlu/acts/acts-train.yaml and our acts-written.yaml. */
export function loadActExamples(nluDir: string): ActExample[] {
  return ['acts-train.yaml', 'acts-written.yaml'].flatMap((name) => loadActFile(join(nluDir, 'acts', name)));
}

function loadActFile(file: string): ActExample[] {
  if (!existsSync(file)) return [];
  return load(z.array(actRow), file).map((row, i) => {
    if (
      (row.act === 'report') !== (row.event !== undefined) ||
      (row.act === 'request_document') !== (row.doc !== undefined)
    ) {
      throw new Error(`${file}: row ${i + 1}: an event belongs to a report, a doc to a request_document`);
    }
    const e: ActExample = { text: row.text, lang: row.lang, act: row.act };
    if (row.event) e.event = row.event;
    if (row.doc) e.doc = row.doc;
    if (row.negated) e.negated = true;
    return e;
  });
}

/** The training label of an intent: out-of-scope lines of one origin form one theme. */
function labelOf(intent: (typeof INTENTS)[number], theme: string): string {
  return intent === 'out_of_scope' ? `${OOS_PREFIX}${theme}` : intent;
}

/** The situation, or undefined for `none`. */
function caseOf(id: string): string | undefined {
  return id === 'none' ? undefined : id;
}

/**
 * Real-style examples: the case library's describe lines, the real public phrasing and our own
 * lines in its style. Out-of-scope ones are themes of their own (`oos:case_<id>`, `oos:real`).
 */
function loadRealExamples(nluDir: string, casesDir = join(nluDir, '..', 'cases')): Example[] {
  const out: Example[] = [];
  for (const file of yamlFiles(casesDir)) {
    const data = load(caseFile, file);
    const label = labelOf(data.intent, `case_${data.id.replace(/\./g, '_')}`);
    for (const lang of ['zh', 'en'] as const) {
      for (const t of data.describe[lang])
        out.push({ text: t, lang, label, source: file, case: data.id, real: true });
    }
  }
  const realFile = join(nluDir, 'real', 'real-train.yaml');
  if (existsSync(realFile)) {
    for (const row of load(z.array(realRow), realFile)) {
      const c = caseOf(row.case);
      out.push({
        text: row.text,
        lang: row.lang,
        label: labelOf(row.intent, 'real'),
        source: realFile,
        real: true,
        ...(c ? { case: c } : {}),
      });
    }
  }
  for (const file of yamlFiles(join(nluDir, 'real', 'written'))) {
    for (const group of load(writtenFile, file)) {
      const c = caseOf(group.case);
      for (const lang of ['zh', 'en'] as const) {
        for (const t of group[lang]) {
          out.push({
            text: t,
            lang,
            label: labelOf(group.intent, 'real'),
            source: file,
            real: true,
            ...(c ? { case: c } : {}),
          });
        }
      }
    }
  }
  return out;
}

/** Every training example, in-domain and out-of-scope, both languages. */
export function loadTrainingExamples(nluDir: string): Example[] {
  const out: Example[] = [];
  const counts = new Map<string, number>();
  // An intent may have several files (intents/fees.yaml, intents/fees.2.yaml …).
  for (const file of yamlFiles(join(nluDir, 'intents'))) {
    const data = load(intentFile, file);
    for (const lang of ['zh', 'en'] as const) {
      for (const t of data[lang]) out.push({ text: t, lang, label: data.intent, source: file });
      counts.set(`${data.intent}/${lang}`, (counts.get(`${data.intent}/${lang}`) ?? 0) + data[lang].length);
    }
  }
  const short = INTENTS.filter((i) => i !== 'out_of_scope').flatMap((i) =>
    (['zh', 'en'] as const)
      .filter((l) => (counts.get(`${i}/${l}`) ?? 0) < MIN_EXAMPLES_PER_LANGUAGE)
      .map((l) => `${i} (${l}: ${counts.get(`${i}/${l}`) ?? 0})`),
  );
  if (short.length > 0) {
    throw new Error(`fewer than ${MIN_EXAMPLES_PER_LANGUAGE} training examples for: ${short.join(', ')}`);
  }

  for (const file of yamlFiles(join(nluDir, 'out_of_scope'))) {
    const data = load(oosFile, file);
    for (const lang of ['zh', 'en'] as const) {
      for (const t of data[lang])
        out.push({ text: t, lang, label: `${OOS_PREFIX}${data.label}`, source: file });
    }
  }
  for (const name of ['oos-train.jsonl', 'offdomain-train.jsonl']) {
    const file = join(nluDir, 'clinc150', name);
    for (const row of readJsonl(file)) {
      out.push({ text: row.text, lang: 'en', label: `${OOS_PREFIX}clinc_${row.label}`, source: file });
    }
  }
  out.push(...loadRealExamples(nluDir));
  return out;
}
