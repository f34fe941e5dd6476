/**
 * Runs a role-play: sets the scene from the user's case file, restores the representative's
 * machine (repMachine.ts) from conversation state, feeds it the user's move (moves.ts: the skill
 * model plus the rules for acceptance, counter-offers, questions and endings), and says what the
 * representative says — from the scenario's lines (knowledge/roleplay/<scenario>.yaml):
 *
 *   a reaction (a supervisor taking over, a threat or an insult answered), the user's own number
 *   said back or the argument acknowledged, the answers to what they asked, and the line for
 *   where the talk now stands (an offer, a hold, the agreement …).
 *
 * Grounded: a line with a rate or an amount is answered with a number (the user's own, as they
 * wrote it, or the offer); the representative never quotes words the user did not say; and no
 * sentence is said twice in one role-play (the machine keeps a hash of each). Choices are seeded
 * per role-play, so a resumed role-play goes on as it would have.
 */
import { randomUUID } from 'node:crypto';
import { createActor, type SnapshotFrom } from 'xstate';
import { formatRate } from '../fees/feeMath';
import type { Lang, RepMove, RoleplayLines, Scenario, TermId, TermLines } from '../knowledge/schema';
import type { Texts } from '../knowledge/texts';
import type { Difficulty } from '../nlu/types';
import { buildDebrief, type Debrief, type Outcome, type TurnRecord } from './debrief';
import { readMove, type NumberSaid, type UserMove } from './moves';
import {
  REP_MACHINE_VERSION,
  repMachine,
  type RepContext,
  type RepEvent,
  type TermPlan,
  type TurnLog,
} from './repMachine';
import { SKILLS, type Skill } from './skillModel';
import { shortenQuote } from './quote';

type RepSnapshot = SnapshotFrom<typeof repMachine>;
type RepState =
  | 'opening'
  | 'reading'
  | 'probing'
  | 'holding'
  | 'considering'
  | 'offering'
  | 'agreement'
  | 'impasse'
  | 'abandoned';

/** What the user's case file tells about the scene (src/state/profile.ts Facts). */
export interface Premise {
  business?: string;
  monthlyVolume?: number;
  currentRate?: number;
  targetRate?: number;
  amount?: number;
  caseNumber?: string;
  visitor?: boolean;
}

/** A role-play in progress, as kept in conversation state. */
export interface RoleplayState {
  version: number;
  scenario: Scenario;
  difficulty: Difficulty;
  snapshot: unknown;
  /** One entry per user turn: what it showed, for the score and the debrief's annotations. */
  record: TurnRecord[];
  /** Seeds the representative's choice of words in this role-play. */
  seed: number;
  /** The scene's own values: the user's business, numbers, the ticket number. */
  values: Record<string, string>;
  /** The skill this role-play drills, if it is a drill. */
  drill?: Skill;
  /** When the user last spoke in it (ms). */
  lastAt?: number;
  /** The engine (process) that last played it: another one means the coach restarted since. */
  by?: string;
}

export interface TurnResult {
  state: RoleplayState;
  /** What the representative says, and who says it. */
  reply: string;
  speaker: string;
  /** Set when the role-play ended this turn. */
  outcome?: Outcome;
}

export interface StartResult {
  state: RoleplayState;
  setup: string;
  rep: string;
  opening: string;
}

/** The order in which an argument is acknowledged (the most telling first). */
const ACK_ORDER: Skill[] = ['cases', 'data', 'joint_solution', 'mutual_benefit', 'flexibility', 'respect'];

/** When every phrasing of a move has been said, what the representative says instead. */
const FALLBACK: Partial<Record<RepMove, RepMove[]>> = {
  objection: ['objection_again', 'stall'],
  objection_again: ['stall'],
  probe: ['objection_again', 'stall'],
  considering: ['stall'],
  hold_offer: ['floor_reached', 'stall'],
  floor_reached: ['hold_offer', 'stall'],
  reject_hold: ['hold_offer', 'stall'],
  accept_no_offer: ['stall'],
  accept_no_offer_ask: ['accept_no_offer', 'stall'],
  improve_offer: ['counter_offer'],
  counter_offer: ['improve_offer'],
  answer_rate: ['hold_offer'],
  answer_rate_none: ['objection_again', 'stall'],
  answer_why: ['objection_again', 'stall'],
  answer_materials: ['stall'],
  supervisor_again: ['stall'],
  react_threat: ['react_insult'],
  react_insult: ['react_threat'],
  react_demand: ['stall'],
  ask_too_low: ['floor_reached', 'hold_offer'],
  propose_close: ['stall'],
  agreement: ['took_offer', 'ask_granted'],
  impasse: ['impasse_walkaway'],
  impasse_walkaway: ['impasse'],
};

