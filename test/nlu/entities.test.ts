import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { extractEntities } from '../../src/nlu/entities';
import type { Entities } from '../../src/nlu/types';

const ALLOWED_KEYS = new Set(['amounts', 'rates', 'period', 'platforms', 'role', 'issue', 'difficulty']);

/** [message, expected amounts]; each case is checked on its own. */
function amountsOf(text: string): number[] | undefined {
  return extractEntities(text).amounts;
}
function ratesOf(text: string): number[] | undefined {
  return extractEntities(text).rates;
}

describe('amounts', () => {
  test.each<[string, number[]]>([
    // Chinese magnitudes, Arabic and Chinese digits
    ['5万', [50000]],
    ['五万', [50000]],
    ['十二万', [120000]],
    ['1.5万', [15000]],
    ['8千', [8000]],
    ['八千', [8000]],
    ['十万', [100000]],
    ['一百二十万', [1200000]],
    ['两万五', [25000]],
    ['1.2亿', [120000000]],
    ['5万3000', [53000]],
    ['3千5', [3500]],
    ['1万5千', [15000]],
    ['一万零一百元', [10100]],
    ['一百零五块', [105]],
    ['三百块钱', [300]],
    // k / w / English magnitudes
    ['80k', [80000]],
    ['80K', [80000]],
    ['1.2w', [12000]],
    ['1.2W', [12000]],
    ['100k a month', [100000]],
    ['1.2 million', [1200000]],
    ['5 thousand', [5000]],
    ['5 grand', [5000]],
    ['five thousand yuan', [5000]],
    ['a hundred and twenty thousand', [120000]],
    // currency markers
    ['120,000 yuan', [120000]],
    ['¥3000', [3000]],
    ['￥3000', [3000]],
    ['3000元', [3000]],
    ['3,000块', [3000]],
    ['RMB 12,000', [12000]],
    ['rmb12000', [12000]],
    ['12000 CNY', [12000]],
    ['CNY 500', [500]],
    ['人民币5000', [5000]],
    ['３０００元', [3000]],
    // approximate words keep the base
    ['一个月十来万', [100000]],
    ['十几万', [100000]],
    ['二十多万', [200000]],
    ['一万多', [10000]],
    ['3万多块', [30000]],
    ['差不多十万左右吧', [100000]],
    ['三四千块', [3000]],
    // bare numbers that are clearly money in context
    ['流水20000', [20000]],
    ['流水是9万', [90000]],
    ['volume of 50000', [50000]],
    ['turnover 80000', [80000]],
    ['I make 30000 a month', [30000]],
    ['每月3000', [3000]],
    ['手续费降到300', [300]],
    ['余额还有2500', [2500]],
    ['I pay about 1,200 yuan in fees every month', [1200]],
    ['our turnover is roughly 1.2 million a year', [1200000]],
    // ranges share their unit
    ['3-5万', [30000, 50000]],
    ['三到五万', [30000, 50000]],
    ['¥3000-5000', [3000, 5000]],
    ['3000到5000元', [3000, 5000]],
    ['月流水大概在6-8万', [60000, 80000]],
    ['流水20000到3万', [20000, 30000]],
    ['从5万降到3万', [50000, 30000]],
    ['最近三个月每月流水都在八千到一万之间', [8000, 10000]],
    // 五万一个月 is 50000 a month, not 51000
    ['五万一个月', [50000]],
    ['两万五一个月', [25000]],
  ])('%s → %j', (text, expected) => {
    expect(amountsOf(text)).toEqual(expected);
  });

  test.each<[string, number[]]>([
    ['兩萬五', [25000]],
    ['月流水五萬', [50000]],
    ['一百二十萬', [1200000]],
    ['提現3000元被扣了3塊錢', [3000, 3]],
    ['每個月營業額大概3萬多塊', [30000]],
    ['十來萬', [100000]],
  ])('traditional %s → %j', (text, expected) => {
    expect(amountsOf(text)).toEqual(expected);
  });

  test.each([
    '打95188',
    '请拨打12315投诉',
    '12363',
    '客服电话95188打了5次都没人接',
    '手机13912345678',
    '400-820-1234',
    '2021年',
    'in 2021',
    'since 2018 I have used Alipay',
    '2024-01-05',
    '2024年3月5日',
    '10:30',
    '第32条',
    '根据《电子商务法》第32条',
    'article 32',
    '3个月',
    '2次',
    '7天',
    '10 years',
    '我有10年的经验',
    '3 times a month',
    '10k users',
    '每个月500单',
    'I sold 500 orders a month',
    '3千米',
    '十来个人',
    '两点见',
    '降一点',
    '千万别这样',
    '万一被冻结怎么办',
    '十分感谢',
    'iPhone15',
    'v2.0',
    '0.6%',
    '50%',
    '降到3000',
    '一直',
    '第一次',
  ])('%s has no amounts', (text) => {
    expect(extractEntities(text).amounts).toBeUndefined();
  });

  test('several amounts stay in the order given', () => {
    expect(amountsOf('提现5万收了50块手续费')).toEqual([50000, 50]);
    expect(amountsOf('去年流水80万，今年¥1,200,000，明年想到1.5m yuan')).toEqual([800000, 1200000, 1500000]);
    expect(amountsOf('我一个月交易300笔，每笔平均50块')).toEqual([50]);
    expect(amountsOf('我的账户被冻结了，里面有2万块，打了3次95188')).toEqual([20000]);
  });
});

