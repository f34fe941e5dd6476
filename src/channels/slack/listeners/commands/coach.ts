/**
 * The /coach slash command: `/coach help | plan | roleplay [fees|security|service]
 * [easy|normal|hard] | status | progress | lang zh|en | reset | forget | link | end`. Each
 * subcommand is the coach's own command of the same name (`/coach status` is `/status`), so a
 * command the bot learns works in Slack at once; until then the bot says it does not know it.
 *
 * Acknowledged at once (Slack wants an answer within 3 s). Where the answer goes:
 * - typed in the user's DM with the coach: the DM conversation, as if typed there;
 * - typed anywhere else, a flow that takes several turns (plan, roleplay, calc) goes on in the
 *   user's DM, and the channel gets an ephemeral note saying so; `end` ends the role-play running
 *   in this channel's thread if there is one (its debrief goes to that thread), else the one in
 *   the DM; everything else is answered in the channel, ephemerally (only the user sees it),
 *   and clicks on those answers are answered the same way.
 */
import { isDirectMessage } from '../../slackAdapter';
import { continueInDm } from '../inDm';
import type { Register } from '../types';

/** Where a subcommand is answered when typed outside the user's DM with the coach. */
export type CommandPlace = 'here' | 'dm' | 'roleplay';

/** Subcommands that start a conversation of several turns: they go on in the DM. */
const IN_DM = new Set(['plan', 'roleplay', 'calc']);

/** /coach's words as the coach's own command, and where it is answered. */
export function coachCommand(text: string): { text: string; place: CommandPlace } {
  const [word = 'help', ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const sub = word.toLowerCase().replace(/^\//, '');
  const command = `/${sub} ${rest.join(' ')}`.trim();
  if (IN_DM.has(sub)) return { text: command, place: 'dm' };
  if (sub === 'end') return { text: command, place: 'roleplay' };
  return { text: command, place: 'here' };
}

export const register: Register = (app, deps) => {
  app.command('/coach', async ({ command, ack, respond }) => {
    await ack();
    const user = command.user_id;
    const here = command.channel_id;
    const locale = await deps.localeOf(user);
    const { text, place } = coachCommand(command.text ?? '');
    const handle = deps.adapter.handleMessage.bind(deps.adapter);

    // In the user's DM with the coach, a command is a message of that conversation.
    if (isDirectMessage(here) && here === (await deps.dmWith(user))) {
      await handle({ user, channel: here, text, locale });
      return;
    }
    if (place === 'here') {
      await handle({ user, channel: here, text, locale, respond });
      return;
    }
    if (place === 'roleplay') {
      const thread = await deps.adapter.roleplayThread(here, user);
      if (thread) {
        await handle({ user, channel: here, text, threadTs: thread, locale });
        return;
      }
    }
    await continueInDm(deps, { user, text, locale }, respond);
  });
};
