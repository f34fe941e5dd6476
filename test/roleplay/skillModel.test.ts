/**
 * The role-play skill model (src/roleplay/skillModel.ts) on the shipped model
 * (generated/skill-model.json, trained by `npm run build`): the labelling guide's hard cases in
 * Chinese (simplified and traditional) and English, acceptance in many wordings, rejections and
 * counter-offers with their number, and the held-out numbers, computed here from
 * test/roleplay/skills-heldout.yaml and the judged role-plays — never from a stored report.
 * The lines below were written for this file; none is taken from the training or held-out sets.
 */
import { join } from 'node:path';
import type { Lang, Scenario } from '../../src/knowledge/schema';
import { loadLexicon } from '../../src/nlu/trainingData';
import { normalizeText } from '../../src/text/normalize';
import { CUES, matchCues } from '../../src/roleplay/skillFeatures';
import {
  ACTS,
  MARKERS,
  SKILLS,
  SKILL_MODEL_VERSION,
  analyzeLine,
  loadSkillModel,
  readSkillModel,
  type LineAnalysis,
  type Skill,
} from '../../src/roleplay/skillModel';
import { lineMetrics, loadTranscripts, spearman, transcriptMetrics } from '../../src/roleplay/skillEval';
import { hashSkillData, loadSkillLines } from '../../src/roleplay/skillTrain';
import { projectRoot } from '../../src/util/paths';

const root = projectRoot();
const trainFile = join(root, 'knowledge', 'roleplay', 'skills', 'skills-train.yaml');

type Case = [text: string, lang: Lang, scenario: Scenario];

const shown = (a: LineAnalysis): Skill[] => SKILLS.filter((s) => a.skills[s] > 0);

