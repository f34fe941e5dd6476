/**
 * The refusal dialog (dialogs/refusalDialog.ts) through the real bot: the stage moves to
 * `refused` at once and the three branches are offered; what kind of refusal and which problem
 * are asked only when the user has not said; the advice and the complaint ladder differ per
 * problem; each branch moves the stage (CONTRACTS section 4) and the stage — and a refusal left
 * half-way — survive a restart of the process; help, status and side questions mid-refusal are
 * answered and the branches offered again.
 */
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { chatPerTest, dialogChat, type DialogChat, type Turn } from './dialogChat';

const BRANCHES = {
  zh: ['继续沟通', '寻找替代方案', '第三方调解'],
  en: ['Keep talking', 'Look at alternatives', 'Third-party mediation'],
} as const;
const ASK_ISSUE = {
  zh: '被拒的是哪件事：降手续费、账户冻结，还是投诉没人处理？',
  en: 'What was refused: a fee cut, a frozen account, or a complaint nobody handles?',
} as const;
const ASK_KIND = {
  zh: '对方是直接拒绝、只答应了一部分，还是一直没答复？',
  en: 'Was it a flat no, a partial offer, or no answer at all?',
} as const;
/** The script for a flat no asks for the reason and for who decided. */
const FLAT_SCRIPT_ZH = '「请问不能调整的具体原因是什么？这个决定是谁做的，我可以向谁申请复核？';
const SILENT_SCRIPT_EN = 'has had no answer. Please tell me its status, which team handles it';
/** The refusal advice of each problem (knowledge/topics/refusal.*.yaml), by a phrase of its own. */
const ADVICE_ZH = {
  fees: '费率被拒，先别挂',
  security: '反电信网络诈骗法第32条',
  service: '被敷衍时',
} as const;
/** The complaint ladder, in order (seed section 七.3). */
const LADDER_ZH = /95188[\s\S]*12363[\s\S]*12315[\s\S]*人民调解[\s\S]*仲裁或诉讼/;

let chat: DialogChat;
const others: DialogChat[] = [];
chatPerTest((c) => (chat = c));
afterEach(async () => {
  for (const other of others.splice(0)) await other.close();
});

const last = (turn: Turn) => turn.replies[turn.replies.length - 1];

describe('"支付宝拒绝了我": the stage and the three branches', () => {
  it('ZH: moves the stage to refused and offers exactly the three branches as buttons', async () => {
    const turn = await chat.say('支付宝拒绝了我');

    expect(turn.summary.stage).toBe('refused');
    expect(turn.summary.mode).toBe('refusal');
    expect(await chat.storedStage()).toBe('refused');
    expect(turn.text).toContain('你有三条路：继续沟通、寻找替代方案、第三方调解');
    expect(turn.actions).toEqual([...BRANCHES.zh]);
  });

  it('EN: the same in English, with English buttons', async () => {
    const turn = await chat.say('Alipay turned down my request for a lower rate');

    expect(turn.summary.stage).toBe('refused');
    expect(turn.summary.lang).toBe('en');
    expect(turn.text).toContain(
      'You have three paths: keep talking, look at alternatives, or third-party mediation',
    );
    expect(turn.actions).toEqual([...BRANCHES.en]);
  });
});

describe('asking only what the user has not said', () => {
  it('ZH: neither the problem nor the kind said → both asked in the same message, no script yet', async () => {
    const turn = await chat.say('我的申请没通过');

    expect(turn.summary.stage).toBe('refused');
    expect(turn.text).toContain(ASK_ISSUE.zh);
    expect(turn.text).toContain(ASK_KIND.zh);
    expect(turn.text).not.toContain('下一次可以这样说');
  });

  it('ZH: the problem and a flat no said up front → no questions; the fee advice and the script come at once', async () => {
    const turn = await chat.say('支付宝拒绝了我降手续费的申请，直接说不行');

    expect(turn.text).not.toContain(ASK_ISSUE.zh);
    expect(turn.text).not.toContain(ASK_KIND.zh);
    expect(turn.text).toContain(ADVICE_ZH.fees);
    expect(turn.text).toContain(FLAT_SCRIPT_ZH);
  });

  it('ZH: answering the questions one by one sharpens the advice without leaving the dialog', async () => {
    await chat.say('我的申请没通过');

    const issue = await chat.say('账户冻结');
    expect(issue.summary.mode).toBe('refusal');
    expect(issue.text).toContain(ADVICE_ZH.security);
    expect(issue.text).not.toContain(ASK_ISSUE.zh);
    // The kind is still unknown, so it alone is asked again.
    expect(issue.text).toContain(ASK_KIND.zh);
    expect(issue.actions).toEqual([...BRANCHES.zh]);

    const kind = await chat.say('一直没答复');
    expect(kind.text).not.toContain(ASK_KIND.zh);
    expect(kind.text).toContain('一直没有答复。请告诉我处理进度');
    expect(kind.summary.stage).toBe('refused');
    expect((await chat.storedProfile())?.issue).toBe('security');
  });

  it('EN: "they never answered" gets the no-answer script asking for status and the team', async () => {
    await chat.say('Alipay turned down my request');

    const turn = await chat.say('they never answered, it was about my fees');

    expect(turn.text).toContain(SILENT_SCRIPT_EN);
    expect(turn.text).not.toContain(ASK_KIND.en);
    expect(turn.text).not.toContain(ASK_ISSUE.en);
  });

  it('ZH: a partial offer with the user’s target proposes a trial half-way between them', async () => {
    await chat.say('帮我算算手续费，月流水10万，费率0.6%，想降到0.38%');

    const turn = await chat.say('支付宝拒绝了我，只肯降到0.5%');

    // Half-way between Alipay's 0.5% and the target 0.38% is 0.44%.
    expect(turn.text).toContain('「谢谢您给出0.5%的方案。我的目标是0.38%，能不能先按0.44%试行一个季度');
    expect(turn.text).not.toContain(ASK_KIND.zh);
  });
});

