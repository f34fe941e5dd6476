/** The App Home tab: the bot's home card (stage map, next actions, last debrief) as a view. */
import { HOME_EVENT } from '../../../../coach/home';
import { COACH_CARD } from '../../../../runtime/reply';
import { homeView, type HomeCard } from '../../blocks';
import type { Register } from '../types';

export const register: Register = (app, deps) => {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const replies = await deps.adapter.collect(
      deps.runtime.bot,
      event.user,
      HOME_EVENT,
      await deps.localeOf(event.user),
    );
    const card = replies
      .flatMap((r) => r.attachments ?? [])
      .find((a) => a.contentType === COACH_CARD && (a.content as { kind?: string }).kind === 'home');
    if (!card) return;
    await client.views.publish({
      user_id: event.user,
      view: homeView(deps.runtime.services.kb.texts, card.content as HomeCard),
    });
  });
};
