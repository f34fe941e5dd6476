/**
 * The main router. Per message, in order: commands (/help, /lang …), buttons and typed button
 * labels, progress reports ("我已经联系过了"), then the NLU intent — answered from the knowledge
 * base, turned into a stage move, or handed to the dialog that owns it (plan, role-play,
 * refusal, fee calculation). Commands also work while another dialog runs.
 */
import {
  ComponentDialog,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
} from '../src/lib/dialogs';
import type { TurnContext } from 'botbuilder';
import { intentLabels, ui, uiFor } from '../src/i18n/messages';
import { canSend } from '../src/journey/journey';
import type { JourneyEvent } from '../src/journey/journeyMachine';
import { detectProgress } from '../src/journey/progress';
import { currentStage } from '../src/journey/stage';
import type { ButtonTarget } from '../src/knowledge/knowledgeBase';
import type { Intent } from '../src/knowledge/schema';
import { canonicalIdentity, identityOf } from '../src/identity/identity';
import { parseCommand, type Command } from '../src/runtime/commands';
import { say } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo } from '../src/runtime/turnInfo';
import type { NluResult } from '../src/nlu/types';
import { CANCEL } from './coachDialog';
import { FeeCalcDialog } from './feeCalcDialog';
import { PlanDialog } from './planDialog';
import { RefusalDialog, runRefusalBranch } from './refusalDialog';
import { ResetDialog } from './resetDialog';
import { RoleplayDialog } from './roleplayDialog';

/** Actions that are simply a journey event. */
const ACTION_EVENTS: Record<string, JourneyEvent['type']> = {
  contacted: 'CONTACTED',
  demands_made: 'DEMANDS_MADE',
  agreed: 'AGREED',
  not_agreed: 'NO_AGREEMENT',
  back_to_table: 'BACK_TO_TABLE',
  switch_platform: 'SWITCH',
  restart: 'RESTART',
};

/** What routing decided: nothing more to do, or a dialog to begin. */
export interface Routed {
  begin?: { id: string; options?: object };
}

const DONE: Routed = {};
const begin = (id: string, options?: object): Routed => ({ begin: { id, options } });

/** Flows named after their intent (their dialog ids are the intent ids). */
const FLOWS: readonly string[] = ['plan', 'roleplay', 'fee_calc', 'refusal'];

/** A message that opens by asking for a role-play ("role-play …", "模拟练习：…"). */
const EXPLICIT_ROLEPLAY =
  /^(?:(?:let'?s|can we|i want to|i'd like to)\s+)?(?:role-?\s?play|rehearse)\b|^(?:我想|我要|来)?(?:模拟练习|模拟一下|角色扮演)/i;

export class MainDialog extends ComponentDialog {
  static readonly id = 'main';

  private readonly feeCalc: FeeCalcDialog;

  constructor(private readonly services: CoachServices) {
    super(MainDialog.id);
    this.feeCalc = new FeeCalcDialog(services);
    this.addDialog(new ResetDialog(services));
    this.addDialog(new PlanDialog(services));
    this.addDialog(new RefusalDialog(services));
    this.addDialog(this.feeCalc);
    this.addDialog(new RoleplayDialog(services));
    // Conversations stored by earlier versions may still have this waterfall on their stack,
    // waiting in its first step for their flow to end; it is kept so that they can finish. It is
    // never begun any more (flows begin directly, onBeginDialog), so only its last step runs.
    this.addDialog(
      new WaterfallDialog('main.route', [
        async (step) => step.endDialog(),
        async (step) => step.endDialog(step.result),
      ]),
    );
  }

