/**
 * Training-data hygiene: no line of an evaluation-only set — CLINC150's `*-test.jsonl` in
 * ../shared/data/clinc150/, the dev set test/nlu/dev/ (intents, entities, the held-out act and
 * slot lines), the real-phrasing dev split test/nlu/real/real-dev.yaml and the sealed set
 * test/nlu/sealed/ — appears in what the NLU trains on: everything `loadTrainingExamples` reads
 * (intent and out-of-scope YAML, the vendored CLINC training rows, the real-phrasing train split,
 * our real-style lines and the case library's describe lines), the act lines `loadActExamples`
 * reads, and the slot-answer lines the slot reader was written from. Lines are compared after
 * the NLU's own normalisation (NFKC, simplified Chinese), lower-cased, with punctuation and
 * spacing ignored, so "What can you do?" and "what can you do" count as the same line.
 *
 * The vendored CLINC training rows are the shared train files minus the few rows that match a
 * test row under this comparison (CLINC's own train and test splits share some near-duplicates).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { normalizeText } from '../../../src/text/normalize';
import {
  loadActExamples,
  loadTrainingExamples,
  readJsonl,
  type Example,
} from '../../../src/nlu/trainingData';

const repoRoot = join(__dirname, '..', '..', '..');
const nluDir = join(repoRoot, 'knowledge', 'nlu');
/** CI checks the project out next to the shared folder. */
const sharedClinc = join(repoRoot, '..', 'shared', 'data', 'clinc150');

