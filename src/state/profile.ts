/**
 * What the coach keeps about a user across conversations and channels (user state). Kept small:
 * stored user state stays under 8 KB after a full plan and a role-play.
 */
import type { Issue, Lang, Role, Scenario, TemplateSlot } from '../knowledge/schema';

/** Bumped when the shape changes incompatibly; an older record is set aside and started fresh. */
export const PROFILE_VERSION = 1;

/** The facts a plan collects; templates and the fee calculator read them too. */
export interface Facts {
  business?: string;
  currentRate?: number;
  targetRate?: number;
  monthlyVolume?: number;
  goal?: string;
  evidence?: string;
  alternative?: string;
  competitorRate?: number;
  /** A rate another merchant got ("隔壁奶茶店拿到了0.38%"): a precedent to cite, not the user's own. */
  peerRate?: number;
  /** The rate Alipay itself offered after a partial refusal (not another provider's quote). */
  alipayOffer?: number;
  /** How Alipay refused, as the user told it: a flat no, a partial offer, or no answer at all. */
  refusalKind?: 'flat' | 'partial' | 'silent';
  channel?: string;
  /** Who made the competing offer (a platform id: wechat_pay, bank, aggregator…). */
  competitor?: string;
  /** A person's own amount in question (a withdrawal, a card repayment, a payment), CNY. */
  amount?: number;
  /** The user is a foreign visitor or resident (foreign cards, passport checks). */
  visitor?: boolean;
  /** Alipay's products the user's case involves (case-library product ids). */
  products?: string[];
  /** The situation of the case library the user's problem is (its id). */
  situation?: string;
  /** The last contact with Alipay: by which channel, when, the case number, the promised reply date. */
  contactedVia?: string;
  contactedOn?: string;
  caseNumber?: string;
  replyBy?: string;
  /** What the user has as evidence, as kinds (statements, screenshots …), never their sentences. */
  evidenceKinds?: string[];
  /** What the user typed for a letter's blank when the coach asked for exactly that (by slot). */
  filled?: Partial<Record<TemplateSlot, string>>;
}

/**
 * One rehearsal, kept for /progress (compact: up to 50 of them live in the user's record):
 * scenario, difficulty, score, the six skills × 100 (CONTRACTS §8 order), the date, the outcome.
 */
export interface PracticeEntry {
  s: Scenario;
  d: 'easy' | 'normal' | 'hard';
  n: number;
  k: number[];
  /** YYYY-MM-DD */
  t: string;
  /** a agreement, i impasse, x abandoned */
  o: 'a' | 'i' | 'x';
}

export interface UserProfile {
  v: number;
  /** An explicit language choice (/lang, "说中文"); wins over per-message detection. */
  lang?: Lang;
  /** The language of the last message that had one; used for messages without language. */
  lastLang?: Lang;
  /** Set while the user writes Chinese in traditional characters: replies come back in them. */
  traditional?: boolean;
  role?: Role;
  issue?: Issue;
  facts: Facts;
  /** The negotiation-stage machine's persisted snapshot, with the machine version it came from. */
  journey?: { version: number; snapshot: unknown };
  /** Set once the welcome has been shown. */
  welcomed?: boolean;
  /** The date the plan was completed (YYYY-MM-DD). */
  planDone?: string;
  /** The last role-play's debrief, for "上次练习" and the Slack App Home. */
  lastDebrief?: unknown;
  /** Every rehearsal, oldest first, the last 50 (/progress). */
  practice?: PracticeEntry[];
}

export function newProfile(): UserProfile {
  return { v: PROFILE_VERSION, facts: {} };
}
