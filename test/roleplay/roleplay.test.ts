/**
 * Role-play sessions through the real bot (testChat: the real dialogs, NLU, skill model and
 * knowledge base on an in-memory store): a good negotiator and a hostile one in Chinese and
 * English, ending early, resuming after a restart, the last debrief kept per user, the debrief
 * shape of CONTRACTS section 8, seeded lines. The debrief built from kept turns is in debrief.test.ts.
 */
import type { Lang } from '../../src/knowledge/schema';
import type { Debrief } from '../../src/roleplay/debrief';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { testChat, type Said, type TestChat } from '../helpers/runtime';

const START = 0.6; // the rehearsal's default current rate for a user with no facts
const TARGET = 0.38;

const open: TestChat[] = [];
async function chat(options: Parameters<typeof testChat>[0]): Promise<TestChat> {
  const c = await testChat(options);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.runtime.close();
});

/** The debrief the bot reported this turn, if any. */
function debriefOf(said: Said): Debrief | undefined {
  return said.turn.summary?.debrief as Debrief | undefined;
}

/** Says each line; returns every turn. */
async function play(c: TestChat, lines: string[]): Promise<Said[]> {
  const out: Said[] = [];
  for (const line of lines) out.push(await c.say(line));
  return out;
}

/** The one debrief of a session: exactly one turn reports it, and it is the last one. */
function finalDebrief(turns: Said[]): Debrief {
  const withDebrief = turns.filter((t) => debriefOf(t) !== undefined);
  expect(withDebrief).toHaveLength(1);
  expect(turns[turns.length - 1]).toBe(withDebrief[0]);
  return debriefOf(withDebrief[0]!)!;
}

function expectContractShape(d: Debrief): void {
  expect(['fees', 'security', 'service']).toContain(d.scenario);
  expect(['easy', 'normal', 'hard']).toContain(d.difficulty);
  expect(['agreement', 'impasse', 'abandoned']).toContain(d.outcome);
  expect(Number.isInteger(d.score)).toBe(true);
  expect(d.score).toBeGreaterThanOrEqual(0);
  expect(d.score).toBeLessThanOrEqual(100);
  expect(Object.keys(d.skills).sort()).toEqual(
    ['cases', 'data', 'flexibility', 'joint_solution', 'mutual_benefit', 'respect'].sort(),
  );
  for (const v of Object.values(d.skills)) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  if (d.scenario === 'fees' && d.outcome === 'agreement') expect(typeof d.finalRate).toBe('number');
  else expect(d.finalRate).toBeNull();
  expect(Number.isInteger(d.turns)).toBe(true);
  // It survives JSON (the JSON line protocol prints it).
  expect(JSON.parse(JSON.stringify(d))).toEqual(d);
}

const GOOD: Record<Lang, string[]> = {
  zh: [
    '我想练习一下和支付宝谈费率，难度普通',
    '您好，感谢您接电话，我是开社区水果店的，想和您聊聊费率。',
    '我店里每个月走支付宝的流水有12万左右，按现在0.6%的费率，每月手续费720元。',
    '云闪付的业务员给我报了0.35%，旁边几家同行也都拿到了更低的费率。',
    '我用支付宝五年了，费率合适的话我会一直把主要收款留在支付宝，对双方都是双赢。',
    '我提议先按0.42%试行一个季度，到期根据流水再评估。',
    '好的，这个折中的费率我可以接受，就按这个来。',
  ],
  en: [
    "I'd like to rehearse a fee negotiation with Alipay, normal difficulty",
    'Hello, thanks for taking my call. I run a small noodle shop and would like to talk about my rate.',
    'We take about 120,000 yuan a month through Alipay, and at 0.6% that is 720 yuan in fees every month.',
    'UnionPay has quoted me 0.35%, and a couple of other merchants on my street got lower rates too.',
    "I've been with Alipay for five years; with a fair rate I'll keep most of my takings on Alipay, which is good for both of us.",
    'I propose a trial at 0.42% for one quarter, and we review it against my volume at the end.',
    "That's a fair middle, I accept your offer.",
  ],
};

