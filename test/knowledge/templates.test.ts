/**
 * Template filling and topic rendering (src/knowledge/render.ts): the four templates (opening
 * script, rate request email, 12363 complaint, mediation request) filled with what the coach knows,
 * in Chinese and English, with a readable blank for what it does not; topics rendered with the
 * sources of their figures and "as of" dates; and both through the bot — a template button
 * fills the user's own numbers in, "详细" shows the long version.
 */
import { join } from 'node:path';
import { fillTemplate, renderTopic, sourceLine, topicSources } from '../../src/knowledge/render';
import { LANGS, TEMPLATE_SLOTS, type Lang, type Template, type TemplateSlot, type Topic } from '../../src/knowledge/schema';
import { loadKnowledge } from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';
import { uiTexts } from '../helpers/texts';
import { testChat, type TestChat } from '../helpers/runtime';

const { bundle } = loadKnowledge(join(projectRoot(), 'knowledge'));
const lookup = (id: string) => bundle.sources.find((s) => s.id === id);
const texts = uiTexts();

function template(id: string): Template {
  const t = bundle.templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
}
function topic(id: string): Topic {
  const t = bundle.topics.find((x) => x.id === id);
  if (!t) throw new Error(`no topic ${id}`);
  return t;
}

const slotsOf = (body: string): TemplateSlot[] =>
  [...body.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)].map((m) => m[1] as TemplateSlot);

/** A distinct, recognisable value for every slot. */
const VALUES = Object.fromEntries(TEMPLATE_SLOTS.map((s) => [s, `<${s}-value>`])) as Record<TemplateSlot, string>;

const TEMPLATE_IDS = ['opening_script', 'demand_email', 'complaint_12363', 'mediation_request'] as const;
const CASES = TEMPLATE_IDS.flatMap((id) => LANGS.map((lang) => [id, lang] as [string, Lang]));

describe('fillTemplate with everything known', () => {
  it.each(CASES)('%s (%s): every blank is filled, the rest of the text kept', (id, lang) => {
    const t = template(id);
    const filled = fillTemplate(texts, t, lang, VALUES);
    expect(filled).not.toMatch(/\{\{|\}\}/);
    for (const slot of slotsOf(t.body[lang])) expect(filled).toContain(VALUES[slot]);
    // Nothing but the blanks changed: put the placeholders back and it is the template again.
    let restored = filled;
    for (const slot of TEMPLATE_SLOTS) restored = restored.split(VALUES[slot]).join(`{{${slot}}}`);
    expect(restored).toBe(t.body[lang].replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, '{{$1}}'));
  });

  it('uses each template’s own wording in each language', () => {
    const values = { name: '王芳', caseNumber: 'A-2041', demand: '解除账户限制' };
    const zh = fillTemplate(texts, template('complaint_12363'), 'zh', values);
    expect(zh).toContain('投诉人：王芳');
    expect(zh).toContain('工单号：A-2041');
    expect(zh).toContain('解除账户限制。');
    const en = fillTemplate(texts, template('complaint_12363'), 'en', { ...values, demand: 'Lift the restriction' });
    expect(en).toContain('Complainant: 王芳');
    expect(en).toContain('case number: A-2041');
    expect(en).toContain('Lift the restriction.');
  });

  it('the rate request email carries the fee arithmetic it is given', () => {
    const values = {
      business: '小王奶茶店',
      monthlyVolume: '50,000元',
      currentRate: '0.6%',
      targetRate: '0.38%',
      monthlyFee: '300元',
      monthlySaving: '110元',
      yearlySaving: '1,320元',
    };
    const zh = fillTemplate(texts, template('demand_email'), 'zh', values);
    expect(zh).toContain('主题：关于小王奶茶店支付宝收款费率调整的申请');
    expect(zh).toContain('近期月均收款流水：50,000元');
    expect(zh).toContain('当前费率：0.6%');
    expect(zh).toContain('希望将我的收款费率调整为0.38%。按目前流水计算，每月约可节省110元，一年约1,320元。');
  });

  it('inserts a value literally, even one that looks like a pattern or a blank', () => {
    const filled = fillTemplate(texts, template('opening_script'), 'en', { name: "$& and $1 and {{account}}" });
    expect(filled).toContain("Hello, this is $& and $1 and {{account}}, Alipay account [Alipay account].");
  });
});

