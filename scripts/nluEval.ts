/**
 * `npm run nlu:eval`: measures the NLU like a real NLU.
 * - k-fold cross-validation on the training data (accuracy, macro-F1, worst confusions,
 *   in-domain false rejects, out-of-scope recall), per language;
 * - the independent dev set in test/nlu/dev/ (written without seeing the training data) and the
 *   sealed set in test/nlu/sealed/ (a final check, reported but never tuned on);
 * - the evaluation-only CLINC150 test files (out-of-scope recall), read for reporting only;
 * - entity extraction on the dev entity set (every amount and rate right);
 * - the real-phrasing dev split test/nlu/real/real-dev.yaml (real public messages): intent
 *   accuracy per language (right intent in the right language), situation accuracy on the lines
 *   that name a case, language accuracy, in-domain false rejects and out-of-scope false alarms;
 * - the held-out dialogue acts (test/nlu/dev/acts-heldout.yaml): act accuracy, report recall,
 *   report-event accuracy, false reports on non-reports, negation and document accuracy;
 * - the held-out slot answers (test/nlu/dev/slots-heldout.yaml): value, unknown and new-question
 *   accuracy per slot.
 * Prints a report and writes the same as JSON (generated/nlu-eval.json, or --out FILE).
 * `--quick` skips the cross-validation (minutes of training) and reports the rest.
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
import { readSlotAnswer, type SlotName } from '../src/nlu/slots';
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

interface RealRow {
  text: string;
  lang: Lang;
  intent: Intent;
  case: string;
}

interface RealMetrics {
  n: number;
  /** Right intent in the right language (an in-domain line read as out_of_scope is wrong). */
  intentAccuracy: number;
  inDomainAccuracy: number;
  languageAccuracy: number;
  /** In-domain lines read as out_of_scope. */
  inDomainFalseReject: number;
  /** Out-of-scope lines read as an in-domain intent. */
  oosFalseAlarm: number | null;
  /** Lines that name a case: the situation read is that case. */
  situationN: number;
  situationAccuracy: number | null;
  /** Lines about no case: a situation was reported anyway. */
  situationFalse: number | null;
}

function realMetrics(rows: RealRow[], nlu: CoachNlu): RealMetrics {
  let right = 0;
  let langRight = 0;
  let inDomain = 0;
  let inRight = 0;
  let rejected = 0;
  let oos = 0;
  let alarms = 0;
  let cased = 0;
  let situationRight = 0;
  let uncased = 0;
  let situationFalse = 0;
  for (const r of rows) {
    const got = nlu.analyze(r.text, r.lang);
    const ok = got.intent === r.intent && got.lang === r.lang;
    if (ok) right++;
    if (got.lang === r.lang) langRight++;
    if (r.intent === 'out_of_scope') {
      oos++;
      if (got.intent !== 'out_of_scope') alarms++;
    } else {
      inDomain++;
      if (ok) inRight++;
      if (got.intent === 'out_of_scope') rejected++;
    }
    if (r.case && r.case !== 'none') {
      cased++;
      if (got.situation?.id === r.case) situationRight++;
    } else {
      uncased++;
      if (got.situation) situationFalse++;
    }
  }
  const n = Math.max(1, rows.length);
  return {
    n: rows.length,
    intentAccuracy: right / n,
    inDomainAccuracy: inRight / Math.max(1, inDomain),
    languageAccuracy: langRight / n,
    inDomainFalseReject: rejected / Math.max(1, inDomain),
    oosFalseAlarm: oos ? alarms / oos : null,
    situationN: cased,
    situationAccuracy: cased ? situationRight / cased : null,
    situationFalse: uncased ? situationFalse / uncased : null,
  };
}

