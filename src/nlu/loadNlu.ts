/**
 * Loads the NLU model the build trained (generated/nlu-model*.json); it is never retrained at
 * start. Each language's model is read the first time a message in that language arrives, so a
 * process that only ever hears one language never pays for the other.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../knowledge/schema';
import { generatedDir } from '../util/paths';
import { CoachNlu } from './coachNlu';
import { NLU_MODEL_VERSION, type LanguageModel, type NluModel } from './intentModel';
import { decodeLanguage, languageFile, type ModelMeta } from './modelFile';

export const MODEL_FILE = 'nlu-model.json';

function readJson<T>(file: string): T {
  if (!existsSync(file)) throw new Error(`NLU model not found at ${file}; run \`npm run build\``);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`NLU model ${file} is damaged (${(err as Error).message}); run \`npm run build\``);
  }
}

export function readMeta(dir = generatedDir()): ModelMeta {
  const file = join(dir, MODEL_FILE);
  const meta = readJson<ModelMeta>(file);
  if (meta.version !== NLU_MODEL_VERSION) {
    throw new Error(
      `NLU model ${file} is version ${meta.version}, expected ${NLU_MODEL_VERSION}; run \`npm run build\``,
    );
  }
  return meta;
}

export function readLanguage(lang: Lang, dir = generatedDir()): LanguageModel {
  const file = join(dir, languageFile(lang));
  if (!existsSync(file)) throw new Error(`NLU model not found at ${file}; run \`npm run build\``);
  try {
    return decodeLanguage(readFileSync(file));
  } catch (err) {
    throw new Error(`NLU model ${file} is damaged (${(err as Error).message}); run \`npm run build\``);
  }
}

/** The whole model at once (evaluation and tools). */
export function readModel(dir = generatedDir()): NluModel {
  return { ...readMeta(dir), models: { zh: readLanguage('zh', dir), en: readLanguage('en', dir) } };
}

let cached: CoachNlu | undefined;

/** One NLU per process. */
export function loadNlu(): CoachNlu {
  if (!cached) {
    const dir = generatedDir();
    cached = new CoachNlu(readMeta(dir), (lang) => readLanguage(lang, dir));
  }
  return cached;
}
