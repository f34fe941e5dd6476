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
  replies: z.number().optional(),
  debrief: z
    .strictObject({
      outcome: z.string().optional(),
      min_score: z.number().optional(),
      max_score: z.number().optional(),
      final_rate_between: z.tuple([z.number(), z.number()]).optional(),
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
  steps: z.array(step).min(1),
});

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
        if (!e) continue;
        try {
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
          if (e.debrief) {
            const d = summary?.debrief as
              { outcome: string; score: number; finalRate: number | null } | undefined;
            expect(d).toBeDefined();
            if (e.debrief.outcome) expect(d?.outcome).toBe(e.debrief.outcome);
            if (e.debrief.min_score !== undefined)
              expect(d?.score).toBeGreaterThanOrEqual(e.debrief.min_score);
            if (e.debrief.max_score !== undefined) expect(d?.score).toBeLessThanOrEqual(e.debrief.max_score);
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
