/**
 * Moves a user's journey: restores their machine from the persisted snapshot (with its machine
 * version), sends an event, and stores the new snapshot back in the profile. A snapshot from
 * another machine version is not trusted; the user keeps the stage if it still exists.
 */
import { transition, type SnapshotFrom } from 'xstate';
import type { UserProfile } from '../state/profile';
import {
  JOURNEY_MACHINE_VERSION,
  journeyMachine,
  type JourneyContext,
  type JourneyEvent,
} from './journeyMachine';
import { currentStage, type Stage } from './stage';

type JourneySnapshot = SnapshotFrom<typeof journeyMachine>;

const freshContext = (): JourneyContext => ({ refusedAt: null, leverage: false, ending: null });

/**
 * The user's machine snapshot, rebuilt from what the profile stores. The journey machine has no
 * actors or delays, so XState's pure `transition` moves it without starting an actor each turn
 * (the role-play engine, which does, restores with `createActor(machine, { snapshot })`).
 */
function restore(profile: UserProfile): JourneySnapshot {
  const stored = profile.journey;
  if (stored && stored.version === JOURNEY_MACHINE_VERSION) {
    const saved = stored.snapshot as { value?: unknown; context?: Partial<JourneyContext> } | null;
    try {
      return journeyMachine.resolveState({
        value: saved?.value as Stage,
        context: { ...freshContext(), ...saved?.context },
      });
    } catch {
      // A damaged snapshot: fall through to a fresh machine.
    }
  }
  // No snapshot, or one from an older machine: resolve the stage it named, if it still exists.
  return journeyMachine.resolveState({ value: currentStage(profile), context: freshContext() });
}

export interface Transition {
  from: Stage;
  to: Stage;
  changed: boolean;
}

/**
 * The machine is a pure function of (stored snapshot, event): the same snapshot text and event
 * always give the same result. Its state space is small (ten stages times a few context values,
 * a few hundred entries at most), so results are remembered by that key instead of resolving and
 * transitioning a machine — a third of a stage-moving turn's cost — every time.
 */
interface Outcome {
  from: Stage;
  to: Stage;
  /** The event changed nothing (XState returned the same snapshot). */
  same: boolean;
  /** The persisted snapshot after the event, as JSON (each profile gets its own copy). */
  after: string;
}
const outcomes = new Map<string, Outcome>();
const allowed = new Map<string, boolean>();
/** A bound, in case snapshots ever stop being few: past it, results are computed, not kept. */
const MAX_REMEMBERED = 10_000;

/** The key of what `restore` makes of this profile: its stored snapshot, or the stage it names. */
function restoreKey(profile: UserProfile): string {
  const stored = profile.journey;
  return stored && stored.version === JOURNEY_MACHINE_VERSION
    ? `s${JSON.stringify(stored.snapshot ?? null)}`
    : `f${currentStage(profile)}`;
}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size < MAX_REMEMBERED) map.set(key, value);
  return value;
}

/** Whether the event means anything in the user's current stage. */
export function canSend(profile: UserProfile, event: JourneyEvent): boolean {
  const key = `${event.type}|${restoreKey(profile)}`;
  return allowed.get(key) ?? remember(allowed, key, restore(profile).can(event));
}

function outcomeOf(profile: UserProfile, event: JourneyEvent): Outcome {
  const before = restore(profile);
  const [after] = transition(journeyMachine, before, event);
  return {
    from: before.value as Stage,
    to: after.value as Stage,
    same: after === before,
    after: JSON.stringify(journeyMachine.getPersistedSnapshot(after)),
  };
}

export function sendJourneyEvent(profile: UserProfile, event: JourneyEvent): Transition {
  const key = `${event.type}|${restoreKey(profile)}`;
  const outcome = outcomes.get(key) ?? remember(outcomes, key, outcomeOf(profile, event));
  if (!outcome.same || !profile.journey) {
    profile.journey = { version: JOURNEY_MACHINE_VERSION, snapshot: JSON.parse(outcome.after) as unknown };
  }
  return { from: outcome.from, to: outcome.to, changed: outcome.from !== outcome.to };
}

export function journeyContext(profile: UserProfile): JourneyContext {
  return restore(profile).context;
}
