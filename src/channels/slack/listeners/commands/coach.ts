/**
 * The /coach slash command: help, plan, roleplay [scenario] [difficulty], status, lang zh|en,
 * reset. Acknowledged at once (Slack wants an answer within 3 s); the coach then answers in the
 * user's direct messages, or in the DM the command was typed in.
 */
import type { Register } from '../types';

/** /coach's words as the coach's own commands (CONTRACTS section 6). */
export function coachCommandText(text: string): string {
  const [sub = 'help', ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const args = rest.join(' ');
  switch (sub.toLowerCase()) {
    case 'plan':
      return '/plan';
    case 'roleplay':
      return `/roleplay ${args}`.trim();
    case 'status':
      return '/status';
    case 'lang':
      return `/lang ${args}`.trim();
    case 'reset':
      return '/reset';
    default:
      return '/help';
  }
}

export const register: Register = (app, deps) => {
  app.command('/coach', async ({ command, ack }) => {
    await ack();
    const channel = command.channel_id.startsWith('D')
      ? command.channel_id
      : await deps.dmWith(command.user_id);
    await deps.adapter.handleMessage(deps.runtime.bot, {
      user: command.user_id,
      channel,
      text: coachCommandText(command.text ?? ''),
      locale: await deps.localeOf(command.user_id),
    });
  });
};
