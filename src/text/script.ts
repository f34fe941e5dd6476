/**
 * Which Chinese script a message is written in, and the conversion of replies to traditional
 * characters for people who write in them. The simplified → traditional tables load on the first
 * traditional message (about 0.4 s once per process), so simplified-only processes never pay.
 */
import { toSimplified } from './normalize';

export type Script = 'traditional' | 'simplified';

const HAN = /\p{Script=Han}/gu;
/** Enough characters that a simplified sentence almost surely has one that differs. */
const MIN_SIMPLIFIED_EVIDENCE = 4;

/**
 * Traditional when converting to simplified changes the text; simplified when a sentence of some
 * length does not change; undefined for text too short to tell ("你好", "好的", numbers).
 */
export function scriptOf(text: string): Script | undefined {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return undefined;
  if (toSimplified(text) !== text) return 'traditional';
  return han >= MIN_SIMPLIFIED_EVIDENCE ? 'simplified' : undefined;
}

let toTraditionalRaw: ((text: string) => string) | undefined;

/** Simplified → traditional characters (Taiwan standard forms; words are left as they are). */
export function toTraditional(text: string): string {
  if (!toTraditionalRaw) {
    // A require, not an import: the tables load for the first traditional message only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Converter } = require('opencc-js/cn2t') as typeof import('opencc-js/cn2t');
    toTraditionalRaw = Converter({ from: 'cn', to: 'tw' });
  }
  return toTraditionalRaw(text);
}

/** Every string inside a value (a reply's card data), converted; numbers and keys unchanged. */
export function deepToTraditional<T>(value: T): T {
  if (typeof value === 'string') return toTraditional(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => deepToTraditional(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepToTraditional(v);
    return out as T;
  }
  return value;
}
