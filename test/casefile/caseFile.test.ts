/**
 * The case file through the coach: what a message tells is kept as facts (never as the sentence),
 * a correction replaces a fact, a promised reply date is read from working days, a weekday or a
 * number of days, and /forget deletes it all.
 */
import type { UserProfile } from '../../src/state/profile';
import { testChat, type TestChat } from '../helpers/runtime';

/** Monday 2026-12-07, noon UTC: the dates below are counted from it. */
const MONDAY = Date.UTC(2026, 11, 7, 12);

let chat: TestChat;
let realNow: () => number;
beforeEach(async () => {
  realNow = Date.now;
  Date.now = () => MONDAY;
  chat = await testChat({ user: 'casefile' });
});
afterEach(async () => {
  Date.now = realNow;
  await chat.runtime.close();
});

async function profile(): Promise<UserProfile | undefined> {
  const items = await chat.storage.read(['user/terminal:casefile']);
  return (Object.values(items)[0] as { profile?: UserProfile } | undefined)?.profile;
}

describe('the case file', () => {
  it('keeps a merchant’s numbers and replaces one on a correction', async () => {
    await chat.say('我开奶茶店的，月流水6万，费率0.6%');
    expect((await profile())?.facts).toMatchObject({ monthlyVolume: 60000, currentRate: 0.6 });
    expect((await profile())?.role).toBe('merchant');
    await chat.say('不对，是8万');
    expect((await profile())?.facts.monthlyVolume).toBe(80000);
  });

  it.each([
    ['客服说3个工作日内答复，工单号A12345', '2026-12-10', 'A12345'],
    [
      'They said they will get back to me by Friday, case number 20261207-8831',
      '2026-12-11',
      '20261207-8831',
    ],
    ['客服说下周一之前给我答复，工单号B7788', '2026-12-14', 'B7788'],
    ['they opened a ticket 556677 and promised an answer within a week', '2026-12-14', '556677'],
  ])('reads the promised reply date and the case number: %s', async (text, replyBy, caseNumber) => {
    await chat.say(text);
    expect((await profile())?.facts).toMatchObject({ replyBy, caseNumber });
  });

  it('reads the case number after other words, and counts a promise from a ticket opened days ago', async () => {
    await chat.say(
      'I opened a ticket with Alipay 10 days ago about a refund, case number 2024113000123, still no reply',
    );
    expect((await profile())?.facts).toMatchObject({
      caseNumber: '2024113000123',
      contactedOn: '2026-11-27',
    });
    expect((await profile())?.role).toBeUndefined();
    await chat.say('they promised an answer within 3 working days');
    expect((await profile())?.facts.replyBy).toBe('2026-12-02');
  });

  it('keeps a neighbour’s rate as a precedent, not as the user’s rate or business', async () => {
    await chat.say('我开文具店的，月流水3万，费率0.6%');
    await chat.say('隔壁奶茶店拿到了0.38%');
    expect((await profile())?.facts).toMatchObject({ business: '文具店', currentRate: 0.6, peerRate: 0.38 });
    await chat.say('那我接受0.5%可以吗');
    expect((await profile())?.facts.currentRate).toBe(0.6);
  });

  it('keeps money held in a frozen account as the amount at stake, not as a monthly volume', async () => {
    await chat.say('我是开店的，账户冻结了，里面有5万货款转不出来');
    const facts = (await profile())?.facts;
    expect(facts?.amount).toBe(50000);
    expect(facts?.monthlyVolume).toBeUndefined();
  });

  it('never stores the user’s sentence as a fact', async () => {
    const sentence = '我有账单截图和聊天记录，还有进货单';
    await chat.say(sentence);
    const stored = JSON.stringify(await profile());
    expect(stored).not.toContain(sentence);
    expect((await profile())?.facts.evidenceKinds?.length).toBeGreaterThan(0);
  });

  it('is deleted by /forget after a yes', async () => {
    await chat.say('月流水6万，扣我0.6%');
    await chat.say('/forget');
    await chat.say('是');
    expect((await profile())?.facts.monthlyVolume).toBeUndefined();
  });
});
