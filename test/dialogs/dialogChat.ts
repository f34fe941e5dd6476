/**
 * The harness the dialog tests share: the real CoachBot from createRuntime on botbuilder's
 * TestAdapter, with an in-memory store, errors-only logging and a fixed seed.
 *
 * Why not DialogTestClient on each dialog: every dialog reads the turn's info (language, NLU
 * reading, the masked text) through getTurnInfo(), which only CoachBot sets, and the user's
 * profile (stage, facts) is saved by CoachBot's commit of CoachState — DialogTestClient's
 * auto-save covers only its own ConversationState. Flow dialogs also need MainDialog as their
 * parent (switching flows replaces the child in it). Run alone, a dialog throws "turn info is
 * set by the bot before any dialog runs" on its first step; with the bot it runs as in
 * production.
 */
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { createLogger } from '../../src/log/logger';
import { createRuntime, type CoachRuntime } from '../../src/runtime/createRuntime';
import { getTurnSummary, type TurnSummary } from '../../src/runtime/turnInfo';
import { currentStage, type Stage } from '../../src/journey/stage';
import { newProfile, type UserProfile } from '../../src/state/profile';
import { MemoryStorage } from '../../src/storage/memoryStorage';

export interface Reply {
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
  adapter: TestAdapter;
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

function toReply(activity: Partial<Activity>): Reply {
  return {
    text: activity.text ?? '',
    actions: (activity.suggestedActions?.actions ?? []).map((a) => String(a.title ?? a.value ?? '')),
  };
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
  const runtime = await createRuntime({ storage, seed: 1, logger: createLogger({}, 'error') });
  let summary: TurnSummary | undefined;
  const adapter = new TestAdapter(async (context) => {
    await runtime.bot.run(context);
    summary = getTurnSummary(context);
  });
  // One named user per chat (the stage belongs to the user: CONTRACTS section 4).
  const userId = 'tester';
  adapter.conversation = TestAdapter.createConversation('dialog-tests', userId);
  let offered: string[] = [];

  const say = async (text: string): Promise<Turn> => {
    summary = undefined;
    adapter.activeQueue.splice(0);
    await adapter.receiveActivity(text);
    const replies = adapter.activeQueue
      .splice(0)
      .filter((a) => a.type === ActivityTypes.Message)
      .map(toReply);
    if (!summary) throw new Error(`the bot reported no summary for "${text}"`);
    offered = replies.flatMap((r) => r.actions);
    const last = replies[replies.length - 1];
    return { replies, text: replies.map((r) => r.text).join('\n'), actions: last?.actions ?? [], summary };
  };

  const storedProfile = async (): Promise<UserProfile | undefined> => {
    // TestAdapter activities come from the "test" channel: the identity is test:<id>.
    const key = `user/test:${userId}`;
    const record = (await runtime.storage.read([key]))[key] as { profile?: UserProfile } | undefined;
    return record?.profile;
  };

  return {
    adapter,
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
