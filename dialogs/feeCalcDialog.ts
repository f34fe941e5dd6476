/**
 * The fee calculator: monthly and yearly fee at each rate, the saving, and a comparison with the
 * sourced reference rates of the knowledge base. Takes what the message (or the user's profile)
 * already says and asks only for what is missing.
 */
import type { TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from '../src/lib/dialogs';
import { formatMoney, formatRate, monthlyFee, saving } from '../src/fees/feeMath';
import { sourceLine } from '../src/knowledge/render';
import type { Intent, Lang, Source } from '../src/knowledge/schema';
import { extractEntities } from '../src/nlu/entities';
import type { Entities } from '../src/nlu/types';
import { normalizeText } from '../src/nlu/normalize';
import { message } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo, type TurnInfo } from '../src/runtime/turnInfo';
import type { Facts } from '../src/state/profile';
import { CoachDialog } from './coachDialog';

export interface FeeSlots {
  volume?: number;
  current?: number;
  target?: number;
  /** The user said they don't know their volume: calculate per 10,000 instead. */
  noVolume?: boolean;
}

const TARGET_WORDS =
  /(降到|降至|降为|降低到|想要|目标|希望|换成|改成|谈到|down to|reduce to|lower to|cut to|drop to|target|want|get to|to\s*\d)/i;
const DONT_KNOW = /(不知道|不清楚|不确定|忘了|没算过|don'?t know|not sure|no idea|unsure)/i;

/** Reads volume and rates from a message: a yearly amount becomes monthly; the larger amount is the volume. */
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
  if (asking === 'volume' && amounts.length === 0 && DONT_KNOW.test(text)) out.noVolume = true;
  return out;
}

/** The number still needed before anything can be calculated. */
function missingSlot(slots: FeeSlots): 'volume' | 'current' | undefined {
  if (slots.volume === undefined && !slots.noVolume) return 'volume';
  return slots.current === undefined ? 'current' : undefined;
}

function fromFacts(facts: Facts): FeeSlots {
  return { volume: facts.monthlyVolume, current: facts.currentRate, target: facts.targetRate };
}

/** What the waterfall remembers between asking and reading. */
interface StepValues {
  slots?: FeeSlots;
  asking?: keyof FeeSlots;
}

const ASK: Record<'volume' | 'current', { zh: string; en: string }> = {
  volume: {
    zh: '你每月通过支付宝收款大概多少？（比如：10万、8千；不清楚就说“不知道”）',
    en: 'Roughly how much do you take through Alipay a month? (e.g. 100k, 8,000; or say “don’t know”)',
  },
  current: {
    zh: '你现在的费率是多少？（比如：0.6%、千分之六；在商家后台能查到）',
    en: 'What is your current rate? (e.g. 0.6% or 6‰; your merchant console shows it)',
  },
};

export class FeeCalcDialog extends CoachDialog {
  static readonly id = 'fee_calc';
  protected readonly ownIntents: readonly Intent[] = ['fee_calc', 'fees'];

  constructor(services: CoachServices) {
    super(FeeCalcDialog.id, services);
    this.addDialog(new TextPrompt('fee.prompt'));
    this.addDialog(new WaterfallDialog('fee.steps', [this.askStep.bind(this), this.readStep.bind(this)]));
    this.initialDialogId = 'fee.steps';
  }

  protected override looksLikeAnswer(info: TurnInfo, _pending: Record<string, unknown>): boolean {
    const e = info.nlu?.entities;
    return (e?.amounts?.length ?? 0) > 0 || (e?.rates?.length ?? 0) > 0 || DONT_KNOW.test(info.text);
  }

  /**
   * Answers a request that already holds every number ("10万流水，0.6%降到0.38%能省多少") in
   * this turn, without beginning the dialog: true when it did. A calculation that needs no
   * question needs no dialog stack, and skipping it makes this common question a third cheaper.
   */
  async answerAtOnce(context: TurnContext, text: string): Promise<boolean> {
    const slots = await this.learnSlots(context, { text });
    if (missingSlot(slots)) return false;
    await context.sendActivity(this.result(slots, getTurnInfo(context).lang));
    return true;
  }

