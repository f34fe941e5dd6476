/**
 * Who a user is (CONTRACTS section 9): the channel and the channel's user id, `slack:U123`,
 * `msteams:29:…`, `webchat:<id the server issued>`, `terminal:<--user>`. Two channels never share
 * a user because their ids happen to be equal; they share one only after the user links them.
 *
 * The coach's own transports (terminal, Slack through Bolt, the web chat's Direct Line) vouch for
 * their user ids. The Bot Framework route (`/api/messages`) takes its channel id from the activity,
 * so an activity there that names one of those transports' channels is kept in a namespace of its
 * own (`bf-slack:…`) — otherwise anyone able to post an activity could speak as a Slack user.
 */
import type { TurnContext } from 'botbuilder';

/** Channels whose user ids the coach's own transports issue or verify. */
const OWN_CHANNELS: ReadonlySet<string> = new Set(['terminal', 'slack', 'webchat']);

const IDENTITY = Symbol('coach.identity');

/** The identity of an activity received on the Bot Framework route. */
export function botFrameworkIdentity(channelId: string, fromId: string): string {
  return `${OWN_CHANNELS.has(channelId) ? `bf-${channelId}` : channelId}:${fromId}`;
}

/** A transport states whose turn this is (the Bot Framework route does, for every activity). */
export function setIdentity(context: TurnContext, identity: string): void {
  context.turnState.set(IDENTITY, identity);
}

/**
 * The identity this turn's activity comes from. Without a stated one, the activity's own channel
 * and sender: right for the terminal and Slack adapters, which build those activities themselves.
 */
export function identityOf(context: TurnContext): string {
  const stated = context.turnState.get(IDENTITY) as string | undefined;
  if (stated) return stated;
  const a = context.activity;
  return `${a.channelId ?? 'unknown'}:${a.from?.id ?? 'anonymous'}`;
}

/**
 * Records written before identities had a channel were keyed by the sender's id alone. Such a
 * record is taken over by the identity it can only have belonged to: a Slack user id (U…/W…) by
 * Slack, a Teams id (29:…) by Teams, and any id by the terminal (whoever runs it has the store in
 * hand anyway). Ids of other channels could be anyone's; their records stay where they are.
 */
export function adoptsLegacyRecord(identity: string): boolean {
  const colon = identity.indexOf(':');
  const channel = identity.slice(0, colon);
  const id = identity.slice(colon + 1);
  if (channel === 'terminal') return true;
  if (channel === 'slack') return /^[UW][A-Z0-9]+$/.test(id);
  if (channel === 'msteams') return id.startsWith('29:');
  return false;
}

/** The sender id part of an identity (what a legacy record was keyed by). */
export function senderIdOf(identity: string): string {
  return identity.slice(identity.indexOf(':') + 1);
}
