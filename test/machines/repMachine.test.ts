/**
 * Model-based tests of the simulated Alipay representative (src/roleplay/repMachine.ts): the
 * shortest paths @xstate/graph finds over a small alphabet of user moves (one per skill, a threat,
 * an insult, a yes, a no, a counter-offer, a walk-away, a question, a request for a supervisor,
 * END), bounded to a few turns, checked for what a user rehearsing would notice: agreement and
 * impasse are reachable; offers stay between the hidden limit and the current rate and never go
 * back up; a deal closes at the offer on the table; threats and insults never earn anything;
 * hard needs more than easy; the frozen-account and complaint scenarios agree on their terms.
 */
import { getShortestPaths, type StatePath } from '@xstate/graph';
import { createActor, transition, type SnapshotFrom } from 'xstate';
import type { Difficulty } from '../../src/nlu/types';
import type { UserMove } from '../../src/roleplay/moves';
import {
  SCHEDULES,
  floorRate,
  offerAt,
  repMachine,
  type RepEvent,
  type RepInput,
  type TermPlan,
} from '../../src/roleplay/repMachine';
import { SKILLS, type Skill } from '../../src/roleplay/skillModel';

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

/** The security scenario's terms as knowledge/roleplay/security.yaml declares them. */
const SECURITY_PLAN: TermPlan[] = [
  { id: 'reason', level: 1, tiers: 1, required: true },
  { id: 'channel', level: 1, tiers: 1, required: true },
  { id: 'documents', level: 1, tiers: 1, required: true },
  { id: 'deadline', level: 1, tiers: 3, required: true },
  { id: 'release', level: 3, tiers: 1, required: false },
];

/** A user move with nothing in it but what is given. */
function mv(
  over: Partial<Omit<UserMove, 'skills'>> & { skills?: Partial<Record<Skill, number>> } = {},
): UserMove {
  const skills = {} as Record<Skill, number>;
  for (const s of SKILLS) skills[s] = over.skills?.[s] ?? 0;
  return {
    act: 'other',
    threat: false,
    insult: false,
    demand: false,
    accept: false,
    reject: false,
    walkAway: false,
    ends: false,
    numbers: [],
    topics: [],
    question: false,
    supervisor: false,
    greeting: false,
    ...over,
    skills,
  };
}
const turn = (m: UserMove): RepEvent => ({ type: 'TURN', move: m });

const MOVES = {
  respect: turn(mv({ skills: { respect: 1 } })),
  data: turn(mv({ skills: { data: 1 }, act: 'argue' })),
  cases: turn(mv({ skills: { cases: 1 }, act: 'argue' })),
  mutual: turn(mv({ skills: { mutual_benefit: 1 }, act: 'argue' })),
  joint: turn(mv({ skills: { joint_solution: 1 }, act: 'propose' })),
  flexible: turn(mv({ skills: { flexibility: 1 } })),
  threat: turn(mv({ threat: true })),
  insult: turn(mv({ insult: true })),
  accept: turn(mv({ accept: true, act: 'accept' })),
  reject: turn(mv({ reject: true, act: 'reject' })),
  counter: turn(mv({ ask: 0.45, act: 'counter' })),
  walk: turn(mv({ walkAway: true })),
  question: turn(mv({ question: true, act: 'question', topics: ['rate'] })),
  supervisor: turn(mv({ supervisor: true, skills: { respect: 1 } })),
} as const;
const END: RepEvent = { type: 'END' };
const ALPHABET: RepEvent[] = [...Object.values(MOVES), END];

/** States differ by what decides the next step; the turn count only bounds the search. */
const serializeState = (s: Snap): string => {
  const c = s.context;
  return JSON.stringify([
    s.value,
    Math.round(c.persuasion * 10),
    Math.round(c.patience / 10),
    c.firmness,
    [...c.shown].sort(),
    c.offer,
    c.level,
    c.terms,
    c.speaker,
    c.proposed,
  ]);
};

const TURN_BOUND: Record<Difficulty, number> = { easy: 4, normal: 5, hard: 6 };

function explore(
  input: RepInput,
  events: RepEvent[] = ALPHABET,
  bound = TURN_BOUND[input.difficulty],
): Path[] {
  return getShortestPaths(repMachine, {
    input,
    events,
    serializeState,
    stopWhen: (s) => s.status === 'done' || s.context.turns >= bound,
  });
}

