/**
 * The protocol between the conversation core and the flows (dialogs/*.ts, one XState machine
 * each). A flow receives events that carry the turn's environment — the message, its NLU reading,
 * the user's record as it is now, the knowledge base — and answers with emitted effects: replies,
 * changes to the user's record, stage moves, or "not for me". It keeps in its own context only
 * what it must remember between turns, so its persisted snapshot is small plain JSON.
 */
import type { JourneyEvent } from '../journey/journeyMachine';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { Intent, Issue, Lang, Role } from '../knowledge/schema';
import type { Texts, TextValues } from '../knowledge/texts';
import type { Nlu } from '../nlu/nlu';
import type { NluResult } from '../nlu/types';
import type { RoleplayEngine } from '../roleplay/engine';
import type { Facts, PracticeEntry, UserProfile } from '../state/profile';
import type { Random } from '../util/random';
import type { Channel, CoachCard, Reply, StoredFlow } from './types';

/** What the core and the flows need from the rest of the coach, built once per process. */
export interface CoachDeps {
  nlu: Nlu;
  kb: KnowledgeBase;
  roleplay: RoleplayEngine;
  random: Random;
}

/** The turn as a flow sees it. */
export interface FlowEnv {
  lang: Lang;
  channel: Channel;
  /** The message (masked), or '' for events without one. */
  text: string;
  /** The NLU's reading of the message, when there is a message. */
  reading: NluResult | null;
  /** The user's record as it stands now (effects emitted earlier this turn are applied). */
  profile: Readonly<UserProfile>;
  deps: CoachDeps;
  now: number;
  /**
   * The core's suspicion that the message is about something else (a confident reading of
   * another intent): a flow that does not take it as an answer says `flow.unhandled`.
   */
  interruption: boolean;
}

export type FlowId =
  'plan' | 'refusal' | 'fee_calc' | 'roleplay' | 'reset' | 'forget' | 'which_problem' | 'switch' | 'blanks';

export type FlowEvent =
  /** The first event a new flow gets; `text` is the message that started it, if one did. */
  | { type: 'flow.begin'; env: FlowEnv; text?: string; options?: FlowOptions }
  | { type: 'user.message'; env: FlowEnv }
  /** Ask the pending question again (after an interruption, in the current language). */
  | { type: 'flow.reprompt'; env: FlowEnv }
  /** The user ended it with a command (/end, a short "算了 结束吧"). */
  | { type: 'flow.end'; env: FlowEnv };

/** What a flow may be started with besides the message. */
export interface FlowOptions {
  /** plan: export the plan instead of asking; refine one optional slot. */
  export?: boolean;
  refine?: string;
  /** which_problem: the intent waiting for the user's issue. */
  intent?: Intent;
  /** switch: the flow to drop, and the one to start instead. */
  suspended?: StoredFlow;
  next?: { flow: FlowId; text: string };
  /** roleplay: the same setting again (or one level harder) — the running scene's, else the last. */
  again?: { harder: boolean; scenario?: string; difficulty?: string };
  /** roleplay: a drill on one skill (a skill id of CONTRACTS §8). */
  drill?: string;
  /** blanks: the template whose blanks are asked. */
  template?: string;
}

/** A change to the user's record. `facts` are merged; `undefined` values leave a fact alone. */
export interface ProfilePatch {
  role?: Role;
  issue?: Issue;
  facts?: Partial<Facts>;
  planDone?: string;
  lastDebrief?: unknown;
  /** The whole practice record, replaced (the role-play adds a rehearsal, bounded). */
  practice?: PracticeEntry[];
}

export type FlowEffect =
  | { type: 'flow.reply'; reply: Reply }
  | { type: 'flow.profile'; patch: ProfilePatch }
  | { type: 'flow.journey'; event: JourneyEvent['type'] }
  /** The message is not an answer for this flow: the core routes it itself. */
  | { type: 'flow.unhandled' }
  /** Answer this intent from the knowledge base (the flow's own work is done). */
  | { type: 'flow.answer'; intent: Intent; text: string }
  /** Run one of the coach's actions, as a click on its button would. */
  | { type: 'flow.action'; id: string }
  /** Start another flow in this one's place. */
  | { type: 'flow.start'; flow: FlowId; text: string; options?: FlowOptions }
  /** Go back to a flow set aside (the answer to "drop this?" was no). */
  /** `answer`: the message was not a no, so it may be the answer the resumed flow waits for. */
  | { type: 'flow.resume'; flow: StoredFlow; answer?: boolean }
  /** The knowledge topic just shown (for "详细" / "more"). */
  | { type: 'flow.topic'; id: string }
  /** A role-play ended: its debrief (CONTRACTS section 8) for the turn's summary. */
  | { type: 'flow.debrief'; debrief: unknown }
  /** Forget the user's stage, plan and practice history (a confirmed /reset). */
  | { type: 'flow.clear' }
  /** Delete everything stored about the user (a confirmed /forget). */
  | { type: 'flow.forget' };

/** A reply made of interface text from knowledge/ui. */
export function textReply(
  env: FlowEnv,
  key: string,
  values?: TextValues,
  actions: readonly string[] = [],
  card?: CoachCard,
): FlowEffect {
  return {
    type: 'flow.reply',
    reply: { text: env.deps.kb.texts.t(key, env.lang, values), actions: [...actions], card },
  };
}

/** The most buttons one reply shows: more would not fit a phone screen. */
const MAX_BUTTONS = 6;

/**
 * Button captions for follow-up references (`action:…`, `topic:…`, `template:…`, `case:…`),
 * without duplicates or unknowns.
 */
export function labels(deps: CoachDeps, refs: readonly string[], lang: Lang): string[] {
  const out: string[] = [];
  for (const ref of refs) {
    const label = followupLabel(deps.kb, ref, lang);
    if (label && !out.includes(label)) out.push(label);
  }
  return out.slice(0, MAX_BUTTONS);
}

export function followupLabel(kb: KnowledgeBase, ref: string, lang: Lang): string | undefined {
  const colon = ref.indexOf(':');
  const kind = ref.slice(0, colon);
  const id = ref.slice(colon + 1);
  if (kind === 'action') return actionLabel(kb.texts, id, lang);
  if (kind === 'case') return kb.caseById(id)?.title[lang];
  return kb.followupLabel(ref, lang, () => undefined);
}

function actionLabel(texts: Texts, id: string, lang: Lang): string | undefined {
  const key = `actions.${id}`;
  return texts.has(key) ? texts.t(key, lang) : undefined;
}
