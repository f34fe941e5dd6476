/**
 * Validation failures (src/knowledge/validate.ts, src/knowledge/figures.ts): a copy of the real
 * knowledge base with one file broken — a language missing, a figure without a source or with
 * an unknown one, an unknown intent or seed section, a duplicate id, a dangling follow-up, an
 * unknown template blank, an answer too long, YAML that does not parse — must be reported,
 * naming the file that is wrong, while the untouched copy loads cleanly.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { undeclaredFigures } from '../../src/knowledge/figures';
import { coverage, loadKnowledge, type Problem } from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = join(projectRoot(), 'knowledge');

type Yaml = Record<string, unknown>;
interface Bilingual {
  zh: string;
  en: string;
}
interface Figure {
  text: string;
  source: string;
}

let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir('coach-kb-'));
  // Everything loadKnowledge reads; the NLU training data is not its business.
  cpSync(KNOWLEDGE, root, { recursive: true, filter: (src) => basename(src) !== 'nlu' });
});
afterEach(() => cleanup());

const topicFile = (id: string): string => join(root, 'topics', `${id}.yaml`);
const templateFile = (id: string): string => join(root, 'templates', `${id}.yaml`);

/** Reads a YAML file of the copy, lets the test change it, writes it back. */
function edit<T = Yaml>(file: string, change: (data: T) => void): void {
  const data = parse(readFileSync(file, 'utf8')) as T;
  change(data);
  writeFileSync(file, stringify(data));
}

function problemsOf(): Problem[] {
  return loadKnowledge(root).problems;
}

/** The problems reported for one file. */
function problemsFor(file: string): string[] {
  return problemsOf()
    .filter((p) => p.file === file)
    .map((p) => p.message);
}

it('the untouched copy loads without problems (the tests below start from a clean base)', () => {
  expect(problemsOf()).toEqual([]);
});

describe('a missing language', () => {
  it('a topic without its English answer is reported for that file and left out of the bundle', () => {
    const file = topicFile('background.history');
    edit<{ answer: Partial<Bilingual> }>(file, (t) => delete t.answer.en);

    const { bundle, problems } = loadKnowledge(root);
    expect(problems.filter((p) => p.file === file).map((p) => p.message)).toEqual([
      expect.stringContaining('answer.en'),
    ]);
    expect(bundle.topics.map((t) => t.id)).not.toContain('background.history');
    // It was the only topic of seed section 二.1: the coverage table now shows the hole.
    expect(coverage(bundle.topics).find((r) => r.section === '二.1')?.gaps).toContain('en');
  });

  it('a topic without its Chinese title is reported', () => {
    const file = topicFile('refusal.fees');
    edit<{ title: Partial<Bilingual> }>(file, (t) => delete t.title.zh);
    expect(problemsFor(file)).toEqual([expect.stringContaining('title.zh')]);
  });

  it('a blank answer counts as missing', () => {
    const file = topicFile('mediation.fees');
    edit<{ answer: Bilingual }>(file, (t) => (t.answer.zh = '   '));
    expect(problemsFor(file)).toEqual([expect.stringContaining('answer.zh')]);
  });

  it('a topic with fewer than three example questions in one language is reported', () => {
    const file = topicFile('steps.overview');
    edit<{ examples: { zh: string[]; en: string[] } }>(file, (t) => (t.examples.en = t.examples.en.slice(0, 2)));
    expect(problemsFor(file)).toEqual([expect.stringContaining('examples.en')]);
  });

  it('a template without its English body is reported', () => {
    const file = templateFile('opening_script');
    edit<{ body: Partial<Bilingual> }>(file, (t) => delete t.body.en);
    const { bundle, problems } = loadKnowledge(root);
    expect(problems.filter((p) => p.file === file).map((p) => p.message)).toEqual([
      expect.stringContaining('body.en'),
    ]);
    expect(bundle.templates.map((t) => t.id)).not.toContain('opening_script');
  });

  it('a third language is not accepted either', () => {
    const file = topicFile('intro');
    edit<{ answer: Record<string, string> }>(file, (t) => (t.answer.ja = 'こんにちは'));
    expect(problemsFor(file)).toEqual([expect.stringContaining('answer')]);
  });
});

