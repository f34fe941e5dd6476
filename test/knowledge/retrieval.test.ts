/**
 * Retrieval by role and issue (src/knowledge/knowledgeBase.ts): the variant of a topic that fits
 * the user — refusal advice for a fee cut, a frozen account or an ignored complaint; alternatives
 * for merchants or consumers; the mediation ladder per problem — and asking which problem first
 * when that changes the answer. First through the KnowledgeBase API, then through the real bot,
 * where role and issue come from what the user said earlier in the conversation.
 */
import { KnowledgeBase, type Retrieval, type UserContext } from '../../src/knowledge/knowledgeBase';
import { ISSUES, LANGS, ROLES, type Intent, type Lang, type Topic } from '../../src/knowledge/schema';
import { loadNlu } from '../../src/nlu/loadNlu';
import { testChat, type Said, type TestChat } from '../helpers/runtime';

const nlu = loadNlu();
const kb = KnowledgeBase.load((text) => nlu.features(text), nlu.featurizerId);

/** The id of the topic retrieved, or the kind of answer when it is not a topic. */
function retrieved(intent: Intent, text: string, user: UserContext = {}, mayAsk = true): string {
  const r: Retrieval = kb.retrieve(intent, text, user, mayAsk);
  return r.kind === 'topic' ? r.topic.id : r.kind;
}

describe('KnowledgeBase.retrieve: the variant that fits the problem', () => {
  it.each([
    ['申请降费被拒了', 'refusal.fees'],
    ['my unfreeze appeal was rejected', 'refusal.security'],
    ['nobody answers my complaint', 'refusal.service'],
  ])('refusal advice follows the problem the words name: "%s" → %s', (text, topic) => {
    expect(retrieved('refusal', text)).toBe(topic);
  });

  it('the same refusal question gets the advice for the problem the user has', () => {
    const text = 'they turned me down, what next';
    expect(retrieved('refusal', text, { role: 'merchant', issue: 'fees' })).toBe('refusal.fees');
    expect(retrieved('refusal', text, { role: 'consumer', issue: 'service' })).toBe('refusal.service');
  });

  it.each([
    ['', 'merchant', 'alternatives.merchant'],
    ['', 'consumer', 'alternatives.consumer'],
    ['what else can I do', 'merchant', 'alternatives.merchant'],
    ['还有别的选择吗', 'consumer', 'alternatives.consumer'],
  ] as const)('alternatives: "%s" from a %s → %s', (text, role, topic) => {
    expect(retrieved('alternatives', text, { role })).toBe(topic);
  });

  it.each([
    ['手续费太贵了', 'merchant', 'problems.fees.merchant'],
    ['手续费太贵了', 'consumer', 'problems.fees.consumer'],
    ['the fees are too high', 'merchant', 'problems.fees.merchant'],
    ['the fees are too high', 'consumer', 'problems.fees.consumer'],
  ] as const)('fee problems: "%s" from a %s → %s', (text, role, topic) => {
    expect(retrieved('fees', text, { role })).toBe(topic);
  });

  it.each(ISSUES.map((issue) => [issue]))('the mediation ladder for %s, whatever the wording', (issue) => {
    for (const text of ['', 'Who can mediate my dispute with Alipay?', '还能找谁评理']) {
      expect(retrieved('mediation', text, { issue })).toBe(`mediation.${issue}`);
    }
  });

  it('evidence advice differs for fee talks and for account or service problems', () => {
    const text = 'what data should I collect';
    expect(retrieved('strategy', text, { issue: 'fees' })).toBe('strategy.data.fees');
    expect(retrieved('strategy', text, { issue: 'security' })).toBe('strategy.data.security_service');
    expect(retrieved('strategy', text, { issue: 'service' })).toBe('strategy.data.security_service');
  });

  it('a frozen account and a scam are different security problems', () => {
    expect(retrieved('security', '账户突然被冻结，钱取不出来')).toBe('problems.security.frozen');
    expect(retrieved('security', 'someone stole money from my account')).toBe('problems.security.fraud');
  });

  it('an intent the knowledge base does not answer retrieves nothing', () => {
    for (const intent of ['greet', 'roleplay', 'fee_calc', 'out_of_scope'] as const) {
      expect(retrieved(intent, 'hello')).toBe('none');
    }
  });
});

