/**
 * The simulated Alipay representative: one XState machine for the three scenarios, set by
 * scenario and difficulty. It has a goal (concede as little as it can), a hidden limit (fees: a
 * floor rate part of the way to the user's target; frozen account and ignored complaint: how far
 * up its schedule of terms it will go) and a concession schedule (the persuasion each step
 * needs). Each user turn arrives as a TURN event carrying the move read from the line (moves.ts):
 *
 * - data, precedents, common interest, concrete joint proposals and flexibility persuade (a skill
 *   shown for the first time counts fully, again a third); a step is conceded only on a turn that
 *   brings something new, one step a turn, never past the limit;
 * - threats and insults make it firmer: patience drops, every further step needs more, two of
 *   them lower the limit by a step, and nothing is conceded on such a turn — never richer;
 * - an offer once made stays on the table: the rate only goes down, terms granted stay granted;
 * - acceptance closes the deal at what is on the table (fees: finalRate = the offer); a counter-
 *   offer at or above the offer takes the offer; one within reach of a persuaded representative
 *   is granted and closes the deal at the user's rate; one below the limit is answered with the
 *   best the representative can do;
 * - direct questions are answered: outside fees, with the term asked for (the reason, where to
 *   appeal, which documents, how long; the case number, when the reply comes, the remedy);
 * - a polite request for someone senior brings the supervisor (the speaker changes); a threat
 *   never does.
 *
 * What the representative says is chosen outside the machine (engine.ts) from the turn's log;
 * the sentences it has said are remembered here (`said`, SAID event) so that none is repeated.
 */
import { assign, setup } from 'xstate';
import type { Scenario, TermId } from '../knowledge/schema';
import type { Difficulty } from '../nlu/types';
import type { Topic, UserMove } from './moves';
import { SKILLS, type Skill } from './skillModel';

/** Bumped when states or context change shape; stored with every snapshot. */
export const REP_MACHINE_VERSION = 2;

/** How much a first showing of each skill persuades (again: a third of it). */
const SKILL_WEIGHTS: Record<Skill, number> = {
  data: 2,
  cases: 2,
  mutual_benefit: 1.5,
  joint_solution: 2,
  flexibility: 1,
  respect: 0.5,
};

export interface Schedule {
  patience: number;
  maxTurns: number;
  /** Persuasion needed for each concession step (step 1 is the first offer). */
  steps: readonly [number, number, number];
  /** Fees: how far from the start towards the user's target the hidden floor lies (0–1). */
  floorReach: number;
  /** Skills that must all have been shown before the last step. */
  lastStepNeeds: readonly Skill[];
  /** What a threat and an insult cost in patience; each also adds to every later step. */
  threatCost: number;
  insultCost: number;
  firmness: number;
}

export const SCHEDULES: Record<Difficulty, Schedule> = {
  easy: {
    patience: 100,
    maxTurns: 24,
    steps: [2, 4, 6],
    floorReach: 0.9,
    lastStepNeeds: [],
    threatCost: 12,
    insultCost: 15,
    firmness: 1.5,
  },
  normal: {
    patience: 80,
    maxTurns: 20,
    steps: [3, 5.5, 8],
    floorReach: 0.7,
    lastStepNeeds: [],
    threatCost: 17,
    insultCost: 20,
    firmness: 2,
  },
  hard: {
    patience: 65,
    maxTurns: 16,
    steps: [4.5, 7.5, 10.5],
    floorReach: 0.5,
    lastStepNeeds: ['data', 'cases', 'joint_solution'],
    threatCost: 24,
    insultCost: 28,
    firmness: 2.5,
  },
};

/** Fees: each step's offer, as a share of the way from the start to the floor. */
const STEP_SHARE = [0.4, 0.7, 1] as const;
const MAX_LEVEL = 3;

/** A term the representative can grant outside fees: the level at which it offers it unprompted. */
export interface TermPlan {
  id: TermId;
  level: number;
  tiers: number;
  /** Needed for an agreement the representative proposes itself. */
  required: boolean;
}

/** What happened in the last turn, for the representative's reply and the debrief. */
type RepDeed =
  | 'first_offer'
  | 'improved'
  | 'at_limit'
  | 'granted_ask'
  | 'took_offer'
  | 'ask_below_limit'
  | 'held'
  | 'hardened'
  | 'supervisor'
  | 'supervisor_again'
  | 'accept_nothing'
  | 'propose_close'
  | 'walked_away'
  | 'no_patience'
  | 'out_of_turns';

export interface TurnLog {
  move: UserMove;
  /** Skills shown for the first time in this turn. */
  fresh: Skill[];
  deeds: RepDeed[];
  /** Topics answered this turn (outside fees: the terms, with the tier given). */
  answered: Topic[];
  /**
   * Outside fees: concessions asked for before they are earned (balance released on hard before
   * the last step): answered with "not yet", not granted by the question alone.
   */
  notYet?: TermId[];
  /** Terms newly granted or improved this turn by a concession (outside fees). */
  granted: TermId[];
}

