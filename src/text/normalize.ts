/**
 * Text normalisation shared by tokenization and entity extraction: Unicode NFKC (full-width
 * digits and letters become ASCII), traditional → simplified Chinese, and a few variant forms
 * OpenCC leaves that our lexicon does not expect.
 */
import { Converter } from 'opencc-js/t2cn';
import { LRUCache } from 'lru-cache';

// Taiwan standard → mainland simplified. Built once; about 15 ms at start.
const toSimplifiedRaw = Converter({ from: 'tw', to: 'cn' });

// OpenCC maps 帳 to 帐, but mainland usage for accounts is 账 (账户, 账号, 对账).
const VARIANTS: [RegExp, string][] = [[/帐/g, '账']];

export function toSimplified(text: string): string {
  let out = toSimplifiedRaw(text);
  for (const [from, to] of VARIANTS) out = out.replace(from, to);
  return out;
}

const recent = new LRUCache<string, string>({ max: 64 });

/**
 * NFKC, simplified Chinese, collapsed white space. Case is kept (entity patterns need it rarely).
 * Every part of a turn normalises the same message, so the last few results are kept.
 */
export function normalizeText(text: string): string {
  const cached = recent.get(text);
  if (cached !== undefined) return cached;
  const out = toSimplified(text.normalize('NFKC')).replace(/\s+/g, ' ').trim();
  recent.set(text, out);
  return out;
}
