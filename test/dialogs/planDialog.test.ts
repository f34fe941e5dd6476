/**
 * The plan dialog (dialogs/planDialog.ts) through the real bot: slots filled from what the user
 * already said, questions only for what is missing, the fee arithmetic, the four steps, the
 * stage move planning → first_contact (CONTRACTS section 4), and interruptions mid-plan.
 */
import { conversation, chatPerTest, type DialogChat, type Turn } from './dialogChat';

// The questions the plan asks, by slot: a reply containing one of these asked for that slot.
const ASKS = {
  en: {
    role: 'merchant (taking payments with Alipay) or a personal user',
    issue: 'What do you need to negotiate',
    currentRate: 'What is your current rate',
    monthlyVolume: 'Roughly how much do you take',
    targetRate: 'What rate do you want',
    evidence: 'What evidence or cases',
  },
  zh: {
    role: '你是商家（用支付宝收款），还是个人用户',
    issue: '你要和支付宝谈哪件事',
    currentRate: '你现在的费率是多少',
    monthlyVolume: '每月通过支付宝收款大概多少',
    targetRate: '你希望降到多少',
    evidence: '你手上有哪些证据或案例',
  },
} as const;

let chat: DialogChat;
chatPerTest((c) => (chat = c));

/** Sends each line in turn and returns every turn, so a test can check none asked again. */
const talk = (lines: string[]): Promise<Turn[]> => conversation(chat, lines);

describe('a plan from one message (nothing asked again)', () => {
  it('EN: the restaurant owner gets the whole plan at once: 220 a month, 2,640 a year, the four steps', async () => {
    const turn = await chat.say(
      'I run a restaurant, 100k a month on Alipay at 0.6%, I want 0.38%, help me plan',
    );

    for (const question of Object.values(ASKS.en)) expect(turn.text).not.toContain(question);
    expect(turn.summary.mode).toBe('coach');
    expect(turn.text).toContain('CNY 600 a month, CNY 7,200 a year');
    expect(turn.text).toContain('you save CNY 220 a month, CNY 2,640 a year');
    // The four steps of the negotiation, in order, with the plan itself ticked off.
    expect(turn.text).toMatch(
      /The four steps\n1\) Today: make the plan ✓\n2\) .*first contact.*\n3\) .*request.*\n4\) .*compromise/,
    );
    expect(turn.text).toContain('you are now at the “First contact” stage');
    expect(turn.actions).toEqual(expect.arrayContaining(['Export the plan', "I've contacted them"]));
  });

  it('ZH: 同样的一句话，中文计划里数字一致，四个步骤齐全', async () => {
    const turn = await chat.say('我开餐馆，每月支付宝收款10万，费率0.6%，想降到0.38%，帮我做个计划');

    for (const question of Object.values(ASKS.zh)) expect(turn.text).not.toContain(question);
    expect(turn.text).toContain('每月手续费600元，每年7,200元');
    expect(turn.text).toContain('每月省220元，每年省2,640元');
    expect(turn.text).toMatch(/④ 四个步骤\n1\) 今天：制定计划 ✓\n2\) .*初步接触.*\n3\) .*提出.*\n4\) .*妥协/);
    expect(turn.text).toContain('你进入「初步接触」阶段');
  });

  it('moves the stage from planning to first_contact and keeps the facts for later', async () => {
    expect(await chat.storedStage()).toBe('planning');

    const turn = await chat.say('我开餐馆，每月支付宝收款10万，费率0.6%，想降到0.38%，帮我做个计划');

    expect(turn.summary.stage).toBe('first_contact');
    expect(await chat.storedStage()).toBe('first_contact');
    const profile = await chat.storedProfile();
    expect(profile?.role).toBe('merchant');
    expect(profile?.issue).toBe('fees');
    expect(profile?.facts).toMatchObject({ monthlyVolume: 100000, currentRate: 0.6, targetRate: 0.38 });
  });

  it('does not move a user back to first contact who is already further on', async () => {
    // A user who reports contact first is at "making demands"; PLAN_DONE only leaves "planning".
    expect((await chat.say('我已经联系过支付宝了')).summary.stage).toBe('making_demands');

    const turn = await chat.say('我开餐馆，每月支付宝收款10万，费率0.6%，想降到0.38%，帮我做个计划');

    expect(turn.text).toContain('每月省220元');
    expect(turn.text).not.toContain('你进入「初步接触」阶段');
    expect(turn.summary.stage).toBe('making_demands');
  });
});

