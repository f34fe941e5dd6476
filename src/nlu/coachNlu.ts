/**
 * The coach's NLU: features → the language's intent model → calibrated intent, with an honest
 * out_of_scope when the message is outside the domain or the model is not sure enough.
 */
import { detectLang } from '../i18n/detectLang';
import type { Lang } from '../knowledge/schema';
import { extractEntities } from './entities';
import { FeatureExtractor } from './features';
import { IntentScorer, decide, type NluModelFile } from './intentModel';
import type { Nlu } from './nlu';
import type { NluResult } from './types';

/** Confidence is reported with three decimals (more would be false precision). */
const round = (p: number): number => Math.round(p * 1000) / 1000;

export class CoachNlu implements Nlu {
  private readonly extractor: FeatureExtractor;
  private readonly scorers: Record<Lang, IntentScorer>;

  constructor(readonly model: NluModelFile) {
    this.extractor = new FeatureExtractor(model.lexicon);
    this.scorers = {
      zh: new IntentScorer(model.models.zh.bayes, model.models.zh.softmax),
      en: new IntentScorer(model.models.en.bayes, model.models.en.softmax),
    };
  }

  analyze(text: string, lang: Lang): NluResult {
    const textLang = detectLang(text) ?? lang;
    const calibration = this.model.models[textLang].calibration;
    const scorer = this.scorers[textLang];
    const ranked = scorer.rank(scorer.raw(this.extractor.features(text)), calibration);
    const { intent, confidence } = decide(ranked, calibration);
    const alternatives = ranked
      .filter((r) => r.intent !== 'out_of_scope' && r.intent !== intent)
      .slice(0, 2)
      .map((r) => ({ intent: r.intent, confidence: round(r.p) }));
    return {
      text,
      lang: textLang,
      intent,
      confidence: round(confidence),
      entities: extractEntities(text),
      alternatives,
    };
  }

  features(text: string): string[] {
    return this.extractor.features(text);
  }

  /** For tests and tools: the tokens our tokenizer makes of a message. */
  tokens(text: string): string[] {
    return this.extractor.tokens(text);
  }
}