describe('rates', () => {
  test.each<[string, number[]]>([
    ['0.6%', [0.6]],
    ['０．６％', [0.6]],
    ['千分之六', [0.6]],
    ['千分之3.8', [0.38]],
    ['千分之五点五', [0.55]],
    ['6‰', [0.6]],
    ['0.38个点', [0.38]],
    ['0.6个点', [0.6]],
    ['零点六个点', [0.6]],
    ['0.6个百分点', [0.6]],
    ['百分之零点六', [0.6]],
    ['百分之0.6', [0.6]],
    ['万分之六十', [0.6]],
    ['0.6 percent', [0.6]],
    ['0.6 per cent', [0.6]],
    ['60 basis points', [0.6]],
    ['60bp', [0.6]],
    ['60 bps', [0.6]],
    ['费率0.006', [0.6]],
    ['费率是0.38', [0.38]],
    ['能降到0.38吗', [0.38]],
    ['rate of 0.55', [0.55]],
    ['fee rate 0.0038', [0.38]],
    ['can you lower it to 0.4?', [0.4]],
    ['bring it down to 0.45 percent', [0.45]],
    ['手续费0.6', [0.6]],
    ['费率千六', [0.6]],
    ['0.6点', [0.6]],
    ['50%', [50]],
  ])('%s → %j', (text, expected) => {
    expect(ratesOf(text)).toEqual(expected);
  });

  test.each<[string, number[]]>([
    ['費率千分之六', [0.6]],
    ['百分之零點六', [0.6]],
    ['零點三八個點', [0.38]],
    ['費率從0.6降到0.38', [0.6, 0.38]],
  ])('traditional %s → %j', (text, expected) => {
    expect(ratesOf(text)).toEqual(expected);
  });

  test('several rates stay in the order given', () => {
    expect(ratesOf('费率从0.6降到0.38')).toEqual([0.6, 0.38]);
    expect(ratesOf('微信费率0.38，支付宝0.6')).toEqual([0.38, 0.6]);
    expect(ratesOf('0.38到0.6%')).toEqual([0.38, 0.6]);
    expect(ratesOf('千分之三到五')).toEqual([0.3, 0.5]);
    expect(ratesOf('rate from 0.6 to 0.38')).toEqual([0.6, 0.38]);
    expect(ratesOf('0.6% → 0.38%')).toEqual([0.6, 0.38]);
    expect(ratesOf('the rate is 60bps vs 38 bps')).toEqual([0.6, 0.38]);
  });

  test('rates are rounded to at most 4 decimals', () => {
    for (const r of ratesOf('千分之3.8，千分之三点八，0.0038的费率，百分之零点三八') ?? []) {
      expect(r).toBe(Math.round(r * 1e4) / 1e4);
    }
    expect(ratesOf('千分之3.8')).toEqual([0.38]);
  });

  test.each(['降到3000', '3点钟', '三个点钟', '两点见', '2021年', '第3条', '流水20000'])(
    '%s has no rates',
    (text) => {
      expect(extractEntities(text).rates).toBeUndefined();
    },
  );
});

