/**
 * Role-play rehearsal: the coach plays Alipay's side. Scenario and difficulty named in the
 * message that started it are used, otherwise asked with buttons. Each user turn goes to the
 * representative's machine (src/roleplay); the talk ends in agreement or impasse, or early with
 * 结束 / end / /end, and then the debrief. The role-play lives in conversation state, so it
 * survives a restart; the last debrief is kept per user.
 */
import type { TurnContext } from 'botbuilder';
import {
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from '../src/lib/dialogs';
import { formatRate } from '../src/fees/feeMath';
import type { Intent, Lang, Scenario } from '../src/knowledge/schema';
import type { Texts } from '../src/knowledge/texts';
import type { Difficulty } from '../src/nlu/types';
import { normalizeText } from '../src/nlu/normalize';
import { SKILLS, type Debrief } from '../src/roleplay/debrief';
import { skillName } from '../src/roleplay/skillDisplay';
import type { RoleplayState } from '../src/roleplay/engine';
import { message, say } from '../src/runtime/reply';
import type { CoachServices } from '../src/runtime/services';
import { getTurnInfo, type TurnInfo } from '../src/runtime/turnInfo';
import { CoachDialog } from './coachDialog';

type Pair = { zh: string; en: string };

const SCENARIO_LABELS: Record<Scenario, Pair> = {
  fees: { zh: '费率谈判', en: 'Fee negotiation' },
  security: { zh: '账户冻结', en: 'Frozen account' },
  service: { zh: '投诉没人管', en: 'Ignored complaint' },
};
const DIFFICULTY_LABELS: Record<Difficulty, Pair> = {
  easy: { zh: '简单', en: 'Easy' },
  normal: { zh: '普通', en: 'Normal' },
  hard: { zh: '困难', en: 'Hard' },
};
const OUTCOME_LABELS: Record<Debrief['outcome'], Pair> = {
  agreement: { zh: '达成协议 ✅', en: 'Agreement ✅' },
  impasse: { zh: '谈判破裂 ❌', en: 'Impasse ❌' },
  abandoned: { zh: '提前结束', en: 'Ended early' },
};

/** What the set-up waterfall remembers between its questions. */
interface SetupValues {
  scenario?: Scenario;
  difficulty?: Difficulty;
}

const END =
  /^(\/end|结束|结束练习|结束模拟|不练了|end|end it|stop the role-?play|quit the role-?play)[。.!！]*$/i;

/** The scenario a message names: an issue entity, or the scenario's words. */
export function scenarioFrom(text: string, issue: Scenario | undefined): Scenario | undefined {
  const t = normalizeText(text).toLowerCase();
  if (/费率|手续费|降费|fee|rate|commission/.test(t)) return 'fees';
  if (/冻结|风控|限制|安全|frozen|freeze|security|restricted/.test(t)) return 'security';
  if (/客服|投诉|没人管|service|complaint/.test(t)) return 'service';
  return issue;
}

/** The difficulty a message names, as a word of its own ("困难", "hard", "normal难度"). */
export function difficultyFrom(text: string): Difficulty | undefined {
  const t = normalizeText(text).toLowerCase();
  if (/(^|[^a-z])(hard|difficult|tough)([^a-z]|$)|困难|高难|难一点|地狱/.test(t)) return 'hard';
  if (/(^|[^a-z])(easy|beginner)([^a-z]|$)|简单|容易|入门|初级/.test(t)) return 'easy';
  if (/(^|[^a-z])(normal|medium|standard)([^a-z]|$)|普通|中等|正常难度|一般难度/.test(t)) return 'normal';
  return undefined;
}

function pickLabel<T extends string>(labels: Record<T, Pair>, text: string): T | undefined {
  const t = text.trim().toLowerCase();
  return (Object.keys(labels) as T[]).find(
    (k) => labels[k].zh === text.trim() || labels[k].en.toLowerCase() === t || k === t,
  );
}

export class RoleplayDialog extends CoachDialog {
  static readonly id = 'roleplay';
  // Inside a role-play everything the user says is a move in the negotiation, not a question
  // for the coach: only commands and "end" interrupt (see onContinueDialog).
  protected readonly ownIntents: readonly Intent[] = [];

  constructor(services: CoachServices) {
    super(RoleplayDialog.id, services);
    this.addDialog(new TextPrompt('roleplay.prompt'));
    this.addDialog(
      new WaterfallDialog('roleplay.setup', [
        this.scenarioStep.bind(this),
        this.difficultyStep.bind(this),
        this.startStep.bind(this),
      ]),
    );
    this.addDialog(
      new WaterfallDialog('roleplay.talk', [this.listenStep.bind(this), this.answerStep.bind(this)]),
    );
    this.initialDialogId = 'roleplay.setup';
  }

  /** During set-up, a scene or difficulty name (or a button) is the answer, not a new topic. */
  protected override looksLikeAnswer(info: TurnInfo, _pending: Record<string, unknown>): boolean {
    return (
      difficultyFrom(info.text) !== undefined ||
      pickLabel(SCENARIO_LABELS, info.text) !== undefined ||
      pickLabel(DIFFICULTY_LABELS, info.text) !== undefined ||
      scenarioFrom(info.text, undefined) !== undefined ||
      info.nlu?.entities.difficulty !== undefined
    );
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(innerDc.context);
    if (END.test(info.text.trim()) && (await this.state(innerDc.context))) {
      info.answeredPrompt = true;
      await this.finish(innerDc.context, true);
      return innerDc.cancelAllDialogs();
    }
    if (innerDc.activeDialog?.id === 'roleplay.talk' || innerDc.stack.some((d) => d.id === 'roleplay.talk')) {
      // No NLU interruptions mid-scene: "我要投诉你们" is a move, not a question about complaints.
      return innerDc.continueDialog();
    }
    return super.onContinueDialog(innerDc);
  }

  private async state(context: TurnContext): Promise<RoleplayState | undefined> {
    const data = await this.services.state.getConversationData(context);
    return this.services.roleplay.canResume(data.roleplay) ? data.roleplay : undefined;
  }

  private async scenarioStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(step.context);
    const options = (step.options ?? {}) as { text?: string };
    const profile = await this.services.state.getProfile(step.context);
    const named = options.text ? scenarioFrom(options.text, info.nlu?.entities.issue) : undefined;
    (step.values as SetupValues).difficulty =
      info.nlu?.entities.difficulty ?? (options.text ? difficultyFrom(options.text) : undefined);
    if (named) return step.next(named);
    const labels = (Object.keys(SCENARIO_LABELS) as Scenario[]).map((s) => SCENARIO_LABELS[s][info.lang]);
    const hint = profile.issue ? SCENARIO_LABELS[profile.issue][info.lang] : undefined;
    const ask =
      info.lang === 'zh'
        ? `练哪个场景？${hint ? `（你之前说的是「${hint}」）` : ''}`
        : `Which scene shall we rehearse?${hint ? ` (you mentioned “${hint}”)` : ''}`;
    return step.prompt('roleplay.prompt', { prompt: message(ask, labels) });
  }

  private async difficultyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const info = getTurnInfo(step.context);
    let scenario = step.result as Scenario | string | undefined;
    if (typeof scenario === 'string' && !(scenario in SCENARIO_LABELS)) {
      info.answeredPrompt = true;
      scenario =
        pickLabel(SCENARIO_LABELS, scenario) ?? scenarioFrom(scenario, info.nlu?.entities.issue) ?? 'fees';
    }
    const values = step.values as SetupValues;
    values.scenario = scenario as Scenario;
    const difficulty = values.difficulty ?? info.nlu?.entities.difficulty;
    if (difficulty) return step.next(difficulty);
    const labels = (Object.keys(DIFFICULTY_LABELS) as Difficulty[]).map(
      (d) => DIFFICULTY_LABELS[d][info.lang],
    );
    return step.prompt('roleplay.prompt', {
      prompt: message(info.lang === 'zh' ? '选个难度：' : 'Pick a difficulty:', labels),
    });
  }

  private async startStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { roleplay, state } = this.services;
    const info = getTurnInfo(step.context);
    let difficulty = step.result as Difficulty | string | undefined;
    if (typeof difficulty === 'string' && !(difficulty in DIFFICULTY_LABELS)) {
      info.answeredPrompt = true;
      difficulty =
        pickLabel(DIFFICULTY_LABELS, difficulty) ??
        info.nlu?.entities.difficulty ??
        difficultyFrom(difficulty) ??
        'normal';
    }
    const scenario = (step.values as SetupValues).scenario ?? 'fees';
    const level = (difficulty as Difficulty | undefined) ?? 'normal';
    const profile = await state.getProfile(step.context);
    const facts = profile.facts;
    // The rehearsal uses the user's own numbers when they make sense, else a typical case.
    const start = facts.currentRate !== undefined && facts.currentRate > 0 ? facts.currentRate : 0.6;
    const target =
      facts.targetRate !== undefined && facts.targetRate < start
        ? facts.targetRate
        : Math.min(0.38, start * 0.7);
    const begun = roleplay.start(scenario, level, { start, target }, info.lang);
    const data = await state.getConversationData(step.context);
    data.roleplay = begun.state;
    const lang = info.lang;
    const intro =
      lang === 'zh'
        ? `🎭 模拟开始：${SCENARIO_LABELS[scenario].zh}（${DIFFICULTY_LABELS[level].zh}）。我来扮演「${begun.rep}」。\n${begun.setup}\n随时说「结束」可以提前结束并看点评。`
        : `🎭 Role-play: ${SCENARIO_LABELS[scenario].en} (${DIFFICULTY_LABELS[level].en}). I play “${begun.rep}”.\n${begun.setup}\nSay “end” at any time to stop and get your debrief.`;
    await say(step.context, intro);
    await say(step.context, `【${begun.rep}】${begun.opening}`);
    return step.replaceDialog('roleplay.talk');
  }

  private async listenStep(_step: WaterfallStepContext): Promise<DialogTurnResult> {
    // Waits for the user's next line; the representative already spoke.
    return { status: DialogTurnStatus.waiting };
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { roleplay, state } = this.services;
    const info = getTurnInfo(step.context);
    info.answeredPrompt = true;
    const current = await this.state(step.context);
    if (!current) {
      await say(
        step.context,
        info.lang === 'zh'
          ? '这次练习的记录读不出来了，我们重新开始一次吧。'
          : 'This practice could not be resumed. Let’s start a new one.',
        this.services.coaching.labels(['action:roleplay'], info.lang),
      );
      return step.endDialog();
    }
    const result = roleplay.turn(current, info.text, info.nlu, info.lang);
    const data = await state.getConversationData(step.context);
    data.roleplay = result.state;
    const rep =
      this.services.kb.bundle.roleplay.find((l) => l.scenario === current.scenario)?.rep[info.lang] ?? '';
    await say(step.context, `【${rep}】${result.reply}`);
    if (result.outcome) {
      await this.finish(step.context, false);
      return step.endDialog();
    }
    return step.replaceDialog('roleplay.talk');
  }

  /** Debrief, keep it for "last practice", clear the scene. */
  private async finish(context: TurnContext, early: boolean): Promise<void> {
    const { roleplay, state } = this.services;
    const info = getTurnInfo(context);
    const data = await state.getConversationData(context);
    let current = await this.state(context);
    delete data.roleplay;
    if (!current) return;
    if (early) current = roleplay.abandon(current);
    const debrief = roleplay.debrief(this.services.kb.texts, current, info.lang);
    info.debrief = contractDebrief(debrief);
    const profile = await state.getProfile(context);
    profile.lastDebrief = debrief;
    await RoleplayDialog.sendDebrief(this.services, context, debrief);
  }

  static async sendDebrief(services: CoachServices, context: TurnContext, debrief: Debrief): Promise<void> {
    const { lang } = getTurnInfo(context);
    const text = debriefText(debrief, lang, services.kb.texts);
    const refs = ['action:roleplay', ...debrief.tips.slice(0, 2).map((t) => `topic:${t.topic}`)];
    await say(context, text, services.coaching.labels(refs, lang), { kind: 'debrief', lang, ...debrief });
  }

  static async showLastDebrief(services: CoachServices, context: TurnContext): Promise<void> {
    const profile = await services.state.getProfile(context);
    const { lang } = getTurnInfo(context);
    if (!profile.lastDebrief) {
      await say(
        context,
        lang === 'zh' ? '你还没有练习过。来一次？' : "You haven't practised yet. Try one?",
        services.coaching.labels(['action:roleplay'], lang),
      );
      return;
    }
    await RoleplayDialog.sendDebrief(services, context, profile.lastDebrief as Debrief);
  }
}