  /** The numbers known so far (from the dialog's options, the message, the profile), remembered. */
  private async learnSlots(
    context: TurnContext,
    options: { text?: string; slots?: FeeSlots },
  ): Promise<FeeSlots> {
    const info = getTurnInfo(context);
    const profile = await this.services.state.getProfile(context);
    let slots = options.slots ?? fromFacts(profile.facts);
    if (!options.slots && options.text) {
      slots = readFeeSlots(options.text, info.nlu?.entities ?? extractEntities(options.text), slots);
    }
    // Remember what we learnt: the plan, templates and the role-play use the same facts.
    if (slots.volume !== undefined) profile.facts.monthlyVolume = slots.volume;
    if (slots.current !== undefined) profile.facts.currentRate = slots.current;
    if (slots.target !== undefined) profile.facts.targetRate = slots.target;
    profile.role ??= 'merchant';
    profile.issue ??= 'fees';
    return slots;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(step.context);
    const slots = await this.learnSlots(
      step.context,
      (step.options ?? {}) as { text?: string; slots?: FeeSlots },
    );
    const missing = missingSlot(slots);
    if (!missing) {
      await step.context.sendActivity(this.result(slots, info.lang));
      return step.endDialog(slots);
    }
    const values = step.values as StepValues;
    values.slots = slots;
    values.asking = missing;
    const buttons = missing === 'current' ? ['0.6%', '0.38%'] : [];
    return step.prompt('fee.prompt', { prompt: message(ASK[missing][info.lang], buttons) });
  }

  private async readStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(step.context);
    info.answeredPrompt = true;
    const text = String(step.result ?? '');
    const values = step.values as StepValues;
    const slots = readFeeSlots(
      text,
      info.nlu?.entities ?? extractEntities(text),
      values.slots ?? {},
      values.asking,
    );
    return step.replaceDialog('fee.steps', { slots });
  }

  private result(slots: FeeSlots, lang: Lang) {
    const { kb, coaching } = this.services;
    const current = slots.current as number;
    const base = slots.volume ?? 10_000;
    const lines: string[] = [];
    const row = (label: string, rate: number): string => {
      const m = monthlyFee(base, rate);
      return lang === 'zh'
        ? `• ${label} ${formatRate(rate)}：每月${formatMoney(kb.texts, m, lang)}，每年${formatMoney(kb.texts, m * 12, lang)}`
        : `• ${label} ${formatRate(rate)}: ${formatMoney(kb.texts, m, lang)} a month, ${formatMoney(kb.texts, m * 12, lang)} a year`;
    };
    lines.push(
      slots.volume !== undefined
        ? lang === 'zh'
          ? `📊 手续费测算（月流水${formatMoney(kb.texts, base, lang)}）`
          : `📊 Fee check (monthly volume ${formatMoney(kb.texts, base, lang)})`
        : lang === 'zh'
          ? '📊 手续费测算（按每1万元流水算，乘上你的流水即可）'
          : '📊 Fee check (per CNY 10,000 of volume — multiply by yours)',
    );
    lines.push(row(lang === 'zh' ? '现在' : 'Now', current));
    if (slots.target !== undefined) {
      lines.push(row(lang === 'zh' ? '目标' : 'Target', slots.target));
      const s = saving(base, current, slots.target);
      lines.push(
        lang === 'zh'
          ? `→ 每月省${formatMoney(kb.texts, s.monthly, lang)}，每年省${formatMoney(kb.texts, s.yearly, lang)}`
          : `→ saves ${formatMoney(kb.texts, s.monthly, lang)} a month, ${formatMoney(kb.texts, s.yearly, lang)} a year`,
      );
    }
    const refs = kb.referenceRates.filter((r) => r.rate !== current && r.rate !== slots.target);
    const sources: Source[] = [];
    if (refs.length > 0) {
      lines.push(lang === 'zh' ? '参考（公开资料）：' : 'For comparison (published figures):');
      for (const r of refs) {
        lines.push(row(r.label[lang], r.rate));
        const src = kb.source(r.source);
        if (src && !sources.includes(src)) sources.push(src);
      }
    }
    lines.push(sourceLine(kb.texts, sources, lang));
    lines.push(
      lang === 'zh'
        ? '实际费率以你的商家后台或95188确认为准。'
        : 'Confirm your actual rate in your merchant console or with 95188.',
    );
    const buttons = coaching.labels(['action:plan', 'template:demand_email', 'action:roleplay'], lang);
    return message(lines.filter(Boolean).join('\n'), buttons);
  }
}