describe('mixed messages', () => {
  test('a merchant message in simplified Chinese', () => {
    expect(extractEntities('我开了个小饭店，月流水5万左右，支付宝费率0.6%太高了，能降到0.38吗')).toEqual({
      amounts: [50000],
      rates: [0.6, 0.38],
      period: 'month',
      platforms: ['alipay'],
      role: 'merchant',
      issue: 'fees',
    });
  });

  test('the same in traditional Chinese', () => {
    expect(extractEntities('我開了個小飯店，月流水5萬左右，支付寶費率0.6%太高了，能降到0.38嗎')).toEqual({
      amounts: [50000],
      rates: [0.6, 0.38],
      period: 'month',
      platforms: ['alipay'],
      role: 'merchant',
      issue: 'fees',
    });
  });

  test('English with several platforms', () => {
    expect(
      extractEntities('My shop does about 80k a month on Alipay, they charge 0.6%, WeChat Pay is 0.38%'),
    ).toEqual({
      amounts: [80000],
      rates: [0.6, 0.38],
      period: 'month',
      platforms: ['alipay', 'wechat_pay'],
      role: 'merchant',
      issue: 'fees',
    });
  });

  test('mixed Chinese and English', () => {
    expect(extractEntities('我的shop一年turnover大概1.2 million，alipay rate 0.6%')).toMatchObject({
      amounts: [1200000],
      rates: [0.6],
      period: 'year',
      platforms: ['alipay'],
    });
  });

  test('a consumer repaying a credit card', () => {
    expect(extractEntities('我是消费者，还信用卡要收0.1%的手续费')).toEqual({
      rates: [0.1],
      role: 'consumer',
      issue: 'fees',
    });
  });
});

describe('period', () => {
  test.each<[string, 'month' | 'year']>([
    ['每月', 'month'],
    ['每个月', 'month'],
    ['月流水', 'month'],
    ['一个月', 'month'],
    ['月均', 'month'],
    ['per month', 'month'],
    ['a month', 'month'],
    ['monthly', 'month'],
    ['¥3000/mo', 'month'],
    ['每個月', 'month'],
    ['每年', 'year'],
    ['一年', 'year'],
    ['年流水', 'year'],
    ['全年', 'year'],
    ['per year', 'year'],
    ['a year', 'year'],
    ['annual fee', 'year'],
    ['yearly', 'year'],
    ['每月流水5万，一年60万', 'month'],
    ['一年流水60万，每月5万', 'year'],
  ])('%s → %s', (text, period) => {
    expect(extractEntities(text).period).toBe(period);
  });

  test.each(['你好', '3个月', '十一个月', 'a month ago', '一年前', '2021年', 'this month'])(
    '%s has no period',
    (text) => {
      expect(extractEntities(text).period).toBeUndefined();
    },
  );
});