describe('asking only for what is missing', () => {
  it('ZH: 已说了身份、费率和流水，只问目标费率，然后问可选项，最后给出计划', async () => {
    const turns = await talk([
      '帮我做个计划，我是商家，费率0.6%，月流水10万',
      '0.38%',
      '还没有',
      '微信支付',
      '客户经理',
    ]);
    const [first, second] = turns;

    expect(first?.text).toBe(ASKS.zh.targetRate + '？（比如0.38%）');
    expect(first?.summary.mode).toBe('plan');
    expect(second?.text).toContain(ASKS.zh.evidence);
    for (const slot of ['role', 'issue', 'currentRate', 'monthlyVolume'] as const) {
      for (const turn of turns) expect(turn.text).not.toContain(ASKS.zh[slot]);
    }
    const last = turns[turns.length - 1];
    expect(last?.summary.stage).toBe('first_contact');
    expect(last?.text).toContain('每月省220元，每年省2,640元');
    // The optional answers made it into the plan.
    expect(last?.text).toContain('客户经理');
  });

  it('EN: rates given up front, only the volume is asked; 50k at 0.6% → 0.38% saves 110 a month', async () => {
    const turns = await talk([
      'help me plan, my fee is 0.6% and I want 0.38%',
      'about 50k a month',
      'Skip',
      'None yet',
      'Phone 95188',
    ]);

    expect(turns[0]?.text).toContain(ASKS.en.monthlyVolume);
    for (const slot of ['currentRate', 'targetRate'] as const) {
      for (const turn of turns) expect(turn.text).not.toContain(ASKS.en[slot]);
    }
    const last = turns[turns.length - 1];
    expect(last?.text).toContain('you save CNY 110 a month, CNY 1,320 a year');
    expect(last?.summary.stage).toBe('first_contact');
  });

  it('EN: the choices are offered as buttons and a click answers the question', async () => {
    const start = await chat.say('help me make a plan');
    expect(start.actions).toEqual(["I'm a merchant", "I'm a personal user"]);

    const issue = await chat.click("I'm a personal user");
    expect(issue.text).toContain(ASKS.en.issue);

    // A personal user with a frozen account is asked for the outcome they want, not for rates.
    const goal = await chat.click('Account security / freeze');
    expect(goal.text).toContain('What outcome do you want most?');
    expect(goal.actions).toContain('Unfreeze my account');
    expect(goal.text).not.toContain(ASKS.en.currentRate);
  });

  it('ZH: 计算器里说过的流水和费率，做计划时不再问', async () => {
    await chat.say('帮我算算手续费，月流水10万，费率0.6%');

    const turn = await chat.say('帮我做个计划');

    expect(turn.text).toContain(ASKS.zh.targetRate);
    expect(turn.text).not.toContain(ASKS.zh.currentRate);
    expect(turn.text).not.toContain(ASKS.zh.monthlyVolume);
  });
});

describe('interruptions in the middle of a plan', () => {
  it('ZH: 中途问知识问题，先回答，再重问刚才的问题，回答后接着往下走', async () => {
    await talk(['帮我做个计划', '我是商家', '降手续费']);

    const aside = await chat.say('支付宝是哪年成立的？');
    expect(aside.text).toContain('2004');
    expect(aside.text).toContain('我们接着刚才的');
    expect(aside.replies[aside.replies.length - 1]?.text).toContain(ASKS.zh.currentRate);
    expect(aside.summary.mode).toBe('plan');

    // The answer to the re-asked question still counts: the next question is the volume.
    const next = await chat.say('千分之六');
    expect(next.text).toContain(ASKS.zh.monthlyVolume);
  });

  it('EN: a question about principles is answered and the role question asked again', async () => {
    await chat.say('help me make a plan');

    const aside = await chat.say('what principles should I stick to when negotiating');

    expect(aside.text).toContain('principles');
    expect(aside.text).toContain('Back to where we were');
    const last = aside.replies[aside.replies.length - 1];
    expect(last?.text).toContain(ASKS.en.role);
    expect(last?.actions).toEqual(["I'm a merchant", "I'm a personal user"]);
    expect(aside.summary.mode).toBe('plan');
  });

  it('EN: /help shows the help and asks the pending question again', async () => {
    await chat.say('help me plan, my fee is 0.6% and I want 0.38%');

    const help = await chat.say('/help');

    expect(help.text).toContain('Commands: /help');
    expect(help.replies[help.replies.length - 1]?.text).toContain(ASKS.en.monthlyVolume);
    expect(help.summary.mode).toBe('plan');
    // And the plan carries on from there.
    expect((await chat.say('100k')).text).toContain(ASKS.en.evidence);
  });

  it('ZH: /help 之后重问当前问题', async () => {
    await chat.say('帮我做个计划，我是商家，想降手续费');

    const help = await chat.say('/help');

    expect(help.text).toContain('命令：/help');
    expect(help.replies[help.replies.length - 1]?.text).toContain(ASKS.zh.currentRate);
    expect(help.summary.mode).toBe('plan');
  });

  it('ZH: 说“算了”就离开计划，之后的数字不再当作计划的回答', async () => {
    await chat.say('帮我做个计划，我是商家，想降手续费');

    const stop = await chat.say('算了');
    expect(stop.text).toBe('好的，已停止。');
    expect(stop.summary.mode).toBe('coach');
    expect(stop.summary.stage).toBe('planning');

    // Inside the plan a rate would be taken and the plan's next question asked; outside it, a
    // bare rate is a fee question (the calculator takes it), never the cancelled plan's answer.
    const after = await chat.say('千分之六');
    expect(after.summary.mode).not.toBe('plan');
    expect(after.text).not.toContain('计划');
  });

  it('EN: "cancel" leaves the plan without moving the stage', async () => {
    await talk(['help me make a plan', "I'm a merchant"]);

    const stop = await chat.say('cancel');

    expect(stop.text).toBe('OK, stopped.');
    expect(stop.summary.mode).toBe('coach');
    expect(await chat.storedStage()).toBe('planning');
  });

  it('EN: asking for a role-play mid-plan asks first; "No" keeps the plan going', async () => {
    await chat.say('help me make a plan');

    const consent = await chat.say('I want to practise a role-play with you');
    expect(consent.text).toBe('Shall we stop this one and do that instead?');
    expect(consent.actions).toEqual(['Yes', 'No']);

    const kept = await chat.click('No');
    expect(kept.text).toContain(ASKS.en.role);
    expect(kept.summary.mode).toBe('plan');
  });

  it('ZH: 计划中途要模拟练习，确认后切到模拟练习', async () => {
    await talk(['帮我做个计划', '我是商家', '降手续费']);

    const consent = await chat.say('我想模拟练习一下');
    expect(consent.text).toBe('要先停下现在这个，去做新的吗？');

    const switched = await chat.click('确定');
    expect(switched.summary.mode).toBe('roleplay');
    // The issue the plan learnt is remembered as a hint for the scene.
    expect(switched.text).toContain('练哪个场景？（你之前说的是「费率谈判」）');
  });
});
