/**
 * Direct messages to the coach, and replies inside a role-play thread in a channel (which need
 * no @mention). Messages from bots — the coach itself included — are never answered.
 */
import type { Register } from '../types';

interface PlainMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
}

export const register: Register = (app, deps) => {
  app.message(async ({ message }) => {
    const m = message as unknown as PlainMessage;
    if (m.subtype !== undefined || m.bot_id || !m.user || typeof m.text !== 'string') return;
    const isDm = m.channel_type === 'im';
    const inRoleplayThread =
      !isDm &&
      m.thread_ts !== undefined &&
      (await deps.adapter.isRoleplayThread(m.channel, m.user, m.thread_ts));
    // In channels the coach answers @mentions (app_mention), and role-play threads.
    if (!isDm && !inRoleplayThread) return;
    if (!isDm && /<@[A-Z0-9]+>/.test(m.text)) return; // the app_mention listener has it
    await deps.adapter.handleMessage({
      user: m.user,
      channel: m.channel,
      text: m.text,
      threadTs: m.thread_ts,
      messageTs: m.ts,
      locale: await deps.localeOf(m.user),
    });
  });
};
