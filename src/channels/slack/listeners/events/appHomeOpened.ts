/** The App Home tab: the bot's home card (stage map, next actions, last debrief) as a view. */
import { HOME_EVENT } from '../../../../core/turn';
import { homeView, type HomeCard } from '../../blocks';
import type { Register } from '../types';

export const register: Register = (app, deps) => {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const replies = await deps.adapter.collect(event.user, HOME_EVENT, await deps.localeOf(event.user));
    const card = replies.map((r) => r.card).find((c) => c?.kind === 'home');
    if (!card) return;
    await client.views.publish({
      user_id: event.user,
      view: homeView(deps.runtime.deps.kb.texts, card as unknown as HomeCard),
    });
  });
};