describe('the model file', () => {
  test('loads, and was trained on the current training lines', () => {
    const file = readSkillModel();
    expect(file.version).toBe(SKILL_MODEL_VERSION);
    expect(file.heads.map((h) => h.name)).toEqual([
      ...SKILLS.map((s) => `skill:${s}`),
      ...MARKERS.map((m) => `marker:${m}`),
      'act',
    ]);
    // A stale model (training lines or feature code changed, no rebuild) fails here.
    const words = loadLexicon(join(root, 'knowledge', 'nlu')).words;
    expect(file.dataHash).toBe(hashSkillData(loadSkillLines(trainFile), words));
    expect(loadSkillModel()).toBe(loadSkillModel());
  });

  test('every answer is well formed; a skill not shown is exactly 0', () => {
    for (const [text, lang, scenario] of [
      ['我们店每月流水十万，现在0.6%。', 'zh', 'fees'],
      ['嗯。', 'zh', 'service'],
      ['ok', 'en', 'security'],
      ['', 'en', 'fees'],
    ] as Case[]) {
      const a = analyzeLine(text, lang, scenario);
      for (const s of SKILLS) {
        expect(a.skills[s]).toBeGreaterThanOrEqual(0);
        expect(a.skills[s]).toBeLessThanOrEqual(1);
        // Shown means at least the decision point; anything below is reported as 0.
        if (a.skills[s] > 0) expect(a.skills[s]).toBeGreaterThanOrEqual(0.5);
      }
      for (const m of MARKERS) expect(a.markers[m]).toBeGreaterThanOrEqual(0);
      expect(ACTS).toContain(a.act.type);
      expect(a.act.confidence).toBeGreaterThan(0);
      expect(a.act.confidence).toBeLessThanOrEqual(1);
    }
    expect(shown(analyzeLine('嗯。', 'zh', 'service'))).toEqual([]);
    expect(Object.values(analyzeLine('ok', 'en', 'security').skills)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('the cue patterns split by script match exactly what the whole patterns match', () => {
    for (const line of loadSkillLines(trainFile)) {
      const norm = normalizeText(line.text).toLowerCase();
      const whole = Object.entries(CUES)
        .filter(([, re]) => re.test(norm))
        .map(([name]) => name);
      expect([...matchCues(norm)].sort()).toEqual(whole.sort());
    }
  });
});

describe('acceptance is heard in any wording', () => {
  test.each<Case>([
    ['好，那就先这样试一个季度', 'zh', 'fees'],
    ['行吧，先这样', 'zh', 'fees'],
    ['好的，就按這個費率來吧', 'zh', 'fees'],
    ['可以，0.48我接受', 'zh', 'fees'],
    ['成交！', 'zh', 'fees'],
    ['没问题，就这么定了', 'zh', 'service'],
    ['那行，就按您说的办', 'zh', 'security'],
    ['好嘞，我这就去提交材料', 'zh', 'security'],
    ['只要周五前能到账，我就接受', 'zh', 'service'],
    ["Great, I'm happy with that", 'en', 'fees'],
    ['OK, that works for me.', 'en', 'service'],
    ['Deal — 0.5% it is.', 'en', 'fees'],
    ["Sure, let's go with three working days.", 'en', 'security'],
    ['Alright, fine, we have an agreement.', 'en', 'fees'],
    ["If you can confirm it in writing, I'll accept 0.5%.", 'en', 'fees'],
  ])('%s', (text, lang, scenario) => {
    expect(analyzeLine(text, lang, scenario).act.type).toBe('accept');
  });

  test('a conditional acceptance is also flexible', () => {
    expect(analyzeLine('只要周五前能到账，我就接受', 'zh', 'service').skills.flexibility).toBeGreaterThan(0);
  });
});

describe('rejections and counter-offers, with the number', () => {
  test.each<Case>([
    ['不行，0.55还是太高了', 'zh', 'fees'],
    ["No, that's still too high.", 'en', 'fees'],
    ['這個答覆我接受不了。', 'zh', 'service'],
  ])('rejects: %s', (text, lang, scenario) => {
    expect(analyzeLine(text, lang, scenario).act.type).toBe('reject');
  });

  test.each<[string, Lang, Scenario, number]>([
    ['0.5太高了，0.45行不行？', 'zh', 'fees', 0.45],
    ['Could you do 0.46 instead?', 'en', 'fees', 0.46],
    ['降到0.3%', 'zh', 'fees', 0.3],
    ['I want ¥500 compensation, now.', 'en', 'service', 500],
  ])('counters: %s', (text, lang, scenario, value) => {
    const a = analyzeLine(text, lang, scenario);
    expect(a.act.type).toBe('counter');
    expect(a.numbers.filter((n) => n.role === 'ask').map((n) => n.value)).toEqual([value]);
  });

  test('the number the user turns down is not their ask', () => {
    const a = analyzeLine('0.5太高了，0.45行不行？', 'zh', 'fees');
    expect(a.numbers).toEqual([
      { value: 0.5, kind: 'rate', role: 'other' },
      { value: 0.45, kind: 'rate', role: 'ask' },
    ]);
  });
});

describe('the labelling guide’s hard cases', () => {
  test.each<Case>([
    ['赔我五万', 'zh', 'service'],
    ['降到0.3%', 'zh', 'fees'],
    ['費率給我降到0.3%，馬上', 'zh', 'fees'],
    ['I want ¥500 compensation, now.', 'en', 'service'],
    ['Drop it to 0.25%, end of story.', 'en', 'fees'],
  ])('a demand with a number is not data: %s', (text, lang, scenario) => {
    const a = analyzeLine(text, lang, scenario);
    expect(a.skills.data).toBe(0);
    expect(a.numbers.every((n) => n.role !== 'data')).toBe(true);
  });

  test('赔我五万 asks for an amount', () => {
    expect(analyzeLine('赔我五万', 'zh', 'service').numbers).toEqual([
      { value: 50000, kind: 'amount', role: 'ask' },
    ]);
  });

  test.each<Case>([
    ['我要去微博曝光你们', 'zh', 'service'],
    ['我要去微博曝光你們，讓大家都看看', 'zh', 'service'],
    ["I'll sue you and go to the media.", 'en', 'security'],
    ['I am calling 12315 and my lawyer today.', 'en', 'service'],
  ])('a threat is not a case: %s', (text, lang, scenario) => {
    const a = analyzeLine(text, lang, scenario);
    expect(a.skills.cases).toBe(0);
    expect(a.markers.threat).toBeGreaterThan(0);
  });

  test.each<Case>([
    ['请你们马上解冻，否则我就报警', 'zh', 'security'],
    ['谢谢啊，你们这群骗子', 'zh', 'fees'],
    ['Please, you useless crooks, just unfreeze it or I sue.', 'en', 'security'],
  ])('politeness inside a hostile line is not respect: %s', (text, lang, scenario) => {
    const a = analyzeLine(text, lang, scenario);
    expect(a.skills.respect).toBe(0);
    expect(a.markers.threat + a.markers.insult).toBeGreaterThan(0);
  });

  test('own figures are data, a peer’s rate is a case, courtesy is respect', () => {
    const data = analyzeLine('我们店月流水12万，现在费率0.6%，一个月手续费720。', 'zh', 'fees');
    expect(shown(data)).toEqual(['data']);
    expect(data.numbers.filter((n) => n.role === 'data').map((n) => n.value)).toEqual(
      expect.arrayContaining([120000, 0.6]),
    );
    expect(shown(analyzeLine('隔壁奶茶店上个月谈到了0.38%', 'zh', 'fees'))).toEqual(['cases']);
    expect(shown(analyzeLine('謝謝您耐心聽我說，我知道您也有難處。', 'zh', 'fees'))).toEqual(['respect']);
  });

  test.each<Case>([
    [
      'Lower fees let me take on more orders, and every extra order is revenue for you as well.',
      'en',
      'fees',
    ],
    ['Sorting my refund out saves your team another complaint and keeps me buying here.', 'en', 'service'],
    [
      "A fraudster abusing my account hurts you as much as it hurts me; we're after the same thing.",
      'en',
      'security',
    ],
    ['费率降一点我就能多接单，多出来的每一单你们也有收入。', 'zh', 'fees'],
  ])('common interest is credited in English as in Chinese: %s', (text, lang, scenario) => {
    expect(analyzeLine(text, lang, scenario).skills.mutual_benefit).toBeGreaterThan(0);
  });

  test('a plain fact-finding line shows data and nothing it does not use', () => {
    const a = analyzeLine(
      "Our shop sells about ¥3,000 a day and I'd like to know what rate you can offer.",
      'en',
      'fees',
    );
    expect(a.skills.data).toBeGreaterThan(0);
    expect(a.skills.cases).toBe(0);
    expect(a.skills.mutual_benefit).toBe(0);
    expect(a.skills.joint_solution).toBe(0);
  });

  test('asking for data shows none; ending is heard', () => {
    const q = analyzeLine('What data do you need from me?', 'en', 'fees');
    expect(shown(q)).toEqual([]);
    expect(q.act.type).toBe('question');
    expect(analyzeLine('算了，结束吧', 'zh', 'fees').act.type).toBe('end');
  });
});

describe('held-out numbers (computed here from the held-out files)', () => {
  const model = loadSkillModel();
  const analyze = model.analyze.bind(model);
  const heldout = loadSkillLines(join(root, 'test', 'roleplay', 'skills-heldout.yaml'));
  const metrics = lineMetrics(
    heldout.map((line) => ({ line, analysis: analyze(line.text, line.lang, line.scenario) })),
  );
  const transcripts = loadTranscripts(join(root, 'test', 'roleplay', 'transcripts'));

  test.each(['dev', 'heldout'] as const)(
    'judged role-plays (%s): Spearman ≥ 0.9, one level apart in order ≥ 85%%',
    (split) => {
      const t = transcriptMetrics(
        transcripts.filter((x) => x.split === split),
        analyze,
      );
      expect(t.n).toBe(24);
      expect(t.spearman).toBeGreaterThanOrEqual(0.9);
      expect(t.oneApartOrdered).toBeGreaterThanOrEqual(0.85);
    },
  );

  // Where the model stands today: a change that makes it worse fails here.
  test('held-out lines stay at least where they are', () => {
    const floors: Record<Skill, number> = {
      data: 0.87,
      cases: 0.8,
      mutual_benefit: 0.75,
      joint_solution: 0.68,
      respect: 0.75,
      flexibility: 0.7,
    };
    expect(SKILLS.filter((s) => metrics.skills[s].all.f1 < floors[s])).toEqual([]);
    expect(metrics.macroF1).toBeGreaterThanOrEqual(0.77);
    expect(metrics.act.perAct.accept.recall).toBeGreaterThanOrEqual(0.9);
    expect(metrics.markerAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(metrics.numbersFound.rate).toBeGreaterThanOrEqual(0.95);
  });

  test('spearman handles ties and order', () => {
    expect(spearman([1, 2, 3], [10, 20, 30])).toBeCloseTo(1);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1);
    expect(spearman([1, 1, 2], [1, 2, 3])).toBeGreaterThan(0.8);
  });
});
