/**
 * Reads the NLU's training data from `knowledge/nlu/` (build time only): intent examples,
 * our out-of-scope themes and the vendored CLINC150 training rows, with schema checks.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENTS, type Lang } from '../knowledge/schema';
import { OOS_PREFIX } from './labels';
import type { LexiconData } from './features';

/** Training label: an intent id, or `oos:<theme>` for one theme of out-of-scope messages. */
export interface Example {
  text: string;
  lang: Lang;
  label: string;
  /** Where it came from, for error messages and the hygiene test. */
  source: string;
}

export { OOS_PREFIX, labelToIntent } from './labels';

const text = z.string().trim().min(1);
const word = z.union([text, z.number().transform(String)]);
const intentFile = z.strictObject({
  intent: z.enum(INTENTS).refine((i) => i !== 'out_of_scope', 'use knowledge/nlu/out_of_scope/ for those'),
  zh: z.array(text),
  en: z.array(text),
});

/** The least examples an intent needs per language, over all its files. */
export const MIN_EXAMPLES_PER_LANGUAGE = 30;
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
  return out;
}
