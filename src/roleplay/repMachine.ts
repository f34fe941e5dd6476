/**
 * The simulated Alipay representative, one machine for the three scenarios (parameterised by
 * scenario and difficulty). Each user turn arrives as a TURN event carrying the tactics shown;
 * `applyTurn` scores it, and eventless transitions move the representative from the opening
 * through probing and objection to considering and offering, and on to agreement or impasse.
 * What the representative says is chosen outside the machine (engine.ts).
 */
import { assign, setup } from 'xstate';
import type { Difficulty } from '../nlu/types';
import type { Scenario, Tactic } from '../knowledge/schema';
import type { TurnAnalysis } from './tactics';

/** Bumped when states or context change shape; stored with every snapshot. */
export const REP_MACHINE_VERSION = 1;

/** The tactics that persuade, and how much a first showing of each is worth. */
export const TACTIC_WEIGHTS: Partial<Record<Tactic, number>> = {
  data: 2,
  case: 2,
  mutual: 1.5,
  joint: 2,
  batna: 1.5,
  escalation: 1,
  respect: 0.5,
  flexibility: 1,
};

/** The four strategies of seed 五: hard needs all of data, case and a joint solution. */
export const STRATEGIES: Tactic[] = ['data', 'case', 'mutual', 'joint'];

/** Moves that give the representative a reason to improve an offer. */
const ARGUMENTS: Tactic[] = ['data', 'case', 'mutual', 'joint', 'batna', 'escalation'];

export interface DifficultySettings {
  patience: number;
  maxTurns: number;
  /** Persuasion needed to start considering, to make an offer, to agree. */
  consider: number;
  offer: number;
  agree: number;
  hostilityCost: number;
  ultimatumCost: number;
  /** How far towards the user's target the floor lies (0: no move at all, 1: the target). */
  floorReach: number;
  /** Which of the four strategies must have been shown before an agreement. */
  requires: (shown: Tactic[]) => boolean;
}

export const DIFFICULTY: Record<Difficulty, DifficultySettings> = {
  easy: {
    patience: 100,
    maxTurns: 30,
    consider: 2,
    offer: 3,
    agree: 5,
    hostilityCost: 25,
    ultimatumCost: 15,
    floorReach: 0.9,
    requires: (shown) => STRATEGIES.some((s) => shown.includes(s)),
  },
  normal: {
    patience: 80,
    maxTurns: 24,
    consider: 3,
    offer: 5,
    agree: 8,
    hostilityCost: 35,
    ultimatumCost: 25,
    floorReach: 0.7,
    requires: (shown) => STRATEGIES.filter((s) => shown.includes(s)).length >= 2,
  },
  hard: {
    patience: 65,
    maxTurns: 18,
    consider: 4.5,
    offer: 7.5,
    agree: 10.5,
    hostilityCost: 45,
    ultimatumCost: 35,
    floorReach: 0.5,
    requires: (shown) => (['data', 'case', 'joint'] as Tactic[]).every((s) => shown.includes(s)),
  },
};

export interface RepContext {
  scenario: Scenario;
  difficulty: Difficulty;
  persuasion: number;
  patience: number;
  turns: number;
  /** Distinct persuasive tactics shown so far. */
  shown: Tactic[];
  /** What the last turn showed (for the representative's reaction). */
  last: TurnAnalysis | null;
  /** Fees: the rates in play, in percent. */
  start: number;
  target: number;
  floor: number;
  offer: number | null;
  /** Other scenarios: how many concessions the representative has made. */
  concessions: number;
  escalated: boolean;
  /** The user asked for a rate the representative can grant (fees). */
  grantable: number | null;
}

export type RepEvent = { type: 'TURN'; analysis: TurnAnalysis } | { type: 'END' };