describe('platforms', () => {
  test.each<[string, string[]]>([
    ['支付宝', ['alipay']],
    ['支付寶', ['alipay']],
    ['Alipay', ['alipay']],
    ['蚂蚁花呗', ['alipay']],
    ['zfb', ['alipay']],
    ['微信支付', ['wechat_pay']],
    ['微信', ['wechat_pay']],
    ['WeChat Pay', ['wechat_pay']],
    ['weixin', ['wechat_pay']],
    ['wx', ['wechat_pay']],
    ['财付通', ['wechat_pay']],
    ['云闪付', ['unionpay']],
    ['雲閃付', ['unionpay']],
    ['银联', ['unionpay']],
    ['UnionPay', ['unionpay']],
    ['union pay', ['unionpay']],
    ['quickpass', ['unionpay']],
    ['银行', ['bank']],
    ['bank', ['bank']],
    ['我用POS机刷卡', ['bank']],
    ['收钱吧', ['aggregator']],
    ['拉卡拉pos机', ['aggregator']],
    ['聚合支付', ['aggregator']],
    ['聚合码', ['aggregator']],
    ['aggregator like lakala', ['aggregator']],
    ['shouqianba', ['aggregator']],
    ['微信支付宝都用', ['wechat_pay', 'alipay']],
    [
      '支付宝比微信贵，银联更便宜，收钱吧也行，支付宝还是最常用',
      ['alipay', 'wechat_pay', 'unionpay', 'aggregator'],
    ],
    ['提现到银行卡，支付宝', ['bank', 'alipay']],
  ])('%s → %j', (text, platforms) => {
    expect(extractEntities(text).platforms).toEqual(platforms);
  });

  test.each(['你好', 'wxyz', 'position', 'ambank', 'we pay 300'])('%s has no platforms', (text) => {
    expect(extractEntities(text).platforms).toBeUndefined();
  });
});

describe('role', () => {
  test.each<[string, 'merchant' | 'consumer']>([
    ['我开店的', 'merchant'],
    ['我是商家', 'merchant'],
    ['我是開飯店的老闆', 'merchant'],
    ['我的店铺', 'merchant'],
    ['小卖部', 'merchant'],
    ['网店', 'merchant'],
    ['用收钱吧收款', 'merchant'],
    ['营业额下降了', 'merchant'],
    ['I run a small restaurant', 'merchant'],
    ['my shop', 'merchant'],
    ["I'm a merchant", 'merchant'],
    ['my customers pay with alipay', 'merchant'],
    ['seller', 'merchant'],
    ['我是个人用户', 'consumer'],
    ['我是消费者', 'consumer'],
    ['提现到银行卡要收费', 'consumer'],
    ['还信用卡要手续费', 'consumer'],
    ['as a user', 'consumer'],
    ['As a customer I got scammed', 'consumer'],
    ['personal account', 'consumer'],
    ['consumer', 'consumer'],
    // a self-description outweighs a topic word
    ['我开店的，消费者扫码付款', 'merchant'],
    ['我是消费者，商家不让用花呗', 'consumer'],
  ])('%s → %s', (text, role) => {
    expect(extractEntities(text).role).toBe(role);
  });

  test.each(['你好', 'I have a question about fees', 'customer service is useless', '客服不理人'])(
    '%s has no role',
    (text) => {
      expect(extractEntities(text).role).toBeUndefined();
    },
  );
});