const shortestTo = (paths: Path[], value: string): Path | undefined =>
  paths.filter((p) => p.state.value === value).sort((a, b) => a.steps.length - b.steps.length)[0];

/** Every (state before, event, state after) step of a path. */
function* stepsOf(p: Path): Generator<{ before: Snap; event: RepEvent; after: Snap }> {
  for (let i = 1; i < p.steps.length; i++)
    yield { before: p.steps[i - 1]!.state, event: p.steps[i]!.event, after: p.steps[i]!.state };
  const last = p.steps[p.steps.length - 1];
  if (last && p.steps.length > 0 && last.state !== p.state)
    yield { before: last.state, event: last.event, after: p.state };
}

const DIFFICULTIES: Difficulty[] = ['easy', 'normal', 'hard'];
const explored = new Map<Difficulty, Path[]>();
beforeAll(() => {
  for (const d of DIFFICULTIES) explored.set(d, explore(feesInput(d)));
});
const pathsFor = (d: Difficulty): Path[] => explored.get(d) ?? [];

const play = (input: RepInput, events: RepEvent[]): Snap => {
  let s = createActor(repMachine, { input }).getSnapshot();
  for (const e of events) s = transition(repMachine, s, e)[0];
  return s;
};

describe('rep machine: reachable outcomes', () => {
  it.each(DIFFICULTIES)('%s: every state of the talk is reachable within a few turns', (difficulty) => {
    const values = new Set(pathsFor(difficulty).map((p) => String(p.state.value)));
    for (const v of ['probing', 'holding', 'offering', 'agreement', 'impasse', 'abandoned'])
      expect(values).toContain(v);
  });

  it('a polite request brings the supervisor (the speaker changes); a threat never does', () => {
    const polite = play(feesInput('normal'), [MOVES.respect, MOVES.supervisor]);
    expect(polite.context.speaker).toBe('supervisor');
    expect(polite.context.last?.deeds).toContain('supervisor');
    for (const p of pathsFor('normal'))
      for (const { before, event, after } of stepsOf(p))
        if (event.type === 'TURN' && !event.move.supervisor)
          expect(after.context.speaker).toBe(before.context.speaker);
  });

  it('does not count a yes as agreement when nothing is on the table', () => {
    for (const difficulty of DIFFICULTIES) {
      const s = play(feesInput(difficulty), [MOVES.accept, MOVES.accept, MOVES.accept]);
      expect(s.value).not.toBe('agreement');
      expect(s.context.offer).toBeNull();
    }
  });

  it('a walk-away ends in impasse; END always ends in abandoned', () => {
    expect(play(feesInput('normal'), [MOVES.respect, MOVES.walk]).value).toBe('impasse');
    for (const p of pathsFor('normal')) {
      if (p.state.status === 'done') continue;
      const ended = transition(repMachine, p.state, END)[0];
      expect(ended.value).toBe('abandoned');
      expect(ended.context.turns).toBe(p.state.context.turns);
    }
  });
});

