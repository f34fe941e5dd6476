/**
 * After Alipay said no (seed section 七): move the stage to `refused`, find out which problem
 * and what kind of refusal (flat no, partial offer, no answer) unless the user already said,
 * then lay out the three branches for this user — keep communicating, alternatives, third-party
 * mediation — and move the stage as they choose.
 */
import type { TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from '../src/lib/dialogs';
import { refusalTopicId } from '../src/coach/coaching';
import { formatMoney, formatRate, monthlyFee, round2 } from '../src/fees/feeMath';
import { currentStage } from '../src/journey/stage';
import type { Intent, Issue, Lang } from '../src/knowledge/schema';
import { renderTopic } from '../src/knowledge/render';
import type { Texts } from '../src/knowledge/texts';
import { normalizeText } from '../src/nlu/normalize';
import { message, say } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo, type TurnInfo } from '../src/runtime/turnInfo';
import type { ConversationData } from '../src/state/coachState';
import type { UserProfile } from '../src/state/profile';
import { CoachDialog } from './coachDialog';

export type RefusalKind = 'flat' | 'partial' | 'silent';
export type Branch = 'keep_talking' | 'seek_alternatives' | 'seek_mediation';

const SILENT =
  /没(有)?(答复|回复|回音|下文|人理|消息|结果)|不(回|理)|石沉大海|拖着|一直等|no (reply|answer|response)|ignor|never (replied|answered|got back)|ghost|heard nothing|still waiting/i;
const PARTIAL =
  /只(给|能|肯|同意|答应|降)|最多|部分|一点点|还价|降到|offered|only (agreed|gave|offered|willing)|partial|counter|meet me|part of/i;

const ASKS_WHAT_NOW =
  /怎么办|咋办|如何是好|what (should|do|can) i do|what now|what next|how (should|do) i (handle|respond)/i;

/** What kind of refusal the words describe, if they say. */
export function refusalKind(text: string, rates: number[] | undefined): RefusalKind | undefined {
  const t = normalizeText(text).toLowerCase();
  if (SILENT.test(t)) return 'silent';
  if (PARTIAL.test(t) || (rates?.length ?? 0) > 0) return 'partial';
  // "被拒绝了怎么办" asks what to do after a refusal; it does not say what kind it was.
  if (ASKS_WHAT_NOW.test(t)) return undefined;
  if (
    /拒|不行|不同意|不给|不批|驳回|不能|没同意|no\b|refus|reject|declin|denied|turned down|won't|can't/.test(
      t,
    )
  )
    return 'flat';
  return undefined;
}

/** The sentence to say next, for each kind of refusal: ask for the reason and the decision-maker. */
function keepTalkingScript(kind: RefusalKind | undefined, profile: UserProfile, lang: Lang): string {
  const f = profile.facts;
  if (kind === 'partial' && f.targetRate !== undefined && f.alipayOffer !== undefined) {
    const middle = round2((f.targetRate + f.alipayOffer) / 2);
    return lang === 'zh'
      ? `「谢谢您给出${formatRate(f.alipayOffer)}的方案。我的目标是${formatRate(f.targetRate)}，能不能先按${formatRate(middle)}试行一个季度，到期按实际流水再评估？」`
      : `“Thank you for offering ${formatRate(f.alipayOffer)}. My target is ${formatRate(f.targetRate)} — could we trial ${formatRate(middle)} for one quarter and review it against my actual volume?”`;
  }
  const scripts: Record<RefusalKind, { zh: string; en: string }> = {
    flat: {
      zh: '「请问不能调整的具体原因是什么？这个决定是谁做的，我可以向谁申请复核？需要我补充哪些材料？」',
      en: '“What exactly is the reason this can’t be changed? Who made the decision, and who can I ask to review it? What should I add to my request?”',
    },
    partial: {
      zh: '「谢谢您愿意调整一部分。我想了解这个方案是怎么定的、谁有权限再往下谈；我们能不能先试行一段时间，到期按数据再评估？」',
      en: '“Thank you for moving part of the way. How was this offer set, and who can negotiate further? Could we trial it for a period and review it with the data?”',
    },
    silent: {
      zh: '「我之前提交的申请（工单号____）一直没有答复。请告诉我处理进度、负责的部门和预计答复时间，我会记录这次通话。」',
      en: '“My earlier request (case number ____) has had no answer. Please tell me its status, which team handles it and when I will get a reply — I am noting this call.”',
    },
  };
  return scripts[kind ?? 'flat'][lang];
}

