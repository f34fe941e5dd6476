/**
 * Role-play rehearsal: the coach plays Alipay's side. Scenario and difficulty named in the
 * message that started it are used, otherwise asked with buttons. Each user line goes to the
 * representative (src/roleplay); the talk ends in agreement or impasse, or early with 结束 /
 * end / /end (also inside a short phrase), and then the debrief. The role-play lives in the flow's
 * snapshot, so it survives a restart; the last debrief is kept in the user's record.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { FlowEffect, FlowEnv, FlowEvent } from '../src/conversation/flow';
import {
  DIFFICULTIES,
  contractDebrief,
  difficultyKey,
  scenarioKey,
  debriefReply,
  difficultyFrom,
  difficultyQuestion,
  pickCaption,
  repLine,
  scenarioFrom,
  scenarioQuestion,
} from '../src/conversation/roleplay';
import { isRoleplayEnd } from '../src/conversation/words';
import { SCENARIOS, type Scenario } from '../src/knowledge/schema';
import type { Difficulty } from '../src/nlu/types';
import type { RoleplayState } from '../src/roleplay/engine';

/** Bumped when states or context change shape; stored with every snapshot. */
export const ROLEPLAY_FLOW_VERSION = 1;

export interface RoleplayContext {
  scenario: Scenario | null;
  difficulty: Difficulty | null;
  /** The representative and the score so far (engine state), once the scene has begun. */
  scene: RoleplayState | null;
  /** The scene ended this turn (agreement or impasse). */
  ended: boolean;
}

function repName(env: FlowEnv, scenario: Scenario): string {
  return env.deps.kb.bundle.roleplay.find((l) => l.scenario === scenario)?.rep[env.lang] ?? '';
}

function namesSceneOrLevel(env: FlowEnv): boolean {
  const { texts } = env.deps.kb;
  return (
    difficultyFrom(env.text) !== undefined ||
    pickCaption(texts, scenarioKey, SCENARIOS, env.text) !== undefined ||
    pickCaption(texts, difficultyKey, DIFFICULTIES, env.text) !== undefined ||
    scenarioFrom(env.text, undefined) !== undefined ||
    env.reading?.entities.difficulty !== undefined
  );
}

