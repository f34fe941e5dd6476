/**
 * Model-based tests of the negotiation journey machine (CONTRACTS section 4): the paths
 * @xstate/graph finds over the alphabet of every JourneyEvent are walked and checked against
 * what a user should see — every stage reachable, a refusal remembered and returned to, the
 * challenge branches ending where they should, a finished negotiation starting over, unknown
 * events ignored — plus the snapshot persistence round trip and journey.ts's handling of a
 * snapshot stored by another machine version.
 */
import { getAdjacencyMap, getShortestPaths, getSimplePaths } from '@xstate/graph';
import { createActor, transition, type SnapshotFrom } from 'xstate';
import { canSend, journeyContext, sendJourneyEvent } from '../../src/journey/journey';
import {
  JOURNEY_MACHINE_VERSION,
  journeyMachine,
  type JourneyContext,
  type JourneyEvent,
  type Step,
} from '../../src/journey/journeyMachine';
import { NEXT_ACTIONS } from '../../src/journey/nextActions';
import { currentStage, STAGES, type Stage } from '../../src/journey/stage';
import { newProfile, type UserProfile } from '../../src/state/profile';

type Snap = SnapshotFrom<typeof journeyMachine>;
type EventType = JourneyEvent['type'];

const EVENT_TYPES: EventType[] = [
  'PLAN_DONE',
  'CONTACTED',
  'DEMANDS_MADE',
  'REFUSED',
  'RETRY',
  'SEEK_ALTERNATIVES',
  'SEEK_MEDIATION',
  'BACK_TO_TABLE',
  'SWITCH',
  'AGREED',
  'NO_AGREEMENT',
  'RESTART',
];
const ALL_EVENTS: JourneyEvent[] = EVENT_TYPES.map((type) => ({ type }) as JourneyEvent);

/** The stages CONTRACTS section 4 names, written out here rather than imported. */
const CONTRACT_STAGES = [
  'planning',
  'first_contact',
  'making_demands',
  'compromise',
  'agreement',
  'refused',
  'alternatives',
  'mediation',
  'no_agreement',
];
const MIDDLE_STEPS: Step[] = ['first_contact', 'making_demands', 'compromise'];
const FRESH: JourneyContext = { refusedAt: null, leverage: false, ending: null };

const stageOf = (s: Snap): Stage => s.value as Stage;
const at = (value: Stage, context: Partial<JourneyContext> = {}): Snap =>
  journeyMachine.resolveState({ value, context: { ...FRESH, ...context } });
const send = (s: Snap, type: EventType): Snap => transition(journeyMachine, s, { type } as JourneyEvent)[0];

/**
 * Only the stage and the remembered refusal decide where an event leads, so simple paths are told
 * apart by those two (all snapshots: ~29k paths, too slow). The graph then keeps one snapshot per
 * key, so each path's events are replayed on the machine to check the real snapshots.
 */
const serializeState = (s: Snap): string => JSON.stringify([s.value, s.context.refusedAt]);

const shortestPaths = getShortestPaths(journeyMachine, { events: ALL_EVENTS });
const simplePaths = getSimplePaths(journeyMachine, { events: ALL_EVENTS, serializeState });
const adjacency = getAdjacencyMap(journeyMachine, { events: ALL_EVENTS });
const reachable: Snap[] = Object.values(adjacency).map((v) => v.state);

/** The events of a path, without the graph's leading xstate.init. */
const eventsOf = (steps: { event: { type: string } }[]): EventType[] =>
  steps.map((s) => s.event.type).filter((t): t is EventType => t !== 'xstate.init');

interface Move {
  before: Snap;
  event: EventType;
  after: Snap;
}
/** A path's events replayed from the initial snapshot with XState's own transition. */
const replay = (steps: { event: { type: string } }[]): Move[] => {
  let current = journeyMachine.resolveState({ value: 'planning', context: FRESH });
  return eventsOf(steps).map((event) => {
    const before = current;
    current = send(before, event);
    return { before, event, after: current };
  });
};
const simpleMoves: Move[][] = simplePaths.map((p) => replay(p.steps));

