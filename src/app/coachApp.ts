/**
 * The app around the conversation core, for every channel: mask the message, take the turn's
 * locks, read the user's and the conversation's records with their eTags, run the turn (one
 * synchronous function), write both records in one eTag-checked write, release the locks, and
 * only then hand the replies to the channel. A reply that claims progress is never shown unless
 * the progress was stored.
 *
 * Records: `user/<identity>` holds `{ profile }` — or, for a linked identity, `{ linkedTo }`,
 * pointing at the record it shares; `conversation/<channel>/<id>` holds `{ state }`. Records the
 * store could not read, or of a shape this version does not know, are set aside (quarantine) and
 * the user is told; stored conversations of the old dialog-stack shape are retired with a notice.
 */
import { LRUCache } from 'lru-cache';
import type { CoachDeps } from '../conversation/flow';
import {
  CONVERSATION_VERSION,
  newConversation,
  type Channel,
  type ConversationState,
  type Reply,
  type Session,
  type TurnInput,
  type TurnSummary,
} from '../conversation/types';
import { handleTurn } from '../core/turn';
import { parseCommand } from '../core/commands';
import { detectLang } from '../i18n/detectLang';
import { adoptsLegacyRecord, senderIdOf } from '../identity/identity';
import type { Links } from '../identity/links';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../log/logger';
import { buildPlan, planToMarkdown } from '../plan/buildPlan';
import { templateValues } from '../plan/templateValues';
import { maskPiiDetailed } from '../privacy/pii';
import type { RateLimiter } from '../runtime/rateLimit';
import { PROFILE_VERSION, newProfile, type UserProfile } from '../state/profile';
import { EtagConflictError, StorageUnavailableError, type CoachStorage } from '../storage/coachStorage';
import { isQuarantined, quarantineKey } from '../storage/quarantine';

export interface AppInput {
  /** Whose turn it is: channel and the channel's user id (CONTRACTS section 9). */
  identity: string;
  /** The conversation within the channel: `<channel>/<conversation id>`. */
  conversation: string;
  channel: Channel;
  /** The channel's own id where it has several (a Bot Framework channel: emulator, msteams …), for metrics. */
  channelId?: string;
  kind: TurnInput['kind'];
  text?: string;
  name?: string;
  locale?: string;
  forceLang?: Lang;
  /** The key this message counts against in the rate limit (network channels; none: no limit). */
  limitKey?: string;
}

export interface AppTurn {
  replies: Reply[];
  summary: TurnSummary;
}

export interface TurnObservation {
  /** A channel from a closed set (checked by the route that took the message). */
  channel: string;
  seconds: number;
  summary: TurnSummary;
  error?: unknown;
}

export interface CoachAppOptions {
  storage: CoachStorage;
  deps: CoachDeps;
  links: Links;
  logger: Logger;
  rateLimiter?: RateLimiter;
  observe?: (o: TurnObservation) => void;
  now?: () => number;
}

export const userKeyOf = (identity: string): string => `user/${identity}`;
const conversationKeyOf = (conversation: string): string => `conversation/${conversation}`;
/** Where an identity's own record is set aside when it links to another identity. */
const unlinkedKeyOf = (identity: string, at: Date): string => `user-unlinked/${identity}/${at.toISOString()}`;

interface UserRecord {
  profile?: UserProfile;
  linkedTo?: string;
  migratedTo?: string;
  eTag?: string;
}

interface ConversationRecord {
  state?: ConversationState;
  /** The shape before flows were machines (a botbuilder-dialogs stack). */
  dialogs?: { dialogStack?: unknown[] };
  data?: { roleplay?: unknown };
  eTag?: string;
}

/** What one turn read: both records, their keys and eTags, and what the user must be told. */
interface Loaded {
  session: Session;
  userKey: string;
  userETag?: string;
  conversationKey: string;
  conversationETag?: string;
  notice?: TurnInput['notice'];
  /** Extra writes of this turn (a legacy record's new pointer, quarantined copies). */
  extra: Record<string, object>;
  /** The JSON of the records as read, to write only what changed. */
  before: { user: string; conversation: string };
}

/** How many users' last mode and stage are remembered, for turns that cannot read the store. */
const REMEMBERED_USERS = 10_000;

export class CoachApp {
  private readonly lastKnown = new LRUCache<string, { mode: string; stage: string; lang: Lang }>({
    max: REMEMBERED_USERS,
  });
  private readonly now: () => number;
  private readonly observers: ((o: TurnObservation) => void)[] = [];

