/**
 * "Drop this and start that?": asked when, in the middle of one flow (a plan), the user clearly
 * asks for another (a role-play). Yes starts the new one; anything else goes back to the first,
 * which takes the message as its answer if it is one ("about 80k a month"), else asks again.
 */
import { assign, emit, setup } from 'xstate';
import type { FlowEffect, FlowEvent, FlowId } from '../src/conversation/flow';
import type { StoredFlow } from '../src/conversation/types';
import { isNo, isYes } from '../src/conversation/words';

/** Bumped when states or context change shape; stored with every snapshot. */
export const SWITCH_FLOW_VERSION = 1;

export interface SwitchContext {
  suspended: StoredFlow | null;
  next: { flow: FlowId; text: string } | null;
}

export const switchFlow = setup({
  types: { context: {} as SwitchContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    saysYes: ({ event }) => isYes(event.env.text, event.env.deps.kb.texts),
  },
  actions: {
    remember: assign(({ event }) =>
      event.type === 'flow.begin'
        ? { suspended: event.options?.suspended ?? null, next: event.options?.next ?? null }
        : {},
    ),
    ask: emit(({ event }) => {
      const { texts } = event.env.deps.kb;
      const { lang } = event.env;
      return {
        type: 'flow.reply' as const,
        reply: {
          text: texts.t('core.switch_flow', lang),
          actions: [texts.t('actions.yes', lang), texts.t('actions.no', lang)],
        },
      };
    }),
    startNext: emit(({ context }) => ({
      type: 'flow.start' as const,
      flow: context.next?.flow ?? 'plan',
      text: context.next?.text ?? '',
    })),
    // Anything but a no ("about 80k a month") may answer the first flow's question.
    goBack: emit(({ context, event }) =>
      context.suspended
        ? {
            type: 'flow.resume' as const,
            flow: context.suspended,
            answer: event.type === 'user.message' && !isNo(event.env.text, event.env.deps.kb.texts),
          }
        : { type: 'flow.unhandled' as const },
    ),
  },
}).createMachine({
  id: 'switch',
  context: { suspended: null, next: null },
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'asking', actions: ['remember', 'ask'] } } },
    asking: {
      on: {
        'user.message': [
          { guard: 'saysYes', target: 'done', actions: 'startNext' },
          { target: 'done', actions: 'goBack' },
        ],
        'flow.reprompt': { actions: 'ask' },
        'flow.end': { target: 'done', actions: 'goBack' },
      },
    },
    done: { type: 'final' },
  },
});
