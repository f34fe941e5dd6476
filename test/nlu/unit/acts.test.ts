/**
 * Dialogue acts on the shipped model (src/nlu/acts.ts through CoachNlu): a report word inside a
 * question, a hypothetical or a negation is not a report — the stage must not move on it — while
 * news of the user's own case is a report with its event, also when a question rides along.
 * Plus the other acts, in Chinese and English. Lines marked (training) are the ones the brief
 * names and the act training data holds; the others are written for this file.
 */
import { loadNlu } from '../../../src/nlu/loadNlu';
import type { Lang } from '../../../src/knowledge/schema';
import { ACT_TYPES, actFeatures, actLabel } from '../../../src/nlu/acts';

const nlu = loadNlu();
const act = (text: string, lang: Lang) => nlu.analyze(text, lang).act;

describe('a report word that did not happen is not a report', () => {
  test.each<[string, Lang, string]>([
    ['如果被拒了怎么办', 'zh', 'question'],
    ['要是他们不同意怎么办', 'zh', 'question'],
    ['谈成了吗？', 'zh', 'question'],
    ['如果谈成了要注意什么', 'zh', 'question'],
    ['还没联系', 'zh', 'answer'],
    ['我还没联系支付宝', 'zh', 'answer'],
    ['what if they refuse?', 'en', 'question'],
    ["I haven't called them yet", 'en', 'answer'],
    ['if the police contact alipay will they freeze it', 'en', 'question'],
    ['did it work?', 'en', 'question'],
  ])('%j is a %s, negated or a plain question, never a report', (text, lang, type) => {
    const a = act(text, lang);
    expect(a?.type).toBe(type);
    expect(a?.event).toBeUndefined();
  });

  test('hypotheticals and "not yet" are flagged negated', () => {
    for (const [text, lang] of [
      ['如果被拒了怎么办', 'zh'],
      ['还没联系', 'zh'],
      ['what if they refuse?', 'en'],
      ["I haven't called them yet", 'en'],
    ] as const) {
      expect(act(text, lang)?.negated).toBe(true);
    }
  });
});

describe('news of the user’s own case is a report with its event', () => {
  test.each<[string, Lang, string]>([
    ['还款成功了但还在催收', 'zh', 'repaid'], // (training)
    ['警察已经联系支付宝了', 'zh', 'police_report'],
    ['I called, they opened a ticket, reply in 3 working days', 'en', 'ticket_opened'], // (training)
    ['支付宝拒绝了我', 'zh', 'refused'],
    ['客服给我开了工单', 'zh', 'ticket_opened'],
    ['我已经报警了', 'zh', 'police_report'],
    ['已经还清了，但催收还在打电话', 'zh', 'repaid'],
    ['they refused', 'en', 'refused'],
    ['they agreed to 0.45', 'en', 'agreed'],
    ['they said no, what now?', 'en', 'refused'],
    ['police already contacted alipay', 'en', 'police_report'],
    ['I repaid everything but they still call me', 'en', 'repaid'],
  ])('%j is report/%s', (text, lang, event) => {
    const a = act(text, lang);
    expect(a).toMatchObject({ type: 'report', event });
    expect(a?.negated).toBeUndefined();
  });
});

describe('the other acts', () => {
  test.each<[string, Lang, string, Record<string, unknown>]>([
    ['帮我写一封投诉信', 'zh', 'request_document', { doc: 'complaint' }],
    ['谢谢', 'zh', 'ack', {}],
    ['不对，是8万', 'zh', 'correction', {}],
    ['帮我模拟一下', 'zh', 'request_action', {}],
    ['how do I close my alipay account', 'en', 'question', {}],
  ])('%j is %s', (text, lang, type, more) => {
    expect(act(text, lang)).toMatchObject({ type, ...more });
  });

  test('a bare figure is an answer', () => {
    expect(act('0.45', 'zh')).toMatchObject({ type: 'answer' });
  });

  test('every reading is well formed', () => {
    for (const [text, lang] of [
      ['支付宝手续费太高了', 'zh'],
      ['hello', 'en'],
      ['???', 'en'],
      ['明天天气怎么样', 'zh'],
    ] as const) {
      const a = act(text, lang);
      if (!a) continue; // a message without words has no act unless it is a figure
      expect(ACT_TYPES).toContain(a.type);
      expect(a.confidence).toBeGreaterThanOrEqual(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
      if (a.type !== 'report') expect(a.event).toBeUndefined();
      if (a.type !== 'request_document') expect(a.doc).toBeUndefined();
      if (a.type === 'report') expect(a.negated).toBeUndefined();
    }
  });
});

describe('the act features', () => {
  test('mark questions, hypotheticals, negation and the past', () => {
    const f = (text: string) => new Set(actFeatures(text, []));
    expect(f('如果被拒了怎么办').has('~hyp')).toBe(true);
    expect(f('如果被拒了怎么办').has('~?zhword')).toBe(true);
    expect(f('还没联系').has('~notyet')).toBe(true);
    expect(f('谈成了吗？').has('~q+past')).toBe(true);
    expect(f('they refused').has('~plainpast')).toBe(true);
    expect(f('what if they refuse?').has('~hyp+q')).toBe(true);
  });

  test('labels carry the event or the document', () => {
    expect(actLabel({ act: 'report', event: 'refused' })).toBe('report/refused');
    expect(actLabel({ act: 'request_document', doc: 'email' })).toBe('request_document/email');
    expect(actLabel({ act: 'ack' })).toBe('ack');
  });
});