describe('fillTemplate with nothing known: a readable blank for each slot', () => {
  it.each(CASES)('%s (%s)', (id, lang) => {
    const t = template(id);
    const filled = fillTemplate(texts, t, lang, {});
    expect(filled).not.toMatch(/\{\{|\}\}/);
    const blank = lang === 'zh' ? /【[^】]+】/g : /\[[^\]]+\]/g;
    // Every placeholder became a bracketed blank (the template may have its own brackets too).
    const before = (t.body[lang].match(blank) ?? []).length;
    expect((filled.match(blank) ?? []).length).toBe(before + slotsOf(t.body[lang]).length);
  });

  it('names what to fill in, in the reader’s language', () => {
    const zh = fillTemplate(texts, template('complaint_12363'), 'zh', {});
    expect(zh).toContain('投诉人：【你的姓名】');
    expect(zh).toContain('工单号：【工单号】');
    expect(zh).toContain('投诉日期：【日期】');
    const en = fillTemplate(texts, template('complaint_12363'), 'en', {});
    expect(en).toContain('Complainant: [your name]');
    expect(en).toContain('case number: [case number]');
    expect(en).toContain('Date of complaint: [date]');
  });

  it('treats an empty value as unknown, and fills only what is known', () => {
    const filled = fillTemplate(texts, template('mediation_request'), 'zh', { name: '', business: '小王奶茶店' });
    expect(filled).toContain('申请人：【你的姓名】（小王奶茶店）');
  });

  it('accepts spaces inside the braces', () => {
    const t: Template = { ...template('opening_script'), body: { zh: '我是{{ name }}', en: 'I am {{  name }}' } };
    expect(fillTemplate(texts, t, 'zh', { name: '王芳' })).toBe('我是王芳');
    expect(fillTemplate(texts, t, 'en', {})).toBe('I am [your name]');
  });
});

