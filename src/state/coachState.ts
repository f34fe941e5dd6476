/**
 * The coach's Bot Framework state: user state keyed by the user alone (the stage belongs to the
 * user in every channel) and conversation state keyed by channel and conversation.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { forgetWriteText } from '../storage/jsonText';
import { CoachBotState } from './botState';
import type { DialogState } from '../lib/dialogs';
import type { CoachStorage } from '../storage/coachStorage';
import { isQuarantined, quarantineKey } from '../storage/quarantine';
import { PROFILE_VERSION, newProfile, type UserProfile } from './profile';

/** The store key of a user's record (their profile: stage, facts, last debrief). */
export function userKeyOf(userId: string): string {
  return `user/${userId}`;
}

export function userKey(context: TurnContext): string {
  return userKeyOf(context.activity.from?.id ?? 'anonymous');
}

export function conversationKey(context: TurnContext): string {
  return `conversation/${context.activity.channelId}/${context.activity.conversation?.id ?? 'none'}`;
}

/** Bumped when the dialog stack or conversation data change shape (dialog ids included). */
export const CONVERSATION_VERSION = 1;

/** Conversation-level data besides the dialog stack. */
export interface ConversationData {
  v?: number;
  /** The topic last shown, for "详细" / "more". */
  lastTopic?: string;
  /** The intent waiting for the user to say which problem they have. */
  pendingIntent?: string;
  /** The role-play in progress, if any (its machine snapshot and score record). */
  roleplay?: unknown;
  /** What kind of refusal the user reported (flat no, partial offer, no answer). */
  refusalKind?: string;
}

export class CoachState {
  readonly user: CoachBotState;
  readonly conversation: CoachBotState;
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly conversationData: StatePropertyAccessor<ConversationData>;

  constructor(readonly storage: CoachStorage) {
    this.user = new CoachBotState(storage, userKey);
    this.conversation = new CoachBotState(storage, conversationKey);
    this.profile = this.user.createProperty<UserProfile>('profile');
    this.dialogState = this.conversation.createProperty<DialogState>('dialogs');
    this.conversationData = this.conversation.createProperty<ConversationData>('data');
  }

  // Read through the state objects rather than the accessors: an accessor given a default
  // deep-copies it on every call, and these are read several times a turn. Once the turn has
  // loaded its records (it always has, after ensureReadable), the answer is at hand: no async
  // function, no extra promises — these are called a dozen times a turn.
  getProfile(context: TurnContext): Promise<UserProfile> {
    const now = this.profileNow(context);
    if (now) return Promise.resolve(now);
    return this.user.load(context).then((r) => ((r as { profile?: UserProfile }).profile ??= newProfile()));
  }

  getDialogState(context: TurnContext): Promise<DialogState> {
    const now = this.dialogStateNow(context);
    if (now) return Promise.resolve(now);
    return this.conversation
      .load(context)
      .then((r) => ((r as { dialogs?: DialogState }).dialogs ??= { dialogStack: [] }));
  }

  getConversationData(context: TurnContext): Promise<ConversationData> {
    const now = this.conversationDataNow(context);
    if (now) return Promise.resolve(now);
    return this.conversation.load(context).then((r) => ((r as { data?: ConversationData }).data ??= {}));
  }

  /**
   * The same records without a promise, for a turn that has loaded them (every message turn has,
   * after ensureReadable); undefined before. The hottest paths read these with the async getter
   * as fallback: each `await` of a value already at hand is a scheduling round of its own.
   */
  profileNow(context: TurnContext): UserProfile | undefined {
    const record = this.user.get(context) as { profile?: UserProfile } | undefined;
    return record ? (record.profile ??= newProfile()) : undefined;
  }

  dialogStateNow(context: TurnContext): DialogState | undefined {
    const record = this.conversation.get(context) as { dialogs?: DialogState } | undefined;
    return record ? (record.dialogs ??= { dialogStack: [] }) : undefined;
  }

  conversationDataNow(context: TurnContext): ConversationData | undefined {
    const record = this.conversation.get(context) as { data?: ConversationData } | undefined;
    return record ? (record.data ??= {}) : undefined;
  }

  /** Writes what changed in both records, in one call to the store (one round trip). */
  async save(context: TurnContext): Promise<void> {
    const writes = [this.conversation.pendingWrite(context), this.user.pendingWrite(context)].filter(
      (w) => w !== undefined,
    );
    if (writes.length === 0) return;
    try {
      await this.storage.write(Object.fromEntries(writes.map((w) => [w.key, w.state])));
    } finally {
      for (const w of writes) forgetWriteText(w.state);
    }
    for (const w of writes) w.done();
  }

  /**
   * Checks the loaded records before a turn uses them. A record the store could not read, or
   * one written by an incompatible version, is kept aside (quarantine) and replaced by a fresh
   * one. Returns true when something was reset, so the user can be told.
   */
  async ensureReadable(context: TurnContext): Promise<boolean> {
    let reset = false;
    if (!this.user.isLoaded(context) || !this.conversation.isLoaded(context)) {
      // Both records in one call to the store (one round trip for SQLite and Redis).
      const keys = { user: userKey(context), conversation: conversationKey(context) };
      const items = await this.storage.read([keys.user, keys.conversation]);
      this.user.prime(context, items[keys.user] ?? {});
      this.conversation.prime(context, items[keys.conversation] ?? {});
    }
    const user = this.user.get(context) as Record<string, unknown> | undefined;
    const profile = user?.profile as UserProfile | undefined;
    if (user && (isQuarantined(user) || (profile && profile.v !== PROFILE_VERSION))) {
      if (!isQuarantined(user))
        await this.storage.write({ [quarantineKey(userKey(context))]: { ...user, eTag: '*' } });
      await this.user.clear(context);
      reset = true;
    }
    const conversation = this.conversation.get(context) as Record<string, unknown> | undefined;
    const data = conversation?.data as ConversationData | undefined;
    const stale = data !== undefined && data.v !== undefined && data.v !== CONVERSATION_VERSION;
    if (conversation && (isQuarantined(conversation) || stale)) {
      if (!isQuarantined(conversation)) {
        await this.storage.write({
          [quarantineKey(conversationKey(context))]: { ...conversation, eTag: '*' },
        });
      }
      await this.conversation.clear(context);
      reset = true;
    }
    const current = this.conversationDataNow(context) ?? (await this.getConversationData(context));
    current.v = CONVERSATION_VERSION;
    return reset;
  }

  /** Forgets everything about this user and conversation (after /reset is confirmed). */
  async clear(context: TurnContext): Promise<void> {
    await this.user.clear(context);
    await this.conversation.clear(context);
  }

  /** The keys a turn must hold the lock of, always in the same order (no deadlock). */
  lockKeys(context: TurnContext): string[] {
    return [conversationKey(context), userKey(context)];
  }
}
