/**
 * Per-message language detection (CONTRACTS section 3): any Chinese character makes the message
 * Chinese (mixed text counts as zh); Latin letters without Chinese make it English; a message
 * with neither ("0.6%", "2", "👍") has no language of its own.
 */
import type { Lang } from '../knowledge/schema';

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/** Letters glued to a number as its unit ("3w", "80k", "1.2m", "5bp", "0.6pct") are not words. */
const NUMBER_UNIT = /\d(?:w|k|m|mn|bn|bp|bps|pct)(?![a-z])/gi;

export function detectLang(text: string): Lang | undefined {
  if (HAN.test(text)) return 'zh';
  if (LATIN.test(text) && LATIN.test(text.replace(NUMBER_UNIT, '0'))) return 'en';
  return undefined;
}
