/**
 * The conversation core's data: what a turn takes (the user's and the conversation's records, the
 * message) and gives back (the records, the replies, a summary). Plain JSON, no channel types:
 * every channel maps its own input to a TurnInput and renders Replies its own way.
 */
import type { Intent, Lang } from '../knowledge/schema';
import type { Entities } from '../nlu/types';
import type { PiiKind } from '../privacy/pii';
import type { UserProfile } from '../state/profile';

/** A channel-neutral structured payload (debrief, stage map, home) each channel renders its own way. */
export interface CoachCard {
  kind: string;
  [key: string]: unknown;
}

/** One message from the coach: text, the next actions as buttons, and maybe a card. */
export interface Reply {
  text: string;
  /** Button captions; each, sent back as text, is the user's choice. */
  actions: string[];
  card?: CoachCard;
}

/** Where a turn comes from: channels word commands differently (help text) and show cards their way. */
export type Channel = 'terminal' | 'slack' | 'botframework' | 'webchat';

export interface TurnInput {
  kind: 'message' | 'join' | 'event';
  /** The message as the user sent it, personal data already masked by the app. */
  text?: string;
  /** An event's name ("coach/home"). */
  name?: string;
  channel: Channel;
  /** The channel's locale hint (Slack profile, browser language, LANG). */
  locale?: string;
  /** A language the channel forces (the terminal's --lang). */
  forceLang?: Lang;
  /** Secrets the masking found in the message (the coach warns about passwords and codes). */
  secrets?: readonly PiiKind[];
  /** Something the app did to the records before the turn, which the user must be told. */
  notice?: 'state_reset' | 'conversation_retired';
  /** When the turn happens (ms since the epoch): dates in plans and letters. */
  now: number;
}

/** CONTRACTS section 2: the per-turn fields besides the replies. */
export interface TurnSummary {
  intent: Intent | null;
  confidence: number | null;
  entities: Entities;
  lang: Lang;
  mode: string;
  stage: string;
  debrief?: unknown;
}

/** A flow in progress: which machine, the version it was stored by, and its persisted snapshot. */
export interface StoredFlow {
  id: string;
  v: number;
  snapshot: unknown;
}

/** Bumped when the conversation record changes shape; older ones are retired with a notice. */
export const CONVERSATION_VERSION = 2;

export interface ConversationState {
  v: number;
  /** The flow (plan, refusal, role-play…) waiting for the user's next message, if any. */
  flow?: StoredFlow;
  /** The captions of the last reply's buttons: a bare number answers only these. */
  menu?: string[];
  /** The topic shown last, for "详细" / "more"; `lastTopicLong`: its long version was shown. */
  lastTopic?: string;
  lastTopicLong?: boolean;
  lastTopicLang?: Lang;
  /** The problem of the last question about a channel: "and 12315?" asks about the same one. */
  askedIssue?: string;
  /** A hash of the last reply's text: the coach never sends the same reply twice in a row. */
  lastReply?: number;
}

export function newConversation(): ConversationState {
  return { v: CONVERSATION_VERSION };
}

/** What a turn works on: the user's record (shared by linked channels) and this conversation's. */
export interface Session {
  user: UserProfile;
  conversation: ConversationState;
}

export interface TurnResult {
  session: Session;
  replies: Reply[];
  summary: TurnSummary;
  /** The user asked to be forgotten (a confirmed /forget): delete their records, write nothing. */
  forget?: boolean;
}
