/**
 * Tactic detection for the role-play (src/roleplay/tactics.ts) with the real NLU and the real
 * cue words from knowledge/tactics.yaml, on sentences a merchant might type in simplified
 * Chinese, traditional Chinese and English: each sentence must show the moves it makes
 * (multi-label) and must not be read as hostile or as an ultimatum when it is neither.
 */
import type { Lang, Scenario, Tactic } from '../../src/knowledge/schema';
import { createLogger } from '../../src/log/logger';
import { TacticDetector, type TurnAnalysis } from '../../src/roleplay/tactics';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';

let runtime: CoachRuntime;
let detector: TacticDetector;

beforeAll(async () => {
  runtime = await createApp({
    storage: new MemoryStorage(),
    seed: 3,
    logger: createLogger({}, 'error'),
  });
  detector = new TacticDetector(runtime.deps.kb.bundle.tactics);
});

afterAll(async () => {
  await runtime.close();
});

function analyze(text: string, lang: Lang, scenario: Scenario = 'fees'): TurnAnalysis {
  return detector.analyze(text, runtime.deps.nlu.analyze(text, lang), scenario);
}

const shown = (a: TurnAnalysis): Tactic[] =>
  (Object.keys(a.tactics) as Tactic[]).filter((t) => (a.tactics[t] ?? 0) > 0);

/** Moves that would cost the user patience or score if wrongly detected. */
const NEGATIVE: Tactic[] = ['hostility', 'ultimatum', 'demand'];

interface Case {
  text: string;
  lang: Lang;
  /** Tactics that must be detected at full strength. */
  full: Tactic[];
  /** Tactics that must not be detected at all. */
  not?: Tactic[];
  rates?: number[];
}

