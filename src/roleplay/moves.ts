/**
 * What one user line in a role-play does, for the representative (repMachine.ts) and the debrief:
 * the skill model's reading (skillModel.ts — the six skills, the threat / insult / demand markers,
 * the dialogue act, the numbers and whether each is data or an ask) plus rules for the moves the
 * role-play turns on, where a wrong reading would be noticed at once:
 * - acceptance in any wording ("好，那就先这样试一个季度", "行吧就这样", "可以接受", "deal",
 *   "Great, I'm happy with that"), unless negated ("不能接受", "no deal") or asked as a question;
 * - rejection ("不行", "that's not enough"), a walk-away ("我再想想吧", "some other time"),
 *   and an ending of the practice itself inside a message ("算了，结束吧", "let's end this");
 * - the rate asked for (fees) and the direct questions asked (which documents, how long, the
 *   case number …), so that the representative answers them;
 * - a request to speak to someone senior (not a threat: a threat never earns a supervisor).
 * Nothing here is a keyword score for the debrief: the skills come from the model alone.
 */
import { TERM_IDS, type Lang, type Scenario, type TermId } from '../knowledge/vocabulary';
import { normalizeText } from '../text/normalize';
import { analyzeLine, loadSkillModel, SKILLS, type ActType, type Skill } from './skillModel';

/** A direct question: a term, or (fees) the rate on offer, why not, what to submit. */
export type Topic = TermId | 'rate' | 'why' | 'materials';

export interface NumberSaid {
  value: number;
  kind: 'rate' | 'amount' | 'count' | 'date' | 'other';
  role: 'data' | 'ask' | 'other';
  /** The number as the user wrote it (normalised: full-width digits as ASCII). */
  text: string;
  /** Said about someone else (a competitor's quote, a peer) or the user's own past. */
  attributed: boolean;
}

export interface UserMove {
  act: ActType;
  /** 0–1 per skill, 0 when not shown (the skill model). */
  skills: Record<Skill, number>;
  threat: boolean;
  insult: boolean;
  demand: boolean;
  accept: boolean;
  reject: boolean;
  /** Leaves the negotiation without a deal, in character ("我再想想吧", "I'm walking"). */
  walkAway: boolean;
  /** Ends the practice itself ("算了，结束吧", "let's end this"). */
  ends: boolean;
  /** Fees: the rate the user asks for, in percent. */
  ask?: number;
  numbers: NumberSaid[];
  /** What the user asks the representative directly. */
  topics: Topic[];
  question: boolean;
  /** Asks, without threatening, for someone senior. */
  supervisor: boolean;
  /** Says nothing but hello ("你好", "hi", "在吗"). */
  greeting: boolean;
}

/* ------------------------------------------------------------------------------------------------
 * Rules. Chinese patterns run on simplified text, English ones on lower-cased text.
 * ---------------------------------------------------------------------------------------------- */