describe('renderTopic: the answer with its sources', () => {
  it('the short answer ends with at most two sources and their "as of" dates, then 等 / and more', () => {
    const t = topic('refusal.fees');
    const sources = topicSources(t, lookup);
    expect(sources.length).toBeGreaterThan(2);
    const [first, second] = sources;

    const zh = renderTopic(texts, t, 'zh', lookup);
    expect(zh.startsWith(t.answer.zh)).toBe(true);
    expect(zh.split('\n').at(-1)).toBe(
      `📎 依据：${first?.name}（截至${first?.date}）；${second?.name}（截至${second?.date}） 等`,
    );
    const en = renderTopic(texts, t, 'en', lookup);
    expect(en.split('\n').at(-1)).toBe(
      `📎 Sources: ${first?.name} (as of ${first?.date}); ${second?.name} (as of ${second?.date}) and more`,
    );
  });

  it('the long version has the title as a heading and every source', () => {
    const t = topic('refusal.fees');
    const long = renderTopic(texts, t, 'zh', lookup, true);
    expect(long.startsWith(`【${t.title.zh}】\n${t.more.zh}`)).toBe(true);
    for (const s of topicSources(t, lookup)) expect(long).toContain(`${s.name}（截至${s.date}）`);
    expect(long).not.toMatch(/ 等$/);
  });

  it('the coach’s own arithmetic is not cited as a source, and each source is listed once', () => {
    const t = topic('alternatives.consumer');
    const ids = topicSources(t, lookup).map((s) => s.id);
    expect(ids).not.toContain('example');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe(t.figures[0]?.source);
  });

  it('a topic stating no sourced figure has no source line', () => {
    const t = topic('strategy.overview');
    expect(topicSources(t, lookup)).toEqual([]);
    expect(renderTopic(texts, t, 'en', lookup)).toBe(t.answer.en);
    expect(sourceLine(texts, [], 'zh')).toBe('');
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

describe('through the bot', () => {
  it('ZH: after a fee calculation, the rate request email has the user’s own numbers and today’s date', async () => {
    await chat.say('帮我算算手续费：每月流水5万，费率0.6%，降到0.38%能省多少');
    const said = await chat.say('费率申请邮件');
    expect(said.text.startsWith(`📝 ${template('demand_email').title.zh}`)).toBe(true);
    expect(said.text).not.toContain('{{');
    expect(said.text).toContain('近期月均收款流水：50,000元');
    expect(said.text).toContain('当前费率：0.6%');
    expect(said.text).toContain('每月手续费：约300元');
    expect(said.text).toContain('每月约可节省110元，一年约1,320元');
    // What it does not know stays a blank to fill in.
    expect(said.text).toContain('【店铺名称】');
    expect(said.text).not.toContain('【日期】');
    expect(said.text).toMatch(/\n\d{4}-\d{2}-\d{2}\n/);
    // The blanks left are named, with a question for the first.
    expect(said.text).toMatch(/店铺名称[^\n]*$/);
  });

  it('EN: after a fee calculation, the rate request email says the same in English', async () => {
    await chat.say('I run a shop, 50k a month at 0.6%, I want 0.38%');
    const said = await chat.say('Rate request email');
    expect(said.turn.summary?.lang).toBe('en');
    expect(said.text).toContain('Average monthly payment volume recently: CNY 50,000');
    expect(said.text).toContain('save about CNY 110 a month, or about CNY 1,320 a year');
    expect(said.text).toContain('[business name]');
  });

  it('ZH: the 12363 complaint template, typed loosely, comes with blanks to fill in', async () => {
    const said = await chat.say('12363 投诉模板');
    expect(said.text).toContain('【】里的内容请自己填好再发');
    expect(said.text).toContain(fillTemplate(texts, template('complaint_12363'), 'zh', {}).split('\n投诉日期')[0]);
  });

  it('EN: the opening script comes in English', async () => {
    const said = await chat.say('Opening script');
    expect(said.text).toContain('fill in the [brackets] before sending');
    expect(said.text).toContain('Hello, this is [your name], Alipay account [Alipay account].');
  });

  it('ZH: after choosing mediation, both complaint templates are offered and open filled', async () => {
    await chat.say('我的账户被冻结了');
    await chat.say('支付宝拒绝了');
    const mediation = await chat.say('第三方调解');
    expect(mediation.actions).toEqual(expect.arrayContaining(['12363投诉模板', '调解申请书']));
    const said = await chat.say('调解申请书');
    expect(said.text).toContain('申请人：【你的姓名】');
    expect(said.text).not.toContain('{{');
  });

  it('ZH/EN: "详细" / "More" shows the long version of the situation just answered', async () => {
    await chat.say('我的账户被冻结了');
    const zh = await chat.say('详细');
    const frozen = bundle.cases.find((c) => c.id === 'security.frozen_account');
    if (!frozen) throw new Error('case security.frozen_account is missing');
    expect(zh.text).toContain(`【${frozen.title.zh}】`);
    expect(zh.text).toContain(frozen.ask_for.zh);
    expect(zh.text).toContain(frozen.escalate.zh);

    const en = await chat.say('More');
    // The language follows the message: the same situation, now in English.
    expect(en.text).toContain(`【${frozen.title.en}】`);
    expect(en.text).toContain(frozen.escalate.en);
  });

  it('ZH: "详细" after a section question shows that topic\'s long version', async () => {
    await chat.say('协商有哪些策略');
    const t = topic('strategy.overview');
    const zh = await chat.say('详细');
    expect(zh.text).toContain(`【${t.title.zh}】\n${t.more.zh}`);
  });
});
