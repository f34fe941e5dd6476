/**
 * Runs a role-play: restores the representative's machine from conversation state, feeds it the
 * user's turn (tactics detected), and picks what the representative says — a reaction to the
 * user's move, then the line for where the talk now stands — from the knowledge base's phrasings
 * with the seeded random source. Scores the skills along the way for the debrief.
 */
import { createActor, type SnapshotFrom } from 'xstate';
import { formatRate } from '../fees/feeMath';
import type { Lang, RepMove, RoleplayLines, Scenario, Tactic } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Difficulty, NluResult } from '../nlu/types';
import { maskPii } from '../privacy/pii';
import type { Random } from '../util/random';
import {
  buildDebrief,
  newRecord,
  type Debrief,
  type Outcome,
  type RoleplayRecord,
  type Skill,
} from './debrief';
import { REP_MACHINE_VERSION, repMachine, type RepContext } from './repMachine';
import type { TacticDetector, TurnAnalysis } from './tactics';

type RepSnapshot = SnapshotFrom<typeof repMachine>;
type RepState = 'opening' | 'probing' | 'objection' | 'supervisor' | 'considering' | 'offering' | Outcome;

/** A role-play in progress, as kept in conversation state. */
export interface RoleplayState {
  version: number;
  scenario: Scenario;
  difficulty: Difficulty;
  snapshot: unknown;
  record: RoleplayRecord;
}

export interface TurnResult {
  state: RoleplayState;
  /** What the representative says. */
  reply: string;
  /** Set when the role-play ended this turn. */
  outcome?: Outcome;
}

/** Which debrief skill each tactic shows. */
const SKILL_OF: Partial<Record<Tactic, Skill>> = {
  data: 'data',
  case: 'cases',
  mutual: 'mutual_benefit',
  joint: 'joint_solution',
  flexibility: 'flexibility',
};

/** The order in which the representative reacts to a user's move (the most telling first). */
const ACK_ORDER: [Tactic, RepMove][] = [
  ['escalation', 'ack_escalation'],
  ['case', 'ack_case'],
  ['data', 'ack_data'],
  ['joint', 'ack_joint'],
  ['batna', 'ack_batna'],
  ['mutual', 'ack_mutual'],
  ['respect', 'ack_respect'],
];

const QUOTE_CHARS = 100;

export class RoleplayEngine {
  private readonly lines: Map<Scenario, RoleplayLines>;

  constructor(
    lines: RoleplayLines[],
    private readonly detector: TacticDetector,
    private readonly random: Random,
  ) {
    this.lines = new Map(lines.map((l) => [l.scenario, l]));
  }

  private scenarioLines(scenario: Scenario): RoleplayLines {
    const l = this.lines.get(scenario);
    if (!l) throw new Error(`no role-play lines for ${scenario}`);
    return l;
  }

  start(
    scenario: Scenario,
    difficulty: Difficulty,
    rates: { start: number; target: number },
    lang: Lang,
  ): { state: RoleplayState; setup: string; rep: string; opening: string } {
    const actor = createActor(repMachine, { input: { scenario, difficulty, ...rates } }).start();
    const context = actor.getSnapshot().context;
    const state: RoleplayState = {
      version: REP_MACHINE_VERSION,
      scenario,
      difficulty,
      snapshot: actor.getPersistedSnapshot(),
      record: newRecord(),
    };
    actor.stop();
    const lines = this.scenarioLines(scenario);
    return {
      state,
      setup: this.fill(lines.setup[lang], context),
      rep: lines.rep[lang],
      opening: this.say(scenario, 'opening', lang, context),
    };
  }

  /** Restores from the snapshot; the input is only used by a fresh actor, never on restore. */
  private restoreOptions(state: RoleplayState) {
    return {
      snapshot: state.snapshot as RepSnapshot,
      input: { scenario: state.scenario, difficulty: state.difficulty, start: 0, target: 0 },
    };
  }

  /** True when the stored state can be resumed by this version of the machine. */
  canResume(state: unknown): state is RoleplayState {
    const s = state as Partial<RoleplayState> | undefined;
    return !!s && s.version === REP_MACHINE_VERSION && typeof s.snapshot === 'object' && !!s.record;
  }

  turn(state: RoleplayState, text: string, nlu: NluResult | null, lang: Lang): TurnResult {
    const actor = createActor(repMachine, this.restoreOptions(state)).start();
    const before = actor.getSnapshot();
    const analysis = this.detector.analyze(text, nlu, state.scenario);
    const record = this.record(state.record, analysis, text, before.context);
    actor.send({ type: 'TURN', analysis });
    const after = actor.getSnapshot();
    const next: RoleplayState = { ...state, snapshot: actor.getPersistedSnapshot(), record };
    actor.stop();
    const reply = this.reply(state.scenario, before, after, analysis, lang);
    const value = after.value as RepState;
    const outcome = value === 'agreement' || value === 'impasse' ? value : undefined;
    return { state: next, reply, outcome };
  }

  /** Ends early (结束 / end / /end): outcome "abandoned". */
  abandon(state: RoleplayState): RoleplayState {
    const actor = createActor(repMachine, this.restoreOptions(state)).start();
    actor.send({ type: 'END' });
    const next = { ...state, snapshot: actor.getPersistedSnapshot() };
    actor.stop();
    return next;
  }

