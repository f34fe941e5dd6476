/**
 * Reading the numbers of a fee question: monthly volume, current and target rate. A yearly
 * amount becomes monthly; the larger amount is the volume; of two rates the first is the current
 * one; a single rate is the target when said as a goal or asked for as one.
 */
import { normalizeText } from '../text/normalize';
import type { Entities } from '../nlu/types';
import { readSlotAnswer } from '../nlu/slots';

export interface FeeSlots {
  volume?: number;
  current?: number;
  target?: number;
  /** The user said they don't know their volume: calculate per 10,000 instead. */
  noVolume?: boolean;
  /** The user said they don't know their rate: show the public reference rates instead. */
  noCurrent?: boolean;
}

const TARGET_WORDS =
  /(降到|降至|降为|降低到|想要|目标|希望|换成|改成|谈到|down to|reduce to|lower to|cut to|drop to|target|want|get to|to\s*\d)/i;
export const DONT_KNOW = /(不知道|不清楚|不确定|忘了|没算过|don'?t know|not sure|no idea|unsure)/i;

export function readFeeSlots(
  text: string,
  entities: Entities,
  slots: FeeSlots,
  asking?: keyof FeeSlots,
): FeeSlots {
  const out = { ...slots };
  const amounts = entities.amounts ?? [];
  if (amounts.length > 0) {
    const biggest = Math.max(...amounts);
    out.volume = entities.period === 'year' ? Math.round(biggest / 12) : biggest;
  }
  const rates = entities.rates ?? [];
  if (rates.length >= 2) {
    out.current = rates[0];
    out.target = rates[1];
  } else if (rates.length === 1) {
    const rate = rates[0] as number;
    const saysTarget = TARGET_WORDS.test(normalizeText(text));
    // One rate: the current one when asked for or unknown; a lower one said as a goal is the target.
    const isTarget =
      asking === 'target' ||
      (asking !== 'current' && (saysTarget || (out.current !== undefined && rate < out.current)));
    if (isTarget) out.target = rate;
    else out.current = rate;
  }
  // The answer to a question about one number: a bare "0.45", "千6", "七八万", "不知道".
  if ((asking === 'volume' || asking === 'current' || asking === 'target') && out[asking] === slots[asking]) {
    const answer = readSlotAnswer(text, asking === 'volume' ? 'monthly_volume' : 'rate', 'zh');
    if (typeof answer.value === 'number' && !answer.newQuestion) out[asking] = answer.value;
    else if (answer.unknown || (amounts.length === 0 && DONT_KNOW.test(text))) {
      if (asking === 'volume') out.noVolume = true;
      if (asking === 'current') out.noCurrent = true;
    }
  }
  return out;
}

/** The number still needed before anything can be calculated. */
export function missingFeeSlot(slots: FeeSlots): 'volume' | 'current' | undefined {
  if (slots.volume === undefined && !slots.noVolume) return 'volume';
  return slots.current === undefined && !slots.noCurrent ? 'current' : undefined;
}
