/**
 * Complaint channels (knowledge/channels.yaml) and the glossary (knowledge/glossary.yaml): both
 * load cleanly into the bundle and the KnowledgeBase, every entry passes the validator, the
 * validator reports broken entries (a language missing, a figure without a source or with an
 * unknown one, an answer that does not start with its verdict, a dangling `see`, a name used
 * twice …), and the answers say what a user asking "can 12363 handle fees? and 12315?" needs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { KnowledgeBase } from '../../src/knowledge/knowledgeBase';
import {
  CHANNEL_ISSUES,
  LANGS,
  VERDICTS,
  VERDICT_LEADS,
  type Channel,
  type ChannelIssue,
} from '../../src/knowledge/schema';
import {
  MAX_ANSWER_SENTENCE_EN_WORDS,
  MAX_ANSWER_SENTENCE_ZH_CHARS,
  MAX_MEANING_EN_WORDS,
  MAX_MEANING_ZH_CHARS,
  channelTexts,
  checkChannels,
  checkGlossary,
  glossaryTexts,
  isTraditional,
  loadKnowledge,
  sentenceCount,
  termKey,
} from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = join(projectRoot(), 'knowledge');
const CHANNELS_FILE = join(KNOWLEDGE, 'channels.yaml');
const GLOSSARY_FILE = join(KNOWLEDGE, 'glossary.yaml');

const { bundle, problems } = loadKnowledge(KNOWLEDGE);
const kb = new KnowledgeBase(bundle, (text) => text.split(/\s+/));
const sourceIds = new Set(bundle.sources.map((s) => s.id));
const seeTargets = new Set([...bundle.channels.map((c) => c.id), ...bundle.cases.map((c) => c.id)]);

type Raw = Record<string, unknown>;
const rawChannels = (): Raw[] => parse(readFileSync(CHANNELS_FILE, 'utf8')) as Raw[];
const rawGlossary = (): Raw[] => parse(readFileSync(GLOSSARY_FILE, 'utf8')) as Raw[];
/** A fresh copy of one real entry, for a test to break. */
function rawChannel(id: string): Raw {
  const found = rawChannels().find((c) => c.id === id);
  if (!found) throw new Error(`no channel ${id}`);
  return found;
}
function rawTerm(id: string): Raw {
  const found = rawGlossary().find((g) => g.id === id);
  if (!found) throw new Error(`no glossary entry ${id}`);
  return found;
}
const messages = (ps: { message: string }[]): string[] => ps.map((p) => p.message);

/** The channel a user means by a name they typed ("12363", "消协", "黑猫投诉"). */
function channelNamed(typed: string): Channel | undefined {
  const key = termKey(typed);
  return kb.channels.find((c) => [...c.names.zh, ...c.names.en].some((n) => termKey(n) === key));
}
/** "Can <channel> handle <issue>?" */
function answer(typed: string, issue: ChannelIssue): Channel['handles'][ChannelIssue] {
  const channel = channelNamed(typed);
  if (!channel) throw new Error(`no channel named ${typed}`);
  return channel.handles[issue];
}

