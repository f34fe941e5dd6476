/**
 * The main router (dialogs/mainDialog.ts) through the real bot: routing to the flows and to
 * knowledge answers, "我现在到哪一步了" / "where am I" with the stage map and the current stage
 * marked, progress reports that move the stage without a button, language switches that
 * persist for the user (also across a restart), help and cancel anywhere, and an honest reply to
 * questions outside the coach's field.
 */
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { chatPerTest, dialogChat, type DialogChat } from './dialogChat';

let chat: DialogChat;
const others: DialogChat[] = [];
chatPerTest((c) => (chat = c));
afterEach(async () => {
  for (const other of others.splice(0)) await other.close();
});

describe('routing', () => {
  it.each([
    ['帮我做个计划', 'plan'],
    ['我想模拟练习一下', 'roleplay'],
    ['帮我算算手续费', 'fee_calc'],
    ['支付宝拒绝了我', 'refusal'],
    ['help me make a plan', 'plan'],
    ['calculate my fees', 'fee_calc'],
  ])('"%s" starts the %s flow', async (text, mode) => {
    expect((await chat.say(text)).summary.mode).toBe(mode);
  });

  it.each([
    ['支付宝是哪年成立的？', 'background', '2004'],
    ['怎么联系支付宝？', 'contact', '95188'],
    ['what principles should I stick to when negotiating', 'goals_principles', 'principles'],
  ])('"%s" is answered from the knowledge base without starting a flow', async (text, intent, shown) => {
    const turn = await chat.say(text);

    expect(turn.summary.intent).toBe(intent);
    expect(turn.summary.mode).toBe('coach');
    expect(turn.text).toContain(shown);
  });

  it('ZH: the quick-start buttons of the welcome start their flows', async () => {
    const hello = await chat.say('你好');
    expect(hello.actions).toEqual(['制定协商计划', '模拟练习', '算手续费', '被拒绝了怎么办']);

    expect((await chat.click('算手续费')).summary.mode).toBe('fee_calc');
  });

  it('ZH: "谈成了" moves the stage to agreement; "开始新的协商" starts over', async () => {
    const deal = await chat.say('谈成了');
    expect(deal.summary.stage).toBe('agreement');
    expect(deal.text).toContain('好，记下了：你现在在「达成协议」阶段。');

    expect((await chat.click('开始新的协商')).summary.stage).toBe('planning');
  });

  it('EN: a stage button that does not apply at this stage says so instead of moving', async () => {
    await chat.say('hello');

    const turn = await chat.say('Back to the table');

    expect(turn.text).toBe("That step doesn't apply at your current stage. Here's what you can do now:");
    expect(turn.summary.stage).toBe('planning');
  });
});

describe('status: the stage map with the current stage marked', () => {
  it('ZH: "我现在到哪一步了" for a new user marks 制定计划 and draws the four steps and the branches', async () => {
    const turn = await chat.say('我现在到哪一步了');

    expect(turn.text).toBe(
      [
        '你现在在「制定计划」阶段：',
        '【制定计划】 → 初步接触 → 提出要求 → 妥协与协议 → 达成协议',
        '  ↳ 挑战: 被拒绝 · 寻找替代方案 · 第三方调解  |  未达成协议',
        '',
        // Then what the coach knows of the case (nothing yet for a new user).
        '你还没告诉我你的具体情况（比如你是商家还是个人用户、费率、金额、对方怎么答复的）。说得越具体，我给的办法越准。',
      ].join('\n'),
    );
    expect(turn.actions).toEqual(expect.arrayContaining(['制定协商计划', '我已经联系过了']));
  });

  it('EN: "where am I" after two progress reports marks Compromise and only it', async () => {
    await chat.say('I have called them');
    await chat.say('I have submitted my request');

    const turn = await chat.say('where am I');

    expect(turn.text).toContain('You are at the “Compromise” stage:');
    expect(turn.text).toContain('Planning → First contact → Making demands → 【Compromise】 → Agreement');
    expect(turn.text.match(/【/g)).toHaveLength(1);
  });

  it('ZH: /status and the 我到哪一步了 button give the same map', async () => {
    await chat.say('支付宝拒绝了我');
    await chat.say('取消');

    const command = await chat.say('/status');
    const typed = await chat.say('我到哪一步了');

    expect(command.text).toContain('【被拒绝】');
    expect(typed.text).toBe(command.text);
  });
});

