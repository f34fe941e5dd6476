/**
 * Loads the YAML files of `knowledge/`, checks them against the schema and against each other
 * (every figure sourced, every follow-up resolvable, every seed section covered), and builds the
 * bundle the coach loads at start.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { EXAMPLE_SOURCE } from './exampleSource';
import { termKey } from './terms';
import { undeclaredFigures, mentions } from './figures';
import { EnglishCueIndex } from '../text/englishCues';
import { toSimplified } from '../text/normalize';
import {
  CASE_TEXT_FIELDS,
  CHANNEL_ISSUES,
  FOLLOWUP_ACTIONS,
  VERDICT_LEADS,
  channelSchema,
  glossaryEntrySchema,
  type Channel,
  type GlossaryEntry,
  type Lang,
  NO_URL,
  caseSchema,
  type Case,
  SCENARIOS,
  referenceRateSchema,
  feeRuleSchema,
  type FeeRule,
  FEE_MOVES,
  TERMS_MOVES,
  roleplayLinesSchema,
  type RoleplayLines,
  type ReferenceRate,
  ISSUES,
  LANGS,
  ROLES,
  SEED_SECTIONS,
  TEMPLATE_SLOTS,
  sourceSchema,
  templateSchema,
  topicSchema,
  uiFileSchema,
  type Issue,
  type Role,
  type SeedSection,
  type Source,
  type Template,
  type Topic,
} from './schema';


/** Chat-size limits: about 300 Chinese characters or 120 English words (a little slack). */
export const MAX_ANSWER_ZH_CHARS = 330;
export const MAX_ANSWER_EN_WORDS = 135;

export interface KnowledgeBundle {
  topics: Topic[];
  templates: Template[];
  sources: Source[];
  referenceRates: ReferenceRate[];
  /** Published fee rules for people (withdrawal, card repayment, foreign cards). */
  feeRules: FeeRule[];
  roleplay: RoleplayLines[];
  /** The case library (knowledge/cases): concrete situations, sourced like topics. */
  cases: Case[];
  /** The coach's interface text by key (`<file>.<key>`), both languages (knowledge/ui). */
  ui: Record<string, { zh: string; en: string }>;
  /** Where a user can take a problem with Alipay, and which problems each place takes (channels.yaml). */
  channels: Channel[];
  /** Terms users ask the meaning of (glossary.yaml). */
  glossary: GlossaryEntry[];
}

export interface Problem {
  file: string;
  message: string;
}

