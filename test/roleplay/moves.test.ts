/**
 * What a role-play line does (src/roleplay/moves.ts), for the moves a user notices at once when
 * they are misread: acceptance in any wording, a no, a counter-offer, a rate that is someone
 * else's, an ending said inside a message, a direct question, a polite request for a supervisor.
 */
import type { Lang, Scenario } from '../../src/knowledge/schema';
import { endsRoleplay, isOnlyEnding, readMove } from '../../src/roleplay/moves';

const OFFER = { offer: 0.5, current: 0.6 };
const fees = (lang: Lang, text: string) => readMove(text, lang, 'fees', OFFER);

describe('acceptance in any wording', () => {
  const YES: [Lang, string][] = [
    ['zh', '好，那就先这样试一个季度'],
    ['zh', '行吧就这样'],
    ['zh', '可以，没问题，麻烦您提交吧'],
    ['zh', '成交'],
    ['zh', '那就这么定了，谢谢您'],
    ['zh', '这样也行吧'],
    ['zh', '好的，就按您说的办'],
    ['en', "Great, I'm happy with that"],
    ['en', 'deal'],
    ['en', 'that works for me'],
    ['en', 'I can live with that'],
    ['en', 'Fine, I’ll take it.'],
    ['en', 'Sounds good, please submit it'],
    ['en', 'Okay, agreed.'],
  ];
  it.each(YES)('%s: "%s" takes the offer on the table', (lang, text) => {
    const m = fees(lang, text);
    expect(m.accept).toBe(true);
    expect(m.ask).toBeUndefined();
    for (const scenario of ['security', 'service'] as Scenario[])
      expect(readMove(text, lang, scenario).accept).toBe(true);
  });

  const NO: [Lang, string][] = [
    ['zh', '不行，还是太高了'],
    ['zh', '这个我接受不了'],
    ['zh', '好是好，但能不能再低一点？'],
    ['en', "No, that's still too high"],
    ['en', 'not good enough'],
    ['en', 'no deal'],
    ['en', 'Is that really the best you can do?'],
    ['en', "ok that's not what I asked"],
    ['en', "ok, that's all for now, end"],
  ];
  it.each(NO)('%s: "%s" is not a yes', (lang, text) => {
    expect(fees(lang, text).accept).toBe(false);
  });
});

describe('counter-offers and rates that are not asks', () => {
  it.each([
    ['en', 'What about a trial at 0.45% for a quarter, then review against my volume?', 0.45],
    ['en', "I'd take 0.48% if you can do it today.", 0.48],
    ['zh', '先按0.45%试行一个季度，到期再评估，可以吗？', 0.45],
    ['zh', '能不能降到0.48%？', 0.48],
  ] as [Lang, string, number][])('%s: "%s" asks for %s%%', (lang, text, rate) => {
    expect(fees(lang, text)).toMatchObject({ ask: rate, accept: false, act: 'counter' });
  });

  it.each([
    ['zh', '隔壁同类的店拿到了0.45%，银联也给我报了0.4%。'],
    ['en', 'Lakala quoted me 0.38% in writing.'],
    ['en', 'I pay 0.6% now.'],
    ['zh', '现在费率0.6%，每月手续费720元。'],
  ] as [Lang, string][])('%s: "%s" names a precedent or the current rate, not an ask', (lang, text) => {
    expect(fees(lang, text).ask).toBeUndefined();
  });
});

describe('ending the practice', () => {
  it.each([
    '算了 结束吧',
    '好了不练了',
    '那就先到这里吧',
    "let's stop here",
    'I think we should stop here, thanks',
    "let's call it a day",
    '/end',
  ])('"%s" ends it, and says nothing else', (text) => {
    expect(endsRoleplay(text)).toBe(true);
    expect(isOnlyEnding(text)).toBe(true);
  });

  it.each(['算了，结束吧，跟你们说不通', "Forget it, let's end this. Talking to you people is pointless."])(
    '"%s" ends it inside a longer message',
    (text) => {
      expect(endsRoleplay(text)).toBe(true);
      expect(isOnlyEnding(text)).toBe(false);
    },
  );

  it.each(['we can end this today if you agree', '0.5%? That’s enough.', '结束冻结需要多久？'])(
    '"%s" is a move, not an ending',
    (text) => expect(endsRoleplay(text)).toBe(false),
  );
});

describe('direct questions and requests', () => {
  it.each([
    ['zh', 'security', '需要我准备什么材料？多久能解冻？在哪里申诉？', ['documents', 'deadline', 'channel']],
    ['zh', 'security', '你好，我的账户被限制了，我想知道原因。', ['reason']],
    ['zh', 'security', '余额能先转出来吗？', ['release']],
    [
      'en',
      'security',
      'Which documents do you need, and how long will the review take?',
      ['documents', 'deadline'],
    ],
    ['en', 'service', "What's the case number, and when will I get a reply?", ['case_number', 'reply_date']],
  ] as [Lang, Scenario, string, string[]][])('%s %s: "%s" asks %j', (lang, scenario, text, topics) => {
    expect(readMove(text, lang, scenario).topics.sort()).toEqual([...topics].sort());
  });

  it('a polite request brings a supervisor; a threat does not', () => {
    expect(readMove('麻烦您帮我转一下您的领导，谢谢。', 'zh', 'fees').supervisor).toBe(true);
    expect(readMove('Could I speak to your supervisor, please?', 'en', 'service').supervisor).toBe(true);
    const threat = readMove("Get me your manager or I'll sue you, last chance.", 'en', 'fees');
    expect(threat.threat).toBe(true);
    expect(threat.supervisor).toBe(false);
  });
});
