/**
 * Holds a turn's outgoing messages until the turn's state is saved. If saving fails, the held
 * replies are dropped and only an apology goes out, so a user never reads a reply that claims
 * progress which was not stored. Typing indicators pass straight through.
 */
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';

export class ReplyBuffer {
  private held: Partial<Activity>[] = [];
  private holding = true;

  constructor(private readonly context: TurnContext) {
    context.onSendActivities(async (_ctx, activities, next) => {
      if (!this.holding) return next();
      const pass = activities.filter((a) => a.type === 'typing');
      this.held.push(...activities.filter((a) => a.type !== 'typing'));
      if (pass.length > 0) await _ctx.adapter.sendActivities(_ctx, pass);
      return activities.map((): ResourceResponse => ({ id: '' }));
    });
  }

  async flush(): Promise<void> {
    this.holding = false;
    const out = this.held;
    this.held = [];
    if (out.length > 0) await this.context.sendActivities(out);
  }

  discard(): void {
    this.held = [];
    this.holding = false;
  }
}
