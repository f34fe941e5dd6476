/**
 * The coach's knowledge answers (dialogs/coachDialog.ts and src/coach/coaching.ts, reached
 * through the main dialog) via the real bot: answers come with next-action buttons for the
 * user's stage, "详细" / "More" gives the long version of the last answer, a clarifying question
 * with the problems as buttons when the answer depends on an unknown problem, and — when the
 * two best readings of a message are close — both offered as buttons.
 */
import { chatPerTest, type DialogChat } from './dialogChat';

const ASK_WHICH = {
  zh: '你遇到的是哪一类问题？不同问题，下一步不一样：',
  en: 'Which problem is it? The next step differs for each:',
} as const;

let chat: DialogChat;
chatPerTest((c) => (chat = c));

describe('answers with next-action buttons', () => {
  it('ZH: a fee question gets the fee coaching with "详细", its follow-ups and the planning stage’s actions', async () => {
    const turn = await chat.say('手续费太高了');

    expect(turn.summary.intent).toBe('fees');
    expect(turn.text).toContain('0.6%');
    expect(turn.text).toMatch(/📎 依据：/);
    expect(turn.actions[0]).toBe('详细');
    expect(turn.actions).toEqual(expect.arrayContaining(['制定协商计划', '算手续费']));
    expect(turn.actions.length).toBeLessThanOrEqual(6);
  });

  it('EN: the buttons follow the user’s stage (after a refusal they are the three branches)', async () => {
    await chat.say('Alipay turned down my request');
    await chat.say('cancel');

    const turn = await chat.say('how do I contact Alipay?');

    expect(turn.summary.intent).toBe('contact');
    expect(turn.actions).toEqual(expect.arrayContaining(['Keep talking', 'Look at alternatives']));
    expect(turn.actions).not.toContain('Make a plan');
  });

  it('ZH: a follow-up button is a real answer: clicking it shows that topic', async () => {
    const turn = await chat.say('怎么联系支付宝？');
    expect(turn.actions).toContain('开场话术');

    const template = await chat.click('开场话术');

    expect(template.text).toContain('📝');
    expect(template.text).not.toBe(turn.text);
  });
});

describe('"详细" / "More": the long version', () => {
  it('ZH: 详细 after an answer gives the long version with its title in 【】 and all sources', async () => {
    const short = await chat.say('怎么联系支付宝？');

    const long = await chat.click('详细');

    expect(long.text).toMatch(/^【.+】\n/);
    expect(long.text).not.toBe(short.text);
    expect(long.text.length).toBeGreaterThan(short.text.length);
    expect(long.actions).not.toContain('详细');
  });

  it('EN: More after the principles answer goes deeper on the same topic', async () => {
    await chat.say('what principles should I stick to when negotiating');

    const more = await chat.click('More');

    expect(more.text).toContain('【Respect, fairness, mutual benefit: what they sound like】');
    expect(more.text).toContain('Common pitfalls');
  });

  it('ZH: 详细 with nothing said yet asks what to go into, with the stage’s actions', async () => {
    const turn = await chat.say('详细');

    expect(turn.text).toBe('想详细了解哪方面？');
    expect(turn.actions).toEqual(expect.arrayContaining(['制定协商计划', '算手续费']));
  });
});

describe('a clarifying question when the problem matters and is unknown', () => {
  // The answer comes first (the whole ladder), then one question that makes it specific.
  const LADDER = { zh: '先找支付宝本身', en: 'Alipay itself' } as const;
  const ASK_AFTER = {
    zh: '是哪类问题？选一个，我把这个顺序说得更具体：',
    en: "Which kind of problem is it? Pick one and I'll make the ladder specific:",
  } as const;

  it('ZH: "投诉" → the ladder at once, then which problem, with the three problems as buttons; the choice sharpens it', async () => {
    const ask = await chat.say('投诉');

    expect(ask.replies[0]?.text).toContain(LADDER.zh);
    expect(ask.replies[ask.replies.length - 1]?.text).toBe(ASK_AFTER.zh);
    expect(ask.actions).toEqual(['手续费', '账户安全', '客服不处理']);

    const answer = await chat.click('账户安全');
    // The complaint ladder for account problems (mediation.security), not generic security advice.
    expect(answer.text).toMatch(/95188[\s\S]*报警[\s\S]*12363/);
    expect((await chat.storedProfile())?.issue).toBe('security');
  });

  it.each([
    ['where can I complain', 'en'],
    ['who do I complain to', 'en'],
    ['我该去哪里投诉', 'zh'],
  ] as const)('"%s" (no problem known) gives the ladder, then asks which problem', async (text, lang) => {
    const ask = await chat.say(text);

    expect(ask.replies[0]?.text).toContain(LADDER[lang]);
    expect(ask.text).not.toContain(ASK_WHICH[lang]);
    expect(ask.replies[ask.replies.length - 1]?.text).toBe(ASK_AFTER[lang]);
    expect(ask.actions).toHaveLength(3);
  });

  it('ZH: when the problem is already known, no question: the answer fits it', async () => {
    await chat.say('我的账户被冻结了');

    const turn = await chat.say('投诉');

    expect(turn.text).not.toContain(ASK_WHICH.zh);
    expect(turn.text).toContain('报警');
  });

  it('ZH: when the message itself says the problem, no question', async () => {
    const turn = await chat.say('我想投诉手续费');

    expect(turn.text).not.toContain(ASK_WHICH.zh);
    expect(turn.text).toContain('商家的费用纠纷主要走这条');
  });

  it('EN: questions that do not depend on the problem are answered straight away', async () => {
    const turn = await chat.say('what principles should I stick to when negotiating');

    expect(turn.text).not.toContain(ASK_WHICH.en);
    expect(turn.text).toContain('principles');
  });
});

describe('two close readings → both offered', () => {
  // Which two readings are closest depends on the trained model; what must hold is the shape:
  // the likelier reading is answered at once, the other offered as one button.
  it('EN: "what should I do" answers the likelier reading and offers the other as a button', async () => {
    const ask = await chat.say('what should I do');

    expect(ask.replies.length).toBeGreaterThanOrEqual(2);
    expect(ask.replies[0]?.text).not.toContain('Just to check');
    expect(ask.replies[ask.replies.length - 1]?.text).toBe('If you meant something else:');
    expect(ask.actions).toHaveLength(1);

    const other = await chat.click(ask.actions[0] ?? '');
    expect(other.text).not.toContain('If you meant something else');
    expect(other.summary.intent).not.toBe(ask.summary.intent);
  });

  it('ZH: "降费" is answered in Chinese at once, with no "did you mean" first', async () => {
    const ask = await chat.say('降费');

    expect(ask.replies[0]?.text).not.toContain('我想确认一下');
    expect(ask.replies[0]?.text).toMatch(/费/);
  });

  it('a clear question is not second-guessed', async () => {
    const turn = await chat.say('怎么联系支付宝？');

    expect(turn.text).not.toContain('我想确认一下');
  });
});
