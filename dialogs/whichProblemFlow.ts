/**
 * "Which problem is it?": asked when the answer to a question depends on the user's problem
 * (fees, account security, customer service) and nothing said so. The answer is remembered and
 * the waiting question answered; any other message goes on its own way.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { labels, type FlowEffect, type FlowEnv, type FlowEvent } from '../src/conversation/flow';
import { issueFromAction } from '../src/conversation/refusal';
import { ISSUES, type Issue } from '../src/knowledge/vocabulary';
import type { Intent } from '../src/knowledge/intents';

/** Bumped when states or context change shape; stored with every snapshot. */
export const WHICH_PROBLEM_FLOW_VERSION = 1;

export interface WhichProblemContext {
  /** The intent whose answer waits for the problem. */
  intent: Intent | null;
}

function issueNamed(env: FlowEnv): Issue | undefined {
  const target = env.deps.kb.button(env.text);
  return issueFromAction(target?.kind === 'action' ? target.id : undefined) ?? env.reading?.entities.issue;
}

export const whichProblemFlow = setup({
  types: { context: {} as WhichProblemContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    namesProblem: ({ event }) => issueNamed(event.env) !== undefined,
  },
  actions: {
    remember: assign(({ event }) => ({
      intent: (event.type === 'flow.begin' ? event.options?.intent : undefined) ?? null,
    })),
    ask: emit(({ event }) => ({
      type: 'flow.reply' as const,
      reply: {
        text: event.env.deps.kb.texts.t('core.which_problem', event.env.lang),
        actions: labels(
          event.env.deps,
          ISSUES.map((i) => `action:issue_${i}`),
          event.env.lang,
        ),
      },
    })),
    answer: enqueueActions(({ context, event, enqueue }) => {
      const issue = issueNamed(event.env) as Issue;
      enqueue.emit({ type: 'flow.profile', patch: { issue } });
      enqueue.emit({
        type: 'flow.answer',
        intent: context.intent ?? (issue === 'fees' ? 'fees' : issue),
        text: '',
      });
    }),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'which_problem',
  context: { intent: null },
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'asking', actions: ['remember', 'ask'] } } },
    asking: {
      on: {
        'user.message': [
          { guard: 'namesProblem', target: 'done', actions: 'answer' },
          { target: 'done', actions: 'notForMe' },
        ],
        'flow.reprompt': { actions: 'ask' },
        'flow.end': { target: 'done' },
      },
    },
    done: { type: 'final' },
  },
});
