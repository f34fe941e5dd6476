/**
 * Text normalisation shared by tokenization and entity extraction: Unicode NFKC (full-width
 * digits and letters become ASCII), traditional → simplified Chinese, and a few variant forms
 * OpenCC leaves that our lexicon does not expect.
 */
import { LRUCache } from 'lru-cache';

/** Any CJK ideograph: text without one has nothing to convert (nor Chinese words to read). */
export const HAN = /\p{Script=Han}/u;

let toSimplifiedRaw: ((text: string) => string) | undefined;

/**
 * Taiwan standard → mainland simplified, built on the first Chinese text (its tables cost about
 * 15 ms): a process whose first message is English answers sooner (`npm run bench`, cold start).
 */
function simplifier(): (text: string) => string {
  if (toSimplifiedRaw) return toSimplifiedRaw;
  // A require, not an import: loading OpenCC's tables is what the first Chinese text pays for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Converter } = require('opencc-js/t2cn') as typeof import('opencc-js/t2cn');
  toSimplifiedRaw = Converter({ from: 'tw', to: 'cn' });
  return toSimplifiedRaw;
}

// OpenCC maps 帳 to 帐, but mainland usage for accounts is 账 (账户, 账号, 对账).
const VARIANTS: [RegExp, string][] = [[/帐/g, '账']];

export function toSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  let out = simplifier()(text);
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
