/** The coach's interface text (knowledge/ui), for assertions and for rendering functions in tests. */
import { join } from 'node:path';
import { Texts } from '../../src/knowledge/texts';
import { loadKnowledge } from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';

let cached: Texts | undefined;

/** Read from knowledge/ui (the sources, not the compiled bundle). */
export function uiTexts(): Texts {
  cached ??= new Texts(loadKnowledge(join(projectRoot(), 'knowledge')).bundle.ui);
  return cached;
}

export const texts = uiTexts();