describe('figures without a (known) source', () => {
  it('a percentage added to an answer without declaring it is reported with the figure', () => {
    const file = topicFile('background.history');
    edit<{ answer: Bilingual }>(file, (t) => (t.answer.en += '\nMost shops pay 0.38% today.'));
    expect(problemsFor(file)).toEqual(['figure without a source: 0.38%']);
  });

  it('a Chinese written figure in the long version is reported too', () => {
    const file = topicFile('goals.targets');
    edit<{ more: Bilingual }>(file, (t) => (t.more.zh += '\n一般七个工作日内会有答复。'));
    expect(problemsFor(file)).toEqual(['figure without a source: 七个工作日']);
  });

  it('a figure in a title is checked like one in an answer', () => {
    const file = topicFile('steps.overview');
    edit<{ title: Bilingual }>(file, (t) => (t.title.zh += '（3天搞定）'));
    expect(problemsFor(file)).toEqual(['figure without a source: 3']);
  });

  it('a figure in a template body is checked', () => {
    const file = templateFile('mediation_request');
    edit<{ body: Bilingual }>(file, (t) => (t.body.en += '\nPlease reply within 15 days.'));
    expect(problemsFor(file)).toEqual(['figure without a source: 15']);
  });

  it('removing the declaration of a stated figure is reported', () => {
    const file = topicFile('refusal.security');
    edit<{ figures: Figure[] }>(file, (t) => (t.figures = t.figures.filter((f) => f.text !== '12363')));
    expect(problemsFor(file)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^figure without a source: .*12363/)]),
    );
  });

  it('a figure citing a source that sources.yaml does not have is reported', () => {
    const file = topicFile('refusal.security');
    edit<{ figures: Figure[] }>(file, (t) => {
      for (const f of t.figures) if (f.text === '95188') f.source = 'no-such-source';
    });
    expect(problemsFor(file)).toEqual(['figure "95188" cites unknown source "no-such-source"']);
  });

  it('deleting a source from sources.yaml reports every figure that cites it', () => {
    const sources = join(root, 'sources.yaml');
    edit<{ id: string }[]>(sources, (list) => list.splice(list.findIndex((s) => s.id === 'pboc-12363'), 1));
    const reported = problemsOf().filter((p) => p.message.includes('cites unknown source "pboc-12363"'));
    const files = new Set(reported.map((p) => basename(p.file)));
    for (const f of ['refusal.fees.yaml', 'refusal.security.yaml', 'complaint_12363.yaml']) {
      expect(files.has(f)).toBe(true);
    }
  });

  it('a figure declared but never stated is reported (a stale declaration)', () => {
    const file = topicFile('intro');
    edit<{ figures: Figure[] }>(file, (t) => t.figures.push({ text: '99.9%', source: 'alipay-95188' }));
    expect(problemsFor(file)).toEqual(['figure "99.9%" is declared but never stated']);
  });

  it('the coach’s own example arithmetic needs no outside source', () => {
    const file = topicFile('goals.targets');
    edit<{ answer: Bilingual; figures: Figure[] }>(file, (t) => {
      t.answer.zh += '\n例如月流水8万元。';
      t.figures.push({ text: '8万元', source: 'example' });
    });
    expect(problemsFor(file)).toEqual([]);
  });

  it('a reference rate citing an unknown source is reported', () => {
    const file = join(root, 'reference-rates.yaml');
    edit<{ source: string }[]>(file, (rates) => {
      if (rates[0]) rates[0].source = 'rumour';
    });
    expect(problemsFor(file)).toEqual([expect.stringContaining('cites unknown source "rumour"')]);
  });
});

describe('ids, intents, sections and follow-ups', () => {
  it('an unknown intent is reported', () => {
    const file = topicFile('refusal.fees');
    edit<{ intents: string[] }>(file, (t) => t.intents.push('complain'));
    expect(problemsFor(file)).toEqual([expect.stringContaining('intents.1')]);
  });

  it('a seed section that does not exist is reported', () => {
    const file = topicFile('refusal.fees');
    edit<{ section: string }>(file, (t) => (t.section = '九.1'));
    expect(problemsFor(file)).toEqual([expect.stringContaining('section')]);
  });

  it('an unknown role or issue is reported', () => {
    const file = topicFile('refusal.fees');
    edit<{ roles: string[]; issues: string[] }>(file, (t) => {
      t.roles = ['bank'];
      t.issues = ['weather'];
    });
    const [message = ''] = problemsFor(file);
    expect(message).toContain('roles.0');
    expect(message).toContain('issues.0');
  });

  it('a misspelt field is reported rather than silently ignored', () => {
    const file = topicFile('intro');
    edit(file, (t) => {
      t.anwser = t.answer;
    });
    expect(problemsFor(file)).toEqual([expect.stringContaining('anwser')]);
  });

  it('two files with the same topic id are reported', () => {
    const copy = join(root, 'topics', 'zz.copy.yaml');
    cpSync(topicFile('refusal.fees'), copy);
    expect(problemsFor(copy)).toEqual(['duplicate topic id refusal.fees']);
  });

  it('two sources with the same id are reported', () => {
    const file = join(root, 'sources.yaml');
    edit<Yaml[]>(file, (list) => list.push({ ...list[0] }));
    expect(problemsFor(file)).toEqual(['duplicate source id']);
  });

  it('a follow-up to a topic, template or action that does not exist is reported', () => {
    const file = topicFile('refusal.fees');
    edit<{ followups: string[] }>(file, (t) => {
      t.followups = ['topic:refusal.weather', 'template:fax_cover', 'action:dance'];
    });
    expect(problemsFor(file)).toEqual([
      'unknown follow-up topic:refusal.weather',
      'unknown follow-up template:fax_cover',
      'unknown follow-up action:dance',
    ]);
  });

  it('removing a topic breaks the follow-ups that pointed at it', () => {
    rmSync(topicFile('mediation.fees'));
    const messages = problemsOf().map((p) => `${basename(p.file)}: ${p.message}`);
    expect(messages).toContain('refusal.fees.yaml: unknown follow-up topic:mediation.fees');
  });
});

