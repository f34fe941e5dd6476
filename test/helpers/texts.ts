/** The coach's interface text as the built knowledge bundle has it (knowledge/ui), for assertions. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Texts } from '../../src/knowledge/texts';
import type { KnowledgeBundle } from '../../src/knowledge/validate';
import { generatedDir } from '../../src/util/paths';

const bundle = JSON.parse(readFileSync(join(generatedDir(), 'knowledge.json'), 'utf8')) as KnowledgeBundle;

export const texts = new Texts(bundle.ui);
