/**
 * Which language a reply is in: an explicit choice (channel-forced or the user's /lang) wins,
 * then the message's own language, then the last language the user wrote in, then the channel's
 * locale hint, then Chinese.
 */
import type { Activity } from 'botbuilder';
import { detectLang } from '../i18n/detectLang';
import type { Lang } from '../knowledge/schema';
import type { UserProfile } from '../state/profile';

/** Channel data a channel may set to force the reply language (the terminal's --lang). */
export interface CoachChannelData {
  coach?: { forceLang?: Lang };
}

export function forcedLang(activity: Partial<Activity>): Lang | undefined {
  const forced = (activity.channelData as CoachChannelData | undefined)?.coach?.forceLang;
  return forced === 'zh' || forced === 'en' ? forced : undefined;
}

export function localeLang(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  if (/^zh/i.test(locale)) return 'zh';
  if (/^en/i.test(locale)) return 'en';
  return undefined;
}

export function resolveLang(
  activity: Partial<Activity>,
  profile: UserProfile,
  text: string | undefined,
): Lang {
  return (
    forcedLang(activity) ??
    profile.lang ??
    (text ? detectLang(text) : undefined) ??
    profile.lastLang ??
    localeLang(activity.locale) ??
    'zh'
  );
}
