/**
 * Moves a user's journey: restores their machine from the persisted snapshot (with its machine
 * version), sends an event, and stores the new snapshot back in the profile. A snapshot from
 * another machine version is not trusted; the user keeps the stage if it still exists.
 */
import { createActor, type SnapshotFrom } from 'xstate';
import type { UserProfile } from '../state/profile';
import { JOURNEY_MACHINE_VERSION, journeyMachine, type JourneyEvent } from './journeyMachine';
import { currentStage, type Stage } from './stage';

type JourneySnapshot = SnapshotFrom<typeof journeyMachine>;

function restore(profile: UserProfile) {
  const stored = profile.journey;
  if (stored && stored.version === JOURNEY_MACHINE_VERSION) {
    try {
      return createActor(journeyMachine, { snapshot: stored.snapshot as JourneySnapshot }).start();
    } catch {
      // A damaged snapshot: fall through to a fresh machine.
    }
  }
  // No snapshot, or one from an older machine: resolve the stage it named, if it still exists.
  const stage = currentStage(profile);
  const snapshot = journeyMachine.resolveState({
    value: stage,
    context: { refusedAt: null, leverage: false, ending: null },
  });
  return createActor(journeyMachine, { snapshot }).start();
}

export interface Transition {
  from: Stage;
  to: Stage;
  changed: boolean;
}

/** Whether the event means anything in the user's current stage. */
export function canSend(profile: UserProfile, event: JourneyEvent): boolean {
  const actor = restore(profile);
  const can = actor.getSnapshot().can(event);
  actor.stop();
  return can;
}

export function sendJourneyEvent(profile: UserProfile, event: JourneyEvent): Transition {
  const actor = restore(profile);
  const from = actor.getSnapshot().value as Stage;
  actor.send(event);
  const to = actor.getSnapshot().value as Stage;
  if (to !== from || !profile.journey) {
    profile.journey = { version: JOURNEY_MACHINE_VERSION, snapshot: actor.getPersistedSnapshot() };
  }
  actor.stop();
  return { from, to, changed: from !== to };
}

export function journeyContext(profile: UserProfile) {
  const actor = restore(profile);
  const context = actor.getSnapshot().context;
  actor.stop();
  return context;
}
