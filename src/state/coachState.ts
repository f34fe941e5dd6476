/**
 * The coach's Bot Framework state: user state keyed by the user alone (the stage belongs to the
 * user in every channel) and conversation state keyed by channel and conversation.
 */
import { BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { CoachStorage } from '../storage/coachStorage';
import { newProfile, type UserProfile } from './profile';

export function userKey(context: TurnContext): string {
  return `user/${context.activity.from?.id ?? 'anonymous'}`;
}

export function conversationKey(context: TurnContext): string {
  return `conversation/${context.activity.channelId}/${context.activity.conversation?.id ?? 'none'}`;
}

/** Conversation-level data besides the dialog stack. */
export interface ConversationData {
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
  readonly user: BotState;
  readonly conversation: BotState;
  readonly profile: StatePropertyAccessor<UserProfile>;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly conversationData: StatePropertyAccessor<ConversationData>;

  constructor(readonly storage: CoachStorage) {
    this.user = new BotState(storage, async (ctx) => userKey(ctx));
    this.conversation = new BotState(storage, async (ctx) => conversationKey(ctx));
    this.profile = this.user.createProperty<UserProfile>('profile');
    this.dialogState = this.conversation.createProperty<DialogState>('dialogs');
    this.conversationData = this.conversation.createProperty<ConversationData>('data');
  }

  async getProfile(context: TurnContext): Promise<UserProfile> {
    return this.profile.get(context, newProfile());
  }

  async getConversationData(context: TurnContext): Promise<ConversationData> {
    return this.conversationData.get(context, {});
  }

  async save(context: TurnContext): Promise<void> {
    await this.conversation.saveChanges(context);
    await this.user.saveChanges(context);
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