/** A sentence as remembered: without spaces and case, hashed. */
function sentenceHash(sentence: string): number {
  const t = sentence.replace(/\s+/g, '').toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) {
    h ^= t.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The sentences of a reply (Chinese and English end marks; a decimal point is not one). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[。！？!?])|(?<=\.)\s+/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/[\s。！？!?.…，,]/g, '').length >= 2);
}

/** mulberry32 over (seed, turn, slot): the same role-play picks the same words after a restart. */
function pickIndex(seed: number, turn: number, slot: number, n: number): number {
  let t = (seed ^ Math.imul(turn + 1, 0x9e3779b1) ^ Math.imul(slot + 1, 0x85ebca6b)) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}

/** An amount as people say it (knowledge/ui roleplay.amount): 10万元 / ¥100K. */
function formatAmount(texts: Texts, value: number, lang: Lang): string {
  const compact = new Intl.NumberFormat(texts.t('render.number_locale', lang), {
    notation: 'compact',
    maximumFractionDigits: 1,
  });
  return texts.t('roleplay.amount', lang, { amount: compact.format(value) });
}

/** Chinese characters and full-width marks: no space is put next to them. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/**
 * The parts of a reply as one text: a space between Western sentences, none where a Chinese
 * sentence ends or begins (an ellipsis counts as the text before it).
 */
function joinParts(parts: readonly string[]): string {
  return parts.reduce((out, p) => {
    if (out === '') return p;
    const last = out.replace(/[….]+$/, '').slice(-1);
    return CJK.test(last) || CJK.test(p.charAt(0)) ? out + p : `${out} ${p}`;
  }, '');
}

const hostile = (m: UserMove): boolean => m.threat || m.insult;

/** A user's number as said back: as written, or in digits when it was written in words (五百 → 500元). */
function spoken(texts: Texts, n: NumberSaid, lang: Lang): string {
  if (/\d/.test(n.text)) return n.text;
  if (n.kind === 'rate') return formatRate(n.value);
  if (n.kind === 'amount') return formatAmount(texts, n.value, lang);
  return n.text;
}

/** The user's numbers worth saying back: rates and amounts, or other figures written in digits. */
function groundingNumber(m: UserMove): NumberSaid | undefined {
  const said = m.numbers.filter(
    (n) =>
      n.role !== 'ask' && n.text.length > 0 && !(m.ask !== undefined && Math.abs(n.value - m.ask) < 1e-9),
  );
  return (
    said.find((n) => n.kind === 'rate') ??
    said.find((n) => n.kind === 'amount') ??
    said.find((n) => /\d/.test(n.text) && n.text.replace(/\D/g, '').length >= 1 && n.kind !== 'other')
  );
}

/** Per turn: the machine's deeds kept for the debrief's notes. */
const KEPT_DEEDS = new Set([
  'first_offer',
  'improved',
  'granted_ask',
  'took_offer',
  'hardened',
  'supervisor',
]);

export class RoleplayEngine {
  private readonly lines: Map<Scenario, RoleplayLines>;
  /** This process's engine, stamped on every scene it plays (see RoleplayState.by). */
  readonly instance = randomUUID();

  constructor(
    lines: RoleplayLines[],
    private readonly seeds: { next(): number },
    private readonly texts: Texts,
  ) {
    this.lines = new Map(lines.map((l) => [l.scenario, l]));
  }

  private scenarioLines(scenario: Scenario): RoleplayLines {
    const l = this.lines.get(scenario);
    if (!l) throw new Error(`no role-play lines for ${scenario}`);
    return l;
  }

  private plan(scenario: Scenario): TermPlan[] {
    return this.scenarioLines(scenario).terms.map((t) => ({
      id: t.id,
      level: t.level,
      tiers: t.tiers.length,
      required: t.required,
    }));
  }

