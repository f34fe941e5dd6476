/**
 * The fee calculator: monthly and yearly fee at each rate, the saving, and a comparison with the
 * sourced reference rates. Takes what the message (and the user's record) already says and asks
 * only for what is missing; a question with every number is answered in the turn it arrives.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { feeQuestion, feeResultReply } from '../src/conversation/fees';
import type { FlowEffect, FlowEnv, FlowEvent } from '../src/conversation/flow';
import { DONT_KNOW, missingFeeSlot, readFeeSlots, type FeeSlots } from '../src/fees/feeSlots';
import { extractEntities } from '../src/nlu/entities';

/** Bumped when states or context change shape; stored with every snapshot. */
export const FEE_CALC_FLOW_VERSION = 1;

export interface FeeCalcContext {
  slots: FeeSlots;
  asking: 'volume' | 'current' | null;
}

const entitiesOf = (env: FlowEnv) => env.reading?.entities ?? extractEntities(env.text);

export const feeCalcFlow = setup({
  types: { context: {} as FeeCalcContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    complete: ({ context }) => missingFeeSlot(context.slots) === undefined,
    notAnAnswer: ({ event }) => {
      const e = event.env.reading?.entities;
      const numbers = (e?.amounts?.length ?? 0) + (e?.rates?.length ?? 0) > 0;
      return event.env.interruption && !numbers && !DONT_KNOW.test(event.env.text);
    },
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const f = env.profile.facts;
      const known: FeeSlots = { volume: f.monthlyVolume, current: f.currentRate, target: f.targetRate };
      const text = event.type === 'flow.begin' ? (event.text ?? '') : '';
      return { slots: text ? readFeeSlots(text, entitiesOf(env), known) : known, asking: null };
    }),
    takeAnswer: assign(({ context, event }) => ({
      slots: readFeeSlots(event.env.text, entitiesOf(event.env), context.slots, context.asking ?? undefined),
      asking: null,
    })),
    chooseQuestion: assign(({ context }) => ({ asking: missingFeeSlot(context.slots) ?? null })),
    // What was learnt is remembered: the plan, letters and the role-play use the same facts.
    remember: emit(({ context, event }) => ({
      type: 'flow.profile' as const,
      patch: {
        role: event.env.profile.role ?? 'merchant',
        issue: event.env.profile.issue ?? 'fees',
        facts: {
          monthlyVolume: context.slots.volume,
          currentRate: context.slots.current,
          targetRate: context.slots.target,
        },
      },
    })),
    ask: emit(({ context, event }) => ({
      type: 'flow.reply' as const,
      reply: feeQuestion(event.env.deps, context.asking ?? 'volume', event.env.lang),
    })),
    showResult: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({
        type: 'flow.reply',
        reply: feeResultReply(event.env.deps, context.slots, event.env.lang),
      });
    }),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'fee_calc',
  context: { slots: {}, asking: null },
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