describe('KnowledgeBase.retrieve: asking which problem first', () => {
  it.each(['投诉和调解', '第三方调解', ''])(
    'a mediation question that does not say which problem ("%s") asks, offering all three',
    (text) => {
      const r = kb.retrieve('mediation', text, {});
      expect(r).toEqual({ kind: 'ask_issue', issues: [...ISSUES] });
      // Knowing the role does not settle which problem it is.
      expect(kb.retrieve('mediation', text, { role: 'merchant' }).kind).toBe('ask_issue');
    },
  );

  it('does not ask when the issue is known, or when asking is not allowed', () => {
    expect(retrieved('mediation', '第三方调解', { issue: 'security' })).toBe('mediation.security');
    expect(retrieved('mediation', '第三方调解', {}, false)).toMatch(/^mediation\./);
  });

  it('does not ask when the words already name the problem', () => {
    expect(retrieved('mediation', 'where can I complain about my frozen account')).toBe('mediation.security');
    expect(retrieved('mediation', 'they overcharged my fees, who can I complain to')).toBe('mediation.fees');
    expect(retrieved('mediation', '手续费被多收了找谁投诉')).toBe('mediation.fees');
  });

  it('does not ask about topics that serve every problem alike', () => {
    for (const intent of ['background', 'steps', 'goals_principles', 'outlook'] as const) {
      expect(kb.retrieve(intent, '', {}).kind).toBe('topic');
    }
  });
});

