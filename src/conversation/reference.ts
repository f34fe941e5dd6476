/**
 * Questions about a named place or term: "can 12363 handle fees?", "那12315呢？", "what does
 * 我的客服 mean". The answer comes from knowledge/channels.yaml and knowledge/glossary.yaml, its
 * verdict first; an elliptical follow-up ("and 12315?") keeps the problem of the question before.
 */
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { Channel, GlossaryEntry } from '../knowledge/schema';
import { termKey } from '../knowledge/terms';
import { CHANNEL_ISSUES, type ChannelIssue, type Lang } from '../knowledge/vocabulary';

interface Named<T> {
  key: string;
  item: T;
}

/** Names longest first, so "人民银行投诉电话" wins over a shorter name inside it. */
const index = new WeakMap<KnowledgeBase, { channels: Named<Channel>[]; terms: Named<GlossaryEntry>[] }>();

function names(kb: KnowledgeBase): { channels: Named<Channel>[]; terms: Named<GlossaryEntry>[] } {
  let found = index.get(kb);
  if (!found) {
    const byLength = <T>(list: Named<T>[]): Named<T>[] => list.sort((a, b) => b.key.length - a.key.length);
    found = {
      channels: byLength(
        kb.channels.flatMap((c) => [...c.names.zh, ...c.names.en].map((n) => ({ key: termKey(n), item: c }))),
      ),
      terms: byLength(
        kb.glossary.flatMap((g) => [...g.terms.zh, ...g.terms.en].map((n) => ({ key: termKey(n), item: g }))),
      ),
    };
    index.set(kb, found);
  }
  return found;
}

/** Where a name stands in the text; Latin names and numbers must not be part of a longer word. */
function locate(text: string, key: string): number {
  let at = text.indexOf(key);
  const latin = /^[\w]/.test(key);
  while (at >= 0 && latin) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + key.length] ?? ' ';
    if (!/[\w]/.test(before) && !/[\w]/.test(after)) return at;
    at = text.indexOf(key, at + 1);
  }
  return at;
}

interface Mention<T> {
  item: T;
  before: string;
  after: string;
}

function mention<T>(list: Named<T>[], text: string): Mention<T> | undefined {
  for (const { key, item } of list) {
    const at = locate(text, key);
    if (at >= 0) return { item, before: text.slice(0, at), after: text.slice(at + key.length) };
  }
  return undefined;
}

