/**
 * The reset dialog (dialogs/resetDialog.ts) through the real bot: /reset always asks first,
 * with Yes / No buttons; a clear yes forgets the stage, the facts, the practice history and any
 * dialog in progress (but keeps an explicit language choice); anything else keeps everything.
 */
import { chatPerTest, type DialogChat } from './dialogChat';

let chat: DialogChat;
chatPerTest((c) => (chat = c));

/** A user with something to lose: facts from the calculator, a practice, a refusal. */
async function userWithHistory(): Promise<void> {
  await chat.say('帮我算算手续费，月流水10万，费率0.6%，想降到0.38%');
  await chat.say('我想模拟练习一下，简单难度，费率谈判');
  await chat.say('结束');
  await chat.say('支付宝拒绝了我');
}

describe('/reset asks first', () => {
  it('ZH: asks for confirmation with 确定 / 取消 and changes nothing yet', async () => {
    await userWithHistory();

    const ask = await chat.say('/reset');

    expect(ask.text).toBe('确定要重新开始吗？你的阶段、计划和练习记录都会清空。');
    expect(ask.actions).toEqual(['确定', '取消']);
    expect(ask.summary.mode).toBe('reset');
    expect(await chat.storedStage()).toBe('refused');
  });

  it('EN: asks in English with Yes / No', async () => {
    await chat.say('hello');

    const ask = await chat.say('/reset');

    expect(ask.text).toBe('Start over? Your stage, plan and practice history will be cleared.');
    expect(ask.actions).toEqual(['Yes', 'No']);
  });
});

describe('yes resets', () => {
  it('ZH: 确定 → stage back to planning, facts and the last practice forgotten', async () => {
    await userWithHistory();
    await chat.say('/reset');

    const done = await chat.click('确定');

    expect(done.text).toBe('已清空，我们从头开始。');
    expect(done.summary.stage).toBe('planning');
    expect(await chat.storedStage()).toBe('planning');
    const profile = await chat.storedProfile();
    expect(profile?.facts ?? {}).toEqual({});
    expect(profile?.lastDebrief).toBeUndefined();
    expect((await chat.say('上次练习')).text).toBe('你还没有练习过。来一次？');
  });

  it('ZH: the calculator asks for the volume again after a reset', async () => {
    await userWithHistory();
    await chat.say('/reset');
    await chat.click('确定');

    const calc = await chat.say('帮我算算店里的手续费');

    expect(calc.text).toContain('你每月通过支付宝收款大概多少？');
  });

  it('EN: "yes" typed in lower case counts as yes', async () => {
    await chat.say('I have already called them');
    expect(await chat.storedStage()).toBe('making_demands');
    await chat.say('/reset');

    const done = await chat.say('yes');

    expect(done.text).toBe('Cleared. We start from the beginning.');
    expect(await chat.storedStage()).toBe('planning');
  });

  it('EN: an explicit /lang choice survives the reset', async () => {
    await chat.say('/lang en');
    await chat.say('/reset');
    await chat.click('Yes');

    // A Chinese message would normally get a Chinese reply; the chosen English is kept.
    const status = await chat.say('我现在到哪一步了');

    expect(status.summary.lang).toBe('en');
    expect(status.text).toContain('You are at the “Planning” stage');
  });

  it('ZH: /reset in the middle of a plan drops the plan as well', async () => {
    await chat.say('帮我做个计划');
    const ask = await chat.say('/reset');
    expect(ask.summary.mode).toBe('reset');

    const done = await chat.click('确定');

    expect(done.summary.mode).toBe('coach');
    // "我是商家" is no longer the answer to the plan's first question.
    expect((await chat.say('我是商家')).text).not.toContain('你要和支付宝谈哪件事');
  });
});

describe('no keeps the state', () => {
  it('ZH: 取消 keeps the stage and the facts', async () => {
    await userWithHistory();
    await chat.say('/reset');

    const kept = await chat.click('取消');

    expect(kept.text).toBe('好的，什么都没删。');
    expect(kept.summary.stage).toBe('refused');
    const profile = await chat.storedProfile();
    expect(profile?.facts).toMatchObject({ monthlyVolume: 100000, currentRate: 0.6, targetRate: 0.38 });
    expect(profile?.lastDebrief).toBeDefined();
  });

  it('EN: "No" keeps the stage', async () => {
    await chat.say('I have already called them');
    await chat.say('/reset');

    const kept = await chat.click('No');

    expect(kept.text).toBe('OK, nothing was deleted.');
    expect(await chat.storedStage()).toBe('making_demands');
  });

  it('ZH: anything that is not a clear yes keeps everything', async () => {
    await chat.say('支付宝拒绝了我');
    await chat.say('/reset');

    const kept = await chat.say('我再想想');

    expect(kept.text).toBe('好的，什么都没删。');
    expect(await chat.storedStage()).toBe('refused');
  });

  it('ZH: the question is asked again on the next /reset, and yes then works', async () => {
    await chat.say('支付宝拒绝了我');
    await chat.say('/reset');
    await chat.click('取消');

    const ask = await chat.say('/reset');
    expect(ask.text).toContain('确定要重新开始吗');

    expect((await chat.click('确定')).summary.stage).toBe('planning');
  });
});
