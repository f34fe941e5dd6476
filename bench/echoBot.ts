/**
 * The bare baselines' bot: a botbuilder ActivityHandler that echoes the message. Given a
 * conversation state, it also reads and saves the conversation's record every turn (a count of
 * its messages), as a bot that holds a conversation must.
 */
import { ActivityHandler, MessageFactory, type ConversationState } from 'botbuilder';

export class EchoBot extends ActivityHandler {
  constructor(state?: ConversationState) {
    super();
    const turns = state?.createProperty<number>('turns');
    this.onMessage(async (context, next) => {
      const n = turns ? ((await turns.get(context, 0)) ?? 0) + 1 : 1;
      if (turns) await turns.set(context, n);
      await context.sendActivity(MessageFactory.text(`Echo ${n}: ${context.activity.text ?? ''}`));
      await next();
    });
    if (state) {
      this.onDialog(async (context, next) => {
        await state.saveChanges(context);
        await next();
      });
    }
  }
}
