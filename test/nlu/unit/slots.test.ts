/**
 * Slot answers (src/nlu/slots.ts): what people type when the coach asks for one value, and the
 * bare-figure rates of extractEntities. The CONTRACTS section 3 formats keep working.
 */
import { extractEntities } from '../../../src/nlu/entities';
import { readSlotAnswer } from '../../../src/nlu/slots';

describe('rates', () => {
  test.each<[string, number]>([
    ['0.45', 0.45],
    ['0.6个点', 0.6],
    ['百分之0.6', 0.6],
    ['its 0,6%', 0.6],
    ['千分之六', 0.6],
    ['6‰', 0.6],
    ['费率是０．６％', 0.6],
    ['千3.8', 0.38],
    ['zero point six', 0.6],
    ['0.006', 0.6],
    ['一百块扣六毛', 0.6],
    ['以前0.38现在0.6', 0.6],
    ['微信0.38 支付宝0.6', 0.6],
    ['6个点？不对是0.6个点', 0.6],
  ])('%j → %d', (text, value) => {
    expect(readSlotAnswer(text, 'rate', 'zh').value).toBeCloseTo(value, 4);
  });

  test('个点 are percentage points, said in the note when implausible', () => {
    const r = readSlotAnswer('6个点', 'rate', 'zh');
    expect(r.value).toBe(6);
    expect(r.note).toMatch(/confirm/);
  });

  test('千分之五六 is about 0.55, flagged', () => {
    const r = readSlotAnswer('千分之五六', 'rate', 'zh');
    expect(r.value).toBeCloseTo(0.55, 4);
    expect(r.note).toMatch(/range|midpoint/);
  });

  test('unknown and new questions', () => {
    expect(readSlotAnswer('不知道', 'rate', 'zh')).toEqual({ unknown: true });
    expect(readSlotAnswer('忘了', 'rate', 'zh')).toEqual({ unknown: true });
    expect(readSlotAnswer('not sure', 'rate', 'en')).toEqual({ unknown: true });
    expect(readSlotAnswer('费率在哪里看？', 'rate', 'zh')).toEqual({ newQuestion: true });
    expect(readSlotAnswer('0.6，这个算高吗？', 'rate', 'zh')).toMatchObject({
      value: 0.6,
      newQuestion: true,
    });
    expect(readSlotAnswer('not sure, maybe 0.6', 'rate', 'en')).toMatchObject({ value: 0.6 });
    expect(readSlotAnswer('not sure, maybe 0.6', 'rate', 'en').unknown).toBeUndefined();
  });
});

describe('money', () => {
  test.each<[string, 'monthly_volume' | 'amount', number]>([
    ['60k', 'monthly_volume', 60000],
    ['6万', 'monthly_volume', 60000],
    ['5个w', 'monthly_volume', 50000],
    ['一天两三千', 'monthly_volume', 75000],
    ['一年七八十万', 'monthly_volume', 62500],
    ['15k a week', 'monthly_volume', 65000],
    ['不到一万', 'monthly_volume', 10000],
    ['两万五', 'amount', 25000],
    ['被骗了九千八', 'amount', 9800],
    ['about 3 grand', 'amount', 3000],
  ])('%j (%s) → %d', (text, slot, value) => {
    expect(readSlotAnswer(text, slot, 'zh').value).toBe(value);
  });

  test('a daily figure is made monthly, and the note says so', () => {
    expect(readSlotAnswer('一天两三千', 'monthly_volume', 'zh').note).toMatch(/daily.*30/);
  });

  test('an amount is not made monthly', () => {
    expect(readSlotAnswer('每个月都要提，一次两万左右', 'amount', 'zh').value).toBe(20000);
  });

  test('a magnitude without a figure is unknown', () => {
    expect(readSlotAnswer('几千块吧，没多少', 'monthly_volume', 'zh')).toMatchObject({ unknown: true });
    expect(readSlotAnswer('几千块吧，没多少', 'monthly_volume', 'zh').value).toBeUndefined();
  });
});

describe('role', () => {
  test.each<[string, string]>([
    ['开店的', 'merchant'],
    ['我就是普通用户', 'consumer'],
    ['tourist', 'consumer'],
    ['I run a small hostel', 'merchant'],
    ['都是', 'both'],
    ['有店，但这次是个人账户的事', 'consumer'],
  ])('%j → %s', (text, value) => {
    expect(readSlotAnswer(text, 'role', 'zh').value).toBe(value);
  });
});

describe('never throws', () => {
  test.each(['', '   ', '🙂', '\u0000', 'x'.repeat(5000), '0.0.0.0', '--', '千分之'])('%j', (text) => {
    for (const slot of ['rate', 'monthly_volume', 'amount', 'role'] as const) {
      expect(() => readSlotAnswer(text, slot, 'zh')).not.toThrow();
    }
  });
});

describe('extractEntities reads bare figures as people type them for a rate', () => {
  test('a message that is only a decimal below 10 is a rate', () => {
    expect(extractEntities('0.45').rates).toEqual([0.45]);
    expect(extractEntities('.6').rates).toEqual([0.6]);
  });

  test('a whole number alone (a menu choice) and large decimals are not rates', () => {
    expect(extractEntities('2')).toEqual({});
    expect(extractEntities('12.5')).toEqual({});
  });

  test('千分之五六, decimal commas and the CONTRACTS formats', () => {
    expect(extractEntities('千分之五六').rates).toEqual([0.55]);
    expect(extractEntities('its 0,6%').rates).toEqual([0.6]);
    expect(extractEntities('千分之六').rates).toEqual([0.6]);
    expect(extractEntities('0.38个点').rates).toEqual([0.38]);
    expect(extractEntities('80k').amounts).toEqual([80000]);
    expect(extractEntities('120,000 yuan').amounts).toEqual([120000]);
  });
});
