/**
 * The Bot Framework side of the coach: a small ActivityHandler that hands each message, each
 * member joining and each event to the app, and sends the replies it gets back (after the app
 * saved the turn). Who the user is comes from the route (a stated identity), never from the
 * activity alone.
 */
import { ActivityHandler, type TurnContext } from 'botbuilder';
import type { AppInput, CoachApp } from '../../app/coachApp';
import { identityOf } from '../../identity/identity';
import { replyToActivity } from '../botframework/activities';

export class CoachActivityHandler extends ActivityHandler {
  constructor(private readonly app: CoachApp) {
    super();
    this.onMessage(async (context, next) => {
      await this.turn(context, 'message');
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      // Greet when someone other than the coach joins (Web Chat, Teams, the Emulator).
      if (added.some((m) => m.id !== context.activity.recipient?.id)) await this.turn(context, 'join');
      await next();
    });
    this.onEvent(async (context, next) => {
      await this.turn(context, 'event');
      await next();
    });
  }

  private async turn(context: TurnContext, kind: AppInput['kind']): Promise<void> {
    const a = context.activity;
    const out = await this.app.turn({
      identity: identityOf(context),
      conversation: `${a.channelId}/${a.conversation.id}`,
      channel: 'botframework',
      channelId: a.channelId,
      kind,
      text: kind === 'message' ? (a.text as string | undefined) : undefined,
      name: a.name,
      locale: a.locale,
      // One sender, one limit, whatever channel id the activity names.
      limitKey: a.from?.id,
    });
    for (const reply of out.replies)
      await context.sendActivity(replyToActivity(this.app.deps.kb.texts, reply));
  }
}
