/**
 * What every dialog shares: answering a question from the knowledge base (asking which problem
 * the user has when that changes the answer), moving the user's stage and saying so, and the
 * buttons that make sense next. Channel-free: it only sends activities through the context.
 */
import type { TurnContext } from 'botbuilder';
import { actions, intentLabels, ui, uiFor, type ActionId } from '../i18n/messages';
import { sendJourneyEvent, type Transition } from '../journey/journey';
import type { JourneyEvent } from '../journey/journeyMachine';
import { NEXT_ACTIONS } from '../journey/nextActions';
import { currentStage, type Stage } from '../journey/stage';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { fillTemplate, renderTopic } from '../knowledge/render';
import type { Intent, Issue, Lang, Template, TemplateSlot, Topic } from '../knowledge/schema';
import { formatMoney, formatRate, saving } from '../fees/feeMath';
import { say } from '../runtime/reply';
import { getTurnInfo } from '../runtime/turnInfo';
import type { CoachState } from '../state/coachState';
import type { UserProfile } from '../state/profile';
import { drawStageMap, stageMapCard, stageName } from './stageText';

/** The most buttons one reply shows: more would not fit a phone screen. */
const MAX_BUTTONS = 6;

/** The topic that coaches each stage, when the user arrives in it. */
/** The refusal advice for this user: a consumer's fee refusal is not a merchant's rate refusal. */
export function refusalTopicId(profile: Pick<UserProfile, 'role' | 'issue'>): string {
  const issue = profile.issue ?? 'fees';
  return issue === 'fees' && profile.role === 'consumer' ? 'refusal.fees.consumer' : `refusal.${issue}`;
}

const STAGE_TOPIC: Record<Stage, (profile: UserProfile) => string> = {
  planning: () => 'steps.plan',
  first_contact: () => 'steps.first_contact',
  making_demands: () => 'steps.demands',
  compromise: () => 'steps.compromise',
  refused: (p) => refusalTopicId(p),
  alternatives: (p) => `alternatives.${p.role ?? 'merchant'}`,
  mediation: (p) => `mediation.${p.issue ?? 'service'}`,
  agreement: () => 'outcomes.agreement',
  no_agreement: () => 'outcomes.no_agreement',
};

const STAGE_MOVED = {
  zh: (stage: string) => `好，记下了：你现在在「${stage}」阶段。`,
  en: (stage: string) => `Noted — you are now at the “${stage}” stage.`,
};

/** How sure the NLU must be of a problem intent before the coach files the user's issue under it. */
const LEARN_FROM_INTENT = 0.7;

