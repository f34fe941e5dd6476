/**
 * Model-based tests of the simulated Alipay representative (src/roleplay/repMachine.ts): the
 * shortest paths @xstate/graph finds over a small alphabet of user turns (one TURN analysis per
 * tactic, plus END), bounded to a few turns, checked for what a user rehearsing would notice:
 * agreement, impasse and the supervisor are reachable; offers stay between the floor and the
 * current rate; hard asks for more strategies than easy; hostility and ultimatums alone never
 * win a deal; ending always ends.
 */
import { getShortestPaths, type StatePath } from '@xstate/graph';
import { createActor, transition, type SnapshotFrom } from 'xstate';
import type { Tactic } from '../../src/knowledge/schema';
import type { Difficulty } from '../../src/nlu/types';
import {
  DIFFICULTY,
  floorRate,
  repMachine,
  type RepEvent,
  type RepInput,
} from '../../src/roleplay/repMachine';

type Snap = SnapshotFrom<typeof repMachine>;
type Path = StatePath<Snap, RepEvent>;

const START = 0.6;
const TARGET = 0.38;
const feesInput = (difficulty: Difficulty): RepInput => ({
  scenario: 'fees',
  difficulty,
  start: START,
  target: TARGET,
});

const turn = (tactics: Partial<Record<Tactic, number>>, rates: number[] = []): RepEvent => ({
  type: 'TURN',
  analysis: { tactics, rates, question: false },
});

/** One user move per tactic, with the rates such a sentence would name. */
const MOVES = {
  respect: turn({ respect: 1 }),
  data: turn({ data: 1 }, [START]), // "I pay 0.6% on 100k a month"
  case: turn({ case: 1 }, [0.35]), // "UnionPay quoted me 0.35%"
  mutual: turn({ mutual: 1 }),
  joint: turn({ joint: 1 }, [0.45]), // "trial 0.45% for a quarter"
  batna: turn({ batna: 1 }),
  escalation: turn({ escalation: 1 }),
  hostility: turn({ hostility: 1 }),
  ultimatum: turn({ ultimatum: 1 }),
  accept: turn({ accept: 1 }),
} as const;
const END: RepEvent = { type: 'END' };
const ALPHABET: RepEvent[] = [...Object.values(MOVES), END];
const PERSUASIVE: Tactic[] = ['data', 'case', 'mutual', 'joint', 'batna', 'escalation'];

/** States differ by what decides the next step; the turn count only bounds the search. */
const serializeState = (s: Snap): string => {
  const c = s.context;
  return JSON.stringify([
    s.value,
    Math.round(c.persuasion * 100),
    c.patience,
    [...c.shown].sort(),
    c.offer,
    c.concessions,
    c.escalated,
  ]);
};

const TURN_BOUND: Record<Difficulty, number> = { easy: 5, normal: 5, hard: 6 };

function explore(
  difficulty: Difficulty,
  events: RepEvent[] = ALPHABET,
  bound = TURN_BOUND[difficulty],
): Path[] {
  return getShortestPaths(repMachine, {
    input: feesInput(difficulty),
    events,
    serializeState,
    stopWhen: (s) => s.status === 'done' || s.context.turns >= bound,
  });
}

/** The tactics of a path's user turns, in order. */
const tacticsOf = (path: Path): Tactic[][] =>
  path.steps
    .map((s) => s.event)
    .filter((e): e is Extract<RepEvent, { type: 'TURN' }> => e.type === 'TURN')
    .map((e) => Object.keys(e.analysis.tactics) as Tactic[]);

const shortestTo = (paths: Path[], value: string): Path | undefined =>
  paths.filter((p) => p.state.value === value).sort((a, b) => a.steps.length - b.steps.length)[0];

const DIFFICULTIES: Difficulty[] = ['easy', 'normal', 'hard'];
const explored = new Map<Difficulty, Path[]>();
beforeAll(() => {
  for (const d of DIFFICULTIES) explored.set(d, explore(d));
});
const pathsFor = (d: Difficulty): Path[] => explored.get(d) ?? [];

