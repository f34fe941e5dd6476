/**
 * What one turn learnt, shared between the bot, the dialogs and the channel that carried it.
 * The channel reads the summary after the turn (the JSON line protocol prints it); the bot
 * never needs to know which channel it is.
 */
import type { TurnContext } from 'botbuilder';
import type { Intent, Lang } from '../knowledge/schema';
import type { Entities, NluResult } from '../nlu/types';

/** CONTRACTS section 2: the per-turn fields besides the replies. */
export interface TurnSummary {
  intent: Intent | null;
  confidence: number | null;
  entities: Entities;
  lang: Lang;
  mode: string;
  stage: string;
  debrief?: unknown;
}

export interface TurnInfo {
  text: string;
  lang: Lang;
  nlu: NluResult | null;
  /** Set when the message answered a dialog's question rather than starting something new. */
  answeredPrompt: boolean;
  debrief?: unknown;
  /** Where the user was when the turn began (reported if the turn fails and nothing is saved). */
  before?: { mode: string; stage: string };
}

const SUMMARY = Symbol('coach.turnSummary');
const INFO = Symbol('coach.turnInfo');

export function setTurnSummary(context: TurnContext, summary: TurnSummary): void {
  context.turnState.set(SUMMARY, summary);
}

export function getTurnSummary(context: TurnContext): TurnSummary | undefined {
  return context.turnState.get(SUMMARY) as TurnSummary | undefined;
}

export function setTurnInfo(context: TurnContext, info: TurnInfo): void {
  context.turnState.set(INFO, info);
}

export function findTurnInfo(context: TurnContext): TurnInfo | undefined {
  return context.turnState.get(INFO) as TurnInfo | undefined;
}

export function getTurnInfo(context: TurnContext): TurnInfo {
  const info = findTurnInfo(context);
  if (!info) throw new Error('turn info is set by the bot before any dialog runs');
  return info;
}
