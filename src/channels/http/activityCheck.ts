/**
 * What `/api/messages` accepts: a Bot Framework activity whose fields the coach relies on have
 * the right types, from a channel the Bot Framework knows. Anything else is refused with 400 and a
 * short reason before it reaches the adapter — a loose activity must never become a 200 that did
 * nothing, nor a 500 that quotes an internal message. The channel id is checked against a closed
 * list because it becomes part of the user's identity, a rate-limit key and a metrics label.
 */
import { ActivityTypes, Channels, type Activity } from 'botbuilder';
import { z } from 'zod';

/** The Bot Framework's channels (its `Channels` list). `terminal` never arrives over HTTP. */
const BOT_FRAMEWORK_CHANNELS: ReadonlySet<string> = new Set<string>(Object.values(Channels));

const ACTIVITY_TYPES: ReadonlySet<string> = new Set<string>(Object.values(ActivityTypes));

const id = (max: number) => z.string().trim().min(1).max(max);
const account = z.looseObject({ id: id(256), name: z.string().max(256).nullish() });

const activitySchema = z.looseObject({
  type: z.string().refine((t) => ACTIVITY_TYPES.has(t), 'is not a Bot Framework activity type'),
  id: z.string().max(256).nullish(),
  channelId: z.string().refine((c) => BOT_FRAMEWORK_CHANNELS.has(c), 'is not a known Bot Framework channel'),
  serviceUrl: z.string().max(2048).nullish(),
  conversation: z.looseObject({ id: id(512) }),
  from: account,
  recipient: account.partial().nullish(),
  text: z.string().nullish(),
  locale: z.string().max(64).nullish(),
  deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).nullish(),
  replyToId: z.string().max(256).nullish(),
  name: z.string().max(256).nullish(),
  membersAdded: z.array(account).max(100).nullish(),
  membersRemoved: z.array(account).max(100).nullish(),
  channelData: z.unknown().optional(),
  attachments: z.array(z.unknown()).max(20).nullish(),
});

export type ActivityCheck = { ok: true; activity: Activity } | { ok: false; reason: string };

/** Checks a parsed request body; the reason names the first field that is wrong. */
export function checkActivity(body: unknown): ActivityCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'the body must be a Bot Framework activity (a JSON object)' };
  }
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data as unknown as Activity };
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? `activity.${issue.path.join('.')}` : 'activity';
  const problem =
    issue?.code === 'invalid_type' && issue.input === undefined
      ? 'is required'
      : (issue?.message ?? 'is invalid');
  return { ok: false, reason: `${field} ${problem}`.slice(0, 200) };
}
