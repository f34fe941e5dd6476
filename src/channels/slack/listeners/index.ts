/** Every Slack listener, grouped by kind (one handler per file, each with a `register`). */
import type { App } from '@slack/bolt';
import { register as coachCommand } from './commands/coach';
import { register as appHomeOpened } from './events/appHomeOpened';
import { register as appMention } from './events/appMention';
import { register as message } from './events/message';
import { register as buttons } from './actions/buttons';
import type { ListenerDeps } from './types';

export function registerListeners(app: App, deps: ListenerDeps): void {
  message(app, deps);
  appMention(app, deps);
  appHomeOpened(app, deps);
  coachCommand(app, deps);
  buttons(app, deps);
}
