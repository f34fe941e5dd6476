/**
 * Conversation tests as data (test/conversations/*.yaml, in the manner of Rasa's stories): each
 * file is a conversation with what the coach must do at every step. A step may restart the
 * process (a new runtime on the same store) to show that the conversation carries on.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { toSimplified } from '../src/text/normalize';
import { MemoryStorage } from '../src/storage/memoryStorage';
import { testChat, type TestChat } from './helpers/runtime';
import { inventedQuotes } from '../scripts/roleplayReplay';
import { sentences } from '../src/roleplay/engine';

const expectation = z.strictObject({
  intent: z.string().nullable().optional(),
  stage: z.string().optional(),
  mode: z.string().optional(),
  lang: z.enum(['zh', 'en']).optional(),
  /** The Chinese characters of the replies: traditional ones, or none that are traditional. */
  script: z.enum(['traditional', 'simplified']).optional(),
  reply_contains: z.array(z.string()).optional(),
  reply_not_contains: z.array(z.string()).optional(),
  actions_include: z.array(z.string()).optional(),
  /** At least one of these buttons is offered (either reading may be answered first). */
  actions_include_one_of: z.array(z.string()).optional(),
  replies: z.number().optional(),
  /** The representative's reply has a number in it (a user's number is answered with one). */
  answers_number: z.boolean().optional(),
  /**
   * The rate on the table as the representative's reply last names it: kept under a name, or
   * compared with one kept earlier (an offer is never taken back, a threat never lowers it).
   */
  rep_offer: z
    .strictObject({
      save_as: z.string().optional(),
      equals: z.string().optional(),
      at_most: z.string().optional(),
    })
    .optional(),
  debrief: z
    .strictObject({
      outcome: z.string().optional(),
      min_score: z.number().optional(),
      max_score: z.number().optional(),
      final_rate_between: z.tuple([z.number(), z.number()]).optional(),
      /** The deal closed at the offer kept under this name. */
      final_rate_is: z.string().optional(),
      /** Skills shown as 0 (not used) and skills credited (> 0). */
      skills_zero: z.array(z.string()).optional(),
      skills_credited: z.array(z.string()).optional(),
      /** Threats or insults counted as making the representative firmer. */
      firmer: z.boolean().optional(),
    })
    .optional(),
});
const step = z.union([
  z.strictObject({ say: z.string(), expect: expectation.optional() }),
  z.strictObject({ restart: z.literal(true) }),
]);
const conversation = z.strictObject({
  name: z.string(),
  lang: z.enum(['zh', 'en']).optional(),
  /**
   * Checked at every step of every role-play in the conversation: the representative never says
   * a sentence twice in one role-play and never quotes words the user did not say.
   */
  roleplay_invariants: z.boolean().optional(),
  steps: z.array(step).min(1),
});

/** The representative's lines in a reply ("【speaker】line"), without the speaker. */
const repLines = (texts: readonly string[]): string[] =>
  texts.filter((t) => t.startsWith('【')).map((t) => t.replace(/^【[^】]*】/, ''));

/** The last rate a text names ("0.52%"), in percent. */
function lastRate(text: string): number | undefined {
  const rates = [...text.matchAll(/(\d+(?:\.\d+)?)\s*%/g)].map((m) => Number(m[1]));
  return rates[rates.length - 1];
}