describe('rep machine: reachable outcomes', () => {
  it.each(DIFFICULTIES)('%s: every state of the talk is reachable within a few turns', (difficulty) => {
    const values = new Set(pathsFor(difficulty).map((p) => String(p.state.value)));
    for (const v of [
      'opening',
      'probing',
      'objection',
      'supervisor',
      'considering',
      'offering',
      'agreement',
      'impasse',
      'abandoned',
    ]) {
      expect(values).toContain(v);
    }
  });

  it('goes to the supervisor on a credible escalation, and only once', () => {
    let s = createActor(repMachine, { input: feesInput('normal') }).getSnapshot();
    const go = (e: RepEvent): Snap => (s = transition(repMachine, s, e)[0]);
    go(MOVES.respect);
    expect(go(MOVES.respect).value).toBe('objection');
    expect(go(MOVES.escalation).value).toBe('supervisor');
    expect(s.context.escalated).toBe(true);
    // Back to the objection, and a second threat to complain does not call the supervisor again.
    expect(go(MOVES.respect).value).toBe('objection');
    expect(go(turn({ escalation: 1 })).value).not.toBe('supervisor');
  });

  it('does not count a yes as agreement when nothing is on the table', () => {
    for (const difficulty of DIFFICULTIES) {
      let s = createActor(repMachine, { input: feesInput(difficulty) }).getSnapshot();
      for (let i = 0; i < 4; i++) s = transition(repMachine, s, MOVES.accept)[0];
      expect(s.value).not.toBe('agreement');
      expect(s.context.offer).toBeNull();
    }
  });
});

describe('rep machine: offers', () => {
  it.each(DIFFICULTIES)('%s: never offers below the floor or above the current rate', (difficulty) => {
    const floor = floorRate(START, TARGET, difficulty);
    expect(floor).toBeGreaterThan(TARGET);
    expect(floor).toBeLessThan(START);
    let offers = 0;
    for (const path of pathsFor(difficulty)) {
      for (const { state } of [...path.steps, { state: path.state }]) {
        const offer = state.context.offer;
        if (offer === null) continue;
        offers += 1;
        expect(offer).toBeGreaterThanOrEqual(floor);
        expect(offer).toBeLessThanOrEqual(START);
      }
    }
    expect(offers).toBeGreaterThan(100);
  });

  it.each(DIFFICULTIES)('%s: an agreement always comes with a rate in range', (difficulty) => {
    const floor = floorRate(START, TARGET, difficulty);
    const agreements = pathsFor(difficulty).filter((p) => p.state.value === 'agreement');
    expect(agreements.length).toBeGreaterThan(0);
    for (const p of agreements) {
      expect(p.state.context.offer).not.toBeNull();
      expect(p.state.context.offer!).toBeGreaterThanOrEqual(floor);
      expect(p.state.context.offer!).toBeLessThanOrEqual(START);
    }
  });

  it('lies further from the target the harder the representative', () => {
    const floors = DIFFICULTIES.map((d) => floorRate(START, TARGET, d));
    expect(floors[0]!).toBeLessThan(floors[1]!);
    expect(floors[1]!).toBeLessThan(floors[2]!);
  });

  it('improves the offer after a new argument, step by step down to the floor', () => {
    let s = createActor(repMachine, { input: feesInput('easy') }).getSnapshot();
    for (const e of [MOVES.respect, MOVES.mutual, turn({ data: 1 })]) s = transition(repMachine, s, e)[0];
    expect(s.value).toBe('offering');
    const first = s.context.offer!;
    expect(first).toBeLessThan(START);
    s = transition(repMachine, s, turn({ batna: 1 }))[0];
    expect(s.value).toBe('offering');
    expect(s.context.offer!).toBeLessThan(first);
    for (const t of ['escalation', 'joint', 'case'] as Tactic[])
      s = transition(repMachine, s, turn({ [t]: 1 }))[0];
    expect(s.context.offer).toBe(floorRate(START, TARGET, 'easy'));
    // Saying yes takes what is on the table.
    const taken = transition(repMachine, s, MOVES.accept)[0];
    expect(taken.value).toBe('agreement');
    expect(taken.context.offer).toBe(s.context.offer);
  });
});