  start(
    scenario: Scenario,
    difficulty: Difficulty,
    premise: Premise,
    lang: Lang,
    options: { drill?: Skill; now?: number } = {},
  ): StartResult {
    // The user's own rates when they make sense, else a typical case: the standard 0.6% and the
    // 0.38% some categories pay (knowledge/sources.yaml alipay-f2f-rate; ui roleplay.yaml figures).
    const start = premise.currentRate !== undefined && premise.currentRate > 0 ? premise.currentRate : 0.6;
    const target =
      premise.targetRate !== undefined && premise.targetRate < start && premise.targetRate > 0
        ? premise.targetRate
        : Math.min(0.38, Math.round(start * 70) / 100);
    const seed = Math.floor(this.seeds.next() * 0x7fffffff);
    const values: Record<string, string> = {
      start: formatRate(start),
      target: formatRate(target),
    };
    if (premise.business) values.business = premise.business;
    if (premise.monthlyVolume !== undefined)
      values.volume = formatAmount(this.texts, premise.monthlyVolume, lang);
    if (premise.amount !== undefined) values.amount = formatAmount(this.texts, premise.amount, lang);
    values.case = premise.caseNumber ?? String(3000000000 + (seed % 900000000));
    if (premise.caseNumber) values.caseNumber = premise.caseNumber;
    if (premise.visitor) values.visitor = '1';
    const actor = createActor(repMachine, {
      input: { scenario, difficulty, start, target, plan: this.plan(scenario) },
    }).start();
    const state: RoleplayState = {
      version: REP_MACHINE_VERSION,
      scenario,
      difficulty,
      snapshot: actor.getPersistedSnapshot(),
      record: [],
      seed,
      values,
      ...(options.drill ? { drill: options.drill } : {}),
      ...(options.now !== undefined ? { lastAt: options.now } : {}),
      by: this.instance,
    };
    const context = actor.getSnapshot().context;
    const opening = this.pick(state, context, 'opening', lang, 0, {}) ?? '';
    actor.send({ type: 'SAID', hashes: sentences(opening).map(sentenceHash) });
    state.snapshot = actor.getPersistedSnapshot();
    actor.stop();
    const lines = this.scenarioLines(scenario);
    return { state, setup: this.setup(lines, state, lang), rep: lines.rep[lang], opening };
  }

  /** The user's side of the scene, from their case where it is known. */
  private setup(lines: RoleplayLines, state: RoleplayState, lang: Lang): string {
    const premise = lines.premise;
    const values: Record<string, string> = { ...state.values };
    for (const [key, text] of Object.entries(premise)) {
      // A format ("businessFormat": "your {{business}}") fits a value from the case into the
      // sentence the way the default is written ("a small neighbourhood restaurant").
      const base = /Format$/.exec(key) ? key.slice(0, -'Format'.length) : undefined;
      if (base && state.values[base] !== undefined)
        values[base] = this.fill(text[lang], { [base]: state.values[base] });
    }
    for (const [key, text] of Object.entries(premise)) {
      if (/Format$/.test(key)) continue;
      // A clause ("volumeClause") is used when its value is known; a default when it is not.
      const clause = /Clause$/.exec(key) ? key.slice(0, -'Clause'.length) : undefined;
      if (clause) values[key] = values[clause] !== undefined ? this.fill(text[lang], values) : '';
      else if (values[key] === undefined) values[key] = text[lang];
    }
    return this.fill(lines.setup[lang], values);
  }

  /** Who speaks for Alipay now (the supervisor after an escalation). */
  speaker(state: RoleplayState, lang: Lang): string {
    const lines = this.scenarioLines(state.scenario);
    const context = this.snapshot(state).context;
    return context.speaker === 'supervisor' ? lines.supervisor[lang] : lines.rep[lang];
  }

  private snapshot(state: RoleplayState): RepSnapshot {
    const actor = createActor(repMachine, this.restoreOptions(state));
    return actor.getSnapshot();
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
    return (
      !!s &&
      s.version === REP_MACHINE_VERSION &&
      typeof s.snapshot === 'object' &&
      Array.isArray(s.record) &&
      typeof s.values === 'object'
    );
  }

