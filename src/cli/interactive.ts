/**
 * The interactive terminal chat (`coach`, `npm start`): a welcome, then a prompt; suggested
 * actions are numbered and typing the number picks one. /quit or end of input leaves.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TerminalAdapter, TerminalTurn } from '../channels/terminal/terminalAdapter';
import '../channels/terminal/cards';
import { renderActions, renderReply } from '../channels/terminal/render';
import type { CoachRuntime } from '../runtime/createRuntime';
import { write } from './jsonLines';

export interface InteractiveIo {
  input: Readable;
  output: Writable;
  /** A real terminal: line editing, arrow-key history, colours. */
  terminal: boolean;
}

const QUIT = /^\/(quit|exit|q)$/i;
const HISTORY_SIZE = 200;

export async function runInteractive(
  runtime: CoachRuntime,
  adapter: TerminalAdapter,
  io: InteractiveIo,
  forcedLang: boolean,
): Promise<void> {
  const rl = createInterface({
    input: io.input,
    output: io.output,
    terminal: io.terminal,
    historySize: HISTORY_SIZE,
    crlfDelay: Infinity,
  });
  // Take lines from now on, even those typed (or piped) while the welcome is being prepared.
  const lines = rl[Symbol.asyncIterator]();
  const dim = (s: string): string => (io.terminal ? `\x1b[2m${s}\x1b[0m` : s);
  let lastActions: string[] = [];

  const show = async (turn: TerminalTurn): Promise<void> => {
    for (const reply of turn.replies) {
      if (reply.type !== 'message') continue;
      const { text, actions } = renderReply(runtime.services.kb.texts, reply);
      await write(io.output, `\n${text}\n`);
      if (actions.length > 0) {
        lastActions = actions;
        await write(io.output, `${dim(renderActions(actions))}\n`);
      }
    }
    await write(io.output, '\n');
  };

  rl.setPrompt('› ');
  await show(await adapter.open(runtime.bot));
  rl.prompt();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const raw = next.value;
    const line = raw.trim();
    if (QUIT.test(line)) break;
    // A bare number picks one of the choices shown last.
    const choice = /^\d{1,2}$/.test(line) ? lastActions[Number(line) - 1] : undefined;
    const text = choice ?? raw;
    if (choice) await write(io.output, dim(`→ ${choice}\n`));
    const turn = await adapter.send(runtime.bot, text);
    const switched = /^\/lang\s+(zh|en)$/i.exec(text.trim());
    if (forcedLang && switched) adapter.setForcedLang(switched[1]?.toLowerCase() === 'en' ? 'en' : 'zh');
    await show(turn);
    rl.prompt();
  }
  rl.close();
}
