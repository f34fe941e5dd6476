/**
 * Situation reading on the shipped model (src/nlu/situation.ts through CoachNlu): clear
 * real-style messages, written for this file, are read as their case of knowledge/cases; a
 * message about no case gets no situation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNlu } from '../../../src/nlu/loadNlu';
import type { Lang } from '../../../src/knowledge/schema';
import { generatedDir } from '../../../src/util/paths';

const nlu = loadNlu();
const caseIds = new Set(
  (
    JSON.parse(readFileSync(join(generatedDir(), 'knowledge.json'), 'utf8')) as { cases: { id: string }[] }
  ).cases.map((c) => c.id),
);

describe('clear messages name their case', () => {
  test.each<[string, Lang, string]>([
    ['花呗逾期半年了，想跟支付宝协商分期还款', 'zh', 'credit.overdue_negotiation'],
    ['支付宝提示操作太频繁，等了一下午还是不行', 'zh', 'security.too_frequent'],
    ['有人打电话说是支付宝客服，要我交钱解冻账户', 'zh', 'security.unfreeze_scam'],
    ['外卡在支付宝付款超过200元被收了3%', 'zh', 'visitor.card_fee'],
    ['自动续费扣了我三个月的钱，我根本没用过', 'zh', 'fees.auto_debit'],
    ['支付宝人工客服怎么也打不进去', 'zh', 'service.no_human'],
    ['my visa card keeps getting declined when I add it to alipay', 'en', 'visitor.card_binding_failed'],
    ['alipay charged me 3% on my foreign card', 'en', 'visitor.card_fee'],
    ['huabei collectors call my parents every day', 'en', 'credit.collection_harassment'],
    ['how do I close my alipay account', 'en', 'service.close_account'],
    ['paid with alipay but my subscription never activated', 'en', 'service.seller_dispute'],
    ['someone offered to unfreeze my alipay for a fee, is that a scam?', 'en', 'security.unfreeze_scam'],
  ])('%j → %s', (text, lang, id) => {
    const s = nlu.analyze(text, lang).situation;
    expect(s?.id).toBe(id);
    expect(s?.confidence).toBeGreaterThan(0);
    expect(s?.confidence).toBeLessThanOrEqual(1);
  });
});

describe('messages about no case have none', () => {
  test.each<[string, Lang]>([
    ['明天天气怎么样', 'zh'],
    ['你好', 'zh'],
    ['hello', 'en'],
    ['what is the capital of france', 'en'],
  ])('%j', (text, lang) => {
    expect(nlu.analyze(text, lang).situation).toBeUndefined();
  });
});

test('every situation read is a case of the library', () => {
  for (const [text, lang] of [
    ['支付宝冻结了我的钱', 'zh'],
    ['alipay refund never came', 'en'],
    ['借呗突然不能用了', 'zh'],
  ] as const) {
    const s = nlu.analyze(text, lang).situation;
    if (s) expect(caseIds.has(s.id)).toBe(true);
  }
});
