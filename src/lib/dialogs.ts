/**
 * The parts of botbuilder-dialogs the coach uses, imported from their own modules. The package's
 * index also loads every prompt and the Recognizers-Text suites (number, date-time, choice in a
 * dozen languages), which cost about 300 ms of start-up and which the coach never uses.
 * botbuilder-dialogs is archived, so these paths will not move.
 */
import type { TurnContext } from 'botbuilder';
import * as componentRegistration from 'botbuilder-dialogs/lib/dialogsComponentRegistration';
import {
  Dialog,
  type DialogEvent,
  type DialogInstance,
  type DialogReason,
  type DialogTurnResult,
} from 'botbuilder-dialogs/lib/dialog';
import type { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';
import { DialogStateManager } from 'botbuilder-dialogs/lib/memory/dialogStateManager';
import type { PromptOptions } from 'botbuilder-dialogs/lib/prompts/prompt';
import type { TextPrompt as SdkTextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';

export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
export { DialogTurnStatus, type Dialog, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';

/**
 * Every DialogContext the SDK builds — one per dialog level and one per waterfall step, several a
 * turn — constructs a new DialogsComponentRegistration (a service collection with a dozen
 * factories and a dependency graph), only to put it in a registry that keeps one per type. The
 * first one is built as the SDK would and handed out from then on; what the registry holds and
 * what the memory scopes resolve to are unchanged. (The SDK is archived: this will not be fixed
 * upstream, and the module path will not move.)
 */
function shareDialogsComponentRegistration(): void {
  const mod = componentRegistration as unknown as {
    DialogsComponentRegistration: new () => componentRegistration.DialogsComponentRegistration;
  };
  const Original = mod.DialogsComponentRegistration;
  if ((Original as { shared?: boolean }).shared) return;
  let instance: componentRegistration.DialogsComponentRegistration | undefined;
  // A constructor that returns an object makes `new` yield that object.
  function DialogsComponentRegistration(): componentRegistration.DialogsComponentRegistration {
    instance ??= new Original();
    return instance;
  }
  DialogsComponentRegistration.shared = true;
  DialogsComponentRegistration.prototype = Original.prototype;
  mod.DialogsComponentRegistration =
    DialogsComponentRegistration as unknown as typeof mod.DialogsComponentRegistration;
}
shareDialogsComponentRegistration();

/**
 * Every DialogContext the SDK builds also stores the turn's activity in its "turn" memory
 * scope through the general path machinery: the path is transformed and parsed twice, the
 * scope looked up, and change tracking for adaptive dialogs consulted — work that cost more
 * than the rest of building the context. The coach uses no adaptive dialogs (nothing tracks
 * memory paths), so this one write goes straight to where the general path would put it: the
 * turn scope's object in the turn state, key `activity`. Every other path takes the SDK's way.
 */
function directTurnActivity(): void {
  const proto = DialogStateManager.prototype as DialogStateManager & { directTurnActivity?: boolean };
  if (proto.directTurnActivity) return;
  const setValue = proto.setValue;
  proto.setValue = function (this: DialogStateManager, path: string, value: unknown): void {
    if (path !== 'turn.activity') return setValue.call(this, path, value);
    const { turnState } = (
      this as unknown as { dialogContext: { context: { turnState: Map<unknown, unknown> } } }
    ).dialogContext.context;
    let memory = turnState.get('turn') as Record<string, unknown> | undefined;
    if (typeof memory !== 'object' || memory === null) {
      memory = {};
      turnState.set('turn', memory);
    }
    memory.activity = value;
  };
  proto.directTurnActivity = true;
}
directTurnActivity();

/**
 * The SDK's TextPrompt, loaded the first time a prompt runs. Its module loads the choice
 * recognizers (Recognizers-Text number suites) at require time, about 50 ms of start-up that a
 * process answering questions without opening a flow never needs. Every Dialog method is handed
 * to the SDK's prompt, and the id (hence the version the SDK stores with a stack) is the same, so
 * it behaves and persists exactly as the SDK's TextPrompt.
 */
export class TextPrompt extends Dialog<PromptOptions> {
  private sdk: SdkTextPrompt | undefined;

  private async prompt(): Promise<SdkTextPrompt> {
    if (!this.sdk) {
      const { TextPrompt: Sdk } = await import('botbuilder-dialogs/lib/prompts/textPrompt');
      this.sdk ??= new Sdk(this.id);
      this.sdk.telemetryClient = this.telemetryClient;
    }
    return this.sdk;
  }

  override async beginDialog(dc: DialogContext, options?: PromptOptions): Promise<DialogTurnResult> {
    return (await this.prompt()).beginDialog(dc, options ?? {});
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return (await this.prompt()).continueDialog(dc);
  }

  override async resumeDialog(
    dc: DialogContext,
    reason: DialogReason,
    result?: unknown,
  ): Promise<DialogTurnResult> {
    return (await this.prompt()).resumeDialog(dc, reason, result);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    return (await this.prompt()).repromptDialog(context, instance);
  }

  override async endDialog(
    context: TurnContext,
    instance: DialogInstance,
    reason: DialogReason,
  ): Promise<void> {
    return (await this.prompt()).endDialog(context, instance, reason);
  }

  override async onDialogEvent(dc: DialogContext, e: DialogEvent): Promise<boolean> {
    return (await this.prompt()).onDialogEvent(dc, e);
  }
}