describe('journey machine: reachability (shortest paths)', () => {
  it('starts a new user in planning with nothing remembered', () => {
    const initial = createActor(journeyMachine).getSnapshot();
    expect(initial.value).toBe('planning');
    expect(initial.context).toEqual(FRESH);
  });

  it('reaches every stage of CONTRACTS section 4 and nothing else', () => {
    const stages = new Set(shortestPaths.map((p) => stageOf(p.state)));
    expect([...stages].sort()).toEqual([...CONTRACT_STAGES].sort());
    expect([...STAGES].sort()).toEqual([...CONTRACT_STAGES].sort());
  });

  it('gives every stage some next actions for the user', () => {
    for (const stage of CONTRACT_STAGES) {
      expect(NEXT_ACTIONS[stage as Stage].length).toBeGreaterThan(0);
    }
  });

  it('replays each shortest path on a live actor to the same snapshot', () => {
    for (const path of shortestPaths) {
      const actor = createActor(journeyMachine).start();
      for (const type of eventsOf(path.steps)) actor.send({ type } as JourneyEvent);
      expect(actor.getSnapshot().value).toBe(path.state.value);
      expect(actor.getSnapshot().context).toEqual(path.state.context);
      actor.stop();
    }
  });

  it.each(MIDDLE_STEPS)('can be refused at %s, remembering that step', (step) => {
    const toStep = shortestPaths.find((p) => p.state.value === step);
    expect(toStep).toBeDefined();
    const refused = send(toStep!.state, 'REFUSED');
    expect(refused.value).toBe('refused');
    expect(refused.context.refusedAt).toBe(step);
    // And the graph has that edge too.
    const fromStep = reachable.filter((s) => s.value === step);
    expect(fromStep.length).toBeGreaterThan(0);
    for (const s of fromStep) expect(send(s, 'REFUSED').context.refusedAt).toBe(step);
  });
});