const dir = join(__dirname, 'conversations');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('conversation tests (test/conversations/*.yaml)', () => {
  it('has conversation files', () => expect(files.length).toBeGreaterThan(5));

  for (const file of files) {
    const spec = conversation.parse(parse(readFileSync(join(dir, file), 'utf8')));
    it(`${file}: ${spec.name}`, async () => {
      const storage = new MemoryStorage();
      let chat: TestChat = await testChat({ storage, lang: spec.lang });
      const offers = new Map<string, number>();
      // Within the role-play running: what the user said and the representative's sentences.
      let userLines: string[] = [];
      let repSaid = new Set<string>();
      let prevMode: string | undefined;
      for (const [i, s] of spec.steps.entries()) {
        if ('restart' in s) {
          await chat.runtime.close();
          chat = await testChat({ storage, lang: spec.lang });
          continue;
        }
        const said = await chat.say(s.say);
        const summary = said.turn.summary;
        const where = `${file} step ${i + 1} ("${s.say}")\nreply: ${said.text}\nsummary: ${JSON.stringify(summary)}`;
        const e = s.expect;
        const rep = repLines(said.texts);
        try {
          if (summary?.mode === 'roleplay' && prevMode !== 'roleplay') {
            // A new scene starts a new record.
            userLines = [];
            repSaid = new Set();
          }
          prevMode = summary?.debrief ? undefined : summary?.mode;
          if (spec.roleplay_invariants && rep.length > 0) {
            userLines.push(s.say);
            for (const line of rep) {
              expect(inventedQuotes(line, userLines)).toEqual([]);
              for (const sentence of sentences(line)) {
                const key = sentence.replace(/\s+/g, '').toLowerCase();
                expect({ repeated: repSaid.has(key) ? sentence : null }).toEqual({ repeated: null });
                repSaid.add(key);
              }
            }
          }
          if (!e) continue;
          if (e.intent !== undefined) expect(summary?.intent).toBe(e.intent);
          if (e.stage) expect(summary?.stage).toBe(e.stage);
          if (e.mode) expect(summary?.mode).toBe(e.mode);
          if (e.lang) expect(summary?.lang).toBe(e.lang);
          if (e.script === 'traditional') expect(toSimplified(said.text)).not.toBe(said.text);
          if (e.script === 'simplified') expect(said.text).toBe(toSimplified(said.text));
          if (e.replies !== undefined) expect(said.texts).toHaveLength(e.replies);
          for (const part of e.reply_contains ?? []) expect(said.text).toContain(part);
          for (const part of e.reply_not_contains ?? []) expect(said.text).not.toContain(part);
          for (const action of e.actions_include ?? []) expect(said.actions).toContain(action);
          if (e.actions_include_one_of)
            expect(said.actions.filter((a) => e.actions_include_one_of?.includes(a))).not.toHaveLength(0);
          if (e.answers_number) expect(rep.join(' ')).toMatch(/\d/);
          if (e.rep_offer) {
            const offer = lastRate(rep.join(' '));
            expect(offer).toBeDefined();
            if (e.rep_offer.save_as) offers.set(e.rep_offer.save_as, offer!);
            if (e.rep_offer.equals) expect(offer).toBe(offers.get(e.rep_offer.equals));
            if (e.rep_offer.at_most) expect(offer).toBeLessThanOrEqual(offers.get(e.rep_offer.at_most)!);
          }
          if (e.debrief) {
            const d = summary?.debrief as
              { outcome: string; score: number; finalRate: number | null } | undefined;
            expect(d).toBeDefined();
            if (e.debrief.outcome) expect(d?.outcome).toBe(e.debrief.outcome);
            if (e.debrief.min_score !== undefined)
              expect(d?.score).toBeGreaterThanOrEqual(e.debrief.min_score);
            if (e.debrief.max_score !== undefined) expect(d?.score).toBeLessThanOrEqual(e.debrief.max_score);
            if (e.debrief.final_rate_is) {
              expect(offers.has(e.debrief.final_rate_is)).toBe(true);
              expect(d?.finalRate).toBe(offers.get(e.debrief.final_rate_is));
            }
            const skills = (d as unknown as { skills: Record<string, number> }).skills;
            for (const k of e.debrief.skills_zero ?? []) expect({ [k]: skills[k] }).toEqual({ [k]: 0 });
            for (const k of e.debrief.skills_credited ?? []) expect(skills[k]).toBeGreaterThan(0);
            if (e.debrief.firmer !== undefined)
              expect(((d as unknown as { firmer?: number }).firmer ?? 0) > 0).toBe(e.debrief.firmer);
            if (e.debrief.final_rate_between) {
              const [lo, hi] = e.debrief.final_rate_between;
              expect(d?.finalRate).toBeGreaterThanOrEqual(lo);
              expect(d?.finalRate).toBeLessThanOrEqual(hi);
            }
          }
        } catch (err) {
          (err as Error).message = `${where}\n\n${(err as Error).message}`;
          throw err;
        }
      }
      await chat.runtime.close();
    });
  }
});
