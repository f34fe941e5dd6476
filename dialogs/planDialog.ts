/**
 * The plan dialog (seed 六.1): fills the slots of a negotiation plan — role, issue, goal, and for
 * fees the current rate, monthly volume and target; then evidence and cases, the user's
 * alternative (BATNA) and the contact channel — never asking for what the user already said,
 * then delivers the plan and moves the stage to first contact.
 *
 * A user who gives everything essential in one message gets the plan at once; the optional
 * slots are then offered as buttons instead of questions.
 */
import type { TurnContext } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from '../src/lib/dialogs';
import { currentStage } from '../src/journey/stage';
import type { Intent, Issue, Lang, Role } from '../src/knowledge/schema';
import { extractEntities } from '../src/nlu/entities';
import { normalizeText } from '../src/nlu/normalize';
import type { Entities } from '../src/nlu/types';
import { buildPlan, planToMarkdown, planToMessages } from '../src/plan/buildPlan';
import { message, say } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo, type TurnInfo } from '../src/runtime/turnInfo';
import type { UserProfile } from '../src/state/profile';
import { CoachDialog } from './coachDialog';
import { readFeeSlots } from './feeCalcDialog';

export type Slot =
  | 'role'
  | 'issue'
  | 'currentRate'
  | 'monthlyVolume'
  | 'targetRate'
  | 'goal'
  | 'evidence'
  | 'alternative'
  | 'channel';

type Choice = { id: string; zh: string; en: string };

/** What the waterfall remembers between asking and reading. */
interface StepValues {
  slot?: Slot;
  interactive?: boolean;
  refining?: boolean;
}

const SKIP: Choice = { id: 'skip', zh: '跳过', en: 'Skip' };
const NONE: Choice = { id: 'none', zh: '还没有', en: 'None yet' };

interface Question {
  ask: { zh: string; en: string };
  choices?: (profile: UserProfile) => Choice[];
}

const QUESTIONS: Record<Slot, Question> = {
  role: {
    ask: {
      zh: '你是商家（用支付宝收款），还是个人用户？',
      en: 'Are you a merchant (taking payments with Alipay) or a personal user?',
    },
    choices: () => [
      { id: 'merchant', zh: '我是商家', en: "I'm a merchant" },
      { id: 'consumer', zh: '我是个人用户', en: "I'm a personal user" },
    ],
  },
  issue: {
    ask: { zh: '你要和支付宝谈哪件事？', en: 'What do you need to negotiate with Alipay?' },
    choices: () => [
      { id: 'fees', zh: '降手续费', en: 'Lower fees' },
      { id: 'security', zh: '账户安全/冻结', en: 'Account security / freeze' },
      { id: 'service', zh: '客服不处理', en: 'Customer service' },
    ],
  },
  currentRate: {
    ask: {
      zh: '你现在的费率是多少？（比如0.6%、千分之六）',
      en: 'What is your current rate? (e.g. 0.6% or 6‰)',
    },
    choices: () => [
      { id: '0.6', zh: '0.6%', en: '0.6%' },
      { id: '0.38', zh: '0.38%', en: '0.38%' },
    ],
  },
  monthlyVolume: {
    ask: {
      zh: '每月通过支付宝收款大概多少？（比如10万）',
      en: 'Roughly how much do you take through Alipay a month? (e.g. 100k)',
    },
  },
  targetRate: {
    ask: { zh: '你希望降到多少？（比如0.38%）', en: 'What rate do you want? (e.g. 0.38%)' },
  },
  goal: {
    ask: { zh: '你最想要的结果是什么？', en: 'What outcome do you want most?' },
    choices: (p) =>
      p.issue === 'security'
        ? [
            { id: 'unfreeze', zh: '解除冻结', en: 'Unfreeze my account' },
            { id: 'reason', zh: '知道冻结原因', en: 'Know the reason' },
            { id: 'recover', zh: '追回损失', en: 'Recover my loss' },
          ]
        : [
            { id: 'resolve', zh: '问题得到解决', en: 'Get it resolved' },
            { id: 'compensate', zh: '合理补偿', en: 'Fair compensation' },
            { id: 'apology', zh: '道歉并改进', en: 'An apology and a fix' },
          ],
  },
  evidence: {
    ask: {
      zh: '你手上有哪些证据或案例？（账单、截图、工单号、同行降费的例子……直接打字说）',
      en: 'What evidence or cases do you have? (statements, screenshots, case numbers, a peer who got a cut… just type it)',
    },
    choices: () => [NONE, SKIP],
  },
  alternative: {
    ask: {
      zh: '如果谈不成，你的备选方案是什么？（有别家报价就写上费率）',
      en: 'If talks fail, what is your alternative? (include the rate if you have a quote)',
    },
    choices: (p) =>
      p.role === 'consumer'
        ? [
            { id: 'other_payment', zh: '改用其他支付方式', en: 'Use another way to pay' },
            { id: 'complaint', zh: '走投诉渠道', en: 'File a complaint' },
            NONE,
          ]
        : [
            { id: 'wechat_pay', zh: '微信支付', en: 'WeChat Pay' },
            { id: 'bank_pos', zh: '银行POS', en: 'A bank POS terminal' },
            { id: 'aggregator', zh: '聚合支付', en: 'An aggregator' },
            NONE,
          ],
  },
  channel: {
    ask: { zh: '你打算怎么联系支付宝？', en: 'How will you contact Alipay?' },
    choices: () => [
      { id: 'phone', zh: '95188电话', en: 'Phone 95188' },
      { id: 'app', zh: 'App在线客服', en: 'In-app support' },
      { id: 'manager', zh: '客户经理', en: 'Account manager' },
      { id: 'ticket', zh: '邮件/工单', en: 'Email / ticket' },
    ],
  },
};