  turn(state: RoleplayState, text: string, lang: Lang, now?: number): TurnResult {
    const actor = createActor(repMachine, this.restoreOptions(state)).start();
    const before = actor.getSnapshot();
    const move = readMove(text, lang, state.scenario, {
      offer: before.context.offer,
      current: before.context.start,
    });
    actor.send({ type: 'TURN', move } satisfies RepEvent);
    const after = actor.getSnapshot();
    const log = after.context.last as TurnLog;
    const { text: reply, hashes } = this.reply(state, before, after, log, lang);
    actor.send({ type: 'SAID', hashes });
    const next: RoleplayState = {
      ...state,
      // The rate last asked for: "ok, deal" later, with no offer made, is answered about it.
      ...(move.ask !== undefined ? { values: { ...state.values, lastAsk: formatRate(move.ask) } } : {}),
      snapshot: actor.getPersistedSnapshot(),
      record: [...state.record, this.recordTurn(text, move, log, after.context)],
      ...(now !== undefined ? { lastAt: now } : {}),
      by: this.instance,
    };
    actor.stop();
    const value = after.value as RepState;
    const outcome =
      value === 'agreement' || value === 'impasse' || value === 'abandoned' ? (value as Outcome) : undefined;
    const lines = this.scenarioLines(state.scenario);
    const speaker = after.context.speaker === 'supervisor' ? lines.supervisor[lang] : lines.rep[lang];
    return { state: next, reply, speaker, outcome };
  }

  /** Ends early (结束 / end / /end): outcome "abandoned". */
  abandon(state: RoleplayState): RoleplayState {
    const actor = createActor(repMachine, this.restoreOptions(state)).start();
    actor.send({ type: 'END' });
    const next = { ...state, snapshot: actor.getPersistedSnapshot() };
    actor.stop();
    return next;
  }

  /** The scene was last played before the coach restarted (by another engine). */
  restartedSince(state: RoleplayState): boolean {
    return state.by !== undefined && state.by !== this.instance;
  }

  /** The scene as this engine's own, once the user has been told it is still running. */
  adopt(state: RoleplayState): RoleplayState {
    return { ...state, by: this.instance };
  }

  /** Where the talk stands, for a note when the user comes back to it. */
  status(state: RoleplayState): { offer: number | null; turns: number } {
    const context = this.snapshot(state).context;
    return { offer: context.offer, turns: context.turns };
  }

  debrief(texts: Texts, state: RoleplayState, lang: Lang): Debrief {
    const snapshot = this.snapshot(state);
    const context = snapshot.context;
    const value = snapshot.value as RepState;
    const outcome: Outcome = value === 'agreement' || value === 'impasse' ? value : 'abandoned';
    return buildDebrief(
      texts,
      {
        scenario: state.scenario,
        difficulty: state.difficulty,
        outcome,
        record: state.record,
        finalRate: outcome === 'agreement' && state.scenario === 'fees' ? context.offer : null,
        terms:
          outcome === 'agreement' && state.scenario !== 'fees' ? this.termSummary(state, context, lang) : [],
        drill: state.drill,
      },
      lang,
    );
  }

  /** What one turn showed, kept small (it lives in conversation state). */
  private recordTurn(text: string, move: UserMove, log: TurnLog, context: RepContext): TurnRecord {
    const record: TurnRecord = {
      q: shortenQuote(text),
      k: SKILLS.map((s) => Math.round(move.skills[s] * 100)),
      m: (move.threat ? 1 : 0) | (move.insult ? 2 : 0) | (move.demand ? 4 : 0),
      a: move.act,
    };
    const deeds = log.deeds.filter((d) => KEPT_DEEDS.has(d));
    if (deeds.length) record.d = deeds;
    const numbers = move.numbers.filter((n) => n.role === 'data' && /\d/.test(n.text)).map((n) => n.text);
    if (numbers.length) record.n = numbers.slice(0, 3);
    if (log.deeds.includes('granted_ask') || log.deeds.includes('took_offer') || move.accept) {
      if (context.offer !== null) record.r = context.offer;
    }
    return record;
  }

  // ------------------------------------------------------------------ what the representative says