  constructor(private readonly options: CoachAppOptions) {
    this.now = options.now ?? Date.now;
    if (options.observe) this.observers.push(options.observe);
  }

  /** Watches every turn (metrics): its channel, duration, summary and failure. */
  onTurn(observe: (o: TurnObservation) => void): void {
    this.observers.push(observe);
  }

  get deps(): CoachDeps {
    return this.options.deps;
  }

  async turn(input: AppInput): Promise<AppTurn> {
    const started = process.hrtime.bigint();
    let out: AppTurn;
    let error: unknown;
    try {
      out = await this.guardedTurn(input);
    } catch (err) {
      error = err;
      out = this.apology(input, err);
    }
    const observation = {
      channel: input.channelId ?? input.channel,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      summary: out.summary,
      error,
    };
    for (const observe of this.observers) observe(observation);
    return out;
  }

  private async guardedTurn(input: AppInput): Promise<AppTurn> {
    const { rateLimiter } = this.options;
    if (
      input.kind === 'message' &&
      input.limitKey &&
      rateLimiter &&
      !(await rateLimiter.take(input.limitKey))
    ) {
      const lang = input.forceLang ?? detectLang(typeof input.text === 'string' ? input.text : '') ?? 'zh';
      return this.fixedReply(input, 'core.slow_down', lang);
    }
    // Secrets and personal numbers are masked before anything reads the message: they never
    // reach the core, the store or the logs.
    const masked = typeof input.text === 'string' ? maskPiiDetailed(input.text) : undefined;
    const command = masked ? parseCommand(masked.text) : null;
    const keys = [conversationKeyOf(input.conversation), userKeyOf(input.identity)];
    return this.options.storage.withLocks(keys, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const loaded = await this.load(input);
          const linked = loaded.linkedTo;
          const run = (): Promise<AppTurn> =>
            command?.name === 'link'
              ? this.link(input, loaded, command.code)
              : this.run(input, loaded, masked?.text, masked?.found ?? []);
          if (!linked) return await run();
          // A linked identity shares another's record: that record is locked too (always last).
          return await this.options.storage.withLock(userKeyOf(linked), async () => {
            await this.followLink(loaded, linked);
            return run();
          });
        } catch (err) {
          // Someone wrote a record since this turn read it (a lease that lapsed): run the turn
          // again on what is stored now, once.
          if (err instanceof EtagConflictError && attempt === 0) continue;
          throw err;
        }
      }
    });
  }

  /**
   * The user's plan as Markdown (`coach plan --export`, the web chat's download), read from their
   * record or the one their identity is linked to. Reads only: nothing of any conversation changes.
   */
  async planExport(identity: string, locale?: string): Promise<{ lang: Lang; markdown?: string }> {
    const read = async (key: string) =>
      (await this.options.storage.read([key]))[key] as UserRecord | undefined;
    let record = await read(userKeyOf(identity));
    if (record?.linkedTo) record = await read(userKeyOf(record.linkedTo));
    const profile = record?.profile && record.profile.v === PROFILE_VERSION ? record.profile : newProfile();
    const lang: Lang = profile.lang ?? profile.lastLang ?? localeLang(locale) ?? 'zh';
    if (!profile.planDone) return { lang };
    const { kb } = this.options.deps;
    const doc = buildPlan(profile, kb, lang, templateValues(kb.texts, profile, lang, this.now()));
    return { lang, markdown: planToMarkdown(doc, profile.planDone) };
  }

  // ---------------------------------------------------------------- reading

  private async load(input: AppInput): Promise<Loaded & { linkedTo?: string }> {
    const userKey = userKeyOf(input.identity);
    const conversationKey = conversationKeyOf(input.conversation);
    const items = await this.options.storage.read([userKey, conversationKey]);
    const extra: Record<string, object> = {};
    let notice: TurnInput['notice'];

    let user = items[userKey] as UserRecord | undefined;
    let adopted = false;
    if (!user) {
      user = await this.legacyRecord(input.identity, userKey, extra);
      adopted = user !== undefined;
    }
    let profile: UserProfile;
    if (user && isQuarantined(user)) {
      profile = newProfile();
      notice = 'state_reset';
    } else if (user?.profile && user.profile.v !== PROFILE_VERSION) {
      extra[quarantineKey(userKey)] = { ...user, eTag: '*' };
      profile = newProfile();
      notice = 'state_reset';
    } else {
      profile = user?.profile ?? newProfile();
    }

    const stored = items[conversationKey] as ConversationRecord | undefined;
    let conversation: ConversationState;
    if (stored && isQuarantined(stored)) {
      conversation = newConversation();
      notice = 'state_reset';
    } else if (stored && (stored.dialogs !== undefined || stored.data !== undefined)) {
      // A conversation from before flows were machines: what it had open cannot go on.
      const pending = (stored.dialogs?.dialogStack?.length ?? 0) > 0 || stored.data?.roleplay !== undefined;
      conversation = newConversation();
      notice ??= pending ? 'conversation_retired' : undefined;
    } else if (stored?.state && stored.state.v !== CONVERSATION_VERSION) {
      extra[quarantineKey(conversationKey)] = { ...stored, eTag: '*' };
      conversation = newConversation();
      notice ??= 'conversation_retired';
    } else {
      conversation = stored?.state ?? newConversation();
    }

    const session: Session = { user: profile, conversation };
    return {
      session,
      userKey,
      userETag: typeof user?.eTag === 'string' && !user.linkedTo ? user.eTag : undefined,
      conversationKey,
      conversationETag: typeof stored?.eTag === 'string' ? stored.eTag : undefined,
      notice,
      extra,
      // A record that is not stored yet, and stays as fresh as it began, is not written.
      before: {
        user: notice || adopted ? '' : JSON.stringify(user?.profile ?? profile),
        conversation: stored?.state ? JSON.stringify(stored.state) : JSON.stringify(conversation),
      },
      linkedTo:
        typeof user?.linkedTo === 'string' && user.linkedTo !== input.identity ? user.linkedTo : undefined,
    };
  }

  /** Switches the turn to the record of the identity this one is linked to (its lock held). */
  private async followLink(loaded: Loaded, identity: string): Promise<void> {
    const key = userKeyOf(identity);
    const record = (await this.options.storage.read([key]))[key] as UserRecord | undefined;
    loaded.userKey = key;
    const profile = record?.profile && record.profile.v === PROFILE_VERSION ? record.profile : newProfile();
    loaded.session.user = profile;
    loaded.userETag = typeof record?.eTag === 'string' ? record.eTag : undefined;
    loaded.before.user = JSON.stringify(profile);
  }

  /**
   * A record kept under the sender's id alone (before identities had a channel), taken over by
   * this identity when it can only have been its own: written under the identity's key at the
   * end of the turn, with the old key then saying where it went.
   */
  private async legacyRecord(
    identity: string,
    userKey: string,
    extra: Record<string, object>,
  ): Promise<UserRecord | undefined> {
    if (!adoptsLegacyRecord(identity)) return undefined;
    const legacyKey = userKeyOf(senderIdOf(identity));
    const record = (await this.options.storage.read([legacyKey]))[legacyKey] as UserRecord | undefined;
    if (!record?.profile || isQuarantined(record) || record.linkedTo || record.migratedTo) return undefined;
    extra[legacyKey] = { migratedTo: userKey, eTag: '*' };
    return { profile: record.profile };
  }

  // ---------------------------------------------------------------- the turn

  private async run(
    input: AppInput,
    loaded: Loaded,
    text: string | undefined,
    secrets: string[],
  ): Promise<AppTurn> {
    const turnInput: TurnInput = {
      kind: input.kind,
      text: input.kind === 'message' ? text : undefined,
      name: input.name,
      channel: input.channel,
      locale: input.locale,
      forceLang: input.forceLang,
      secrets: secrets as TurnInput['secrets'],
      notice: loaded.notice,
      now: this.now(),
    };
    const result = handleTurn(loaded.session, turnInput, this.options.deps);
    if (result.forget) {
      // Forgotten: the record (and this identity's own, if it was linked) and this conversation
      // are deleted, not written back empty.
      await this.options.storage.delete([
        ...new Set([loaded.userKey, userKeyOf(input.identity), loaded.conversationKey]),
      ]);
    } else await this.save(loaded);
    this.lastKnown.set(input.identity, {
      mode: result.summary.mode,
      stage: result.summary.stage,
      lang: result.summary.lang,
    });
    return { replies: result.replies, summary: result.summary };
  }

  /** One eTag-checked write of whatever changed (both records, and this turn's extra records). */
  private async save(loaded: Loaded): Promise<void> {
    const changes: Record<string, object> = { ...loaded.extra };
    const user = JSON.stringify(loaded.session.user);
    if (user !== loaded.before.user)
      changes[loaded.userKey] = withETag({ profile: loaded.session.user }, loaded.userETag);
    const conversation = JSON.stringify(loaded.session.conversation);
    if (conversation !== loaded.before.conversation) {
      changes[loaded.conversationKey] = withETag(
        { state: loaded.session.conversation },
        loaded.conversationETag,
      );
    }
    if (Object.keys(changes).length > 0) await this.options.storage.write(changes);
  }

  // ---------------------------------------------------------------- linking

  /** `/link` shows a code for another channel; `/link CODE` joins this identity to the code's. */
  private async link(input: AppInput, loaded: Loaded, code: string | null): Promise<AppTurn> {
    const { links, storage } = this.options;
    const profile = loaded.session.user;
    const lang = input.forceLang ?? profile.lang ?? profile.lastLang ?? localeLang(input.locale) ?? 'zh';
    const canonical = loaded.userKey.slice('user/'.length);
    if (code === null) {
      const issued = await links.issue(canonical);
      return this.fixedReply(input, 'core.link_code', lang, { code: issued });
    }
    const redeemed = await links.redeem(input.identity, code);
    if (!redeemed.ok) {
      const key = {
        malformed: 'core.link_malformed',
        unknown: 'core.link_unknown',
        own: 'core.link_own',
        too_many: 'core.link_too_many',
      }[redeemed.reason];
      return this.fixedReply(input, key, lang);
    }
    // Link to the owner of the target's record, so that no chain of links ever forms.
    const targetKey = userKeyOf(redeemed.identity);
    const target = (await storage.read([targetKey]))[targetKey] as UserRecord | undefined;
    const owner = target?.linkedTo ?? redeemed.identity;
    if (owner !== input.identity) {
      const ownKey = userKeyOf(input.identity);
      const own = (await storage.read([ownKey]))[ownKey] as UserRecord | undefined;
      const changes: Record<string, object> = { [ownKey]: { linkedTo: owner, eTag: '*' } };
      if (own?.profile) changes[unlinkedKeyOf(input.identity, new Date(this.now()))] = { ...own, eTag: '*' };
      await storage.write(changes);
    }
    return this.fixedReply(input, 'core.link_done', lang);
  }

  // ---------------------------------------------------------------- fixed replies and failures

  private fixedReply(input: AppInput, key: string, lang: Lang, values?: Record<string, string>): AppTurn {
    const known = this.lastKnown.get(input.identity);
    return {
      replies: [{ text: this.options.deps.kb.texts.t(key, lang, values), actions: [] }],
      summary: {
        intent: null,
        confidence: null,
        entities: {},
        lang,
        mode: known?.mode ?? 'coach',
        stage: known?.stage ?? 'planning',
      },
    };
  }

  /** The one reply of a failed turn, in the user's language, with the reason kept out of sight. */
  private apology(input: AppInput, err: unknown): AppTurn {
    const unavailable = err instanceof StorageUnavailableError;
    this.options.logger.error(unavailable ? 'turn skipped: storage unavailable' : 'turn failed', {
      error: err,
      channel: input.channel,
    });
    const known = this.lastKnown.get(input.identity);
    const lang: Lang =
      input.forceLang ?? detectLang(typeof input.text === 'string' ? input.text : '') ?? known?.lang ?? 'zh';
    const replies: Reply[] =
      input.kind === 'message'
        ? [
            {
              text: this.options.deps.kb.texts.t(unavailable ? 'core.busy' : 'core.error', lang),
              actions: [],
            },
          ]
        : [];
    // Nothing of this turn was stored: report the mode and stage the user is still in.
    return {
      replies,
      summary: {
        intent: null,
        confidence: null,
        entities: {},
        lang,
        mode: known?.mode ?? 'coach',
        stage: known?.stage ?? 'planning',
      },
    };
  }
}

function withETag<T extends object>(record: T, eTag: string | undefined): T & { eTag?: string } {
  return eTag ? { ...record, eTag } : record;
}

function localeLang(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  if (/^zh/i.test(locale)) return 'zh';
  if (/^en/i.test(locale)) return 'en';
  return undefined;
}
