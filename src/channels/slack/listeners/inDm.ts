/**
 * Going on in the user's DM: for what starts a conversation of several turns from outside it
 * (`/coach plan` in a channel, a "Make a plan" click on an ephemeral answer). The message runs
 * in the DM, and the place it came from gets an ephemeral note saying so.
 */
import type { RespondFn } from '@slack/bolt';
import type { ListenerDeps } from './types';

export async function continueInDm(
  deps: ListenerDeps,
  message: { user: string; text: string; locale?: string },
  respond: RespondFn,
): Promise<void> {
  const channel = await deps.dmWith(message.user);
  const summary = await deps.adapter.handleMessage({ ...message, channel });
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: deps.runtime.deps.kb.texts.t('core.slack_continued_in_dm', summary.lang),
  });
}