function showReal(name: string, m: RealMetrics): string {
  return (
    `${name.padEnd(28)} n=${String(m.n).padStart(5)}  intent ${pct(m.intentAccuracy)}  in-domain ${pct(m.inDomainAccuracy)}  ` +
    `situation ${pct(m.situationAccuracy)} (n=${m.situationN})  language ${pct(m.languageAccuracy)}  ` +
    `false-reject ${pct(m.inDomainFalseReject)}  oos false alarms ${pct(m.oosFalseAlarm)}  ` +
    `situation on no-case lines ${pct(m.situationFalse)}`
  );
}

interface ActRow {
  text: string;
  lang: Lang;
  act: string;
  event?: string;
  doc?: string;
  negated?: boolean;
}

interface ActMetrics {
  n: number;
  actAccuracy: number;
  /** Reports read as reports. */
  reportRecall: number | null;
  /** Reports read as reports with the right event. */
  reportEventAccuracy: number | null;
  /** Non-reports read as reports (what moves the stage when it should not). */
  falseReportRate: number | null;
  negationAccuracy: number;
  /** Document requests read with the right document. */
  docAccuracy: number | null;
}

function actMetrics(rows: ActRow[], nlu: CoachNlu): ActMetrics {
  let right = 0;
  let reports = 0;
  let found = 0;
  let events = 0;
  let nonReports = 0;
  let falseReports = 0;
  let negation = 0;
  let docs = 0;
  let docRight = 0;
  for (const r of rows) {
    const act = nlu.analyze(r.text, r.lang).act;
    if (act?.type === r.act) right++;
    if (r.act === 'report') {
      reports++;
      if (act?.type === 'report') found++;
      if (act?.type === 'report' && act.event === r.event) events++;
    } else {
      nonReports++;
      if (act?.type === 'report') falseReports++;
    }
    if ((act?.negated ?? false) === (r.negated ?? false)) negation++;
    if (r.act === 'request_document') {
      docs++;
      if (act?.doc === r.doc) docRight++;
    }
  }
  return {
    n: rows.length,
    actAccuracy: right / Math.max(1, rows.length),
    reportRecall: reports ? found / reports : null,
    reportEventAccuracy: reports ? events / reports : null,
    falseReportRate: nonReports ? falseReports / nonReports : null,
    negationAccuracy: negation / Math.max(1, rows.length),
    docAccuracy: docs ? docRight / docs : null,
  };
}

function showActs(name: string, m: ActMetrics): string {
  return (
    `${name.padEnd(28)} n=${String(m.n).padStart(5)}  act ${pct(m.actAccuracy)}  report recall ${pct(m.reportRecall)}  ` +
    `report+event ${pct(m.reportEventAccuracy)}  false reports ${pct(m.falseReportRate)}  ` +
    `negation ${pct(m.negationAccuracy)}  document ${pct(m.docAccuracy)}`
  );
}

interface SlotRow {
  text: string;
  lang: Lang;
  slot: SlotName;
  value: number | string | null;
  unknown?: boolean;
  new_question?: boolean;
}

interface SlotMetrics {
  n: number;
  /** The value read is the value (rates within 0.005 points, money within 1%, roles exactly). */
  valueAccuracy: number;
  unknownAccuracy: number;
  newQuestionAccuracy: number;
  /** Value, unknown and new question all right. */
  allRight: number;
}

function sameValue(slot: SlotName, got: number | string | undefined, want: number | string | null): boolean {
  if (want === null || want === undefined) return got === undefined;
  if (got === undefined) return false;
  if (typeof want === 'string' || typeof got === 'string') return got === want;
  if (slot === 'rate') return Math.abs(got - want) <= 0.0051;
  return Math.abs(got - want) <= Math.max(1, Math.abs(want) * 0.01);
}