/** The form two lines are compared in. */
function lineKey(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

const training: Example[] = loadTrainingExamples(nluDir);
const actsFile = join(nluDir, 'acts', 'acts-*.yaml');
const slotsFile = join(nluDir, 'acts', 'slots-train.yaml');
/** Every line trained or written from, with where it came from. */
const trainingLines: { text: string; source: string }[] = [
  ...training,
  ...loadActExamples(nluDir).map((a) => ({ text: a.text, source: actsFile })),
  ...yamlTexts(slotsFile).map((text) => ({ text, source: slotsFile })),
];
const trainingByKey = new Map<string, { text: string; source: string }>();
for (const e of trainingLines) if (!trainingByKey.has(lineKey(e.text))) trainingByKey.set(lineKey(e.text), e);

function yamlTexts(file: string): string[] {
  const rows: unknown = parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a list`);
  return rows.map((row: unknown, i) => {
    const text = (row as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') throw new Error(`${file}: row ${i + 1} has no text`);
    return text;
  });
}

/** Evaluation lines found in training, each with where it was found. */
function leaksOf(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const hit = trainingByKey.get(lineKey(line));
    if (hit) out.set(line, `${relative(repoRoot, hit.source)}: ${JSON.stringify(hit.text)}`);
  }
  return out;
}

/** Fails listing every evaluation line found in training, with where it was found. */
function expectNoLeaks(name: string, lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  const found = [...leaksOf(lines)].map(([line, where]) => `${line}  ←  ${where}`);
  expect({ [`lines of ${name} found in training`]: found }).toEqual({
    [`lines of ${name} found in training`]: [],
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the training data', () => {
  test('is read from knowledge/nlu/ and knowledge/cases/, with the CLINC rows and the real phrasing', () => {
    const sources = new Set(training.map((e) => relative(repoRoot, e.source)));
    expect(sources).toContain(join('knowledge', 'nlu', 'clinc150', 'oos-train.jsonl'));
    expect(sources).toContain(join('knowledge', 'nlu', 'clinc150', 'offdomain-train.jsonl'));
    expect(sources).toContain(join('knowledge', 'nlu', 'real', 'real-train.yaml'));
    expect([...sources].some((s) => s.startsWith(join('knowledge', 'cases')))).toBe(true);
    for (const source of sources) {
      expect(
        source.startsWith(join('knowledge', 'nlu')) || source.startsWith(join('knowledge', 'cases')),
      ).toBe(true);
    }
  });

  test('never includes an evaluation-only file', () => {
    expect(
      trainingLines.filter((e) => /-test\.jsonl$|[\\/]test[\\/]nlu[\\/]|real-dev|heldout/.test(e.source)),
    ).toEqual([]);
    const testFiles = filesUnder(nluDir).filter((f) => /-test\.jsonl$/.test(f));
    expect(testFiles).toEqual([]);
  });

  test('the vendored CLINC training rows are shared train rows, in order, almost all of them', () => {
    for (const name of ['oos-train.jsonl', 'offdomain-train.jsonl']) {
      const ours = readFileSync(join(nluDir, 'clinc150', name), 'utf8')
        .split('\n')
        .filter(Boolean);
      const shared = readFileSync(join(sharedClinc, name), 'utf8').split('\n').filter(Boolean);
      // Every vendored line is a shared train line, in the shared order (a subsequence).
      let at = 0;
      for (const line of ours) {
        while (at < shared.length && shared[at] !== line) at++;
        expect(at).toBeLessThan(shared.length);
        at++;
      }
      expect(ours.length).toBeGreaterThan(shared.length * 0.99);
    }
  });
});

describe('evaluation-only lines never appear in training', () => {
  test('the shared CLINC150 folder is where CI puts it', () => {
    expect(existsSync(join(sharedClinc, 'oos-test.jsonl'))).toBe(true);
    expect(existsSync(join(sharedClinc, 'offdomain-test.jsonl'))).toBe(true);
  });

  test('CLINC150 oos-test.jsonl', () => {
    const lines = readJsonl(join(sharedClinc, 'oos-test.jsonl')).map((r) => r.text);
    expectNoLeaks('oos-test.jsonl', lines);
  });

  test('CLINC150 offdomain-test.jsonl', () => {
    const lines = readJsonl(join(sharedClinc, 'offdomain-test.jsonl')).map((r) => r.text);
    expectNoLeaks('offdomain-test.jsonl', lines);
  });

  test('the dev set (test/nlu/dev/intents.yaml and entities.yaml)', () => {
    expectNoLeaks('the dev intents', yamlTexts(join(repoRoot, 'test', 'nlu', 'dev', 'intents.yaml')));
    expect([...leaksOf(yamlTexts(join(repoRoot, 'test', 'nlu', 'dev', 'entities.yaml')))]).toEqual([]);
  });

  test('the sealed set (test/nlu/sealed/intents.yaml)', () => {
    expectNoLeaks('the sealed intents', yamlTexts(join(repoRoot, 'test', 'nlu', 'sealed', 'intents.yaml')));
  });

  test('the real-phrasing dev split (test/nlu/real/real-dev.yaml)', () => {
    expectNoLeaks('real-dev.yaml', yamlTexts(join(repoRoot, 'test', 'nlu', 'real', 'real-dev.yaml')));
  });

  test('the held-out act and slot lines (test/nlu/dev/acts-heldout.yaml, slots-heldout.yaml)', () => {
    expectNoLeaks('acts-heldout.yaml', yamlTexts(join(repoRoot, 'test', 'nlu', 'dev', 'acts-heldout.yaml')));
    expectNoLeaks(
      'slots-heldout.yaml',
      yamlTexts(join(repoRoot, 'test', 'nlu', 'dev', 'slots-heldout.yaml')),
    );
  });
});

describe('the comparison', () => {
  // The check above is only as good as its notion of "the same line".
  test.each<[string, string]>([
    ['What can you do?', 'what can you do'],
    ['支付寶手續費太高了！', '支付宝手续费太高了'],
    ['  hello   there ', 'hello there'],
    ['ＡＬＩＰＡＹ費率', 'alipay费率'],
  ])('%j and %j are the same line', (a, b) => {
    expect(lineKey(a)).toBe(lineKey(b));
  });

  test.each<[string, string]>([
    ['what can you do', 'what can you not do'],
    ['费率太高', '费率不高'],
  ])('%j and %j are different lines', (a, b) => {
    expect(lineKey(a)).not.toBe(lineKey(b));
  });

  test('a training line planted in an evaluation set is caught', () => {
    const planted = training.find((e) => e.lang === 'zh' && e.label === 'fees');
    expect(planted).toBeDefined();
    const text = `${planted?.text ?? ''}？`;
    expect([...leaksOf(['a line written for this test only, about nothing', text]).keys()]).toEqual([text]);
  });
});
