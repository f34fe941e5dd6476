/** @mentions in channels are conversations with the coach; the mention itself is not the message. */
import type { Register } from '../types';

export const register: Register = (app, deps) => {
  app.event('app_mention', async ({ event }) => {
    if (!event.user || event.bot_id) return;
    const text = (event.text ?? '').replace(/<@[A-Z0-9]+>/g, '').trim();
    await deps.adapter.handleMessage({
      user: event.user,
      channel: event.channel,
      text,
      threadTs: event.thread_ts,
      messageTs: event.ts,
      locale: await deps.localeOf(event.user),
    });
  });
};