  /**
   * Begins the flow the router chose (when called with one) or routes now. The flow is begun
   * straight inside this dialog, without a waterfall step of its own around it: when the flow
   * ends, the component ends with it, and each flow's first turn builds two dialog contexts
   * fewer and stores one stack frame less.
   */
  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: { begin?: Routed['begin'] },
  ): Promise<DialogTurnResult> {
    const routed = options?.begin ? { begin: options.begin } : await this.route(innerDc.context);
    if (!routed.begin) return { status: DialogTurnStatus.complete };
    return innerDc.beginDialog(routed.begin.id, routed.begin.options);
  }

  /** Commands work anywhere, also in the middle of another dialog. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const command = parseCommand(getTurnInfo(innerDc.context).text);
    if (command && command.name !== 'end') {
      if (command.name === 'reset') {
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(ResetDialog.id);
      }
      if (command.name === 'flow') {
        // An explicit command is consent enough to leave what was running.
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(command.intent, { text: command.text });
      }
      await this.runCommand(innerDc.context, command);
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    return super.onContinueDialog(innerDc);
  }

  /**
   * Routes one message: answers it, or names the flow to begin. A turn that begins nothing is
   * answered without building any dialog context (the bot calls this directly when no dialog is
   * running: the SDK's dialog contexts cost more than the whole answer).
   */
  async route(context: TurnContext): Promise<Routed> {
    const info = getTurnInfo(context);
    const command = parseCommand(info.text);
    if (command?.name === 'reset') return begin(ResetDialog.id);
    if (command?.name === 'flow') return begin(command.intent, { text: command.text });
    if (command) {
      await this.runCommand(context, command);
      return DONE;
    }
    const { coaching, kb } = this.services;
    const profile = await coaching.learn(context);

    // "cancel" with nothing running: say so, and offer what can be started.
    if (CANCEL.test(info.text.trim())) {
      await say(
        context,
        info.lang === 'zh'
          ? '现在没有进行中的事情。可以从这里开始：'
          : 'Nothing is running right now. You can start here:',
        coaching.labels(['action:plan', 'action:roleplay', 'action:fee_calc', 'action:refusal'], info.lang),
      );
      return DONE;
    }

    const target = kb.button(info.text);
    if (target) return this.runTarget(context, target);

    const progress = detectProgress(info.text);
    if (progress && canSend(profile, { type: progress })) {
      await coaching.move(context, { type: progress });
      return DONE;
    }

    const nlu = info.nlu;
    if (!nlu) return DONE;
    // "role-play: ignored complaint, easy" names a scenario whose words read like a complaint;
    // a message that opens with the request itself is a request to practise.
    if (EXPLICIT_ROLEPLAY.test(info.text.trim())) return this.runIntent(context, 'roleplay');
    if (this.isAmbiguous(nlu)) {
      await this.askWhichIntent(context, nlu);
      return DONE;
    }
    return this.runIntent(context, nlu.intent);
  }

  /** Close top-two readings: ask, with both as buttons. */
  private isAmbiguous(nlu: NluResult): boolean {
    const second = nlu.alternatives[0];
    if (!second || nlu.intent === 'out_of_scope') return false;
    return nlu.confidence - second.confidence < 0.2 && nlu.confidence < 0.6;
  }

  private async askWhichIntent(context: TurnContext, nlu: NluResult): Promise<void> {
    const { lang } = getTurnInfo(context);
    const options = [nlu.intent, nlu.alternatives[0]?.intent]
      .filter((i): i is Exclude<Intent, 'out_of_scope'> => !!i && i !== 'out_of_scope')
      .map((i) => intentLabels[i][lang]);
    await say(context, lang === 'zh' ? '我想确认一下，你是想问：' : 'Just to check — did you mean:', options);
  }

  private async runIntent(context: TurnContext, intent: Intent): Promise<Routed> {
    const { coaching } = this.services;
    const info = getTurnInfo(context);
    const { state } = this.services;
    const profile = state.profileNow(context) ?? (await state.getProfile(context));
    const stage = currentStage(profile);
    switch (intent) {
      case 'greet':
        await coaching.greet(context);
        break;
      case 'help':
        await coaching.help(context);
        break;
      case 'goodbye':
        await coaching.goodbye(context);
        break;
      case 'fee_calc':
        // Every number given: the answer needs no questions, so no dialog either.
        if (await this.feeCalc.answerAtOnce(context, info.text)) break;
        return begin(intent, { text: info.text });
      case 'plan':
      case 'roleplay':
      case 'refusal':
        return begin(intent, { text: info.text });
      case 'agreement':
        await this.moveOrAnswer(context, 'AGREED', intent);
        break;
      case 'no_agreement':
        await this.moveOrAnswer(context, 'NO_AGREEMENT', intent);
        break;
      case 'alternatives':
        if (stage === 'refused') await runRefusalBranch(this.services, context, 'seek_alternatives');
        else await coaching.answer(context, intent, info.text);
        break;
      case 'mediation':
        if (stage === 'refused' || stage === 'alternatives') {
          await runRefusalBranch(this.services, context, 'seek_mediation');
        } else await coaching.answer(context, intent, info.text);
        break;
      case 'out_of_scope':
        await coaching.outOfScope(context);
        break;
      default:
        await coaching.answer(context, intent, info.text);
    }
    return DONE;
  }

  /** A reported outcome moves the stage; if it already is there, the coaching is shown again. */
  private async moveOrAnswer(
    context: TurnContext,
    event: JourneyEvent['type'],
    intent: Intent,
  ): Promise<void> {
    const { coaching } = this.services;
    const moved = await coaching.move(context, { type: event });
    if (!moved.changed) await coaching.answer(context, intent, getTurnInfo(context).text);
  }

  private async runTarget(context: TurnContext, target: ButtonTarget): Promise<Routed> {
    const { coaching, kb } = this.services;
    switch (target.kind) {
      case 'topic': {
        const topic = kb.topic(target.id);
        if (topic) await coaching.showTopic(context, topic);
        return DONE;
      }
      case 'template': {
        const template = kb.template(target.id);
        if (template) await coaching.showTemplate(context, template);
        return DONE;
      }
      case 'intent':
        return this.runIntent(context, target.id);
      case 'action':
        return this.runAction(context, target.id);
    }
  }

  private async runAction(context: TurnContext, id: string): Promise<Routed> {
    const { coaching } = this.services;
    if (FLOWS.includes(id)) return begin(id, { text: '' });
    if (id === 'export_plan') return begin(PlanDialog.id, { export: true });
    if (id.startsWith('refine_')) return begin(PlanDialog.id, { refine: id.slice('refine_'.length) });
    if (id === 'last_practice') {
      await RoleplayDialog.showLastDebrief(this.services, context);
      return DONE;
    }
    const event = ACTION_EVENTS[id];
    if (event) {
      const moved = await coaching.move(context, { type: event });
      if (!moved.changed) await this.cannotMove(context);
      return DONE;
    }
    switch (id) {
      case 'keep_talking':
      case 'seek_alternatives':
      case 'seek_mediation':
        await runRefusalBranch(this.services, context, id);
        break;
      case 'more':
        await coaching.showMore(context);
        break;
      case 'status':
        await coaching.status(context);
        break;
      case 'issue_fees':
      case 'issue_security':
      case 'issue_service':
        await coaching.chooseIssue(context, id.slice('issue_'.length) as 'fees' | 'security' | 'service');
        break;
      default:
        await coaching.help(context);
    }
    return DONE;
  }

  private async cannotMove(context: TurnContext): Promise<void> {
    const { coaching, state } = this.services;
    const { lang } = getTurnInfo(context);
    const profile = await state.getProfile(context);
    const text =
      lang === 'zh'
        ? '按你现在的阶段，这一步还用不上。看看现在能做的：'
        : "That step doesn't apply at your current stage. Here's what you can do now:";
    await say(context, text, coaching.labels(coaching.stageRefs(profile), lang));
  }

  /** `/link` shows a code for another channel; `/link CODE` joins this channel to the code's. */
  private async link(context: TurnContext, code: string | null): Promise<void> {
    const { links, state } = this.services;
    const { lang } = getTurnInfo(context);
    if (code === null) {
      const issued = await links.issue(canonicalIdentity(context));
      await say(context, ui.linkCode[lang].replace('{code}', issued));
      return;
    }
    const redeemed = await links.redeem(identityOf(context), code);
    if (redeemed.ok) {
      await state.link(context, redeemed.identity);
      await say(context, ui.linkDone[lang]);
      return;
    }
    const refusal = {
      malformed: ui.linkMalformed,
      unknown: ui.linkUnknown,
      own: ui.linkOwn,
      too_many: ui.linkTooMany,
    }[redeemed.reason];
    await say(context, refusal[lang]);
  }

  private async runCommand(context: TurnContext, command: Command): Promise<void> {
    const { coaching, state } = this.services;
    const info = getTurnInfo(context);
    switch (command.name) {
      case 'help':
        await coaching.help(context);
        return;
      case 'status':
        await coaching.status(context);
        return;
      case 'lang': {
        if (!command.lang) {
          await say(context, uiFor(context.activity.channelId).langUsage[info.lang]);
          return;
        }
        const profile = await state.getProfile(context);
        profile.lang = command.lang;
        info.lang = command.lang;
        await say(
          context,
          ui.langSwitched[command.lang],
          coaching.labels(coaching.stageRefs(profile), command.lang),
        );
        return;
      }
      case 'end':
        await say(
          context,
          info.lang === 'zh' ? '现在没有进行中的模拟练习。' : 'There is no role-play running right now.',
          coaching.labels(['action:roleplay'], info.lang),
        );
        return;
      case 'last_practice':
        await RoleplayDialog.showLastDebrief(this.services, context);
        return;
      case 'link':
        await this.link(context, command.code);
        return;
      case 'unknown':
      case 'reset':
      case 'flow':
        await say(context, uiFor(context.activity.channelId).unknownCommand[info.lang]);
        return;
    }
  }
}
