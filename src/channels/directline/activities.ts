/**
 * What a Direct Line client may post, and what the log keeps of it and of the coach's replies.
 *
 * A posted activity is checked (type, field types and sizes) and rebuilt from the fields the
 * coach uses: its sender is always the token's user, whatever `from` the client wrote, and its
 * text is masked the way the bot masks it before anything stores it (phone, ID and card numbers,
 * passwords…): the echo a client sees and the log in Redis never hold them.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../../input/validateInput';
import { maskPii } from '../../privacy/pii';
import { JOIN_EVENT, WEBCHAT_CHANNEL, type BridgeTurn } from './bridge';
import type { WireActivity } from './conversationLog';

const BOT_ACCOUNT = { id: 'coach', name: '协商教练', role: 'bot' } as const;

const posted = z.looseObject({
  type: z.enum(['message', 'event', 'conversationUpdate', 'typing']),
  text: z.string().nullish(),
  textFormat: z.string().max(32).nullish(),
  name: z.string().max(128).nullish(),
  locale: z.string().max(64).nullish(),
  value: z.unknown().optional(),
  replyToId: z.string().max(256).nullish(),
  channelData: z.looseObject({ clientActivityID: z.string().max(128).nullish() }).nullish(),
});

export type PostedActivity = z.infer<typeof posted>;

export type PostCheck = { ok: true; activity: PostedActivity } | { ok: false; reason: string };

export function checkPosted(body: unknown): PostCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, reason: 'the body must be an activity (a JSON object)' };
  const parsed = posted.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? `activity.${issue.path.join('.')}` : 'activity';
  return { ok: false, reason: `${field} ${issue?.message ?? 'is invalid'}`.slice(0, 200) };
}

/** How the echo shows the user's text: masked, and no longer than the coach reads. */
function echoText(text: string): string {
  const masked = maskPii(text);
  const chars = [...masked];
  return chars.length > MAX_MESSAGE_CHARS ? `${chars.slice(0, MAX_MESSAGE_CHARS).join('')}…` : masked;
}

/** The posted activity as the log keeps it and every client sees it (the echo). */
export function userActivity(
  activity: PostedActivity,
  conversationId: string,
  userId: string,
  timestamp: Date,
): WireActivity {
  const clientActivityID = activity.channelData?.clientActivityID ?? undefined;
  const wire: WireActivity = {
    type: activity.type,
    timestamp: timestamp.toISOString(),
    channelId: WEBCHAT_CHANNEL,
    conversation: { id: conversationId },
    from: { id: userId, role: 'user' },
    recipient: { id: BOT_ACCOUNT.id, name: BOT_ACCOUNT.name, role: BOT_ACCOUNT.role },
    ...(clientActivityID ? { channelData: { clientActivityID } } : {}),
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
  if (activity.type === 'message') {
    wire.text = typeof activity.text === 'string' ? echoText(activity.text) : '';
    if (activity.textFormat) wire.textFormat = activity.textFormat;
  }
  // An event's value can be anything the client sent: the log keeps only its name.
  if (activity.type === 'event' && activity.name) wire.name = activity.name;
  return wire;
}

/** What the bridge runs for a posted activity; undefined for what runs no turn (typing). */
export function bridgeTurnOf(
  activity: PostedActivity,
  conversationId: string,
  identity: string,
): BridgeTurn | undefined {
  const base = { userId: identity, conversationId, locale: activity.locale ?? undefined };
  switch (activity.type) {
    case 'message':
      return { ...base, type: 'message', text: activity.text ?? '', value: activity.value };
    case 'conversationUpdate':
      return { ...base, type: 'join' };
    case 'event':
      if (activity.name === JOIN_EVENT) return { ...base, type: 'join' };
      return { ...base, type: 'event', name: activity.name ?? '', value: activity.value };
    default:
      return undefined;
  }
}

const REPLY_FIELDS = [
  'type',
  'text',
  'textFormat',
  'speak',
  'inputHint',
  'attachments',
  'attachmentLayout',
  'suggestedActions',
  'summary',
  'name',
  'value',
  'locale',
] as const;

/** A reply of the coach as the log keeps it: only fields a client shows, from the bot, in order. */
export function botActivity(
  reply: Partial<Activity>,
  conversationId: string,
  userId: string,
  replyToId: string | undefined,
  timestamp: Date,
): WireActivity {
  const wire: Record<string, unknown> = {};
  for (const field of REPLY_FIELDS) {
    const value = (reply as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) wire[field] = value;
  }
  return {
    ...wire,
    type: reply.type ?? 'message',
    timestamp: timestamp.toISOString(),
    channelId: WEBCHAT_CHANNEL,
    conversation: { id: conversationId },
    from: { ...BOT_ACCOUNT },
    recipient: { id: userId, role: 'user' },
    ...(replyToId ? { replyToId } : {}),
  };
}
