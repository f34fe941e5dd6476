/**
 * A click on one of the coach's buttons is the user's reply: its label goes to the bot as the
 * message, in the same channel and thread (or the user's DM for buttons on the App Home). A
 * click on an ephemeral answer (one of /coach's in a channel) is answered ephemerally too,
 * through the click's response_url, so that exchange stays visible to the user alone.
 */
import { BUTTON_ACTION_PREFIX } from '../../blocks';
import type { Register } from '../types';

interface ButtonBody {
  user: { id: string };
  channel?: { id: string };
  container?: { is_ephemeral?: boolean };
  message?: { ts: string; thread_ts?: string };
  actions: { value?: string }[];
}

export const register: Register = (app, deps) => {
  app.action(new RegExp(`^${BUTTON_ACTION_PREFIX}`), async ({ ack, body, respond }) => {
    await ack();
    const b = body as unknown as ButtonBody;
    const value = b.actions[0]?.value;
    if (!value) return;
    const channel = b.channel?.id ?? (await deps.dmWith(b.user.id));
    const onlyForUser = b.container?.is_ephemeral === true && 'response_url' in body;
    await deps.adapter.handleMessage(deps.runtime.bot, {
      user: b.user.id,
      channel,
      text: value,
      threadTs: b.message?.thread_ts,
      messageTs: b.message?.ts,
      locale: await deps.localeOf(b.user.id),
      ...(onlyForUser ? { respond } : {}),
    });
  });
};