describe('channels.yaml and glossary.yaml load', () => {
  it('report no problems', () => {
    const ours = problems.filter((p) => /channels\.yaml|glossary\.yaml/.test(p.file));
    expect(ours).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('put every entry of both files in the bundle', () => {
    expect(bundle.channels.map((c) => c.id)).toEqual(rawChannels().map((c) => c.id));
    expect(bundle.glossary.map((g) => g.id)).toEqual(rawGlossary().map((g) => g.id));
    expect(bundle.channels.length).toBeGreaterThanOrEqual(12);
    expect(bundle.glossary.length).toBeGreaterThanOrEqual(19);
  });

  it('are served by the KnowledgeBase: channels, channel(id), glossary', () => {
    expect(kb.channels).toBe(bundle.channels);
    expect(kb.glossary).toBe(bundle.glossary);
    expect(kb.channel('pboc_12363')?.title.en).toContain('12363');
    expect(kb.channel('samr_12315')?.handles.fees.verdict).toBeDefined();
    expect(kb.channel('no_such_channel')).toBeUndefined();
  });

  it('an older bundle without them still loads (empty lists)', () => {
    const { channels: _c, glossary: _g, ...older } = bundle;
    const old = new KnowledgeBase(older as typeof bundle, (t) => [t]);
    expect(old.channels).toEqual([]);
    expect(old.glossary).toEqual([]);
    expect(old.channel('pboc_12363')).toBeUndefined();
  });
});

describe('every entry validates on its own', () => {
  it.each(rawChannels().map((c) => [c.id, c]))('channel %s', (_id, raw) => {
    const { channels, problems: found } = checkChannels([raw], 'channels.yaml', sourceIds);
    expect(messages(found)).toEqual([]);
    expect(channels).toHaveLength(1);
  });

  it.each(rawGlossary().map((g) => [g.id, g]))('glossary %s', (_id, raw) => {
    const { entries, problems: found } = checkGlossary([raw], 'glossary.yaml', sourceIds, seeTargets);
    expect(messages(found)).toEqual([]);
    expect(entries).toHaveLength(1);
  });

  it('every channel answers all four problems in both languages, starting with the verdict', () => {
    for (const c of bundle.channels) {
      for (const issue of CHANNEL_ISSUES) {
        const a = c.handles[issue];
        expect(VERDICTS).toContain(a.verdict);
        for (const lang of LANGS) {
          expect(a[lang].trim()).not.toBe('');
          expect(a[lang].startsWith(VERDICT_LEADS[a.verdict][lang])).toBe(true);
          expect(sentenceCount(a[lang], lang)).toBe(1);
        }
      }
    }
  });

  it('writes Chinese in simplified characters everywhere', () => {
    const zhTexts = [
      ...bundle.channels.flatMap((c) => [
        ...c.names.zh,
        c.title.zh,
        c.what.zh,
        ...CHANNEL_ISSUES.map((i) => c.handles[i].zh),
        c.before?.zh ?? '',
        c.how.zh,
      ]),
      ...bundle.glossary.flatMap((g) => [...g.terms.zh, g.meaning.zh]),
    ];
    expect(zhTexts.length).toBeGreaterThan(100);
    expect(zhTexts.filter(isTraditional)).toEqual([]);
  });

  it('cites only sources that sources.yaml has, with a public address or a reviewed "none"', () => {
    const cited = [
      ...bundle.channels.flatMap((c) => [...c.figures.map((f) => f.source), ...(c.sources ?? [])]),
      ...bundle.glossary.flatMap((g) => [...g.figures.map((f) => f.source), ...(g.sources ?? [])]),
    ];
    for (const id of cited) expect(sourceIds).toContain(id);
    // Every declared figure is one the texts state.
    for (const c of bundle.channels) {
      for (const f of c.figures) expect([c.id, f.text, channelTexts(c).some((t) => t.includes(f.text))]).toEqual([c.id, f.text, true]);
    }
    for (const g of bundle.glossary) {
      for (const f of g.figures) expect([g.id, f.text, glossaryTexts(g).some((t) => t.includes(f.text))]).toEqual([g.id, f.text, true]);
    }
    // The sources added for these files say when they were read.
    for (const id of ['samr-12315-platform', 'cca-about', 'shanghai-police-96110', 'qz-yuebao-2019', 'ant-zhima-letter-2017']) {
      const source = kb.source(id);
      expect(source?.url).toMatch(/^https?:\/\//);
      expect(source?.accessed).toBe('2026-12-07');
    }
  });
});

describe('the validator reports broken entries', () => {
  const check = (raw: Raw): string[] => messages(checkChannels([raw], 'channels.yaml', sourceIds).problems);
  const checkTerm = (raw: Raw): string[] =>
    messages(checkGlossary([raw], 'glossary.yaml', sourceIds, seeTargets).problems);

  it('a channel without its English `what` is reported, named by file and id, and left out', () => {
    const raw = rawChannel('pboc_12363');
    delete (raw.what as Raw).en;
    const { channels, problems: found } = checkChannels([raw, rawChannel('samr_12315')], 'channels.yaml', sourceIds);
    expect(found).toEqual([{ file: 'channels.yaml (pboc_12363)', message: expect.stringContaining('what.en') }]);
    expect(channels.map((c) => c.id)).toEqual(['samr_12315']);
  });

  it('a blank answer, or a missing problem, is reported', () => {
    const blank = rawChannel('samr_12315');
    ((blank.handles as Raw).fees as Raw).zh = '   ';
    expect(check(blank)).toEqual([expect.stringContaining('handles.fees.zh')]);
    const missing = rawChannel('samr_12315');
    delete (missing.handles as Raw).credit;
    expect(check(missing)).toEqual([expect.stringContaining('handles.credit')]);
  });

  it('a verdict outside yes/no/partly/unknown is reported', () => {
    const raw = rawChannel('heimao');
    ((raw.handles as Raw).fees as Raw).verdict = 'maybe';
    expect(check(raw)).toEqual([expect.stringContaining('handles.fees.verdict')]);
  });

  it('a figure the texts state without declaring it is reported with the figure', () => {
    const raw = rawChannel('pboc_12363');
    (raw.how as Raw).en += ' Expect an answer within 15 days.';
    expect(check(raw)).toContain('figure without a source: 15');
  });

  it('a figure citing a source that does not exist is reported', () => {
    const raw = rawChannel('pboc_12363');
    (raw.figures as { text: string; source: string }[])[0]!.source = 'rumour';
    expect(check(raw)).toEqual(['figure "12363" cites unknown source "rumour"']);
  });

  it('a number in a name needs a source too, and so does a prose source', () => {
    const raw = rawChannel('heimao');
    ((raw.names as Raw).en as string[]).push('Heimao 2018');
    raw.sources = ['heimao-tousu', 'hearsay'];
    expect(check(raw)).toEqual(['figure without a source: 2018', 'sources: unknown source "hearsay"']);
  });

  it('an answer that does not start with its verdict is reported, in each language', () => {
    const raw = rawChannel('pboc_12363');
    ((raw.handles as Raw).fees as Raw).verdict = 'yes';
    expect(check(raw)).toEqual([
      'handles.fees.zh must start with "可以" (verdict yes)',
      'handles.fees.en must start with "Yes" (verdict yes)',
    ]);
  });

  it('an answer or a meaning longer than a chat line is reported, in either language', () => {
    const raw = rawChannel('police_110');
    const fees = (raw.handles as Raw).fees as Raw;
    fees.zh = `${String(fees.zh).replace(/。$/, '')}${'，请保留好所有记录'.repeat(8)}。`;
    fees.en = `${String(fees.en).replace(/\.$/, '')}${', and keep all your records'.repeat(8)}.`;
    expect(check(raw)).toEqual([
      expect.stringMatching(new RegExp(`^handles\\.fees\\.zh is \\d+ characters; keep it under ${MAX_ANSWER_SENTENCE_ZH_CHARS}$`)),
      expect.stringMatching(new RegExp(`^handles\\.fees\\.en is \\d+ words; keep it under ${MAX_ANSWER_SENTENCE_EN_WORDS}$`)),
    ]);
    const term = rawTerm('ticket');
    (term.meaning as Raw).zh = `客服登记问题的编号${'，请记得保存'.repeat(14)}。`;
    (term.meaning as Raw).en = `The number of your issue${', keep it safe'.repeat(14)}.`;
    expect(checkTerm(term)).toEqual([
      expect.stringMatching(new RegExp(`^meaning\\.zh is \\d+ characters; keep it under ${MAX_MEANING_ZH_CHARS}$`)),
      expect.stringMatching(new RegExp(`^meaning\\.en is \\d+ words; keep it under ${MAX_MEANING_EN_WORDS}$`)),
    ]);
  });

  it('an answer of two sentences is reported', () => {
    const raw = rawChannel('police_110');
    const fees = (raw.handles as Raw).fees as Raw;
    fees.en = `${String(fees.en)} Fees are not a crime.`;
    expect(check(raw)).toEqual([expect.stringMatching(/^handles\.fees\.en has 2 sentences/)]);
  });

  it('traditional characters in Chinese text, or English in the Chinese slot, are reported', () => {
    const raw = rawChannel('alipay_95188');
    (raw.what as Raw).zh = '95188是支付寶自己的客服熱線。';
    (raw.how as Raw).zh = 'Call 95188 and follow the prompts.';
    expect(check(raw)).toEqual(['what.zh uses traditional characters', 'how.zh is not written in Chinese']);
  });

  it('two channels with the same id, or sharing a name, are reported', () => {
    const a = rawChannel('samr_12315');
    const b = rawChannel('consumer_association');
    ((b.names as Raw).zh as string[]).push('１２３１５'); // full-width digits are the same name
    const { problems: found } = checkChannels([a, b, rawChannel('samr_12315')], 'channels.yaml', sourceIds);
    expect(messages(found)).toEqual(
      expect.arrayContaining([
        'name "12315" belongs to both samr_12315 and consumer_association',
        'duplicate id samr_12315',
      ]),
    );
  });

  it('a glossary entry without its Chinese meaning, or with an unsourced figure, is reported', () => {
    const noZh = rawTerm('withdrawal');
    delete (noZh.meaning as Raw).zh;
    expect(checkTerm(noZh)).toEqual([expect.stringContaining('meaning.zh')]);
    const unsourced = rawTerm('withdrawal');
    unsourced.figures = (unsourced.figures as { text: string }[]).filter((f) => f.text !== '0.1%');
    expect([...new Set(checkTerm(unsourced))]).toEqual(['figure without a source: 0.1%']);
  });

  it('a glossary `see` that names no channel or case is reported', () => {
    const raw = rawTerm('risk_control');
    raw.see = 'security.nowhere';
    expect(checkTerm(raw)).toEqual(['see: no channel or case "security.nowhere"']);
  });

  it('two glossary entries sharing a term are reported', () => {
    const a = rawTerm('freeze');
    const b = rawTerm('risk_control');
    ((b.terms as Raw).zh as string[]).push('冻结');
    const { problems: found } = checkGlossary([a, b], 'glossary.yaml', sourceIds, seeTargets);
    expect(messages(found)).toEqual(['term "冻结" belongs to both freeze and risk_control']);
  });

  it('a meaning longer than two sentences is reported', () => {
    const raw = rawTerm('ticket');
    (raw.meaning as Raw).en += ' Keep it. Always.';
    expect(checkTerm(raw)).toEqual([expect.stringMatching(/^meaning\.en has 4 sentences/)]);
  });

  it('loadKnowledge reports a broken channels.yaml by entry, and a missing glossary.yaml', () => {
    const { dir, cleanup } = tempDir('coach-channels-');
    try {
      cpSync(KNOWLEDGE, dir, { recursive: true, filter: (src) => basename(src) !== 'nlu' });
      const list = rawChannels();
      delete ((list[0] as Raw).title as Raw).zh;
      writeFileSync(join(dir, 'channels.yaml'), stringify(list));
      writeFileSync(join(dir, 'glossary.yaml'), 'id: not-a-list\n');
      const found = loadKnowledge(dir).problems.map((p) => `${basename(p.file)}: ${p.message}`);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^channels\.yaml \(alipay_95188\): title\.zh/),
          'glossary.yaml: must be a list of entries',
        ]),
      );
    } finally {
      cleanup();
    }
  });
});

