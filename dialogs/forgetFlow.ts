/**
 * /forget: asks first, then deletes what the coach stores about the user — stage, case, plan,
 * practice history, language choice (CONTRACTS section 9). Anything but a clear yes keeps it all.
 */
import { emit, setup } from 'xstate';
import { textReply, type FlowEffect, type FlowEvent } from '../src/conversation/flow';
import { isYes } from '../src/conversation/words';

/** Bumped when states or context change shape; stored with every snapshot. */
export const FORGET_FLOW_VERSION = 1;

export const forgetFlow = setup({
  types: { events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    saysYes: ({ event }) => isYes(event.env.text, event.env.deps.kb.texts),
  },
  actions: {
    askConfirmation: emit(({ event }) => {
      const { texts } = event.env.deps.kb;
      const { lang } = event.env;
      return textReply(event.env, 'core.forget_confirm', undefined, [
        texts.t('actions.yes', lang),
        texts.t('actions.no', lang),
      ]);
    }),
    forgetAll: emit({ type: 'flow.forget' } as const),
    sayDeleted: emit(({ event }) => textReply(event.env, 'core.forget_done')),
    sayKept: emit(({ event }) => textReply(event.env, 'core.forget_kept')),
  },
}).createMachine({
  id: 'forget',
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'confirming', actions: 'askConfirmation' } } },
    confirming: {
      on: {
        'user.message': [
          { guard: 'saysYes', target: 'done', actions: ['forgetAll', 'sayDeleted'] },
          { target: 'done', actions: 'sayKept' },
        ],
        'flow.reprompt': { actions: 'askConfirmation' },
        'flow.end': { target: 'done', actions: 'sayKept' },
      },
    },
    done: { type: 'final' },
  },
});
