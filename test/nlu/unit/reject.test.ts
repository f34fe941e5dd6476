/**
 * The out-of-scope reject (src/nlu/intentModel.ts `decide`, src/nlu/coachNlu.ts) on the shipped
 * model (generated/nlu-model*.json): off-domain messages are answered with an honest
 * out_of_scope and no in-domain reading above the reject threshold; in-domain messages get their
 * intent with a confidence above it; confidences are probabilities; the runner-ups in
 * `alternatives` are the "did you mean A or B?" candidates (CONTRACTS section 3). The messages
 * here are written for this file, not taken from the training, dev or sealed sets.
 */
import { decide, type Calibration, type Ranked } from '../../../src/nlu/intentModel';
import { loadNlu, readLanguage } from '../../../src/nlu/loadNlu';
import type { Intent, Lang } from '../../../src/knowledge/schema';
import { INTENTS } from '../../../src/knowledge/schema';
import type { NluResult } from '../../../src/nlu/types';

const nlu = loadNlu();
const calibration: Record<Lang, Calibration> = {
  zh: readLanguage('zh').calibration,
  en: readLanguage('en').calibration,
};

/** Confidences are rounded to three decimals; allow for that when comparing them. */
const ROUNDING = 0.0005;

function expectWellFormed(r: NluResult): void {
  expect(INTENTS).toContain(r.intent);
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.alternatives.length).toBeLessThanOrEqual(2);
  for (const a of r.alternatives) {
    expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
    expect(a.intent).not.toBe('out_of_scope');
    expect(a.intent).not.toBe(r.intent);
  }
}

describe('off-domain messages are rejected', () => {
  test.each<[string, Lang]>([
    ['明天天气怎么样', 'zh'],
    ['帮我写首诗', 'zh'],
    ['红烧肉怎么做才好吃', 'zh'],
    ['昨晚的足球比赛谁赢了', 'zh'],
    ['我家猫不吃东西怎么办', 'zh'],
    ['推荐几本适合小学生看的书', 'zh'],
    ['明天天氣怎麼樣', 'zh'],
    ["what's the weather like in Paris tomorrow", 'en'],
    ['give me a recipe for banana bread', 'en'],
    ['who won the football match last night', 'en'],
    ['recommend a good sci-fi movie', 'en'],
    ['how do I fix a leaking faucet', 'en'],
  ])('%s → out_of_scope', (text, lang) => {
    const r = nlu.analyze(text, lang);
    expectWellFormed(r);
    expect(r.intent).toBe('out_of_scope');
    // No in-domain reading is anywhere near good enough to be offered instead.
    for (const a of r.alternatives) expect(a.confidence).toBeLessThan(calibration[lang].rejectBelow);
    expect(r.confidence).toBeGreaterThan(0.5);
  });
});

describe('in-domain messages are understood', () => {
  test.each<[string, Lang, Intent]>([
    ['支付宝收我的手续费太贵了，想让他们降一点', 'zh', 'fees'],
    ['my Alipay merchant rate is too high, how can I get it lowered', 'en', 'fees'],
    ['支付宝客服一直不回我消息', 'zh', 'service'],
    ['my alipay account got frozen for no reason', 'en', 'security'],
    ['我想和你模拟一下跟支付宝谈判', 'zh', 'roleplay'],
    ['can we practice, you pretend to be Alipay', 'en', 'roleplay'],
    ['支付宝直接拒绝了我的降费要求', 'zh', 'refusal'],
    ['Alipay said no to my request', 'en', 'refusal'],
    ['我们达成协议了，费率降到0.38%', 'zh', 'agreement'],
    ['除了支付宝还有什么别的收款方式', 'zh', 'alternatives'],
    ['how do I file a complaint with the regulator about Alipay', 'en', 'mediation'],
    ['帮我算一下月流水5万按0.6%要交多少手续费', 'zh', 'fee_calc'],
    ['帮我制定一个谈判计划', 'zh', 'plan'],
    ['help me make a negotiation plan', 'en', 'plan'],
    ['支付宝的客服电话是多少', 'zh', 'contact'],
    ['支付宝是哪一年成立的', 'zh', 'background'],
    ['未来支付手续费会降吗', 'zh', 'outlook'],
    ['你好', 'zh', 'greet'],
    ['thanks, bye', 'en', 'goodbye'],
    ['你能帮我做什么', 'zh', 'help'],
  ])('%s → %s', (text, lang, intent) => {
    const r = nlu.analyze(text, lang);
    expectWellFormed(r);
    expect(r.intent).toBe(intent);
    expect(r.confidence).toBeGreaterThanOrEqual(calibration[lang].rejectBelow);
    expect(r.confidence).toBeGreaterThan(0.5);
    // The runner-ups are well behind a clear reading.
    for (const a of r.alternatives) expect(a.confidence).toBeLessThanOrEqual(r.confidence + ROUNDING);
  });

  test('traditional Chinese gets the same reading as simplified', () => {
    for (const [traditional, simplified] of [
      ['支付寶把我的帳戶凍結了', '支付宝把我的账户冻结了'],
      ['客服態度很差，電話打不通', '客服态度很差，电话打不通'],
      ['談判破裂了，沒有達成協議', '谈判破裂了，没有达成协议'],
    ] as const) {
      const t = nlu.analyze(traditional, 'zh');
      const s = nlu.analyze(simplified, 'zh');
      expect(t.intent).toBe(s.intent);
      expect(t.confidence).toBe(s.confidence);
      expect(t.intent).not.toBe('out_of_scope');
    }
  });
});

