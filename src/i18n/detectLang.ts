/**
 * Per-message language detection: the language the message is written in, not the language of
 * every term in it. Chinese is the main language unless the sentence around the Chinese is
 * English ("what does 我的客服 mean" is English; "我想降低fee rate" is Chinese): at least three
 * English words, one of them a function word, and no more than two Chinese characters per
 * English word, and not both beginning and ending in Chinese. A message with neither script ("0.6%", "2", "👍") has no language of its own.
 */
import type { Lang } from '../knowledge/schema';

const HAN = /\p{Script=Han}/gu;
const HAN_CHAR = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LATIN_WORD = /\p{Script=Latin}+(?:['’]\p{Script=Latin}+)?/gu;

/** Letters glued to a number as its unit ("3w", "80k", "1.2m", "5bp", "0.6pct") are not words. */
const NUMBER_UNIT = /\d(?:w|k|m|mn|bn|bp|bps|pct)(?![a-z])/gi;

/** Words that only an English sentence has: a term quoted into Chinese rarely brings one. */
const FUNCTION_WORDS = new Set(
  (
    'a an the is are was were be been am do does did i me my we our you your he she it its they them their ' +
    'this that what which who whom whose when where why how can could would should will shall may might must ' +
    'to of in on at for from with about into by and or but if not no so than then there here have has had ' +
    'mean means please pls said says say tell asked'
  ).split(' '),
);

export function detectLang(text: string): Lang | undefined {
  const han = text.match(HAN)?.length ?? 0;
  const latinText = LATIN.test(text) ? text.replace(NUMBER_UNIT, '0') : '';
  const words = latinText.match(LATIN_WORD) ?? [];
  if (han === 0) return words.length > 0 ? 'en' : undefined;
  if (words.length < 3 || han > 2 * words.length) return 'zh';
  // English quoted inside a Chinese sentence: it begins and ends in Chinese.
  const letters = text.match(/[\p{Script=Han}\p{Script=Latin}]/gu) ?? [];
  if (HAN_CHAR.test(letters[0] ?? '') && HAN_CHAR.test(letters[letters.length - 1] ?? '')) return 'zh';
  return words.some((w) => FUNCTION_WORDS.has(w.toLowerCase())) ? 'en' : 'zh';
}