const NEGATED_ACCEPT =
  /不(?:能|可以|可能|会|愿意|太能)?(?:接受|同意|答应)|没法(?:接受|同意)|接受不了|不行|不可以|不成|不好|没门|不干|凭什么|怎么可能|\b(?:no|not|never) (?:a )?deal\b|\bcan'?t (?:accept|agree|do|take)|\bcannot (?:accept|agree)|\bwon'?t (?:accept|agree|do)|\bnot (?:acceptable|enough|good enough|happy|ok|okay|fine)\b|\bunacceptable\b|\bno way\b|\bnot going to (?:accept|agree)|\b(?:don'?t|do not) (?:accept|agree)\b|\bdon'?t (?:think )?(?:we )?have a deal\b|\bnot what i (?:asked|wanted|meant|need)/;

/** A bare yes opening a sentence: "好", "行吧", "ok", "alright" — a yes only without a walk-away. */
const BARE_YES =
  /^(?:好|好的|好吧|好啊|行|行吧|行啊|可以|可以的|嗯|嗯嗯|ok|okay|sure|yes|yeah|yep|fine|alright|all right|great|perfect|good)(?:[，,。.!！~～ —-]|$)/;

/** Taking what is on the table, in the ways people say it. */
const ACCEPT =
  /可以接受|能接受|我接受|接受(?:这个|您的|你的|了|这)|我同意|同意(?:这个|您的|你的|了)|^同意|^成交|就这样(?:吧)?$|就这样定|就这么(?:定|办|着)|那就这么|就按(?:这个|您说的|你说的|刚才|这|\d)|按(?:这个|您说的|你说的|刚才说的)(?:来|办)|那就(?:先)?(?:这样(?:试|办|定|吧)|按|定|试|成交)|先这样试|成交|没问题|一言为定|说定了|就定了|(?:\d(?:\.\d+)?%?)就\d|\bdeal\b|\bi accept\b|\bi'?ll accept\b|\bi can accept\b|\baccept(?:ed)? (?:your|that|the|this)\b|\bhappy with (?:that|this|it)\b|\bworks for me\b|\bsounds (?:good|fair|great|fine)\b|\bthat'?s (?:fine|fair|ok|okay|acceptable|good|great|a deal)\b|\bfair enough\b|\bi'?ll take it\b|\blet'?s (?:go with|do it|do that|settle|lock|agree)\b|\bgo ahead\b|\bagreed\b|\bok(?:ay)?,? (?:then,? (?:let'?s|deal)|let'?s (?:do|go)|deal|that works|that'?s (?:fine|good|great))|\bit'?s a deal\b|\b(?:is )?fine by me\b|\bi agree\b|\bwe have a deal\b|\bshall we lock\b|\block (?:it|that) in\b|\b(?:i|we) can live with (?:that|this|it)\b|\bthat (?:will|'?ll) do\b|\byou(?:'ve)? (?:have|got) (?:a|yourself a) deal\b|可以的?[，,]?(?:就|那就)?(?:这样|这么)|这样(?:也)?(?:行|可以)/;

const REJECT =
  /不行|不可以|不能接受|接受不了|不接受|不同意|太高了|太少了|太慢了|不够|没诚意|不满意|这不行|免谈|凭什么|\bno\b(?! problem| worries)|not enough|too (?:high|low|slow|little|much)|\bunacceptable\b|i (?:can'?t|cannot|won'?t|don'?t) accept|i (?:reject|refuse)|not good enough|that'?s not (?:ok|okay|fair|acceptable)|\bnope\b/;

/** Leaving without a deal, in character. */
const WALK_AWAY =
  /再想想|回头再说|以后再说|改天再|下次再|先不谈|不谈了|没得谈|没什么好谈|谈不拢|我走人|走人|那就算了|算了吧|那也没办法|没办法了|有空再看|通知我一声|有(?:什么)?(?:优惠|消息|新政策).{0,8}(?:通知|告诉)我|\bthink about it\b|\bsome other time\b|\bmaybe later\b|\bleave it(?: there| as it is| for now)?\b|\bwe'?re done\b|\bi'?m walking\b|\bi'?m (?:leaving|out of here)\b|\bi'?ll leave\b|\bwalk away\b|\bno deal\b|\bnothing else to do\b|\bforget it\b|\bi'?ll pass\b|\bnot interested\b|\bwhen i have time\b|\bthat'?s all\b|^没有了|\blet me know if (?:any|anything|something)\b|\bkeep me posted\b|\bbelieve it when i see it\b/;

/** Ending the practice: an ending word as a clause of its own (CONTRACTS §8, "算了 结束吧"). */
const END_CLAUSE_ZH =
  /^(?:那|那就|好|好了|好吧|算了|行|行吧|我|今天|那今天)?[，, ]*(?:(?:先|就)?结束(?:吧|了|练习|这次练习|模拟|对话)?|不练了|不玩了|到此为止|停止练习|退出练习|结束练习|(?:今天)?(?:先|就)到这(?:里|儿)?(?:为止)?)(?:吧|了|啦)?$/;
const END_CLAUSE_EN =
  /^(?:ok(?:ay)?|so|well|alright|fine|then)?[, ]*(?:i think |maybe )?(?:let'?s |i'?m |i want to |i'd like to |we can |we should |please )?(?:call it a day|that'?s enough for (?:today|now)|end(?:ing)? (?:it|this|here|now|the (?:role-?play|practice|session|chat))|end|stop(?:ping)? (?:here|now|this|the (?:role-?play|practice))|stop|finish (?:here|this|the (?:role-?play|practice))|quit|i'?m done(?: here)?)(?: here| now| please)?$/;

const GREETING =
  /^(?:喂|嗨|哈喽|你好|您好|在吗|在不在|hi|hello|hey|hiya|are you there|anyone there|good (?:morning|afternoon|evening))(?:[，,。.!！?？~ ]*(?:你好|您好|在吗|there))?[，,。.!！?？~ ]*$/;

const QUESTION_MARK = /[?？]|吗[。.!！]*$|么[。.!！]*$|呢[。.!！]*$/;

const TOPICS: readonly [Topic, RegExp][] = [
  [
    'documents',
    /(?:什么|哪些|哪几样|啥|几样)(?:材料|资料|证明|文件|证件)|材料清单|需要(?:我)?(?:准备|提交|提供|上传)(?:什么|哪些|啥)|交(?:什么|哪些)|which documents|what documents|what (?:do|would|should) (?:i|you) need (?:to|from)|what paperwork|what (?:proof|evidence) do you need|what should i (?:send|submit|upload|prepare)|documents do you need/,
  ],
  [
    'deadline',
    /多久|多长时间|几天|多少天|什么时候(?:能|可以|会)?(?:解冻|恢复|解除|解封|有结果|出结果|处理好)|何时(?:解冻|恢复)|how long|how many (?:days|hours)|when (?:will|can|would) (?:it|my account|the (?:account|restriction|freeze)|i) (?:be )?(?:lifted|unfrozen|released|restored|back|get (?:it|the result|a result))|by when/,
  ],
  [
    'reason',
    /为什么(?:会|要)?(?:被)?(?:冻结|限制|封|冻)|(?:冻结|限制|封)的?原因|什么原因|原因是什么|原因呢|因为什么|凭什么(?:冻结|限制)|(?:知道|了解|说明|告诉我|解释)(?:一下)?(?:限制|冻结|封号)?的?原因|why (?:was |is |did |has )?(?:my|the) (?:account|balance)|\b(?:know|explain|tell me) the reason\b|why (?:was|is) it (?:frozen|restricted|blocked)|what(?:'s| is| was) the reason|the reason for/,
  ],
  [
    'channel',
    /怎么申诉|如何申诉|在哪(?:里|儿)?申诉|申诉(?:入口|渠道|通道|途径)|找谁|去哪(?:里|儿)?(?:申请|提交)|怎么(?:提交|申请解冻|解冻)|how (?:do|can|should) i (?:appeal|apply|get it (?:lifted|unfrozen)|submit)|where (?:do|can|should) i (?:appeal|submit|apply)|appeal (?:channel|process|link|page)|who do i (?:talk|speak|go) to/,
  ],
  [
    'release',
    /余额(?:能不能|可不可以|能|可以)?(?:先)?(?:转出|提现|取出|解冻|用|拿出|能不能|可不可以)|先(?:解冻|恢复|放开)(?:余额|转出|一部分)|把余额(?:先)?(?:转出|提现|取出)|(?:release|unfreeze) (?:the|my) (?:balance|money|funds)|access (?:to )?my (?:balance|money)/,
  ],
  [
    'case_number',
    /工单号|单号是多少|什么单号|编号是多少|受理号|案件号|投诉号|case number|ticket number|reference number|what(?:'s| is) the (?:ticket|case)/,
  ],
  [
    'reply_date',
    /什么时候(?:能|会)?(?:回复|答复|回电|给我(?:答复|回复|结果)|处理完|有答复)|多久(?:能)?(?:回复|答复|处理|有答复)|几号(?:前)?(?:回复|答复)|when (?:will|can|do|would) (?:you|i|someone) (?:reply|answer|call|get back|hear|get (?:an? )?(?:answer|reply|response|update))|when will (?:i|it) (?:hear|be (?:done|resolved|fixed))|when will (?:the|my) (?:money|refund|payment) (?:actually )?(?:arrive|come|be (?:back|refunded))|什么时候(?:能)?(?:到账|退回来)|多久(?:能)?到账|给我个时间|how much longer/,
  ],
  [
    'handler',
    /专人|谁(?:来)?(?:负责|跟进|处理)|负责人是谁|who(?:'s| is) (?:handling|responsible|in charge)|dedicated (?:person|handler|agent)|one person/,
  ],
  [
    'remedy',
    /(?:怎么|如何)(?:赔|补偿|解决|处理)|赔偿|补偿|给(?:个|什么)说法|退款(?:什么时候|多久|能不能)|compensat|make (?:it|this) right|what will you do|how will you (?:fix|resolve|solve)|what can you (?:do|offer)|refund (?:when|by)|when will (?:the|my) (?:money|refund) (?:actually )?(?:arrive|come)|(?:钱|退款)什么时候(?:能)?到账/,
  ],
  [
    'rate',
    /(?:能|可以|最多|最低)(?:降|给|调)?(?:到|给)?(?:多少|几个点)|最低(?:多少|能给|费率)|能给(?:到)?多少|费率(?:能|可以)?(?:是)?多少|what(?:'s| is) the (?:lowest|best|minimum)|how low (?:can|could)|what rate (?:can|could|would)|what can you (?:offer|give|do) (?:on|for) (?:the |my )?rate/,
  ],
  [
    'why',
    /为什么(?:不能|不行|降不了|不给|不可以|这么高)|凭什么(?:不|这么)|why (?:not|can'?t|won'?t|is it so high|so high)/,
  ],
  [
    'materials',
    /(?:什么|哪些)(?:材料|资料)|需要(?:我)?(?:提供|准备)(?:什么|哪些)|what (?:do|would) you need (?:from me|me to)|what (?:documents|paperwork)/,
  ],
];

/**
 * A rate put forward as terms ("what about a trial at 0.45%", "I'd take 0.5%", "先按0.45%试行",
 * "能不能给到0.5%"): an ask even where the number reader takes it for someone else's rate.
 */
const PROPOSES_RATE =
  /\b(?:what|how) about\b|\btrial (?:at|of)\b|\btry (?:it )?at\b|\bi'?d (?:take|accept|settle for|go with|do)\b|\bi (?:could|can|would) (?:take|accept|do|live with|settle for)\b|\b(?:could|can|would) you (?:do|go to|give me|offer|match)\b|\bmeet (?:me )?(?:at|in the middle at)\b|\bsettle (?:at|on|for)\b|\bbring (?:it|me) down to\b|\bcut (?:it|me) to\b|先按|按[^，,。]{0,6}试行|试行|能不能(?:给|按|降|调)|可不可以(?:给|按|降|调)|(?:给|降|调)到|我(?:可以|能)接受/;

/** A rate said to be someone else's ("隔壁的店拿到了0.45%", "Lakala quoted me 0.38%"): a precedent, not an ask. */
const OTHERS_RATE =
  /拿到(?:了)?|(?:给我)?报(?:了|价|的)|别家|同行|隔壁|人家|他们家|朋友|竞争|银联|拉卡拉|微信|\bquoted\b|\bgot\b|\bgets\b|\bpays?\b|\bpaying\b|\boffered (?:me|us|them)\b|\bcharges?\b|\bcompetitor|\bnext door\b|\bdown the (?:street|road)\b|\bother (?:provider|shops?|merchants?)\b|\bwechat\b|\bunionpay\b|\blakala\b/;

/** An ultimatum: "or else", "last chance", "否则我就…", "走着瞧". */
const ULTIMATUM =
  /\bor else\b|\blast chance\b|\bfinal warning\b|\byou'?ll regret\b|最后一次机会|最后通牒|否则(?:我|就|你们)|不然(?:我|就|你们)|后果自负|等着瞧|走着瞧/;

const SUPERVISOR =
  /(?:找|转|叫|请|换|让)(?:一下|个)?(?:给)?(?:你们|您|你)?(?:的)?(?:领导|主管|上级|经理|负责人|组长|专员)|(?:领导|主管|上级|负责人)(?:来|在吗|呢)|\b(?:speak|talk) (?:to|with) (?:your |a |the )?(?:supervisor|manager|someone senior|team lead|boss)|\b(?:escalate|pass) (?:this|it|me) (?:to|up)\b|\bget (?:me )?(?:your |a )?(?:supervisor|manager)\b|\bsomeone (?:more )?senior\b/;

/** The clause of a line around a position (between clause marks). */
function clauseAround(t: string, at: number): string {
  const before = t.slice(0, at).search(/[^，,。.!！?？;；]*$/);
  const after = t.slice(at).search(/[，,。!！?？;；]|\.(?!\d)/);
  return t.slice(before, after < 0 ? t.length : at + after);
}

/** Clauses of a message, for endings said inside a longer line. */
function clauses(t: string): string[] {
  return t
    .split(/[，,。.!！?？;；~～…\n]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * The user ends the practice: "结束", "end", "/end", or an ending said as a clause of its own in
 * a message ("算了，结束吧，跟你们没什么好谈的", "Forget it, let's end this."). A longer clause
 * that merely contains the word ("we can end this today if…") is a move, not an ending.
 */
export function endsRoleplay(text: string): boolean {
  const raw = text.trim();
  if (/^\/end$/i.test(raw)) return true;
  const t = normalizeText(raw).toLowerCase();
  return clauses(t).some((c) => END_CLAUSE_ZH.test(c.replace(/\s+/g, '')) || END_CLAUSE_EN.test(c));
}

/** Words around an ending that add nothing ("算了", "好吧", "forget it", "thanks"). */
const FILLER =
  /^(?:算了|好吧|好|行|行吧|那|嗯|唉|谢谢|谢谢您|不好意思|ok|okay|well|alright|fine|forget it|that'?s it|thanks|thank you|sorry|please)$/;

/** The message is an ending and nothing else ("结束", "算了 结束吧", "ok, let's stop here"). */
export function isOnlyEnding(text: string): boolean {
  if (/^\/end$/i.test(text.trim())) return true;
  const t = normalizeText(text.trim()).toLowerCase();
  const parts = clauses(t);
  return (
    parts.length > 0 &&
    parts.some((c) => END_CLAUSE_ZH.test(c.replace(/\s+/g, '')) || END_CLAUSE_EN.test(c)) &&
    parts.every(
      (c) =>
        END_CLAUSE_ZH.test(c.replace(/\s+/g, '')) ||
        END_CLAUSE_EN.test(c) ||
        FILLER.test(c.replace(/\s+/g, ' ')),
    )
  );
}

/** A bare greeting ("你好", "hi", "在吗?"). */
export function isGreeting(text: string): boolean {
  return GREETING.test(normalizeText(text.trim()).toLowerCase());
}

/** The topics a line asks about (for fees, a documents question is about the materials). */
function topicsOf(t: string, scenario: Scenario): Topic[] {
  const found = new Set<Topic>();
  for (const [topic, re] of TOPICS) if (re.test(t)) found.add(topic);
  if (scenario === 'fees') {
    for (const term of TERM_IDS) found.delete(term);
    return [...found];
  }
  found.delete('rate');
  found.delete('materials');
  if (found.has('why')) {
    found.delete('why');
    if (scenario === 'security') found.add('reason');
  }
  // A service user asking "how long" means the reply date; a security user means the review.
  if (scenario === 'service' && found.has('deadline')) {
    found.delete('deadline');
    found.add('reply_date');
  }
  if (scenario === 'security') {
    for (const term of ['case_number', 'reply_date', 'handler', 'remedy'] as const) found.delete(term);
  } else {
    for (const term of ['reason', 'documents', 'release', 'channel'] as const) found.delete(term);
  }
  return [...found];
}

/** A number as written, with its sign and unit ("0.6%", "¥2,300", "10万元", "3月12日"). */
function numberText(t: string, start: number, end: number): string {
  let s = start;
  let e = end;
  if (/[¥￥$]/.test(t.charAt(s - 1))) s--;
  const unit = /^(?:%|‰|万元|万|元|块钱|块|k\b| ?(?:rmb|yuan|cny)\b)/.exec(t.slice(e));
  if (unit && !t.slice(s, e).endsWith(unit[0])) e += unit[0].length;
  return t.slice(s, e).trim();
}

export interface MoveContext {
  /** Fees: the rate on the table, percent. */
  offer?: number | null;
  /** Fees: the user's current rate, percent: a rate at or above it is never an ask. */
  current?: number;
}

/** Reads one user line of a role-play. */
export function readMove(text: string, lang: Lang, scenario: Scenario, context: MoveContext = {}): UserMove {
  const analysis = analyzeLine(text, lang, scenario, { repOffer: context.offer ?? null });
  const features = loadSkillModel().features(text, scenario);
  const t = features.norm;
  // An ultimatum is a threat even where the model does not read one ("…or else, last chance").
  const threat = analysis.markers.threat > 0 || ULTIMATUM.test(t);
  const insult = analysis.markers.insult > 0;
  const hostile = threat || insult;

  const numbers: NumberSaid[] = features.numbers.map((n, i) => ({
    value: n.value,
    kind: n.kind,
    role: analysis.numbers[i]?.role ?? (n.ask ? 'ask' : 'other'),
    text: numberText(t, n.start, n.end),
    attributed: n.attributed,
  }));

  const question = QUESTION_MARK.test(t) || analysis.act.type === 'question';
  const negated = NEGATED_ACCEPT.test(t);
  // A yes counts in a sentence that is not itself a question ("Yes, let's go with that. Could you
  // send me the number?" accepts); a bare yes ("好吧，那也没办法") only without a walk-away.
  const statements = t
    .split(/(?<=[.!?。！？…])\s*/)
    .map((x) => x.trim())
    .filter((x) => x && !/[?？]$|吗[。.!！]*$/.test(x));
  const strong = statements.some((x) => ACCEPT.test(x));
  const bare = statements.some((x) => BARE_YES.test(x));
  const leaving = WALK_AWAY.test(t);
  let accept =
    !negated &&
    !hostile &&
    (strong || ((analysis.act.type === 'accept' || bare) && !leaving && !question && statements.length > 0));
  const reject = !accept && (analysis.act.type === 'reject' || REJECT.test(t) || negated);
  const ends = endsRoleplay(text);

  // Fees: the rate asked for. A rate the user only quotes (their current rate, a competitor's
  // quote) is not an ask; taking the rate on the table is an acceptance, not a counter.
  let ask: number | undefined;
  if (scenario === 'fees') {
    const others = (i: number): boolean => {
      const c = clauseAround(t, features.numbers[i]?.start ?? 0);
      return OTHERS_RATE.test(c) && !PROPOSES_RATE.test(c);
    };
    const asked = numbers.filter(
      (n, i) => n.kind === 'rate' && n.role === 'ask' && !n.attributed && !others(i),
    );
    const offer = context.offer ?? null;
    const bare = numbers.filter(
      (n, i) => n.kind === 'rate' && !n.attributed && n.role !== 'data' && !others(i),
    );
    const proposed = features.numbers
      .map((n, i) => ({ n, said: numbers[i] }))
      .filter(({ n, said }) => said?.kind === 'rate' && PROPOSES_RATE.test(clauseAround(t, n.start)))
      .map(({ said }) => said as NumberSaid);
    const asking = accept || analysis.act.type === 'counter' || analysis.act.type === 'propose';
    const candidates = asked.length ? asked : proposed.length ? proposed : asking ? bare : [];
    const values = candidates
      .map((n) => n.value)
      .filter((v) => v > 0 && v < 5 && (context.current === undefined || v < context.current - 1e-9));
    if (values.length) {
      const lowest = Math.min(...values);
      if (offer === null || Math.abs(lowest - offer) > 1e-9) ask = lowest;
    }
  }
  // "0.48 I can accept" with 0.52 on the table names a rate: a counter-offer at 0.48.
  if (ask !== undefined && context.offer !== null && context.offer !== undefined && ask < context.offer)
    accept = false;

  const walkAway = !accept && !ends && leaving && ask === undefined;
  // A question, or a request to be told ("我想知道原因", "please explain why").
  const asks =
    /告诉我|说一下|说明|解释|想知道|想了解|想问|请问|\btell me\b|\blet me know\b|\bexplain\b|\bi(?:'d| would)? (?:like|want|need) to know\b/;
  const topics = question || asks.test(t) ? topicsOf(t, scenario) : [];
  const act: ActType = ends ? 'end' : accept ? 'accept' : ask !== undefined ? 'counter' : analysis.act.type;
  const skills = {} as Record<Skill, number>;
  for (const s of SKILLS) skills[s] = analysis.skills[s];
  return {
    act,
    skills,
    threat,
    insult,
    demand: analysis.markers.demand > 0,
    accept,
    reject,
    walkAway,
    ends,
    ...(ask !== undefined ? { ask } : {}),
    numbers,
    topics,
    question,
    supervisor: !hostile && SUPERVISOR.test(t),
    greeting: isGreeting(text),
  };
}
