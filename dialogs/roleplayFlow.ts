/**
 * Role-play rehearsal: the coach plays Alipay's side. Scenario and difficulty named in the
 * message that started it are used, otherwise asked with buttons (a first line to the
 * representative typed instead of a choice is kept and answered when the scene starts);
 * "again" / "again, harder" start the same setting (the running scene's, else the last
 * rehearsal's) or one level harder, and a drill focuses on one skill. The introduction sets the scene from the user's case file
 * and says what will be scored (the rubric). Each user line goes to the representative
 * (src/roleplay); the talk ends in agreement or impasse, or early with 结束 / end / /end (also
 * said inside a message: "算了，结束吧，…"), and then the debrief. The role-play lives in the
 * flow's snapshot, so it survives a restart: a greeting or a long pause in the middle of one
 * is answered with where it stands and how to go on or end it. The last debrief and every
 * rehearsal (for /progress) are kept in the user's record.
 *
 * Stored scenes of an older representative (REP_MACHINE_VERSION) cannot be resumed: the user is
 * told so and offered a new one, never a crash.
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
  introText,
  pickCaption,
  repLine,
  scenarioFrom,
  scenarioQuestion,
  storedDebrief,
} from '../src/conversation/roleplay';
import { formatRate } from '../src/fees/feeMath';
import { SCENARIOS, type Scenario } from '../src/knowledge/vocabulary';
import type { Difficulty } from '../src/nlu/types';
import type { Premise, RoleplayState } from '../src/roleplay/engine';
import { isGreeting, isOnlyEnding } from '../src/roleplay/moves';
import { addPractice, practiceEntry } from '../src/roleplay/progress';
import { SKILLS, type Skill } from '../src/roleplay/skillModel';

/** Bumped when states or context change shape; stored with every snapshot. */
export const ROLEPLAY_FLOW_VERSION = 1;

/** A pause this long in the middle of a scene is met with a reminder of where it stands. */
const RESUME_AFTER_MS = 30 * 60 * 1000;

export interface RoleplayContext {
  scenario: Scenario | null;
  difficulty: Difficulty | null;
  /** The representative and the score so far (engine state), once the scene has begun. */
  scene: RoleplayState | null;
  /** The scene ended this turn (agreement, impasse, or ended inside a message). */
  ended: boolean;
  /** A drill on one skill (optional: older snapshots have none). */
  drill?: Skill | null;
  /**
   * The user's first line to the representative, given as the answer to "which scene?" or
   * "which level?" (optional: older snapshots have none).
   */
  firstLine?: string | null;
}

/** Words of choosing a rehearsal, not of speaking in one. */
const CHOOSING =
  /场景|情景|练习|演练|模拟|难度|简单|普通|困难|scenario|scene|practi[cs]e|rehears|level|difficulty|(?<![a-z])(?:easy|normal|hard)(?![a-z])/i;
/** An answer at least this long (words; two Chinese characters count as one) is a line, not a choice. */
const OPENING_WORDS = 6;

/**
 * "Hi, I'd like to talk about my rate. I'm at 0.6%…" typed when asked which scene: the user has
 * begun the conversation; it is their first line to the representative, not lost.
 */
