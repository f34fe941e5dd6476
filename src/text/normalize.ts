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

/**
 * Written Cantonese (Hong Kong users: "去深圳俾錢成日俾拒絕", "點樣搵人工客服") read as the
 * Mandarin the intent models learnt: the common function words and verbs only, after
 * simplification. For the NLU's input only: replies, script detection and the role-play skill
 * model (trained on its own lines at build time) read the text as written.
 */
const CANTONESE: [RegExp, string][] = [
  [/唔该/g, '谢谢'],
  [/系咪/g, '是不是'],
  [/唔系/g, '不是'],
  [/点样/g, '怎样'],
  [/点解/g, '为什么'],
  [/点算/g, '怎么办'],
  [/[搵揾]/g, '找'],
  [/喺/g, '在'],
  [/冇/g, '没有'],
  [/咗/g, '了'],
  [/嘅/g, '的'],
  [/佢哋/g, '他们'],
  [/我哋/g, '我们'],
  [/你哋/g, '你们'],
  [/佢/g, '他'],
  [/乜嘢|咩嘢/g, '什么'],
  [/咩/g, '什么'],
  [/啲/g, '些'],
  [/睇/g, '看'],
  [/成日/g, '经常'],
  [/而家/g, '现在'],
  [/边度/g, '哪里'],
  [/几多/g, '多少'],
  [/俾(?=拒|人|封|冻|限|扣|骗|盗|退)/g, '被'],
  [/[俾畀]/g, '给'],
  [/唔/g, '不'],
];

/** Any of the words above: the mapping runs only when one is there. */
const CANTONESE_MARK = new RegExp(CANTONESE.map(([from]) => from.source).join('|'));

/** Simplified text with written Cantonese read as Mandarin (unchanged when it has none). */
export function cantoneseAsMandarin(simplified: string): string {
  let out = simplified;
  if (CANTONESE_MARK.test(out)) for (const [from, to] of CANTONESE) out = out.replace(from, to);
  return out;
}

/** normalizeText, with written Cantonese read as Mandarin: what the NLU's features read. */
export function readAsMandarin(text: string): string {
  return cantoneseAsMandarin(normalizeText(text));
}