describe('progress reports move the stage', () => {
  it('ZH: "我已经联系过了" → making demands, announced, with the next actions', async () => {
    const turn = await chat.say('我已经联系过了');

    expect(turn.summary.stage).toBe('making_demands');
    expect(turn.text).toContain('好，记下了：你现在在「提出要求」阶段。');
    expect(turn.actions).toEqual(expect.arrayContaining(['我已提出要求', '谈成了', '被拒绝了怎么办']));
  });

  it('EN: "I\'ve called them" → making demands', async () => {
    const turn = await chat.say("I've called them");

    expect(turn.summary.stage).toBe('making_demands');
    expect(turn.text).toContain('Noted — you are now at the “Making demands” stage.');
  });

  it('ZH: the same report twice does not move back or repeat; it says the step does not apply now', async () => {
    await chat.say('我已经联系过了');

    const again = await chat.say('我已经联系过了');

    expect(again.summary.stage).toBe('making_demands');
    expect(again.text).toBe('按你现在的阶段，这一步还用不上。看看现在能做的：');
  });

  it.each(["I've contacted their help desk many times with no result", '我已经打了好几次电话了，都没人理'])(
    '"%s" is a complaint, not a step forward: the stage stays',
    async (text) => {
      const turn = await chat.say(text);

      expect(turn.summary.stage).toBe('planning');
      expect(await chat.storedStage()).toBe('planning');
    },
  );

  it('ZH: a question about contacting is not a report', async () => {
    const turn = await chat.say('我该怎么联系支付宝？');

    expect(turn.summary.stage).toBe('planning');
    expect(turn.text).not.toContain('好，记下了');
  });

  it('EN: a report persists: a new runtime on the same store still has the stage', async () => {
    const storage = new MemoryStorage();
    const first = await dialogChat({ storage });
    others.push(first);
    await first.say("I've called them");

    const second = await dialogChat({ storage });
    others.push(second);
    expect(await second.storedStage()).toBe('making_demands');
    expect((await second.say('where am I')).text).toContain('【Making demands】');
  });
});

describe('language switches persist for the user', () => {
  it('"/lang en" → English replies even to Chinese messages, until "说中文"', async () => {
    const switched = await chat.say('/lang en');
    expect(switched.text).toBe("OK, I'll reply in English from now on.");
    expect(switched.summary.lang).toBe('en');

    const zhQuestion = await chat.say('我现在到哪一步了');
    expect(zhQuestion.summary.lang).toBe('en');
    expect(zhQuestion.text).toContain('You are at the “Planning” stage');

    const back = await chat.say('说中文');
    expect(back.text).toBe('好的，之后我用中文回复。');
    expect((await chat.say('where am I')).text).toContain('你现在在「制定计划」阶段');
  });

  it('"English please" is stored as the user’s choice', async () => {
    await chat.say('English please');

    expect((await chat.storedProfile())?.lang).toBe('en');
    expect((await chat.say('手续费太高了')).summary.lang).toBe('en');
  });

  it('the choice survives a restart of the process', async () => {
    const storage = new MemoryStorage();
    const first = await dialogChat({ storage });
    others.push(first);
    await first.say('English please');

    const second = await dialogChat({ storage });
    others.push(second);
    const turn = await second.say('支付宝拒绝了我');
    expect(turn.summary.lang).toBe('en');
    expect(turn.actions).toEqual(['Keep talking', 'Look at alternatives', 'Third-party mediation']);
  });

  it('a switch mid-flow changes the language of the pending question’s next answer', async () => {
    await chat.say('帮我算算店里的手续费');

    const switched = await chat.say('/lang en');
    expect(switched.replies[0]?.text).toBe("OK, I'll reply in English from now on.");
    expect(switched.summary.mode).toBe('fee_calc');

    const result = await chat.say('10万');
    expect(result.summary.lang).toBe('en');
    expect(result.text).toContain('What is your current rate?');
  });

  it('/lang without a valid language explains the usage and changes nothing', async () => {
    await chat.say('hello');

    const turn = await chat.say('/lang fr');

    expect(turn.text).toBe('Usage: /lang zh or /lang en');
    expect((await chat.storedProfile())?.lang).toBeUndefined();
  });
});

