/**
 * `npm run nlu:eval`: measures the NLU like a real NLU.
 * - k-fold cross-validation on the training data (accuracy, macro-F1, worst confusions,
 *   in-domain false rejects, out-of-scope recall), per language;
 * - the independent dev set in test/nlu/dev/ (written without seeing the training data) and the
 *   sealed set in test/nlu/sealed/ (a final check, reported but never tuned on);
 * - the evaluation-only CLINC150 test files (out-of-scope recall), read for reporting only;
 * - entity extraction on the dev entity set (every amount and rate right).
 * Prints a report and writes the same as JSON (generated/nlu-eval.json, or --out FILE).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Intent, Lang } from '../src/knowledge/schema';
import { extractEntities } from '../src/nlu/entities';
import { FeatureExtractor } from '../src/nlu/features';
import { readModel } from '../src/nlu/loadNlu';
import { CoachNlu } from '../src/nlu/coachNlu';
import { decide } from '../src/nlu/intentModel';
import { crossValidate, docsByLang } from '../src/nlu/train';
import { loadLexicon, loadTrainingExamples, readJsonl } from '../src/nlu/trainingData';
import { generatedDir, projectRoot } from '../src/util/paths';

interface Pair {
  truth: Intent;
  predicted: Intent;
}

interface Metrics {
  n: number;
  accuracy: number;
  /** Accuracy on in-domain messages only (a reject counts as wrong): the held-out target. */
  inDomainAccuracy: number | null;
  macroF1: number;
  inDomainFalseReject: number;
  oosRecall: number | null;
  worstConfusions: { truth: Intent; predicted: Intent; count: number }[];
}

function metrics(pairs: Pair[]): Metrics {
  const labels = new Set<Intent>();
  for (const p of pairs) labels.add(p.truth).add(p.predicted);
  let f1Sum = 0;
  let f1Count = 0;
  for (const label of labels) {
    const tp = pairs.filter((p) => p.truth === label && p.predicted === label).length;
    const fp = pairs.filter((p) => p.truth !== label && p.predicted === label).length;
    const fn = pairs.filter((p) => p.truth === label && p.predicted !== label).length;
    if (tp + fn === 0) continue; // not in the truth: not part of the macro average
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp / (tp + fn);
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    f1Count++;
  }
  const inDomain = pairs.filter((p) => p.truth !== 'out_of_scope');
  const oos = pairs.filter((p) => p.truth === 'out_of_scope');
  const confusions = new Map<string, number>();
  for (const p of pairs) {
    if (p.truth === p.predicted) continue;
    const key = `${p.truth}\t${p.predicted}`;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  }
  return {
    n: pairs.length,
    accuracy: pairs.filter((p) => p.truth === p.predicted).length / Math.max(1, pairs.length),
    inDomainAccuracy: inDomain.length
      ? inDomain.filter((p) => p.truth === p.predicted).length / inDomain.length
      : null,
    macroF1: f1Count ? f1Sum / f1Count : 0,
    inDomainFalseReject:
      inDomain.filter((p) => p.predicted === 'out_of_scope').length / Math.max(1, inDomain.length),
    oosRecall: oos.length ? oos.filter((p) => p.predicted === 'out_of_scope').length / oos.length : null,
    worstConfusions: [...confusions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([key, count]) => {
        const [truth, predicted] = key.split('\t') as [Intent, Intent];
        return { truth, predicted, count };
      }),
  };
}