const HOSTILE: Record<Lang, string[]> = {
  zh: [
    '来练一下谈费率，普通难度',
    '你们这帮吸血鬼，赶紧给我降！',
    '少废话，今天之内必须降，否则我就换微信！',
    '垃圾平台，立刻给我降！',
  ],
  en: [
    'roleplay a fee negotiation, normal',
    'You crooks are ripping me off, cut my fees!',
    'Do it right now or else, this is your last chance!',
    'Useless garbage, lower it immediately!',
  ],
};

describe('rates the user only quotes are not asks', () => {
  // The current rate given as data, after a first offer, is not a request to settle at it.
  it('zh: quoting the current 0.6% after an offer does not close a deal at 0.6%', async () => {
    const c = await chat({ lang: 'zh', seed: 3 });
    const turns = await play(c, [
      '我想练习一下和支付宝谈费率，难度普通',
      '您好，谢谢您。',
      '云闪付给我报了0.35%，隔壁同行也拿到了更低的费率。',
      '我们每个月流水有10万，现在的费率是0.6%。',
    ]);
    const last = turns[turns.length - 1]!;
    expect(last.turn.summary?.mode).toBe('roleplay');
    expect(last.text).not.toContain('那就这么定了');
  });
});

describe('a well-prepared negotiator on normal', () => {
  it.each(['zh', 'en'] as const)(
    '%s: reaches agreement at a rate between target and start, score ≥ 60',
    async (lang) => {
      const c = await chat({ lang, seed: 11 });
      const turns = await play(c, GOOD[lang]);
      expect(turns[0]!.turn.summary?.mode).toBe('roleplay');
      for (const t of turns.slice(1, -1)) expect(t.turn.summary?.mode).toBe('roleplay');
      const d = finalDebrief(turns);
      expectContractShape(d);
      expect(d).toMatchObject({ scenario: 'fees', difficulty: 'normal', outcome: 'agreement' });
      expect(d.score).toBeGreaterThanOrEqual(60);
      expect(d.finalRate).not.toBeNull();
      expect(d.finalRate!).toBeGreaterThanOrEqual(TARGET);
      expect(d.finalRate!).toBeLessThan(START);
      expect(d.turns).toBe(GOOD[lang].length - 1);
      // Every strategy shown is credited with the user's own sentence.
      for (const skill of ['data', 'cases', 'mutual_benefit', 'joint_solution', 'respect'] as const) {
        expect(d.skills[skill]).toBeGreaterThan(0.5);
        expect(GOOD[lang].some((l) => l.includes(d.quotes[skill]!.replace(/…$/, '')))).toBe(true);
      }
      expect(d.quotes.cases).toContain('0.35%');
      // The user reads the agreed rate and the outcome, and is back with the coach.
      const last = turns[turns.length - 1]!;
      const rate = `${d.finalRate}%`;
      expect(last.text).toContain(rate);
      expect(last.text).toContain(lang === 'zh' ? '达成协议' : 'Agreement');
      expect(last.turn.summary?.mode).toBe('coach');
    },
  );

  it('quotes the offers the representative made along the way, each lower than the last', async () => {
    const c = await chat({ lang: 'en', seed: 4 });
    const turns = await play(c, GOOD.en);
    // The representative's replies before the deal, without the user's own rates said back.
    const users = new Set(
      GOOD.en.flatMap((l) => [...l.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]))),
    );
    const offers = turns
      .slice(1, -1)
      .flatMap((t) => [...t.text.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1])))
      .filter((r) => r > TARGET && r < START && !users.has(r));
    expect(new Set(offers).size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < offers.length; i++) expect(offers[i]!).toBeLessThanOrEqual(offers[i - 1]!);
    expect(finalDebrief(turns).finalRate).toBe(offers[offers.length - 1]);
  });
});

