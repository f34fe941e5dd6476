/**
 * The interactive terminal chat (`coach`, `npm start`): a welcome, then a prompt; buttons are
 * numbered and typing the number picks one (the coach reads a bare number as the choice of its
 * latest menu). /quit or end of input leaves.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AppTurn } from '../app/coachApp';
import type { TerminalChannel } from '../channels/terminal/terminalChannel';
import '../channels/terminal/cards';
import { renderActions, renderReply } from '../channels/terminal/render';
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
  channel: TerminalChannel,
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
  let lastActions: readonly string[] = [];

  const show = async (turn: AppTurn): Promise<void> => {
    for (const reply of turn.replies) {
      const { text, actions } = renderReply(channel.texts, reply);
      await write(io.output, `\n${text}\n`);
      if (actions.length > 0) await write(io.output, `${dim(renderActions(actions))}\n`);
    }
    const last = turn.replies[turn.replies.length - 1];
    lastActions = last?.actions ?? [];
    await write(io.output, '\n');
  };

  rl.setPrompt('› ');
  await show(await channel.open());
  rl.prompt();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const raw = next.value;
    const line = raw.trim();
    if (QUIT.test(line)) break;
    // Echo which button a bare number picked (the coach itself maps it the same way).
    const choice = /^\d{1,2}$/.test(line) ? lastActions[Number(line) - 1] : undefined;
    if (choice) await write(io.output, dim(`→ ${choice}\n`));
    const turn = await channel.send(raw);
    const switched = /^\/lang\s+(zh|en)$/i.exec(line);
    if (forcedLang && switched) channel.setForcedLang(switched[1]?.toLowerCase() === 'en' ? 'en' : 'zh');
    await show(turn);
    rl.prompt();
  }
  rl.close();
}