export interface RepContext {
  scenario: Scenario;
  difficulty: Difficulty;
  turns: number;
  persuasion: number;
  patience: number;
  /** Threats and insults so far: each makes every later step dearer. */
  firmness: number;
  /** Skills shown so far. */
  shown: Skill[];
  /** Fees: the rates in play, in percent; the floor is the hidden limit. */
  start: number;
  target: number;
  floor: number;
  /** Fees: the rate on the table (only ever goes down). */
  offer: number | null;
  /** Concession steps made (0–3). */
  level: number;
  /** Outside fees: the terms granted, with the tier each stands at (never lowered). */
  terms: Partial<Record<TermId, number>>;
  plan: TermPlan[];
  /** Outside fees: the representative has proposed closing on the terms on the table. */
  proposed: boolean;
  speaker: 'rep' | 'supervisor';
  /** Hashes of every sentence said (engine.ts): none is said twice. */
  said: number[];
  last: TurnLog | null;
}

export type RepEvent =
  { type: 'TURN'; move: UserMove } | { type: 'SAID'; hashes: number[] } | { type: 'END' };

export interface RepInput {
  scenario: Scenario;
  difficulty: Difficulty;
  start: number;
  target: number;
  plan?: TermPlan[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Where the representative will not go below: part of the way from the start to the target. */
export function floorRate(start: number, target: number, difficulty: Difficulty): number {
  return round2(start - (start - target) * SCHEDULES[difficulty].floorReach);
}

/** Fees: the offer at a concession step (1–3). */
export function offerAt(context: Pick<RepContext, 'start' | 'floor'>, level: number): number {
  if (level <= 0) return context.start;
  const share = STEP_SHARE[Math.min(level, MAX_LEVEL) - 1] as number;
  return round2(context.start - (context.start - context.floor) * share);
}

/** The highest step the representative will go to now (its hidden limit). */
function limitLevel(context: RepContext): number {
  const schedule = SCHEDULES[context.difficulty];
  let limit = MAX_LEVEL;
  if (!schedule.lastStepNeeds.every((s) => context.shown.includes(s))) limit -= 1;
  if (context.firmness >= 2) limit -= 1;
  return Math.max(1, limit);
}

/** Persuasion needed for the next step (threats and insults make it dearer). */
function nextStepNeeds(context: RepContext): number {
  const schedule = SCHEDULES[context.difficulty];
  const base = schedule.steps[Math.min(context.level, MAX_LEVEL - 1)] as number;
  return base + schedule.firmness * context.firmness;
}

const hostile = (m: UserMove): boolean => m.threat || m.insult;

function onTable(context: RepContext): boolean {
  return context.scenario === 'fees' ? context.offer !== null : Object.keys(context.terms).length > 0;
}

/** A term's tier at the current level: better as the level rises past the term's own. */
function tierAt(term: TermPlan, level: number): number {
  return Math.max(0, Math.min(term.tiers - 1, level - term.level));
}

function scoreTurn(context: RepContext, move: UserMove): Partial<RepContext> {
  const schedule = SCHEDULES[context.difficulty];
  let persuasion = context.persuasion;
  let patience = context.patience - 4;
  let firmness = context.firmness;
  const shown = [...context.shown];
  const fresh: Skill[] = [];
  const deeds: RepDeed[] = [];
  for (const skill of SKILLS) {
    const c = move.skills[skill];
    if (c <= 0) continue;
    const first = !shown.includes(skill);
    persuasion += SKILL_WEIGHTS[skill] * c * (first ? 1 : 0.3);
    if (first) {
      shown.push(skill);
      fresh.push(skill);
    }
  }
  if (move.threat) {
    patience -= schedule.threatCost;
    persuasion -= 1;
    firmness += 1;
  }
  if (move.insult) {
    patience -= schedule.insultCost;
    persuasion -= 1;
    firmness += 1;
  }
  if (hostile(move)) deeds.push('hardened');
  if (move.demand) patience -= 5;
  // A turn with no argument, no ask and no question wears the representative out.
  const something = SKILLS.some((s) => s !== 'respect' && move.skills[s] > 0) || move.ask !== undefined;
  if (!something && !move.question && !move.accept && !move.greeting) patience -= 6;
  if (move.skills.respect > 0 && !hostile(move)) patience += 3;

  let speaker = context.speaker;
  if (move.supervisor) {
    if (speaker === 'rep') {
      speaker = 'supervisor';
      patience += 10;
      deeds.push('supervisor');
    } else deeds.push('supervisor_again');
  }

  // Direct questions are answered; outside fees, what the user is owed anyway (a required term)
  // or has already earned is granted at the current tier; a concession not yet earned is not.
  const terms = { ...context.terms };
  const answered: Topic[] = [];
  const notYet: TermId[] = [];
  for (const topic of move.topics) {
    const term = context.plan.find((t) => t.id === topic);
    if (term && terms[term.id] === undefined && !term.required && context.level < term.level) {
      notYet.push(term.id);
      continue;
    }
    answered.push(topic);
    if (term && terms[term.id] === undefined) terms[term.id] = tierAt(term, context.level);
  }
  return {
    persuasion,
    patience,
    firmness,
    shown,
    speaker,
    terms,
    turns: context.turns + 1,
    last: { move, fresh, deeds, answered, granted: [], ...(notYet.length ? { notYet } : {}) },
  };
}

/** The turn's log with a deed added. */
function logged(context: RepContext, ...deeds: RepDeed[]): { last: TurnLog | null } {
  return context.last
    ? { last: { ...context.last, deeds: [...context.last.deeds, ...deeds] } }
    : { last: null };
}

/** A concession step: fees, a lower offer (never below the user's own ask); else the next terms. */
function concede(context: RepContext): Partial<RepContext> {
  const level = context.level + 1;
  const atLimit = level >= limitLevel(context);
  if (context.scenario === 'fees') {
    const ask = context.last?.move.ask;
    let offer = offerAt(context, level);
    if (ask !== undefined && ask > offer) offer = ask;
    if (context.offer !== null) offer = Math.min(offer, context.offer);
    const deeds: RepDeed[] = [context.offer === null ? 'first_offer' : 'improved'];
    if (atLimit) deeds.push('at_limit');
    return { level, offer, ...logged(context, ...deeds) };
  }
  const terms = { ...context.terms };
  const granted: TermId[] = [];
  for (const term of context.plan) {
    if (term.level > level) continue;
    const tier = tierAt(term, level);
    if (terms[term.id] === undefined || (terms[term.id] as number) < tier) {
      terms[term.id] = tier;
      granted.push(term.id);
    }
  }
  const first = Object.keys(context.terms).length === 0;
  const deeds: RepDeed[] = [first ? 'first_offer' : 'improved'];
  if (atLimit) deeds.push('at_limit');
  const last = logged(context, ...deeds).last;
  return { level, terms, last: last ? { ...last, granted } : null };
}

const move = (context: RepContext): UserMove | undefined => context.last?.move;

export const repMachine = setup({
  types: {
    context: {} as RepContext,
    events: {} as RepEvent,
    input: {} as RepInput,
  },
  actions: {
    applyTurn: assign(({ context, event }) => (event.type === 'TURN' ? scoreTurn(context, event.move) : {})),
    remember: assign(({ context, event }) =>
      event.type === 'SAID' ? { said: [...context.said, ...event.hashes] } : {},
    ),
    concede: assign(({ context }) => concede(context)),
    /** The user's counter-offer is granted: it becomes the offer on the table. */
    grantAsk: assign(({ context }) => ({
      offer: move(context)?.ask ?? context.offer,
      ...logged(context, 'granted_ask'),
    })),
    tookOffer: assign(({ context }) => logged(context, 'took_offer')),
    hold: assign(({ context }) => {
      const m = move(context);
      const below = context.scenario === 'fees' && m?.ask !== undefined && context.offer !== null;
      const atLimit = context.level >= limitLevel(context);
      return logged(
        context,
        ...(below ? (['ask_below_limit'] as const) : []),
        'held',
        ...(atLimit ? (['at_limit'] as const) : []),
      );
    }),
    proposeClose: assign(({ context }) => ({ proposed: true, ...logged(context, 'propose_close') })),
    acceptNothing: assign(({ context }) => logged(context, 'accept_nothing')),
    walkedAway: assign(({ context }) => logged(context, 'walked_away')),
    noPatience: assign(({ context }) => logged(context, 'no_patience')),
    outOfTurns: assign(({ context }) => logged(context, 'out_of_turns')),
  },
  guards: {
    /** The user ends the practice (an ending inside a message), unless they take a deal with it. */
    userEnded: ({ context }) => {
      const m = move(context);
      return !!m && m.ends && !(m.accept && onTable(context));
    },
    /** Acceptance closes the deal at the offer on the table. */
    acceptsOffer: ({ context }) => {
      const m = move(context);
      return !!m && m.accept && onTable(context) && m.ask === undefined;
    },
    /** Fees: a counter-offer at or above the offer on the table takes the offer. */
    asksAboveOffer: ({ context }) => {
      const m = move(context);
      return (
        context.scenario === 'fees' &&
        !!m &&
        !hostile(m) &&
        m.ask !== undefined &&
        context.offer !== null &&
        m.ask >= context.offer
      );
    },
    /**
     * Fees: a counter-offer the representative can grant: within its limit, from a user it would
     * concede to anyway (persuaded enough for the next step), or one at least as good for it as
     * its own next step. Never on a threatening or insulting turn.
     */
    canGrantAsk: ({ context }) => {
      const m = move(context);
      if (context.scenario !== 'fees' || !m || hostile(m) || m.ask === undefined) return false;
      const limit = offerAt(context, limitLevel(context));
      if (m.ask < limit) return false;
      // Persuaded all the way to its limit, it grants any ask within it; otherwise only one at
      // least as good for it as its own next step (else it meets the user part of the way).
      const schedule = SCHEDULES[context.difficulty];
      const all = (schedule.steps[limitLevel(context) - 1] as number) + schedule.firmness * context.firmness;
      const next = offerAt(context, Math.min(context.level + 1, limitLevel(context)));
      return context.persuasion >= all || (m.ask >= next && context.persuasion >= nextStepNeeds(context) - 2);
    },
    outOfPatience: ({ context }) => context.patience <= 0,
    walksAway: ({ context }) => !!move(context)?.walkAway,
    /** A step is conceded on a turn that brings something new and no threat, within the limit. */
    canConcede: ({ context }) => {
      const m = move(context);
      if (!m || hostile(m) || context.level >= limitLevel(context)) return false;
      const fresh = context.last?.fresh.some((s) => s !== 'respect') ?? false;
      const several = SKILLS.filter((s) => s !== 'respect' && m.skills[s] > 0).length >= 2;
      const brings = fresh || several || m.ask !== undefined || (context.level === 0 && m.skills.respect > 0);
      return brings && context.persuasion >= nextStepNeeds(context);
    },
    /** Outside fees: every term the user needs is on the table, not yet proposed. */
    readyToClose: ({ context }) =>
      context.scenario !== 'fees' &&
      !context.proposed &&
      context.plan.filter((t) => t.required).every((t) => context.terms[t.id] !== undefined),
    hasOffer: ({ context }) => onTable(context),
    acceptsNothing: ({ context }) => !!move(context)?.accept && !onTable(context),
    outOfTurns: ({ context }) => context.turns >= SCHEDULES[context.difficulty].maxTurns,
    considering: ({ context }) =>
      context.persuasion >= (SCHEDULES[context.difficulty].steps[0] as number) * 0.6 &&
      context.firmness === 0,
    firstTurn: ({ context }) => context.turns <= 1,
  },
}).createMachine({
  id: 'rep',
  context: ({ input }) => ({
    scenario: input.scenario,
    difficulty: input.difficulty,
    turns: 0,
    persuasion: 0,
    patience: SCHEDULES[input.difficulty].patience,
    firmness: 0,
    shown: [],
    start: input.start,
    target: input.target,
    floor: floorRate(input.start, input.target, input.difficulty),
    offer: null,
    level: 0,
    terms: {},
    plan: input.plan ?? [],
    proposed: false,
    speaker: 'rep',
    said: [],
    last: null,
  }),
  initial: 'opening',
  on: {
    END: '.abandoned',
    SAID: { actions: 'remember' },
  },
  states: {
    opening: { on: { TURN: { target: 'reading', actions: 'applyTurn' } } },
    /** Decides, after each user turn, where the talk now stands. */
    reading: {
      always: [
        { guard: 'userEnded', target: 'abandoned' },
        { guard: 'acceptsOffer', target: 'agreement' },
        { guard: 'asksAboveOffer', target: 'agreement', actions: 'tookOffer' },
        { guard: 'canGrantAsk', target: 'agreement', actions: 'grantAsk' },
        { guard: 'outOfPatience', target: 'impasse', actions: 'noPatience' },
        { guard: 'walksAway', target: 'impasse', actions: 'walkedAway' },
        { guard: 'canConcede', target: 'offering', actions: 'concede' },
        { guard: 'readyToClose', target: 'offering', actions: 'proposeClose' },
        { guard: 'outOfTurns', target: 'impasse', actions: 'outOfTurns' },
        { guard: 'hasOffer', target: 'offering', actions: 'hold' },
        { guard: 'acceptsNothing', target: 'holding', actions: 'acceptNothing' },
        { guard: 'considering', target: 'considering' },
        { guard: 'firstTurn', target: 'probing' },
        { target: 'holding' },
      ],
    },
    probing: { on: { TURN: { target: 'reading', actions: 'applyTurn' } } },
    holding: { on: { TURN: { target: 'reading', actions: 'applyTurn' } } },
    considering: { on: { TURN: { target: 'reading', actions: 'applyTurn' } } },
    offering: { on: { TURN: { target: 'reading', actions: 'applyTurn' } } },
    agreement: { type: 'final' },
    impasse: { type: 'final' },
    abandoned: { type: 'final' },
  },
});