function readYaml(file: string, problems: Problem[]): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({ file, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, problems: Problem[]): T | undefined {
  const result = schema.safeParse(value);
  if (!result.success) {
    problems.push({ file, message: describe(result.error) });
    return undefined;
  }
  return result.data;
}

function checkFigures(
  file: string,
  texts: string[],
  figures: { text: string; source: string }[],
  sourceIds: ReadonlySet<string>,
  problems: Problem[],
): void {
  const declared = figures.map((f) => f.text);
  for (const text of texts) {
    const missing = undeclaredFigures(text, declared);
    if (missing.length > 0) {
      problems.push({ file, message: `figure without a source: ${[...new Set(missing)].join(', ')}` });
    }
  }
  for (const figure of figures) {
    if (figure.source !== EXAMPLE_SOURCE && !sourceIds.has(figure.source)) {
      problems.push({ file, message: `figure "${figure.text}" cites unknown source "${figure.source}"` });
    }
    if (!texts.some((t) => mentions(t, figure.text))) {
      problems.push({ file, message: `figure "${figure.text}" is declared but never stated` });
    }
  }
}

/**
 * A scenario's lines: the fee scenario has the rate moves, the others their terms; every figure
 * is sourced; and no line puts words in the user's mouth (「您说的…」, “you said …”) — the
 * representative only ever repeats the user's own numbers, filled in from the line itself.
 */
function checkRoleplay(file: string, lines: RoleplayLines, sourceIds: Set<string>, problems: Problem[]): void {
  const moves = lines.moves as Partial<Record<string, { zh: string[]; en: string[] }>>;
  const needed = lines.scenario === 'fees' ? FEE_MOVES : TERMS_MOVES;
  for (const m of needed) if (!moves[m]) problems.push({ file, message: `moves.${m} is missing` });
  if (lines.scenario !== 'fees' && lines.terms.length === 0) problems.push({ file, message: 'terms are missing' });
  const texts: string[] = [lines.setup.zh, lines.setup.en];
  for (const p of Object.values(lines.premise)) texts.push(p.zh, p.en);
  for (const set of Object.values(moves)) if (set) texts.push(...set.zh, ...set.en);
  for (const term of lines.terms)
    for (const tier of term.tiers) texts.push(tier.short.zh, tier.short.en, ...tier.say.zh, ...tier.say.en);
  const quoting = /(?:您|你)(?:说的|刚才说的|提到的|讲的)[「“"『]|\byou (?:said|mentioned|called it)[:,]? ["“‘']/i;
  for (const t of texts) {
    if (quoting.test(t)) problems.push({ file, message: `a line quotes the user: ${t}` });
  }
  checkFigures(file, texts, lines.figures, sourceIds, problems);
}

function checkSize(file: string, topic: Topic, problems: Problem[]): void {
  const zhChars = topic.answer.zh.replace(/\s/g, '').length;
  const enWords = topic.answer.en.split(/\s+/).filter(Boolean).length;
  if (zhChars > MAX_ANSWER_ZH_CHARS) {
    problems.push({ file, message: `answer.zh is ${zhChars} characters; keep it under ${MAX_ANSWER_ZH_CHARS}` });
  }
  if (enWords > MAX_ANSWER_EN_WORDS) {
    problems.push({ file, message: `answer.en is ${enWords} words; keep it under ${MAX_ANSWER_EN_WORDS}` });
  }
}

/** Each part of a case is about 120 Chinese characters or 60 English words (a little slack). */
export const MAX_CASE_ZH_CHARS = 130;
export const MAX_CASE_EN_WORDS = 66;
/** How many of a case's Chinese `describe` lines must be written in traditional characters. */
export const MIN_TRADITIONAL_LINES = 2;

const CASE_SIZED_FIELDS = ['known', 'script', 'ask_for', 'escalate', 'unknown'] as const;

/** True when the line uses traditional characters (converting it to simplified changes it). */
export function isTraditional(line: string): boolean {
  return toSimplified(line) !== line;
}

function checkCase(file: string, item: Case, problems: Problem[]): void {
  if (basename(file).replace(/\.ya?ml$/, '') !== item.id) {
    problems.push({ file, message: `file name must be ${item.id}.yaml` });
  }
  if (item.issue === undefined && !item.id.startsWith('scope.')) {
    problems.push({ file, message: 'issue is required (only scope.* cases may omit it)' });
  }
  for (const field of CASE_SIZED_FIELDS) {
    const zhChars = item[field].zh.replace(/\s/g, '').length;
    const enWords = item[field].en.split(/\s+/).filter(Boolean).length;
    if (zhChars > MAX_CASE_ZH_CHARS) {
      problems.push({ file, message: `${field}.zh is ${zhChars} characters; keep it under ${MAX_CASE_ZH_CHARS}` });
    }
    if (enWords > MAX_CASE_EN_WORDS) {
      problems.push({ file, message: `${field}.en is ${enWords} words; keep it under ${MAX_CASE_EN_WORDS}` });
    }
  }
  const traditional = item.describe.zh.filter(isTraditional).length;
  if (traditional < MIN_TRADITIONAL_LINES) {
    problems.push({
      file,
      message: `describe.zh has ${traditional} lines in traditional characters; at least ${MIN_TRADITIONAL_LINES} needed`,
    });
  }
}

/**
 * A cue names one case: simplified Chinese or lower-case English (as the NLU matches them), and
 * no cue of one case read inside a cue of another (the longer would name both) — in English as
 * the NLU reads cues, by stems in either order with a little room (src/text/englishCues.ts).
 */
function checkCues(cases: Case[], files: Map<string, string>, problems: Problem[]): void {
  for (const lang of LANGS) {
    const all = cases.flatMap((c) => c.cues[lang].map((cue) => ({ cue, id: c.id })));
    for (const { cue, id } of all) {
      const file = files.get(id) ?? id;
      if (lang === 'zh' && isTraditional(cue)) problems.push({ file, message: `cue "${cue}" must be simplified` });
      if (lang === 'en' && cue !== cue.toLowerCase())
        problems.push({ file, message: `cue "${cue}" must be lower case` });
      const reads = lang === 'en' ? new EnglishCueIndex([cue]) : undefined;
      const inside = all.find(
        (o) => o.id !== id && (reads ? reads.find(o.cue).length > 0 : o.cue.includes(cue)),
      );
      if (inside) problems.push({ file, message: `cue "${cue}" is also in ${inside.id}'s cue "${inside.cue}"` });
    }
  }
}

/** The case's own texts in both languages: what its figures are checked against. */
export function caseTexts(item: Case): string[] {
  return LANGS.flatMap((l) => CASE_TEXT_FIELDS.map((f) => item[f][l]));
}

/** Sources whose public address was not found (`url: none`): kb:check lists them for review. */
export function unlinkedSources(sources: Source[]): Source[] {
  return sources.filter((s) => s.url === NO_URL);
}

function checkPlaceholders(file: string, template: Template, problems: Problem[]): void {
  const allowed = new Set<string>(TEMPLATE_SLOTS);
  for (const lang of LANGS) {
    for (const m of template.body[lang].matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)) {
      if (!allowed.has(m[1] ?? '')) {
        problems.push({ file, message: `body.${lang} uses unknown slot {{${m[1]}}}` });
      }
    }
  }
}

/** Reads and checks every knowledge file under `root`. */
export function loadKnowledge(root: string): { bundle: KnowledgeBundle; problems: Problem[] } {
  const problems: Problem[] = [];
  const sourcesFile = join(root, 'sources.yaml');
  const rawSources = readYaml(sourcesFile, problems);
  const sources =
    parseWith(z.array(sourceSchema), rawSources ?? [], sourcesFile, problems) ?? ([] as Source[]);
  const sourceIds = new Set(sources.map((s) => s.id));
  if (sourceIds.size !== sources.length) problems.push({ file: sourcesFile, message: 'duplicate source id' });

  const topics: Topic[] = [];
  const topicFiles = new Map<string, string>();
  for (const file of yamlFiles(join(root, 'topics'))) {
    const topic = parseWith(topicSchema, readYaml(file, problems), file, problems);
    if (!topic) continue;
    if (topicFiles.has(topic.id)) problems.push({ file, message: `duplicate topic id ${topic.id}` });
    topicFiles.set(topic.id, file);
    const texts = LANGS.flatMap((l) => [topic.answer[l], topic.more[l], topic.title[l]]);
    checkFigures(file, texts, topic.figures, sourceIds, problems);
    checkSize(file, topic, problems);
    topics.push(topic);
  }

  const templates: Template[] = [];
  for (const file of yamlFiles(join(root, 'templates'))) {
    const template = parseWith(templateSchema, readYaml(file, problems), file, problems);
    if (!template) continue;
    checkFigures(file, [template.body.zh, template.body.en], template.figures, sourceIds, problems);
    checkPlaceholders(file, template, problems);
    templates.push(template);
  }

  const ratesFile = join(root, 'reference-rates.yaml');
  const referenceRates =
    parseWith(z.array(referenceRateSchema), readYaml(ratesFile, problems) ?? [], ratesFile, problems) ?? [];
  for (const r of referenceRates) {
    if (!sourceIds.has(r.source)) problems.push({ file: ratesFile, message: `${r.id} cites unknown source "${r.source}"` });
  }

  const feeRulesFile = join(root, 'fee-rules.yaml');
  const feeRules =
    parseWith(z.array(feeRuleSchema), readYaml(feeRulesFile, problems) ?? [], feeRulesFile, problems) ?? [];
  for (const r of feeRules) {
    if (!sourceIds.has(r.source)) problems.push({ file: feeRulesFile, message: `${r.id} cites unknown source "${r.source}"` });
    if ((r.free === undefined) === (r.threshold === undefined))
      problems.push({ file: feeRulesFile, message: `${r.id} needs either a free amount or a threshold` });
  }

  const cases: Case[] = [];
  const caseFiles = new Map<string, string>();
  for (const file of yamlFiles(join(root, 'cases'))) {
    const item = parseWith(caseSchema, readYaml(file, problems), file, problems);
    if (!item) continue;
    if (caseFiles.has(item.id)) problems.push({ file, message: `duplicate case id ${item.id}` });
    caseFiles.set(item.id, file);
    checkFigures(file, caseTexts(item), item.figures, sourceIds, problems);
    checkCase(file, item, problems);
    cases.push(item);
  }
  checkCues(cases, caseFiles, problems);

  const templateIds = new Set(templates.map((t) => t.id));
  const actions = new Set<string>(FOLLOWUP_ACTIONS);
  const resolves = (ref: string): boolean => {
    const [kind, id = ''] = ref.split(':');
    return (
      (kind === 'topic' && topicFiles.has(id)) ||
      (kind === 'template' && templateIds.has(id)) ||
      (kind === 'action' && actions.has(id)) ||
      (kind === 'case' && caseFiles.has(id))
    );
  };
  for (const topic of topics) {
    for (const ref of topic.followups) {
      if (!resolves(ref)) problems.push({ file: topicFiles.get(topic.id) ?? root, message: `unknown follow-up ${ref}` });
    }
  }
  for (const item of cases) {
    for (const ref of item.followups) {
      if (!resolves(ref)) problems.push({ file: caseFiles.get(item.id) ?? root, message: `unknown follow-up ${ref}` });
    }
  }
  const roleplay: RoleplayLines[] = [];
  for (const scenario of SCENARIOS) {
    const file = join(root, 'roleplay', `${scenario}.yaml`);
    const lines = parseWith(roleplayLinesSchema, readYaml(file, problems), file, problems);
    // A file for the wrong scenario is reported as that, not as the other scenario's missing moves.
    if (lines && lines.scenario !== scenario) problems.push({ file, message: `scenario must be ${scenario}` });
    else if (lines) {
      checkRoleplay(file, lines, sourceIds, problems);
      roleplay.push(lines);
    }
  }

  const ui = loadUi(join(root, 'ui'), sourceIds, problems);

  const channelsFile = join(root, 'channels.yaml');
  const channelResult = checkChannels(readList(channelsFile, problems), channelsFile, sourceIds);
  problems.push(...channelResult.problems);
  const channels = channelResult.channels;
  const glossaryFile = join(root, 'glossary.yaml');
  const seeTargets = new Set([...channels.map((c) => c.id), ...caseFiles.keys()]);
  const glossaryResult = checkGlossary(readList(glossaryFile, problems), glossaryFile, sourceIds, seeTargets);
  problems.push(...glossaryResult.problems);
  const glossary = glossaryResult.entries;

  return {
    bundle: { topics, templates, sources, referenceRates, feeRules, roleplay, cases, ui, channels, glossary },
    problems,
  };
}

/** A YAML file that must hold a list (channels.yaml, glossary.yaml); missing or not a list is a problem. */
function readList(file: string, problems: Problem[]): unknown[] {
  if (!existsSync(file)) {
    problems.push({ file, message: 'file is missing' });
    return [];
  }
  const data = readYaml(file, problems);
  if (data === undefined) return [];
  if (!Array.isArray(data)) {
    problems.push({ file, message: 'must be a list of entries' });
    return [];
  }
  return data;
}

/** A channel's `handles` answers: one sentence each, chat-sized (a little slack). */
export const MAX_ANSWER_SENTENCE_ZH_CHARS = 72;
export const MAX_ANSWER_SENTENCE_EN_WORDS = 36;
/** A glossary meaning: one or two short sentences. */
export const MAX_MEANING_ZH_CHARS = 80;
export const MAX_MEANING_EN_WORDS = 40;
const SENTENCE_LIMITS = { zh: MAX_ANSWER_SENTENCE_ZH_CHARS, en: MAX_ANSWER_SENTENCE_EN_WORDS, sentences: 1 };
const MEANING_LIMITS = { zh: MAX_MEANING_ZH_CHARS, en: MAX_MEANING_EN_WORDS, sentences: 2 };

export { termKey } from './terms';

/** Every text of a channel in both languages, names included: what its figures are checked against. */
export function channelTexts(channel: Channel): string[] {
  return LANGS.flatMap((l) => [
    ...channel.names[l],
    channel.title[l],
    channel.what[l],
    ...CHANNEL_ISSUES.map((i) => channel.handles[i][l]),
    ...(channel.before ? [channel.before[l]] : []),
    channel.how[l],
  ]);
}

/** Every text of a glossary entry in both languages, terms included. */
export function glossaryTexts(entry: GlossaryEntry): string[] {
  return LANGS.flatMap((l) => [...entry.terms[l], entry.meaning[l]]);
}

const CJK = /[\u3400-\u9fff]/g;
const LATIN = /[A-Za-z]/g;
const WEB_ADDRESS = /(?:https?:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s）)]*)?/gi;