const CASES: Case[] = [
  // Data with real numbers.
  {
    text: '我们店每个月在支付宝的流水大概8万元，按0.6%算，一个月手续费要交480元。',
    lang: 'zh',
    full: ['data'],
    not: NEGATIVE,
    rates: [0.6],
  },
  {
    text: '我們店每個月的營業額大概12萬，手續費一年下來要八千多。',
    lang: 'zh',
    full: ['data'],
    not: NEGATIVE,
  },
  {
    text: 'Our monthly volume through Alipay is about 150,000 yuan and we pay 0.6% on it.',
    lang: 'en',
    full: ['data'],
    not: NEGATIVE,
    rates: [0.6],
  },
  // A competitor's quote: a case and a credible alternative.
  {
    text: '云闪付那边给我报了0.35%，比你们低不少。',
    lang: 'zh',
    full: ['case', 'batna'],
    not: NEGATIVE,
    rates: [0.35],
  },
  { text: '雲閃付給我的報價是0.35%。', lang: 'zh', full: ['case', 'batna'], not: NEGATIVE, rates: [0.35] },
  {
    text: 'UnionPay quoted me 0.35%, which is well below what I pay you.',
    lang: 'en',
    full: ['case', 'batna'],
    not: NEGATIVE,
    rates: [0.35],
  },
  // Common interest.
  {
    text: '费率合适的话，我会继续把主要收款放在支付宝，这对双方都是好事。',
    lang: 'zh',
    full: ['mutual'],
    not: [...NEGATIVE, 'batna'],
  },
  {
    text: "If the rate is fair I'll keep all my payments on Alipay, it's good for both of us.",
    lang: 'en',
    full: ['mutual'],
    not: NEGATIVE,
  },
  // A joint solution with terms.
  {
    text: '能不能先按0.45%试行三个月，到期再根据流水评估？',
    lang: 'zh',
    full: ['joint'],
    not: NEGATIVE,
    rates: [0.45],
  },
  {
    text: '可不可以先試行一個季度，按0.45%收，到期再評估？',
    lang: 'zh',
    full: ['joint'],
    not: NEGATIVE,
    rates: [0.45],
  },
  {
    text: 'How about a three-month trial at 0.45%, and we review it after?',
    lang: 'en',
    full: ['joint'],
    not: NEGATIVE,
    rates: [0.45],
  },
  // Respect.
  { text: '您好，辛苦您了，谢谢您抽时间听我说。', lang: 'zh', full: ['respect'], not: NEGATIVE },
  { text: '您好，麻煩您了，非常感謝。', lang: 'zh', full: ['respect'], not: NEGATIVE },
  {
    text: 'Thank you for taking the time, I appreciate your help.',
    lang: 'en',
    full: ['respect'],
    not: NEGATIVE,
  },
  // Flexibility.
  { text: '0.5%的话我也可以接受，不一定非要0.38%。', lang: 'zh', full: ['flexibility'], not: NEGATIVE },
  {
    text: "I'm flexible, I could accept something in the middle.",
    lang: 'en',
    full: ['flexibility'],
    not: NEGATIVE,
  },
  // A credible alternative.
  { text: '如果谈不拢，我就把收款换到微信支付。', lang: 'zh', full: ['batna'], not: ['hostility'] },
  {
    text: "If we can't agree I'll switch my payments to WeChat Pay.",
    lang: 'en',
    full: ['batna'],
    not: NEGATIVE,
  },
  // A credible escalation.
  {
    text: '这个问题解决不了，我会向人民银行投诉，也会打12363。',
    lang: 'zh',
    full: ['escalation'],
    not: ['hostility'],
  },
  { text: '再不處理，我就向人民銀行反映。', lang: 'zh', full: ['escalation'], not: ['hostility'] },
  {
    text: 'If this is not resolved I will complain to the PBOC and the regulator.',
    lang: 'en',
    full: ['escalation'],
    not: ['hostility'],
  },
  // Hostility.
  { text: '你们这帮吸血的骗子，太黑心了！', lang: 'zh', full: ['hostility'], not: ['respect'] },
  { text: '你們這幫騙子，真不要臉！', lang: 'zh', full: ['hostility'], not: ['respect'] },
  { text: 'You bunch of thieves, this is a rip-off!', lang: 'en', full: ['hostility'], not: ['respect'] },
  // A vague demand.
  { text: '给我降点吧。', lang: 'zh', full: ['demand'], not: ['data', 'case', 'hostility'] },
  { text: 'Just make it cheaper.', lang: 'en', full: ['demand'], not: ['data', 'case', 'hostility'] },
  // Ultimatums.
  { text: '今天之内必须给我降，否则我就走。', lang: 'zh', full: ['ultimatum'], not: ['respect', 'data'] },
  {
    text: 'Lower it right now or I walk, final warning.',
    lang: 'en',
    full: ['ultimatum'],
    not: ['respect', 'data'],
  },
];

describe('tactic detection on realistic sentences', () => {
  it.each(CASES.map((c) => [c.text, c] as const))('%s', (_text, c) => {
    const a = analyze(c.text, c.lang);
    for (const t of c.full) expect({ tactic: t, strength: a.tactics[t] }).toEqual({ tactic: t, strength: 1 });
    for (const t of c.not ?? [])
      expect({ tactic: t, shown: shown(a).includes(t) }).toEqual({ tactic: t, shown: false });
    if (c.rates) expect(a.rates).toEqual(c.rates);
  });
});

