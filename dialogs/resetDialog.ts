/**
 * /reset: asks for confirmation, then forgets the user's stage, plan and practice history.
 * Anything but a clear yes keeps everything.
 */
import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from '../src/lib/dialogs';
import { actions, ui } from '../src/i18n/messages';
import { message } from '../src/runtime/reply';
import { getTurnInfo } from '../src/runtime/turnInfo';
import type { CoachServices } from '../src/runtime/services';

const YES = /^(y|yes|yeah|yep|ok|okay|sure|confirm|是|是的|确定|确认|好|好的|对|嗯|清空|重新开始)[。.!！]*$/i;

export class ResetDialog extends ComponentDialog {
  static readonly id = 'reset';

  constructor(private readonly services: CoachServices) {
    super(ResetDialog.id);
    this.addDialog(new TextPrompt('reset.confirm'));
    this.addDialog(new WaterfallDialog('reset.steps', [this.askStep.bind(this), this.decideStep.bind(this)]));
    this.initialDialogId = 'reset.steps';
  }

  private async askStep(step: WaterfallStepContext) {
    const { lang } = getTurnInfo(step.context);
    return step.prompt('reset.confirm', {
      prompt: message(ui.resetConfirm[lang], [actions.yes[lang], actions.no[lang]]),
    });
  }

  private async decideStep(step: WaterfallStepContext) {
    const info = getTurnInfo(step.context);
    info.answeredPrompt = true;
    const answer = String(step.result ?? '').trim();
    if (YES.test(answer) || answer === actions.yes.zh || answer === actions.yes.en) {
      const { state } = this.services;
      // Keep the user's explicit language choice: they asked to start over, not to be re-asked that.
      const lang = (await state.getProfile(step.context)).lang;
      await state.clear(step.context);
      const fresh = await state.getProfile(step.context);
      if (lang) fresh.lang = lang;
      await step.context.sendActivity(message(ui.resetDone[info.lang]));
      return step.endDialog({ reset: true });
    }
    await step.context.sendActivity(message(ui.resetKept[info.lang]));
    return step.endDialog();
  }
}
