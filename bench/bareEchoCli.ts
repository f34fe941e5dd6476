/**
 * The baseline for the cold-start benchmark: the bare Bot Framework runtime (botbuilder, an
 * ActivityHandler echo bot, a minimal adapter) answering the first line of stdin as one JSON
 * line — what `coach --json` does, minus the coach.
 */
import { createInterface } from 'node:readline';
import { BotAdapter, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { EchoBot } from './echoBot';

class LineAdapter extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];
  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return activities.map(() => ({ id: '' }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}
  run(activity: Partial<Activity>, logic: (c: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

const adapter = new LineAdapter();
const bot = new EchoBot();
void (async () => {
  for await (const line of createInterface({ input: process.stdin })) {
    adapter.sent.length = 0;
    await adapter.run(
      {
        type: 'message',
        text: line,
        channelId: 'bench',
        conversation: { id: 'c', isGroup: false, conversationType: '', name: '' },
        from: { id: 'u', name: 'u' },
        recipient: { id: 'b', name: 'b' },
      },
      (ctx) => bot.run(ctx),
    );
    process.stdout.write(
      `${JSON.stringify({ input: line, replies: adapter.sent.map((a) => ({ text: a.text })) })}\n`,
    );
  }
})();
