/**
 * The role-play dialog's mechanics (dialogs/roleplayDialog.ts) through the real bot: the scene
 * and difficulty asked with buttons only when the message did not name them, the scene opened
 * by the representative, each user line answered in character, commands mid-scene not counted
 * as moves, questions mid-scene treated as moves, ending early with the debrief, and the set-up
 * questions surviving interruptions. How the debrief scores is tested elsewhere.
 */
import { chatPerTest, type DialogChat, type Turn } from './dialogChat';

const SCENES = {
  zh: ['费率谈判', '账户冻结', '投诉没人管'],
  en: ['Fee negotiation', 'Frozen account', 'Ignored complaint'],
} as const;
const LEVELS = { zh: ['简单', '普通', '困难'], en: ['Easy', 'Normal', 'Hard'] } as const;
const ASK_SCENE = { zh: '练哪个场景？', en: 'Which scene shall we rehearse?' } as const;
const ASK_LEVEL = { zh: '选个难度：', en: 'Pick a difficulty:' } as const;

let chat: DialogChat;
chatPerTest((c) => (chat = c));

const last = (turn: Turn) => turn.replies[turn.replies.length - 1];
/** The representative speaks in lines of the form 【name】text. */
const REP_LINE = /^【[^】]+】\S/;

describe('set-up: asking only for what the message did not say', () => {
  it('ZH: nothing named → the scene is asked with three buttons, then the difficulty, then it starts', async () => {
    const scene = await chat.say('我想模拟练习一下');
    expect(scene.text).toBe(ASK_SCENE.zh);
    expect(scene.actions).toEqual([...SCENES.zh]);
    expect(scene.summary.mode).toBe('roleplay');

    const level = await chat.click('账户冻结');
    expect(level.text).toBe(ASK_LEVEL.zh);
    expect(level.actions).toEqual([...LEVELS.zh]);

    const start = await chat.click('困难');
    expect(start.replies[0]?.text).toContain('🎭 模拟开始：账户冻结（困难）');
    expect(start.replies[0]?.text).toContain('随时说「结束」可以提前结束并看点评');
    // The representative opens the scene in a message of its own.
    expect(last(start)?.text).toMatch(REP_LINE);
    expect(start.summary.mode).toBe('roleplay');
  });

  it('ZH: scene and difficulty both in the message → no question, the scene starts at once', async () => {
    const turn = await chat.say('我想模拟练习一下，简单难度，费率谈判');

    expect(turn.text).not.toContain(ASK_SCENE.zh);
    expect(turn.text).not.toContain(ASK_LEVEL.zh);
    expect(turn.replies[0]?.text).toContain('🎭 模拟开始：费率谈判（简单）');
    expect(last(turn)?.text).toMatch(REP_LINE);
  });

  it('EN: "a hard role-play about fees" starts the hard fee scene directly', async () => {
    const turn = await chat.say('let us do a hard role-play about fees');

    expect(turn.replies[0]?.text).toContain('🎭 Role-play: Fee negotiation (Hard)');
    expect(turn.text).not.toContain(ASK_SCENE.en);
    expect(turn.text).not.toContain(ASK_LEVEL.en);
  });

  it('ZH: only the scene named → only the difficulty is asked', async () => {
    const turn = await chat.say('我想练习一下账户冻结的场景');

    expect(turn.text).toBe(ASK_LEVEL.zh);
    expect(turn.text).not.toContain(ASK_SCENE.zh);

    const start = await chat.click('普通');
    expect(start.replies[0]?.text).toContain('🎭 模拟开始：账户冻结（普通）');
  });

  it('EN: only the difficulty named → only the scene is asked, and the difficulty is kept', async () => {
    const turn = await chat.say('let us practise a hard role-play');
    expect(turn.text).toBe(ASK_SCENE.en);
    expect(turn.actions).toEqual([...SCENES.en]);

    const start = await chat.click('Ignored complaint');
    expect(start.text).not.toContain(ASK_LEVEL.en);
    expect(start.replies[0]?.text).toContain('🎭 Role-play: Ignored complaint (Hard)');
  });

  it('ZH: the problem the user talked about before is offered as a hint', async () => {
    await chat.say('手续费太高了');

    const turn = await chat.say('我想模拟练习一下');

    expect(turn.text).toBe('练哪个场景？（你之前说的是「费率谈判」）');
  });

  it('ZH: the fee scene uses the user’s own rates when they are known', async () => {
    await chat.say('帮我算算手续费，月流水10万，费率0.8%，想降到0.5%');

    const turn = await chat.say('我想模拟练习一下，普通难度，费率谈判');

    expect(turn.replies[0]?.text).toContain('0.8%');
    expect(turn.replies[0]?.text).toContain('0.5%');
  });
});

describe('interruptions during set-up', () => {
  it('EN: /status is answered and the difficulty asked again with its buttons', async () => {
    await chat.say('I want to practise a role-play');
    await chat.click('Ignored complaint');

    const status = await chat.say('/status');

    expect(status.text).toContain('You are at the “Planning” stage');
    expect(last(status)?.text).toBe(ASK_LEVEL.en);
    expect(last(status)?.actions).toEqual([...LEVELS.en]);
    expect((await chat.click('Easy')).replies[0]?.text).toContain('Ignored complaint (Easy)');
  });

  it('ZH: a knowledge question is answered and the scene question comes back', async () => {
    await chat.say('我想模拟练习一下');

    const aside = await chat.say('支付宝是哪年成立的？');

    expect(aside.text).toContain('2004');
    expect(aside.text).toContain('我们接着刚才的');
    expect(last(aside)?.text).toBe(ASK_SCENE.zh);
    expect(last(aside)?.actions).toEqual([...SCENES.zh]);
  });

  it('ZH: "取消" during set-up stops without starting a scene', async () => {
    await chat.say('我想模拟练习一下');

    const stop = await chat.say('取消');

    expect(stop.text).toBe('好的，已停止。');
    expect(stop.summary.mode).toBe('coach');
    // "费率谈判" is no longer an answer to a set-up question.
    expect((await chat.say('费率谈判')).text).not.toContain('🎭');
  });
});