describe('templates, sizes and syntax', () => {
  it('a template blank that is not a known slot is reported', () => {
    const file = templateFile('demand_email');
    edit<{ body: Bilingual }>(file, (t) => (t.body.en += '\nPhone: {{phone}}'));
    expect(problemsFor(file)).toEqual(['body.en uses unknown slot {{phone}}']);
  });

  it('an answer longer than a chat message is reported, in either language', () => {
    const file = topicFile('intro');
    edit<{ answer: Bilingual }>(file, (t) => {
      t.answer.zh += '请记得多准备材料。'.repeat(40);
      t.answer.en += ' Keep calm and keep records.'.repeat(30);
    });
    const messages = problemsFor(file);
    expect(messages).toEqual([
      expect.stringMatching(/^answer\.zh is \d+ characters; keep it under 330$/),
      expect.stringMatching(/^answer\.en is \d+ words; keep it under 135$/),
    ]);
  });

  it('a file that is not valid YAML is reported by name', () => {
    const file = topicFile('conclusion');
    writeFileSync(file, 'id: conclusion\nanswer: { zh: [unclosed\n');
    expect(problemsFor(file)).toContainEqual(expect.stringMatching(/^not valid YAML/));
  });

  it('a role-play file for the wrong scenario is reported', () => {
    const file = join(root, 'roleplay', 'service.yaml');
    edit<{ scenario: string }>(file, (r) => (r.scenario = 'fees'));
    expect(problemsFor(file)).toEqual(['scenario must be service']);
  });
});

describe('what counts as a figure (undeclaredFigures)', () => {
  it.each([
    ['费率0.38%', ['0.38%']],
    ['打12363投诉', ['12363']],
    ['每月2,000元', ['2,000']],
    ['千分之六的费率', ['千分之六']],
    ['月流水两万元', ['两万元']],
    ['七个工作日内答复', ['七个工作日']],
    ['试行三个月', ['三个月']],
    ['rates rose 5‰', ['5‰']],
    ['十亿用户', ['十亿']],
    ['提现一万元', ['一万元']],
    ['给小微商户打九折', ['九折']],
    ['拨打１２３６３', ['12363']],
  ])('"%s" states %j', (text, figures) => {
    expect(undeclaredFigures(text, [])).toEqual(figures);
  });

  it.each([
    ['list markers at the start of a line', '1. 打电话\n2. 写邮件'],
    ['template blanks', '每月手续费约{{monthlyFee}}'],
    ['plain words', '先问原因，再要工单号'],
    ['千万别 (never)', '千万别把验证码告诉别人'],
    ['三天两头 (all the time)', '三天两头打电话也没用'],
    ['一年 / 一天 (a year, a day)', '一年下来，每一天都要收款'],
  ])('%s are not figures', (_what, text) => {
    expect(undeclaredFigures(text, [])).toEqual([]);
  });

  it('a declared figure is masked, the longest first', () => {
    expect(undeclaredFigures('费率0.38%，电话95188', ['0.38', '0.38%', '95188'])).toEqual([]);
    expect(undeclaredFigures('费率0.38%，电话95188', ['95188'])).toEqual(['0.38%']);
  });
});

describe('case cues', () => {
  const caseFile = (id: string): string => join(root, 'cases', `${id}.yaml`);
  type Cues = { cues: { zh: string[]; en: string[] } };

  it('a cue in traditional characters is reported (messages are matched in simplified)', () => {
    edit<Cues>(caseFile('fees.double_charge'), (c) => c.cues.zh.push('重複扣款了'));
    expect(problemsFor(caseFile('fees.double_charge'))).toContain('cue "重複扣款了" must be simplified');
  });

  it('an English cue in capitals is reported', () => {
    edit<Cues>(caseFile('fees.double_charge'), (c) => c.cues.en.push('Charged Twice Again'));
    expect(problemsFor(caseFile('fees.double_charge'))).toContain('cue "Charged Twice Again" must be lower case');
  });

  it('a cue inside another case’s cue is reported: the longer one would name both cases', () => {
    edit<Cues>(caseFile('fees.double_charge'), (c) => c.cues.zh.push('失败'));
    expect(problemsFor(caseFile('fees.double_charge')).some((m) => m.startsWith('cue "失败" is also in'))).toBe(
      true,
    );
  });
});