describe('what a user asking about channels gets', () => {
  it('has every channel users ask about, found by what they type', () => {
    const expected: [string, string][] = [
      ['95188', 'alipay_95188'],
      ['我的客服', 'alipay_my_service'],
      ['商家平台', 'alipay_merchant_console'],
      ['商家服务', 'alipay_merchant_console'],
      ['12363', 'pboc_12363'],
      ['１２３６３', 'pboc_12363'],
      ['12378', 'nfra_12378'],
      ['金融监管总局投诉电话', 'nfra_12378'],
      ['12315', 'samr_12315'],
      ['消协', 'consumer_association'],
      ['消费者协会', 'consumer_association'],
      ['人民调解', 'people_mediation'],
      ['黑猫投诉', 'heimao'],
      ['96110', 'anti_fraud_96110'],
      ['110', 'police_110'],
      ['报警', 'police_110'],
      ['仲裁', 'arbitration_court'],
      ['法院', 'arbitration_court'],
      ['PBOC complaint line', 'pboc_12363'],
      ["people's mediation", 'people_mediation'],
    ];
    for (const [typed, id] of expected) expect([typed, channelNamed(typed)?.id]).toEqual([typed, id]);
  });

  it('"Can 12363 handle fees?" is one sentence that starts with its verdict, in both languages', () => {
    const fees = answer('12363', 'fees');
    expect(fees.verdict).toBe('partly');
    expect(fees.zh.startsWith('部分可以')).toBe(true);
    expect(fees.en.startsWith('Partly')).toBe(true);
    expect(sentenceCount(fees.zh, 'zh')).toBe(1);
    expect(sentenceCount(fees.en, 'en')).toBe(1);
  });

  it('"and 12315?" is answered from the 12315 entry, honestly: it is not known', () => {
    const fees = answer('12315', 'fees');
    expect(fees.verdict).toBe('unknown');
    expect(fees.zh.startsWith('我不确定')).toBe(true);
    expect(fees.en.startsWith("I don't know for sure")).toBe(true);
    // An unknown says where to go instead.
    expect(fees.en).toContain('12363');
  });

  it('every unknown names another place to ask', () => {
    for (const c of bundle.channels) {
      for (const issue of CHANNEL_ISSUES) {
        const a = c.handles[issue];
        if (a.verdict !== 'unknown') continue;
        for (const lang of LANGS) expect([c.id, issue, lang, /\d{3,}/.test(a[lang])]).toEqual([c.id, issue, lang, true]);
      }
    }
  });

  it('sends each problem where the sources say it belongs', () => {
    expect(answer('12378', 'credit').verdict).toBe('yes'); // 花呗/借呗: the NFRA
    expect(answer('12363', 'service').verdict).toBe('yes'); // payment institutions: the PBOC
    expect(answer('12363', 'credit').verdict).toBe('unknown');
    expect(answer('12363', 'credit').zh).toContain('12378');
    expect(answer('110', 'security').verdict).toBe('yes');
    expect(answer('96110', 'fees').verdict).toBe('no');
    expect(answer('95188', 'fees').verdict).toBe('yes');
    expect(answer('人民调解', 'fees').zh).toContain('30日内');
  });

  it('says before a regulator that Alipay comes first', () => {
    expect(kb.channel('pboc_12363')?.before?.zh).toMatch(/^先向支付宝投诉/);
    expect(kb.channel('pboc_12363')?.before?.en).toMatch(/^Complain to Alipay first/);
  });

  it('does not state what the fact sheet leaves unconfirmed', () => {
    const court = kb.channel('arbitration_court');
    expect(court?.how.zh).toContain('法律适用与管辖');
    expect(court?.how.en.startsWith("I don't know")).toBe(true);
    // No hours for 95188, and no hours or reply time for 12378.
    for (const id of ['alipay_95188', 'nfra_12378']) {
      const how = kb.channel(id)?.how;
      expect(how?.en).toMatch(/no confirmed source/);
      expect(`${how?.zh} ${how?.en}`).not.toMatch(/\d+\s*(小时|点|:|hours?\b|am|pm)/i);
    }
    const pcac = kb.channel('pcac');
    for (const issue of CHANNEL_ISSUES) expect(pcac?.handles[issue].verdict).toBe('unknown');
  });
});