describe('reading the answer to the questions', () => {
  it('ZH: Alipay’s own partial offer is shown as Alipay’s offer, never as another provider’s quote', async () => {
    await chat.say('我开店，月流水10万，费率0.6%');
    await chat.say('支付宝拒绝了我，只肯降到0.5%');

    const turn = await chat.click('寻找替代方案');

    expect(turn.text).toContain('支付宝给的0.5%：每月500元，比现在少100元/月');
    expect(turn.text).not.toContain('别家报价0.5%');
    expect((await chat.storedProfile())?.facts.competitorRate).toBeUndefined();
  });

  it('ZH: "投诉没人处理" answers which problem it was (customer service) instead of picking mediation', async () => {
    await chat.say('我的申请没通过');

    const turn = await chat.say('投诉没人处理');

    expect(turn.summary.stage).toBe('refused');
    expect(turn.text).toContain(ADVICE_ZH.service);
    expect(turn.text).not.toContain(ASK_ISSUE.zh);
    expect(turn.actions).toEqual([...BRANCHES.zh]);
    expect((await chat.storedProfile())?.issue).toBe('service');
  });

  it('ZH: a consumer refused a fee waiver gets consumer advice, not the merchant rate script', async () => {
    await chat.say('作为个人用户，提现手续费太贵了');

    const turn = await chat.say('支付宝拒绝了');

    expect(turn.text).toContain('个人提现、还款的手续费是公开的统一规则');
    expect(turn.text).not.toContain(ADVICE_ZH.fees);
    expect(turn.text).not.toContain('小微商户');
  });

  it('EN: the same for an English-speaking consumer', async () => {
    await chat.say("I'm a personal user and the withdrawal fee is too high");

    const turn = await chat.say('Alipay refused');

    expect(turn.text).toContain('Withdrawal and repayment fees for individuals are published');
  });

  it('ZH: "被拒绝了怎么办" does not say what kind of refusal it was, so the kind is asked', async () => {
    const turn = await chat.say('被拒绝了怎么办');

    expect(turn.summary.stage).toBe('refused');
    expect(turn.text).toContain(ASK_KIND.zh);
  });
});

