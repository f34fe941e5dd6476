/**
 * Build step: validates knowledge/ and writes the bundle the coach loads at start
 * (generated/knowledge.json). Schema problems fail the build; coverage gaps are kb:check's job.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../src/knowledge/validate';
import { generatedDir, projectRoot } from '../src/util/paths';

const { bundle, problems } = loadKnowledge(join(projectRoot(), 'knowledge'));
for (const p of problems) process.stderr.write(`✗ ${p.file}: ${p.message}\n`);
if (problems.length > 0) {
  process.stderr.write(`knowledge: ${problems.length} problems; run npm run kb:check\n`);
  process.exitCode = 1;
} else {
  mkdirSync(generatedDir(), { recursive: true });
  writeFileSync(join(generatedDir(), 'knowledge.json'), JSON.stringify(bundle));
  process.stderr.write(
    `knowledge: ${bundle.topics.length} topics, ${bundle.templates.length} templates, ${bundle.cases.length} cases, ` +
      `${bundle.channels.length} channels, ${bundle.glossary.length} glossary terms\n`,
  );
}