const ESSENTIAL_FEES: Slot[] = ['role', 'issue', 'currentRate', 'monthlyVolume', 'targetRate'];
const ESSENTIAL_OTHER: Slot[] = ['role', 'issue', 'goal'];
const OPTIONAL: Slot[] = ['evidence', 'alternative', 'channel'];

function known(profile: UserProfile, slot: Slot): boolean {
  const f = profile.facts;
  switch (slot) {
    case 'role':
      return profile.role !== undefined;
    case 'issue':
      return profile.issue !== undefined;
    case 'currentRate':
      return f.currentRate !== undefined;
    case 'monthlyVolume':
      return f.monthlyVolume !== undefined;
    case 'targetRate':
      return f.targetRate !== undefined;
    case 'goal':
      return f.goal !== undefined;
    case 'evidence':
      return f.evidence !== undefined;
    case 'alternative':
      return f.alternative !== undefined;
    case 'channel':
      return f.channel !== undefined;
  }
}

export function essentialSlots(profile: UserProfile): Slot[] {
  return profile.issue === 'fees' ? ESSENTIAL_FEES : ESSENTIAL_OTHER;
}

/** Fills what a message says into the profile: role, issue, rates, volume. */
export function prefill(profile: UserProfile, text: string, entities: Entities): void {
  if (entities.role) profile.role = entities.role;
  if (entities.issue) profile.issue = entities.issue;
  const saysFees = (entities.rates?.length ?? 0) > 0 || (entities.amounts?.length ?? 0) > 0;
  if (!profile.issue && saysFees) profile.issue = 'fees';
  if (profile.issue === 'fees' && !profile.role && saysFees) profile.role = 'merchant';
  if (saysFees) {
    const slots = readFeeSlots(text, entities, {
      volume: profile.facts.monthlyVolume,
      current: profile.facts.currentRate,
      target: profile.facts.targetRate,
    });
    if (slots.volume !== undefined) profile.facts.monthlyVolume = slots.volume;
    if (slots.current !== undefined) profile.facts.currentRate = slots.current;
    if (slots.target !== undefined) profile.facts.targetRate = slots.target;
  }
  const platform = entities.platforms?.find((p) => p !== 'alipay');
  if (platform && /报价|给我|offer|quote|愿意|可以给/i.test(normalizeText(text))) {
    profile.facts.alternative ??= platform;
    const rate = entities.rates?.[entities.rates.length - 1];
    if (rate !== undefined && (entities.rates?.length ?? 0) >= 3) profile.facts.competitorRate = rate;
  }
}

export class PlanDialog extends CoachDialog {
  static readonly id = 'plan';
  protected readonly ownIntents: readonly Intent[] = [
    'plan',
    'fees',
    'security',
    'service',
    'fee_calc',
    'alternatives',
  ];

  constructor(services: CoachServices) {
    super(PlanDialog.id, services);
    this.addDialog(new TextPrompt('plan.prompt'));
    this.addDialog(new WaterfallDialog('plan.steps', [this.askStep.bind(this), this.readStep.bind(this)]));
    this.initialDialogId = 'plan.steps';
  }

