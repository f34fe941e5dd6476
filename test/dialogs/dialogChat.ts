/**
 * The harness the flow tests share: the real app from createApp, driven as a Bot Framework
 * channel user would drive it (identity `test:tester`), with an in-memory store, errors-only
 * logging and a fixed seed. Every reply and the turn's summary come back from the app.
 */
import { createApp, type CoachRuntime } from '../../src/app/createApp';
import type { TurnSummary } from '../../src/conversation/types';
import { createLogger } from '../../src/log/logger';
import { currentStage, type Stage } from '../../src/journey/stage';
import { newProfile, type UserProfile } from '../../src/state/profile';
import { MemoryStorage } from '../../src/storage/memoryStorage';

interface Reply {
  text: string;
  actions: string[];
}

export interface Turn {
  /** Every message the bot sent this turn, in order. */
  replies: Reply[];
  /** All reply texts joined, for "says … somewhere this turn". */
  text: string;
  /** The actions shown with the last message (what the user can click next). */
  actions: string[];
  /** What the bot reported for the turn: intent, mode, stage, lang, debrief. */
  summary: TurnSummary;
}

export interface DialogChat {
  runtime: CoachRuntime;
  say(text: string): Promise<Turn>;
  /**
   * Clicks a suggested action: fails unless the last turn offered that label, then sends the
   * label as the user's message (imBack buttons send their title, CONTRACTS section 2).
   */
  click(label: string): Promise<Turn>;
  /** The user's profile as stored after the last turn (what survives a restart). */
  storedProfile(): Promise<UserProfile | undefined>;
  /** The negotiation stage as stored (a new user is in `planning`). */
  storedStage(): Promise<Stage>;
  close(): Promise<void>;
}

export interface DialogChatOptions {
  /**
   * An existing store: a second chat on the same store is the same user after a restart of the
   * process (a new runtime, nothing shared but what was stored).
   */
  storage?: MemoryStorage;
}

export async function dialogChat(options: DialogChatOptions = {}): Promise<DialogChat> {
  const storage = options.storage ?? new MemoryStorage();
  const runtime = await createApp({ storage, seed: 1, logger: createLogger({}, 'error') });
  // One named user per chat (the stage belongs to the user: CONTRACTS section 4).
  const userId = 'tester';
  let offered: string[] = [];

  const say = async (text: string): Promise<Turn> => {
    const out = await runtime.app.turn({
      identity: `test:${userId}`,
      conversation: 'test/dialog-tests',
      channel: 'botframework',
      kind: 'message',
      text,
    });
    const replies = out.replies.map((r) => ({ text: r.text, actions: [...r.actions] }));
    offered = replies.flatMap((r) => r.actions);
    const last = replies[replies.length - 1];
    return {
      replies,
      text: replies.map((r) => r.text).join('\n'),
      actions: last?.actions ?? [],
      summary: out.summary,
    };
  };

  const storedProfile = async (): Promise<UserProfile | undefined> => {
    // TestAdapter activities come from the "test" channel: the identity is test:<id>.
    const key = `user/test:${userId}`;
    const record = (await runtime.storage.read([key]))[key] as { profile?: UserProfile } | undefined;
    return record?.profile;
  };

  return {
    runtime,
    say,
    async click(label: string): Promise<Turn> {
      if (!offered.includes(label))
        throw new Error(`"${label}" was not offered; the last turn offered ${JSON.stringify(offered)}`);
      return say(label);
    },
    storedProfile,
    async storedStage(): Promise<Stage> {
      return currentStage((await storedProfile()) ?? newProfile());
    },
    close: () => runtime.close(),
  };
}

/** A fresh chat for every test of the file, handed to `use` before the test and closed after it. */
export function chatPerTest(use: (chat: DialogChat) => void): void {
  let current: DialogChat | undefined;
  beforeEach(async () => {
    current = await dialogChat();
    use(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}

/** Sends each line in turn and returns every turn. */
export async function conversation(chat: DialogChat, lines: string[]): Promise<Turn[]> {
  const turns: Turn[] = [];
  for (const line of lines) turns.push(await chat.say(line));
  return turns;
}