describe('help and cancel anywhere', () => {
  it('ZH: /help with nothing running lists the commands and the quick starts', async () => {
    const turn = await chat.say('/help');

    expect(turn.text).toContain('命令：/help');
    expect(turn.actions).toEqual(
      expect.arrayContaining(['制定协商计划', '模拟练习', '算手续费', '被拒绝了怎么办']),
    );
  });

  it.each([
    ['帮我做个计划', 'plan'],
    ['帮我算算手续费', 'fee_calc'],
    ['我想模拟练习一下', 'roleplay'],
    ['我的申请没通过', 'refusal'],
  ])('ZH: /help in the middle of "%s" keeps the %s flow running', async (start, mode) => {
    await chat.say(start);

    const help = await chat.say('/help');

    expect(help.replies[0]?.text).toContain('命令：/help');
    expect(help.summary.mode).toBe(mode);
  });

  it.each([
    ['help me make a plan', 'plan'],
    ['calculate my fees', 'fee_calc'],
    ['I want to practise a role-play', 'roleplay'],
  ])('EN: "cancel" in the middle of "%s" stops it', async (start, mode) => {
    expect((await chat.say(start)).summary.mode).toBe(mode);

    const stop = await chat.say('cancel');

    expect(stop.text).toBe('OK, stopped.');
    expect(stop.summary.mode).toBe('coach');
  });

  it.each([
    ['cancel', 'Nothing is running right now.'],
    ['取消', '现在没有进行中的事情。'],
  ])('"%s" with nothing running says so and offers the quick starts', async (text, said) => {
    const turn = await chat.say(text);

    expect(turn.text).toContain(said);
    expect(turn.actions).toHaveLength(4);
    expect(turn.text).not.toContain('did you mean');
  });

  it('ZH: an unknown command says which commands exist', async () => {
    const turn = await chat.say('/foo');

    expect(turn.text).toBe(
      '没有这个命令。可用：/help /plan /roleplay /calc /end /status /lang /link /reset /quit',
    );
  });
});

describe('flow commands (listed by /help and by Slack’s /coach)', () => {
  it.each([
    ['/plan', 'plan'],
    ['/roleplay', 'roleplay'],
    ['/calc', 'fee_calc'],
  ])('"%s" starts the %s flow', async (text, mode) => {
    const turn = await chat.say(text);

    expect(turn.summary.mode).toBe(mode);
    expect(turn.text).not.toContain('没有这个命令');
    expect(turn.text).not.toContain('Unknown command');
  });

  it('"/roleplay fees hard" starts the fee scene on hard without asking either', async () => {
    const turn = await chat.say('/roleplay fees hard');

    expect(turn.summary.mode).toBe('roleplay');
    expect(turn.text).toContain('模拟开始：费率谈判（困难）');
    expect(turn.actions).toEqual([]);
  });

  it('a flow command mid-plan leaves the plan for the new flow', async () => {
    await chat.say('帮我做个计划');
    const turn = await chat.say('/calc');

    expect(turn.summary.mode).toBe('fee_calc');
  });
});

describe('out of scope: an honest reply', () => {
  it('EN: says it cannot help and offers what it can do', async () => {
    const turn = await chat.say('What is the capital of France?');

    expect(turn.summary.intent).toBe('out_of_scope');
    expect(turn.text).toContain("I can't help with that — I only coach negotiations with Alipay");
    expect(turn.actions).toEqual(expect.arrayContaining(['Help', 'Make a plan']));
    expect(turn.summary.stage).toBe('planning');
  });

  it('EN: a how-to question about Alipay itself names who answers it and offers the three problems', async () => {
    const turn = await chat.say('how do I turn on dark mode in Alipay');

    expect(turn.summary.intent).toBe('out_of_scope');
    expect(turn.text).toContain('95188');
    expect(turn.text).not.toContain("I can't help with that");
    expect(turn.actions).toEqual([
      'A fee problem',
      'An account security problem',
      'A customer service problem',
      'Help',
    ]);

    const next = await chat.say('A fee problem');
    expect(next.summary.intent).toBe('fees');
  });

  it('ZH: the same in traditional characters, answered in traditional characters', async () => {
    const turn = await chat.say('支付寶的螞蟻森林怎麼種樹');

    expect(turn.summary.intent).toBe('out_of_scope');
    expect(turn.text).toContain('「我的客服」或95188');
    expect(turn.text).toContain('支付寶');
    expect(turn.actions).toContain('賬戶安全問題');
  });

  it('ZH: 天气 gets the honest reply in Chinese and does not touch the stage', async () => {
    await chat.say('我已经联系过了');

    const turn = await chat.say('明天北京天气怎么样');

    expect(turn.text).toContain('这个我帮不上忙');
    expect(turn.summary.stage).toBe('making_demands');
  });
});
