/**
 * A coach runtime for tests: the real bot, dialogs, NLU model and knowledge base, on an
 * in-memory store (or one the test passes), driven through the terminal adapter.
 */
import { TerminalAdapter, type TerminalTurn } from '../../src/channels/terminal/terminalAdapter';
import { replyActions } from '../../src/channels/terminal/render';
import type { Lang } from '../../src/knowledge/schema';
import { createLogger, type Logger } from '../../src/log/logger';
import { createRuntime, type CoachRuntime } from '../../src/runtime/createRuntime';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';

export interface Said {
  texts: string[];
  text: string;
  actions: string[];
  turn: TerminalTurn;
}

export interface TestChat {
  runtime: CoachRuntime;
  say(text: string): Promise<Said>;
  /** The user's state as stored. */
  storage: CoachStorage;
}

export async function testChat(
  options: { user?: string; lang?: Lang; storage?: CoachStorage; seed?: number; logger?: Logger } = {},
): Promise<TestChat> {
  const storage = options.storage ?? new MemoryStorage();
  const runtime = await createRuntime({
    storage,
    seed: options.seed ?? 1,
    logger: options.logger ?? createLogger({}, 'error'),
  });
  const adapter = new TerminalAdapter({ user: options.user ?? 'tester', forceLang: options.lang });
  return {
    runtime,
    storage,
    async say(text: string): Promise<Said> {
      const turn = await adapter.send(runtime.bot, text);
      const messages = turn.replies.filter((r) => r.type === 'message');
      const texts = messages.map((m) => m.text ?? '');
      const last = messages[messages.length - 1];
      return { texts, text: texts.join('\n'), actions: last ? replyActions(last) : [], turn };
    },
  };
}