  private reply(
    state: RoleplayState,
    before: RepSnapshot,
    after: RepSnapshot,
    log: TurnLog,
    lang: Lang,
  ): { text: string; hashes: number[] } {
    const from = before.value as RepState;
    const to = after.value as RepState;
    const context = after.context;
    const m = log.move;
    const fees = state.scenario === 'fees';
    const said = new Set(context.said);
    const parts: string[] = [];
    const hashes: number[] = [];
    const remember = (line: string): void => {
      parts.push(line);
      for (const s of sentences(line)) {
        said.add(sentenceHash(s));
        hashes.push(sentenceHash(s));
      }
    };
    let slot = 0;
    const values: Record<string, string> = { ...state.values };
    if (context.offer !== null) values.offer = formatRate(context.offer);
    if (m.ask !== undefined) values.ask = formatRate(m.ask);
    const say = (move: RepMove, extra: Record<string, string> = {}): boolean => {
      const line = this.pick(state, context, move, lang, ++slot, { ...values, ...extra }, said);
      if (!line) return false;
      remember(line);
      return true;
    };
    const sayTerm = (id: TermId): boolean => {
      const term = this.scenarioLines(state.scenario).terms.find((t) => t.id === id);
      const tier = context.terms[id];
      if (!term || tier === undefined) return false;
      const line = this.pickTerm(state, context, term, tier, lang, ++slot, values, said);
      if (!line) return false;
      remember(line);
      return true;
    };
    const ended = to === 'agreement' || to === 'impasse';

    // 1. Who speaks, and what a threat or an insult earns: nothing but a firmer line.
    if (log.deeds.includes('supervisor')) say('supervisor');
    else if (log.deeds.includes('supervisor_again')) say('supervisor_again');
    if (m.threat) say('react_threat');
    else if (m.insult) say('react_insult');
    else if (m.demand && m.ask === undefined && !ended) say('react_demand');

    // 2. The user's own number said back, or their argument acknowledged.
    const number = groundingNumber(m);
    const asked = fees
      ? undefined
      : m.numbers.find((n) => n.role === 'ask' && (n.kind === 'amount' || n.kind === 'rate'));
    if (fees && m.ask !== undefined && context.offer === null && !ended) {
      // An ask with nothing offered yet is noted as the user's ask, never as if agreed.
      say('ask_noted');
    } else if (asked && to !== 'agreement') {
      say('ack_ask', { num: spoken(this.texts, asked, lang) });
    } else if (number && to !== 'agreement') {
      const move: RepMove =
        number.kind === 'rate' ? 'ack_rate' : number.kind === 'amount' ? 'ack_amount' : 'ack_figure';
      say(move, { num: spoken(this.texts, number, lang) });
    } else if (!hostile(m) && !ended && !m.demand) {
      const skill = ACK_ORDER.find((s) => log.fresh.includes(s) && m.skills[s] > 0);
      // A bare hello is greeted by the opening already said, not thanked for its courtesy.
      if (skill && !m.greeting && (skill !== 'respect' || to === 'probing' || to === 'holding'))
        say(`ack_${skill}` as RepMove);
    }

    // 3. Answers to what was asked.
    const granted = new Set<TermId>();
    for (const topic of log.answered.slice(0, 3)) {
      if (topic === 'rate') say(context.offer !== null ? 'answer_rate' : 'answer_rate_none');
      else if (topic === 'why') say('answer_why');
      else if (topic === 'materials') say('answer_materials');
      else if (!fees && sayTerm(topic)) granted.add(topic);
    }
    // A concession asked for too early: not yet (unless this very turn earned it).
    const early = (log.notYet ?? []).filter((id) => !log.granted.includes(id));
    if (early.length > 0) say('term_not_yet');
    const answered = log.answered.length > 0 || early.length > 0;

    // 4. Where the talk now stands.
    const deeds = new Set(log.deeds);
    switch (to) {
      case 'agreement':
        if (fees) {
          if (deeds.has('granted_ask')) say('ask_granted');
          else if (deeds.has('took_offer')) say('took_offer');
          else say('agreement');
        } else
          say('agreement', {
            terms: this.termSummary(state, context, lang).join(this.texts.t('roleplay.terms_sep', lang)),
          });
        break;
      case 'impasse':
        say(deeds.has('walked_away') ? 'impasse_walkaway' : 'impasse');
        break;
      case 'offering':
        if (deeds.has('first_offer') || deeds.has('improved')) {
          if (fees) {
            // Asked for less than it can give: the ask is answered with the offer it can make.
            if (m.ask !== undefined && context.offer !== null && m.ask < context.offer) say('ask_too_low');
            else if (deeds.has('first_offer')) say('counter_offer');
            else say(deeds.has('at_limit') ? 'floor_reached' : 'improve_offer');
          } else {
            // The lead-in ("Here's what I can add:") only with a term after it: a step whose
            // terms were all given already as answers is a hold, not a dangling colon.
            const mark = { parts: parts.length, hashes: hashes.length };
            say(deeds.has('first_offer') ? 'counter_offer' : 'improve_offer');
            let added = false;
            for (const id of log.granted) if (!granted.has(id) && sayTerm(id)) added = true;
            if (!added) {
              for (const h of hashes.splice(mark.hashes)) said.delete(h);
              parts.splice(mark.parts);
              if (!answered) say(deeds.has('at_limit') ? 'floor_reached' : 'hold_offer');
            } else if (deeds.has('at_limit') && !deeds.has('first_offer')) say('floor_reached');
          }
        } else if (deeds.has('propose_close')) {
          say('propose_close', {
            terms: this.termSummary(state, context, lang).join(this.texts.t('roleplay.terms_sep', lang)),
          });
        } else if (deeds.has('ask_below_limit')) {
          say('ask_too_low');
        } else if (!answered || m.reject) {
          if (m.reject && !hostile(m)) say('reject_hold');
          else say(deeds.has('at_limit') ? 'floor_reached' : 'hold_offer');
        }
        break;
      case 'considering':
        if (!answered) say('considering');
        break;
      case 'probing':
        // A first line that already gave figures is not asked for them again, nor is a business
        // and volume the user's case file gave the scene.
        say(
          number || log.fresh.includes('data') || (state.values.business && state.values.volume)
            ? 'objection'
            : 'probe',
        );
        break;
      case 'holding':
        if (deeds.has('accept_nothing')) {
          // "OK, deal" with nothing offered: about the rate the user asked for, if they named one.
          if (!(fees && state.values.lastAsk && say('accept_no_offer_ask', { ask: state.values.lastAsk })))
            say('accept_no_offer');
        } else if (!answered)
          say(from === 'holding' || from === 'considering' ? 'objection_again' : 'objection');
        break;
      default:
        break;
    }
    if (parts.length === 0) say('stall');
    // A user number is always answered with a number.
    if ((number || m.ask !== undefined) && !/\d/.test(parts.join(' '))) {
      if (number)
        say(number.kind === 'rate' ? 'ack_rate' : number.kind === 'amount' ? 'ack_amount' : 'ack_figure', {
          num: spoken(this.texts, number, lang),
        });
      else if (m.ask !== undefined)
        say(fees && context.offer !== null ? 'ask_too_low' : 'ack_rate', { num: formatRate(m.ask) });
    }
    return { text: joinParts(parts), hashes };
  }

