/**
 * Holds a turn's outgoing messages until the turn's state is saved. If saving fails, the held
 * replies are dropped and only an apology goes out, so a user never reads a reply that claims
 * progress which was not stored. Typing indicators sent on their own pass straight through.
 *
 * What is held is the rest of each send — the later send handlers and the channel — not a copy
 * of the activities: flushing continues those sends where they stopped, instead of sending the
 * activities through the whole turn context a second time.
 */
import type { ResourceResponse, TurnContext } from 'botbuilder';

export class ReplyBuffer {
  private held: (() => Promise<ResourceResponse[]>)[] = [];
  private holding = true;

  constructor(context: TurnContext) {
    context.onSendActivities((_ctx, activities, next) => {
      if (!this.holding || activities.every((a) => a.type === 'typing')) return next();
      this.held.push(next);
      return Promise.resolve(activities.map((): ResourceResponse => ({ id: '' })));
    });
  }

  async flush(): Promise<void> {
    this.holding = false;
    const sends = this.held;
    this.held = [];
    for (const send of sends) await send();
  }

  discard(): void {
    this.held = [];
    this.holding = false;
  }
}
