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
    // A paid "negotiation agent" asks a fee: the regulators' warning, not fee advice.
    ['有中介说交钱就能帮我把借呗罚息免掉', 'zh', 'credit.paid_agent'],
    ['a guy offers to negotiate my huabei debt with alipay for a fee, is it real', 'en', 'credit.paid_agent'],
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

/**
 * Questions about a section of the seed, in general words, are answered by the section's topic:
 * no case, even when a word is shared with one ("complaints", "deal", "help"). Lines written for
 * this file; the reader reported a case for four of them before it learned the seed's questions
 * as `none` (2026-12).
 */
describe('general questions about the seed have none', () => {
  test.each<[string, Lang]>([
    ['你这个工具能帮我处理什么事', 'zh'],
    ['跟支付宝打交道之前先了解一下它', 'zh'],
    ['谈判一般分几步走', 'zh'],
    ['谈之前要定哪些底线', 'zh'],
    ['支付宝这家公司怎么发展起来的', 'zh'],
    ['what should I learn about the company first', 'en'],
    ['what are common complaints people have about Alipay', 'en'],
    ['what happens once we reach a deal', 'en'],
    ['what principles should guide me in the talks', 'en'],
    ['where is this heading for merchants in the next few years', 'en'],
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

/**
 * The reported intent is the one the answer is about: a message read surely as a case of one of
 * the seed's three problems is reported with that case's intent, not a neighbouring problem or
 * out_of_scope the intent model leaned to (the JSON protocol's `intent` then matches the case the
 * reply shows). The first two lines were out_of_scope to the intent model alone (2026-12); a case
 * is read either surely, overruling that, or through the intent when it agrees.
 * Specific asks (other options, a contact) keep their own intent.
 */
describe('a sure case names its intent', () => {
  const caseIntent = new Map(
    (
      JSON.parse(readFileSync(join(generatedDir(), 'knowledge.json'), 'utf8')) as {
        cases: { id: string; intent: string }[];
      }
    ).cases.map((c) => [c.id, c.intent]),
  );
  test.each<[string, Lang]>([
    ['充了200块钱会员用不了，能退吗', 'zh'],
    ['paid 30 dollars for a vpn with alipay and it never worked', 'en'],
    ['同一笔订单支付宝扣了我两次钱', 'zh'],
    ['the seller took my money through alipay and never shipped', 'en'],
  ])('%j', (text, lang) => {
    const r = nlu.analyze(text, lang);
    expect(r.situation).toBeDefined();
    expect(r.intent).toBe(caseIntent.get(r.situation?.id ?? ''));
  });

  test('a request for other options stays alternatives', () => {
    expect(nlu.analyze('还信用卡除了支付宝还有啥不要手续费的办法', 'zh').intent).toBe('alternatives');
  });
});

/**
 * Phrases that name a case (the case files' `cues`) are read when the model reads no case: short
 * titles and loose messages still name their situation; another platform's problem does not.
 */
describe('a phrase that names a case', () => {
  test.each<[string, Lang, string]>([
    ['支付宝支付失败', 'zh', 'security.payment_declined'],
    ['支付寶轉賬失敗了', 'zh', 'security.payment_declined'],
    // English cues are read by word stems, in either order for two words, with a little room.
    ['Alipay froze my account yesterday', 'en', 'security.frozen_account'],
    ['huabei got shut off for no reason, can I appeal?', 'en', 'credit.huabei_closed'],
    ['why does alipay want my face scan again', 'en', 'visitor.verification'],
  ])('%j → %s', (text, lang, id) => {
    const s = nlu.analyze(text, lang).situation;
    expect(s?.id).toBe(id);
  });

  test('is reported with the phrase when the model alone did not read the case', () => {
    const r = nlu.analyze('why does alipay want my face scan again', 'en');
    expect(r.situation?.cue).toBe('face scan');
    expect(r.intent).toBe('security');
  });

  test.each<[string, Lang]>([
    ['my paypal got restricted, how to fix', 'en'],
    ['instagram locked my account for too many attempts', 'en'],
  ])('names nothing when another platform is meant: %j', (text, lang) => {
    expect(nlu.analyze(text, lang).situation).toBeUndefined();
  });
});