export class Coaching {
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly state: CoachState,
  ) {
    for (const [id, labels] of Object.entries(actions)) kb.registerAction(id, labels);
    for (const [id, labels] of Object.entries(intentLabels)) kb.registerIntent(id as Intent, labels);
  }

  actionLabel(id: string, lang: Lang): string | undefined {
    return (actions as Record<string, { zh: string; en: string }>)[id]?.[lang];
  }

  /** Button labels for follow-up references, without duplicates or unknowns. */
  labels(refs: readonly string[], lang: Lang): string[] {
    const out: string[] = [];
    for (const ref of refs) {
      const label = this.kb.followupLabel(ref, lang, (id) => this.actionLabel(id, lang));
      if (label && !out.includes(label)) out.push(label);
    }
    return out.slice(0, MAX_BUTTONS);
  }

  stageRefs(profile: UserProfile): readonly string[] {
    return NEXT_ACTIONS[currentStage(profile)];
  }

  /** Learns the user's role and issue from what they said (entities, and the problem intents). */
  async learn(context: TurnContext): Promise<UserProfile> {
    const profile = this.state.profileNow(context) ?? (await this.state.getProfile(context));
    const nlu = getTurnInfo(context).nlu;
    if (nlu?.entities.role) profile.role = nlu.entities.role;
    const issueFromIntent: Partial<Record<Intent, Issue>> = {
      fees: 'fees',
      security: 'security',
      service: 'service',
    };
    // The words name the issue, or a confident reading does: a guess ("I have called them" read
    // as `service` at 0.13) must not change the advice the user gets later.
    const issue =
      nlu?.entities.issue ??
      (nlu && nlu.confidence >= LEARN_FROM_INTENT ? issueFromIntent[nlu.intent] : undefined);
    if (issue) profile.issue = issue;
    return profile;
  }

  /** Answers an intent from the knowledge base; asks which problem first when that matters. */
  async answer(
    context: TurnContext,
    intent: Intent,
    text: string,
    options: { ask?: boolean } = {},
  ): Promise<void> {
    // A greeting or a goodbye has no topic in the knowledge base: it is answered as what it is,
    // also when it arrives as the reply to a dialog's question ("你好" while a refusal is open).
    if (intent === 'greet') return this.greet(context);
    if (intent === 'goodbye') return this.goodbye(context);
    const info = getTurnInfo(context);
    const profile = this.state.profileNow(context) ?? (await this.state.getProfile(context));
    const found = this.kb.retrieve(
      intent,
      text,
      { role: profile.role, issue: profile.issue },
      options.ask !== false,
    );
    if (found.kind === 'ask_issue') {
      const data = await this.state.getConversationData(context);
      data.pendingIntent = intent;
      const ask =
        info.lang === 'zh'
          ? '你遇到的是哪一类问题？不同问题，下一步不一样：'
          : 'Which problem is it? The next step differs for each:';
      await say(
        context,
        ask,
        found.issues.map((i) => actions[`issue_${i}` as ActionId][info.lang]),
      );
      return;
    }
    if (found.kind === 'none') {
      await this.outOfScope(context);
      return;
    }
    await this.showTopic(context, found.topic);
  }

  /** After the user named their problem: remember it and answer what they asked before. */
  async chooseIssue(context: TurnContext, issue: Issue): Promise<void> {
    const profile = await this.state.getProfile(context);
    profile.issue = issue;
    const data = await this.state.getConversationData(context);
    const pending = data.pendingIntent as Intent | undefined;
    delete data.pendingIntent;
    const intent = pending ?? (issue === 'fees' ? 'fees' : issue);
    await this.answer(context, intent, '');
  }

  async showTopic(context: TurnContext, topic: Topic, long = false): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = this.state.profileNow(context) ?? (await this.state.getProfile(context));
    const data = this.state.conversationDataNow(context) ?? (await this.state.getConversationData(context));
    data.lastTopic = topic.id;
    const refs = long ? topic.followups : ['action:more', ...topic.followups.slice(0, 2)];
    const buttons = this.labels([...refs, ...this.stageRefs(profile)], lang);
    await say(
      context,
      renderTopic(this.kb.texts, topic, lang, (id) => this.kb.source(id), long),
      buttons,
    );
  }

  /** "详细" / "more": the long version of the topic shown last. */
  async showMore(context: TurnContext): Promise<void> {
    const data = await this.state.getConversationData(context);
    const topic = data.lastTopic ? this.kb.topic(data.lastTopic) : undefined;
    if (topic) {
      await this.showTopic(context, topic, true);
      return;
    }
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    await say(
      context,
      lang === 'zh' ? '想详细了解哪方面？' : 'What would you like more detail on?',
      this.labels(this.stageRefs(profile), lang),
    );
  }

  async showTemplate(context: TurnContext, template: Template): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    const intro =
      lang === 'zh'
        ? `📝 ${template.title.zh}（【】里的内容请自己填好再发）：`
        : `📝 ${template.title.en} (fill in the [brackets] before sending):`;
    await say(
      context,
      `${intro}\n\n${fillTemplate(this.kb.texts, template, lang, this.templateValues(profile, lang))}`,
      this.labels(this.stageRefs(profile), lang),
    );
  }

  /** What the coach knows about the user, formatted for template blanks. */
  templateValues(profile: UserProfile, lang: Lang): Partial<Record<TemplateSlot, string>> {
    const f = profile.facts;
    const values: Partial<Record<TemplateSlot, string>> = {
      date: new Date().toISOString().slice(0, 10),
    };
    if (f.business) values.business = f.business;
    if (f.currentRate !== undefined) values.currentRate = formatRate(f.currentRate);
    if (f.targetRate !== undefined) values.targetRate = formatRate(f.targetRate);
    if (f.monthlyVolume !== undefined)
      values.monthlyVolume = formatMoney(this.kb.texts, f.monthlyVolume, lang);
    if (f.evidence) values.evidence = f.evidence;
    if (f.alternative) values.alternative = f.alternative;
    if (f.goal) values.demand = f.goal;
    if (f.competitorRate !== undefined) values.competitorOffer = formatRate(f.competitorRate);
    if (f.monthlyVolume !== undefined && f.currentRate !== undefined) {
      values.monthlyFee = formatMoney(this.kb.texts, (f.monthlyVolume * f.currentRate) / 100, lang);
      if (f.targetRate !== undefined) {
        const s = saving(f.monthlyVolume, f.currentRate, f.targetRate);
        values.monthlySaving = formatMoney(this.kb.texts, s.monthly, lang);
        values.yearlySaving = formatMoney(this.kb.texts, s.yearly, lang);
      }
    }
    return values;
  }

  /** Sends a journey event; when the stage changes, says so and coaches the new stage. */
  async move(
    context: TurnContext,
    event: JourneyEvent,
    options: { coach?: boolean } = {},
  ): Promise<Transition> {
    const profile = await this.state.getProfile(context);
    const transition = sendJourneyEvent(profile, event);
    if (transition.changed && options.coach !== false) await this.coachStage(context, transition.to, true);
    return transition;
  }

  /** The coaching for a stage: its topic, introduced by the stage change when there was one. */
  async coachStage(context: TurnContext, stage: Stage, announce: boolean): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    const topic = this.kb.topic(STAGE_TOPIC[stage](profile));
    const head = announce ? STAGE_MOVED[lang](stageName(this.kb.texts, stage, lang)) : '';
    if (!topic) {
      await say(context, head, this.labels(this.stageRefs(profile), lang));
      return;
    }
    const data = await this.state.getConversationData(context);
    data.lastTopic = topic.id;
    const body = renderTopic(this.kb.texts, topic, lang, (id) => this.kb.source(id));
    const buttons = this.labels([...this.stageRefs(profile), 'action:more'], lang);
    await say(context, [head, body].filter(Boolean).join('\n\n'), buttons);
  }

  async status(context: TurnContext): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    const stage = currentStage(profile);
    const card = stageMapCard(this.kb.texts, stage, lang);
    const head =
      lang === 'zh'
        ? `你现在在「${stageName(this.kb.texts, stage, 'zh')}」阶段：`
        : `You are at the “${stageName(this.kb.texts, stage, 'en')}” stage:`;
    await say(
      context,
      [head, ...drawStageMap(this.kb.texts, card, lang)].join('\n'),
      this.labels(this.stageRefs(profile), lang),
      card,
    );
  }

  async help(context: TurnContext): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    // The commands are named the way this channel's users type them.
    await say(
      context,
      uiFor(context.activity.channelId).help[lang],
      this.labels(
        ['action:plan', 'action:roleplay', 'action:fee_calc', 'action:refusal', ...this.stageRefs(profile)],
        lang,
      ),
    );
  }

  async goodbye(context: TurnContext): Promise<void> {
    await say(context, ui.goodbye[getTurnInfo(context).lang]);
  }

  /** A greeting: the welcome for a new user, "welcome back" with the stage for a returning one. */
  async greet(context: TurnContext): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    const stage = currentStage(profile);
    const returning = profile.welcomed && (stage !== 'planning' || profile.issue !== undefined);
    profile.welcomed = true;
    const text = returning
      ? lang === 'zh'
        ? `欢迎回来！你现在在「${stageName(this.kb.texts, stage, 'zh')}」阶段，接着来？`
        : `Welcome back! You are at the “${stageName(this.kb.texts, stage, 'en')}” stage. Shall we carry on?`
      : ui.welcome[lang];
    const refs = returning
      ? this.stageRefs(profile)
      : ['action:plan', 'action:roleplay', 'action:fee_calc', 'action:refusal'];
    await say(context, text, this.labels(refs, lang));
  }

  async outOfScope(context: TurnContext): Promise<void> {
    const { lang } = getTurnInfo(context);
    const profile = await this.state.getProfile(context);
    const text =
      lang === 'zh'
        ? '这个我帮不上忙——我只做和支付宝协商相关的辅导：手续费、账户安全、客服投诉。可以试试这些：'
        : "I can't help with that — I only coach negotiations with Alipay: fees, account security and customer service. You could try:";
    await say(context, text, this.labels(['action:help', ...this.stageRefs(profile)], lang));
  }
}