describe('the advice and the complaint ladder differ by problem', () => {
  it.each([
    ['fees', '我的申请没通过', '手续费', ADVICE_ZH.fees, ADVICE_ZH.security],
    ['security', '我的申请没通过', '账户冻结', ADVICE_ZH.security, ADVICE_ZH.fees],
    ['service', '我的申请没通过', '客服不处理', ADVICE_ZH.service, ADVICE_ZH.security],
  ])('ZH %s: its own refusal advice, not another problem’s', async (_issue, start, answer, own, other) => {
    await chat.say(start);
    const turn = await chat.say(answer);

    expect(turn.text).toContain(own);
    expect(turn.text).not.toContain(other);
  });

  it('ZH fees: mediation gives the whole ladder 95188 → 12363 → 12315 → 人民调解 → 仲裁或诉讼, for fee disputes', async () => {
    await chat.say('支付宝拒绝了我降手续费的申请');

    const turn = await chat.click('第三方调解');

    expect(turn.summary.stage).toBe('mediation');
    expect(turn.text).toMatch(LADDER_ZH);
    expect(turn.text).toContain('商家的费用纠纷主要走这条');
    expect(turn.text).not.toContain('报警');
    expect(turn.actions).toEqual(expect.arrayContaining(['12363投诉模板', '调解申请书']));
  });

  it('ZH security: the ladder for a frozen account adds the police', async () => {
    await chat.say('我的申请没通过');
    await chat.say('账户冻结');

    const turn = await chat.click('第三方调解');

    expect(turn.text).toMatch(LADDER_ZH);
    expect(turn.text).toContain('马上报警');
    expect(turn.text).not.toContain('商家的费用纠纷');
  });

  it('ZH service: the ladder for an unanswered complaint, and "详细" says what to prepare at each rung', async () => {
    await chat.say('我的申请没通过');
    await chat.say('客服不处理');

    const turn = await chat.click('第三方调解');
    expect(turn.text).toMatch(LADDER_ZH);
    expect(turn.text).toContain('黑猫投诉');

    const more = await chat.say('详细');
    expect(more.text).toContain('一份好投诉的结构（每一级都能用）');
  });

  it('ZH fees: the detail of the fee ladder lists what to prepare for 12363', async () => {
    await chat.say('支付宝拒绝了我降手续费的申请');
    await chat.click('第三方调解');

    const more = await chat.say('详细');

    expect(more.text).toContain('每一级准备什么');
    expect(more.text).toMatch(/12363：.*工单号/);
  });
});

describe('choosing a branch moves the stage', () => {
  it('ZH: keep talking → back to the step the user was refused at, with the script asking for the reason and the decision-maker', async () => {
    await chat.say('我已经联系过支付宝了');
    await chat.say('他们说可以降到0.5%');
    expect(await chat.storedStage()).toBe('compromise');
    await chat.say('支付宝拒绝了我');

    const turn = await chat.click('继续沟通');

    expect(turn.summary.stage).toBe('compromise');
    expect(turn.summary.mode).toBe('coach');
    expect(turn.text).toContain('阶段回到你被拒的那一步');
    expect(turn.text).toContain(FLAT_SCRIPT_ZH);
    expect(turn.text).toContain('工单号');
  });

  it('ZH: a refusal straight from planning goes back to making demands on "继续沟通"', async () => {
    await chat.say('支付宝拒绝了我');

    const turn = await chat.click('继续沟通');

    expect(turn.summary.stage).toBe('making_demands');
    expect(await chat.storedStage()).toBe('making_demands');
  });

  it('ZH: alternatives → stage alternatives, with a fee comparison from the user’s own numbers', async () => {
    await chat.say('我开店，月流水10万，费率0.6%');
    await chat.say('支付宝拒绝了我降费的要求');

    const turn = await chat.click('寻找替代方案');

    expect(turn.summary.stage).toBe('alternatives');
    expect(turn.text).toContain(
      '按你每月100,000元流水算：现在0.6%，每月手续费600元；每降0.1个百分点，每月少交100元。',
    );
    // The merchant alternatives (other acquirers' published rates), not the consumer's withdrawal tips.
    expect(turn.text).toContain('微信支付');
    expect(turn.actions).toEqual(expect.arrayContaining(['带着替代方案再谈', '换平台', '第三方调解']));
  });

  it('EN: alternatives without the user’s numbers shows no made-up comparison', async () => {
    await chat.say('Alipay turned down my request for a lower fee');

    const turn = await chat.click('Look at alternatives');

    expect(turn.summary.stage).toBe('alternatives');
    expect(turn.text).not.toContain('At your');
    expect(turn.text).not.toContain('every 0.1 percentage point');
  });

  it('ZH: from alternatives, mediation is still open and moves the stage on', async () => {
    await chat.say('支付宝拒绝了我');
    await chat.click('寻找替代方案');

    const turn = await chat.click('第三方调解');

    expect(turn.summary.stage).toBe('mediation');
    expect(turn.text).toContain('12363');
  });

  it('ZH: typed words choose a branch too: "去哪里投诉？" → mediation, "再沟通一次试试" → keep talking', async () => {
    await chat.say('我的申请没通过');
    expect((await chat.say('去哪里投诉？')).summary.stage).toBe('mediation');

    const again = await dialogChat();
    others.push(again);
    await again.say('我的申请没通过');
    expect((await again.say('再沟通一次试试')).summary.stage).toBe('making_demands');
  });
});

