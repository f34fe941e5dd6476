/**
 * A coach for tests: the real app, flows, NLU model and knowledge base, on an in-memory store (or
 * one the test passes), driven through the terminal channel.
 */
import type { AppTurn } from '../../src/app/coachApp';
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import { TerminalChannel } from '../../src/channels/terminal/terminalChannel';
import type { Lang } from '../../src/knowledge/schema';
import { createLogger, type Logger } from '../../src/log/logger';
import type { CoachStorage } from '../../src/storage/coachStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';

export interface Said {
  texts: string[];
  text: string;
  actions: string[];
  turn: AppTurn;
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
  const runtime = await createApp({
    storage,
    seed: options.seed ?? 1,
    logger: options.logger ?? createLogger({}, 'error'),
  });
  const channel = new TerminalChannel(runtime.app, {
    user: options.user ?? 'tester',
    forceLang: options.lang,
  });
  return {
    runtime,
    storage,
    async say(text: string): Promise<Said> {
      const turn = await channel.send(text);
      const texts = turn.replies.map((r) => r.text);
      const last = turn.replies[turn.replies.length - 1];
      return { texts, text: texts.join('\n'), actions: last ? [...last.actions] : [], turn };
    },
  };
}