function slotMetrics(rows: SlotRow[]): SlotMetrics {
  let value = 0;
  let unknown = 0;
  let question = 0;
  let all = 0;
  for (const r of rows) {
    const got = readSlotAnswer(r.text, r.slot, r.lang);
    const v = sameValue(r.slot, got.value, r.value);
    const u = (got.unknown ?? false) === (r.unknown ?? false);
    const q = (got.newQuestion ?? false) === (r.new_question ?? false);
    if (v) value++;
    if (u) unknown++;
    if (q) question++;
    if (v && u && q) all++;
  }
  const n = Math.max(1, rows.length);
  return {
    n: rows.length,
    valueAccuracy: value / n,
    unknownAccuracy: unknown / n,
    newQuestionAccuracy: question / n,
    allRight: all / n,
  };
}

function showSlots(name: string, m: SlotMetrics): string {
  return (
    `${name.padEnd(28)} n=${String(m.n).padStart(5)}  value ${pct(m.valueAccuracy)}  unknown ${pct(m.unknownAccuracy)}  ` +
    `new question ${pct(m.newQuestionAccuracy)}  all right ${pct(m.allRight)}`
  );
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
  const quick = process.argv.includes('--quick');
  const extractor = new FeatureExtractor(loadLexicon(nluDir));
  const byLang = quick ? { zh: [], en: [] } : docsByLang(loadTrainingExamples(nluDir), extractor);
  const cvAll: Pair[] = [];
  const cv: Record<string, Metrics> = {};
  for (const lang of quick ? [] : (['zh', 'en'] as Lang[])) {
    const pairs = crossValidate(byLang[lang], 5).map((p) => {
      const cal = model.models[lang].calibration;
      const { intent } = decide(p.scorer.rank(p.raw, cal), cal);
      return { truth: p.truth, predicted: intent };
    });
    cvAll.push(...pairs);
    cv[lang] = metrics(pairs);
    out.push(show(`cross-validation (${lang})`, cv[lang]));
  }
  if (!quick) {
    cv.all = metrics(cvAll);
    out.push(show('cross-validation (all)', cv.all));
    report.crossValidation = cv;
  }

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

  // 5. Real public messages (the dev split of the real-phrasing set).
  const realFile = join(root, 'test', 'nlu', 'real', 'real-dev.yaml');
  if (existsSync(realFile)) {
    const rows = parse(readFileSync(realFile, 'utf8')) as RealRow[];
    const real: Record<string, RealMetrics> = {};
    for (const lang of ['zh', 'en', 'all'] as const) {
      real[lang] = realMetrics(
        rows.filter((r) => lang === 'all' || r.lang === lang),
        nlu,
      );
      out.push(showReal(`real-phrasing dev (${lang})`, real[lang]));
    }
    report.realDev = real;
  }

  // 6. Held-out dialogue acts.
  const actsFile = join(root, 'test', 'nlu', 'dev', 'acts-heldout.yaml');
  if (existsSync(actsFile)) {
    const rows = parse(readFileSync(actsFile, 'utf8')) as ActRow[];
    const acts: Record<string, ActMetrics> = {};
    for (const lang of ['zh', 'en', 'all'] as const) {
      acts[lang] = actMetrics(
        rows.filter((r) => lang === 'all' || r.lang === lang),
        nlu,
      );
      out.push(showActs(`acts held-out (${lang})`, acts[lang]));
    }
    report.actsHeldout = acts;
  }

  // 7. Held-out slot answers.
  const slotsFile = join(root, 'test', 'nlu', 'dev', 'slots-heldout.yaml');
  if (existsSync(slotsFile)) {
    const rows = parse(readFileSync(slotsFile, 'utf8')) as SlotRow[];
    const slots: Record<string, SlotMetrics> = {};
    for (const slot of ['rate', 'monthly_volume', 'amount', 'role', 'all'] as const) {
      slots[slot] = slotMetrics(rows.filter((r) => slot === 'all' || r.slot === slot));
      out.push(showSlots(`slots held-out (${slot})`, slots[slot]));
    }
    report.slotsHeldout = slots;
  }

  process.stdout.write(`${out.join('\n')}\n`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2));
  process.stdout.write(`written: ${outFile}\n`);
}

main();