/**
 * Travellers' words (trip, holiday, hotel, Visa) fill the general assistant's out-of-scope data; a
 * visitor's Alipay problem written in them is still the coach's, and travel itself is not.
 */
describe("a visitor's problem in travellers' words", () => {
  test.each<[string, Intent]>([
    ["on holiday in Xi'an and alipay won't take my visa card", 'security'],
    ['my trip is ruined, alipay locked my account', 'security'],
    ['paying hotels in china with alipay costs me an extra 3%?', 'fees'],
    ['travelling in china, who do I call when alipay blocks me', 'contact'],
  ])('%s → %s', (text, intent) => {
    expect(nlu.analyze(text, 'en').intent).toBe(intent);
  });

  test.each([
    "what's the best travel insurance for a trip to china",
    'recommend a hotel near the bund in shanghai',
    'is my visa for china still valid after 30 days',
  ])('%s → out_of_scope', (text) => {
    expect(nlu.analyze(text, 'en').intent).toBe('out_of_scope');
  });
});

describe('a problem told inside a story', () => {
  test.each<[string, string, Intent]>([
    ["I'm in Chengdu for ten days, my alipay with mastercard stopped working yesterday", 'en', 'security'],
    ['出差在外地住酒店，支付宝突然被冻结了', 'zh', 'security'],
  ])('%s (%s) → %s', (text, lang, intent) => {
    expect(nlu.analyze(text, lang as Lang).intent).toBe(intent);
  });

  test('a story that only mentions Alipay in passing stays out of scope', () => {
    const text =
      "I'm in Chengdu for ten days, paid for hotpot with alipay last night, any other places near the station?";
    expect(nlu.analyze(text, 'en').intent).toBe('out_of_scope');
  });
});

describe('a how-to question about an Alipay feature', () => {
  test.each([
    'how do I change my alipay avatar',
    'can I top up my metro card with alipay',
    'where is the bill export in alipay',
  ])('%s → out_of_scope, the weak in-domain reading kept as the first alternative', (text) => {
    const r = nlu.analyze(text, 'en');
    expectWellFormed(r);
    expect(r.intent).toBe('out_of_scope');
    const first = r.alternatives[0];
    expect(first).toBeDefined();
    expect(first?.confidence ?? 1).toBeLessThan(0.15);
    expect(r.confidence).toBeCloseTo(1 - (first?.confidence ?? 0), 2);
  });

  test('a problem with the same words is still read as one', () => {
    expect(nlu.analyze('alipay charged my metro card top up twice', 'en').intent).toBe('fees');
  });
});

describe('close readings', () => {
  test('a message between two intents names the other one as the first alternative', () => {
    // Reports a refusal and asks where to complain: refusal or mediation, and nothing else close.
    const r = nlu.analyze('支付宝拒绝降费，我该去哪投诉', 'zh');
    expectWellFormed(r);
    const first = r.alternatives[0];
    expect(first).toBeDefined();
    expect(new Set([r.intent, first?.intent])).toEqual(new Set(['refusal', 'mediation']));
    expect(first?.confidence ?? 0).toBeGreaterThan(0.05);
  });

  test('alternatives are ordered, below the chosen intent, and share one distribution with it', () => {
    for (const [text, lang] of [
      ['how should I negotiate my fees', 'en'],
      ['支付宝拒绝了我，我还能换别的平台吗', 'zh'],
      ['想练习一下怎么谈费率', 'zh'],
    ] as const) {
      const r = nlu.analyze(text, lang);
      expectWellFormed(r);
      expect(r.intent).not.toBe('out_of_scope');
      expect(r.alternatives).toHaveLength(2);
      const [a, b] = r.alternatives;
      expect(a?.confidence ?? 0).toBeGreaterThanOrEqual(b?.confidence ?? 0);
      expect(a?.confidence ?? 0).toBeLessThanOrEqual(r.confidence + ROUNDING);
      expect(r.confidence + (a?.confidence ?? 0) + (b?.confidence ?? 0)).toBeLessThanOrEqual(
        1 + 3 * ROUNDING,
      );
    }
  });
});

