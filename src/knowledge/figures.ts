/**
 * Finds the figures a text states, so that validation can demand a source for each one.
 *
 * A figure is any run of digits (with decimals, thousands separators, %, ‰) and the Chinese
 * written forms that carry a quantity (千分之六, 两万元, 七个工作日). List markers at the start of
 * a line ("1. ", "2) ") and template placeholders (`{{monthlyFee}}`) are not figures: the first
 * is layout, the second is the user's own number.
 */

const PLACEHOLDER = /\{\{\s*[a-zA-Z]+\s*\}\}/g;
const LIST_MARKER = /^(\s*)\d{1,2}[.)、．](?=\s)/gm;
const ARABIC = /\d+(?:[.,，]\d+)*\s*(?:%|‰)?/g;
const CN_DIGIT = '[零一二两三四五六七八九十百千万亿]';
const CHINESE = new RegExp(
  `(?:千分之|百分之|万分之)${CN_DIGIT}+|${CN_DIGIT}*[二两三四五六七八九十百千]${CN_DIGIT}*(?:万元|万|元|个工作日|个月|天|年|项|%)`,
  'g',
);

/** Removes every declared figure from the text, then returns what numbers are left. */
export function undeclaredFigures(text: string, declared: readonly string[]): string[] {
  let rest = text.replace(PLACEHOLDER, ' ').replace(LIST_MARKER, '$1');
  // Longest first, so that "0.38%" is masked before "0.38".
  for (const figure of [...declared].sort((a, b) => b.length - a.length)) {
    rest = rest.split(figure).join(' ');
  }
  const found = [...(rest.match(ARABIC) ?? []), ...(rest.match(CHINESE) ?? [])];
  return found.map((f) => f.trim()).filter((f) => f.length > 0);
}

/** True when the text mentions the declared figure at all (a stale declaration is an error too). */
export function mentions(text: string, figure: string): boolean {
  return text.includes(figure);
}
