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

/** Whether the event means anything in the user's current stage. */
export function canSend(profile: UserProfile, event: JourneyEvent): boolean {
  return restore(profile).can(event);
}

export function sendJourneyEvent(profile: UserProfile, event: JourneyEvent): Transition {
  const before = restore(profile);
  const [after] = transition(journeyMachine, before, event);
  const from = before.value as Stage;
  const to = after.value as Stage;
  if (after !== before || !profile.journey) {
    profile.journey = {
      version: JOURNEY_MACHINE_VERSION,
      snapshot: journeyMachine.getPersistedSnapshot(after),
    };
  }
  return { from, to, changed: from !== to };
}

export function journeyContext(profile: UserProfile) {
  return restore(profile).context;
}