describe('journey machine: every simple path', () => {
  it('explores a non-trivial number of paths', () => {
    expect(simplePaths.length).toBeGreaterThan(100);
  });

  it('after a refusal, RETRY goes back to the step where the user was refused', () => {
    let retries = 0;
    for (const moves of simpleMoves) {
      let refusedAt: Step | null = null;
      for (const { before: previous, event, after: state } of moves) {
        if (event === 'REFUSED' && previous.value !== 'refused') {
          // Refused while planning means they had already asked: back to making demands.
          refusedAt = MIDDLE_STEPS.includes(previous.value as Step)
            ? (previous.value as Step)
            : 'making_demands';
          expect(state.value).toBe('refused');
          expect(state.context.refusedAt).toBe(refusedAt);
        }
        if (previous.value === 'refused' && event === 'RETRY') {
          retries += 1;
          expect(state.value).toBe(refusedAt);
        }
      }
    }
    // RETRY from refused from each of the three steps (and from planning) appears somewhere.
    expect(retries).toBeGreaterThan(4);
  });

  it('records how an unsuccessful negotiation ended on every path', () => {
    for (const moves of simpleMoves) {
      for (const { before: previous, event, after: state } of moves) {
        if (state.value === 'no_agreement' && previous.value !== 'no_agreement') {
          const expected =
            event === 'SWITCH'
              ? 'switched'
              : previous.value === 'mediation'
                ? 'mediation_failed'
                : 'no_agreement';
          expect(state.context.ending).toBe(expected);
        }
      }
    }
  });

  it('returns to the table with leverage after looking at alternatives, on every path', () => {
    let seen = 0;
    for (const moves of simpleMoves) {
      for (const { before, event, after } of moves) {
        if (before.value === 'alternatives' && event === 'BACK_TO_TABLE') {
          seen += 1;
          expect(after.value).toBe('making_demands');
          expect(after.context.leverage).toBe(true);
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('only ever leaves alternatives for the table, mediation or an ending', () => {
    const exits = new Set<string>();
    for (const moves of simpleMoves) {
      for (const { before, after } of moves) {
        if (before.value === 'alternatives' && after.value !== 'alternatives') exits.add(String(after.value));
      }
    }
    expect([...exits].sort()).toEqual(['agreement', 'making_demands', 'mediation', 'no_agreement']);
  });

  it('leaves mediation only with an agreement, no agreement, or to look at alternatives', () => {
    const exits = new Set<string>();
    for (const moves of simpleMoves) {
      for (const { before, after } of moves) {
        if (before.value === 'mediation' && after.value !== 'mediation') exits.add(String(after.value));
      }
    }
    expect([...exits].sort()).toEqual(['agreement', 'alternatives', 'no_agreement']);
  });

  it('starts a finished negotiation over in planning with nothing remembered', () => {
    const finished = simpleMoves
      .map((moves) => moves[moves.length - 1]?.after)
      .filter((s): s is Snap => s?.value === 'agreement' || s?.value === 'no_agreement');
    // Reached with different histories (refusals, leverage, endings).
    expect(finished.length).toBeGreaterThan(4);
    for (const s of finished) {
      const again = send(s, 'RESTART');
      expect(again.value).toBe('planning');
      expect(again.context).toEqual(FRESH);
    }
  });
});

describe('journey machine: events a stage does not take', () => {
  it('leaves the stage and what it remembers unchanged, in every reachable state', () => {
    let ignored = 0;
    for (const s of reachable) {
      for (const event of ALL_EVENTS) {
        if (s.can(event)) continue;
        ignored += 1;
        const after = transition(journeyMachine, s, event)[0];
        expect(after.value).toBe(s.value);
        expect(after.context).toEqual(s.context);
      }
    }
    expect(ignored).toBeGreaterThan(50);
  });

  it('accepts exactly the documented events in each stage', () => {
    const accepted = (stage: Stage): EventType[] => EVENT_TYPES.filter((type) => at(stage).can({ type }));
    expect(accepted('agreement')).toEqual(['RESTART']);
    expect(accepted('no_agreement')).toEqual(['RESTART']);
    expect(accepted('mediation').sort()).toEqual(['AGREED', 'NO_AGREEMENT', 'SEEK_ALTERNATIVES']);
    expect(accepted('alternatives').sort()).toEqual(
      ['AGREED', 'BACK_TO_TABLE', 'NO_AGREEMENT', 'SEEK_MEDIATION', 'SWITCH'].sort(),
    );
    expect(accepted('refused')).toContain('RETRY');
    for (const stage of CONTRACT_STAGES as Stage[]) {
      if (stage !== 'agreement' && stage !== 'no_agreement') expect(accepted(stage)).not.toContain('RESTART');
    }
    for (const stage of ['planning', ...MIDDLE_STEPS] as Stage[])
      expect(accepted(stage)).not.toContain('RETRY');
  });

  it('canSend on a profile agrees with the machine', () => {
    for (const stage of CONTRACT_STAGES as Stage[]) {
      const profile = newProfile();
      profile.journey = {
        version: JOURNEY_MACHINE_VERSION,
        snapshot: journeyMachine.getPersistedSnapshot(at(stage)),
      };
      for (const event of ALL_EVENTS) expect(canSend(profile, event)).toBe(at(stage).can(event));
    }
  });
});

/** A named guard's predicate, called as XState calls it (it only reads the context). */
const guard = (name: string) =>
  (
    journeyMachine.implementations.guards as unknown as Record<
      string,
      (a: { context: JourneyContext }) => boolean
    >
  )[name]!;

describe('journey machine: named guards', () => {
  it('has exactly the guards tested here', () => {
    expect(Object.keys(journeyMachine.implementations.guards).sort()).toEqual([
      'refusedAtCompromise',
      'refusedAtFirstContact',
    ]);
  });

  it.each([
    // [refusedAt, refusedAtFirstContact, refusedAtCompromise, where RETRY leads]
    ['first_contact', true, false, 'first_contact'],
    ['compromise', false, true, 'compromise'],
    ['making_demands', false, false, 'making_demands'],
    [null, false, false, 'making_demands'],
  ] as const)('refusedAt=%s: first contact %s, compromise %s → RETRY to %s', (refusedAt, fc, co, target) => {
    const context: JourneyContext = { ...FRESH, refusedAt };
    expect(guard('refusedAtFirstContact')({ context })).toBe(fc);
    expect(guard('refusedAtCompromise')({ context })).toBe(co);
    expect(send(at('refused', { refusedAt }), 'RETRY').value).toBe(target);
  });
});

describe('journey machine: persistence', () => {
  it('continues identically from a persisted snapshot, split anywhere along each path', () => {
    const paths = shortestPaths.filter((p) => p.steps.length >= 3);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const events = eventsOf(path.steps);
      // Then something more: try every event once after the path.
      const tail = [...events, ...EVENT_TYPES];
      for (let cut = 0; cut <= events.length; cut++) {
        const original = createActor(journeyMachine).start();
        for (const type of tail.slice(0, cut)) original.send({ type } as JourneyEvent);
        const stored = JSON.parse(JSON.stringify(original.getPersistedSnapshot())) as Snap;
        const restored = createActor(journeyMachine, { snapshot: stored }).start();
        for (const type of tail.slice(cut)) {
          original.send({ type } as JourneyEvent);
          restored.send({ type } as JourneyEvent);
          expect(restored.getSnapshot().value).toBe(original.getSnapshot().value);
          expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
        }
        original.stop();
        restored.stop();
      }
    }
  });

  it('sendJourneyEvent stores the version and a snapshot the next turn continues from', () => {
    const profile: UserProfile = newProfile();
    expect(currentStage(profile)).toBe('planning');
    expect(sendJourneyEvent(profile, { type: 'PLAN_DONE' })).toEqual({
      from: 'planning',
      to: 'first_contact',
      changed: true,
    });
    expect(profile.journey?.version).toBe(JOURNEY_MACHINE_VERSION);
    sendJourneyEvent(profile, { type: 'CONTACTED' });
    sendJourneyEvent(profile, { type: 'DEMANDS_MADE' });
    // Through a JSON store and back, like a restart.
    const reloaded = JSON.parse(JSON.stringify(profile)) as UserProfile;
    expect(sendJourneyEvent(reloaded, { type: 'REFUSED' }).to).toBe('refused');
    expect(journeyContext(reloaded).refusedAt).toBe('compromise');
    expect(sendJourneyEvent(reloaded, { type: 'RETRY' })).toEqual({
      from: 'refused',
      to: 'compromise',
      changed: true,
    });
  });

  it('reports an ignored event as unchanged and keeps the stage', () => {
    const profile = newProfile();
    sendJourneyEvent(profile, { type: 'AGREED' });
    expect(sendJourneyEvent(profile, { type: 'RETRY' })).toEqual({
      from: 'agreement',
      to: 'agreement',
      changed: false,
    });
    expect(currentStage(profile)).toBe('agreement');
  });

  it('keeps the stage but not the remembered context from another machine version', () => {
    const profile = newProfile();
    profile.journey = {
      version: JOURNEY_MACHINE_VERSION + 1,
      snapshot: { value: 'refused', context: { refusedAt: 'compromise', leverage: true, ending: null } },
    };
    expect(currentStage(profile)).toBe('refused');
    expect(journeyContext(profile)).toEqual(FRESH);
    // Without the remembered step, trying again goes back to making demands.
    expect(sendJourneyEvent(profile, { type: 'RETRY' })).toEqual({
      from: 'refused',
      to: 'making_demands',
      changed: true,
    });
    expect(profile.journey.version).toBe(JOURNEY_MACHINE_VERSION);
  });

  it('trusts the context of a snapshot from the same version', () => {
    const profile = newProfile();
    profile.journey = {
      version: JOURNEY_MACHINE_VERSION,
      snapshot: { value: 'refused', context: { refusedAt: 'compromise', leverage: true, ending: null } },
    };
    expect(journeyContext(profile).leverage).toBe(true);
    expect(sendJourneyEvent(profile, { type: 'RETRY' }).to).toBe('compromise');
  });

  it('starts from planning when the stored stage no longer exists', () => {
    for (const version of [JOURNEY_MACHINE_VERSION, JOURNEY_MACHINE_VERSION - 1]) {
      const profile = newProfile();
      profile.journey = { version, snapshot: { value: 'haggling', context: {} } };
      expect(currentStage(profile)).toBe('planning');
      expect(sendJourneyEvent(profile, { type: 'PLAN_DONE' })).toEqual({
        from: 'planning',
        to: 'first_contact',
        changed: true,
      });
    }
  });

  it('starts from planning when the stored snapshot is damaged', () => {
    const profile = newProfile();
    profile.journey = { version: JOURNEY_MACHINE_VERSION, snapshot: null };
    expect(canSend(profile, { type: 'PLAN_DONE' })).toBe(true);
    expect(sendJourneyEvent(profile, { type: 'PLAN_DONE' }).to).toBe('first_contact');
  });

  it('gives every profile a snapshot of its own, also when the outcome was worked out before', () => {
    const first = newProfile();
    const second = newProfile();
    sendJourneyEvent(first, { type: 'REFUSED' });
    sendJourneyEvent(second, { type: 'REFUSED' });
    expect(second.journey?.snapshot).toEqual(first.journey?.snapshot);
    expect(second.journey?.snapshot).not.toBe(first.journey?.snapshot);
    // One user's stored record changing must never move another user.
    (first.journey?.snapshot as { value: string }).value = 'agreement';
    expect(currentStage(second)).toBe('refused');
    expect(sendJourneyEvent(second, { type: 'RETRY' }).to).toBe('making_demands');
  });

  it('answers the same for the same stored snapshot, whatever profile it sits in', () => {
    for (const from of STAGES) {
      for (const event of ALL_EVENTS) {
        const make = (): UserProfile => {
          const p = newProfile();
          p.journey = {
            version: JOURNEY_MACHINE_VERSION,
            snapshot: journeyMachine.getPersistedSnapshot(
              journeyMachine.resolveState({
                value: from,
                context: { refusedAt: 'compromise', leverage: false, ending: null },
              }),
            ),
          };
          return p;
        };
        const expected = transition(journeyMachine, restoreFrom(make()), event)[0].value;
        expect(sendJourneyEvent(make(), event).to).toBe(expected);
        expect(sendJourneyEvent(make(), event).to).toBe(expected);
      }
    }
  });
});

/** The machine a profile's stored snapshot stands for, rebuilt directly (not through journey.ts). */
function restoreFrom(profile: UserProfile): Snap {
  const saved = profile.journey?.snapshot as { value: Stage; context: JourneyContext };
  return journeyMachine.resolveState({ value: saved.value, context: saved.context });
}