describe('rep machine: difficulty', () => {
  const toAgreement = (d: Difficulty): Path => {
    const p = shortestTo(pathsFor(d), 'agreement');
    if (!p) throw new Error(`no agreement within ${TURN_BOUND[d]} turns on ${d}`);
    return p;
  };
  const distinct = (p: Path): Set<Tactic> =>
    new Set(
      tacticsOf(p)
        .flat()
        .filter((t) => PERSUASIVE.includes(t)),
    );

  it('hard takes more turns and more distinct strategies to agree than easy', () => {
    const easy = toAgreement('easy');
    const normal = toAgreement('normal');
    const hard = toAgreement('hard');
    expect(hard.steps.length).toBeGreaterThan(easy.steps.length);
    expect(normal.steps.length).toBeGreaterThanOrEqual(easy.steps.length);
    expect(distinct(hard).size).toBeGreaterThan(distinct(easy).size);
  });

  /**
   * Builds up with `opening` until there is an offer, then only flexible small talk (which does
   * not improve the offer) until persuaded enough, then asks for a rate between the floor and the
   * offer: granted only if the difficulty's required strategies were shown.
   */
  const askBelowOffer = (difficulty: Difficulty, opening: Tactic[]): Snap => {
    let s = createActor(repMachine, { input: feesInput(difficulty) }).getSnapshot();
    for (const t of opening) s = transition(repMachine, s, turn({ [t]: 1 }))[0];
    expect(s.value).toBe('offering');
    for (let i = 0; i < 20 && s.context.persuasion < DIFFICULTY[difficulty].agree; i++) {
      s = transition(repMachine, s, turn({ flexibility: 1 }))[0];
    }
    expect(s.value).toBe('offering');
    const ask = Math.round(((s.context.floor + s.context.offer!) / 2) * 100) / 100;
    expect(ask).toBeLessThan(s.context.offer!);
    return transition(repMachine, s, turn({ flexibility: 1 }, [ask]))[0];
  };

  it('hard grants an ask below its offer only after data, a case and a joint solution', () => {
    const withJoint = askBelowOffer('hard', ['respect', 'data', 'case', 'joint', 'batna']);
    expect(withJoint.value).toBe('agreement');
    const withoutJoint = askBelowOffer('hard', ['respect', 'data', 'case', 'mutual', 'batna']);
    expect(withoutJoint.value).toBe('offering');
    const withoutData = askBelowOffer('hard', ['respect', 'mutual', 'case', 'joint', 'batna']);
    expect(withoutData.value).toBe('offering');
  });

  it('normal grants an ask below its offer only after two of the four strategies', () => {
    expect(askBelowOffer('normal', ['respect', 'data', 'case', 'batna']).value).toBe('agreement');
    expect(askBelowOffer('normal', ['respect', 'data', 'batna', 'flexibility', 'escalation']).value).toBe(
      'offering',
    );
  });

  it('easy grants it after any one strategy', () => {
    expect(askBelowOffer('easy', ['respect', 'batna', 'mutual']).value).toBe('agreement');
  });

  it('the shortest way to a deal on easy does not work on hard', () => {
    const easy = toAgreement('easy');
    let s = createActor(repMachine, { input: feesInput('hard') }).getSnapshot();
    for (const { event } of easy.steps.slice(1)) s = transition(repMachine, s, event)[0];
    expect(s.value).not.toBe('agreement');
  });

  it('reaches the first offer sooner on easy than on hard', () => {
    const easy = shortestTo(pathsFor('easy'), 'offering')!;
    const hard = shortestTo(pathsFor('hard'), 'offering')!;
    expect(hard.steps.length).toBeGreaterThan(easy.steps.length);
  });
});

describe('rep machine: hostility and ultimatums', () => {
  const HOSTILE: RepEvent[] = [
    MOVES.hostility,
    MOVES.ultimatum,
    turn({ hostility: 1, ultimatum: 1 }),
    turn({ ultimatum: 1, demand: 1 }),
    MOVES.accept,
  ];

  it.each(DIFFICULTIES)('%s: never reach an agreement or an offer, and end in impasse', (difficulty) => {
    const paths = explore(difficulty, HOSTILE, DIFFICULTY[difficulty].maxTurns);
    const values = new Set(paths.map((p) => String(p.state.value)));
    expect(values).not.toContain('agreement');
    expect(values).not.toContain('offering');
    expect(values).toContain('impasse');
    for (const p of paths) expect(p.state.context.offer).toBeNull();
  });

  it('on normal, a few insults end the talk', () => {
    let s = createActor(repMachine, { input: feesInput('normal') }).getSnapshot();
    let turns = 0;
    while (s.status !== 'done' && turns < 10) {
      s = transition(repMachine, s, turn({ hostility: 1, ultimatum: 1 }))[0];
      turns += 1;
    }
    expect(s.value).toBe('impasse');
    expect(turns).toBeLessThanOrEqual(3);
  });
});