  /** Outside fees: the terms on the table, in a few words each. */
  private termSummary(state: RoleplayState, context: RepContext, lang: Lang): string[] {
    return this.scenarioLines(state.scenario)
      .terms.filter((t) => context.terms[t.id] !== undefined)
      .map((t) => {
        const tier = t.tiers[Math.min(context.terms[t.id] as number, t.tiers.length - 1)];
        return tier ? this.fill(tier.short[lang], state.values) : '';
      })
      .filter(Boolean);
  }

  /**
   * One phrasing of a move not containing a sentence already said in this role-play, filled in;
   * the move's fallbacks when every phrasing has been used.
   */
  private pick(
    state: RoleplayState,
    context: RepContext,
    move: RepMove,
    lang: Lang,
    slot: number,
    values: Record<string, string>,
    said: Set<number> = new Set(context.said),
    seen: Set<RepMove> = new Set(),
  ): string | undefined {
    seen.add(move);
    const set = (
      this.scenarioLines(state.scenario).moves as Partial<Record<RepMove, Record<Lang, string[]>>>
    )[move];
    const line = set ? this.fresh(state, context, set[lang], slot, values, said) : undefined;
    if (line) return line;
    for (const next of FALLBACK[move] ?? []) {
      if (seen.has(next)) continue;
      const found = this.pick(state, context, next, lang, slot, values, said, seen);
      if (found) return found;
    }
    return undefined;
  }

  private pickTerm(
    state: RoleplayState,
    context: RepContext,
    term: TermLines,
    tier: number,
    lang: Lang,
    slot: number,
    values: Record<string, string>,
    said: Set<number>,
  ): string | undefined {
    const t = term.tiers[Math.min(tier, term.tiers.length - 1)];
    return t ? this.fresh(state, context, t.say[lang], slot, values, said) : undefined;
  }

  private fresh(
    state: RoleplayState,
    context: RepContext,
    phrasings: readonly string[],
    slot: number,
    values: Record<string, string>,
    said: Set<number>,
  ): string | undefined {
    const candidates = phrasings
      .map((p) => this.fill(p, values))
      .filter((p) => !/\{\{/.test(p) && !sentences(p).some((s) => said.has(sentenceHash(s))));
    if (candidates.length === 0) return undefined;
    return candidates[pickIndex(state.seed, context.turns, slot, candidates.length)];
  }

  private fill(text: string, values: Record<string, string>): string {
    return text.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
  }
}
