/**
 * Saving and loading the NLU model (src/nlu/modelFile.ts, src/nlu/loadNlu.ts): a tiny model
 * trained here on a handful of examples survives encode → bytes → decode and a write to / read from
 * a directory with identical readings; missing, stale and damaged files give errors that say
 * which file and what to do; each language's file is read only when needed; and the shipped
 * model in generated/ was trained on the training data as it is now.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../../src/knowledge/schema';
import { CoachNlu } from '../../../src/nlu/coachNlu';
import { FeatureExtractor } from '../../../src/nlu/features';
import {
  IntentScorer,
  NLU_MODEL_VERSION,
  type LanguageModel,
  type NluModel,
} from '../../../src/nlu/intentModel';
import { MODEL_FILE, readLanguage, readMeta, readModel } from '../../../src/nlu/loadNlu';
import { decodeLanguage, encodeLanguage, languageFile, metaOf } from '../../../src/nlu/modelFile';
import { hashTrainingData, trainModel } from '../../../src/nlu/train';
import {
  loadActExamples,
  loadLexicon,
  loadTrainingExamples,
  loadCaseCues,
  type Example,
} from '../../../src/nlu/trainingData';
import { tempDir } from '../../helpers/tmp';

const repoRoot = join(__dirname, '..', '..', '..');
const nluDir = join(repoRoot, 'knowledge', 'nlu');
const lexicon = loadLexicon(nluDir);

function examples(): Example[] {
  const out: Example[] = [];
  const add = (label: string, lang: Lang, texts: string[]): void => {
    for (const text of texts) out.push({ text, lang, label, source: 'modelFile.test.ts' });
  };
  add('fees', 'zh', [
    '手续费太高了',
    '费率能不能降',
    '扣点太多',
    '提现手续费太贵',
    '想降低费率',
    '服务费太高',
  ]);
  add('greet', 'zh', ['你好', '您好', '早上好', '嗨', '哈喽', '晚上好']);
  add('security', 'zh', ['账户被冻结了', '钱被盗了', '账号被封', '遇到诈骗', '资金被冻结', '有人盗刷']);
  add('oos:misc', 'zh', ['明天下雨吗', '推荐一部电影', '怎么做饭', '今天星期几', '讲个笑话', '写一首诗']);
  add('fees', 'en', [
    'fees are too high',
    'lower my rate',
    'commission is too much',
    'reduce the fee',
    'cut my fees',
    'charges are steep',
  ]);
  add('greet', 'en', ['hello', 'hi', 'good morning', 'hey', 'hi there', 'good evening']);
  add('security', 'en', [
    'account frozen',
    'money was stolen',
    'got scammed',
    'account locked',
    'hacked account',
    'funds frozen',
  ]);
  add('oos:misc', 'en', [
    'what is the weather',
    'recommend a movie',
    'how to cook pasta',
    'tell me a joke',
    'sing a song',
    'write a poem',
  ]);
  return out;
}

/** Messages the tiny model has not seen, in both languages and every class. */
const PROBES: string[] = [
  '手续费好贵',
  '你好啊',
  '账户被冻住了',
  '今天天气',
  '支付寶費率太高',
  'the fee is high',
  'hello!',
  'my account is frozen',
  'weather tomorrow',
  '',
  '0.6%',
  '我想降低fee rate',
];

const model: NluModel = trainModel(examples(), lexicon);
const extractor = new FeatureExtractor(lexicon);

/** Unrounded calibrated probabilities of every intent for one message. */
function ranking(m: LanguageModel, text: string): { intent: string; p: number }[] {
  const scorer = new IntentScorer(m.bayes, m.softmax);
  return scorer.rank(scorer.raw(extractor.features(text)), m.calibration);
}

function viaFile(m: LanguageModel): LanguageModel {
  return decodeLanguage(encodeLanguage(m));
}

/** Writes a model the way scripts/trainNlu.ts does. */
function save(m: NluModel, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const lang of ['zh', 'en'] as const) {
    writeFileSync(join(dir, languageFile(lang)), encodeLanguage(m.models[lang]));
  }
  writeFileSync(join(dir, MODEL_FILE), JSON.stringify(metaOf(m)));
}

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('nlu-model-');
});
afterEach(() => tmp.cleanup());