describe('issue', () => {
  test.each<[string, 'fees' | 'security' | 'service']>([
    ['手续费太高', 'fees'],
    ['费率', 'fees'],
    ['扣点', 'fees'],
    ['提现费', 'fees'],
    ['fee', 'fees'],
    ['the rate is too high', 'fees'],
    ['commission', 'fees'],
    ['charges', 'fees'],
    ['I was charged a fee', 'fees'],
    ['0.6%太高了', 'fees'],
    ['账户被冻结了', 'security'],
    ['帳戶被凍結了', 'security'],
    ['钱被盗了', 'security'],
    ['遇到诈骗', 'security'],
    ['风控', 'security'],
    ['账户被限制', 'security'],
    ['信息泄露', 'security'],
    ['my account is frozen', 'security'],
    ['I got hacked', 'security'],
    ['money was stolen', 'security'],
    ['it was a scam', 'security'],
    ['fraud', 'security'],
    ['account restricted', 'security'],
    ['locked', 'security'],
    ['客服', 'service'],
    ['投诉没人理', 'service'],
    ['全是机器人', 'service'],
    ['没人回复', 'service'],
    ['customer service is useless', 'service'],
    ['Alipay support never replies', 'service'],
    ['no one answers', 'service'],
    ['they give me the runaround', 'service'],
    // the first clear one wins
    ['客服说我的账户被冻结了', 'service'],
    ['账户被冻结了，客服也不理', 'security'],
    ['手续费太高，客服不理人', 'fees'],
  ])('%s → %s', (text, issue) => {
    expect(extractEntities(text).issue).toBe(issue);
  });

  test.each(['你好', 'who is in charge', 'Does Alipay support UnionPay?', '60%的顾客用微信'])(
    '%s has no issue',
    (text) => {
      expect(extractEntities(text).issue).toBeUndefined();
    },
  );
});

describe('difficulty', () => {
  test.each<[string, 'easy' | 'normal' | 'hard']>([
    ['难一点的模拟', 'hard'],
    ['難一點的模擬', 'hard'],
    ['困难模式', 'hard'],
    ['高难度', 'hard'],
    ['地狱难度', 'hard'],
    ['来个难一点的', 'hard'],
    ['难度高一点', 'hard'],
    ['我想练习一下 hard 模式', 'hard'],
    ['hard mode', 'hard'],
    ['a tough negotiator please', 'hard'],
    ['make it harder', 'hard'],
    ['roleplay fees hard', 'hard'],
    ['困难', 'hard'],
    ['简单模式', 'easy'],
    ['来个简单的练习', 'easy'],
    ['难度：简单', 'easy'],
    ['初级难度', 'easy'],
    ['easy mode', 'easy'],
    ['beginner level', 'easy'],
    ['Easy', 'easy'],
    ['普通难度就行', 'normal'],
    ['正常模式', 'normal'],
    ['中等难度', 'normal'],
    ['normal difficulty', 'normal'],
    ['medium', 'normal'],
    ['difficulty: standard', 'normal'],
  ])('%s → %s', (text, difficulty) => {
    expect(extractEntities(text).difficulty).toBe(difficulty);
  });

  test.each([
    '这个谈判很难',
    'It is hard to negotiate',
    '简单说一下',
    '遇到困难的时候怎么办',
    '普通用户',
    '你好',
  ])('%s has no difficulty', (text) => {
    expect(extractEntities(text).difficulty).toBeUndefined();
  });
});

describe('absent keys', () => {
  test.each(['你好', 'hello', '', '   ', '？？？', '😀😀', '谢谢', 'ok'])('%j → {}', (text) => {
    expect(extractEntities(text)).toStrictEqual({});
  });

  test('keys that are not stated are absent, not undefined or empty', () => {
    const result = extractEntities('支付宝手续费太高');
    expect(Object.keys(result).sort()).toEqual(['issue', 'platforms']);
    expect('amounts' in result).toBe(false);
    expect('rates' in result).toBe(false);
  });
});

