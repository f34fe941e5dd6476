/**
 * Runs a flow machine on its own: no app, no store, no channel. Events carry a turn environment
 * made here from the real knowledge base and NLU; what the flow emits comes back as a list.
 */
import { getShortestPaths } from '@xstate/graph';
import { createActor, type AnyStateMachine } from 'xstate';
import type { CoachDeps, FlowEffect, FlowEnv, FlowEvent, FlowOptions } from '../../src/conversation/flow';
import type { Reply } from '../../src/conversation/types';
import { createCoachDeps } from '../../src/core/deps';
import { KnowledgeBase } from '../../src/knowledge/knowledgeBase';
import type { Lang } from '../../src/knowledge/schema';
import { loadNlu } from '../../src/nlu/loadNlu';
import { newProfile, type UserProfile } from '../../src/state/profile';
import { createRandom } from '../../src/util/random';

let cached: CoachDeps | undefined;

function flowDeps(): CoachDeps {
  if (!cached) {
    const nlu = loadNlu();
    cached = createCoachDeps(
      KnowledgeBase.load((t) => nlu.features(t), nlu.featurizerId),
      nlu,
      createRandom(1),
    );
  }
  return cached;
}

function env(
  text: string,
  options: { lang?: Lang; profile?: UserProfile; interruption?: boolean } = {},
): FlowEnv {
  const deps = flowDeps();
  // An English sentence is English; everything else (Chinese, numbers, commands) is Chinese here.
  const lang = options.lang ?? (/^[A-Za-z][A-Za-z ,.'’?!]+$/.test(text.trim()) ? 'en' : 'zh');
  return {
    lang,
    channel: 'terminal',
    text,
    reading: text ? deps.nlu.analyze(text, lang) : null,
    profile: options.profile ?? newProfile(),
    deps,
    now: Date.UTC(2026, 11, 7),
    interruption: options.interruption ?? false,
  };
}

export const begin = (text = '', options?: FlowOptions, profile?: UserProfile): FlowEvent => ({
  type: 'flow.begin',
  env: env(text, { profile }),
  text,
  options,
});
export const says = (text: string, profile?: UserProfile, interruption = false): FlowEvent => ({
  type: 'user.message',
  env: env(text, { profile, interruption }),
});
export const reprompt = (lang: Lang = 'zh'): FlowEvent => ({ type: 'flow.reprompt', env: env('', { lang }) });
export const end = (): FlowEvent => ({ type: 'flow.end', env: env('结束') });

export interface Run {
  effects: FlowEffect[];
  replies: Reply[];
  text: string;
  status: string;
  value: unknown;
  /** The persisted snapshot after the last event (a flow that goes on is restored from it). */
  snapshot: unknown;
}

/** Sends the events one after the other, restoring from the persisted snapshot between them. */
export function run(machine: AnyStateMachine, events: FlowEvent[]): Run {
  let snapshot: unknown;
  const effects: FlowEffect[] = [];
  let status = 'active';
  let value: unknown;
  for (const event of events) {
    const actor =
      snapshot === undefined ? createActor(machine) : createActor(machine, { snapshot: snapshot as never });
    let failure: unknown;
    actor.subscribe({ error: (err) => (failure = err) });
    actor.on('*', (e: FlowEffect) => effects.push(e));
    actor.start();
    actor.send(event);
    const s = actor.getSnapshot();
    status = s.status;
    value = s.value;
    snapshot = s.status === 'active' ? actor.getPersistedSnapshot() : undefined;
    actor.stop();
    if (failure) throw failure as Error;
    if (s.status !== 'active') break;
  }
  const replies = effects.filter((e) => e.type === 'flow.reply').map((e) => e.reply);
  return { effects, replies, text: replies.map((r) => r.text).join('\n'), status, value, snapshot };
}

/** Every state node of a machine, as `a.b` paths. */
export function stateIds(machine: AnyStateMachine): string[] {
  const ids: string[] = [];
  const walk = (node: { key: string; states: Record<string, unknown> }, path: string[]): void => {
    for (const [key, child] of Object.entries(node.states)) {
      const p = [...path, key];
      ids.push(p.join('.'));
      walk(child as { key: string; states: Record<string, unknown> }, p);
    }
  };
  walk(machine.root as never, []);
  return ids;
}

/**
 * The shortest paths @xstate/graph finds over `events` (states told apart by value only), each
 * replayed event by event through a restored actor: none may fail, and the states they reach.
 */
export function walkPaths(
  machine: AnyStateMachine,
  events: FlowEvent[],
): { reached: Set<string>; paths: number } {
  const paths = getShortestPaths(machine, {
    events,
    serializeState: (s) => JSON.stringify(s.value),
  });
  const reached = new Set<string>();
  for (const path of paths) {
    const steps = path.steps
      .map((s) => s.event as FlowEvent)
      .filter((e) => e.type !== ('xstate.init' as string));
    // Replayed through restored actors: a path the graph found must run without failing.
    if (steps.length > 0) run(machine, steps);
    const value = path.state.value as unknown;
    reached.add(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return { reached, paths: paths.length };
}