describe('the stage survives a restart of the process', () => {
  it('ZH: refused → mediation, then a new runtime on the same store still knows "mediation"', async () => {
    const storage = new MemoryStorage();
    const before = await dialogChat({ storage });
    await before.say('支付宝拒绝了我');
    expect((await before.click('第三方调解')).summary.stage).toBe('mediation');
    await before.close();

    const after = await dialogChat({ storage });
    others.push(after);
    expect(await after.storedStage()).toBe('mediation');
    const status = await after.say('我现在到哪一步了');
    expect(status.summary.stage).toBe('mediation');
    expect(status.text).toContain('你现在在「第三方调解」阶段');
    expect(status.text).toContain('【第三方调解】');
  });

  it('ZH: a refusal left open before the restart still takes the branch after it, and still remembers the step', async () => {
    const storage = new MemoryStorage();
    const before = await dialogChat({ storage });
    await before.say('我已经联系过支付宝了');
    await before.say('支付宝拒绝了我降手续费的申请');
    await before.close();

    const after = await dialogChat({ storage });
    others.push(after);
    expect(await after.storedStage()).toBe('refused');
    const turn = await after.say('继续沟通');
    // Refused at "making demands" (after the contact), so that is where the user goes back to.
    expect(turn.summary.stage).toBe('making_demands');
    expect(turn.text).toContain('阶段回到你被拒的那一步');
  });

  it('EN: alternatives chosen before a restart is where the user is after it', async () => {
    const storage = new MemoryStorage();
    const before = await dialogChat({ storage });
    await before.say('Alipay turned down my request');
    await before.click('Look at alternatives');
    await before.close();

    const after = await dialogChat({ storage });
    others.push(after);
    const status = await after.say('where am I');
    expect(status.text).toContain('You are at the “Alternatives” stage');
    expect(status.text).toContain('【Alternatives】');
  });
});

describe('interruptions in the middle of a refusal', () => {
  it('ZH: /help is answered, then the branches are offered again and still work', async () => {
    await chat.say('我的申请没通过');

    const help = await chat.say('/help');
    expect(help.text).toContain('命令：/help');
    expect(help.summary.mode).toBe('refusal');
    expect(last(help)?.actions).toEqual([...BRANCHES.zh]);
    expect(last(help)?.text).toContain(ASK_ISSUE.zh);

    expect((await chat.click('第三方调解')).summary.stage).toBe('mediation');
  });

  it('ZH: "我到哪一步了" shows the stage map with 被拒绝 marked and keeps the refusal open', async () => {
    await chat.say('我的申请没通过');

    const status = await chat.say('我到哪一步了');

    expect(status.text).toContain('【被拒绝】');
    expect(status.summary.mode).toBe('refusal');
    expect(last(status)?.actions).toEqual([...BRANCHES.zh]);
  });

  it('ZH: a knowledge question is answered, then "我们接着刚才的" and the branches; answering the question still counts', async () => {
    await chat.say('我的申请没通过');

    const aside = await chat.say('支付宝是哪年成立的？');
    expect(aside.text).toContain('2004');
    expect(aside.text).toContain('我们接着刚才的');
    expect(aside.summary.stage).toBe('refused');
    expect(last(aside)?.actions).toEqual([...BRANCHES.zh]);

    const issue = await chat.say('手续费');
    expect(issue.text).toContain(ADVICE_ZH.fees);
    expect(issue.summary.mode).toBe('refusal');
  });

  it('ZH: "你好" while the question is open is greeted, never turned away as off-topic', async () => {
    await chat.say('支付宝拒绝了我');

    const hello = await chat.say('你好');

    expect(hello.text).toMatch(/^(你好！我是协商教练|欢迎回来)/);
    expect(hello.text).not.toContain('只能');
    expect(hello.actions.length).toBeGreaterThan(0);
    expect(hello.summary.stage).toBe('refused');
  });

  it('EN: "hello" and "bye" in the middle of a refusal get a greeting and a goodbye', async () => {
    await chat.say('Alipay turned down my request for a lower rate');

    const hello = await chat.say('hello');
    expect(hello.text).toMatch(/^(Hi! I'm your Negotiation Coach|Welcome back)/);
    expect(hello.text).not.toContain("can't help");

    await chat.say('Alipay turned down my request for a lower rate');
    const bye = await chat.say('bye');
    expect(bye.text).toContain('Good luck with the negotiation');
    expect(bye.summary.stage).toBe('refused');
  });

  it('ZH: "取消" leaves the refusal dialog but the stage stays refused', async () => {
    await chat.say('我的申请没通过');

    const stop = await chat.say('取消');

    expect(stop.text).toBe('好的，已停止。');
    expect(stop.summary.mode).toBe('coach');
    expect(stop.summary.stage).toBe('refused');
    // The branch buttons still work from the coach afterwards.
    expect((await chat.say('寻找替代方案')).summary.stage).toBe('alternatives');
  });
});