  /** Numbers answer the numeric slots; a choice, a role or an issue answers those; free text the rest, unless it is a question. */
  protected override looksLikeAnswer(info: TurnInfo, pending: Record<string, unknown>): boolean {
    const slot = pending.slot as Slot | undefined;
    const e = info.nlu?.entities ?? {};
    const numbers = (e.rates?.length ?? 0) + (e.amounts?.length ?? 0) > 0;
    if (slot === 'currentRate' || slot === 'targetRate' || slot === 'monthlyVolume') return numbers;
    const question = /[?？]|^(怎么|如何|为什么|什么|哪|how|what|why|where|when|who|can|should)/i.test(
      info.text.trim(),
    );
    if (slot === 'evidence' || slot === 'alternative') return !question;
    const choices = slot ? (QUESTIONS[slot].choices?.({ v: 1, facts: {} }) ?? []) : [];
    const chosen = choices.some(
      (c) => c.zh === info.text.trim() || c.en.toLowerCase() === info.text.trim().toLowerCase(),
    );
    return (
      chosen ||
      numbers ||
      e.role !== undefined ||
      e.issue !== undefined ||
      (!question && info.text.length <= 12)
    );
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { state } = this.services;
    const info = getTurnInfo(step.context);
    const profile = await state.getProfile(step.context);
    const options = (step.options ?? {}) as {
      text?: string;
      export?: boolean;
      interactive?: boolean;
      refine?: Slot;
      refined?: boolean;
    };
    if (options.export) {
      await this.exportPlan(step.context, profile, info.lang);
      return step.endDialog();
    }
    let interactive = options.interactive ?? false;
    if (options.text !== undefined) {
      prefill(profile, options.text, info.nlu?.entities ?? extractEntities(options.text));
      // Essentials missing at the start: this is a conversation, so the optional slots are asked too.
      interactive = essentialSlots(profile).some((s) => !known(profile, s));
    }
    const next =
      options.refine ??
      essentialSlots(profile).find((s) => !known(profile, s)) ??
      (interactive ? OPTIONAL.find((s) => !known(profile, s)) : undefined);
    if (!next) {
      if (options.refined) await this.deliverUpdate(step.context, profile, info.lang);
      else await this.deliver(step.context, profile, info.lang);
      return step.endDialog();
    }
    const values = step.values as StepValues;
    values.slot = next;
    values.interactive = interactive;
    values.refining = options.refine !== undefined || options.refined === true;
    return step.prompt('plan.prompt', { prompt: this.question(next, profile, info.lang) });
  }