/** How many sentences a text has (a sentence mark followed by more text starts another). */
export function sentenceCount(text: string, lang: Lang): number {
  const t = text.trim();
  const inner = lang === 'zh' ? /[。！？!?](?=.)/g : /[.!?](?=\s+["“(]?[A-Z])/g;
  return (t.match(inner) ?? []).length + 1;
}

/** Written in the language it is filed under, and Chinese in simplified characters. */
function checkLanguage(where: string, field: string, text: string, lang: Lang, problems: Problem[]): void {
  // A web address (tousu.sina.com.cn) is neither language.
  const words = text.replace(WEB_ADDRESS, ' ');
  const cjk = (words.match(CJK) ?? []).length;
  const share = cjk / Math.max(1, cjk + (words.match(LATIN) ?? []).length);
  if (lang === 'zh') {
    if (share < 0.5) problems.push({ file: where, message: `${field}.zh is not written in Chinese` });
    if (isTraditional(text)) problems.push({ file: where, message: `${field}.zh uses traditional characters` });
  } else if (share > 0.25) {
    problems.push({ file: where, message: `${field}.en is not written in English` });
  }
}

function checkSized(
  where: string,
  field: string,
  text: string,
  lang: Lang,
  limits: { zh: number; en: number; sentences: number },
  problems: Problem[],
): void {
  const size = lang === 'zh' ? text.replace(/\s/g, '').length : text.split(/\s+/).filter(Boolean).length;
  if (size > limits[lang]) {
    const unit = lang === 'zh' ? 'characters' : 'words';
    problems.push({ file: where, message: `${field}.${lang} is ${size} ${unit}; keep it under ${limits[lang]}` });
  }
  const sentences = sentenceCount(text, lang);
  if (sentences > limits.sentences) {
    problems.push({
      file: where,
      message: `${field}.${lang} has ${sentences} sentences; at most ${limits.sentences}`,
    });
  }
}

function checkSourceList(
  where: string,
  sources: string[] | undefined,
  sourceIds: ReadonlySet<string>,
  problems: Problem[],
): void {
  for (const id of sources ?? []) {
    if (!sourceIds.has(id)) problems.push({ file: where, message: `sources: unknown source "${id}"` });
  }
}

/** Where an entry of a list file is reported: the file and the entry's id (or its position). */
function entryLabel(file: string, raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return `${file} (${typeof id === 'string' ? id : `entry ${index + 1}`})`;
}

/** Ids must be unique, and no name (or term) may belong to two entries. */
function checkUniqueness(
  file: string,
  entries: { id: string; words: { zh: string[]; en: string[] } }[],
  kind: string,
  problems: Problem[],
): void {
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) problems.push({ file, message: `duplicate id ${entry.id}` });
    ids.add(entry.id);
    for (const word of new Set([...entry.words.zh, ...entry.words.en].map(termKey))) {
      const owner = owners.get(word);
      if (owner !== undefined && owner !== entry.id) {
        problems.push({ file, message: `${kind} "${word}" belongs to both ${owner} and ${entry.id}` });
      }
      owners.set(word, owner ?? entry.id);
    }
  }
}

