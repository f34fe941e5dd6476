/**
 * The user's home card (event "coach/home"): their stage map, the next actions, the last
 * role-play debrief and quick starts. Channels that have a home screen (Slack's App Home)
 * request it and render it their way; the bot does not know which channel asked.
 */
import type { TurnContext } from 'botbuilder';
import { currentStage } from '../journey/stage';
import { resolveLang } from '../runtime/lang';
import { say } from '../runtime/reply';
import { setTurnInfo } from '../runtime/turnInfo';
import type { CoachServices } from '../runtime/services';
import { drawStageMap, stageMapCard, stageName } from './stageText';

export const HOME_EVENT = 'coach/home';

export async function sendHome(services: CoachServices, context: TurnContext): Promise<void> {
  const { state, coaching, kb } = services;
  const { texts } = kb;
  const profile = await state.getProfile(context);
  const lang = resolveLang(context.activity, profile, undefined);
  setTurnInfo(context, { text: '', lang, nlu: null, answeredPrompt: false });
  const stage = currentStage(profile);
  const map = drawStageMap(texts, stageMapCard(texts, stage, lang), lang);
  const stageText = [
    texts.t('core.status_head', lang, { stage: stageName(texts, stage, lang) }),
    ...map,
  ].join('\n');
  const card = {
    kind: 'home',
    lang,
    title: texts.t('core.home_title', lang),
    stageText,
    actions: coaching.labels(coaching.stageRefs(profile), lang),
    quickStarts: coaching.labels(
      ['action:plan', 'action:roleplay', 'action:fee_calc', 'action:refusal'],
      lang,
    ),
    lastDebrief: profile.lastDebrief,
    lastDebriefTitle: texts.t(
      profile.lastDebrief ? 'core.home_last_practice' : 'core.home_no_practice',
      lang,
    ),
  };
  await say(context, stageText, [], card);
}

/** The opening of a conversation: a welcome, or "welcome back" with the stage for a returning user. */
export async function sendWelcome(services: CoachServices, context: TurnContext): Promise<void> {
  const profile = await services.state.getProfile(context);
  setTurnInfo(context, {
    text: '',
    lang: resolveLang(context.activity, profile, undefined),
    nlu: null,
    answeredPrompt: false,
  });
  await services.coaching.greet(context);
}
