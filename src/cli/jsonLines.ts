/**
 * `coach --json` (CONTRACTS section 2): one JSON object per input line, in order, each written
 * before the next line is read. Every line gets its object, even an empty or broken one.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import type { TerminalChannel } from '../channels/terminal/terminalChannel';

interface JsonLine {
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
  channel: TerminalChannel,
  input: Readable,
  output: Writable,
): Promise<void> {
  for await (const line of inputLines(input)) {
    const turn = await channel.send(line);
    const s = turn.summary;
    const out: JsonLine = {
      input: line,
      replies: turn.replies.map((r) => ({ text: r.text, actions: [...r.actions] })),
      intent: s.intent,
      confidence: s.confidence,
      entities: s.entities,
      lang: s.lang,
      mode: s.mode,
      stage: s.stage,
      ...(s.debrief !== undefined ? { debrief: s.debrief } : {}),
    };
    await write(output, `${JSON.stringify(out)}\n`);
  }
}

/** Writes and waits for the stream to take it, so a slow reader never sees lines out of order. */
export function write(output: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => output.write(text, (err) => (err ? reject(err) : resolve())));
}

/**
 * The lines of a UTF-8 stream. Only "\n" ends a line ("\r\n" too, its "\r" dropped): a lone
 * "\r" is part of the message, as readline would not have it (it splits there, making one
 * message two turns). A last line without "\n" is a line as well.
 */
async function* inputLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let end = pending.indexOf('\n');
    while (end !== -1) {
      yield stripCr(pending.slice(0, end));
      pending = pending.slice(end + 1);
      end = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending !== '') yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