  private async readStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { state } = this.services;
    const info = getTurnInfo(step.context);
    info.answeredPrompt = true;
    const profile = await state.getProfile(step.context);
    const values = step.values as StepValues;
    const slot = values.slot as Slot;
    const text = String(step.result ?? '').trim();
    this.fill(profile, slot, text, info);
    // Anything else the answer says (a rate given while we asked for volume) is kept as well.
    prefill(profile, text, info.nlu?.entities ?? extractEntities(text));
    return step.replaceDialog('plan.steps', {
      interactive: values.interactive ?? false,
      refined: values.refining,
    });
  }

  private fill(profile: UserProfile, slot: Slot, text: string, info: TurnInfo): void {
    const lang = info.lang;
    const choice = QUESTIONS[slot]
      .choices?.(profile)
      .find((c) => c.zh === text || c.en.toLowerCase() === text.toLowerCase());
    const entities = info.nlu?.entities ?? extractEntities(text);
    const f = profile.facts;
    const skipped =
      choice?.id === 'skip' ||
      choice?.id === 'none' ||
      /^(跳过|没有|还没有|无|skip|none|no|n\/a)$/i.test(text);
    switch (slot) {
      case 'role':
        profile.role =
          (choice?.id as Role | undefined) ??
          entities.role ??
          (/商|店|老板|merchant|shop|store|business|sell/i.test(text) ? 'merchant' : 'consumer');
        return;
      case 'issue':
        profile.issue =
          (choice?.id as Issue | undefined) ??
          entities.issue ??
          info.nlu?.entities.issue ??
          this.issueFromIntent(info);
        return;
      case 'currentRate':
        if (choice) f.currentRate = Number(choice.id);
        else if (entities.rates?.[0] !== undefined) f.currentRate = entities.rates[0];
        return;
      case 'targetRate':
        if (entities.rates?.length) f.targetRate = entities.rates[entities.rates.length - 1];
        return;
      case 'monthlyVolume':
        if (entities.amounts?.length) {
          const v = Math.max(...entities.amounts);
          f.monthlyVolume = entities.period === 'year' ? Math.round(v / 12) : v;
        }
        return;
      case 'goal':
        f.goal = choice?.id ?? text.slice(0, 120);
        return;
      case 'evidence':
        f.evidence = skipped ? (lang === 'zh' ? '（还没有）' : '(none yet)') : text.slice(0, 200);
        return;
      case 'alternative':
        f.alternative = skipped
          ? lang === 'zh'
            ? '（还没有）'
            : '(none yet)'
          : (choice?.[lang] ?? text.slice(0, 120));
        if (entities.rates?.length) f.competitorRate = entities.rates[entities.rates.length - 1];
        return;
      case 'channel':
        f.channel = choice?.[lang] ?? text.slice(0, 60);
        return;
    }
  }

  private issueFromIntent(info: TurnInfo): Issue {
    const intent = info.nlu?.intent;
    return intent === 'security' || intent === 'service' ? intent : 'fees';
  }

  private question(slot: Slot, profile: UserProfile, lang: Lang) {
    const q = QUESTIONS[slot];
    const labels = (q.choices?.(profile) ?? []).map((c) => c[lang]);
    return message(q.ask[lang], labels);
  }

  private async deliver(context: TurnContext, profile: UserProfile, lang: Lang): Promise<void> {
    const { coaching, kb } = this.services;
    const doc = buildPlan(profile, kb, lang, coaching.templateValues(profile, lang));
    profile.planDone = new Date().toISOString().slice(0, 10);
    const moved =
      currentStage(profile) === 'planning'
        ? await coaching.move(context, { type: 'PLAN_DONE' }, { coach: false })
        : undefined;
    const messages = planToMessages(doc);
    for (const m of messages.slice(0, -1)) await say(context, m);
    const refine = OPTIONAL.filter((s) => !known(profile, s)).map((s) => `action:refine_${s}`);
    const closing = moved?.changed
      ? lang === 'zh'
        ? '\n\n✅ 计划好了，你进入「初步接触」阶段。'
        : '\n\n✅ Plan ready — you are now at the “First contact” stage.'
      : '';
    await say(
      context,
      `${messages[messages.length - 1] ?? ''}${closing}`,
      coaching.labels([...refine, 'action:export_plan', 'action:roleplay', 'action:contacted'], lang),
    );
  }

  /** After a refinement: the strategies checklist again, with what the user just added. */
  private async deliverUpdate(context: TurnContext, profile: UserProfile, lang: Lang): Promise<void> {
    const { coaching, kb } = this.services;
    const doc = buildPlan(profile, kb, lang, coaching.templateValues(profile, lang));
    const checklist = doc.sections[2];
    const head = lang === 'zh' ? '✅ 已更新你的计划：' : '✅ Your plan is updated:';
    const refine = OPTIONAL.filter((s) => !known(profile, s)).map((s) => `action:refine_${s}`);
    await say(
      context,
      [head, checklist ? [checklist.title, ...checklist.lines].join('\n') : ''].join('\n\n'),
      coaching.labels([...refine, 'action:export_plan', ...coaching.stageRefs(profile)], lang),
    );
  }

  private async exportPlan(context: TurnContext, profile: UserProfile, lang: Lang): Promise<void> {
    const { coaching, kb } = this.services;
    if (!profile.planDone) {
      await say(
        context,
        lang === 'zh' ? '你还没有做计划。先做一个？' : "You don't have a plan yet. Make one first?",
        coaching.labels(['action:plan'], lang),
      );
      return;
    }
    const doc = buildPlan(profile, kb, lang, coaching.templateValues(profile, lang));
    const markdown = planToMarkdown(doc, profile.planDone);
    const intro =
      lang === 'zh'
        ? '这是你的计划（Markdown，复制保存即可；终端里也可以用 coach plan --export 计划.md 直接存成文件）：'
        : 'Here is your plan as Markdown (copy it, or run coach plan --export plan.md in a terminal to save a file):';
    await say(
      context,
      `${intro}\n\n${markdown}`,
      coaching.labels(['action:roleplay', 'action:contacted'], lang),
    );
  }
}
