/**
 * The case library (knowledge/cases/*.yaml, checked by src/knowledge/validate.ts): it loads
 * cleanly into the bundle, holds every situation of the shared id list, describes each one in
 * enough real phrasings (traditional characters among them), and is held to the rules topics
 * are held to — both languages, every figure declared and sourced, follow-ups (`case:` ones too)
 * that resolve. Sources must say where they can be read (`url`), or `none` for review.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CASE_ROLES, INTENTS, ISSUES } from '../../src/knowledge/schema';
import {
  MAX_CASE_EN_WORDS,
  MAX_CASE_ZH_CHARS,
  MIN_TRADITIONAL_LINES,
  caseTexts,
  isTraditional,
  loadKnowledge,
  unlinkedSources,
  type Problem,
} from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = join(projectRoot(), 'knowledge');
/** The list of situation ids the library must cover (knowledge/cases/README.md). */
const CASE_IDS_FILE = join(KNOWLEDGE, 'cases', 'README.md');

const real = loadKnowledge(KNOWLEDGE);
const cases = real.bundle.cases;

type Yaml = Record<string, unknown>;
interface Bilingual {
  zh: string;
  en: string;
}
interface Figure {
  text: string;
  source: string;
}

describe('the case library loads', () => {
  it('reports no problems for knowledge/ (cases and sources included)', () => {
    expect(real.problems).toEqual([]);
  });

  it('puts at least 44 cases with unique ids in the bundle, one file per id', () => {
    expect(cases.length).toBeGreaterThanOrEqual(44);
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(existsSync(join(KNOWLEDGE, 'cases', `${id}.yaml`))).toBe(true);
  });

  it('gives every case an intent, roles and (outside scope.*) an issue', () => {
    for (const c of cases) {
      expect(INTENTS).toContain(c.intent);
      expect(c.roles.length).toBeGreaterThan(0);
      for (const r of c.roles) expect(CASE_ROLES).toContain(r);
      if (!c.id.startsWith('scope.')) expect(ISSUES).toContain(c.issue);
    }
  });
});

/** `- id — intent — issue — roles — what it is` lines of the shared list. */
function listedCases(text: string): { id: string; intent: string; issue?: string; roles: string[] }[] {
  const rows = [];
  for (const line of text.split('\n')) {
    const m = /^- ([a-z0-9_]+(?:\.[a-z0-9_]+)+) — ([a-z_]+) — (\S+) — ([^—]+?) — /.exec(line);
    if (!m) continue;
    const [, id = '', intent = '', issue = '', roles = ''] = m;
    const roleList = roles.trim() === 'any' ? [...CASE_ROLES] : roles.split(',').map((r) => r.trim());
    rows.push({ id, intent, issue: /^[a-z]+$/.test(issue) ? issue : undefined, roles: roleList });
  }
  return rows;
}

describe('the list of situation ids', () => {
  const listed = listedCases(readFileSync(CASE_IDS_FILE, 'utf8'));

  it('is read (it names at least 44 situations)', () => {
    expect(listed.length).toBeGreaterThanOrEqual(44);
  });

  it('has a case for every listed id, with the listed intent, issue and roles', () => {
    const byId = new Map(cases.map((c) => [c.id, c]));
    const missing = listed.filter((l) => !byId.has(l.id)).map((l) => l.id);
    expect(missing).toEqual([]);
    for (const l of listed) {
      const c = byId.get(l.id);
      expect({ id: l.id, intent: c?.intent, issue: c?.issue, roles: [...(c?.roles ?? [])].sort() }).toEqual({
        id: l.id,
        intent: l.intent,
        issue: l.issue,
        roles: [...l.roles].sort(),
      });
    }
  });
});

