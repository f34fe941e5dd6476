/**
 * The coach's Bot Framework state: user state keyed by the user's identity (channel and id,
 * CONTRACTS section 9; linked identities share one record) and conversation state keyed by
 * channel and conversation.
 */
import type { StatePropertyAccessor, StoreItem, TurnContext } from 'botbuilder';
import {
  adoptsLegacyRecord,
  canonicalIdentity,
  identityOf,
  senderIdOf,
  setCanonicalIdentity,
} from '../identity/identity';
import { forgetWriteText } from '../storage/jsonText';
import { CoachBotState } from './botState';
import type { DialogState } from '../lib/dialogs';
import type { CoachStorage } from '../storage/coachStorage';
import { isQuarantined, quarantineKey } from '../storage/quarantine';
import { PROFILE_VERSION, newProfile, type UserProfile } from './profile';

/** The store key of a user's record (their profile: stage, facts, last debrief), by identity. */
export function userKeyOf(identity: string): string {
  return `user/${identity}`;
}

/** The record this turn's user reads and writes: their own, or the one they linked to. */
export function userKey(context: TurnContext): string {
  return userKeyOf(canonicalIdentity(context));
}

/**
 * A user record that only points at another identity's record: this identity was linked to that
 * one with `/link`, and everything it stores lives there.
 */
export interface LinkRecord {
  linkedTo: string;
}

export function linkTarget(record: StoreItem | undefined): string | undefined {
  const to = (record as Partial<LinkRecord> | undefined)?.linkedTo;
  return typeof to === 'string' ? to : undefined;
}

/** Where a record set aside on linking is kept (the identity's own progress before it linked). */
export function unlinkedKey(identity: string, at = new Date()): string {
  return `user-unlinked/${identity}/${at.toISOString()}`;
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
    return this.user.load(context).then(() => this.profileNow(context) ?? newProfile());
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
    if (!record) return undefined;
    // A record that only points at a linked identity's (the turn that made the link) keeps no
    // profile of its own.
    if (linkTarget(record)) return newProfile();
    return (record.profile ??= newProfile());
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
    const changes = Object.fromEntries(writes.map((w) => [w.key, w.state]));
    // A legacy record taken over this turn: its old key says where it went, in the same write.
    const legacy = this.legacyMoves.get(context);
    if (legacy && changes[userKey(context)]) changes[legacy] = { migratedTo: userKey(context), eTag: '*' };
    try {
      await this.storage.write(changes);
    } finally {
      for (const w of writes) forgetWriteText(w.state);
    }
    this.legacyMoves.delete(context);
    for (const w of writes) w.done();
  }

  /**
   * Checks the loaded records before a turn uses them. A record the store could not read, or
   * one written by an incompatible version, is kept aside (quarantine) and replaced by a fresh
   * one. Returns true when something was reset, so the user can be told.
   */
  async ensureReadable(context: TurnContext): Promise<boolean> {
    let reset = false;
    await this.readRecords(context);
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

  /** Reads the turn's user and conversation records, unless this turn has them already. */
  private async readRecords(context: TurnContext): Promise<void> {
    if (this.user.isLoaded(context) && this.conversation.isLoaded(context)) return;
    // Both records in one call to the store (one round trip for SQLite and Redis).
    const keys = { user: userKey(context), conversation: conversationKey(context) };
    const items = await this.storage.read([keys.user, keys.conversation]);
    const user = items[keys.user];
    const legacy = user ? undefined : await this.legacyRecord(context);
    // A record taken over from its legacy key is written under the new key at the next save.
    this.user.prime(context, user ?? legacy ?? {}, legacy !== undefined);
    this.conversation.prime(context, items[keys.conversation] ?? {});
  }

  /**
   * The identity whose record this turn must use instead of its own, if the user linked this
   * identity to another one: the caller locks that record too, then calls `followLink`. Reads
   * the turn's records if they are not read yet.
   */
  async linkedIdentity(context: TurnContext): Promise<string | undefined> {
    await this.readRecords(context);
    const to = linkTarget(this.user.get(context));
    return to && to !== canonicalIdentity(context) ? to : undefined;
  }

  /** Switches this turn to the linked identity's record (its lock held by the caller). */
  async followLink(context: TurnContext, identity: string): Promise<void> {
    setCanonicalIdentity(context, identity);
    const key = userKey(context);
    const record = (await this.storage.read([key]))[key] ?? {};
    // A chain (the target linked on in turn) is not followed further: links are made to a
    // record's owner, never to an alias (see link()).
    this.user.prime(context, linkTarget(record) ? {} : record);
  }

  /**
   * Makes this turn's identity share `target`'s record from its next turn on. What the identity
   * stored of its own is set aside (never deleted); its record then only points at the target's
   * owner, so no chain of links ever forms. Returns that owner.
   */
  async link(context: TurnContext, target: string): Promise<string> {
    const own = identityOf(context);
    const targetRecord = (await this.storage.read([userKeyOf(target)]))[userKeyOf(target)];
    const owner = linkTarget(targetRecord) ?? target;
    // Linked already (the code came from a channel that shares this one's record).
    if (owner === own) return owner;
    const mine = this.user.get(context) as Record<string, unknown> | undefined;
    if (canonicalIdentity(context) === own && mine && Object.keys(mine).some((k) => k !== 'eTag')) {
      await this.storage.write({ [unlinkedKey(own)]: { ...mine, eTag: '*' } });
    }
    // The turn's save writes the pointer in place of the identity's own record (this turn holds
    // that record's lock; a record it was linked to before is left as it is).
    setCanonicalIdentity(context, own);
    const pointer: LinkRecord = { linkedTo: owner };
    this.user.prime(context, owner === own ? {} : pointer, true);
    return owner;
  }

  /**
   * A record kept under the sender's id alone (before identities had a channel), taken over by
   * this identity when it can only have been its own: copied to the identity's key at the next
   * save, and the old key left pointing at it. Only looked for when the identity has no record.
   */
  private async legacyRecord(context: TurnContext): Promise<StoreItem | undefined> {
    const identity = canonicalIdentity(context);
    if (!adoptsLegacyRecord(identity)) return undefined;
    const legacyKey = userKeyOf(senderIdOf(identity));
    const record = (await this.storage.read([legacyKey]))[legacyKey];
    if (!record || isQuarantined(record) || linkTarget(record) || 'migratedTo' in record) return undefined;
    this.legacyMoves.set(context, legacyKey);
    const { eTag: _eTag, ...rest } = record;
    return rest;
  }

  private readonly legacyMoves = new WeakMap<TurnContext, string>();

  /** Forgets everything about this user and conversation (after /reset is confirmed). */
  async clear(context: TurnContext): Promise<void> {
    await this.user.clear(context);
    await this.conversation.clear(context);
  }

  /**
   * The keys a turn must hold the lock of, always in the same order (no deadlock): the
   * conversation, then the identity's own record. A linked identity's turn then also locks the
   * record it shares, always last; no turn locks in the other order.
   */
  lockKeys(context: TurnContext): string[] {
    return [conversationKey(context), userKeyOf(identityOf(context))];
  }
}