describe('what a user asking what a term means gets', () => {
  const entryFor = (typed: string) =>
    kb.glossary.find((g) => [...g.terms.zh, ...g.terms.en].some((t) => termKey(t) === termKey(typed)));

  it.each([
    '我的客服',
    '95188',
    '花呗',
    '借呗',
    '余额宝',
    '当面付',
    '商家收款码',
    '收钱码',
    '费率',
    '提现',
    '提现额度',
    '风控',
    '冻结',
    '止付',
    '限制收款',
    '工单',
    '芝麻信用',
    '实名认证',
    '外卡',
    '国际卡',
    '商家服务',
    '商家平台',
    '人民调解',
    '12363',
    '12315',
    'risk control',
    'Huabei',
  ])('"%s" has a short meaning in both languages', (typed) => {
    const entry = entryFor(typed);
    expect(entry).toBeDefined();
    for (const lang of LANGS) {
      expect(entry?.meaning[lang].trim()).not.toBe('');
      expect(sentenceCount(entry?.meaning[lang] ?? '', lang)).toBeLessThanOrEqual(2);
    }
  });

  it('points to the channel that tells more', () => {
    expect(entryFor('12363')?.see).toBe('pboc_12363');
    expect(entryFor('我的客服')?.see).toBe('alipay_my_service');
    expect(kb.channel(entryFor('人民调解')?.see ?? '')?.id).toBe('people_mediation');
  });

  it('states the withdrawal quota and foreign-card fee with their sources', () => {
    const withdrawal = entryFor('提现额度');
    expect(withdrawal?.meaning.zh).toContain('2万元');
    expect(withdrawal?.figures.find((f) => f.text === '2万元')?.source).toBe('chinadaily-2016-withdrawal');
    const card = entryFor('外卡');
    expect(card?.meaning.en).toContain('3%');
    expect(card?.figures.find((f) => f.text === '3%')?.source).toBe('mofcom-foreign-cards-2024');
  });
});
