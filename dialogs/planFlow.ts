/**
 * The plan flow (seed 六.1): fills the slots of a negotiation plan — role, issue, goal, and for
 * fees the current rate, monthly volume and target; then evidence, the user's alternative and
 * the contact channel — never asking for what the user already said, then delivers the plan and
 * moves the stage to first contact. A user who gives everything essential in one message gets
 * the plan at once; the optional slots are then offered as buttons instead of questions.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { planExportReply, planReplies, planUpdateReply, slotQuestion } from '../src/conversation/plan';
import type { FlowEffect, FlowEnv, FlowEvent } from '../src/conversation/flow';
import { currentStage } from '../src/journey/stage';
import { extractEntities } from '../src/nlu/entities';
import {
  essentialSlots,
  fill,
  isSlot,
  known,
  looksLikeAnswer,
  nextSlot,
  prefill,
  type PlanDraft,
  type Slot,
} from '../src/plan/slots';
import type { UserProfile } from '../src/state/profile';

/** Bumped when states or context change shape; stored with every snapshot. */
export const PLAN_FLOW_VERSION = 1;

export interface PlanContext {
  draft: PlanDraft;
  /** The slot whose question is waiting for its answer. */
  asking: Slot | null;
  /** Started by a conversation (essentials missing): the optional slots are asked too. */
  interactive: boolean;
  /** Started to refine one optional slot: ends with the updated checklist. */
  refining: boolean;
  /** The slot to ask first when refining. */
  refine: Slot | null;
  /** The slot whose last answer could not be read: its question says so (optional: older snapshots lack it). */
  unread?: Slot | null;
}

function draftOf(profile: Readonly<UserProfile>): PlanDraft {
  return { role: profile.role, issue: profile.issue, facts: { ...profile.facts } };
}

/** The user's record with the plan's draft applied (what the plan is built from). */
function withDraft(env: FlowEnv, draft: PlanDraft, planDone?: string): UserProfile {
  return {
    ...env.profile,
    role: draft.role,
    issue: draft.issue,
    facts: draft.facts,
    ...(planDone ? { planDone } : {}),
  };
}

const entitiesOf = (env: FlowEnv) => env.reading?.entities ?? extractEntities(env.text);

export const planFlow = setup({
  types: { context: {} as PlanContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    wantsExport: ({ event }) => event.type === 'flow.begin' && event.options?.export === true,
    hasQuestion: ({ context }) =>
      nextSlot(context.draft, context.interactive, context.refine ?? undefined) !== undefined,
    refining: ({ context }) => context.refining,
    notAnAnswer: ({ context, event }) =>
      event.env.interruption &&
      context.asking !== null &&
      !looksLikeAnswer(
        context.asking,
        context.draft,
        event.env.text,
        event.env.reading,
        event.env.deps.kb.texts,
      ),
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const refine =
        event.type === 'flow.begin' && isSlot(event.options?.refine) ? event.options.refine : null;
      const text = event.type === 'flow.begin' ? (event.text ?? '') : '';
      const draft = refine ? draftOf(env.profile) : prefill(draftOf(env.profile), text, entitiesOf(env));
      return {
        draft,
        asking: null,
        // Essentials missing at the start: this is a conversation, so the optional slots are asked too.
        interactive: !refine && essentialSlots(draft).some((s) => !known(draft, s)),
        refining: refine !== null,
        refine,
      };
    }),
    chooseQuestion: assign(({ context }) => ({
      asking: nextSlot(context.draft, context.interactive, context.refine ?? undefined) ?? null,
      refine: null,
    })),
    ask: emit(({ context, event }) => ({
      type: 'flow.reply' as const,
      reply: slotQuestion(
        event.env.deps,
        context.asking ?? 'role',
        context.draft,
        event.env.lang,
        context.unread === context.asking,
      ),
    })),
    takeAnswer: assign(({ context, event }) => {
      const env = event.env;
      if (!context.asking) return {};
      const entities = entitiesOf(env);
      const filled = fill(
        context.draft,
        context.asking,
        env.text.trim(),
        env.reading,
        entities,
        env.deps.kb.texts,
        env.lang,
      );
      // Anything else the answer says (a rate given while volume was asked) is kept as well.
      const draft = prefill(filled, env.text.trim(), entities);
      // Nothing read for the question: it is asked again, saying why.
      return { draft, asking: null, unread: known(draft, context.asking) ? null : context.asking };
    }),
    keepDraft: emit(({ context }) => ({
      type: 'flow.profile' as const,
      patch: { role: context.draft.role, issue: context.draft.issue, facts: context.draft.facts },
    })),
    deliverPlan: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const date = new Date(env.now).toISOString().slice(0, 10);
      const advances = currentStage(env.profile) === 'planning';
      enqueue.emit({ type: 'flow.profile', patch: { planDone: date } });
      if (advances) enqueue.emit({ type: 'flow.journey', event: 'PLAN_DONE' });
      for (const reply of planReplies(
        env.deps,
        withDraft(env, context.draft, date),
        env.lang,
        env.now,
        advances,
      ))
        enqueue.emit({ type: 'flow.reply', reply });
    }),
    deliverUpdate: emit(({ context, event }) => ({
      type: 'flow.reply' as const,
      reply: planUpdateReply(
        event.env.deps,
        withDraft(event.env, context.draft),
        event.env.lang,
        event.env.now,
      ),
    })),
    exportPlan: emit(({ event }) => ({
      type: 'flow.reply' as const,
      reply: planExportReply(event.env.deps, { ...event.env.profile }, event.env.lang, event.env.now),
    })),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'plan',
  context: { draft: { facts: {} }, asking: null, interactive: false, refining: false, refine: null },
  initial: 'starting',
  states: {
    starting: {
      on: {
        'flow.begin': [
          { guard: 'wantsExport', target: 'done', actions: 'exportPlan' },
          { target: 'deciding', actions: ['begin', 'keepDraft'] },
        ],
      },
    },
    deciding: {
      always: [
        { guard: 'hasQuestion', target: 'asking', actions: ['chooseQuestion', 'ask'] },
        { guard: 'refining', target: 'done', actions: 'deliverUpdate' },
        { target: 'done', actions: 'deliverPlan' },
      ],
    },
    asking: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { target: 'deciding', actions: ['takeAnswer', 'keepDraft'] },
        ],
        'flow.reprompt': { actions: 'ask' },
        'flow.end': { target: 'done' },
      },
    },
    done: { type: 'final' },
  },
});