/** Checks the shape promised by CONTRACTS section 3. */
function expectWellTyped(result: Entities): void {
  expect(typeof result).toBe('object');
  for (const [key, value] of Object.entries(result)) {
    expect(ALLOWED_KEYS.has(key)).toBe(true);
    expect(value).not.toBeUndefined();
    if (key === 'amounts' || key === 'rates') {
      expect(Array.isArray(value)).toBe(true);
      expect((value as unknown[]).length).toBeGreaterThan(0);
      for (const n of value as unknown[]) {
        expect(typeof n).toBe('number');
        expect(Number.isFinite(n)).toBe(true);
        expect(n as number).toBeGreaterThanOrEqual(0);
      }
    }
  }
  if (result.platforms) {
    expect(result.platforms.length).toBeGreaterThan(0);
    expect(new Set(result.platforms).size).toBe(result.platforms.length);
    for (const p of result.platforms)
      expect(['alipay', 'wechat_pay', 'unionpay', 'bank', 'aggregator']).toContain(p);
  }
  if (result.period !== undefined) expect(['month', 'year']).toContain(result.period);
  if (result.role !== undefined) expect(['merchant', 'consumer']).toContain(result.role);
  if (result.issue !== undefined) expect(['fees', 'security', 'service']).toContain(result.issue);
  if (result.difficulty !== undefined) expect(['easy', 'normal', 'hard']).toContain(result.difficulty);
}

describe('robustness', () => {
  // Characters the extractor reacts to, so random strings hit its number and keyword paths.
  const interesting = fc.constantFrom(
    ...'0123456789.,%‰¥-~/: 万千百十亿点个两一二三五零来多分之元块kKwW费率流水月年支付宝微信客服冻结难简单'.split(
      '',
    ),
    'percent',
    'million',
    'thousand',
    ' a month',
    'rate ',
    'bp',
    '\u0000',
    '\uD800',
    '\uDC00',
    '😀',
  );
  const messy = fc.array(interesting, { maxLength: 60 }).map((parts) => parts.join(''));

  test('arbitrary strings never throw and return only allowed, well-typed keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), messy),
        (text) => {
          expectWellTyped(extractEntities(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('non-string input from untyped callers returns {}', () => {
    expect(extractEntities(undefined as unknown as string)).toStrictEqual({});
    expect(extractEntities(null as unknown as string)).toStrictEqual({});
    expect(extractEntities(42 as unknown as string)).toStrictEqual({});
  });

  // No timing here (speed is measured by `npm run bench`): a pattern that backtracks without
  // end would not finish within the test timeout.
  test('huge and hostile inputs are read without hanging', () => {
    const inputs = [
      'x'.repeat(100_000),
      '1'.repeat(100_000),
      '1,'.repeat(50_000),
      '1-'.repeat(50_000),
      '一'.repeat(100_000),
      '万'.repeat(100_000),
      '十来'.repeat(50_000),
      '百分之'.repeat(30_000),
      'rate '.repeat(20_000),
      '\uD800'.repeat(50_000),
      '😀'.repeat(50_000),
      Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(i % 0x3000)).join(''),
    ];
    for (const text of inputs) expectWellTyped(extractEntities(text));
  });
});

interface DevCase {
  text: string;
  entities?: { amounts?: number[]; rates?: number[] };
}

function isDevCase(value: unknown): value is DevCase {
  return (
    typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string'
  );
}

describe('independent dev set (test/nlu/dev/entities.yaml)', () => {
  const file = join(__dirname, 'dev', 'entities.yaml');

  test('every stated amount and rate is extracted, in order', () => {
    // The dev set is written by another agent and may not exist yet; nothing to check then.
    if (!existsSync(file)) return;
    const parsed: unknown = parse(readFileSync(file, 'utf8'));
    const cases = (Array.isArray(parsed) ? parsed : []).filter(isDevCase);
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const c of cases) {
      const got = extractEntities(c.text);
      const want = c.entities ?? {};
      // A key that is not listed must be absent (the file lists a key only when it is stated).
      const same =
        JSON.stringify(got.amounts ?? []) === JSON.stringify(want.amounts ?? []) &&
        JSON.stringify(got.rates ?? []) === JSON.stringify(want.rates ?? []);
      if (!same) {
        failures.push(
          `${c.text}\n  want amounts ${JSON.stringify(want.amounts ?? [])} rates ${JSON.stringify(want.rates ?? [])}` +
            `\n  got  amounts ${JSON.stringify(got.amounts ?? [])} rates ${JSON.stringify(got.rates ?? [])}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
