/**
 * The judged dev role-plays (test/roleplay/transcripts, split dev) replayed through the coach as a
 * user would (scripts/roleplayReplay.ts): the score ranks them as the judges did, every line with a
 * rate or an amount is answered with a number, no sentence is said twice in a role-play and no
 * words are put in the user's mouth. The held-out ones are only reported (npm run roleplay:replay).
 */
import { join } from 'node:path';
import { replayTranscripts, inventedQuotes, type ReplayMetrics } from '../../scripts/roleplayReplay';
import { loadTranscripts } from '../../src/roleplay/skillEval';
import { projectRoot } from '../../src/util/paths';

jest.setTimeout(240_000);

describe('replaying the judged dev role-plays', () => {
  let m: ReplayMetrics;
  beforeAll(async () => {
    const dev = loadTranscripts(join(projectRoot(), 'test', 'roleplay', 'transcripts')).filter(
      (t) => t.split === 'dev',
    );
    m = await replayTranscripts(dev);
  });

  it('scores them in the judged order', () => {
    expect(m.n).toBeGreaterThanOrEqual(20);
    expect(m.spearman).toBeGreaterThanOrEqual(0.9);
    expect(m.oneApartOrdered).toBeGreaterThanOrEqual(0.85);
  });

  it('answers every line with a rate or an amount with a number', () => {
    expect(m.numberLines).toBeGreaterThan(10);
    expect(m.numbersAnswered).toBe(m.numberLines);
  });

  it('never repeats a sentence within a role-play and never quotes what the user did not say', () => {
    expect(m.results.flatMap((r) => r.repeats)).toEqual([]);
    expect(m.results.flatMap((r) => r.invented)).toEqual([]);
  });
});

describe('inventedQuotes()', () => {
  it('finds a quote attributed to the user that they did not write, and only that', () => {
    expect(inventedQuotes('您说的「赔偿」我记下了', ['我要退款'])).toEqual(['赔偿']);
    expect(inventedQuotes('您说的「退款」我记下了', ['我要退款'])).toEqual([]);
    expect(inventedQuotes('You said “compensation”, noted.', ['I want my refund'])).toEqual(['compensation']);
  });
});
