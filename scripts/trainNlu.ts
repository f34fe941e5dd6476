/**
 * Build step: trains the NLU on knowledge/nlu/ and writes generated/nlu-model.json. Skipped when
 * the model on disk was trained on exactly this data with this training code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NLU_MODEL_VERSION } from '../src/nlu/intentModel';
import { encodeLanguage, languageFile, metaOf, type ModelMeta } from '../src/nlu/modelFile';
import { MODEL_FILE } from '../src/nlu/loadNlu';
import { hashTrainingData, trainModel } from '../src/nlu/train';
import { loadActExamples, loadCaseCues, loadLexicon, loadTrainingExamples } from '../src/nlu/trainingData';
import { generatedDir, projectRoot } from '../src/util/paths';

const started = Date.now();
const nluDir = join(projectRoot(), 'knowledge', 'nlu');
const examples = loadTrainingExamples(nluDir);
const lexicon = loadLexicon(nluDir);
const acts = loadActExamples(nluDir);
const cues = loadCaseCues(nluDir);
const file = join(generatedDir(), MODEL_FILE);
const hash = hashTrainingData(examples, lexicon, acts, cues);
const existing = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<ModelMeta>)
  : undefined;
if (
  existing?.dataHash === hash &&
  existing.version === NLU_MODEL_VERSION &&
  !process.argv.includes('--force')
) {
  process.stderr.write(`nlu: model is up to date (${hash})\n`);
} else {
  const model = trainModel(examples, lexicon, acts, cues);
  mkdirSync(generatedDir(), { recursive: true });
  for (const lang of ['zh', 'en'] as const) {
    writeFileSync(join(generatedDir(), languageFile(lang)), encodeLanguage(model.models[lang]));
  }
  // The shared file last: its hash says the language files are complete.
  writeFileSync(file, JSON.stringify(metaOf(model)));
  const cal = (lang: 'zh' | 'en'): string => {
    const c = model.models[lang].calibration;
    return `${lang}: bayes×${c.bayesWeight} T=${c.temperature.toFixed(2)} reject<${c.rejectBelow.toFixed(3)}`;
  };
  process.stderr.write(
    `nlu: trained on ${examples.length} examples and ${acts.length} act lines in ${Date.now() - started} ms (${cal('zh')}; ${cal('en')}) → ${file}\n`,
  );
}
