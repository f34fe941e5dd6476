/**
 * The base of the coach's multi-turn dialogs: interruptions work anywhere. Help and status are
 * answered and the pending question asked again; "cancel" ends the dialog; a clearly different
 * question is answered and the dialog resumes; a request for another flow (a role-play in the
 * middle of a plan) asks first whether to drop this one.
 */
import {
  ComponentDialog,
  DialogTurnStatus,
  type DialogContext,
  type DialogTurnResult,
} from '../src/lib/dialogs';
import type { TurnContext } from 'botbuilder';
import { actions } from '../src/i18n/messages';
import type { Intent, Lang } from '../src/knowledge/schema';
import { say } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo, type TurnInfo } from '../src/runtime/turnInfo';

export const CANCEL =
  /^(取消|算了|不做了|不用了|先不了|退出|停|停止|结束这个|cancel|stop|quit|never ?mind|forget it|exit)[。.!！]*$/i;

/** Intents that start a flow of their own. */
export const FLOW_INTENTS: readonly Intent[] = ['plan', 'roleplay', 'fee_calc', 'refusal'];

/** A reading this sure of another topic is an interruption, not an answer. */
const INTERRUPT_CONFIDENCE = 0.8;

const SWITCH_STATE = 'coach.pendingSwitch';

/**
 * The values of the waterfall step that is waiting (what a dialog noted it asked for). The
 * prompt it started sits on top of it, so look down the stack (its top is the last element).
 */
function pendingValues(dc: DialogContext): Record<string, unknown> {
  for (const instance of [...dc.stack].reverse()) {
    const values = (instance.state as { values?: Record<string, unknown> } | undefined)?.values;
    if (values) return values;
  }
  return {};
}

export abstract class CoachDialog extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly services: CoachServices,
  ) {
    super(id);
  }

  /** Intents that are part of this dialog's own conversation (never interruptions). */
  protected abstract readonly ownIntents: readonly Intent[];

  /**
   * True when the message looks like an answer to the pending question (a number, a choice…);
   * `pending` is the waiting waterfall step's values, where dialogs note what they asked.
   */
  protected looksLikeAnswer(_info: TurnInfo, _pending: Record<string, unknown>): boolean {
    return false;
  }

  protected lang(context: TurnContext): Lang {
    return getTurnInfo(context).lang;
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(innerDc.context);
    const { coaching, kb } = this.services;
    const state = innerDc.activeDialog?.state as Record<string, unknown> | undefined;

    // The answer to "drop this and start that?"
    const pending = state?.[SWITCH_STATE] as Intent | undefined;
    if (pending && state) {
      delete state[SWITCH_STATE];
      if (this.isYes(info.text, pending)) {
        await innerDc.cancelAllDialogs();
        return this.endAndRestart(innerDc, pending);
      }
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }

    if (CANCEL.test(info.text)) {
      info.answeredPrompt = true;
      await say(
        innerDc.context,
        info.lang === 'zh' ? '好的，已停止。' : 'OK, stopped.',
        coaching.labels(['action:help'], info.lang),
      );
      return innerDc.cancelAllDialogs();
    }

    const button = kb.button(info.text);
    if (button?.kind === 'action' && (button.id === 'help' || button.id === 'status')) {
      await this.interrupt(innerDc, button.id === 'help' ? 'help' : 'status');
      return { status: DialogTurnStatus.waiting };
    }

    const nlu = info.nlu;
    const isOther =
      nlu &&
      !this.looksLikeAnswer(info, pendingValues(innerDc)) &&
      nlu.confidence >= INTERRUPT_CONFIDENCE &&
      !this.ownIntents.includes(nlu.intent) &&
      nlu.intent !== 'out_of_scope' &&
      nlu.intent !== 'greet';
    if (isOther && nlu) {
      if (FLOW_INTENTS.includes(nlu.intent) && state) {
        state[SWITCH_STATE] = nlu.intent;
        const question =
          info.lang === 'zh'
            ? '要先停下现在这个，去做新的吗？'
            : 'Shall we stop this one and do that instead?';
        await say(innerDc.context, question, [actions.yes[info.lang], actions.no[info.lang]]);
        return { status: DialogTurnStatus.waiting };
      }
      await this.interrupt(innerDc, nlu.intent);
      return { status: DialogTurnStatus.waiting };
    }
    return super.onContinueDialog(innerDc);
  }

  /** Answers the interruption, then asks the pending question again. */
  private async interrupt(innerDc: DialogContext, intent: Intent | 'status'): Promise<void> {
    const { coaching } = this.services;
    const info = getTurnInfo(innerDc.context);
    if (intent === 'status') await coaching.status(innerDc.context);
    else if (intent === 'help') await coaching.help(innerDc.context);
    else if (intent === 'goodbye') await coaching.goodbye(innerDc.context);
    // Mid-dialog there is already a question pending: answer with the best topic, don't ask another.
    else await coaching.answer(innerDc.context, intent, info.text, { ask: false });
    await say(
      innerDc.context,
      info.lang === 'zh'
        ? '我们接着刚才的（想停下就说“取消”）：'
        : 'Back to where we were (say “cancel” to stop):',
    );
    await innerDc.repromptDialog();
  }

  private isYes(text: string, _pending: Intent): boolean {
    return (
      /^(y|yes|ok|sure|是|是的|好|好的|确定|行|可以|嗯)[。.!！]*$/i.test(text.trim()) ||
      text.trim() === actions.yes.zh ||
      text.trim() === actions.yes.en
    );
  }

  /** Ends this dialog and starts the flow the user asked for in its place (flow dialogs are named after their intent). */
  private async endAndRestart(innerDc: DialogContext, intent: Intent): Promise<DialogTurnResult> {
    return innerDc.parent ? innerDc.parent.replaceDialog(intent) : { status: DialogTurnStatus.complete };
  }
}
