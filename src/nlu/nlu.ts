/** The NLU as the rest of the coach sees it. */
import type { Lang } from '../knowledge/schema';
import type { NluResult } from './types';

export interface Nlu {
  /** Reads one message. `lang` is the language to assume when the text has none of its own. */
  analyze(text: string, lang: Lang): NluResult;
  /** The features our tokenizer makes of a text (the knowledge base ranks topics with them). */
  features(text: string): string[];
  /** Identifies the tokenizer (lexicon and training version) for caches built on features. */
  readonly featurizerId: string;
}