describe('the tiny model itself', () => {
  test('classifies unseen messages sensibly (so the round trips below compare something real)', () => {
    const nlu = CoachNlu.fromModel(model);
    expect(nlu.analyze('手续费好贵', 'zh').intent).toBe('fees');
    expect(nlu.analyze('账户被冻住了', 'zh').intent).toBe('security');
    expect(nlu.analyze('the fee is high', 'en').intent).toBe('fees');
    expect(nlu.analyze('weather tomorrow', 'en').intent).toBe('out_of_scope');
  });
});

describe('encode → bytes → decode', () => {
  test.each(['zh', 'en'] as const)('the %s model scores every message identically', (lang) => {
    const original = model.models[lang];
    const loaded = viaFile(original);
    for (const text of PROBES) {
      const a = ranking(original, text);
      const b = ranking(loaded, text);
      expect(b.map((r) => r.intent)).toEqual(a.map((r) => r.intent));
      b.forEach((r, i) => expect(Math.abs(r.p - (a[i]?.p ?? NaN))).toBeLessThan(1e-9));
    }
  });

  test('the calibration and vocabularies survive unchanged', () => {
    for (const lang of ['zh', 'en'] as const) {
      const original = model.models[lang];
      const loaded = viaFile(original);
      expect(loaded.calibration).toEqual(original.calibration);
      expect(loaded.softmax.labels).toEqual(original.softmax.labels);
      expect(loaded.softmax.features).toEqual(original.softmax.features);
      expect(Array.from(loaded.softmax.weights)).toEqual(Array.from(original.softmax.weights));
      expect(loaded.bayes.features).toEqual(original.bayes.features);
      expect(Array.from(loaded.bayes.entryCounts)).toEqual(Array.from(original.bayes.entryCounts));
    }
  });

  test('a file read into a buffer at any offset decodes to the same model (arrays copied once if unaligned)', () => {
    const bytes = encodeLanguage(model.models.zh);
    const shifted = Buffer.alloc(bytes.length + 3);
    bytes.copy(shifted, 3);
    const loaded = decodeLanguage(shifted.subarray(3));
    expect(Array.from(loaded.softmax.weights)).toEqual(Array.from(model.models.zh.softmax.weights));
    expect(Array.from(loaded.bayes.entryCounts)).toEqual(Array.from(model.models.zh.bayes.entryCounts));
  });

  test('packing is stable: a second round trip writes the same bytes', () => {
    for (const lang of ['zh', 'en'] as const) {
      const once = encodeLanguage(model.models[lang]);
      const twice = encodeLanguage(decodeLanguage(once));
      expect(twice.equals(once)).toBe(true);
    }
  });

  test('an empty vocabulary packs and unpacks', () => {
    const empty: LanguageModel = {
      bayes: {
        labels: [],
        totals: [],
        smoothing: 1,
        features: [],
        offsets: new Int32Array([0]),
        entryLabels: new Int32Array(0),
        entryCounts: new Int32Array(0),
      },
      softmax: { labels: [], features: [], bias: [], weights: new Float32Array(0) },
      calibration: model.models.zh.calibration,
    };
    const loaded = viaFile(empty);
    expect(loaded.bayes.features).toEqual([]);
    expect(loaded.softmax.features).toEqual([]);
    expect(Array.from(loaded.bayes.offsets)).toEqual([0]);
  });
});

describe('saved to a directory and read back', () => {
  test('readModel gives a model whose readings equal the original', () => {
    save(model, tmp.dir);
    const loaded = readModel(tmp.dir);
    expect(loaded.version).toBe(NLU_MODEL_VERSION);
    expect(loaded.dataHash).toBe(model.dataHash);
    expect(loaded.lexicon).toEqual(lexicon);
    const before = CoachNlu.fromModel(model);
    const after = CoachNlu.fromModel(loaded);
    for (const text of PROBES) {
      for (const lang of ['zh', 'en'] as const) {
        const a = before.classify(text, lang);
        const b = after.classify(text, lang);
        expect(b.intent).toBe(a.intent);
        expect(Math.abs(b.confidence - a.confidence)).toBeLessThan(1e-9);
        expect(b.alternatives).toEqual(a.alternatives);
        expect(b.entities).toEqual(a.entities);
      }
    }
  });

  test('a language file is read only when a message in that language arrives', () => {
    save(model, tmp.dir);
    rmSync(join(tmp.dir, languageFile('en')));
    const nlu = new CoachNlu(readMeta(tmp.dir), (lang) => readLanguage(lang, tmp.dir));
    expect(nlu.analyze('手续费好贵', 'zh').intent).toBe('fees');
    expect(() => nlu.analyze('the fee is high', 'en')).toThrow(/nlu-model\.en\.bin.*npm run build/);
  });
});

