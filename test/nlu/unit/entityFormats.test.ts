/**
 * Entity formats (CONTRACTS section 3, src/nlu/entities.ts) that test/nlu/entities.test.ts does
 * not already cover: more rate units (per mille in words, basis points in Chinese, ‱, pct,
 * percentage points, full-width ‰), a fraction of a per mille, Chinese numerals with 零 and
 * trailing digits, thousands separators with decimals, money in kuai / 圆 / m, "per year" written
 * as /年, and traditional Chinese for period, platforms, role, issue and difficulty.
 */
import { extractEntities } from '../../../src/nlu/entities';

describe('rate units', () => {
  test.each<[string, number[]]>([
    ['6 per mille', [0.6]],
    ['6 permille', [0.6]],
    ['6 ‰', [0.6]],
    ['６‰', [0.6]],
    ['千分之6', [0.6]],
    ['千分之0.6', [0.06]],
    ['60个基点', [0.6]],
    ['60‱', [0.6]],
    ['0.6 pct', [0.6]],
    ['0.6 percentage points', [0.6]],
    ['0.6％左右', [0.6]],
    ['零点三八个百分点', [0.38]],
    ['百分之0.38', [0.38]],
    ['万分之三十八', [0.38]],
    ['38bp', [0.38]],
    ['0.6 个点', [0.6]],
  ])('%s → %j', (text, rates) => {
    expect(extractEntities(text).rates).toEqual(rates);
  });

  test('a stated rate marks the message as about fees', () => {
    expect(extractEntities('6‰').issue).toBe('fees');
    expect(extractEntities('0.6 percentage points').issue).toBe('fees');
  });
});

describe('amount formats', () => {
  test.each<[string, number[]]>([
    ['二十万零五千', [205000]],
    ['三千五', [3500]],
    ['两万', [20000]],
    ['一百万', [1000000]],
    ['5W', [50000]],
    ['3k', [3000]],
    ['1,200,000元', [1200000]],
    ['12,000.50元', [12000.5]],
    ['¥12,000', [12000]],
    ['300 kuai', [300]],
    ['300圆', [300]],
    ['1.5m yuan', [1500000]],
    ['五千块', [5000]],
    ['一个月两万', [20000]],
    ['每月一万二', [12000]],
  ])('%s → %j', (text, amounts) => {
    expect(extractEntities(text).amounts).toEqual(amounts);
  });

  test('an amount and its period written with a slash', () => {
    expect(extractEntities('20万/年')).toEqual({ amounts: [200000], period: 'year' });
    expect(extractEntities('1.2w每月')).toEqual({ amounts: [12000], period: 'month' });
  });
});

describe('period, in words the main suite does not use', () => {
  test.each<[string, 'month' | 'year']>([
    ['annually', 'year'],
    ['per annum', 'year'],
    ['年费', 'year'],
    ['每年的手續費', 'year'],
    ['each month', 'month'],
    ['月均流水', 'month'],
    ['月營業額', 'month'],
  ])('%s → %s', (text, period) => {
    expect(extractEntities(text).period).toBe(period);
  });
});

describe('traditional Chinese for every keyword entity', () => {
  test.each<[string, object]>([
    ['每年流水60萬', { amounts: [600000], period: 'year', role: 'merchant' }],
    ['財付通', { platforms: ['wechat_pay'] }],
    ['銀行卡', { platforms: ['bank'] }],
    ['雲閃付和銀聯', { platforms: ['unionpay'] }],
    ['微信支付寶', { platforms: ['wechat_pay', 'alipay'] }],
    ['我是商戶', { role: 'merchant' }],
    ['作為消費者', { role: 'consumer' }],
    ['我是買家', { role: 'consumer' }],
    ['個人用戶', { role: 'consumer' }],
    ['客服態度很差', { issue: 'service' }],
    ['帳號被盜了', { issue: 'security' }],
    ['被騙了', { issue: 'security' }],
    ['困難模式', { difficulty: 'hard' }],
    ['簡單模式', { difficulty: 'easy' }],
    ['中等難度', { difficulty: 'normal' }],
    ['普通難度', { difficulty: 'normal' }],
  ])('%s → %j', (text, entities) => {
    expect(extractEntities(text)).toStrictEqual(entities);
  });
});

describe('a visitor or a payer is a consumer, even at a restaurant', () => {
  test.each<[string, 'merchant' | 'consumer']>([
    ["it's a Visa from Deutsche Bank, the payment was 350 yuan at a restaurant", 'consumer'],
    ["I'm a tourist from Canada and alipay blocked me", 'consumer'],
    ['我是外国游客，在超市付款失败', 'consumer'],
    ['在飯店付了200塊', 'consumer'],
    // The restaurant is theirs: still a merchant.
    ['I run a restaurant and Alipay takes 0.6%', 'merchant'],
    ['我开了一家餐厅，费率太高', 'merchant'],
  ])('%s → %s', (text, role) => {
    expect(extractEntities(text).role).toBe(role);
  });
});

describe('words that contain a numeral but name no number', () => {
  test.each<[string, number[] | undefined]>([
    ['费率合适的话我会一直用支付宝', undefined],
    ['费率一直很高', undefined],
    ['费率能不能降一点', undefined],
    ['统一费率是0.6%', [0.6]],
    ['这是唯一的办法，费率0.6%', [0.6]],
    ['第一次谈费率', undefined],
    ['千分之一的手续费', [0.1]],
    ['费率降到一个点', [1]],
    ['费率一点五', [1.5]],
  ])('%s → rates %j', (text, rates) => {
    expect(extractEntities(text).rates).toEqual(rates);
  });
});