describe('rep machine: offers', () => {
  it.each(DIFFICULTIES)('%s: offers stay between the floor and the current rate', (difficulty) => {
    const floor = floorRate(START, TARGET, difficulty);
    expect(floor).toBeGreaterThan(TARGET);
    expect(floor).toBeLessThan(START);
    let offers = 0;
    for (const p of pathsFor(difficulty))
      for (const { after } of stepsOf(p)) {
        if (after.context.offer === null) continue;
        offers++;
        expect(after.context.offer).toBeGreaterThanOrEqual(floor);
        expect(after.context.offer).toBeLessThan(START);
      }
    expect(offers).toBeGreaterThan(20);
  });

  it.each(DIFFICULTIES)('%s: an offer made is never taken back or raised', (difficulty) => {
    for (const p of pathsFor(difficulty))
      for (const { before, after } of stepsOf(p)) {
        if (before.context.offer === null) continue;
        expect(after.context.offer).not.toBeNull();
        expect(after.context.offer!).toBeLessThanOrEqual(before.context.offer);
      }
  });

  it.each(DIFFICULTIES)('%s: a yes closes the deal at the offer on the table', (difficulty) => {
    let checked = 0;
    for (const p of pathsFor(difficulty))
      for (const { before, event, after } of stepsOf(p)) {
        if (event.type !== 'TURN' || !event.move.accept || before.context.offer === null) continue;
        expect(after.value).toBe('agreement');
        expect(after.context.offer).toBe(before.context.offer);
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });

  it('lies further from the target the harder the representative', () => {
    const floors = DIFFICULTIES.map((d) => floorRate(START, TARGET, d));
    expect(floors[0]!).toBeLessThan(floors[1]!);
    expect(floors[1]!).toBeLessThan(floors[2]!);
  });

  it('concedes step by step, each step earned by something new, down to the floor', () => {
    let s = play(feesInput('easy'), [MOVES.respect, MOVES.data]);
    expect(s.value).toBe('offering');
    const first = s.context.offer!;
    expect(first).toBe(offerAt(s.context, 1));
    // Saying the same again earns nothing.
    s = transition(repMachine, s, MOVES.data)[0];
    expect(s.context.offer).toBe(first);
    s = transition(repMachine, s, MOVES.cases)[0];
    expect(s.context.offer!).toBeLessThan(first);
    s = transition(repMachine, s, MOVES.joint)[0];
    expect(s.context.offer).toBe(floorRate(START, TARGET, 'easy'));
    const taken = transition(repMachine, s, MOVES.accept)[0];
    expect(taken.value).toBe('agreement');
    expect(taken.context.offer).toBe(s.context.offer);
  });

  it('a counter-offer at or above the offer takes the offer; one below the limit is not granted', () => {
    const s = play(feesInput('normal'), [MOVES.respect, MOVES.data, MOVES.cases]);
    expect(s.value).toBe('offering');
    const offer = s.context.offer!;
    const above = transition(repMachine, s, turn(mv({ ask: offer + 0.02, act: 'counter' })))[0];
    expect(above.value).toBe('agreement');
    expect(above.context.offer).toBe(offer);
    const below = transition(repMachine, s, turn(mv({ ask: TARGET, act: 'counter' })))[0];
    expect(below.value).toBe('offering');
    expect(below.context.offer!).toBeGreaterThan(TARGET);
  });
});

describe('rep machine: difficulty', () => {
  const toAgreement = (d: Difficulty): Path => {
    const p = shortestTo(pathsFor(d), 'agreement');
    if (!p) throw new Error(`no agreement within ${TURN_BOUND[d]} turns on ${d}`);
    return p;
  };

  it('the first offer takes more on hard than on easy', () => {
    const easy = shortestTo(pathsFor('easy'), 'offering')!;
    const hard = shortestTo(pathsFor('hard'), 'offering')!;
    expect(hard.steps.length).toBeGreaterThan(easy.steps.length);
  });

  it('an agreement takes at least as long on hard as on easy', () => {
    expect(toAgreement('hard').steps.length).toBeGreaterThanOrEqual(toAgreement('easy').steps.length);
  });

  it('hard reaches its floor only after data, a case and a joint solution', () => {
    // Every skill, then the same arguments again and a counter-offer below the floor.
    const all = [MOVES.respect, MOVES.data, MOVES.cases, MOVES.mutual, MOVES.joint, MOVES.flexible];
    const more = [MOVES.data, MOVES.cases, MOVES.joint, MOVES.mutual, turn(mv({ ask: 0.4, act: 'counter' }))];
    const full = play(feesInput('hard'), [...all, ...more]);
    expect(full.context.offer).toBe(floorRate(START, TARGET, 'hard'));
    const noJoint = play(
      feesInput('hard'),
      [...all, ...more].filter((e) => e !== MOVES.joint),
    );
    expect(noJoint.value).toBe('offering');
    expect(noJoint.context.offer!).toBeGreaterThan(floorRate(START, TARGET, 'hard'));
  });
});

describe('rep machine: threats and insults make it firmer, never richer', () => {
  it.each(DIFFICULTIES)('%s: a threatening or insulting turn never improves the offer', (difficulty) => {
    let checked = 0;
    for (const p of pathsFor(difficulty))
      for (const { before, event, after } of stepsOf(p)) {
        if (event.type !== 'TURN' || !(event.move.threat || event.move.insult)) continue;
        checked++;
        expect(after.value).not.toBe('agreement');
        if (before.context.offer !== null) expect(after.context.offer).toBe(before.context.offer);
        else expect(after.context.offer).toBeNull();
        expect(after.context.level).toBe(before.context.level);
        expect(after.context.speaker).toBe(before.context.speaker);
      }
    expect(checked).toBeGreaterThan(10);
  });

  it.each(DIFFICULTIES)('%s: hostility alone never reaches an offer and ends in impasse', (difficulty) => {
    const paths = explore(
      feesInput(difficulty),
      [MOVES.threat, MOVES.insult, MOVES.accept],
      SCHEDULES[difficulty].maxTurns,
    );
    const values = new Set(paths.map((p) => String(p.state.value)));
    expect(values).not.toContain('agreement');
    expect(values).toContain('impasse');
    for (const p of paths) expect(p.state.context.offer).toBeNull();
  });

  it('a rude merchant with the same arguments ends with a worse best offer than a polite one', () => {
    const args = [MOVES.data, MOVES.cases, MOVES.joint, MOVES.mutual];
    const polite = play(feesInput('normal'), [MOVES.respect, ...args]);
    const rude = play(feesInput('normal'), [MOVES.threat, MOVES.insult, ...args]);
    expect(polite.context.offer).not.toBeNull();
    expect(rude.context.offer ?? START).toBeGreaterThan(polite.context.offer!);
  });
});

describe('rep machine: terms outside fees', () => {
  const input = (difficulty: Difficulty): RepInput => ({
    scenario: 'security',
    difficulty,
    start: 0,
    target: 0,
    plan: SECURITY_PLAN,
  });

  it('a question is answered with its term, which stays granted', () => {
    const s = play(input('normal'), [turn(mv({ question: true, topics: ['documents'] }))]);
    expect(s.context.terms.documents).toBe(0);
    expect(s.context.last?.answered).toEqual(['documents']);
    const later = transition(repMachine, s, MOVES.threat)[0];
    expect(later.context.terms.documents).toBe(0);
  });

  it('a concession asked for before it is earned is answered "not yet", not granted by the question', () => {
    const ask = turn(mv({ question: true, topics: ['release'] }));
    const early = play(input('hard'), [ask]);
    expect(early.context.terms.release).toBeUndefined();
    expect(early.context.last?.notYet).toEqual(['release']);
    // What the user is owed anyway (the reason) is granted when asked, at any step.
    const owed = play(input('hard'), [turn(mv({ question: true, topics: ['reason'] }))]);
    expect(owed.context.terms.reason).toBe(0);
  });

  it.each(DIFFICULTIES)(
    '%s: agreement reachable on the terms; terms never withdrawn or made worse',
    (difficulty) => {
      const paths = explore(input(difficulty));
      expect(paths.some((p) => p.state.value === 'agreement')).toBe(true);
      for (const p of paths) {
        expect(p.state.context.offer).toBeNull();
        for (const { before, after } of stepsOf(p))
          for (const [id, tier] of Object.entries(before.context.terms))
            expect(after.context.terms[id as keyof typeof after.context.terms]).toBeGreaterThanOrEqual(tier);
      }
      for (const p of paths.filter((x) => x.state.value === 'agreement'))
        expect(Object.keys(p.state.context.terms).length).toBeGreaterThan(0);
    },
  );

  it('proposes to close once every needed term is on the table', () => {
    const s = play(input('easy'), [MOVES.respect, MOVES.data, MOVES.respect]);
    expect(s.context.proposed).toBe(true);
    expect(s.context.last?.deeds).toContain('propose_close');
    expect(transition(repMachine, s, MOVES.accept)[0].value).toBe('agreement');
  });
});

describe('rep machine: persistence', () => {
  it('continues identically after a persisted snapshot is restored', () => {
    const script = [
      MOVES.respect,
      MOVES.data,
      MOVES.supervisor,
      MOVES.cases,
      MOVES.threat,
      MOVES.joint,
      MOVES.accept,
    ];
    for (let cut = 0; cut <= script.length; cut++) {
      const original = createActor(repMachine, { input: feesInput('hard') }).start();
      for (const e of script.slice(0, cut)) original.send(e);
      const restored = createActor(repMachine, {
        snapshot: JSON.parse(JSON.stringify(original.getPersistedSnapshot())) as Snap,
        input: feesInput('hard'),
      }).start();
      for (const e of script.slice(cut)) {
        original.send(e);
        restored.send(e);
      }
      expect(restored.getSnapshot().value).toEqual(original.getSnapshot().value);
      expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
      original.stop();
      restored.stop();
    }
  });
});
