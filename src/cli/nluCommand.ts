/** `coach nlu`: one NLU reading per input line (CONTRACTS section 1 and 3). No state, no store. */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { detectLang } from '../i18n/detectLang';
import { validateInput } from '../input/validateInput';
import type { Lang } from '../knowledge/schema';
import type { Nlu } from '../nlu/nlu';
import { write } from './jsonLines';

export async function runNluLines(nlu: Nlu, input: Readable, output: Writable, forced?: Lang): Promise<void> {
  let last: Lang = forced ?? 'zh';
  for await (const line of createInterface({ input, crlfDelay: Infinity, terminal: false })) {
    const check = validateInput(line);
    if (!check.ok) {
      await write(
        output,
        `${JSON.stringify({ text: line, lang: last, intent: null, confidence: null, entities: {}, error: check.problem })}\n`,
      );
      continue;
    }
    const lang = forced ?? detectLang(check.text) ?? last;
    last = lang;
    const r = nlu.analyze(check.text, lang);
    await write(
      output,
      `${JSON.stringify({ text: line, lang: r.lang, intent: r.intent, confidence: r.confidence, entities: r.entities })}\n`,
    );
  }
}
