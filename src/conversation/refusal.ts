/**
 * After Alipay said no (seed section 七): what kind of refusal the words describe, the layout of
 * the three paths for this user, and what to say next time — with the user's own numbers when
 * they gave them.
 */
import { formatMoney, formatRate, monthlyFee, round2 } from '../fees/feeMath';
import type { Issue, Lang } from '../knowledge/schema';
import { renderTopic } from '../knowledge/render';
import { normalizeText } from '../text/normalize';
import type { Facts, UserProfile } from '../state/profile';
import { labels, type CoachDeps } from './flow';
import type { Reply } from './types';

export type RefusalKind = NonNullable<Facts['refusalKind']>;
export type Branch = 'keep_talking' | 'seek_alternatives' | 'seek_mediation';
export const BRANCHES: readonly Branch[] = ['keep_talking', 'seek_alternatives', 'seek_mediation'];

const SILENT =
  /没(有)?(答复|回复|回音|下文|人理|消息|结果)|不(回|理)|石沉大海|拖着|一直等|no (reply|answer|response)|ignor|never (replied|answered|got back)|ghost|heard nothing|still waiting/i;
const PARTIAL =
  /只(给|能|肯|同意|答应|降)|最多|部分|一点点|还价|降到|offered|only (agreed|gave|offered|willing)|partial|counter|meet me|part of/i;
const ASKS_WHAT_NOW =
  /怎么办|咋办|如何是好|what (should|do|can) i do|what now|what next|how (should|do) i (handle|respond)/i;
const FLAT =
  /拒|不行|不同意|不给|不批|驳回|不能|没同意|no\b|refus|reject|declin|denied|turned down|won't|can't/;

/** What kind of refusal the words describe, if they say. */
export function refusalKind(text: string, rates: number[] | undefined): RefusalKind | undefined {
  const t = normalizeText(text).toLowerCase();
  if (SILENT.test(t)) return 'silent';
  if (PARTIAL.test(t) || (rates?.length ?? 0) > 0) return 'partial';
  // "被拒绝了怎么办" asks what to do after a refusal; it does not say what kind it was.
  if (ASKS_WHAT_NOW.test(t)) return undefined;
  return FLAT.test(t) ? 'flat' : undefined;
}

/** The refusal advice for this user: a consumer's fee refusal is not a merchant's rate refusal. */
export function refusalTopicId(profile: Pick<UserProfile, 'role' | 'issue'>): string {
  const issue = profile.issue ?? 'fees';
  return issue === 'fees' && profile.role === 'consumer' ? 'refusal.fees.consumer' : `refusal.${issue}`;
}

/** The sentence to say next, for each kind of refusal: ask for the reason and the decision-maker. */
export function keepTalkingScript(
  deps: CoachDeps,
  kind: RefusalKind | undefined,
  profile: UserProfile,
  lang: Lang,
): string {
  const { texts } = deps.kb;
  const f = profile.facts;
  if (kind === 'partial' && f.targetRate !== undefined && f.alipayOffer !== undefined) {
    return texts.t('refusal.script.trial', lang, {
      offer: formatRate(f.alipayOffer),
      target: formatRate(f.targetRate),
      middle: formatRate(round2((f.targetRate + f.alipayOffer) / 2)),
    });
  }
  return texts.t(`refusal.script.${kind ?? 'flat'}`, lang);
}

/**
 * The three paths, laid out at once; what is still unknown (the problem, the kind of refusal) is
 * asked in the same message, because the answer only sharpens the advice.
 */
export function refusalLayout(
  deps: CoachDeps,
  profile: UserProfile,
  kind: RefusalKind | undefined,
  lang: Lang,
): { reply: Reply; topic?: string } {
  const { kb } = deps;
  const { texts } = kb;
  const parts = [texts.t('refusal.head', lang)];
  let topicId: string | undefined;
  if (profile.issue) {
    const topic = kb.topic(refusalTopicId(profile));
    if (topic) {
      topicId = topic.id;
      parts.push(renderTopic(texts, topic, lang, (id) => kb.source(id)));
    }
  }
  if (kind)
    parts.push(`${texts.t('refusal.next_time', lang)}\n${keepTalkingScript(deps, kind, profile, lang)}`);
  const ask = !profile.issue ? (kind ? 'issue' : 'issue_kind') : kind ? undefined : 'kind';
  if (ask) parts.push(texts.t(`refusal.ask.${ask}`, lang));
  return {
    reply: {
      text: parts.join('\n\n'),
      actions: labels(
        deps,
        BRANCHES.map((b) => `action:${b}`),
        lang,
      ),
    },
    topic: topicId,
  };
}

/** Alternatives with the user's own numbers: what each 0.1 point and a competing quote are worth. */
export function feeComparison(
  deps: CoachDeps,
  profile: UserProfile,
  lang: Lang,
  proposed?: number,
): string | undefined {
  const { texts } = deps.kb;
  const {
    monthlyVolume: v,
    currentRate: now,
    competitorRate: other,
    alipayOffer: offer,
    peerRate: peer,
  } = profile.facts;
  if (v === undefined || now === undefined) return undefined;
  const money = (x: number): string => formatMoney(texts, x, lang);
  const nowFee = monthlyFee(v, now);
  const lines = [
    texts.t('refusal.compare.now', lang, {
      volume: money(v),
      rate: formatRate(now),
      fee: money(nowFee),
      per_tenth: money(monthlyFee(v, 0.1)),
    }),
  ];
  // Each rate on the table: what it would cost a month, and how much less than now.
  const against = (key: string, rate: number, name = 'rate'): string =>
    texts.t(`refusal.compare.${key}`, lang, {
      [name]: formatRate(rate),
      fee: money(monthlyFee(v, rate)),
      less: money(round2(nowFee - monthlyFee(v, rate))),
    });
  // The rate the user is weighing ("那我接受0.5%可以吗"), when it is not the offer itself.
  if (proposed !== undefined && proposed !== offer) lines.push(against('proposed', proposed));
  if (offer !== undefined) lines.push(against('offer', offer, 'offer'));
  if (other !== undefined) lines.push(against('competitor', other));
  if (peer !== undefined) lines.push(against('peer', peer));
  return lines.join('\n');
}

/** The branch a button or the words choose; with `strict`, only a button or "继续" counts. */
export function readBranch(
  actionId: string | undefined,
  text: string,
  intent: string | undefined,
  strict: boolean,
): Branch | undefined {
  if (actionId === 'keep_talking' || actionId === 'seek_alternatives' || actionId === 'seek_mediation')
    return actionId;
  if (!strict && intent === 'alternatives') return 'seek_alternatives';
  if (!strict && intent === 'mediation') return 'seek_mediation';
  if (/^(继续|再谈|再沟通|再试)|^(keep|try again|talk again|retry)/i.test(text.trim())) return 'keep_talking';
  return undefined;
}

export function issueFromAction(actionId: string | undefined): Issue | undefined {
  return actionId?.startsWith('issue_') ? (actionId.slice('issue_'.length) as Issue) : undefined;
}