export interface RepInput {
  scenario: Scenario;
  difficulty: Difficulty;
  start: number;
  target: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Where the representative will not go below: part of the way from the start to the target. */
export function floorRate(start: number, target: number, difficulty: Difficulty): number {
  return round2(start - (start - target) * DIFFICULTY[difficulty].floorReach);
}

function scoreTurn(context: RepContext, analysis: TurnAnalysis): Partial<RepContext> {
  const settings = DIFFICULTY[context.difficulty];
  let persuasion = context.persuasion;
  let patience = context.patience - 4; // every turn costs a little patience
  const shown = [...context.shown];
  for (const [tactic, strength] of Object.entries(analysis.tactics) as [Tactic, number][]) {
    const weight = TACTIC_WEIGHTS[tactic];
    if (!weight) continue;
    const first = !shown.includes(tactic);
    persuasion += weight * strength * (first ? 1 : 0.3);
    if (first && strength >= 0.5) shown.push(tactic);
  }
  const t = analysis.tactics;
  if (t.hostility) {
    patience -= settings.hostilityCost;
    persuasion -= 1;
  }
  if (t.ultimatum) {
    patience -= settings.ultimatumCost;
    persuasion -= 0.5;
  }
  if (t.demand) {
    patience -= 6;
    persuasion -= 0.3;
  }
  if (t.respect && !t.hostility) patience += 3;
  if (t.escalation && !context.escalated && (t.escalation ?? 0) >= 1) patience += 8;
  return { persuasion, patience, shown, turns: context.turns + 1, last: analysis };
}

/**
 * The rate the user is asking for in this turn, if any: the lowest rate they name below the
 * starting rate. A rate at or above the start is their current rate quoted as data, not an ask.
 */
function askedRate(analysis: TurnAnalysis, start: number): number | undefined {
  const asks = analysis.rates.filter((r) => r < start);
  return asks.length > 0 ? Math.min(...asks) : undefined;
}

export const repMachine = setup({
  types: {
    context: {} as RepContext,
    events: {} as RepEvent,
    input: {} as RepInput,
  },
  actions: {
    applyTurn: assign(({ context, event }) =>
      event.type === 'TURN' ? scoreTurn(context, event.analysis) : {},
    ),
    /** Fees: a first offer part of the way down; others: a first concession. */
    makeOffer: assign(({ context }) => ({
      offer:
        context.scenario === 'fees' ? round2(context.start - (context.start - context.floor) * 0.4) : null,
      concessions: context.concessions + 1,
    })),
    /** A better offer after a new argument: another step towards the floor, never below it. */
    improveOffer: assign(({ context }) => ({
      offer:
        context.scenario === 'fees' && context.offer !== null
          ? Math.max(context.floor, round2(context.offer - (context.start - context.floor) * 0.3))
          : context.offer,
      concessions: context.concessions + 1,
    })),
    /** The user's own ask is within reach: agree to it. */
    /** Never worse for the user than what is already on the table, never below the floor. */
    grantAsk: assign(({ context }) => {
      const ask = context.last ? askedRate(context.last, context.start) : undefined;
      if (ask === undefined || context.offer === null) return {};
      return { offer: Math.min(context.offer, Math.max(context.floor, ask)) };
    }),
    escalate: assign(({ context }) => ({ escalated: true, persuasion: context.persuasion + 1 })),
  },
  guards: {
    outOfPatience: ({ context }) => context.patience <= 0,
    outOfTurns: ({ context }) => context.turns >= DIFFICULTY[context.difficulty].maxTurns,
    /** Accepting only means something when there is an offer on the table. */
    acceptedOffer: ({ context }) =>
      Boolean(context.last?.tactics.accept) && (context.offer !== null || context.concessions > 0),
    /** Fees: the user asks for a rate at or above what is already offered, or persuaded enough for their ask. */
    askWithinReach: ({ context }) => {
      if (context.scenario !== 'fees' || !context.last || context.offer === null) return false;
      const ask = askedRate(context.last, context.start);
      if (ask === undefined || ask < context.floor) return false;
      const settings = DIFFICULTY[context.difficulty];
      return (
        ask >= context.offer || (context.persuasion >= settings.agree && settings.requires(context.shown))
      );
    },
    persuadedToAgree: ({ context }) => {
      const settings = DIFFICULTY[context.difficulty];
      return context.persuasion >= settings.agree && settings.requires(context.shown);
    },
    persuadedToOffer: ({ context }) => context.persuasion >= DIFFICULTY[context.difficulty].offer,
    persuadedToConsider: ({ context }) => context.persuasion >= DIFFICULTY[context.difficulty].consider,
    credibleEscalation: ({ context }) => !context.escalated && (context.last?.tactics.escalation ?? 0) >= 1,
    /** The incoming turn brings a new argument and is not a plain yes. */
    bringsArgument: ({ event }) =>
      event.type === 'TURN' &&
      !event.analysis.tactics.accept &&
      ARGUMENTS.some((k) => (event.analysis.tactics[k] ?? 0) >= 0.5),
    /** Outside fees there is no rate to haggle over: persuaded is agreed. */
    persuadedOutsideFees: ({ context }) => {
      const settings = DIFFICULTY[context.difficulty];
      return (
        context.scenario !== 'fees' &&
        context.persuasion >= settings.agree &&
        settings.requires(context.shown)
      );
    },
  },
}).createMachine({
  id: 'rep',
  context: ({ input }) => ({
    scenario: input.scenario,
    difficulty: input.difficulty,
    persuasion: 0,
    patience: DIFFICULTY[input.difficulty].patience,
    turns: 0,
    shown: [],
    last: null,
    start: input.start,
    target: input.target,
    floor: floorRate(input.start, input.target, input.difficulty),
    offer: null,
    concessions: 0,
    escalated: false,
    grantable: null,
  }),
  initial: 'opening',
  on: {
    END: '.abandoned',
  },
  states: {
    opening: {
      on: { TURN: { target: 'probing', actions: 'applyTurn' } },
    },
    probing: {
      always: [
        { guard: 'outOfPatience', target: 'impasse' },
        { guard: 'persuadedToConsider', target: 'considering' },
      ],
      on: { TURN: { target: 'objection', actions: 'applyTurn' } },
    },
    objection: {
      always: [
        { guard: 'outOfPatience', target: 'impasse' },
        { guard: 'outOfTurns', target: 'impasse' },
        { guard: 'persuadedToOffer', target: 'offering', actions: 'makeOffer' },
        { guard: 'persuadedToConsider', target: 'considering' },
        { guard: 'credibleEscalation', target: 'supervisor', actions: 'escalate' },
      ],
      on: { TURN: { target: 'objection', reenter: true, actions: 'applyTurn' } },
    },
    supervisor: {
      always: [
        { guard: 'outOfPatience', target: 'impasse' },
        { guard: 'persuadedToOffer', target: 'offering', actions: 'makeOffer' },
        { guard: 'persuadedToConsider', target: 'considering' },
      ],
      on: { TURN: { target: 'objection', actions: 'applyTurn' } },
    },
    considering: {
      always: [
        { guard: 'outOfPatience', target: 'impasse' },
        { guard: 'persuadedToOffer', target: 'offering', actions: 'makeOffer' },
      ],
      on: { TURN: { target: 'considering', reenter: true, actions: 'applyTurn' } },
    },
    offering: {
      always: [
        { guard: 'outOfPatience', target: 'impasse' },
        { guard: 'acceptedOffer', target: 'agreement' },
        { guard: 'askWithinReach', target: 'agreement', actions: 'grantAsk' },
        { guard: 'persuadedOutsideFees', target: 'agreement' },
        { guard: 'outOfTurns', target: 'impasse' },
      ],
      on: {
        TURN: [
          // A new argument after the first offer earns a better one; agreeing needs the user's yes.
          {
            guard: 'bringsArgument',
            target: 'offering',
            reenter: true,
            actions: ['applyTurn', 'improveOffer'],
          },
          { target: 'offering', reenter: true, actions: 'applyTurn' },
        ],
      },
    },
    agreement: { type: 'final' },
    impasse: { type: 'final' },
    abandoned: { type: 'final' },
  },
});
