/**
 * Our own tokenization for Chinese and English, and the features the intent classifier sees.
 *
 * - Chinese: domain words from the lexicon are kept whole (longest match), the rest is split by
 *   `Intl.Segmenter`; character bigrams are added because they survive segmentation mistakes and
 *   pinyin-input typos better than words do.
 * - English: `natural`'s aggressive tokenizer and Porter stemmer, plus stem bigrams.
 * - Both: concept tags (#fee, #refuse …) when any synonym from the lexicon occurs, and entity
 *   tags (@rate, @amount …) from the entity extractor, so that an unseen phrasing still lands
 *   near the training examples that used a synonym.
 */
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { extractEntities } from './entities';
import type { Entities } from './types';
import { HAN, normalizeText, readAsMandarin } from '../text/normalize';
import { LRUCache } from 'lru-cache';

/** Messages whose features are kept: as many as the NLU keeps readings of per language (coachNlu.ts). */
const FEATURE_MEMO = 1000;

export interface LexiconData {
  words: string[];
  concepts: Record<string, { zh: string[]; en: string[] }>;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_RUN = /[a-z][a-z0-9'\-/]*/g;
const DIGITS = /\d/;

const englishTokenizer = new AggressiveTokenizer();
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function englishPattern(word: string): string {
  const w = word.toLowerCase();
  return w.endsWith('*') ? `${escape(w.slice(0, -1))}[a-z]*` : escape(w);
}

interface CompiledConcept {
  name: string;
  /** All of the concept's Chinese synonyms: tested on text with Chinese characters. */
  zh: RegExp | null;
  /** Those of them with no Chinese character ("12363", "QR"): the only ones other text can hold. */
  zhNoHan: RegExp | null;
  en: RegExp | null;
}

/** What only Chinese text needs: built on the first message with a Chinese character. */
interface HanTables {
  words: Set<string>;
  maxWord: number;
  concepts: CompiledConcept[];
}

function alternation(words: string[]): RegExp | null {
  return words.length ? new RegExp(words.map((w) => escape(normalizeText(w).toLowerCase())).join('|')) : null;
}

export class FeatureExtractor {
  private readonly concepts: CompiledConcept[];
  private readonly stemCache = new Map<string, string>();
  private han: HanTables | undefined;

  /**
   * The Chinese side of the lexicon is normalised (traditional → simplified, which loads OpenCC's
   * tables) when the first Chinese message comes: a process whose first message is English
   * answers sooner (`npm run bench`, cold start).
   */
  constructor(private readonly lexicon: LexiconData) {
    this.concepts = Object.entries(lexicon.concepts).map(([name, { zh, en }]) => ({
      name,
      zh: null,
      zhNoHan: alternation(zh.filter((w) => !HAN.test(w))),
      // Whole words or phrases; an entry ending in "*" matches any word it starts ("negotiat*").
      en: en.length ? new RegExp(`(?<![a-z])(?:${en.map(englishPattern).join('|')})(?![a-z])`) : null,
    }));
  }

  private hanTables(): HanTables {
    if (this.han) return this.han;
    const words = new Set(this.lexicon.words.map((w) => normalizeText(w)));
    const concepts = this.concepts.map((c) => ({
      ...c,
      zh: alternation(this.lexicon.concepts[c.name]?.zh ?? []),
    }));
    this.han = { words, maxWord: Math.max(1, ...[...words].map((w) => w.length)), concepts };
    return this.han;
  }

  /** The tokens of a message, for inspection and tests: Chinese words and English stems. */
  tokens(text: string): string[] {
    const norm = readAsMandarin(text).toLowerCase();
    const out: string[] = [];
    for (const run of norm.match(HAN_RUN) ?? []) out.push(...this.segmentHan(run));
    for (const word of this.englishWords(norm)) out.push(this.stem(word));
    return out;
  }

  private readonly memo = new LRUCache<string, string[]>({ max: FEATURE_MEMO });

  /**
   * The classifier's features for one message: unique strings. A message is featurized more
   * than once (the intent, then the knowledge base's ranking), and the NLU keeps its readings
   * of recent messages, so the features of as many messages are kept: a reading taken from the
   * NLU's cache must not leave the ranking to featurize the message again.
   */
  features(text: string, entities?: Entities): string[] {
    const cached = this.memo.get(text);
    if (cached) return cached;
    const features = this.compute(text, entities ?? extractEntities(text));
    this.memo.set(text, features);
    return features;
  }

  private compute(text: string, entities: Entities): string[] {
    const norm = readAsMandarin(text).toLowerCase();
    const features = new Set<string>();

    for (const run of norm.match(HAN_RUN) ?? []) {
      for (const word of this.segmentHan(run)) features.add(`w:${word}`);
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        if (i + 1 < chars.length) features.add(`c:${chars[i]}${chars[i + 1]}`);
      }
    }

    let previous: string | undefined;
    for (const word of this.englishWords(norm)) {
      const stem = this.stem(word);
      features.add(`w:${stem}`);
      // Character 4-grams of longer words: "refuesd" still shares "<ref", "refu" with "refused".
      if (word.length >= 5) {
        const padded = `<${word}>`;
        for (let i = 0; i + 4 <= padded.length; i++) features.add(`g:${padded.slice(i, i + 4)}`);
      }
      if (previous) features.add(`b:${previous}_${stem}`);
      previous = stem;
    }

    // Message length in words (Chinese: words from the segmenter): one-word messages are nearly
    // always greetings, thanks or a button's words, rarely an off-domain request.
    let words = 0;
    for (const f of features) if (f.startsWith('w:')) words++;
    features.add(`@len:${words <= 1 ? '1' : words <= 3 ? '2-3' : words <= 7 ? '4-7' : '8+'}`);
    if (DIGITS.test(norm)) features.add('#digits');
    const hasHan = HAN.test(norm);
    for (const concept of hasHan ? this.hanTables().concepts : this.concepts) {
      const zh = hasHan ? concept.zh : concept.zhNoHan;
      if (zh?.test(norm) || concept.en?.test(norm)) features.add(`#${concept.name}`);
    }
    this.addEntityFeatures(entities, features);
    // No domain cue at all (no concept, no rate, amount or platform): a strong out-of-scope sign
    // that presence-only features cannot express by themselves.
    let cue = false;
    for (const f of features) {
      if (
        (f.startsWith('#') && f !== '#digits') ||
        f.startsWith('@rate') ||
        f.startsWith('@amount') ||
        f.startsWith('@platform')
      ) {
        cue = true;
        break;
      }
    }
    if (!cue) features.add('#none');
    return [...features];
  }

  private addEntityFeatures(e: Entities, features: Set<string>): void {
    if (e.amounts?.length) features.add(e.amounts.length > 1 ? '@amounts' : '@amount');
    if (e.rates?.length) features.add(e.rates.length > 1 ? '@rates' : '@rate');
    if (e.period) features.add('@period');
    for (const p of e.platforms ?? []) features.add(`@platform:${p}`);
    if (e.difficulty) features.add('@difficulty');
  }

  /** Longest lexicon match first; what lies between matches goes to Intl.Segmenter. */
  private segmentHan(run: string): string[] {
    const { words, maxWord } = this.hanTables();
    const out: string[] = [];
    let rest = '';
    const flush = (): void => {
      if (!rest) return;
      for (const s of segmenter.segment(rest)) if (s.isWordLike) out.push(s.segment);
      rest = '';
    };
    let i = 0;
    while (i < run.length) {
      let matched = '';
      for (let len = Math.min(maxWord, run.length - i); len >= 2; len--) {
        const candidate = run.slice(i, i + len);
        if (words.has(candidate)) {
          matched = candidate;
          break;
        }
      }
      if (matched) {
        flush();
        out.push(matched);
        i += matched.length;
      } else {
        rest += run[i];
        i++;
      }
    }
    flush();
    return out;
  }

  private englishWords(norm: string): string[] {
    const latin = norm.match(LATIN_RUN);
    if (!latin) return [];
    return englishTokenizer
      .tokenize(latin.join(' '))
      .map((w) => w.replace(/'s$/, '').replace(/^'+|'+$/g, ''));
  }

  private stem(word: string): string {
    let stem = this.stemCache.get(word);
    if (stem === undefined) {
      stem = PorterStemmer.stem(word);
      // Bounded: the cache only ever holds the vocabulary plus a little.
      if (this.stemCache.size < 50_000) this.stemCache.set(word, stem);
    }
    return stem;
  }
}