describe('rep machine: ending', () => {
  it.each(DIFFICULTIES)('%s: END from any explored state that is still talking is final', (difficulty) => {
    let checked = 0;
    for (const p of pathsFor(difficulty)) {
      if (p.state.status === 'done') continue;
      const ended = transition(repMachine, p.state, END)[0];
      expect(ended.status).toBe('done');
      expect(ended.value).toBe('abandoned');
      // Ending keeps what was said so far.
      expect(ended.context.turns).toBe(p.state.context.turns);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('a finished talk, restored like the engine does, ignores further turns and END', () => {
    const done = pathsFor('normal').filter((x) => x.state.status === 'done');
    for (const value of ['agreement', 'impasse']) {
      const p = shortestTo(done, value)!;
      const actor = createActor(repMachine, { input: feesInput('normal') }).start();
      for (const { event } of p.steps.slice(1)) actor.send(event);
      expect(actor.getSnapshot().value).toBe(value);
      const restored = createActor(repMachine, {
        snapshot: JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as Snap,
        input: feesInput('normal'),
      }).start();
      for (const e of ALPHABET) restored.send(e);
      expect(restored.getSnapshot().value).toBe(value);
      expect(restored.getSnapshot().context.offer).toBe(p.state.context.offer);
      actor.stop();
      restored.stop();
    }
  });

  it('runs out of turns in an impasse instead of talking forever', () => {
    for (const difficulty of DIFFICULTIES) {
      let s = createActor(repMachine, { input: feesInput(difficulty) }).getSnapshot();
      let turns = 0;
      // Polite but saying nothing new: the representative eventually closes.
      while (s.status !== 'done' && turns < 200) {
        s = transition(repMachine, s, turns % 2 ? MOVES.respect : turn({ flexibility: 0.4 }))[0];
        turns += 1;
      }
      expect(s.status).toBe('done');
      expect(['impasse', 'agreement']).toContain(s.value);
      expect(s.value).not.toBe('agreement');
    }
  });
});

describe('rep machine: other scenarios and persistence', () => {
  it.each(['security', 'service'] as const)(
    '%s: concessions instead of rates, agreement reachable',
    (scenario) => {
      const paths = getShortestPaths(repMachine, {
        input: { scenario, difficulty: 'normal', start: 0, target: 0 },
        events: ALPHABET,
        serializeState,
        stopWhen: (s) => s.status === 'done' || s.context.turns >= 5,
      });
      const values = new Set(paths.map((p) => String(p.state.value)));
      expect(values).toContain('agreement');
      for (const p of paths) expect(p.state.context.offer).toBeNull();
      for (const p of paths.filter((x) => x.state.value === 'agreement')) {
        expect(p.state.context.concessions).toBeGreaterThan(0);
      }
    },
  );

  it('continues identically after a persisted snapshot is restored', () => {
    const script = [
      MOVES.respect,
      MOVES.data,
      MOVES.escalation,
      MOVES.case,
      MOVES.mutual,
      MOVES.joint,
      MOVES.batna,
      MOVES.accept,
    ];
    for (let cut = 0; cut <= script.length; cut++) {
      const original = createActor(repMachine, { input: feesInput('hard') }).start();
      for (const e of script.slice(0, cut)) original.send(e);
      const stored = JSON.parse(JSON.stringify(original.getPersistedSnapshot())) as Snap;
      // The input given on restore must not matter: the snapshot carries the rates.
      const restored = createActor(repMachine, {
        snapshot: stored,
        input: { scenario: 'fees', difficulty: 'easy', start: 0, target: 0 },
      }).start();
      for (const e of script.slice(cut)) {
        original.send(e);
        restored.send(e);
        expect(restored.getSnapshot().value).toEqual(original.getSnapshot().value);
        expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
      }
      expect(restored.getSnapshot().context.start).toBe(START);
      original.stop();
      restored.stop();
    }
  });
});

describe('rates the user names are asks only below the current rate', () => {
  /** Plays the moves from the start and returns the final snapshot. */
  function play(difficulty: Difficulty, events: RepEvent[]): Snap {
    const actor = createActor(repMachine, { input: feesInput(difficulty) }).start();
    for (const e of events) actor.send(e);
    const snap = actor.getSnapshot();
    actor.stop();
    return snap;
  }
  const toOffer = [MOVES.respect, MOVES.data, MOVES.case, MOVES.mutual];

  test('there is an offer on the table after data, a case and common interest (normal)', () => {
    const snap = play('normal', toOffer);
    expect(snap.value).toBe('offering');
    expect(snap.context.offer).not.toBeNull();
  });

  test.each([START, 0.7, 1])('naming %s% (at or above the start) never closes a deal there', (rate) => {
    const snap = play('normal', [...toOffer, turn({ data: 1 }, [rate])]);
    expect(snap.value).not.toBe('agreement');
    expect(snap.context.offer!).toBeLessThan(START);
  });

  test('asking for more than is offered settles at the offer, not at the ask', () => {
    const before = play('normal', toOffer).context.offer!;
    const snap = play('normal', [...toOffer, turn({}, [before + 0.02])]);
    expect(snap.value).toBe('agreement');
    expect(snap.context.offer).toBe(before);
  });
});