const pct = (x: number | null): string => (x === null ? '   —  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

function show(name: string, m: Metrics): string {
  const lines = [
    `${name.padEnd(28)} n=${String(m.n).padStart(5)}  acc ${pct(m.accuracy)}  in-domain ${pct(m.inDomainAccuracy)}  ` +
      `macro-F1 ${pct(m.macroF1)}  ` +
      `false-reject ${pct(m.inDomainFalseReject)}  oos-recall ${pct(m.oosRecall)}`,
  ];
  for (const c of m.worstConfusions.slice(0, 5)) {
    lines.push(`    ${c.truth.padEnd(18)} → ${c.predicted.padEnd(18)} ${c.count}`);
  }
  return lines.join('\n');
}

function main(): void {
  const root = projectRoot();
  const outArg = process.argv.indexOf('--out');
  const outFile = outArg > 0 ? (process.argv[outArg + 1] ?? '') : join(generatedDir(), 'nlu-eval.json');
  const nluDir = join(root, 'knowledge', 'nlu');
  const model = readModel();
  const nlu = CoachNlu.fromModel(model);
  const report: Record<string, unknown> = { modelHash: model.dataHash };
  const out: string[] = [];

  // 1. Cross-validation on the training data, with the shipped calibration.
  const extractor = new FeatureExtractor(loadLexicon(nluDir));
  const byLang = docsByLang(loadTrainingExamples(nluDir), extractor);
  const cvAll: Pair[] = [];
  const cv: Record<string, Metrics> = {};
  for (const lang of ['zh', 'en'] as Lang[]) {
    const pairs = crossValidate(byLang[lang], 5).map((p) => {
      const cal = model.models[lang].calibration;
      const { intent } = decide(p.scorer.rank(p.raw, cal), cal);
      return { truth: p.truth, predicted: intent };
    });
    cvAll.push(...pairs);
    cv[lang] = metrics(pairs);
    out.push(show(`cross-validation (${lang})`, cv[lang]));
  }
  cv.all = metrics(cvAll);
  out.push(show('cross-validation (all)', cv.all));
  report.crossValidation = cv;

  // 2. The independent dev set, and the sealed set (a final check: reported, never tuned on).
  for (const [name, key] of [
    ['dev', 'devSet'],
    ['sealed', 'sealedSet'],
  ] as const) {
    const file = join(root, 'test', 'nlu', name, 'intents.yaml');
    if (!existsSync(file)) continue;
    const rows = parse(readFileSync(file, 'utf8')) as { text: string; intent: Intent; lang: Lang }[];
    const set: Record<string, Metrics> = {};
    const all: Pair[] = [];
    for (const lang of ['zh', 'en'] as Lang[]) {
      const pairs = rows
        .filter((r) => r.lang === lang)
        .map((r) => ({ truth: r.intent, predicted: nlu.analyze(r.text, lang).intent }));
      all.push(...pairs);
      set[lang] = metrics(pairs);
      out.push(show(`${name} set (${lang})`, set[lang]));
    }
    set.all = metrics(all);
    out.push(show(`${name} set (all)`, set.all));
    report[key] = set;
  }

  // 3. Evaluation-only files: read here, never trained or tuned on.
  const clincDir = join(root, '..', 'shared', 'data', 'clinc150');
  const clinc: Record<string, Metrics> = {};
  for (const name of ['oos-test', 'offdomain-test']) {
    const file = join(clincDir, `${name}.jsonl`);
    if (!existsSync(file)) continue;
    const pairs = readJsonl(file).map((r) => ({
      truth: 'out_of_scope' as Intent,
      predicted: nlu.analyze(r.text, 'en').intent,
    }));
    clinc[name] = metrics(pairs);
    out.push(show(`${name} (evaluation only)`, clinc[name]));
  }
  report.clincTest = clinc;

  // 4. Entities on the dev entity set.
  const entFile = join(root, 'test', 'nlu', 'dev', 'entities.yaml');
  if (existsSync(entFile)) {
    const rows = parse(readFileSync(entFile, 'utf8')) as {
      text: string;
      entities: { amounts?: number[]; rates?: number[] };
    }[];
    const same = (a: number[] | undefined, b: number[] | undefined): boolean =>
      JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    const wrong = rows.filter((r) => {
      const got = extractEntities(r.text);
      return !same(got.amounts, r.entities.amounts) || !same(got.rates, r.entities.rates);
    });
    const entities = { n: rows.length, allAmountsAndRatesRight: (rows.length - wrong.length) / rows.length };
    report.entities = { ...entities, wrong: wrong.map((w) => w.text) };
    out.push(
      `entities: every amount and rate right in ${pct(entities.allAmountsAndRatesRight)} of ${rows.length} fee messages`,
    );
  }

  process.stdout.write(`${out.join('\n')}\n`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2));
  process.stdout.write(`written: ${outFile}\n`);
}

main();
