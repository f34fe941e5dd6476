/**
 * Real-style messages on the shipped model: the situations the brief names read as their
 * CONTRACTS intent (foreign visitors, 花呗/借呗, how to complain → mediation, scam offers →
 * security), and the near-misses that mention Alipay or risk control without a problem to
 * negotiate stay out_of_scope. Every line is written for this file; the real-phrasing dev split
 * (test/nlu/real/real-dev.yaml) is measured by `npm run nlu:eval`, not here.
 */
import { loadNlu } from '../../../src/nlu/loadNlu';
import type { Intent, Lang } from '../../../src/knowledge/schema';

const nlu = loadNlu();

describe('real-style messages get their intent', () => {
  test.each<[string, Lang, Intent]>([
    ['my card was declined on alipay', 'en', 'security'],
    ['alipay charged a 3% fee on my visa', 'en', 'fees'],
    ['alipay asks me to verify my passport again', 'en', 'security'],
    ['my alipay account is restricted, I am a tourist', 'en', 'security'],
    ['does alipay have english customer service', 'en', 'contact'],
    ['how do I complain about Alipay?', 'en', 'mediation'],
    ['is this unfreeze offer a scam', 'en', 'security'],
    ['花呗被关了', 'zh', 'service'],
    ['花呗逾期了怎么协商还款', 'zh', 'fees'],
    ['催收天天打电话', 'zh', 'service'],
    ['交钱给代理协商靠谱吗', 'zh', 'security'],
    ['怎么投诉支付宝最管用', 'zh', 'mediation'],
    ['有人说交钱帮我解冻支付宝，是骗子吗', 'zh', 'security'],
  ])('%j → %s', (text, lang, intent) => {
    expect(nlu.analyze(text, lang).intent).toBe(intent);
  });
});

describe('near-misses stay out of scope', () => {
  test.each<[string, Lang]>([
    ['支付宝夜间模式在哪开', 'zh'],
    ['does alipay have a dark theme', 'en'],
    ['蚂蚁集团现在股价多少', 'zh'],
    ['微信被风控了怎么办', 'zh'],
    ['抖音风控多久解除', 'zh'],
    ['拼多多账号被风控了', 'zh'],
    ['my paypal got restricted, how to fix', 'en'],
  ])('%j', (text, lang) => {
    expect(nlu.analyze(text, lang).intent).toBe('out_of_scope');
  });
});
