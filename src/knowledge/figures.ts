/**
 * Finds the figures a text states, so that validation can demand a source for each one.
 *
 * A figure is any run of digits (with decimals, thousands separators, %, ‰) and the Chinese
 * written forms that carry a quantity (千分之六, 一万元, 七个工作日, 九折, 十亿). List markers at the start of
 * a line ("1. ", "2) ") and template placeholders (`{{monthlyFee}}`) are not figures: the first
 * is layout, the second is the user's own number.
 */

const PLACEHOLDER = /\{\{\s*[a-zA-Z]+\s*\}\}/g;
const LIST_MARKER = /^(\s*)\d{1,2}[.)、．](?=\s)/gm;
const ARABIC = /\d+(?:[.,，]\d+)*\s*(?:%|‰)?/g;
const CN_DIGIT = '[零一二两三四五六七八九十百千万亿]';
const CN_UNIT = '(?:万元|万|亿|元|块|个工作日|个月|天|年|项|%|折|倍|成)';
const CHINESE = new RegExp(`(?:千分之|百分之|万分之)${CN_DIGIT}+|${CN_DIGIT}+${CN_UNIT}`, 'g');
/** Everyday words built from numerals that state no figure: 千万别, 三天两头, 一天到晚, 万一 … */
const NOT_A_FIGURE = /千万(?=别|不|要|记|注意)|三天两头|一天到晚|一年到头|万一|一成不变|十成|一元化|一天天|一年年/g;

/** "一年", "一天", "一项": "a year", "a day", "one item" are ordinary words, not figures. */
const ONE_OF_A_KIND = /^一(?:年|天|项|块|个月|倍|成)$/;

/** Removes every declared figure from the text, then returns what numbers are left. */
export function undeclaredFigures(text: string, declared: readonly string[]): string[] {
  // Full-width digits (１２３６３) are the same figures as ASCII ones.
  let rest = text.normalize('NFKC').replace(PLACEHOLDER, ' ').replace(LIST_MARKER, '$1');
  // Longest first, so that "0.38%" is masked before "0.38".
  for (const figure of [...declared].sort((a, b) => b.length - a.length)) {
    rest = rest.split(figure.normalize('NFKC')).join(' ');
  }
  rest = rest.replace(NOT_A_FIGURE, ' ');
  const found = [...(rest.match(ARABIC) ?? []), ...(rest.match(CHINESE) ?? [])];
  return found
    .map((f) => f.trim())
    .filter((f) => f.length > 0 && !ONE_OF_A_KIND.test(f));
}

/** True when the text mentions the declared figure at all (a stale declaration is an error too). */
export function mentions(text: string, figure: string): boolean {
  return text.includes(figure);
}
