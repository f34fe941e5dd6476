/**
 * `coach --json` (CONTRACTS section 2): one JSON object per input line, in order, each written
 * before the next line is read. Every line gets its object, even an empty or broken one.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TerminalAdapter } from '../channels/terminal/terminalAdapter';
import { replyActions } from '../channels/terminal/render';
import type { CoachRuntime } from '../runtime/createRuntime';

export interface JsonLine {
  input: string;
  replies: { text: string; actions: string[] }[];
  intent: string | null;
  confidence: number | null;
  entities: object;
  lang: string;
  mode: string;
  stage: string;
  debrief?: unknown;
}

export async function runJsonLines(
  runtime: CoachRuntime,
  adapter: TerminalAdapter,
  input: Readable,
  output: Writable,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const turn = await adapter.send(runtime.bot, line);
    const s = turn.summary;
    const out: JsonLine = {
      input: line,
      replies: turn.replies
        .filter((r) => r.type === 'message')
        .map((r) => ({ text: r.text ?? '', actions: replyActions(r) })),
      intent: s?.intent ?? null,
      confidence: s?.confidence ?? null,
      entities: s?.entities ?? {},
      lang: s?.lang ?? 'zh',
      mode: s?.mode ?? 'coach',
      stage: s?.stage ?? 'planning',
      ...(s?.debrief !== undefined ? { debrief: s.debrief } : {}),
    };
    await write(output, `${JSON.stringify(out)}\n`);
  }
}

/** Writes and waits for the stream to take it, so a slow reader never sees lines out of order. */
export function write(output: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => output.write(text, (err) => (err ? reject(err) : resolve())));
}