/**
 * Checks the entries of channels.yaml: each against the schema (both languages, every problem
 * answered), each answer starting with its verdict's words (VERDICT_LEADS) in one sentence,
 * Chinese in simplified characters, every figure declared with a known source; ids and names
 * unique. An entry that does not fit the schema is left out; the others are returned.
 */
export function checkChannels(
  raws: unknown[],
  file: string,
  sourceIds: ReadonlySet<string>,
): { channels: Channel[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const channels: Channel[] = [];
  raws.forEach((raw, index) => {
    const where = entryLabel(file, raw, index);
    const channel = parseWith(channelSchema, raw, where, problems);
    if (!channel) return;
    for (const lang of LANGS) {
      checkLanguage(where, 'title', channel.title[lang], lang, problems);
      checkLanguage(where, 'what', channel.what[lang], lang, problems);
      checkSized(where, 'what', channel.what[lang], lang, SENTENCE_LIMITS, problems);
      for (const issue of CHANNEL_ISSUES) {
        const answer = channel.handles[issue];
        const field = `handles.${issue}`;
        checkLanguage(where, field, answer[lang], lang, problems);
        checkSized(where, field, answer[lang], lang, SENTENCE_LIMITS, problems);
        const lead = VERDICT_LEADS[answer.verdict][lang];
        if (!answer[lang].startsWith(lead)) {
          problems.push({ file: where, message: `${field}.${lang} must start with "${lead}" (verdict ${answer.verdict})` });
        }
      }
      if (channel.before) checkLanguage(where, 'before', channel.before[lang], lang, problems);
      checkLanguage(where, 'how', channel.how[lang], lang, problems);
    }
    for (const name of channel.names.zh) {
      if (isTraditional(name)) problems.push({ file: where, message: `names.zh "${name}" uses traditional characters` });
    }
    checkFigures(where, channelTexts(channel), channel.figures, sourceIds, problems);
    checkSourceList(where, channel.sources, sourceIds, problems);
    channels.push(channel);
  });
  checkUniqueness(file, channels.map((c) => ({ id: c.id, words: c.names })), 'name', problems);
  return { channels, problems };
}

/**
 * Checks the entries of glossary.yaml: the schema (both languages), a meaning of one or two
 * short sentences in the right language (simplified Chinese), every figure declared with a known
 * source, `see` naming a channel or case that exists; ids and terms unique.
 */
export function checkGlossary(
  raws: unknown[],
  file: string,
  sourceIds: ReadonlySet<string>,
  seeTargets: ReadonlySet<string>,
): { entries: GlossaryEntry[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries: GlossaryEntry[] = [];
  raws.forEach((raw, index) => {
    const where = entryLabel(file, raw, index);
    const entry = parseWith(glossaryEntrySchema, raw, where, problems);
    if (!entry) return;
    for (const lang of LANGS) {
      checkLanguage(where, 'meaning', entry.meaning[lang], lang, problems);
      checkSized(where, 'meaning', entry.meaning[lang], lang, MEANING_LIMITS, problems);
    }
    for (const t of entry.terms.zh) {
      if (isTraditional(t)) problems.push({ file: where, message: `terms.zh "${t}" uses traditional characters` });
    }
    if (entry.see !== undefined && !seeTargets.has(entry.see)) {
      problems.push({ file: where, message: `see: no channel or case "${entry.see}"` });
    }
    checkFigures(where, glossaryTexts(entry), entry.figures, sourceIds, problems);
    checkSourceList(where, entry.sources, sourceIds, problems);
    entries.push(entry);
  });
  checkUniqueness(file, entries.map((e) => ({ id: e.id, words: e.terms })), 'term', problems);
  return { entries, problems };
}

/** The `{name}` values an interface text takes. */
export function uiPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g)].map((m) => m[1] as string).sort();
}