export const roleplayFlow = setup({
  types: { context: {} as RoleplayContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    needsScenario: ({ context }) => context.scenario === null,
    needsDifficulty: ({ context }) => context.difficulty === null,
    notAnAnswer: ({ event }) => event.env.interruption && !namesSceneOrLevel(event.env),
    endsIt: ({ event }) => isRoleplayEnd(event.env.text),
    lost: ({ context, event }) => !event.env.deps.roleplay.canResume(context.scene),
    sceneOver: ({ context }) => context.ended,
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const text = event.type === 'flow.begin' ? (event.text ?? '') : '';
      return {
        scenario: text ? (scenarioFrom(text, env.reading?.entities.issue) ?? null) : null,
        difficulty: env.reading?.entities.difficulty ?? (text ? difficultyFrom(text) : undefined) ?? null,
        scene: null,
        ended: false,
      };
    }),
    askScenario: emit(({ event }) => ({
      type: 'flow.reply' as const,
      reply: scenarioQuestion(event.env.deps, event.env.lang, event.env.profile.issue),
    })),
    askDifficulty: emit(({ event }) => ({
      type: 'flow.reply' as const,
      reply: difficultyQuestion(event.env.deps, event.env.lang),
    })),
    takeScenario: assign(({ context, event }) => {
      const env = event.env;
      return {
        scenario:
          pickCaption(env.deps.kb.texts, scenarioKey, SCENARIOS, env.text) ??
          scenarioFrom(env.text, env.reading?.entities.issue) ??
          'fees',
        difficulty: env.reading?.entities.difficulty ?? difficultyFrom(env.text) ?? context.difficulty,
      };
    }),
    takeDifficulty: assign(({ event }) => {
      const env = event.env;
      return {
        difficulty:
          pickCaption(env.deps.kb.texts, difficultyKey, DIFFICULTIES, env.text) ??
          env.reading?.entities.difficulty ??
          difficultyFrom(env.text) ??
          'normal',
      };
    }),
    startScene: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const { texts } = env.deps.kb;
      const scenario = context.scenario ?? 'fees';
      const difficulty = context.difficulty ?? 'normal';
      const facts = env.profile.facts;
      // The rehearsal uses the user's own numbers when they make sense, else a typical case.
      const start = facts.currentRate !== undefined && facts.currentRate > 0 ? facts.currentRate : 0.6;
      const target =
        facts.targetRate !== undefined && facts.targetRate < start
          ? facts.targetRate
          : Math.min(0.38, start * 0.7);
      const begun = env.deps.roleplay.start(scenario, difficulty, { start, target }, env.lang);
      enqueue.assign({ scene: begun.state });
      enqueue.emit({
        type: 'flow.reply',
        reply: {
          text: texts.t('roleplay.intro', env.lang, {
            scenario: texts.t(`roleplay.scenario.${scenario}`, env.lang),
            difficulty: texts.t(`roleplay.difficulty.${difficulty}`, env.lang),
            rep: begun.rep,
            setup: begun.setup,
          }),
          actions: [],
        },
      });
      enqueue.emit({
        type: 'flow.reply',
        reply: { text: repLine(texts, begun.rep, begun.opening, env.lang), actions: [] },
      });
    }),
    playTurn: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      if (!context.scene) return;
      const result = env.deps.roleplay.turn(context.scene, env.text, env.reading, env.lang);
      enqueue.assign({ scene: result.state, ended: result.outcome !== undefined });
      enqueue.emit({
        type: 'flow.reply',
        reply: {
          text: repLine(env.deps.kb.texts, repName(env, context.scene.scenario), result.reply, env.lang),
          actions: [],
        },
      });
    }),
    abandon: assign(({ context, event }) => ({
      scene: context.scene ? event.env.deps.roleplay.abandon(context.scene) : null,
    })),
    debrief: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      if (!context.scene) return;
      const debrief = env.deps.roleplay.debrief(env.deps.kb.texts, context.scene, env.lang);
      enqueue.emit({ type: 'flow.profile', patch: { lastDebrief: debrief } });
      enqueue.emit({ type: 'flow.debrief', debrief: contractDebrief(debrief) });
      enqueue.emit({ type: 'flow.reply', reply: debriefReply(env.deps, debrief, env.lang) });
    }),
    sayLost: emit(({ event }) => ({
      type: 'flow.reply' as const,
      reply: {
        text: event.env.deps.kb.texts.t('roleplay.cannot_resume', event.env.lang),
        actions: [event.env.deps.kb.texts.t('actions.roleplay', event.env.lang)],
      },
    })),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'roleplay',
  context: { scenario: null, difficulty: null, scene: null, ended: false },
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'deciding', actions: 'begin' } } },
    deciding: {
      always: [
        { guard: 'needsScenario', target: 'choosingScenario', actions: 'askScenario' },
        { guard: 'needsDifficulty', target: 'choosingDifficulty', actions: 'askDifficulty' },
        { target: 'talking', actions: 'startScene' },
      ],
    },
    choosingScenario: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { target: 'deciding', actions: 'takeScenario' },
        ],
        'flow.reprompt': { actions: 'askScenario' },
        'flow.end': { target: 'done' },
      },
    },
    choosingDifficulty: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { target: 'deciding', actions: 'takeDifficulty' },
        ],
        'flow.reprompt': { actions: 'askDifficulty' },
        'flow.end': { target: 'done' },
      },
    },
    talking: {
      on: {
        // Inside the scene every message is a move in the negotiation ("我要投诉你们" included);
        // only an ending (or a command, handled before the flow) stops it.
        'user.message': [
          { guard: 'lost', target: 'done', actions: 'sayLost' },
          { guard: 'endsIt', target: 'done', actions: ['abandon', 'debrief'] },
          { target: 'judging', actions: 'playTurn' },
        ],
        'flow.end': [
          { guard: 'lost', target: 'done', actions: 'sayLost' },
          { target: 'done', actions: ['abandon', 'debrief'] },
        ],
      },
    },
    judging: {
      always: [{ guard: 'sceneOver', target: 'done', actions: 'debrief' }, { target: 'talking' }],
    },
    done: { type: 'final' },
  },
});