describe('in the scene: turns', () => {
  it('ZH: every line is answered by the representative in character; the coach does not step in', async () => {
    await chat.say('我想模拟练习一下，简单难度，费率谈判');

    // "我要投诉你们" would be a mediation question outside the scene; here it is a move.
    const threat = await chat.say('我要投诉你们');
    expect(threat.replies).toHaveLength(1);
    expect(threat.text).toMatch(REP_LINE);
    expect(threat.text).not.toContain('我们接着刚才的');
    expect(threat.summary.mode).toBe('roleplay');

    const question = await chat.say('怎么投诉到12363？');
    expect(question.replies).toHaveLength(1);
    expect(question.text).toMatch(REP_LINE);
    expect(question.summary.mode).toBe('roleplay');
  });

  it('EN: commands mid-scene are answered but are not moves: the debrief counts only the real turns', async () => {
    await chat.say('let us do a hard role-play about fees');
    await chat.say('Hi, I would like a lower rate; my volume is 100k a month');

    const help = await chat.say('/help');
    expect(help.text).toContain('Commands: /help');
    expect(help.summary.mode).toBe('roleplay');
    expect(help.text).not.toMatch(REP_LINE);

    const end = await chat.say('end');
    expect(end.text).toContain('📋 Debrief · Fee negotiation (Hard)');
    expect(end.text).toContain('Outcome: Ended early');
    // One turn, said in the singular.
    expect(end.text).toContain('· 1 turn\n');
    expect(end.summary.mode).toBe('coach');
  });

  it('ZH: "结束" ends early with the debrief; the turn reports it and "上次练习" shows it again', async () => {
    await chat.say('我想模拟练习一下，简单难度，费率谈判');
    await chat.say('您好，我月流水10万，想把费率从0.6%降到0.38%');
    await chat.say('别家给了我0.38%的书面报价');

    const end = await chat.say('结束');
    expect(end.text).toContain('📋 练习点评 · 费率谈判（简单）');
    expect(end.text).toContain('结果：提前结束');
    expect(end.text).toContain('2轮');
    expect(end.summary.debrief).toMatchObject({
      scenario: 'fees',
      difficulty: 'easy',
      outcome: 'abandoned',
      turns: 2,
    });
    // The next step is another go: the same setting, or one level harder.
    expect(end.actions).toEqual(expect.arrayContaining(['再来一次', '再难一点', '我的进步']));

    const again = await chat.say('上次练习');
    expect(again.text).toContain('📋 练习点评 · 费率谈判（简单）');
    expect(again.summary.debrief).toBeUndefined();
  });

  it('ZH: after the scene ends, what the user says is a question for the coach again', async () => {
    await chat.say('我想模拟练习一下，简单难度，费率谈判');
    await chat.say('结束');

    const turn = await chat.say('支付宝是哪年成立的？');

    expect(turn.text).toContain('2004');
    expect(turn.text).not.toMatch(REP_LINE);
  });

  it('ZH: a role-play never moves the user’s real negotiation stage', async () => {
    await chat.say('我想模拟练习一下，简单难度，费率谈判');
    await chat.say('谈成了，就按0.38%');
    await chat.say('结束');

    expect(await chat.storedStage()).toBe('planning');
  });

  it('ZH: "上次练习" before any practice says so and offers one', async () => {
    const turn = await chat.say('上次练习');

    expect(turn.text).toBe('你还没有练习过。来一次？');
    expect(turn.actions).toEqual(['模拟练习']);
  });

  it('EN: /end with no scene running says there is none (in the language the user last wrote)', async () => {
    await chat.say('hello');
    const turn = await chat.say('/end');

    expect(turn.text).toBe('There is no role-play running right now.');
    expect(turn.actions).toEqual(['Practice role-play']);
  });
});

describe('coming back to a role-play', () => {
  it('the opening after a restart says a role-play is in progress and how to go on or end it', async () => {
    const { createApp } = await import('../../src/app/createApp');
    const { TerminalChannel } = await import('../../src/channels/terminal/terminalChannel');
    const { MemoryStorage } = await import('../../src/storage/memoryStorage');
    const { createLogger } = await import('../../src/log/logger');
    const storage = new MemoryStorage();
    const first = await createApp({ storage, seed: 1, logger: createLogger({}, 'error') });
    await new TerminalChannel(first.app, { user: 'back' }).send('模拟练习 费率 普通');
    const again = await createApp({ storage, seed: 1, logger: createLogger({}, 'error') });
    const opening = await new TerminalChannel(again.app, { user: 'back' }).open();
    expect(opening.replies[0]?.text).toContain('模拟练习还在进行');
    expect(opening.replies[0]?.actions).toEqual(['结束练习']);
    expect(opening.summary.mode).toBe('roleplay');
    const ended = await new TerminalChannel(again.app, { user: 'back' }).send('结束练习');
    expect(ended.summary.debrief).toMatchObject({ outcome: 'abandoned' });
  });
});