function loadUi(dir: string, sourceIds: Set<string>, problems: Problem[]): KnowledgeBundle['ui'] {
  const ui: KnowledgeBundle['ui'] = {};
  for (const file of yamlFiles(dir)) {
    const entries = parseWith(uiFileSchema, readYaml(file, problems) ?? {}, file, problems);
    if (!entries) continue;
    const namespace = basename(file).replace(/\.ya?ml$/, '');
    for (const [key, entry] of Object.entries(entries)) {
      const id = `${namespace}.${key}`;
      const zh = uiPlaceholders(entry.zh).join(',');
      const en = uiPlaceholders(entry.en).join(',');
      if (zh !== en) problems.push({ file, message: `${id}: zh fills {${zh}} but en fills {${en}}` });
      // Values the code fills in are the user's own numbers, not figures to source.
      const texts = [entry.zh, entry.en].map((t) => t.replace(/\{[a-zA-Z][a-zA-Z0-9_]*\}/g, ' '));
      checkFigures(`${file} (${id})`, texts, entry.figures ?? [], sourceIds, problems);
      ui[id] = { zh: entry.zh, en: entry.en };
    }
  }
  return ui;
}

/** Which issues a section must serve: the three problems each have their own; the rest all. */
export function requiredIssues(section: SeedSection): readonly Issue[] {
  if (section === '三.1') return ['fees'];
  if (section === '三.2') return ['security'];
  if (section === '三.3') return ['service'];
  return ISSUES;
}

