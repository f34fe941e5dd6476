/**
 * Property-based tests (fast-check) over the NLU, entity extraction and whole turns: arbitrary
 * Unicode, huge and empty input, control characters, JSON-looking and script-looking text. No
 * exception, exactly one answer per message, and the stored state still loads afterwards.
 */
import fc from 'fast-check';
import { INTENTS } from '../../src/knowledge/schema';
import { loadNlu } from '../../src/nlu/loadNlu';
import { extractEntities } from '../../src/nlu/entities';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { testChat } from '../helpers/runtime';

/** Text a hostile or careless user might send. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.json().map((j) => j.slice(0, 500)),
  fc.constantFrom(
    '',
    ' ',
    '\u0000\u0001\u0002',
    '\uD800',
    '<script>alert(1)</script>',
    '{"type":"message","text":"x"}',
    "'; DROP TABLE items; --",
    '${process.exit(1)}',
    '/'.repeat(50),
    '/lang',
    '/reset',
    '结束',
    '9'.repeat(300),
    '千分之'.repeat(100),
    '😀'.repeat(5000),
    'a'.repeat(4001),
  ),
  fc
    .array(
      fc.constantFrom('支付宝', '费率', '0.6%', '5万', 'fee', 'frozen', '\n', '\t', '🙂', '?', '千分之六'),
      { maxLength: 30 },
    )
    .map((a) => a.join('')),
);

describe('property: the NLU never fails', () => {
  const nlu = loadNlu();
  it('reads any text: a known intent, a confidence in [0, 1], well-formed entities', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const r = nlu.analyze(text, 'zh');
        expect(INTENTS).toContain(r.intent);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
        for (const v of Object.values(r.entities)) expect(v).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('extracts entities from any text without throwing, amounts and rates as finite numbers', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const e = extractEntities(text);
        for (const n of [...(e.amounts ?? []), ...(e.rates ?? [])]) expect(Number.isFinite(n)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: whole turns', () => {
  it('answers every message exactly once, never throws, and leaves loadable state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nasty, { minLength: 1, maxLength: 6 }), async (messages) => {
        const storage = new MemoryStorage();
        const chat = await testChat({ storage });
        for (const m of messages) {
          const said = await chat.say(m);
          expect(said.turn.summary).toBeDefined();
          expect(said.texts.length).toBeGreaterThanOrEqual(1);
          expect(said.text.length).toBeGreaterThan(0);
          // An internal failure would show as the apology; none may happen.
          expect(said.text).not.toMatch(/出了点问题|something went wrong/);
        }
        // The state written is still readable: a new process on the same store carries on.
        const items = (storage as unknown as { items: Map<string, { json: string }> }).items;
        for (const { json } of items.values()) expect(() => JSON.parse(json)).not.toThrow();
        await chat.runtime.close();
        const restarted = await testChat({ storage });
        const after = await restarted.say('我到哪一步了');
        // Written the same in both scripts, the question keeps the script the messages before set.
        expect(after.text).toMatch(/阶段|階段/);
        expect(after.texts.join('')).not.toMatch(/出了点问题|went wrong/);
        await restarted.runtime.close();
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