/** The debrief as CONTRACTS section 8 defines it (plus the quotes and tips as extensions). */
export function contractDebrief(d: Debrief): Debrief {
  return {
    scenario: d.scenario,
    difficulty: d.difficulty,
    outcome: d.outcome,
    score: d.score,
    skills: d.skills,
    finalRate: d.finalRate,
    turns: d.turns,
    quotes: d.quotes,
    tips: d.tips,
  };
}

/** The readable scorecard (the bars are drawn by channels that can; see the terminal renderer). */
export function debriefText(d: Debrief, lang: Lang, texts: Texts): string {
  const lines: string[] = [];
  lines.push(
    lang === 'zh'
      ? `📋 练习点评 · ${SCENARIO_LABELS[d.scenario].zh}（${DIFFICULTY_LABELS[d.difficulty].zh}）`
      : `📋 Debrief · ${SCENARIO_LABELS[d.scenario].en} (${DIFFICULTY_LABELS[d.difficulty].en})`,
  );
  const rate =
    d.finalRate !== null
      ? lang === 'zh'
        ? `，最终费率${formatRate(d.finalRate)}`
        : `, final rate ${formatRate(d.finalRate)}`
      : '';
  lines.push(
    lang === 'zh'
      ? `结果：${OUTCOME_LABELS[d.outcome].zh}${rate} · 得分 ${d.score}/100 · ${d.turns}轮`
      : `Outcome: ${OUTCOME_LABELS[d.outcome].en}${rate} · score ${d.score}/100 · ${d.turns} turns`,
  );
  for (const skill of SKILLS) {
    const value = d.skills[skill];
    const quote = d.quotes[skill];
    const evidence = quote
      ? lang === 'zh'
        ? `「${quote}」`
        : `“${quote}”`
      : lang === 'zh'
        ? '（这次没用上）'
        : '(not used this time)';
    lines.push(`• ${skillName(texts, skill, lang)} ${value.toFixed(1)} ${evidence}`);
  }
  if (d.tips.length > 0) {
    lines.push(lang === 'zh' ? '下次试试：' : 'Next time, try:');
    d.tips.forEach((t, i) => lines.push(`${i + 1}. ${t.text}`));
  }
  return lines.join('\n');
}
