/** What every Slack listener needs: the adapter onto the bot runtime and a few helpers. */
import type { App } from '@slack/bolt';
import type { Logger } from '../../../log/logger';
import type { CoachRuntime } from '../../../app/createApp';
import type { SlackAdapter } from '../slackAdapter';

export interface ListenerDeps {
  runtime: CoachRuntime;
  adapter: SlackAdapter;
  logger: Logger;
  /** The user's Slack locale (cached), a hint for the reply language. */
  localeOf(user: string): Promise<string | undefined>;
  /** The DM channel between the coach and a user. */
  dmWith(user: string): Promise<string>;
}

export type Register = (app: App, deps: ListenerDeps) => void;