/** Alternatives with the user's own numbers: what each 0.1 point and a competing quote are worth. */
function feeComparison(profile: UserProfile, lang: Lang, texts: Texts): string | undefined {
  const { monthlyVolume: v, currentRate: now, competitorRate: other, alipayOffer: offer } = profile.facts;
  if (v === undefined || now === undefined) return undefined;
  const lines: string[] = [];
  const nowFee = monthlyFee(v, now);
  const perTenth = monthlyFee(v, 0.1);
  if (lang === 'zh') {
    lines.push(
      `按你每月${formatMoney(texts, v, lang)}流水算：现在${formatRate(now)}，每月手续费${formatMoney(texts, nowFee, lang)}；每降0.1个百分点，每月少交${formatMoney(texts, perTenth, lang)}。`,
    );
    if (offer !== undefined) {
      lines.push(
        `支付宝给的${formatRate(offer)}：每月${formatMoney(texts, monthlyFee(v, offer), lang)}，比现在少${formatMoney(texts, round2(nowFee - monthlyFee(v, offer)), lang)}/月——拿它和别家的报价比一比。`,
      );
    }
    if (other !== undefined) {
      const diff = round2(nowFee - monthlyFee(v, other));
      lines.push(
        `你拿到的别家报价${formatRate(other)}：每月${formatMoney(texts, monthlyFee(v, other), lang)}，差${formatMoney(texts, diff, lang)}/月。`,
      );
    }
  } else {
    lines.push(
      `At your ${formatMoney(texts, v, lang)} a month: ${formatRate(now)} costs ${formatMoney(texts, nowFee, lang)} a month; every 0.1 percentage point less saves ${formatMoney(texts, perTenth, lang)} a month.`,
    );
    if (offer !== undefined) {
      lines.push(
        `Alipay's offer of ${formatRate(offer)} would be ${formatMoney(texts, monthlyFee(v, offer), lang)} a month — ${formatMoney(texts, round2(nowFee - monthlyFee(v, offer)), lang)} less than now; weigh it against other providers' quotes.`,
      );
    }
    if (other !== undefined) {
      const diff = round2(nowFee - monthlyFee(v, other));
      lines.push(
        `The competing quote of ${formatRate(other)} would be ${formatMoney(texts, monthlyFee(v, other), lang)} a month — ${formatMoney(texts, diff, lang)} less.`,
      );
    }
  }
  return lines.join('\n');
}

