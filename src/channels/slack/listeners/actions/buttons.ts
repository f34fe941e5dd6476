/**
 * A click on one of the coach's buttons is the user's reply: its label goes to the bot as the
 * message, in the same channel and thread (or the user's DM for buttons on the App Home).
 *
 * A click on an ephemeral answer (one of /coach's in a channel) stays visible to the user alone:
 * it is answered ephemerally too, through the click's response_url — except a button that starts
 * a flow of several turns (a plan, a role-play …), which goes on in the DM, as /coach plan does.
 */
import { BUTTON_ACTION_PREFIX } from '../../blocks';
import { continueInDm } from '../inDm';
import type { Register } from '../types';

/** The coach's actions that start a flow of several turns. */
const FLOW_ACTIONS = new Set(['plan', 'roleplay', 'fee_calc', 'refusal']);

interface ButtonBody {
  user: { id: string };
  channel?: { id: string };
  container?: { is_ephemeral?: boolean };
  message?: { ts: string; thread_ts?: string };
  response_url?: string;
  actions: { value?: string }[];
}

export const register: Register = (app, deps) => {
  app.action(new RegExp(`^${BUTTON_ACTION_PREFIX}`), async ({ ack, body, respond }) => {
    await ack();
    const b = body as unknown as ButtonBody;
    const value = b.actions[0]?.value;
    if (!value) return;
    const user = b.user.id;
    const locale = await deps.localeOf(user);
    const onlyForUser = b.container?.is_ephemeral === true && b.response_url !== undefined;
    if (onlyForUser) {
      const target = deps.runtime.deps.kb.button(value);
      if (target?.kind === 'action' && FLOW_ACTIONS.has(target.id)) {
        await continueInDm(deps, { user, text: value, locale }, respond);
        return;
      }
    }
    await deps.adapter.handleMessage({
      user,
      channel: b.channel?.id ?? (await deps.dmWith(user)),
      text: value,
      threadTs: b.message?.thread_ts,
      messageTs: b.message?.ts,
      locale,
      ...(onlyForUser ? { respond } : {}),
    });
  });
};