describe('bad model files', () => {
  test('a missing directory says where the model was expected and how to build it', () => {
    const dir = join(tmp.dir, 'nowhere');
    expect(() => readModel(dir)).toThrow(/NLU model not found/);
    expect(() => readModel(dir)).toThrow(dir);
    expect(() => readModel(dir)).toThrow(/npm run build/);
  });

  test('a missing language file is named', () => {
    save(model, tmp.dir);
    rmSync(join(tmp.dir, languageFile('zh')));
    expect(() => readModel(tmp.dir)).toThrow(/not found.*nlu-model\.zh\.bin/);
  });

  test('a model of another version is refused with both versions in the message', () => {
    save(model, tmp.dir);
    const file = join(tmp.dir, MODEL_FILE);
    const meta = JSON.parse(readFileSync(file, 'utf8')) as { version: number };
    writeFileSync(file, JSON.stringify({ ...meta, version: NLU_MODEL_VERSION - 1 }));
    expect(() => readMeta(tmp.dir)).toThrow(
      new RegExp(`version ${NLU_MODEL_VERSION - 1}, expected ${NLU_MODEL_VERSION}.*npm run build`),
    );
  });

  test('a truncated model file is refused, not read as a broken model', () => {
    save(model, tmp.dir);
    const file = join(tmp.dir, MODEL_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    expect(() => readModel(tmp.dir)).toThrow(/damaged.*npm run build/);
    expect(() => readModel(tmp.dir)).toThrow(file);
    const lang = join(tmp.dir, languageFile('en'));
    save(model, tmp.dir);
    writeFileSync(lang, readFileSync(lang).subarray(0, 100));
    expect(() => readLanguage('en', tmp.dir)).toThrow(/nlu-model\.en\.bin is damaged/);
    // Header whole, arrays cut short.
    save(model, tmp.dir);
    const whole = readFileSync(lang);
    writeFileSync(lang, whole.subarray(0, whole.length - 16));
    expect(() => readLanguage('en', tmp.dir)).toThrow(/nlu-model\.en\.bin is damaged.*truncated/);
    // Not a model file at all (the earlier JSON format, say).
    writeFileSync(lang, '{"bayes":{}}');
    expect(() => readLanguage('en', tmp.dir)).toThrow(/nlu-model\.en\.bin is damaged/);
  });
});

describe('the shipped model', () => {
  test('was trained on exactly the current training data and lexicon', () => {
    // Fails when knowledge/nlu/ changed without `npm run build` retraining the model.
    const meta = readMeta();
    expect(meta.version).toBe(NLU_MODEL_VERSION);
    expect(meta.dataHash).toBe(
      hashTrainingData(
        loadTrainingExamples(nluDir),
        loadLexicon(nluDir),
        loadActExamples(nluDir),
        loadCaseCues(nluDir),
      ),
    );
    expect(meta.lexicon).toEqual(loadLexicon(nluDir));
  });

  test('has both language models with sane thresholds', () => {
    for (const lang of ['zh', 'en'] as const) {
      const m = readLanguage(lang);
      expect(m.softmax.labels).toEqual(expect.arrayContaining(['fees', 'out_of_scope']));
      expect(m.softmax.weights.length).toBe(m.softmax.features.length * m.softmax.labels.length);
      expect(m.bayes.offsets.length).toBe(m.bayes.features.length + 1);
      expect(m.calibration.rejectBelow).toBeGreaterThan(0);
      expect(m.calibration.rejectBelow).toBeLessThan(1);
      expect(m.calibration.oosAbove).toBeGreaterThanOrEqual(0.5);
      expect(m.calibration.oosAbove).toBeLessThan(1);
    }
  });
});
