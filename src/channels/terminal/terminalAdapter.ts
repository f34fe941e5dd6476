/**
 * The terminal channel: a Bot Framework adapter of our own (after the SDK's console sample).
 * It turns a line of text into a message activity, runs the bot, and hands back everything the
 * bot sent in that turn plus the turn's summary. It does no I/O itself; the interactive and JSON
 * front-ends decide how to read and print.
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ActivityHandler,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { Lang } from '../../knowledge/schema';
import type { CoachChannelData } from '../../runtime/lang';
import { getTurnSummary, type TurnSummary } from '../../runtime/turnInfo';

export const TERMINAL_CHANNEL = 'terminal';

export interface TerminalOptions {
  user: string;
  /** Forces the reply language (--lang). */
  forceLang?: Lang;
  /** The terminal's locale (from LANG), a hint for the very first welcome. */
  locale?: string;
}

export interface TerminalTurn {
  replies: Partial<Activity>[];
  summary: TurnSummary | undefined;
}

const REPLIES = Symbol('terminal.replies');

export class TerminalAdapter extends BotAdapter {
  private forceLang: Lang | undefined;

  constructor(private readonly options: TerminalOptions) {
    super();
    this.forceLang = options.forceLang;
  }

  /** /lang in the terminal also changes what this session forces. */
  setForcedLang(lang: Lang | undefined): void {
    this.forceLang = lang;
  }

  /** One user message through the bot. `text` may be anything a line can be, even invalid. */
  async send(bot: ActivityHandler, text: string): Promise<TerminalTurn> {
    return this.runTurn(bot, { type: ActivityTypes.Message, text });
  }

  /** The conversation opening: the bot may greet. */
  async open(bot: ActivityHandler): Promise<TerminalTurn> {
    return this.runTurn(bot, {
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: this.options.user, name: this.options.user }],
    });
  }

  private async runTurn(bot: ActivityHandler, partial: Partial<Activity>): Promise<TerminalTurn> {
    const activity = { ...this.reference(), ...partial, id: randomUUID(), timestamp: new Date() } as Activity;
    const context = new TurnContext(this, activity);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, (ctx) => bot.run(ctx));
    return { replies, summary: getTurnSummary(context) };
  }

  private reference(): Partial<Activity> {
    const channelData: CoachChannelData = this.forceLang ? { coach: { forceLang: this.forceLang } } : {};
    return {
      channelId: TERMINAL_CHANNEL,
      serviceUrl: 'terminal://local',
      // One conversation per user: quitting and starting again picks the conversation up.
      conversation: {
        id: `terminal:${this.options.user}`,
        isGroup: false,
        conversationType: 'personal',
        name: '',
      },
      from: { id: this.options.user, name: this.options.user },
      recipient: { id: 'coach', name: 'coach' },
      locale: this.options.locale,
      channelData,
    };
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as Partial<Activity>[] | undefined;
    return activities.map((activity) => {
      if (activity.type !== ActivityTypes.Typing && activity.type !== 'delay') replies?.push(activity);
      return { id: randomUUID() };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('the terminal cannot change a message already printed');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('the terminal cannot delete a message already printed');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