describe('a hostile negotiator with no data and ultimatums', () => {
  it.each(['zh', 'en'] as const)('%s: ends in impasse or abandoned with score ≤ 40', async (lang) => {
    const c = await chat({ lang, seed: 12 });
    const turns = await play(c, HOSTILE[lang]);
    let d = turns.map(debriefOf).find((x) => x !== undefined);
    if (!d) d = debriefOf(await c.say(lang === 'zh' ? '结束' : 'end'));
    expect(d).toBeDefined();
    expectContractShape(d!);
    expect(['impasse', 'abandoned']).toContain(d!.outcome);
    expect(d!.score).toBeLessThanOrEqual(40);
    expect(d!.finalRate).toBeNull();
    expect(d!.skills.respect).toBe(0);
    // The debrief gives concrete things to try next time.
    expect(d!.tips.length).toBeGreaterThanOrEqual(2);
  });

  it('loses patience with insults sooner than with a polite user saying the same little', async () => {
    const rude = await chat({ lang: 'en', seed: 2, user: 'rude' });
    const rudeTurns = await play(rude, [
      'roleplay a fee negotiation, normal',
      'You clowns, cut my fees!',
      'You clowns, cut my fees!',
      'You clowns, cut my fees!',
      'You clowns, cut my fees!',
    ]);
    const polite = await chat({ lang: 'en', seed: 2, user: 'polite' });
    const politeTurns = await play(polite, [
      'roleplay a fee negotiation, normal',
      'Hello, could you please look at my rate?',
      'Hello, could you please look at my rate?',
      'Hello, could you please look at my rate?',
      'Hello, could you please look at my rate?',
    ]);
    expect(rudeTurns.map(debriefOf).find((d) => d)?.outcome).toBe('impasse');
    expect(politeTurns.every((t) => debriefOf(t) === undefined)).toBe(true);
    expect(politeTurns[politeTurns.length - 1]!.turn.summary?.mode).toBe('roleplay');
  });
});

describe('ending early', () => {
  it.each([
    ['zh', '模拟练习 账户冻结 简单', '您好，我的账户昨天突然不能收款了，想问一下原因。', '结束', 'security'],
    [
      'en',
      'role-play the ignored complaint, easy',
      'Hi, I filed a complaint about a refund two weeks ago.',
      'end',
      'service',
    ],
    ['en', 'practise a fee negotiation, hard', 'Hello, I would like a lower rate, please.', '/end', 'fees'],
  ] as const)(
    '%s: "%s" … "%s" gives an abandoned debrief',
    async (lang, startLine, move, endWord, scenario) => {
      const c = await chat({ lang, seed: 13 });
      const turns = await play(c, [startLine, move]);
      expect(turns[1]!.turn.summary?.mode).toBe('roleplay');
      const ended = await c.say(endWord);
      const d = debriefOf(ended);
      expect(d).toBeDefined();
      expectContractShape(d!);
      expect(d).toMatchObject({ scenario, outcome: 'abandoned', turns: 1, finalRate: null });
      expect(ended.text).toContain(lang === 'zh' ? '提前结束' : 'Ended early');
      expect(ended.turn.summary?.mode).toBe('coach');
      // The scene is over: the next message is not another move.
      const after = await c.say(lang === 'zh' ? '我想问问手续费怎么算' : 'how are fees calculated?');
      expect(after.turn.summary?.mode).not.toBe('roleplay');
      expect(debriefOf(after)).toBeUndefined();
    },
  );

  it('ending before saying anything still gives a debrief of zero turns', async () => {
    const c = await chat({ lang: 'zh', seed: 14 });
    await c.say('练习一下费率谈判，简单');
    const d = debriefOf(await c.say('结束'));
    expect(d).toMatchObject({ outcome: 'abandoned', turns: 0 });
  });
});

