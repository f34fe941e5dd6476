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

/**
 * OpenCC's phrase table matches across word boundaries in this domain's sentences: 发卡行 (card
 * issuer) becomes 髮卡行 (hairpin), 银发〔2021〕 (a PBOC notice) 銀髮, 商家私下 商傢俬下, 只能 after
 * 多/是 隻能. These forms never belong in a reply about payments, so they are put right after the
 * conversion (each found by converting every Chinese reply text in knowledge/).
 */
const AFTER_CONVERSION: [string, string][] = [
  ['髮', '發'],
  ['隻', '只'],
  ['釦', '扣'],
  ['箇', '個'],
  ['齣', '出'],
  ['商傢俬', '商家私'],
  ['傢俱', '家具'],
  ['寫明瞭', '寫明了'],
  ['諾里', '諾裡'],
  ['卡里', '卡裡'],
  ['道里', '道裡'],
  ['封后', '封後'],
  ['太沖', '太衝'],
  ['併為', '並為'],
];

/** Simplified → traditional characters (Taiwan standard forms; words are left as they are). */
export function toTraditional(text: string): string {
  if (!toTraditionalRaw) {
    // A require, not an import: the tables load for the first traditional message only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const opencc = require('opencc-js/cn2t') as typeof import('opencc-js/cn2t');
    const convert = opencc.Converter({ from: 'cn', to: 'tw' });
    const fix = opencc.CustomConverter(AFTER_CONVERSION);
    toTraditionalRaw = (t) => fix(convert(t));
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
