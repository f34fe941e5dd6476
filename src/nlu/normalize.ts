/**
 * Text normalisation shared by tokenization and entity extraction: Unicode NFKC (full-width
 * digits and letters become ASCII), traditional → simplified Chinese, and a few variant forms
 * OpenCC leaves that our lexicon does not expect.
 */
import { Converter } from 'opencc-js/t2cn';

// Taiwan standard → mainland simplified. Built once; about 15 ms at start.
const toSimplifiedRaw = Converter({ from: 'tw', to: 'cn' });

// OpenCC maps 帳 to 帐, but mainland usage for accounts is 账 (账户, 账号, 对账).
const VARIANTS: [RegExp, string][] = [[/帐/g, '账']];

export function toSimplified(text: string): string {
  let out = toSimplifiedRaw(text);
  for (const [from, to] of VARIANTS) out = out.replace(from, to);
  return out;
}

/** NFKC, simplified Chinese, collapsed white space. Case is kept (entity patterns need it rarely). */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC')).replace(/\s+/g, ' ').trim();
}