describe('the language of a reading', () => {
  test('a message with its own language is read in it, whatever the session language', () => {
    expect(nlu.analyze('支付宝手续费太高', 'en').lang).toBe('zh');
    expect(nlu.analyze('Alipay fees are too high', 'zh').lang).toBe('en');
    expect(nlu.analyze('Alipay 手续费太高', 'en').lang).toBe('zh');
    expect(nlu.analyze('Alipay 手续费太高', 'en').intent).toBe('fees');
  });

  test.each<[string, Lang]>([
    ['0.6%', 'zh'],
    ['0.6%', 'en'],
    ['👍', 'en'],
    ['', 'zh'],
  ])('%j without a language of its own takes the given one (%s)', (text, lang) => {
    const r = nlu.analyze(text, lang);
    expectWellFormed(r);
    expect(r.lang).toBe(lang);
  });
});

describe('messages without words', () => {
  // With no words the classifier would only see a length and guess "bye" or "deal".
  test.each<[string, Lang]>([
    ['？？？', 'zh'],
    ['', 'zh'],
    ['👍', 'en'],
    ['2', 'zh'],
    ['...', 'en'],
  ])('%j is not read as an in-domain intent (%s)', (text, lang) => {
    const r = nlu.analyze(text, lang);
    expect(r.intent).toBe('out_of_scope');
    expect(r.alternatives).toEqual([]);
  });

  test.each<[string, Lang, number]>([
    ['0.6%', 'zh', 0.6],
    ['0.38%', 'en', 0.38],
  ])('a bare rate %j is fee arithmetic (%s)', (text, lang, rate) => {
    const r = nlu.analyze(text, lang);
    expect(r.intent).toBe('fee_calc');
    expect(r.entities.rates).toEqual([rate]);
  });
});

describe('results are the caller’s own', () => {
  test('changing a result does not change the next reading of the same message', () => {
    const first = nlu.analyze('支付宝费率0.6%太高了', 'zh');
    expect(first.entities.rates).toEqual([0.6]);
    first.entities.rates?.push(99);
    first.alternatives.length = 0;
    first.intent = 'greet';
    const second = nlu.analyze('支付宝费率0.6%太高了', 'zh');
    expect(second.entities.rates).toEqual([0.6]);
    expect(second.intent).toBe('fees');
    expect(second.alternatives.length).toBeGreaterThan(0);
  });
});

describe('decide', () => {
  const cal: Calibration = {
    bayesTemperature: 1,
    bayesWeight: 0.5,
    temperature: 1,
    rejectBelow: 0.3,
    oosAbove: 0.8,
  };
  const ranked = (...rows: [Intent, number][]): Ranked[] =>
    rows.map(([intent, p]) => ({ intent, p })).sort((a, b) => b.p - a.p);

  test('a sure in-domain reading is kept with its probability', () => {
    expect(decide(ranked(['fees', 0.7], ['out_of_scope', 0.2], ['fee_calc', 0.1]), cal)).toEqual({
      intent: 'fees',
      confidence: 0.7,
    });
  });

  test('out_of_scope wins at or above its bar', () => {
    expect(decide(ranked(['out_of_scope', 0.8], ['fees', 0.2]), cal)).toEqual({
      intent: 'out_of_scope',
      confidence: 0.8,
    });
  });

  test('a weaker out-of-scope lead goes to the best in-domain intent if it clears the reject bar', () => {
    expect(decide(ranked(['out_of_scope', 0.6], ['fees', 0.35], ['greet', 0.05]), cal)).toEqual({
      intent: 'fees',
      confidence: 0.35,
    });
  });

  test('an in-domain reading below the reject bar is rejected, confident that it is not that intent', () => {
    const d = decide(
      ranked(['fees', 0.25], ['service', 0.25], ['refusal', 0.25], ['out_of_scope', 0.25]),
      cal,
    );
    expect(d.intent).toBe('out_of_scope');
    expect(d.confidence).toBeCloseTo(0.75, 12);
  });

  test('without any in-domain reading the answer is out_of_scope', () => {
    expect(decide(ranked(['out_of_scope', 0.4]), cal).intent).toBe('out_of_scope');
  });
});
