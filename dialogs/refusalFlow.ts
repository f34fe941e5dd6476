/**
 * After Alipay said no (seed section 七): the stage moves to `refused` at once and the first reply
 * lays out the three paths — keep communicating, alternatives, third-party mediation — asking in
 * the same message what would sharpen the advice (which problem, what kind of refusal). The next
 * message picks a path, adds what was asked (the layout comes again, sharper), or is about
 * something else (answered as such; the stage stays at `refused`).
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { labels, type FlowEffect, type FlowEnv, type FlowEvent } from '../src/conversation/flow';
import {
  BRANCHES,
  issueFromAction,
  readBranch,
  refusalKind,
  refusalLayout,
  type Branch,
  type RefusalKind,
} from '../src/conversation/refusal';
import type { Issue } from '../src/knowledge/schema';

/** Bumped when states or context change shape; stored with every snapshot. */
export const REFUSAL_FLOW_VERSION = 1;

export interface RefusalContext {
  kind: RefusalKind | null;
}

function actionOf(env: FlowEnv): string | undefined {
  const target = env.deps.kb.button(env.text);
  return target?.kind === 'action' ? target.id : undefined;
}

function issueSaid(env: FlowEnv): Issue | undefined {
  return issueFromAction(actionOf(env)) ?? env.reading?.entities.issue;
}

/** What the message does: choose a path, say more about the refusal, or neither. */
function readMessage(
  context: RefusalContext,
  env: FlowEnv,
): { branch?: Branch; issue?: Issue; kind?: RefusalKind } {
  const issue = issueSaid(env);
  const kind = refusalKind(env.text, env.reading?.entities.rates);
  // An answer to what was just asked ("投诉没人处理", "flat no") is read as that answer, even
  // when its words would also pick a path (投诉 sounds like mediation).
  const answersQuestion =
    (!env.profile.issue && issue !== undefined) || (!context.kind && kind !== undefined);
  const branch = readBranch(actionOf(env), env.text, env.reading?.intent, answersQuestion);
  return { branch, issue, kind };
}

export const refusalFlow = setup({
  types: { context: {} as RefusalContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    choosesPath: ({ context, event }) => readMessage(context, event.env).branch !== undefined,
    saysMore: ({ context, event }) => {
      const { issue, kind } = readMessage(context, event.env);
      return (
        (issue !== undefined && issue !== event.env.profile.issue) ||
        (kind !== undefined && kind !== context.kind)
      );
    },
    notAnAnswer: ({ context, event }) => {
      if (!event.env.interruption) return false;
      const { branch, issue, kind } = readMessage(context, event.env);
      return (
        branch === undefined && issue === undefined && kind === undefined && actionOf(event.env) === undefined
      );
    },
  },
  actions: {
    learnKind: assign(({ context, event }) => ({
      kind: refusalKind(event.env.text, event.env.reading?.entities.rates) ?? context.kind,
    })),
    moveToRefused: emit({ type: 'flow.journey', event: 'REFUSED' } as const),
    // A partial offer with a rate: Alipay's own offer (not another provider's quote).
    noteSaid: emit(({ context, event }) => {
      const env = event.env;
      const rates = env.reading?.entities.rates;
      const offered = context.kind === 'partial' && rates?.length ? rates[rates.length - 1] : undefined;
      return {
        type: 'flow.profile' as const,
        patch: {
          issue: issueSaid(env) ?? env.profile.issue,
          facts: { alipayOffer: offered, refusalKind: context.kind ?? undefined },
        },
      };
    }),
    layOut: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const rates = env.reading?.entities.rates;
      const offered =
        context.kind === 'partial' && rates?.length ? rates[rates.length - 1] : env.profile.facts.alipayOffer;
      const profile = {
        ...env.profile,
        issue: issueSaid(env) ?? env.profile.issue,
        facts: { ...env.profile.facts, alipayOffer: offered },
      };
      const { reply, topic } = refusalLayout(env.deps, profile, context.kind ?? undefined, env.lang);
      if (topic) enqueue.emit({ type: 'flow.topic', id: topic });
      enqueue.emit({ type: 'flow.reply', reply });
    }),
    // Asked again after an interruption: the paths and what is still unknown, not the whole advice.
    reask: emit(({ context, event }) => {
      const { texts } = event.env.deps.kb;
      const { lang, profile } = event.env;
      const ask = !profile.issue
        ? context.kind
          ? 'issue'
          : 'issue_kind'
        : context.kind
          ? undefined
          : 'kind';
      return {
        type: 'flow.reply' as const,
        reply: {
          text: [texts.t('refusal.reask', lang), ask ? texts.t(`refusal.ask.${ask}`, lang) : '']
            .filter(Boolean)
            .join('\n'),
          actions: labels(
            event.env.deps,
            BRANCHES.map((b) => `action:${b}`),
            event.env.lang,
          ),
        },
      };
    }),
    takePath: emit(({ context, event }) => ({
      type: 'flow.action' as const,
      id: readMessage(context, event.env).branch ?? 'keep_talking',
    })),
    answerInstead: emit(({ event }) => ({
      type: 'flow.answer' as const,
      intent: event.env.reading?.intent ?? 'refusal',
      text: event.env.text,
    })),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'refusal',
  context: { kind: null },
  initial: 'starting',
  states: {
    starting: {
      on: {
        'flow.begin': { target: 'choosing', actions: ['moveToRefused', 'learnKind', 'noteSaid', 'layOut'] },
      },
    },
    choosing: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { guard: 'choosesPath', target: 'done', actions: 'takePath' },
          { guard: 'saysMore', actions: ['learnKind', 'noteSaid', 'layOut'] },
          { target: 'done', actions: 'answerInstead' },
        ],
        'flow.reprompt': { actions: 'reask' },
        'flow.end': { target: 'done' },
      },
    },
    done: { type: 'final' },
  },
});