describe('multi-label', () => {
  it('finds every move in a sentence that makes several', () => {
    const a = analyze(
      '您好，我每月流水10万，云闪付给我报了0.35%，如果能先按0.45%试行一个季度，我会继续用支付宝做主要收款。',
      'zh',
    );
    expect(shown(a)).toEqual(expect.arrayContaining(['respect', 'data', 'case', 'joint', 'mutual']));
    expect(shown(a)).not.toEqual(expect.arrayContaining(['hostility']));
    expect(a.rates).toEqual(expect.arrayContaining([0.35, 0.45]));
  });

  it('reads a hostile ultimatum as both', () => {
    const a = analyze('You scammers, cut it immediately or else I go to WeChat!', 'en');
    expect(shown(a)).toEqual(expect.arrayContaining(['hostility', 'ultimatum']));
    expect(shown(a)).not.toContain('respect');
  });

  it('does not credit politeness in a hostile message', () => {
    const a = analyze('谢谢你们这帮骗子。', 'zh');
    expect(a.tactics.hostility).toBe(1);
    expect(a.tactics.respect).toBeUndefined();
  });

  it('treats shouting as hostile even without insults', () => {
    expect(analyze('LOWER MY FEES TODAY, I AM DONE WAITING', 'en').tactics.hostility).toBe(1);
    expect(analyze('降费率！！！', 'zh').tactics.hostility).toBe(1);
  });
});

describe('strength and context', () => {
  it('counts data words without numbers only half', () => {
    expect(analyze('我有流水的统计和截图。', 'zh').tactics.data).toBe(0.5);
    expect(analyze('I have my monthly statements.', 'en').tactics.data).toBe(0.5);
  });

  it('counts a regulator as a credible escalation, a vague complaint only half', () => {
    expect(analyze('我要找你们经理。', 'zh').tactics.escalation).toBe(0.5);
    expect(analyze('我会打12363反映这个问题。', 'zh').tactics.escalation).toBe(1);
  });

  it('does not call a demand vague when it comes with numbers or reasons', () => {
    const a = analyze('请把费率降到0.45%，我每月流水有10万。', 'zh');
    expect(a.tactics.demand).toBeUndefined();
    expect(a.tactics.data).toBe(1);
  });

  it('recognises a plain yes as accepting, but not a question', () => {
    expect(analyze('好的', 'zh').tactics.accept).toBe(1);
    expect(analyze('ok, deal', 'en').tactics.accept).toBe(1);
    expect(analyze('这个方案可以接受吗？', 'zh').tactics.accept).toBeUndefined();
  });

  it('recognises turning an offer down', () => {
    const a = analyze('0.55%还是太高了，不能接受。', 'zh');
    expect(a.tactics.reject).toBe(1);
    expect(a.tactics.accept).toBeUndefined();
  });

  it('marks questions', () => {
    expect(analyze('能不能再降一点？', 'zh').question).toBe(true);
    expect(analyze('Could you do 0.45%?', 'en').question).toBe(true);
    expect(analyze('我想要0.45%。', 'zh').question).toBe(false);
  });

  it('works without an NLU reading (cue words only)', () => {
    const a = detector.analyze('谢谢您，云闪付给我报价0.35%。', null, 'fees');
    expect(a.tactics.respect).toBe(1);
    expect(a.tactics.case).toBe(1);
    expect(a.rates).toEqual([]);
  });
});

describe('neutral sentences', () => {
  const NEUTRAL: [string, Lang][] = [
    ['我想了解一下现在的费率是怎么算的。', 'zh'],
    ['我的店在杭州，主要卖早餐。', 'zh'],
    ['我們是一家做外賣的小店。', 'zh'],
    ['Can you tell me how my current rate is calculated?', 'en'],
    ['I run a small bakery near the station.', 'en'],
    ['My account shows the rate since last spring.', 'en'],
  ];

  it.each(NEUTRAL)('%s: nothing hostile, no ultimatum, no vague demand', (text, lang) => {
    const a = analyze(text, lang);
    for (const t of NEGATIVE) expect(a.tactics[t]).toBeUndefined();
    expect(a.tactics.accept).toBeUndefined();
  });

  it('a security scenario sentence shows evidence without hostility', () => {
    const a = analyze('我的账户3月5日被冻结，工单号是20240305001，我有截图。', 'zh', 'security');
    expect(a.tactics.data).toBe(1);
    expect(a.tactics.hostility).toBeUndefined();
  });
});