describe('resuming after a restart', () => {
  it('continues the scene on a new runtime over the same store and counts every turn', async () => {
    const storage = new MemoryStorage();
    const first = await testChat({ lang: 'zh', seed: 21, storage, user: 'merchant-7' });
    const before = await play(first, [
      '我想模拟一下降费率的谈判，简单难度',
      '您好，打扰了。我们店每个月支付宝流水大概8万元，目前费率0.6%。',
      '拉卡拉那边给我的报价是0.38%，隔壁店也拿到过优惠。',
    ]);
    expect(before.every((t) => debriefOf(t) === undefined)).toBe(true);
    await first.runtime.close();

    const second = await chat({ lang: 'zh', seed: 22, storage, user: 'merchant-7' });
    const resumed = await second.say('好的，这个费率我接受，就按这个来。');
    expect(resumed.turn.summary?.mode).toBe('coach');
    const d = debriefOf(resumed);
    expect(d).toBeDefined();
    expectContractShape(d!);
    expect(d).toMatchObject({ scenario: 'fees', difficulty: 'easy', outcome: 'agreement', turns: 3 });
    // What was said before the restart still counts, with the user's own words.
    expect(d!.skills.data).toBeGreaterThan(0.5);
    expect(d!.quotes.data).toContain('8万');
    expect(d!.skills.cases).toBeGreaterThan(0.5);
  });

  it('an abandoned scene after a restart counts the turns on both sides of it', async () => {
    const storage = new MemoryStorage();
    const first = await testChat({ lang: 'en', seed: 23, storage });
    await play(first, [
      'role-play: frozen account, easy',
      'Hello, my account was restricted on 3 March and I have the ticket number 88812.',
    ]);
    await first.runtime.close();
    const second = await chat({ lang: 'en', seed: 23, storage });
    const move = await second.say(
      'Under the anti-fraud law you must tell me the reason and how to appeal, please.',
    );
    expect(move.turn.summary?.mode).toBe('roleplay');
    expect(move.text).not.toMatch(/start a new one/i);
    const d = debriefOf(await second.say('/end'));
    expect(d).toMatchObject({ scenario: 'security', outcome: 'abandoned', turns: 2 });
  });
});

describe('the last practice', () => {
  it('keeps the last debrief per user, in zh and en', async () => {
    const storage = new MemoryStorage();
    const zh = await chat({ lang: 'zh', seed: 31, storage, user: 'shop-a' });
    await play(zh, ['模拟练习 投诉没人管 简单', '您好，我上个月的退款到现在都没到账。']);
    const ended = await zh.say('结束');
    expect(debriefOf(ended)?.outcome).toBe('abandoned');
    const again = await zh.say('上次练习');
    expect(again.text).toContain('提前结束');
    expect(again.text).toContain(`${debriefOf(ended)!.score}/100`);

    const other = await chat({ lang: 'en', seed: 31, storage, user: 'shop-b' });
    const none = await other.say('last practice');
    expect(none.text).toMatch(/haven't practised/i);
    expect(none.text).not.toContain('Debrief');
  });

  it.each([
    ['show my last debrief', 'en'],
    ['my previous practice?', 'en'],
    ['/last', 'en'],
    ['看看我上次的练习成绩', 'zh'],
    ['上一次模拟的点评呢', 'zh'],
  ] as const)('"%s" shows the kept debrief too', async (ask, lang) => {
    const c = await chat({ lang, seed: 33 });
    await play(c, ['roleplay a fee negotiation, easy', 'Hello, please help me with my rate.']);
    const ended = await c.say('end');
    const shown = await c.say(ask);
    expect(shown.text).toContain(`${debriefOf(ended)!.score}/100`);
  });

  it('replaces the kept debrief with the newer one', async () => {
    const c = await chat({ lang: 'en', seed: 32 });
    await play(c, ['roleplay a fee negotiation, easy', 'Hello, please help me with my rate.', 'end']);
    await play(c, HOSTILE.en);
    const last = await c.say('last practice');
    expect(last.text).toContain('Impasse');
    expect(last.text).not.toContain('Ended early');
  });
});

describe('seeded lines', () => {
  const script = [
    'roleplay a fee negotiation, normal',
    'Hello, thanks for your time.',
    'We take about 90,000 yuan a month through Alipay.',
    'WeChat Pay offered me 0.38%.',
    'end',
  ];
  const transcript = async (seed: number, user: string): Promise<string[]> => {
    const c = await chat({ lang: 'en', seed, user });
    return (await play(c, script)).map((t) => t.text);
  };

  it('the same seed gives the same representative lines', async () => {
    expect(await transcript(7, 'a')).toEqual(await transcript(7, 'b'));
  });

  it('different seeds usually give different lines', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => transcript(seed, `s${seed}`)));
    expect(new Set(runs.map((r) => r.join('\n'))).size).toBeGreaterThan(1);
  });
});
