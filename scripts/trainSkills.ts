/**
 * Build step: trains the role-play skill model (src/roleplay/skillModel.ts) on
 * knowledge/roleplay/skills/skills-train.yaml and writes generated/skill-model.json. Skipped
 * when the model on disk was trained on exactly this data with this feature and training code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKILL_MODEL_FILE, SKILL_MODEL_VERSION, type SkillModelFile } from '../src/roleplay/skillModel';
import { hashSkillData, loadSkillLines, trainSkillModel } from '../src/roleplay/skillTrain';
import { loadLexicon } from '../src/nlu/trainingData';
import { generatedDir, projectRoot } from '../src/util/paths';

const started = Date.now();
const root = projectRoot();
const lines = loadSkillLines(join(root, 'knowledge', 'roleplay', 'skills', 'skills-train.yaml'));
const words = loadLexicon(join(root, 'knowledge', 'nlu')).words;
const file = join(generatedDir(), SKILL_MODEL_FILE);
const hash = hashSkillData(lines, words);
const existing = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<SkillModelFile>)
  : undefined;
if (
  existing?.dataHash === hash &&
  existing.version === SKILL_MODEL_VERSION &&
  !process.argv.includes('--force')
) {
  process.stderr.write(`skills: model is up to date (${hash})\n`);
} else {
  const { file: model, calibration } = trainSkillModel(lines, words);
  mkdirSync(generatedDir(), { recursive: true });
  writeFileSync(file, JSON.stringify(model));
  const thresholds = Object.entries(calibration.heads)
    .filter(([, c]) => c.threshold !== undefined)
    .map(([name, c]) => `${name.replace(/^\w+:/, '')}@${(c.threshold as number).toFixed(2)}`)
    .join(' ');
  process.stderr.write(
    `skills: trained on ${lines.length} lines in ${Date.now() - started} ms (${thresholds}) → ${file}\n`,
  );
}