/** Runs one of the three branches of 七 for this user: stage move, script or numbers, and the topic. */
export async function runRefusalBranch(
  services: CoachServices,
  context: TurnContext,
  branch: Branch,
): Promise<void> {
  const { coaching, kb, state } = services;
  const info = getTurnInfo(context);
  const lang = info.lang;
  const profile = await state.getProfile(context);
  if (currentStage(profile) !== 'refused' && branch !== 'keep_talking') {
    // Choosing alternatives or mediation outside a refusal still moves the stage when it can.
    await coaching.move(
      context,
      { type: branch === 'seek_alternatives' ? 'SEEK_ALTERNATIVES' : 'SEEK_MEDIATION' },
      { coach: false },
    );
  }
  const data = await state.getConversationData(context);
  const kind = data.refusalKind as RefusalKind | undefined;
  if (branch === 'keep_talking') {
    const moved = await coaching.move(context, { type: 'RETRY' }, { coach: false });
    const head =
      lang === 'zh'
        ? `好，继续沟通${moved.changed ? '（阶段回到你被拒的那一步）' : ''}。下一次开口可以这样说：`
        : `OK, keep talking${moved.changed ? ' (your stage goes back to where you were refused)' : ''}. Next time, try:`;
    const tips =
      lang === 'zh'
        ? '记下对方姓名、工号和答复时间；要一个书面答复或工单号。'
        : 'Note the agent’s name or ID and the reply date; ask for a written answer or a case number.';
    await say(
      context,
      `${head}\n${keepTalkingScript(kind, profile, lang)}\n${tips}`,
      coaching.labels(coaching.stageRefs(profile), lang),
    );
    return;
  }
  if (branch === 'seek_alternatives') {
    await coaching.move(context, { type: 'SEEK_ALTERNATIVES' }, { coach: false });
    const topic = kb.topic(
      `alternatives.${profile.role ?? (profile.issue === 'fees' ? 'merchant' : 'consumer')}`,
    );
    const numbers = profile.issue !== 'security' ? feeComparison(profile, lang, kb.texts) : undefined;
    const body = [numbers, topic ? renderTopic(kb.texts, topic, lang, (id) => kb.source(id)) : undefined]
      .filter(Boolean)
      .join('\n\n');
    if (topic) data.lastTopic = topic.id;
    await say(context, body, coaching.labels([...coaching.stageRefs(profile), 'action:more'], lang));
    return;
  }
  await coaching.move(context, { type: 'SEEK_MEDIATION' }, { coach: false });
  const topic = kb.topic(`mediation.${profile.issue ?? 'service'}`);
  if (topic) data.lastTopic = topic.id;
  const body = topic ? renderTopic(kb.texts, topic, lang, (id) => kb.source(id)) : '';
  await say(
    context,
    body,
    coaching.labels(
      ['template:complaint_12363', 'template:mediation_request', ...coaching.stageRefs(profile)],
      lang,
    ),
  );
}

const ASK_ISSUE = {
  zh: '被拒的是哪件事：降手续费、账户冻结，还是投诉没人处理？',
  en: 'What was refused: a fee cut, a frozen account, or a complaint nobody handles?',
};
const ASK_KIND = {
  zh: '对方是直接拒绝、只答应了一部分，还是一直没答复？',
  en: 'Was it a flat no, a partial offer, or no answer at all?',
};
const BRANCHES: Branch[] = ['keep_talking', 'seek_alternatives', 'seek_mediation'];

export class RefusalDialog extends CoachDialog {
  static readonly id = 'refusal';
  protected readonly ownIntents: readonly Intent[] = [
    'refusal',
    'alternatives',
    'mediation',
    'fees',
    'security',
    'service',
  ];

  constructor(services: CoachServices) {
    super(RefusalDialog.id, services);
    this.addDialog(new TextPrompt('refusal.prompt'));
    this.addDialog(
      new WaterfallDialog('refusal.steps', [this.layoutStep.bind(this), this.choiceStep.bind(this)]),
    );
    this.initialDialogId = 'refusal.steps';
  }

  protected override looksLikeAnswer(info: TurnInfo, _pending: Record<string, unknown>): boolean {
    return (
      this.services.kb.button(info.text) !== undefined ||
      refusalKind(info.text, info.nlu?.entities.rates) !== undefined ||
      info.nlu?.entities.issue !== undefined
    );
  }

  /**
   * The stage moves at once, and the first reply already offers the three branches; what is
   * still unknown (the problem, the kind of refusal) is asked in the same message, because the
   * answer only sharpens the advice.
   */
  private async layoutStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { coaching, kb, state } = this.services;
    const info = getTurnInfo(step.context);
    const profile = await coaching.learn(step.context);
    await coaching.move(step.context, { type: 'REFUSED' }, { coach: false });
    const data = await state.getConversationData(step.context);
    this.learnKind(info, data, profile);

