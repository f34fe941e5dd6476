import { readInstalment } from '../../src/fees/instalment';

describe('an instalment plan in the person own numbers', () => {
  it('multiplies the fee per instalment by the count', () => {
    expect(readInstalment('我用花呗分期买了手机，每期手续费80，12期一共多少手续费？')).toMatchObject({
      count: 12,
      perFee: 80,
      total: 960,
    });
  });

  it('gives the annual rate by the internal rate of return when the principal is known', () => {
    // 6000 over 12 with 45 a time is the familiar 0.75% a month, about 16.2% a year (not 9%).
    const plan = readInstalment('花唄分期每期手續費45元，分12期，本金6000，年化是多少');
    expect(plan).toMatchObject({ count: 12, perFee: 45, total: 540, principal: 6000 });
    expect(plan?.sharePct).toBeCloseTo(9, 5);
    expect(plan?.aprPct).toBeCloseTo(16.2, 1);
  });

  it('reads a rate per instalment on the principal', () => {
    const plan = readInstalment('6000元的手机分12期，每期手续费0.6%，年化多少');
    expect(plan).toMatchObject({ count: 12, perFee: 36, total: 432, principal: 6000 });
    expect(plan?.aprPct).toBeCloseTo(13, 0);
  });

  it('works the fee out of the monthly payment and the principal', () => {
    expect(readInstalment('借了一万分12期每月还900多')).toMatchObject({
      count: 12,
      total: 800,
      principal: 10000,
    });
    expect(readInstalment('I borrowed 10000 over 12 months and pay 900 a month')).toMatchObject({
      count: 12,
      total: 800,
    });
  });

  it('reads English plans', () => {
    expect(
      readInstalment('I split a 6000 yuan phone into 12 instalments with a fee of 45 per instalment'),
    ).toMatchObject({ count: 12, perFee: 45, principal: 6000 });
    expect(readInstalment('Huabei charges me 30 yuan a month in fees over 6 months')).toMatchObject({
      count: 6,
      total: 180,
    });
  });

  it('stays out of messages that state no plan', () => {
    expect(readInstalment('花呗分3期买了个东西')).toBeUndefined();
    expect(readInstalment('我每个月还800，还了12个月')).toBeUndefined();
    expect(readInstalment('花呗逾期三个月了，欠了五万')).toBeUndefined();
    expect(readInstalment('每期手续费0.6%')).toBeUndefined();
  });
});
