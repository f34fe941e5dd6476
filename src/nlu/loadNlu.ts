/**
 * Loads the NLU model the build trained (`npm run build` → generated/nlu-model.json). The model
 * is never retrained at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDir } from '../util/paths';
import { CoachNlu } from './coachNlu';
import { NLU_MODEL_VERSION, type NluModelFile } from './intentModel';

export const MODEL_FILE = 'nlu-model.json';

export function readModel(dir = generatedDir()): NluModelFile {
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) throw new Error(`NLU model not found at ${file}; run \`npm run build\``);
  const model = JSON.parse(readFileSync(file, 'utf8')) as NluModelFile;
  if (model.version !== NLU_MODEL_VERSION) {
    throw new Error(
      `NLU model ${file} is version ${model.version}, expected ${NLU_MODEL_VERSION}; run \`npm run build\``,
    );
  }
  return model;
}

let cached: CoachNlu | undefined;

/** One NLU per process: the model is read once. */
export function loadNlu(): CoachNlu {
  cached ??= new CoachNlu(readModel());
  return cached;
}