export interface CoverageRow {
  section: SeedSection;
  cells: Record<string, number>;
  gaps: string[];
}

/** Section × (language, role, issue): how many topics fill each cell, and which required cells are empty. */
export function coverage(topics: Topic[]): CoverageRow[] {
  return SEED_SECTIONS.map((section) => {
    const inSection = topics.filter((t) => t.section === section);
    const cells: Record<string, number> = {};
    for (const lang of LANGS) cells[lang] = inSection.filter((t) => t.answer[lang] && t.more[lang]).length;
    for (const role of ROLES) cells[role] = inSection.filter((t) => t.roles.includes(role as Role)).length;
    for (const issue of ISSUES) cells[issue] = inSection.filter((t) => t.issues.includes(issue)).length;
    const required = [...LANGS, ...ROLES, ...requiredIssues(section)];
    const gaps: string[] = required.filter((c) => (cells[c] ?? 0) === 0);
    // Every role must be served for every issue the section covers, not each separately: a
    // merchant-only fee topic and a consumer-only security topic would leave a consumer's fee
    // question without an answer. (Section 三.1's fees are for both roles, and so on.)
    for (const role of ROLES) {
      for (const issue of requiredIssues(section)) {
        if (!inSection.some((t) => t.roles.includes(role as Role) && t.issues.includes(issue)))
          gaps.push(`${role}×${issue}`);
      }
    }
    return { section, cells, gaps };
  });
}
