/**
 * The one bot every channel runs. A turn: take the user's lock, load state, check the input,
 * read it with the NLU, run the dialogs, save state, then release the replies. Replies are held
 * until the state is saved, so a failure never shows the user progress that was not stored.
 */
import { ActivityHandler, ActivityTypes, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from '../lib/dialogs';
import { detectLang } from '../i18n/detectLang';
import { inputProblemMessage, ui } from '../i18n/messages';
import { validateInput } from '../input/validateInput';
import { maskPii, maskPiiDetailed } from '../privacy/pii';
import { currentStage } from '../journey/stage';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../log/logger';
import type { Nlu } from '../nlu/nlu';
import { message } from '../runtime/reply';
import { resolveLang } from '../runtime/lang';
import { ReplyBuffer } from '../runtime/replyBuffer';
import { findTurnInfo, setTurnInfo, setTurnSummary, type TurnInfo } from '../runtime/turnInfo';
import { userKeyOf, type CoachState } from '../state/coachState';
import { StorageUnavailableError } from '../storage/coachStorage';
import { RecentMap } from '../util/recentMap';

/** The main dialog's router, callable without a dialog context. */
export interface Router {
  route(context: TurnContext): Promise<{ begin?: { id: string; options?: object } }>;
}

export interface CoachBotDeps {
  state: CoachState;
  nlu: Nlu;
  dialog: Dialog & Router;
  logger: Logger;
  /** Channel-neutral event activities the bot answers (e.g. "coach/home"), by name. */
  events?: Record<string, (context: TurnContext) => Promise<void>>;
  /** Greets a user who joins a conversation (the terminal opening, Web Chat, Teams). */
  welcome?: (context: TurnContext) => Promise<void>;
}

/** The dialog a conversation is in, for the `mode` field: the innermost active dialog's id. */
export function activeMode(dialogState: DialogState | undefined): string {
  let stack = dialogState?.dialogStack;
  let mode = 'coach';
  while (stack && stack.length > 0) {
    const top = stack[stack.length - 1];
    if (!top) break;
    if (!top.id.startsWith('main') && !top.id.includes('.')) mode = top.id;
    stack = (top.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack;
  }
  return mode;
}

/** The turn-state key botbuilder-dialogs reads its memory-scope configuration from. */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/** How many users' last mode and stage the bot remembers, for turns that cannot read the store. */
const REMEMBERED_USERS = 10_000;

export class CoachBot extends ActivityHandler {
  private readonly lastKnown = new RecentMap<string, { mode: string; stage: string; lang: Lang }>(
    REMEMBERED_USERS,
  );
  /**
   * The dialogs run the classic way (a DialogSet, continue or begin) rather than through the
   * SDK's runDialog, which also loads and saves its declarative memory scopes on every turn —
   * machinery the coach does not use, at a third of a turn's cost.
   */
  private readonly dialogs: DialogSet;
  private memoryScopes: unknown;

  constructor(private readonly deps: CoachBotDeps) {
    super();
    this.dialogs = new DialogSet(deps.state.dialogState);
    this.dialogs.add(deps.dialog);
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onEvent(async (context, next) => {
      const handler = this.deps.events?.[context.activity.name ?? ''];
      if (handler) await handler(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const { state, logger } = this.deps;
    let outcome: { replies: ReplyBuffer } | { error: unknown };
    try {
      outcome = await state.storage.withLocks(state.lockKeys(context), () => this.runAndCommit(context));
    } catch (error) {
      // The lock could not be had (store down or busy): nothing ran, nothing changed.
      outcome = { error };
    }
    // The turn's state is saved (or nothing of it is) and its locks are released before anything
    // is sent: a slow channel delays these replies, never the user's next message.
    if ('error' in outcome) {
      await this.apologise(context, outcome.error);
      return;
    }
    try {
      await outcome.replies.flush();
    } catch (error) {
      logger.warn('replies not delivered', { error, channel: context.activity.channelId });
    }
  }

  private async runAndCommit(context: TurnContext): Promise<{ replies: ReplyBuffer } | { error: unknown }> {
    const { state } = this.deps;
    const replies = new ReplyBuffer(context);
    const turn = async (): Promise<void> => {
      // Messages go straight to the coach. Nothing listens for the SDK's generic turn or
      // message events here, so its dispatch (run, turn, message, and a trailing "dialog" event)
      // would only add empty rounds; other activities (members added, events) take the SDK's way.
      if (context.activity.type === ActivityTypes.Message) await this.handleMessage(context);
      else await super.run(context);
      await state.save(context);
    };
    try {
      // A linked identity shares another's record: that record is locked too (always last).
      const linked = await state.linkedIdentity(context);
      if (linked)
        await state.storage.withLock(userKeyOf(linked), async () => {
          await state.followLink(context, linked);
          await turn();
        });
      else await turn();
      return { replies };
    } catch (error) {
      replies.discard();
      return { error };
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const { state, nlu, dialog } = this.deps;
    const wasReset = await state.ensureReadable(context);
    const profile = state.profileNow(context) ?? (await state.getProfile(context));
    const raw: unknown = context.activity.text;
    const check = validateInput(raw);
    // Secrets and personal numbers are masked before anything reads the message: they must never
    // reach the dialogs, the state, the replies or the logs. The activity carries the masked text
    // too, since a waiting prompt reads its answer from there.
    const masked = check.ok ? maskPiiDetailed(check.text) : undefined;
    const text = masked?.text ?? '';
    if (typeof raw === 'string') context.activity.text = masked ? text : maskPii(raw);
    // A command ("/status") says nothing about the user's language.
    const languageText = text.startsWith('/') ? '' : text;
    const textLang = detectLang(languageText);
    const info: TurnInfo = {
      text,
      lang: resolveLang(context.activity, profile, languageText),
      nlu: null,
      answeredPrompt: false,
    };
    if (textLang) profile.lastLang = textLang;
    setTurnInfo(context, info);
    if (wasReset) await context.sendActivity(message(ui.stateReset[info.lang]));
    if (masked?.found.some((k) => k === 'password' || k === 'verification_code')) {
      await context.sendActivity(message(ui.secretWarning[info.lang]));
    }

    const dialogState = state.dialogStateNow(context) ?? (await state.getDialogState(context));
    info.before = { mode: activeMode(dialogState), stage: currentStage(profile) };
    if (!check.ok) {
      await context.sendActivity(message(inputProblemMessage(check.problem)[info.lang]));
      this.summarise(context, info, info.before.mode, info.before.stage);
      return;
    }

    info.nlu = nlu.analyze(text, info.lang);
    if (dialogState.dialogStack.length === 0) {
      // Nothing running: the main dialog's router answers directly, and only a flow that needs
      // several turns starts the main dialog (building dialog contexts costs more than the answer).
      const routed = await dialog.route(context);
      if (routed.begin)
        await (await this.dialogContext(context)).beginDialog(dialog.id, { begin: routed.begin });
    } else {
      const dc = await this.dialogContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) await dc.beginDialog(dialog.id);
    }
    // Read state again: a dialog may have replaced it (a confirmed /reset starts a new profile).
    const after = state.profileNow(context) ?? (await state.getProfile(context));
    const dialogsAfter = state.dialogStateNow(context) ?? (await state.getDialogState(context));
    this.summarise(context, info, activeMode(dialogsAfter), currentStage(after));
  }

  private remember(context: TurnContext, known: { mode: string; stage: string; lang: Lang }): void {
    this.lastKnown.set(`${context.activity.channelId}/${context.activity.from?.id}`, known);
  }

  private async dialogContext(context: TurnContext) {
    // botbuilder-dialogs builds its memory-scope configuration anew on every turn; built once, it
    // is reused, as the SDK's own DialogManager does.
    if (this.memoryScopes) context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.memoryScopes);
    const dc = await this.dialogs.createContext(context);
    this.memoryScopes ??= context.turnState.get(DIALOG_STATE_MANAGER_CONFIGURATION);
    return dc;
  }

  private summarise(context: TurnContext, info: TurnInfo, mode: string, stage: string): void {
    this.remember(context, { mode, stage, lang: info.lang });
    const reading = info.answeredPrompt ? null : info.nlu;
    setTurnSummary(context, {
      intent: reading?.intent ?? null,
      confidence: reading ? reading.confidence : null,
      entities: info.nlu?.entities ?? {},
      lang: info.lang,
      mode,
      stage,
      ...(info.debrief !== undefined ? { debrief: info.debrief } : {}),
    });
  }

  private async welcome(context: TurnContext): Promise<void> {
    const added = context.activity.membersAdded ?? [];
    if (!added.some((m) => m.id !== context.activity.recipient?.id)) return;
    if (this.deps.welcome) {
      await this.deps.welcome(context);
      return;
    }
    const profile = await this.deps.state.getProfile(context);
    await context.sendActivity(message(ui.welcome[resolveLang(context.activity, profile, undefined)]));
  }

  /** The one reply of a failed turn, in the user's language, with the reason kept out of sight. */
  private async apologise(context: TurnContext, err: unknown): Promise<void> {
    const unavailable = err instanceof StorageUnavailableError;
    this.deps.logger.error(unavailable ? 'turn skipped: storage unavailable' : 'turn failed', {
      error: err,
      channel: context.activity.channelId,
    });
    const info = findTurnInfo(context);
    // When the store could not even be read, report where this user was last seen to be.
    const known = this.lastKnown.get(`${context.activity.channelId}/${context.activity.from?.id}`);
    const lang: Lang =
      info?.lang ??
      detectLang(typeof context.activity.text === 'string' ? context.activity.text : '') ??
      known?.lang ??
      'zh';
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(message((unavailable ? ui.busy : ui.error)[lang]));
    }
    // Nothing of this turn was stored: report the mode and stage the user is still in.
    setTurnSummary(context, {
      intent: null,
      confidence: null,
      entities: {},
      lang,
      mode: info?.before?.mode ?? known?.mode ?? 'coach',
      stage: info?.before?.stage ?? known?.stage ?? 'planning',
    });
  }
}