    const lang = info.lang;
    const kind = data.refusalKind as RefusalKind | undefined;
    const head =
      lang === 'zh'
        ? '先别灰心，被拒很常见。你有三条路：继续沟通、寻找替代方案、第三方调解。'
        : "Don't lose heart — refusals are common. You have three paths: keep talking, look at alternatives, or third-party mediation.";
    const parts = [head];
    if (profile.issue) {
      const topic = kb.topic(refusalTopicId(profile));
      if (topic) {
        data.lastTopic = topic.id;
        parts.push(renderTopic(kb.texts, topic, lang, (id) => kb.source(id)));
      }
    }
    if (kind) {
      parts.push(
        `${lang === 'zh' ? '下一次可以这样说：' : 'Next time, try:'}\n${keepTalkingScript(kind, profile, lang)}`,
      );
    }
    const missing = [profile.issue ? '' : ASK_ISSUE[lang], kind ? '' : ASK_KIND[lang]].filter(Boolean);
    if (missing.length > 0) {
      parts.push(
        `${missing.join(' ')}${lang === 'zh' ? '告诉我，话术会更准。' : ' Tell me and I will sharpen the script.'}`,
      );
    }
    const labels = coaching.labels(
      BRANCHES.map((b) => `action:${b}`),
      lang,
    );
    return step.prompt('refusal.prompt', { prompt: message(parts.join('\n\n'), labels) });
  }

  private async choiceStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { kb, state, coaching } = this.services;
    const info = getTurnInfo(step.context);
    const text = String(step.result ?? '');
    const target = kb.button(text);
    const profile = await state.getProfile(step.context);
    const data = await state.getConversationData(step.context);
    const issue = this.readIssue(text, info);
    // An answer to what was just asked ("投诉没人处理", "flat no") is read as that answer, even
    // when its words would also pick a branch (投诉 sounds like mediation).
    const answersQuestion =
      (!profile.issue && issue !== undefined) ||
      (!data.refusalKind && refusalKind(text, info.nlu?.entities.rates) !== undefined);
    const actionId = target?.kind === 'action' ? target.id : undefined;
    const branch = answersQuestion
      ? this.readBranch(text, actionId, undefined)
      : this.readBranch(text, actionId, info);
    if (branch) {
      info.answeredPrompt = true;
      await runRefusalBranch(this.services, step.context, branch);
      return step.endDialog();
    }
    // More about the refusal (which problem, what kind): lay the branches out again, sharper.
    const hadKind = data.refusalKind;
    this.learnKind(info, data, profile);
    if ((issue && issue !== profile.issue) || data.refusalKind !== hadKind) {
      info.answeredPrompt = true;
      if (issue) profile.issue = issue;
      return step.replaceDialog('refusal.steps');
    }
    // Something else entirely: answer it; the stage stays at "refused".
    await coaching.answer(step.context, info.nlu?.intent ?? 'refusal', info.text);
    return step.endDialog();
  }

  private learnKind(info: TurnInfo, data: ConversationData, profile: UserProfile): void {
    const kind = refusalKind(info.text, info.nlu?.entities.rates);
    if (!kind) return;
    data.refusalKind = kind;
    const offered = info.nlu?.entities.rates;
    if (kind === 'partial' && offered && offered.length > 0)
      profile.facts.alipayOffer = offered[offered.length - 1];
  }

  /** The branch a button or the words choose; without `info`, only a button or "继续" counts. */
  private readBranch(
    text: string,
    actionId: string | undefined,
    info: TurnInfo | undefined,
  ): Branch | undefined {
    if (actionId === 'keep_talking' || actionId === 'seek_alternatives' || actionId === 'seek_mediation')
      return actionId;
    const intent = info?.nlu?.intent;
    if (intent === 'alternatives') return 'seek_alternatives';
    if (intent === 'mediation') return 'seek_mediation';
    if (/^(继续|再谈|再沟通|再试)|^(keep|try again|talk again|retry)/i.test(text.trim()))
      return 'keep_talking';
    return undefined;
  }

  private readIssue(text: string, info: TurnInfo): Issue | undefined {
    const target = this.services.kb.button(text);
    if (target?.kind === 'action' && target.id.startsWith('issue_'))
      return target.id.slice('issue_'.length) as Issue;
    return info.nlu?.entities.issue;
  }
}
