/**
 * The debrief built from kept turns (src/roleplay/debrief.ts): the CONTRACTS section 8 shape, a
 * skill never shown is 0, one annotation per user turn saying why, threats counted as making the
 * representative firmer and costing points, tips that fit the scenario, a final rate only for a
 * fee deal.
 */
import { buildDebrief, SKILLS, type DebriefInput, type TurnRecord } from '../../src/roleplay/debrief';
import { uiTexts } from '../helpers/texts';

const texts = uiTexts();

/** A kept turn showing the given skills (confidence × 100, SKILLS order). */
function turn(
  q: string,
  shown: Partial<Record<(typeof SKILLS)[number], number>>,
  over: Partial<TurnRecord> = {},
): TurnRecord {
  return { q, k: SKILLS.map((s) => shown[s] ?? 0), m: 0, a: 'argue', ...over };
}

const base = (over: Partial<DebriefInput> = {}): DebriefInput => ({
  scenario: 'fees',
  difficulty: 'normal',
  outcome: 'agreement',
  record: [
    turn('We take about 100k a month at 0.6%.', { data: 90 }, { n: ['100k', '0.6%'] }),
    turn('UnionPay quoted me 0.35%.', { cases: 80 }),
  ],
  finalRate: 0.45,
  terms: [],
  ...over,
});

describe('buildDebrief()', () => {
  it('has the CONTRACTS section 8 fields, the rubric and one annotation per turn', () => {
    const d = buildDebrief(texts, base(), 'en');
    expect(d).toMatchObject({
      scenario: 'fees',
      difficulty: 'normal',
      outcome: 'agreement',
      finalRate: 0.45,
      turns: 2,
    });
    expect(Number.isInteger(d.score)).toBe(true);
    expect(Object.keys(d.skills).sort()).toEqual([...SKILLS].sort());
    expect(Object.keys(d.rubric!).sort()).toEqual([...SKILLS].sort());
    expect(d.annotations!.map((a) => a.turn)).toEqual([1, 2]);
    expect(d.annotations![0]!.skills).toEqual({ data: 0.9 });
    // The note names the user's own numbers.
    expect(d.annotations![0]!.note).toContain('100k');
    expect(d.annotations![0]!.note).toContain('0.6%');
  });

  it('shows a skill never used as 0, not a neutral half', () => {
    const d = buildDebrief(texts, base(), 'en');
    for (const s of ['mutual_benefit', 'joint_solution', 'respect', 'flexibility'] as const)
      expect(d.skills[s]).toBe(0);
    expect(d.skills.data).toBe(0.9);
    expect(d.quotes.data).toBe('We take about 100k a month at 0.6%.');
  });

  it('has no final rate outside a fee deal', () => {
    expect(buildDebrief(texts, base({ outcome: 'impasse' }), 'en').finalRate).toBeNull();
    expect(buildDebrief(texts, base({ scenario: 'service' }), 'en').finalRate).toBeNull();
  });

  it('counts threats as making the other side firmer, with a tip first and fewer points', () => {
    const polite = buildDebrief(texts, base(), 'en');
    const record = [...base().record, turn("I'll sue you.", {}, { m: 1, a: 'other' })];
    const rude = buildDebrief(texts, base({ record }), 'en');
    expect(rude.firmer).toBe(1);
    expect(polite.firmer).toBeUndefined();
    expect(rude.score).toBeLessThan(polite.score);
    expect(rude.tips[0]!.skill).toBe('hostility');
    expect(rude.annotations![2]!.note).toBe(texts.t('debrief.note_threat', 'en'));
  });

  it.each(['security', 'service'] as const)('%s: tips fit the scenario, never about fees', (scenario) => {
    for (const lang of ['zh', 'en'] as const) {
      const d = buildDebrief(texts, base({ scenario, finalRate: null }), lang);
      expect(d.tips.length).toBe(3);
      for (const t of d.tips) {
        expect(t.text).toBe(texts.t(`debrief.tip_${scenario}_${t.skill}`, lang));
        expect(t.text).not.toMatch(/费率|手续费|\bfees?\b|\brate\b/i);
      }
    }
  });

  it('tips go to the weakest skills, a drilled skill first, at most three', () => {
    const d = buildDebrief(texts, base({ drill: 'flexibility' }), 'zh');
    expect(d.tips.map((t) => t.skill)).toEqual(['flexibility', 'mutual_benefit', 'joint_solution']);
    expect(d.drill).toBe('flexibility');
  });
});
