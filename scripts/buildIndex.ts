/**
 * Build step (after the NLU is trained): precomputes the knowledge base's retrieval index over
 * the NLU's features, so the coach does not featurize every topic at start.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_FILE, KnowledgeBase } from '../src/knowledge/knowledgeBase';
import type { KnowledgeBundle } from '../src/knowledge/validate';
import { CoachNlu } from '../src/nlu/coachNlu';
import { readModel } from '../src/nlu/loadNlu';
import { generatedDir } from '../src/util/paths';

const nlu = CoachNlu.fromModel(readModel());
const text = readFileSync(join(generatedDir(), 'knowledge.json'), 'utf8');
const kb = new KnowledgeBase(JSON.parse(text) as KnowledgeBundle, (t) => nlu.features(t));
writeFileSync(join(generatedDir(), INDEX_FILE), JSON.stringify(kb.exportIndex(text, nlu.featurizerId)));
process.stderr.write(`knowledge index: ${kb.bundle.topics.length} topics\n`);