function openingLine(env: FlowEnv): string | null {
  const { texts } = env.deps.kb;
  const t = env.text.trim();
  if (pickCaption(texts, scenarioKey, SCENARIOS, t) !== undefined) return null;
  if (pickCaption(texts, difficultyKey, DIFFICULTIES, t) !== undefined) return null;
  if (CHOOSING.test(t)) return null;
  const words = (t.match(/[a-z0-9%.']+/gi)?.length ?? 0) + (t.match(/\p{Script=Han}/gu)?.length ?? 0) / 2;
  return words >= OPENING_WORDS ? t : null;
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

const asScenario = (s: unknown): Scenario | undefined =>
  SCENARIOS.includes(s as Scenario) ? (s as Scenario) : undefined;
const asDifficulty = (d: unknown): Difficulty | undefined =>
  DIFFICULTIES.includes(d as Difficulty) ? (d as Difficulty) : undefined;
const harder = (d: Difficulty): Difficulty => (d === 'easy' ? 'normal' : 'hard');

/** The setting of the last rehearsal: the practice record, else the kept debrief. */
function lastSetting(env: FlowEnv): { scenario?: Scenario; difficulty?: Difficulty } {
  const last = env.profile.practice?.[env.profile.practice.length - 1];
  const debrief = env.profile.lastDebrief as { scenario?: unknown; difficulty?: unknown } | undefined;
  return {
    scenario: asScenario(last?.s) ?? asScenario(debrief?.scenario),
    difficulty: asDifficulty(last?.d) ?? asDifficulty(debrief?.difficulty),
  };
}

/** What the user's case file tells about the scene. */
function premiseOf(env: FlowEnv): Premise {
  const f = env.profile.facts;
  const premise: Premise = {};
  if (f.business) premise.business = f.business;
  if (f.monthlyVolume !== undefined) premise.monthlyVolume = f.monthlyVolume;
  if (f.currentRate !== undefined) premise.currentRate = f.currentRate;
  if (f.targetRate !== undefined) premise.targetRate = f.targetRate;
  if (f.amount !== undefined) premise.amount = f.amount;
  if (f.caseNumber) premise.caseNumber = f.caseNumber;
  if (f.visitor) premise.visitor = true;
  return premise;
}

function inProgressText(env: FlowEnv, scene: RoleplayState): string {
  const { texts } = env.deps.kb;
  const status = env.deps.roleplay.status(scene);
  const note = texts.t('roleplay.in_progress', env.lang, {
    scenario: texts.t(`roleplay.scenario.${scene.scenario}`, env.lang),
    difficulty: texts.t(`roleplay.difficulty.${scene.difficulty}`, env.lang),
  });
  return status.offer !== null && scene.scenario === 'fees'
    ? `${note}\n${texts.t('roleplay.in_progress_offer', env.lang, { offer: formatRate(status.offer) })}`
    : note;
}

export const roleplayFlow = setup({
  types: { context: {} as RoleplayContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    needsScenario: ({ context }) => context.scenario === null,
    needsDifficulty: ({ context }) => context.difficulty === null,
    notAnAnswer: ({ event }) => event.env.interruption && !namesSceneOrLevel(event.env),
    endsIt: ({ event }) => isOnlyEnding(event.env.text),
    lost: ({ context, event }) => !event.env.deps.roleplay.canResume(context.scene),
    /** A hello in the middle of a scene (back after a break, a restart): where it stands. */
    greets: ({ context, event }) =>
      !!context.scene &&
      (context.scene.record.length > 0 || event.env.deps.roleplay.restartedSince(context.scene)) &&
      isGreeting(event.env.text),
    sceneOver: ({ context }) => context.ended,
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const text = event.type === 'flow.begin' ? (event.text ?? '') : '';
      const options = event.type === 'flow.begin' ? event.options : undefined;
      let scenario: Scenario | null = text ? (scenarioFrom(text, env.reading?.entities.issue) ?? null) : null;
      let difficulty: Difficulty | null =
        env.reading?.entities.difficulty ?? (text ? difficultyFrom(text) : undefined) ?? null;
      let drill: Skill | null = null;
      const last = lastSetting(env);
      if (options?.again) {
        scenario = asScenario(options.again.scenario) ?? last.scenario ?? scenario;
        const level = asDifficulty(options.again.difficulty) ?? last.difficulty ?? difficulty;
        difficulty = level && options.again.harder ? harder(level) : level;
      }
      if (options?.drill && SKILLS.includes(options.drill as Skill)) {
        drill = options.drill as Skill;
        scenario = scenario ?? last.scenario ?? asScenario(env.profile.issue) ?? 'fees';
        difficulty = difficulty ?? last.difficulty ?? 'normal';
      }
      return { scenario, difficulty, scene: null, ended: false, drill };
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
        firstLine: openingLine(env),
      };
    }),
    takeDifficulty: assign(({ context, event }) => {
      const env = event.env;
      return {
        difficulty:
          pickCaption(env.deps.kb.texts, difficultyKey, DIFFICULTIES, env.text) ??
          env.reading?.entities.difficulty ??
          difficultyFrom(env.text) ??
          'normal',
        firstLine: openingLine(env) ?? context.firstLine ?? null,
      };
    }),
    startScene: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const scenario = context.scenario ?? 'fees';
      const difficulty = context.difficulty ?? 'normal';
      const drill = context.drill ?? undefined;
      const begun = env.deps.roleplay.start(scenario, difficulty, premiseOf(env), env.lang, {
        ...(drill ? { drill } : {}),
        now: env.now,
      });
      enqueue.emit({
        type: 'flow.reply',
        reply: { text: introText(env.deps, begun, env.lang, drill), actions: [] },
      });
      const first = context.firstLine;
      if (!first) {
        enqueue.assign({ scene: begun.state });
        enqueue.emit({
          type: 'flow.reply',
          reply: { text: repLine(env.deps.kb.texts, begun.rep, begun.opening, env.lang), actions: [] },
        });
        return;
      }
      // The user already spoke: the representative answers that line instead of greeting.
      const result = env.deps.roleplay.turn(begun.state, first, env.lang, env.now);
      enqueue.assign({ scene: result.state, ended: result.outcome !== undefined, firstLine: null });
      enqueue.emit({
        type: 'flow.reply',
        reply: { text: repLine(env.deps.kb.texts, result.speaker, result.reply, env.lang), actions: [] },
      });
    }),
    playTurn: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const scene = context.scene;
      if (!scene) return;
      // Back after a long pause or a restart of the coach: the scene is still on, and how to end it.
      const paused =
        (scene.lastAt !== undefined && env.now - scene.lastAt >= RESUME_AFTER_MS) ||
        env.deps.roleplay.restartedSince(scene);
      if (paused) {
        const { texts } = env.deps.kb;
        enqueue.emit({
          type: 'flow.reply',
          reply: {
            text: texts.t('roleplay.resumed', env.lang, {
              scenario: texts.t(`roleplay.scenario.${scene.scenario}`, env.lang),
              difficulty: texts.t(`roleplay.difficulty.${scene.difficulty}`, env.lang),
            }),
            actions: [],
          },
        });
      }
      const result = env.deps.roleplay.turn(scene, env.text, env.lang, env.now);
      enqueue.assign({ scene: result.state, ended: result.outcome !== undefined });
      enqueue.emit({
        type: 'flow.reply',
        reply: { text: repLine(env.deps.kb.texts, result.speaker, result.reply, env.lang), actions: [] },
      });
    }),
    sayInProgress: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      if (!context.scene) return;
      enqueue.assign({ scene: env.deps.roleplay.adopt(context.scene) });
      enqueue.emit({
        type: 'flow.reply',
        reply: {
          text: inProgressText(env, context.scene),
          actions: [env.deps.kb.texts.t('actions.end_roleplay', env.lang)],
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
      // A scene ended before the user said anything is no rehearsal: /progress does not count it.
      enqueue.emit({
        type: 'flow.profile',
        patch: {
          lastDebrief: storedDebrief(debrief),
          ...(context.scene.record.length > 0
            ? { practice: addPractice(env.profile.practice, practiceEntry(debrief, env.now)) }
            : {}),
        },
      });
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
  context: { scenario: null, difficulty: null, scene: null, ended: false, drill: null, firstLine: null },
  initial: 'starting',
  states: {
    starting: { on: { 'flow.begin': { target: 'deciding', actions: 'begin' } } },
    deciding: {
      always: [
        { guard: 'needsScenario', target: 'choosingScenario', actions: 'askScenario' },
        { guard: 'needsDifficulty', target: 'choosingDifficulty', actions: 'askDifficulty' },
        { target: 'judging', actions: 'startScene' },
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
          { guard: 'greets', actions: 'sayInProgress' },
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