describe('KnowledgeBase.retrieve over every example question', () => {
  const cases = kb.bundle.topics.flatMap((topic) =>
    topic.intents.flatMap((intent) =>
      LANGS.flatMap((lang) => topic.examples[lang].map((text) => ({ topic, intent, text }))),
    ),
  );

  it('never gives a user a topic for the other role or another problem when one fits them', () => {
    const wrong: string[] = [];
    for (const { intent, text } of cases) {
      const candidates = kb.topicsFor(intent);
      for (const role of ROLES) {
        const forRole = candidates.filter((t) => t.roles.includes(role));
        for (const issue of ISSUES) {
          const r = kb.retrieve(intent, text, { role, issue });
          if (r.kind !== 'topic') {
            wrong.push(`${intent} "${text}" ${role}/${issue} → ${r.kind}`);
            continue;
          }
          const roleOk = forRole.length === 0 || r.topic.roles.includes(role);
          const pool = forRole.length > 0 ? forRole : candidates;
          const issueOk = !pool.some((t) => t.issues.includes(issue)) || r.topic.issues.includes(issue);
          if (!roleOk || !issueOk) wrong.push(`${intent} "${text}" ${role}/${issue} → ${r.topic.id}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('finds the topic an example question was written for (at least 98% of them)', () => {
    const misses = cases.filter(({ topic, intent, text }) => {
      const user: UserContext = {
        role: topic.roles.length === 1 ? topic.roles[0] : undefined,
        issue: topic.issues.length === 1 ? topic.issues[0] : undefined,
      };
      return retrieved(intent, text, user) !== topic.id;
    });
    expect(cases.length).toBeGreaterThan(300);
    expect(misses.length / cases.length).toBeLessThanOrEqual(0.02);
  });
});

/* ------------------------------------------------------------------------------------------------
 * Through the bot
 * ---------------------------------------------------------------------------------------------- */

let chat: TestChat;
beforeEach(async () => {
  chat = await testChat();
});
afterEach(async () => {
  await chat.runtime.close();
});

/** The topics whose short answer the reply shows, in the reply's language. */
function topicsShown(said: Said, lang: Lang): string[] {
  return chat.runtime.deps.kb.bundle.topics
    .filter((t: Topic) => said.text.includes(t.answer[lang]))
    .map((t) => t.id);
}

async function conversation(lines: string[]): Promise<Said> {
  let last: Said | undefined;
  for (const line of lines) last = await chat.say(line);
  if (!last) throw new Error('no lines');
  return last;
}

describe('through the bot: refusal advice for the problem the user described earlier', () => {
  it('ZH: a merchant who said the fees are high gets the fee-specific advice and the three paths', async () => {
    const said = await conversation(['我是开店的，每个月交不少手续费', '支付宝拒绝了怎么办']);
    expect(topicsShown(said, 'zh')).toEqual(['refusal.fees']);
    expect(said.turn.summary?.stage).toBe('refused');
    expect(said.actions).toEqual(['继续沟通', '寻找替代方案', '第三方调解']);
  });

  it('ZH: a user whose account was frozen gets the unfreezing advice', async () => {
    const said = await conversation(['我的账户被冻结了', '支付宝拒绝了怎么办']);
    expect(topicsShown(said, 'zh')).toEqual(['refusal.security']);
    expect(said.text).toContain('第32条');
  });

  it('EN: a user whose complaint went nowhere gets the complaint advice', async () => {
    const said = await conversation(['I complained to customer service weeks ago', 'Alipay refused, what now?']);
    expect(said.turn.summary?.lang).toBe('en');
    expect(topicsShown(said, 'en')).toEqual(['refusal.service']);
  });

  it('when the problem is unknown it asks, and the answer brings the matching advice', async () => {
    const first = await chat.say('支付宝拒绝了怎么办');
    expect(first.text).toContain('被拒的是哪件事');
    expect(topicsShown(first, 'zh').filter((id) => id.startsWith('refusal.'))).toEqual([]);

    const second = await chat.say('账户冻结');
    expect(topicsShown(second, 'zh')).toEqual(['refusal.security']);
  });

  it('EN: the refusal advice for a merchant is in English and names the fee route', async () => {
    const said = await chat.say('I am a merchant and Alipay refused to lower my fee');
    expect(topicsShown(said, 'en')).toEqual(['refusal.fees']);
    expect(said.actions).toEqual(['Keep talking', 'Look at alternatives', 'Third-party mediation']);
  });
});

describe('through the bot: alternatives and mediation by role and issue', () => {
  it('ZH: a merchant asking for other options gets other payment channels', async () => {
    const said = await conversation(['我是开店的，费率太高了', '有没有别的收款渠道可以选']);
    expect(topicsShown(said, 'zh')).toEqual(['alternatives.merchant']);
  });

  it('ZH: a personal user asking for other options gets ways to pay less, not merchant channels', async () => {
    const said = await conversation(['作为个人用户，提现手续费太贵了', '有没有别的办法省钱']);
    expect(topicsShown(said, 'zh')).toEqual(['alternatives.consumer']);
  });

  it('EN: merchant and personal user get different alternatives to the same question', async () => {
    const merchant = await conversation(['I am a merchant and my fees are too high', 'what are my alternatives to Alipay?']);
    expect(topicsShown(merchant, 'en')).toEqual(['alternatives.merchant']);

    await chat.runtime.close();
    chat = await testChat();
    const consumer = await conversation(['I am just a regular user', 'what are my alternatives to Alipay?']);
    expect(topicsShown(consumer, 'en')).toEqual(['alternatives.consumer']);
  });

  it('after a refusal, "look at alternatives" follows the role', async () => {
    const merchant = await conversation(['I am a merchant and Alipay refused to lower my fee', 'Look at alternatives']);
    expect(merchant.turn.summary?.stage).toBe('alternatives');
    expect(topicsShown(merchant, 'en')).toEqual(['alternatives.merchant']);
  });

  it('ZH: a mediation question without the problem asks which one; the choice brings its ladder', async () => {
    const ask = await chat.say('投诉和调解');
    expect(ask.text).toContain('你遇到的是哪一类问题');
    expect(ask.actions).toEqual(['手续费', '账户安全', '客服不处理']);

    const answer = await chat.say('账户安全');
    expect(topicsShown(answer, 'zh')).toEqual(['mediation.security']);
    expect(answer.actions).toEqual(expect.arrayContaining(['12363投诉模板', '调解申请书']));
  });

  it('after a refusal about a frozen account, third-party mediation brings the account ladder', async () => {
    const said = await conversation(['我的账户被冻结了', '支付宝拒绝了', '第三方调解']);
    expect(said.turn.summary?.stage).toBe('mediation');
    expect(topicsShown(said, 'zh')).toEqual(['mediation.security']);
  });

  it('EN: a user with a fee problem asking who can mediate gets the fee dispute ladder', async () => {
    const said = await conversation(['My withdrawal fees are too high', 'Complaints and mediation']);
    expect(topicsShown(said, 'en')).toEqual(['mediation.fees']);
  });
});