  debrief(texts: Texts, state: RoleplayState, lang: Lang): Debrief {
    const snapshot = createActor(repMachine, this.restoreOptions(state)).getSnapshot();
    const context = snapshot.context;
    const value = snapshot.value as RepState;
    const outcome: Outcome = value === 'agreement' || value === 'impasse' ? value : 'abandoned';
    return buildDebrief(
      texts,
      {
        record: state.record,
        outcome,
        scenario: state.scenario,
        difficulty: state.difficulty,
        start: context.start,
        target: context.target,
        finalRate: outcome === 'agreement' ? context.offer : null,
        concessions: context.concessions,
        turns: context.turns,
      },
      lang,
    );
  }

  /** Keeps score for the debrief: what each skill reached and the sentence that showed it. */
  private record(
    previous: RoleplayRecord,
    analysis: TurnAnalysis,
    text: string,
    context: RepContext,
  ): RoleplayRecord {
    const record: RoleplayRecord = {
      ...previous,
      skills: { ...previous.skills },
      quotes: { ...previous.quotes },
    };
    const quote = maskPii(text).slice(0, QUOTE_CHARS);
    for (const [tactic, strength] of Object.entries(analysis.tactics) as [Tactic, number][]) {
      const skill = SKILL_OF[tactic];
      if (!skill) continue;
      if (strength > (record.skills[skill] ?? 0)) {
        record.skills[skill] = strength;
        record.quotes[skill] = quote;
      }
    }
    // A competitor quote or a real alternative is half a case even without one.
    if (analysis.tactics.batna && (record.skills.cases ?? 0) < 0.5) {
      record.skills.cases = 0.5;
      record.quotes.cases ??= quote;
    }
    if (analysis.tactics.respect) {
      record.courtesy += 1;
      record.quotes.respect ??= quote;
    }
    if (analysis.tactics.hostility) record.hostility += 1;
    if (analysis.tactics.ultimatum) record.ultimatums += 1;
    // Taking an offer on the table, or asking for a middle between it and the target, is flexible.
    const offerOnTable = context.offer !== null || context.concessions > 0;
    const ask = analysis.rates.length ? Math.min(...analysis.rates) : undefined;
    const middleAsk =
      ask !== undefined && context.offer !== null && ask > context.target && ask < context.offer;
    if ((analysis.tactics.accept && offerOnTable) || middleAsk) {
      record.conceded = true;
      record.quotes.flexibility ??= quote;
    }
    return record;
  }

  private reply(
    scenario: Scenario,
    before: RepSnapshot,
    after: RepSnapshot,
    analysis: TurnAnalysis,
    lang: Lang,
  ): string {
    const from = before.value as RepState;
    const to = after.value as RepState;
    const context = after.context;
    const parts: string[] = [];
    const reaction = this.reaction(analysis, to);
    if (reaction) parts.push(this.say(scenario, reaction, lang, context));
    parts.push(this.say(scenario, this.move(from, to, before.context, context), lang, context));
    return parts.join(' ');
  }

  /** How the representative first reacts to the user's move, if at all. */
  private reaction(analysis: TurnAnalysis, to: RepState): RepMove | undefined {
    const t = analysis.tactics;
    if (to === 'agreement' || to === 'impasse') return undefined;
    if (t.hostility) return 'react_hostile';
    if (t.ultimatum) return 'react_ultimatum';
    if (t.demand) return 'react_vague';
    if (to === 'supervisor') return undefined; // the supervisor line acknowledges the escalation itself
    return ACK_ORDER.find(([tactic]) => (t[tactic] ?? 0) >= 0.5)?.[1];
  }

  /** The line for where the talk now stands. */
  private move(from: RepState, to: RepState, was: RepContext, now: RepContext): RepMove {
    switch (to) {
      case 'probing':
        return 'probe';
      case 'objection':
        return from === 'objection' || from === 'supervisor' ? 'objection_again' : 'objection';
      case 'supervisor':
        return 'supervisor';
      case 'considering':
        return 'considering';
      case 'offering':
        if (from !== 'offering') return 'counter_offer';
        if (
          now.scenario === 'fees' &&
          now.offer !== null &&
          now.offer <= now.floor &&
          was.offer !== now.offer
        ) {
          return 'floor_reached';
        }
        if (now.offer !== was.offer || now.concessions > was.concessions) return 'improve_offer';
        return now.scenario === 'fees' && now.offer !== null && now.offer <= now.floor
          ? 'floor_reached'
          : 'objection_again';
      case 'agreement':
        return 'agreement';
      case 'impasse':
      case 'abandoned':
        return 'impasse';
      default:
        return 'opening';
    }
  }

  private say(scenario: Scenario, move: RepMove, lang: Lang, context: RepContext): string {
    return this.fill(this.random.pick(this.scenarioLines(scenario).moves[move][lang]), context);
  }

  private fill(text: string, context: RepContext): string {
    return text
      .replace(/\{\{\s*offer\s*\}\}/g, formatRate(context.offer ?? context.start))
      .replace(/\{\{\s*start\s*\}\}/g, formatRate(context.start))
      .replace(/\{\{\s*target\s*\}\}/g, formatRate(context.target));
  }
}