const QUOTE_OPEN = `["“「『'‘]?\\s*`;
const QUOTE_CLOSE = `\\s*["”」』'’]?`;
const END = `[\\s?？!！.。~～]*$`;
/** Asking what a term means: the term is the thing asked about, not a word inside another question. */
const MEANING_BEFORE = new RegExp(
  `(?:^|[，,。\\s])(?:请问)?(?:什么(?:叫|是)|啥(?:叫|是)|何为|何谓)${QUOTE_OPEN}$|\\bwhat(?:'s| is| are| does| do)\\s+(?:a |an |the |this |that )?${QUOTE_OPEN}$|\\bmeaning of\\s+(?:the )?${QUOTE_OPEN}$|\\bexplain\\s+(?:the )?${QUOTE_OPEN}$`,
);
/** After a meaning prefix, nothing more is asked ("什么是花呗？", "what does 风控 mean?"). */
const BARE_AFTER = new RegExp(`^${QUOTE_CLOSE}(?:啊|呀|呢)?\\s*(?:mean|means|stand for|refer to)?${END}`);
/** The term first, then what it means ("我的客服是什么意思", "12378是干什么的"). */
const LEAD_BEFORE = /^\s*(?:请问|那|那么|所以|这个|这里的?|你说的)?\s*["“「『'‘]?$/;
const MEANING_AFTER = new RegExp(
  `^${QUOTE_CLOSE}(?:(?:是|指|是指)?(?:什么|啥)(?:意思|东西|玩意儿?|机构|部门|电话)?|(?:是)?干(?:什么|啥|嘛)(?:用)?的|是个?啥|是谁|这个词怎么理解)(?:啊|呀|呢|吗)?${END}`,
);

function asksMeaning(m: { before: string; after: string }): boolean {
  return (
    (MEANING_BEFORE.test(m.before) && BARE_AFTER.test(m.after)) ||
    (LEAD_BEFORE.test(m.before) && MEANING_AFTER.test(m.after))
  );
}

/** A question about a channel, not a report of having used it ("我打了12363"). */
const ASKS =
  /[?？吗呢]|能不能|能否|可不可以|可以|管不管|管用|有用|受理|处理|找.{0,4}(?:有用|行)|\b(?:can|could|does|do|will|would|is|should)\b|\bhandle|\bdeal with|\btake\b|\bhelp\b|\bwhat about\b|\bhow about\b/i;
/** Words around a channel's name that report having used it: "报警了", "打了12315", "I called 95188". */
const USED_AFTER = /^\s*(?:了|过了|过)(?![吗呢?？])/;
const USED_BEFORE =
  /(?:已经|已)?(?:打了|打过|去了|找了|找过|报了|投诉到了|投诉了)\s*$|(?:called|contacted|went to|reported (?:it |this |them )?to|filed (?:a report |a complaint )?with|complained to)\s*(?:the\s*)?$/i;
/** Nothing but the name and a connective: "and 12315?", "那12315呢", "what about 12315". */
const ELLIPSIS_BEFORE = /^\s*(?:and|what about|how about|or|那|那么|还有|换成|如果是|要是)?\s*$/i;
const ELLIPSIS_AFTER = /^\s*(?:呢|吗|也行吗|行不行|可以吗|也可以吗|then|instead)?[\s?？!！.。~～]*$/i;

const CREDIT = /花呗|借呗|信用购|huabei|jiebei|credit line/i;

export interface ChannelQuestion {
  channel: Channel;
  /** The problem asked about, when the message or the question before names one. */
  issue?: ChannelIssue;
}

export type Reference =
  { kind: 'term'; entry: GlossaryEntry } | ({ kind: 'channel'; meaning: boolean } & ChannelQuestion);

/**
 * Reads a question about a term or a channel. `issue` is the problem the message names
 * (entities), `lastIssue` the problem of the channel question before (for "and 12315?").
 */
export function readReference(
  kb: KnowledgeBase,
  text: string,
  issue: ChannelIssue | undefined,
  lastIssue: ChannelIssue | undefined,
): Reference | undefined {
  const key = termKey(text);
  const { channels, terms } = names(kb);
  const term = mention(terms, key);
  if (term && asksMeaning(term)) {
    return { kind: 'term', entry: term.item };
  }
  const channel = mention(channels, key);
  if (!channel) return undefined;
  const elliptical = ELLIPSIS_BEFORE.test(channel.before) && ELLIPSIS_AFTER.test(channel.after);
  // "报警了，支付宝能追回吗": the channel was used; the question is about something else.
  if (!elliptical && (USED_AFTER.test(channel.after) || USED_BEFORE.test(channel.before))) return undefined;
  const meaning = asksMeaning(channel);
  if (!elliptical && !meaning && !ASKS.test(key)) return undefined;
  const asked = CREDIT.test(key) ? 'credit' : issue;
  if (meaning) return { kind: 'channel', meaning, channel: channel.item };
  return {
    kind: 'channel',
    meaning,
    channel: channel.item,
    issue: asked ?? (elliptical ? lastIssue : undefined),
  };
}

export function isChannelIssue(value: string | undefined): value is ChannelIssue {
  return (CHANNEL_ISSUES as readonly string[]).includes(value ?? '');
}

/** The answer to a channel question: the verdict for the problem when one is known, else what it is. */
export function channelAnswer(kb: KnowledgeBase, q: ChannelQuestion, lang: Lang): string {
  const c = q.channel;
  const t = (key: string, vars?: Record<string, string>): string => kb.texts.t(key, lang, vars);
  const lines = q.issue
    ? [
        c.handles[q.issue][lang],
        c.before ? t('reference.first', { text: c.before[lang] }) : '',
        t('reference.how', { text: c.how[lang] }),
      ]
    : [
        c.what[lang],
        t('reference.how', { text: c.how[lang] }),
        c.before ? t('reference.first', { text: c.before[lang] }) : '',
      ];
  return lines.filter(Boolean).join('\n');
}

/** The meaning of a term, with a pointer to the channel it names when there is one. */
export function termAnswer(kb: KnowledgeBase, entry: GlossaryEntry, lang: Lang): string {
  const channel = entry.see ? kb.channel(entry.see) : undefined;
  const how = channel ? kb.texts.t('reference.how', lang, { text: channel.how[lang] }) : '';
  return [entry.meaning[lang], how].filter(Boolean).join('\n');
}
