/**
 * The fee calculator, for the fee the user is asking about: a merchant's fee on sales (monthly
 * and yearly at each rate, the saving, sourced reference rates), or a person's fee on their own
 * amount (withdrawing to a bank card, repaying a credit card, paying with a foreign card) by the
 * published rule. Takes what the message and the case file already say, asks only for what is
 * missing — and says why when it asks again — and never asks a consumer for a merchant's rate.
 * A question with every number is answered in the turn it arrives.
 */
import { assign, emit, setup } from 'xstate';
import {
  amountQuestion,
  feeKindQuestion,
  feeQuestion,
  feeResultReply,
  personalFeeReply,
} from '../src/conversation/fees';
import type { FlowEffect, FlowEnv, FlowEvent } from '../src/conversation/flow';
import { FEE_KINDS, feeKindOf, type FeeKind } from '../src/fees/feeKind';
import { DONT_KNOW, missingFeeSlot, readFeeSlots, type FeeSlots } from '../src/fees/feeSlots';
import { extractEntities } from '../src/nlu/entities';

/** Bumped when states or context change shape; stored with every snapshot. */
export const FEE_CALC_FLOW_VERSION = 2;

type Asking = 'kind' | 'volume' | 'current' | 'amount';

export interface FeeCalcContext {
  kind: FeeKind | null;
  slots: FeeSlots;
  /** A person's amount (withdrawal, repayment, payment). */
  amount: number | null;
  asking: Asking | null;
  /** The last answer could not be read as the value asked for. */
  again: boolean;
}

const entitiesOf = (env: FlowEnv) => env.reading?.entities ?? extractEntities(env.text);

/** What is still needed before anything can be calculated. */
function missing(context: FeeCalcContext): Asking | undefined {
  if (!context.kind) return 'kind';
  if (context.kind !== 'merchant') return context.amount === null ? 'amount' : undefined;
  return missingFeeSlot(context.slots);
}

function kindChosen(env: FlowEnv): FeeKind | undefined {
  const { texts } = env.deps.kb;
  const t = env.text.trim();
  return FEE_KINDS.find((k) => {
    const pair = texts.pair(`fees.kind.${k}`);
    return pair.zh === t || pair.en.toLowerCase() === t.toLowerCase();
  });
}

function amountSaid(env: FlowEnv): number | undefined {
  const amounts = entitiesOf(env).amounts ?? [];
  if (amounts.length > 0) return Math.max(...amounts);
  // Asked for an amount, a bare number is the amount ("30000", "5千" is read by the entities).
  const bare = /^\s*(\d+(?:\.\d+)?)\s*(?:元|块|rmb|cny|yuan)?\s*$/i.exec(env.text);
  return bare ? Number(bare[1]) : undefined;
}

export const feeCalcFlow = setup({
  types: { context: {} as FeeCalcContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    complete: ({ context }) => missing(context) === undefined,
    notAnAnswer: ({ context, event }) => {
      if (!event.env.interruption) return false;
      if (context.asking === 'kind') return kindChosen(event.env) === undefined;
      const e = event.env.reading?.entities;
      // Only the kind of number asked for answers: "they said they can do 0.5%" is Alipay's offer,
      // not the monthly volume the calculation waits for.
      const numbers =
        context.asking === 'current'
          ? (e?.rates?.length ?? 0) > 0
          : (e?.amounts?.length ?? 0) > 0 || /^\s*\d/.test(event.env.text);
      return !numbers && !DONT_KNOW.test(event.env.text);
    },
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const f = env.profile.facts;
      const text = event.type === 'flow.begin' ? (event.text ?? '') : '';
      const entities = entitiesOf(env);
      const kind = feeKindOf(text, entities, env.profile) ?? null;
      const known: FeeSlots = { volume: f.monthlyVolume, current: f.currentRate, target: f.targetRate };
      const amounts = entities.amounts ?? [];
      return {
        kind,
        slots: kind === 'merchant' && text ? readFeeSlots(text, entities, known) : known,
        amount: amounts.length > 0 ? Math.max(...amounts) : (f.amount ?? null),
        asking: null,
        again: false,
      };
    }),
    takeAnswer: assign(({ context, event }) => {
      const env = event.env;
      switch (context.asking) {
        case 'kind':
          return {
            kind: kindChosen(env) ?? feeKindOf(env.text, entitiesOf(env), env.profile) ?? null,
            asking: null,
            again: false,
          };
        case 'amount': {
          const amount = amountSaid(env);
          return { amount: amount ?? null, asking: null, again: amount === undefined };
        }
        default: {
          const slots = readFeeSlots(env.text, entitiesOf(env), context.slots, context.asking ?? undefined);
          const before = missingFeeSlot(context.slots);
          return { slots, asking: null, again: missingFeeSlot(slots) === before };
        }
      }
    }),
    chooseQuestion: assign(({ context }) => ({ asking: missing(context) ?? null })),
    // What was learnt is remembered: the plan, letters and the role-play use the same facts.
    remember: emit(({ context, event }) => ({
      type: 'flow.profile' as const,
      patch:
        context.kind === 'merchant'
          ? {
              role: event.env.profile.role ?? 'merchant',
              issue: event.env.profile.issue ?? 'fees',
              facts: {
                monthlyVolume: context.slots.volume,
                currentRate: context.slots.current,
                targetRate: context.slots.target,
              },
            }
          : context.kind
            ? {
                role: event.env.profile.role ?? 'consumer',
                issue: event.env.profile.issue ?? 'fees',
                facts: {
                  amount: context.amount ?? undefined,
                  products: [...new Set([...(event.env.profile.facts.products ?? []), context.kind])],
                },
              }
            : {},
    })),
    ask: emit(({ context, event }) => {
      const { deps, lang } = event.env;
      const asking = context.asking ?? 'kind';
      const reply =
        asking === 'kind'
          ? feeKindQuestion(deps, lang)
          : asking === 'amount'
            ? amountQuestion(
                deps,
                context.kind === 'merchant' || !context.kind ? 'withdrawal' : context.kind,
                lang,
                context.again,
              )
            : feeQuestion(deps, asking, lang, context.again);
      return { type: 'flow.reply' as const, reply };
    }),
    showResult: emit(({ context, event }) => {
      const { deps, lang } = event.env;
      const reply =
        context.kind === 'merchant' || !context.kind
          ? feeResultReply(deps, context.slots, lang)
          : personalFeeReply(deps, context.kind, context.amount ?? 0, lang);
      return { type: 'flow.reply' as const, reply };
    }),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'fee_calc',
  context: { kind: null, slots: {}, amount: null, asking: null, again: false },
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'deciding', actions: ['begin', 'remember'] } } },
    deciding: {
      always: [
        { guard: 'complete', target: 'done', actions: 'showResult' },
        { target: 'asking', actions: ['chooseQuestion', 'ask'] },
      ],
    },
    asking: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { target: 'deciding', actions: ['takeAnswer', 'remember'] },
        ],
        'flow.reprompt': { actions: 'ask' },
        'flow.end': { target: 'done' },
      },
    },
    done: { type: 'final' },
  },
});
