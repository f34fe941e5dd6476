/**
 * /reset: asks first, then forgets the user's stage, plan and practice history (their explicit
 * language choice stays). Anything but a clear yes keeps everything.
 */
import { emit, setup } from 'xstate';
import { textReply, type FlowEffect, type FlowEvent } from '../src/conversation/flow';
import { isYes } from '../src/conversation/words';

/** Bumped when states or context change shape; stored with every snapshot. */
export const RESET_FLOW_VERSION = 1;

export const resetFlow = setup({
  types: { events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    saysYes: ({ event }) => isYes(event.env.text, event.env.deps.kb.texts),
  },
  actions: {
    askConfirmation: emit(({ event }) => {
      const { texts } = event.env.deps.kb;
      const { lang } = event.env;
      return textReply(event.env, 'core.reset_confirm', undefined, [
        texts.t('actions.yes', lang),
        texts.t('actions.no', lang),
      ]);
    }),
    clearRecord: emit({ type: 'flow.clear' } as const),
    sayCleared: emit(({ event }) => textReply(event.env, 'core.reset_done')),
    sayKept: emit(({ event }) => textReply(event.env, 'core.reset_kept')),
  },
}).createMachine({
  id: 'reset',
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'confirming', actions: 'askConfirmation' } } },
    confirming: {
      on: {
        'user.message': [
          { guard: 'saysYes', target: 'done', actions: ['clearRecord', 'sayCleared'] },
          { target: 'done', actions: 'sayKept' },
        ],
        'flow.reprompt': { actions: 'askConfirmation' },
        'flow.end': { target: 'done', actions: 'sayKept' },
      },
    },
    done: { type: 'final' },
  },
});
