/** What the NLU reads from one message (CONTRACTS section 3). */
import type { Intent, Issue, Lang, Role } from '../knowledge/schema';
import type { Act } from './acts';

export type { ActDoc, ActEvent } from './acts';

export type Platform = 'alipay' | 'wechat_pay' | 'unionpay' | 'bank' | 'aggregator';
export type Period = 'month' | 'year';
export type Difficulty = 'easy' | 'normal' | 'hard';

/** Entities, all optional; keys are absent (not empty) when the message does not state them. */
export interface Entities {
  /** CNY amounts as numbers, in the order given: "5万" → 50000, "80k" → 80000. */
  amounts?: number[];
  /** Rates in percent as numbers, in the order given: "千分之六" → 0.6, "0.38个点" → 0.38. */
  rates?: number[];
  period?: Period;
  platforms?: Platform[];
  role?: Role;
  issue?: Issue;
  difficulty?: Difficulty;
}

export interface NluResult {
  text: string;
  lang: Lang;
  intent: Intent;
  /** Calibrated: about this share of readings at this confidence are right. */
  confidence: number;
  entities: Entities;
  /** The runner-up, for "did you mean A or B?" when the two are close. */
  alternatives: { intent: Intent; confidence: number }[];
  /**
   * The situation of the case library (knowledge/cases id) the message is about, with the
   * reader's probability; absent when no case is close enough.
   */
  situation?: {
    id: string;
    confidence: number;
    /** The phrase of the message that named the case, when the model alone did not read it. */
    cue?: string;
  };
  /**
   * Cases the message's own phrases name (the case files' cues), whatever the intent: the turn
   * reads them against what the conversation was about. Absent when none.
   */
  named?: string[];
  /**
   * The likeliest case when no situation is reported: the case was not read surely enough, or
   * the intent is one of the seed's sections (background, strategy…), which no case answers. For
   * the turn, which knows who the person is and what was said before, to weigh.
   */
  likelyCase?: { id: string; confidence: number };
  /**
   * What kind of message it is (question, report of an event, complaint…); absent only when the
   * model has no act reader.
   */
  act?: Act;
}