describe('every case is described the way real people say it', () => {
  it.each(cases.map((c) => [c.id, c]))('%s', (_id, c) => {
    expect(c.describe.zh.length).toBeGreaterThanOrEqual(10);
    expect(c.describe.en.length).toBeGreaterThanOrEqual(8);
    expect(c.describe.zh.filter(isTraditional).length).toBeGreaterThanOrEqual(MIN_TRADITIONAL_LINES);
    // No phrasing twice, and the English ones are English.
    expect(new Set(c.describe.zh).size).toBe(c.describe.zh.length);
    expect(new Set(c.describe.en).size).toBe(c.describe.en.length);
    for (const line of c.describe.en) expect(line).not.toMatch(/[\u4e00-\u9fff]{3}/);
  });

  it('tells traditional from simplified lines', () => {
    expect(isTraditional('支付寶帳戶被凍結怎麼辦')).toBe(true);
    expect(isTraditional('支付宝账户被冻结怎么办')).toBe(false);
    expect(isTraditional('my account is frozen')).toBe(false);
  });
});

describe('every case speaks both languages, chat-sized, with 2–5 known lines', () => {
  const cjkShare = (s: string): number => {
    const cjk = (s.match(/[\u4e00-\u9fff]/g) ?? []).length;
    const latin = (s.match(/[A-Za-z]/g) ?? []).length;
    return cjk / Math.max(1, cjk + latin);
  };

  it.each(cases.map((c) => [c.id, c]))('%s', (_id, c) => {
    for (const field of ['title', 'known', 'script', 'ask_for', 'escalate', 'unknown'] as const) {
      expect(cjkShare(c[field].zh)).toBeGreaterThan(0.6);
      // English may quote a Chinese name (我的客服, 金融监管总局) but is English.
      expect(cjkShare(c[field].en)).toBeLessThan(0.2);
    }
    for (const field of ['known', 'script', 'ask_for', 'escalate', 'unknown'] as const) {
      expect(c[field].zh.replace(/\s/g, '').length).toBeLessThanOrEqual(MAX_CASE_ZH_CHARS);
      expect(c[field].en.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(MAX_CASE_EN_WORDS);
    }
    for (const lang of ['zh', 'en'] as const) {
      const bullets = c.known[lang].split('\n').filter((l) => l.trim() !== '').length;
      expect(bullets).toBeGreaterThanOrEqual(2);
      expect(bullets).toBeLessThanOrEqual(5);
    }
  });

  it('answers first: a fake "unfreeze service" is called a scam in the first line', () => {
    const scam = cases.find((c) => c.id === 'security.unfreeze_scam');
    expect(scam?.known.zh.split('\n')[0]).toContain('是骗局');
    expect(scam?.known.en.split('\n')[0]).toContain("It's a scam");
  });

  it('coaches overdue Huabei/Jiebei users to the lender, not to paid agents', () => {
    const overdue = cases.find((c) => c.id === 'credit.overdue_negotiation');
    expect(overdue?.followups).toContain('case:credit.paid_agent');
    expect(overdue?.known.zh).toMatch(/代理协商/);
    expect(overdue?.escalate.zh).toMatch(/95188/);
    expect(overdue?.escalate.zh).toMatch(/12378/);
    expect(overdue?.ask_for.zh).toMatch(/收入证明/);
  });
});

describe('figures and sources of the cases', () => {
  const sourceIds = new Set(real.bundle.sources.map((s) => s.id));

  it('every declared figure cites a known source and is stated in the case’s own texts', () => {
    const wrong = cases.flatMap((c) => {
      const texts = caseTexts(c).join('\n');
      return c.figures
        .filter((f) => !sourceIds.has(f.source) || !texts.includes(f.text))
        .map((f) => `${c.id}: ${f.text} → ${f.source}`);
    });
    expect(wrong).toEqual([]);
  });

  it('every source says where it can be read: an http(s) address or none', () => {
    for (const s of real.bundle.sources) expect(s.url).toMatch(/^(https?:\/\/\S+|none)$/);
  });

  it('lists the sources left at url: none for review', () => {
    const unlinked = unlinkedSources(real.bundle.sources);
    expect(unlinked.every((s) => s.url === 'none')).toBe(true);
    expect(unlinked.length).toBeLessThan(real.bundle.sources.length / 4);
  });
});

describe('what the check rejects (a copy of the knowledge base with one file broken)', () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('coach-cases-'));
    cpSync(KNOWLEDGE, root, { recursive: true, filter: (src) => basename(src) !== 'nlu' });
  });
  afterEach(() => cleanup());

  const caseFile = (id: string): string => join(root, 'cases', `${id}.yaml`);

  function edit<T = Yaml>(file: string, change: (data: T) => void): void {
    const data = parse(readFileSync(file, 'utf8')) as T;
    change(data);
    writeFileSync(file, stringify(data));
  }

  function problemsFor(file: string): string[] {
    return loadKnowledge(root)
      .problems.filter((p: Problem) => p.file === file)
      .map((p) => p.message);
  }

  it('the untouched copy loads without problems', () => {
    expect(loadKnowledge(root).problems).toEqual([]);
  });

  it('a figure added to a case without a source is reported with the figure', () => {
    const file = caseFile('fees.withdrawal');
    edit<{ known: Bilingual }>(file, (c) => (c.known.zh += '\n• 超出部分另收0.2%。'));
    expect(problemsFor(file)).toEqual(['figure without a source: 0.2%']);
  });

  it('a figure in a script or in the English text is checked too', () => {
    const file = caseFile('service.no_human');
    edit<{ script: Bilingual }>(file, (c) => (c.script.en += ' Please reply within 15 days.'));
    expect(problemsFor(file)).toEqual(['figure without a source: 15']);
  });

  it('a figure citing a source that sources.yaml does not have is reported', () => {
    const file = caseFile('visitor.card_fee');
    edit<{ figures: Figure[] }>(file, (c) => {
      for (const f of c.figures) if (f.text === '3%') f.source = 'travel-blog';
    });
    expect(problemsFor(file)).toEqual(['figure "3%" cites unknown source "travel-blog"']);
  });

  it('a declared figure the texts never state is reported', () => {
    const file = caseFile('security.code_shared');
    edit<{ figures: Figure[] }>(file, (c) => c.figures.push({ text: '12345', source: 'alipay-95188' }));
    expect(problemsFor(file)).toEqual(['figure "12345" is declared but never stated']);
  });

  it('a user’s own numbers in describe are not figures to source', () => {
    const file = caseFile('fees.withdrawal');
    edit<{ describe: { zh: string[] } }>(file, (c) => c.describe.zh.push('提现了3万被扣了10块，离谱'));
    expect(problemsFor(file)).toEqual([]);
  });

  it('a case without its English known text is reported and left out of the bundle', () => {
    const file = caseFile('security.frozen_account');
    edit<{ known: Partial<Bilingual> }>(file, (c) => delete c.known.en);
    const { bundle, problems } = loadKnowledge(root);
    expect(problems.filter((p) => p.file === file).map((p) => p.message)).toEqual([
      expect.stringContaining('known.en'),
    ]);
    expect(bundle.cases.map((c) => c.id)).not.toContain('security.frozen_account');
  });

  it('a blank Chinese script counts as missing', () => {
    const file = caseFile('fees.double_charge');
    edit<{ script: Bilingual }>(file, (c) => (c.script.zh = '  '));
    expect(problemsFor(file)).toEqual([expect.stringContaining('script.zh')]);
  });

  it('a follow-up to a case that does not exist is reported', () => {
    const file = caseFile('credit.overdue_negotiation');
    edit<{ followups: string[] }>(file, (c) => (c.followups = ['case:credit.lottery_win', 'topic:intro']));
    expect(problemsFor(file)).toEqual(['unknown follow-up case:credit.lottery_win']);
  });

  it('removing a case breaks the case: follow-ups that pointed at it', () => {
    rmSync(caseFile('credit.paid_agent'));
    const messages = loadKnowledge(root).problems.map((p) => `${basename(p.file)}: ${p.message}`);
    expect(messages).toContain('credit.overdue_negotiation.yaml: unknown follow-up case:credit.paid_agent');
  });

  it('a malformed follow-up, an unknown role, intent or product is reported', () => {
    const file = caseFile('fees.card_repayment');
    edit(file, (c) => {
      c.followups = ['case:'];
      c.roles = ['bank'];
      c.intent = 'complain';
      c.products = ['crypto'];
    });
    const [message = ''] = problemsFor(file);
    for (const part of ['followups.0', 'roles.0', 'intent', 'products.0']) expect(message).toContain(part);
  });

  it('too few phrasings, or too few in traditional characters, are reported', () => {
    const file = caseFile('fees.auto_debit');
    edit<{ describe: { zh: string[]; en: string[] } }>(file, (c) => {
      c.describe.en = c.describe.en.slice(0, 7);
    });
    expect(problemsFor(file)).toEqual([expect.stringContaining('describe.en')]);

    edit<{ describe: { zh: string[]; en: string[] } }>(file, (c) => {
      c.describe.en.push('one more English phrasing');
      c.describe.zh = c.describe.zh.filter((l) => !isTraditional(l));
      while (c.describe.zh.length < 10) c.describe.zh.push(`自动扣款问题${'啊'.repeat(c.describe.zh.length)}`);
    });
    expect(problemsFor(file)).toEqual([
      `describe.zh has 0 lines in traditional characters; at least ${MIN_TRADITIONAL_LINES} needed`,
    ]);
  });

  it('an issue left out of a non-scope case, or a file named after another id, is reported', () => {
    const file = caseFile('fees.refund_missing');
    edit<Yaml>(file, (c) => delete c.issue);
    expect(problemsFor(file)).toEqual(['issue is required (only scope.* cases may omit it)']);

    const renamed = join(root, 'cases', 'zz.other.yaml');
    cpSync(caseFile('fees.withdrawal'), renamed);
    expect(problemsFor(renamed)).toEqual(['duplicate case id fees.withdrawal', 'file name must be fees.withdrawal.yaml']);
  });

  it('a part longer than a chat message is reported', () => {
    const file = caseFile('visitor.english_support');
    edit<{ unknown: Bilingual }>(file, (c) => {
      c.unknown.zh += '请一定记得保存所有的截图和记录。'.repeat(10);
      c.unknown.en += ' Keep every screenshot.'.repeat(20);
    });
    expect(problemsFor(file)).toEqual([
      expect.stringMatching(new RegExp(`^unknown\\.zh is \\d+ characters; keep it under ${MAX_CASE_ZH_CHARS}$`)),
      expect.stringMatching(new RegExp(`^unknown\\.en is \\d+ words; keep it under ${MAX_CASE_EN_WORDS}$`)),
    ]);
  });

  it('a source without a url is a problem; url: none is not (it is listed for review)', () => {
    const sources = join(root, 'sources.yaml');
    edit<Yaml[]>(sources, (list) => {
      const first = list[0];
      if (first) delete first.url;
    });
    expect(problemsFor(sources)).toEqual([expect.stringContaining('url')]);

    edit<Yaml[]>(sources, (list) => {
      const first = list[0];
      if (first) first.url = 'none';
    });
    const { bundle, problems } = loadKnowledge(root);
    expect(problems).toEqual([]);
    expect(unlinkedSources(bundle.sources).map((s) => s.id)).toContain(bundle.sources[0]?.id);
  });

  it('a url that is not an http(s) address is reported', () => {
    const sources = join(root, 'sources.yaml');
    edit<Yaml[]>(sources, (list) => {
      const first = list[0];
      if (first) first.url = 'www.example.com/page';
    });
    expect(problemsFor(sources)).toEqual([expect.stringContaining('http(s) address')]);
  });
});
