/**
 * One turn of the conversation: `handleTurn(session, input, deps) → { session, replies, summary }`,
 * synchronous once the records are loaded. The policy, in order, for a message: input problems
 * and notices; commands (anywhere, also in the middle of a flow); a number answering the latest
 * menu; the flow in progress (with interruptions: "cancel", help, a clear change of subject);
 * otherwise buttons, progress reports and the NLU intent — answered from the knowledge base,
 * turned into a stage move, or handed to the flow that owns it.
 */
import { createActor } from 'xstate';
import {
  labels,
  type CoachDeps,
  type FlowEffect,
  type FlowEnv,
  type FlowEvent,
  type FlowId,
  type FlowOptions,
  type ProfilePatch,
} from '../conversation/flow';
import { PEER, applyCase, readCase } from '../casefile/caseFile';
import { caseLines, caseSummary } from '../conversation/caseSummary';
import { contractDebrief, lastDebriefReply, progressCard, progressReply } from '../conversation/roleplay';
import { feeComparison, keepTalkingScript, refusalTopicId, type Branch } from '../conversation/refusal';
import type {
  ConversationState,
  Reply,
  Session,
  StoredFlow,
  TurnInput,
  TurnResult,
  TurnSummary,
} from '../conversation/types';
import { newConversation } from '../conversation/types';
import { isCancel } from '../conversation/words';
import { detectLang } from '../i18n/detectLang';
import { deepToTraditional, scriptOf, toTraditional } from '../text/script';
import { cantoneseAsMandarin, toSimplified } from '../text/normalize';
import { validateInput, MAX_MESSAGE_CHARS } from '../input/validateInput';
import { canSend, sendJourneyEvent, type Transition } from '../journey/journey';
import type { JourneyEvent } from '../journey/journeyMachine';
import { NEXT_ACTIONS } from '../journey/nextActions';
import { detectProgress } from '../journey/progress';
import { currentStage, type Stage } from '../journey/stage';
import type { ButtonTarget } from '../knowledge/knowledgeBase';
import { renderTopic } from '../knowledge/render';
import { renderCase } from '../conversation/cases';
import type { Case, Channel, ChannelIssue, Intent, Issue, Lang, Template, Topic } from '../knowledge/schema';
import { ALIPAY_NAMED, SITUATION_SURE, SITUATION_SURE_OUT_OF_SCOPE } from '../nlu/situation';
import { SECTION_INTENTS } from '../knowledge/intents';
import type { ActDoc, ActEvent, NluResult } from '../nlu/types';
import { feeKindOf } from '../fees/feeKind';
import { readInstalment } from '../fees/instalment';
import { fnv1a } from '../util/hash';
import { formatMoney, formatRate } from '../fees/feeMath';
import { analyzeLine } from '../roleplay/skillModel';
import { parseCommand, type Command } from './commands';
import { drawStageMap, stageMapCard } from '../conversation/stageMap';
import { channelAnswer, isChannelIssue, readReference, termAnswer } from '../conversation/reference';
import { letterText } from '../conversation/letters';
import { newProfile, type UserProfile } from '../state/profile';
import { ANSWER_ANYTHING, FLOWS, FLOW_INTENTS } from './flows';

/** Words of a refusal, which an offer in the same message does not undo. */
const REFUSED_WORDS =
  /拒绝|驳回|不同意|没同意|不批|没批|(?<![a-z])(?:refus\w*|rejected|turned (?:me |it |us )?down|said no)(?![a-z])/i;

/** Below this, a reading of a message right after a case does not change the subject. */
const WEAK_AFTER_CASE = 0.35;
/** "What can I do now?", "那我现在怎么办": the next step, asked with nothing else. */
const WHAT_NOW =
  /^(?:so,? |ok,? |okay,? |and |then |hmm,? )?(?:what (?:can|should|do|could) (?:i|we) do(?: now| next| about (?:it|this|that))?|what now|now what|what next|what are my options(?: now)?|what'?s (?:my|the) next step|(?:那|所以)?(?:我)?(?:现在|接下来|下一步)?(?:该|能|可以|还能)?怎么办(?:好|才好)?(?:呢|啊)?|下一步(?:呢|做什么|怎么做)?)[?？!！。.…]*$/i;
/** A question whether to contact Alipay's support at all: "要不要找客服", "should I call them?". */
const CONTACT_ASK =
  /(?:交给|发给|寄给|给|找|问)谁|^(?:so |then |and )?who (?:do|should|can|must) i (?:send|give|show|contact|call|talk to|ask|write to|email)\b|(?:要不要|是不是要|是否要|需不需要|需要|该不该|应该|用不用|要)(?:去|先)?(?:找|联系|打给?|问问?)(?:一下)?(?:支付宝)?(?:的)?(?:客服|人工|95188)|^(?:so |then )?(?:do|should|must) i (?:first )?(?:contact|call|reach|message|talk to|email) (?:alipay|support|customer (?:service|support)|them|95188)\b/i;
/** A short question that only makes sense about what was just said: "how long will it take?", "要多久". */
const SHORT_FOLLOW_UP =
  /^(?:and |so |but )?(?:how long(?: will| does| would)?(?: it| this| that)?(?: take| last)?|how long (?:until|till|before|for) .{1,30}|(?:can|could) (?:i|we|they|you) (?:speed (?:it|this|that) up|make (?:it|this) (?:go )?faster|hurry (?:it|them) up|expedite (?:it|this))|能(?:不能)?(?:快点|快一点|加急|催一下)(?:吗|么)?|可以加急(?:吗|么)?|(?:那)?(?:要)?怎么(?:退|退款|退回来|要回来|拿回来|追回来?|申请|处理|弄|操作)(?:呢|啊)?|how (?:do|can|could) i (?:get (?:it|my money|a refund|them) back|get (?:it|this) refunded|fix (?:it|this|that)|cancel (?:it|this|that)|stop (?:it|this|that))|when will (?:it|this|that|they)\b.{0,20}|how much (?:will|would|does) (?:it|that) cost|why(?: is that| would they| did they)?|what if (?:they|it)\b.{0,25}|is (?:it|that) (?:normal|legal|safe|true|common)|(?:还)?要?多久(?:才|能|会|才能)?(?:好|解[封冻除]?|恢复|到账|处理|退回来?|回复|有结果)?|什么时候(?:才|能|会|才能)?(?:好|解[封冻除]?|恢复|到账|处理|退回来?|回复|有结果)?|为什么(?:会这样)?|这正常吗|这合法吗|正常吗|合法吗)[?？!！。.…]*$/i;
/** "still no reply", "一直没人回复": a contact that went unanswered. */
const NO_REPLY =
  /没(?:有)?人?(?:回复|答复|回音|回应|消息|动静|理)|不回复|石沉大海|(?<![a-z])(?:still no|no) (?:reply|answer|response|word)(?![a-z])|haven'?t (?:heard|had|got(?:ten)?) (?:back|a reply|an answer|anything)|nobody (?:replied|answered|got back)|(?:never|not) (?:replied|answered|got back)/i;
/** A ticket or support named: the silence reported is theirs. */
const TICKET_WORDS =
  /工单|客服|投诉|反馈|申诉|回复|答复|ticket|support|customer service|case number|complain|appeal|repl(?:y|ied)|answer/i;
/** "客服说…", "support told me…": what Alipay's side said, reported by the user. */
const SUPPORT_SAID =
  /(?<![跟对和给向同])(?:客服|人工|他们|对方|工作人员)(?:那边)?(?:说|回复|答复|回答|告诉我|让我|叫我|要我)|(?<![a-z])(?:support|they|the agent|customer service|the rep)(?: just)? (?:said|says|told me|replied|keeps? saying|asked me|wants? me|insists?|demand(?:s|ed)?)(?![a-z])/i;
/** Below this, a fee-calculation reading of a detail given after a case is not a request… */
const FOLLOW_UP_CALC = 0.6;
/** …unless it asks for a figure in words. */
const CALC_WORDS = /算|多少钱|多少手续费|(?<![a-z])(?:calculat\w*|work out|how much)(?![a-z])/i;

/** Reported events that are news of the negotiation itself. */
const NEGOTIATION_NEWS: readonly string[] = [
  'refused',
  'partial_offer',
  'agreed',
  'no_agreement',
  'no_reply',
];

/** A reading this sure of another topic is an interruption of a flow, not an answer to it. */
const INTERRUPT_CONFIDENCE = 0.8;
/** How sure the NLU must be of a problem intent before the coach files the user's issue under it. */
const LEARN_FROM_INTENT = 0.7;

export const HOME_EVENT = 'coach/home';

/** A message that opens by asking for a role-play ("role-play …", "模拟练习：…"). */
const EXPLICIT_ROLEPLAY =
  /^(?:(?:let'?s|can we|i want to|i'd like to)\s+)?(?:role-?\s?play|rehearse)\b|^(?:我想|我要|来)?(?:模拟练习|模拟一下|角色扮演)/i;

/** Actions that are simply a journey event. */
const ACTION_EVENTS: Record<string, JourneyEvent['type']> = {
  contacted: 'CONTACTED',
  demands_made: 'DEMANDS_MADE',
  agreed: 'AGREED',
  not_agreed: 'NO_AGREEMENT',
  back_to_table: 'BACK_TO_TABLE',
  switch_platform: 'SWITCH',
  restart: 'RESTART',
};

/** The topic that coaches each stage, when the user arrives in it. */
const STAGE_TOPIC: Record<Stage, (profile: UserProfile) => string> = {
  planning: () => 'steps.plan',
  first_contact: () => 'steps.first_contact',
  making_demands: () => 'steps.demands',
  compromise: () => 'steps.compromise',
  refused: (p) => refusalTopicId(p),
  alternatives: (p) => `alternatives.${p.role ?? 'merchant'}`,
  mediation: (p) => `mediation.${p.issue ?? 'service'}`,
  agreement: () => 'outcomes.agreement',
  no_agreement: () => 'outcomes.no_agreement',
};

/** A case reading this sure is answered even when the intent model reads something else. */
/** A refusal imagined, not met: "如果被拒绝怎么办", "what if they say no". */
const HYPOTHETICAL = /如果|要是|万一|假如|假设|会不会|\bif\b|\bin case\b|\bwould\b|\bmight\b/i;
/** A refusal that happened: "拒绝了", "被拒", "没通过", "they refused", "got rejected". */
const REFUSED =
  /(?:拒绝|驳回|回绝|不同意|不给|不批)了|被(?:拒|驳回|回绝)|没(?:有)?(?:通过|批|同意)|不通过|\b(?:refused|rejected|declined|turned (?:me |it )?down|said no)\b/i;
/**
 * A payment, card or transfer that failed ("扫码付款被拒绝了", "my visa keeps getting declined"):
 * an account problem, not Alipay turning down something the user asked for.
 */
const PAYMENT_DECLINED =
  /(?:付款|支付(?![宝寶])|付钱|扣款|交易|转账|绑卡|刷卡|扫码|充值|提现|信用卡|银行卡|外卡|卡)[^，。,.!！?？]{0,6}(?:被拒|被拦截|拦截|失败|拒绝|不成功|没成功)|\b(?:cards?|payments?|transactions?|charges?|purchases?|transfers?|top-?ups?|visa|mastercard)\b[^.!?]{0,30}\b(?:declined|rejected|refused|blocked|failed|fails)\b|\bdeclined\b[^.!?]{0,20}\b(?:card|payment)s?\b/i;
/** Below this the reader's likeliest case is a guess; a visitor's question then gets the start. */
const VISITOR_LIKELY = 0.05;
/** Where a visitor starts: registering, cards, what works. */
const VISITOR_START_CASE = 'visitor.getting_started';
/** The case of a payment turned down. */
const DECLINED_CASE = 'security.payment_declined';
/** A visitor's "what if it gets declined": their card or payment, whatever the words leave out. */
const VISITOR_DECLINED =
  /(?<![a-z])(?:declin\w*|fail\w*|rejected|won'?t work|doesn'?t work)(?![a-z])|被拒|失败|用不了|付不了/i;
/** …unless what was turned down is a request of the user's (an appeal, an application, a complaint). */
const REQUEST_WORDS =
  /申诉|申请|投诉|协商|要求|解冻|降(?:费|低|到)|费率|appeal|request|application|complain|unfreez|lower/i;
/**
 * Cases whose answer is a verdict ("it's a scam"): shown only when the message has a sign of
 * it — a third party, a demand for money or codes — so that Alipay's own checks ("Alipay wants
 * a selfie with my passport") are never called a scam.
 */
const VERDICT_WORDS: Record<string, RegExp> = {
  'security.unfreeze_scam':
    /冒充|自称|假|陌生|电话|来电|短信|链接|微信|QQ|解冻(?:费|中介|服务|师)|保证金|押金|安全账户|共享屏幕|屏幕共享|验证码|转账|转钱|打钱|交钱|收费|费用|花钱|付钱|骗|中介|代办|有人|对方|客服说|让我(?:转|付|交|下载)|网上|扣费|取消|说我|知道我|帮(?:忙|人|你)?解冻|代(?:为)?解冻|解冻(?:的)?(?:人|团队|服务)|\b(?:unfreez\w* (?:service|agent|team)|help(?:s|ed)? (?:me )?unfreeze|offer\w* to unfreeze|online|charged|cancel\w*|knew my|they (?:say|said|told)|insurance|claim(?:s|ed|ing)?|pretend\w*|someone|somebody|stranger|call(?:s|ed|er)?|phone|texts?|sms|messages?|links?|deposit|fees?|pay|paid|transfer|codes?|screen|scam\w*|fake|agents?|whatsapp|wechat|money)\b/i,
};
const VISITOR_WORDS =
  /外[国國]|老外|外籍|[护護]照|外卡|境外|海外|[国國]外|[游遊]客|旅[游遊]|留[学學]生|台[湾灣]|香港|澳[门門]|港澳|foreign|passport|tourist|visitor|visa|mastercard/i;
/** Below this a greeting or goodbye without its words is a misreading. */
const SOCIAL_SURE = 0.5;
const SOCIAL_WORDS =
  /你好|您好|嗨|哈喽|哈啰|在吗|早上好|早安|下午好|晚上好|再见|拜拜|回头见|谢谢|多谢|感谢|辛苦|好的|好吧|嗯|哦|行|ok|okay|\bhi\b|\bhello\b|\bhey\b|\bgood (?:morning|afternoon|evening)\b|\bbye\b|\bthanks?\b|\bthank you\b|\bcheers\b|\bsee you\b/i;
/** Below this, a reading of a message that only says who the person is is not a subject. */
const INTRO_DOUBT = 0.5;
/** A foreign visitor's most common problems, offered when they have only said who they are. */
const VISITOR_CHOICES = [
  'case:visitor.getting_started',
  'case:visitor.card_binding_failed',
  'case:visitor.card_fee',
  'case:visitor.english_support',
];
/** The buttons that ask which of the three problems it is. */
const ISSUE_CHOICES = ['action:issue_fees', 'action:issue_security', 'action:issue_service'];
/** The three problems of the seed, as intents. */
const PROBLEM_INTENTS: readonly Intent[] = ['fees', 'security', 'service'];
/** A second problem read this surely is offered after the answer to the first. */
const OTHER_PROBLEM = 0.5;
const CLAUSE_BREAK = /[，,。；;！!？?]|而且|另外|还有|并且|\band also\b|\balso\b|\bplus\b/i;
/** Long messages are read clause by clause only this far: a rant must not cost a read per line. */
const MAX_CLAUSES = 4;
/** Words without which a report of these events is a misreading. */
const EVENT_WORDS: Record<
  'police_report' | 'repaid' | 'agreed' | 'no_agreement' | 'escalated' | 'switched',
  RegExp
> = {
  agreed:
    /同意|答应|谈成|谈妥|批了|批准|通过了|降(?:到|了|下来)|给(?:我)?(?:降|优惠|解)|解(?:冻|封)了|恢复了|退(?:款|回|了)|赔(?:了|偿)|\bagreed\b|\bapproved\b|\baccepted\b|\bdeal\b|\blowered\b|\bgave me\b|\bunfrozen\b|\brestored\b|\brefunded\b|\bsorted\b|\bresolved\b/i,
  no_agreement:
    /没谈(?:拢|成|下来)|谈崩|不欢而散|没(?:有)?结果|放弃|不谈了|\bno deal\b|fell through|gave up|didn'?t work out|couldn'?t agree|no agreement|broke down/i,
  escalated:
    /12363|12315|12378|12348|投诉到|投诉了|调解|仲裁|起诉|法院|监管|黑猫|消协|消费者协会|escalat|regulator|mediat|court|arbitrat|complained to|filed a complaint|\bpboc\b|\bnfra\b/i,
  switched:
    /换成|换了|改用|转(?:到|去|用)|不用支付宝|微信|银行|聚合|\bswitched\b|moved to|changed to|now use|went with/i,
  police_report:
    /报警|报案|警察|警方|公安|派出所|立案|110|96110|\bpolice\b|\bcops?\b|reported (?:it|this|them) to/i,
  // "还款额", "最低还款" name a repayment, not one made.
  repaid:
    /还(?:清|完|上了)|已(?:经)?还(?:款|了)?|还款成功|还了(?![吗吧])|按时还|结清|\brepaid\b|paid (?:it |them |everything )?(?:back|off)|\bsettled\b/i,
};
/** "我一直按时还款", "I've never missed a payment": a good record, not a debt paid off. */
const ON_TIME =
  /一直(?:都)?按时还|按时还款的|从(?:来)?(?:没|不)(?:有)?逾期|没(?:有)?逾期过|(?<![a-z])(?:always (?:paid|repaid)|never (?:missed|been late|late)|paid on time|on time every)(?![a-z])/i;
/**
 * Someone who only claimed to be Alipay ("they said they were from Alipay", "自称支付宝客服"): a
 * call from them is a scam to answer, not the user's first contact with Alipay.
 */
const IMPERSONATED =
  /自称|冒充|假(?:的)?客服|假冒|说(?:是|自己是)(?:支付宝|蚂蚁|客服)|(?:saying|said|claim(?:ed|ing)?|pretend(?:ed|ing)?)(?: that)? (?:they|he|she|it)?(?:'re| are| were| was| is)? ?(?:to be )?(?:from |an? )?(?:alipay|ant|customer service|support)|\b(?:fake|scam(?:mer)?|impostor|impersonat\w*)\b/i;
/** Below this a seed-section reading of a statement right after a case is that case's story. */
const SECTION_DOUBT = 0.8;
/** Words of a question, however the act model reads the message ("借呗利息多少算高利贷"). */
const ASKS_SOMETHING =
  /[?？]|吗|呢|多少|怎么|什么|为什么|为啥|哪|是不是|能不能|可不可以|要不要|会不会|(?<![a-z])(?:what|how|why|when|where|which|who|can|could|should|would|is it|are there|do i|does)(?![a-z])/i;
/** A contact wanted, not made: "I need to talk to someone at Alipay", "我想联系人工". */
const CONTACT_WANTED =
  /(?<![a-z])(?:i need to|i want to|i'd like to|i have to|need to|want to|how (?:do|can|could) i|trying to|can'?t) (?:talk|speak|reach|contact|call|get (?:hold of|through|a human))|(?:想|要|需要|怎么|怎样|如何|得)(?:找|联系|打给|跟|和)(?:支付宝|客服|人工)/i;
/** Money already gone: "骗了2000", "已经转了", "they took 3000 from me". */
const LOST_TO_SCAM =
  /骗了|被骗|骗走|已经(?:付|转|交|给)了|转给(?:了)?(?:他|她|对方)|(?<![a-z])(?:scammed|cheated|conned|already (?:paid|sent|transferred)|took (?:my|\d)|lost \d|made me (?:pay|transfer|send)|paid (?:them|him|her|a|the|\d))(?![a-z])/i;
/** Cases about scammers posing as Alipay or as helpers: contact with them is not contact with Alipay. */
const SCAM_CASES = new Set(['security.unfreeze_scam', 'security.code_shared', 'credit.paid_agent']);
/**
 * An outcome (agreement, no agreement) read this weakly, in a message that is not surely a report
 * ("费率怎么谈下来", "余额宝的钱取不出来了"), is the message's subject misread: the stage moves only
 * on a report (CONTRACTS §4).
 */
const OUTCOME_DOUBT = 0.5;
/** A refusal read below this, in words that refuse nothing, is a misreading (see weakRefusal). */
const REFUSAL_DOUBT = 0.5;
/** How close (as a share of the outcome's) another reading of a question must be to be answered instead. */
const OUTCOME_CLOSE = 0.5;
/** The outcome intents (CONTRACTS §3). */
const OUTCOMES: ReadonlySet<string> = new Set(['agreement', 'no_agreement']);
/** Things only Alipay can do to an account, asked of the coach; the case that says how to get them done. */
const ACCOUNT_ACTIONS: { words: RegExp; case?: string }[] = [
  {
    words:
      /(?:帮我|给我|替我|你(?:能|可以)).{0,6}(?:解冻|解封|解除限制)|\b(?:unfreeze|unlock|unblock|lift)\b.{0,20}\b(?:my|the)\b/i,
    case: 'security.frozen_account',
  },
  {
    words:
      /(?:帮我|给我|替我|你(?:能|可以)).{0,6}退(?:款|钱)|\b(?:refund|give me back)\b.{0,20}\b(?:my|the)\b/i,
    case: 'fees.refund_missing',
  },
  {
    words: /(?:帮我|给我|替我|你(?:能|可以)).{0,6}(?:注销|销户)|\bclose\b.{0,20}\bmy\b.{0,10}\baccount\b/i,
    case: 'service.close_account',
  },
  {
    words:
      /(?:帮我|给我|替我|你(?:能|可以)).{0,6}(?:查|看|转账|转钱|提现|改|修改|找回|恢复|开通|关闭)|\b(?:check|look up|see|transfer|withdraw|reset|change|recover)\b.{0,20}\bmy\b.{0,15}\b(?:balance|account|money|password|payments?|orders?|transactions?)\b/i,
  },
];
/** Below this an act other than question or complaint is a guess the intent may overrule. */
const ACT_SURE = 0.6;
/** The intents a concrete situation of the case library may answer. */
const CASE_INTENTS: readonly Intent[] = [
  'fees',
  'security',
  'service',
  'mediation',
  'contact',
  'alternatives',
  'out_of_scope',
];

/** A document is asked for by name: a letter, an email, a script, an appeal ("征信" is not a 信). */
const DOCUMENT_WORDS =
  /(?<![征短微诚相自通确来])信(?![用息号誉任心卡])|邮件|函|模板|范文|草稿|申诉|投诉书|材料|话术|稿|写|letter|e-?mail|template|draft|script|appeal|write|wording/i;

/** "What should I say to them?", "我该怎么跟客服说": a request for the words to use. */
const WHAT_TO_SAY =
  /(?<![a-z])(?:what|how) (?:should|do|can|shall|would) (?:i|we) (?:say|tell|word|phrase)(?![a-z])|(?<![a-z])what (?:to|do i|should i) (?:say|tell them|tell alipay|tell support)(?![a-z])|(?:怎么|如何|该怎么|要怎么)(?:跟|和|对|向)[^，,。？?]{0,6}?(?:说|讲|开口|沟通)|(?:我|那我)?(?:该|应该|要)说(?:些)?什么|怎么开口/i;

/** "How/where do I complain", "我想投诉…", "去哪里举报": a request for the complaint ladder. */
const COMPLAIN_HOW =
  /^(?:我要|我想)?(?:投诉|举报|complain|complaint|file a complaint)[?？!！。.]*$|(?:怎么|如何|去哪|哪里|哪儿|找谁|能不能|可以|想|要|准备)(?:去)?(?:投诉|举报|维权|告)|投诉(?:渠道|电话|方式|流程)|\b(?:how|where|who)\b.{0,30}\b(?:complain|file a complaint|report (?:them|alipay|it))|\b(?:i want to|i'd like to|want to|going to|can i) (?:complain|file a complaint)/i;

/** Words of being charged: a visitor's "为什么多收了钱" is a fee question however it is read… */
const CHARGE_WORDS =
  /多收|收费|收了.{0,4}(?:钱|费)|扣(?:了|费|钱)|手续费|费用|(?<![a-z])(?:charged?|fees?|extra)(?![a-z])/i;
/** …unless the model is this sure of another reading. */
const FEE_DOUBT = 0.5;
/** A foreign visitor's usual fee: 3% on foreign-card payments above CNY 200. */
const VISITOR_FEE_CASE = 'visitor.card_fee';

/** Cases of a Huabei/Jiebei credit line or its arrears: a repayment conversation. */
const CREDIT_CASE = /^credit\.|^service\.reminder_after_repayment$/;
/** The case of negotiating the repayment of arrears. */
const REPAYMENT_CASE = 'credit.overdue_negotiation';
/** "每个月最多能还一千", "I can only afford 1000 a month": what the person can repay. */
const REPAY_ABILITY =
  /(?:能|可以|只能|最多|只够|每月|每个月|一个月)[^，,。？?]{0,6}还|还得(?:起|上)|(?<![a-z])(?:can|could) (?:only )?(?:afford|pay|repay|manage)|afford to (?:pay|repay)/i;
/** Why they cannot pay, by the words of the repayment script's blank. */
const HARDSHIP: [string, RegExp][] = [
  ['job', /失业|没(?:了)?工作|丢了工作|被裁|裁员|lost my job|unemployed|laid off|out of work/i],
  ['illness', /生病|住院|病了|手术|(?<![a-z])(?:ill|sick|illness|hospital\w*|surgery)(?![a-z])/i],
  [
    'income',
    /收入(?:下降|减少|少了|降了)|生意(?:不好|亏)|没(?:有)?收入|降薪|(?:income|salary|pay) (?:dropped|fell|cut|went down)|business (?:is )?(?:slow|failing)/i,
  ],
];

/** "我们也谈成了", "we got it too": the user's own deal, whoever else is named. */
/** The lender's demand to repay everything now: their no to instalments. */
const FULL_REPAYMENT =
  /一次性(?:还清|还完|结清|全部还)|全额还|(?:必须|只能)(?:全部)?还清|(?<![a-z])(?:pay|repay) (?:it |everything )?(?:all|in full|back in full|the (?:full|whole) (?:amount|balance))(?![a-z])/i;
/** Someone other than Alipay, as the subject of news: an agent, a stranger, "someone". */
const THIRD_PARTY =
  /有人|有个人|某人|中介|代理|第三方|律师事务所|法务公司|陌生人|(?<![a-z])(?:someone|somebody|a guy|an agent|agents|a company|a stranger|a lawyer|a law firm)(?![a-z])/i;
/** Words that name an outcome of the talks, agreed or not: without one, no outcome was reported. */
const OUTCOME_WORDS =
  /同意|答应|谈成|谈妥|谈拢|谈崩|谈下来|降了|降到|降下来|批了|批准|通过|成功|搞定|解决|达成|拒绝|不给|不肯|没戏|算了|失败|办好|办成|接受|定了|就这样|成交|兑现|没结果|没有结果|行吧|好吧|可以了|(?<![a-z])(?:agree\w*|deal|accept\w*|approv\w*|yes|settled|success\w*|worked|resolved|sorted|fixed|refus\w*|reject\w*|declin\w*|said no|fail\w*|gave up|give up|lower\w*|reduc\w*|cut|unfr[eo]\w*|restored|refunded|offer\w*|fine|ok|okay|done|nothing|no luck|went nowhere|outcome|result)(?![a-z])/i;
const OWN_DEAL =
  /我(?:们)?(?:也|已经|终于)?(?:谈成|谈妥|拿到|谈下来)|(?<![a-z])(?:i|we) (?:also |finally |just )?(?:got|agreed|settled|have got)(?![a-z])/i;
/** "那我接受0.5%可以吗", "should I take 0.5%?": whether to accept a rate. */
const SHOULD_ACCEPT =
  /(?:接受|答应|同意|签)[^，,。？?]{0,10}(?:可以吗|行吗|好吗|吗|合适吗|划算吗|值得吗)|(?:能不能|可不可以|该不该|要不要|应不应该|应该)(?:接受|答应|同意)|(?<![a-z])(?:should (?:i|we) (?:accept|take|agree to|settle for)|is it (?:ok|okay|worth it|a good idea|wise) to (?:accept|take|settle for)|do (?:i|we) (?:accept|take)|worth (?:accepting|taking))(?![a-z])/i;
/** The seed's step on compromise and closing a deal. */
const COMPROMISE_TOPIC = 'steps.compromise';
/** The seed's section on using cases and precedents. */
const PRECEDENT_TOPIC = 'strategy.cases';

/** The case of Huabei instalment fees: where an instalment sum in the person's numbers goes. */
const INSTALMENT_CASE = 'fees.huabei_service_fee';
const HUABEI = /花呗|huabei|check later/i;
/** A plan that is not Huabei's: a bank card's or a loan's terms are its lender's, not the Huabei case's. */
const NOT_HUABEI = /信用卡|银行|借呗|借了|借款|贷款|credit card|bank|jiebei|borrow|loan/i;

/** The case that answers a merchant's question about their rate. */
const RATE_QUESTION_CASE = 'fees.merchant_rate_high';

/** The case of the whole complaint ladder; "how do I complain?" gets it tailored to the problem. */
const LADDER_CASE = 'service.how_to_complain';

/** The case whose script answers "what do I say?" for each problem. */
const SCRIPT_CASE: Record<Issue, string> = {
  fees: 'fees.merchant_rate_high',
  security: 'security.frozen_account',
  service: 'service.how_to_complain',
};

const QUICK_STARTS = ['action:plan', 'action:roleplay', 'action:fee_calc', 'action:refusal'];

export function handleTurn(session: Session, input: TurnInput, deps: CoachDeps): TurnResult {
  return new Turn(session, input, deps).run();
}

class Turn {
  private readonly replies: Reply[] = [];
  private lang: Lang;
  private text = '';
  private reading: NluResult | null = null;
  /** The message answered a flow's question (the summary reports no intent then). */
  private answered = false;
  /** The user's role and case facts before this message was read (what it added is the difference). */
  private before?: Pick<UserProfile, 'role' | 'facts'>;
  /** The user confirmed /forget. */
  private forget = false;
  /** How many replies at the start are notices and warnings (not subject to neverTwice). */
  private notices = 0;
  private debrief: unknown;

  constructor(
    private readonly session: Session,
    private readonly input: TurnInput,
    private readonly deps: CoachDeps,
  ) {
    this.lang = this.resolveLang(undefined);
  }

  private get profile(): UserProfile {
    return this.session.user;
  }

  private get conversation(): ConversationState {
    return this.session.conversation;
  }

  run(): TurnResult {
    if (this.input.kind === 'join') this.greet();
    else if (this.input.kind === 'event') {
      if (this.input.name === HOME_EVENT) this.home();
    } else this.message(this.input.text ?? '');
    if (this.input.kind === 'message') this.neverTwice();
    const last = this.replies[this.replies.length - 1];
    if (this.input.kind !== 'event') {
      // A bare number answers only the buttons shown last (the welcome's too).
      if (last && last.actions.length > 0) this.conversation.menu = [...last.actions];
      else delete this.conversation.menu;
    }
    // Traditional characters in, traditional out (the buttons too: typed back, they still match).
    if (this.profile.traditional && this.lang === 'zh') {
      for (const [i, reply] of this.replies.entries()) this.replies[i] = deepToTraditional(reply);
    }
    return {
      session: this.session,
      replies: this.replies,
      summary: this.summary(),
      ...(this.forget ? { forget: true } : {}),
    };
  }

  // ---------------------------------------------------------------- language and summary

  /**
   * The reply language: one the channel forces, the user's explicit choice, the message's own
   * language, the last language the user wrote in, the channel's locale, Chinese.
   */
  private resolveLang(text: string | undefined): Lang {
    return (
      this.input.forceLang ??
      this.profile.lang ??
      (text ? detectLang(text) : undefined) ??
      this.profile.lastLang ??
      localeLang(this.input.locale) ??
      'zh'
    );
  }

  private summary(): TurnSummary {
    const reading = this.answered ? null : this.reading;
    return {
      intent: reading?.intent ?? null,
      confidence: reading ? reading.confidence : null,
      entities: this.reading?.entities ?? {},
      lang: this.lang,
      mode: this.mode(),
      stage: currentStage(this.profile),
      ...(this.debrief !== undefined ? { debrief: this.debrief } : {}),
    };
  }

  private mode(): string {
    const flow = this.conversation.flow;
    if (!flow) return 'coach';
    const def = FLOWS[flow.id as keyof typeof FLOWS];
    if (def?.mode) return def.mode;
    // "Drop this?" reports the flow it would drop.
    const suspended = (flow.snapshot as { context?: { suspended?: StoredFlow } } | undefined)?.context
      ?.suspended;
    return suspended ? (FLOWS[suspended.id as keyof typeof FLOWS]?.mode ?? 'coach') : 'coach';
  }

  // ---------------------------------------------------------------- replies

  private t(key: string, values?: Record<string, string | number>): string {
    return this.deps.kb.texts.t(key, this.lang, values);
  }

  /** A text in this channel's own form when it has one (Slack words commands as `/coach …`). */
  private channelText(key: string): string {
    const own = `${key}.${this.input.channel}`;
    return this.deps.kb.texts.has(own) ? this.t(own) : this.t(key);
  }

  private say(text: string, actions: readonly string[] = [], card?: Reply['card']): void {
    this.replies.push({ text, actions: [...actions], ...(card ? { card } : {}) });
  }

  private labels(refs: readonly string[]): string[] {
    return labels(this.deps, refs, this.lang);
  }

  private stageRefs(): readonly string[] {
    const refs = NEXT_ACTIONS[currentStage(this.profile)];
    // The stage's letter fits the user's problem: a rate request only for a fee problem.
    const issue = this.profile.issue;
    if (!issue || issue === 'fees') return refs;
    const letter = issue === 'security' ? 'template:appeal_letter' : 'template:complaint_letter';
    return refs.map((r) => (r === 'template:demand_email' ? letter : r));
  }

  // ---------------------------------------------------------------- a message

  private message(raw: string): void {
    const check = validateInput(raw);
    const text = check.ok ? check.text : '';
    // A command ("/status") says nothing about the user's language.
    const languageText = text.startsWith('/') ? '' : text;
    this.lang = this.resolveLang(languageText);
    const textLang = detectLang(languageText);
    if (textLang) this.profile.lastLang = textLang;
    const script = scriptOf(languageText);
    if (script === 'traditional') this.profile.traditional = true;
    // "商家也不理我" after traditional messages is written the same in both scripts: no change.
    else if (
      script === 'simplified' &&
      !(this.profile.traditional && toTraditional(languageText) === languageText)
    )
      delete this.profile.traditional;

    if (this.input.notice) this.say(this.t(`core.${this.input.notice}`));
    if (this.input.secrets?.some((k) => k === 'password' || k === 'verification_code')) {
      this.say(this.t('core.secret_warning'));
    }
    // Notices and warnings are said every time they apply; only what follows is the reply proper.
    this.notices = this.replies.length;
    if (!check.ok) {
      this.say(this.t(`core.input_${check.problem}`, { limit: MAX_MESSAGE_CHARS }));
      return;
    }
    // A bare number picks one of the buttons of the reply just before, and nothing older.
    const menu = this.conversation.menu;
    const picked = /^\d{1,2}$/.test(text.trim()) ? menu?.[Number(text.trim()) - 1] : undefined;
    // Everything after this point reads simplified characters (replies are converted back), and
    // written Cantonese as Mandarin ("點算好" is "怎么办好") — except a line to the role-play's
    // representative, which is quoted and scored as the user wrote it.
    const simplified = script === 'traditional' ? toSimplified(picked ?? text) : (picked ?? text);
    this.text = this.conversation.flow?.id === 'roleplay' ? simplified : cantoneseAsMandarin(simplified);
    this.reading = this.deps.nlu.analyze(this.text, this.lang);

    const command = parseCommand(this.text);
    if (command) {
      this.command(command);
      return;
    }
    // What the message tells about the case goes into the case file, except lines spoken in a
    // role-play scene (that is a rehearsal, not the user's case).
    if (!this.sceneInProgress()) {
      this.before = { role: this.profile.role, facts: { ...this.profile.facts } };
      applyCase(
        this.profile,
        readCase(
          this.text,
          this.reading,
          this.profile,
          this.input.now,
          isCorrection(this.text, this.reading),
        ),
      );
    }
    if (this.conversation.flow) this.continueFlow(this.conversation.flow);
    else this.route();
  }

  // ---------------------------------------------------------------- commands

  /** Commands work anywhere; one that leaves a flow running asks its question again. */
  private command(command: Command): void {
    // A command is not read as an intent (CONTRACTS section 2: intent null).
    this.answered = true;
    const running = this.conversation.flow;
    switch (command.name) {
      case 'reset':
        this.startFlow('reset', this.text);
        return;
      case 'forget':
        this.startFlow('forget', this.text);
        return;
      case 'flow': {
        // An explicit command is consent enough to leave what was running; a role-play left with
        // turns in it is still a rehearsal: it ends first, debriefed and kept.
        const scene = this.sceneInProgress();
        if (scene && running && scene.turns > 0) this.sendToFlow(running, 'flow.end');
        this.startFlow(command.intent, command.text);
        return;
      }
      case 'end':
        if (running?.id === 'roleplay') {
          this.answered = true;
          this.sendToFlow(running, 'flow.end');
          return;
        }
        this.say(this.t('core.no_roleplay_running'), this.labels(['action:roleplay']));
        break;
      case 'help':
        this.help();
        break;
      case 'status':
        this.status();
        break;
      case 'last_practice':
        this.say(...replyParts(lastDebriefReply(this.deps, this.profile.lastDebrief, this.lang)));
        break;
      case 'progress':
        this.say(...replyParts(progressReply(this.deps, this.profile, this.lang)));
        break;
      case 'again': {
        // The running scene's setting, else the last rehearsal's (the role-play flow reads it).
        const scene = this.sceneInProgress();
        // A scene left for another go is still a rehearsal: it ends first, debriefed and kept.
        if (scene && running && scene.turns > 0) this.sendToFlow(running, 'flow.end');
        this.startFlow('roleplay', '', {
          again: { harder: command.harder, scenario: scene?.scenario, difficulty: scene?.difficulty },
        });
        return;
      }
      case 'lang':
        if (!command.lang) {
          this.say(this.channelText('core.lang_usage'));
          break;
        }
        this.profile.lang = command.lang;
        this.lang = command.lang;
        this.say(this.t('core.lang_switched'), running ? [] : this.labels(this.stageRefs()));
        break;
      case 'link':
      case 'unknown':
        this.say(this.channelText('core.unknown_command'));
        break;
    }
    if (running && this.conversation.flow === running) this.sendToFlow(running, 'flow.reprompt');
  }

  // ---------------------------------------------------------------- flows

  private env(interruption = false): FlowEnv {
    return {
      lang: this.lang,
      channel: this.input.channel,
      text: this.text,
      reading: this.reading,
      profile: this.profile,
      deps: this.deps,
      now: this.input.now,
      interruption,
    };
  }

  private startFlow(id: FlowId, text: string, options?: FlowOptions): void {
    delete this.conversation.flow;
    this.runFlow(
      { id, v: FLOWS[id].version, snapshot: undefined },
      { type: 'flow.begin', env: this.env(), text, options },
    );
  }

  private sendToFlow(
    flow: StoredFlow,
    type: 'flow.reprompt' | 'flow.end' | 'user.message',
    interruption = false,
  ): boolean {
    return this.runFlow(flow, { type, env: this.env(interruption) } as FlowEvent);
  }

  /**
   * Runs one event through a flow's machine (restored from its snapshot, or new), keeps its
   * snapshot while it runs, and applies what it emitted. Returns whether the flow said the
   * message was not for it.
   */
  private runFlow(flow: StoredFlow, event: FlowEvent): boolean {
    const def = FLOWS[flow.id as keyof typeof FLOWS];
    if (!def || (flow.snapshot !== undefined && flow.v !== def.version)) {
      // Stored by another version of the flow: it cannot go on; the message is routed afresh.
      delete this.conversation.flow;
      return true;
    }
    const effects: FlowEffect[] = [];
    let actor;
    try {
      actor =
        flow.snapshot === undefined
          ? createActor(def.machine)
          : createActor(def.machine, { snapshot: flow.snapshot as never });
    } catch {
      // A snapshot this machine cannot restore: the flow is over, the message routed afresh.
      delete this.conversation.flow;
      return true;
    }
    let failure: unknown;
    // An error inside the machine is this turn's failure (the app apologises and saves nothing),
    // never an error reported later outside any request.
    actor.subscribe({ error: (err) => (failure = err) });
    actor.on('*', (e: FlowEffect) => effects.push(e));
    actor.start();
    actor.send(event);
    const snapshot = actor.getSnapshot();
    const persisted = snapshot.status === 'active' ? actor.getPersistedSnapshot() : undefined;
    actor.stop();
    if (failure !== undefined || snapshot.status === 'error')
      throw failure ?? new Error(`flow ${flow.id} failed`);
    if (persisted === undefined) delete this.conversation.flow;
    else this.conversation.flow = { id: flow.id, v: def.version, snapshot: persisted };
    let unhandled = false;
    for (const effect of effects) {
      if (effect.type === 'flow.unhandled') unhandled = true;
      else this.apply(effect);
    }
    return unhandled;
  }

  private apply(effect: Exclude<FlowEffect, { type: 'flow.unhandled' }>): void {
    switch (effect.type) {
      case 'flow.reply':
        this.replies.push(effect.reply);
        return;
      case 'flow.profile':
        applyPatch(this.profile, effect.patch);
        return;
      case 'flow.journey':
        this.move({ type: effect.event }, false);
        return;
      case 'flow.topic':
        this.shownTopic(effect.id);
        return;
      case 'flow.answer':
        this.answer(effect.intent, effect.text);
        return;
      case 'flow.action':
        this.action(effect.id);
        return;
      case 'flow.start':
        this.startFlow(effect.flow, effect.text, effect.options);
        return;
      case 'flow.resume':
        this.conversation.flow = effect.flow;
        if (!effect.answer || this.sendToFlow(effect.flow, 'user.message'))
          this.sendToFlow(effect.flow, 'flow.reprompt');
        return;
      case 'flow.debrief':
        this.debrief = effect.debrief;
        return;
      case 'flow.forget':
        this.forget = true;
        this.resetSession(false);
        return;
      case 'flow.clear':
        this.resetSession(true);
        return;
    }
  }

  /** A fresh record and conversation; `keepLang`: the explicit language choice stays. */
  private resetSession(keepLang: boolean): void {
    // After /reset the explicit language choice stays (they asked to start over, not to be asked
    // that again); after /forget nothing does.
    const lang = keepLang ? this.profile.lang : undefined;
    for (const key of Object.keys(this.profile))
      delete (this.profile as unknown as Record<string, unknown>)[key];
    Object.assign(this.profile, newProfile(), lang ? { lang } : {});
    for (const key of Object.keys(this.conversation))
      delete (this.conversation as unknown as Record<string, unknown>)[key];
    Object.assign(this.conversation, newConversation());
  }

  /**
   * A message while a flow waits for an answer. "Cancel" stops it; help and status are answered
   * and the question asked again; a confident reading of something else is answered (or, for
   * another flow, "drop this one?") and the question asked again; anything else is the answer.
   */
  private continueFlow(flow: StoredFlow): void {
    const def = FLOWS[flow.id as keyof typeof FLOWS];
    const state = (flow.snapshot as { value?: unknown } | undefined)?.value;
    // Inside a role-play scene every message is a move (ending phrases are the scene's own).
    const inScene = flow.id === 'roleplay' && (state === 'talking' || state === 'judging');
    if (!def || inScene || ANSWER_ANYTHING.includes(flow.id)) {
      this.answered = true;
      if (this.sendToFlow(flow, 'user.message') && !this.conversation.flow) {
        this.answered = false;
        this.route();
      }
      return;
    }
    if (isCancel(this.text)) {
      this.answered = true;
      delete this.conversation.flow;
      this.say(this.t('core.stopped'), this.labels(['action:help']));
      return;
    }
    const button = this.deps.kb.button(this.text);
    if (button?.kind === 'action' && (button.id === 'help' || button.id === 'status')) {
      if (button.id === 'help') this.help();
      else this.status();
      this.sendToFlow(flow, 'flow.reprompt');
      return;
    }
    const r = this.reading;
    const asks =
      (r?.act?.type === 'question' && r.act.confidence >= INTERRUPT_CONFIDENCE) ||
      this.wantsDocument() !== undefined ||
      // "They offered 0.55" is news of the negotiation, not a shop's name or a figure asked for,
      // except in the refusal flow, whose questions are about what Alipay said.
      (r?.act?.type === 'report' &&
        !r.act.negated &&
        r.act.confidence >= INTERRUPT_CONFIDENCE &&
        NEGOTIATION_NEWS.includes(r.act.event ?? 'other') &&
        !def.ownIntents.includes('refusal')) ||
      // "They said they'll get back to me by Friday" while the plan waits for a rate: news.
      this.newReplyDate();
    const other =
      r !== null &&
      (asks ||
        (r.confidence >= INTERRUPT_CONFIDENCE &&
          !def.ownIntents.includes(r.intent) &&
          r.intent !== 'out_of_scope' &&
          r.intent !== 'greet'));
    // A problem of its own, surely named ("my balance disappeared, 800 yuan gone" while the fee
    // sum waits for a monthly volume), is answered as that case, not taken for the figure asked.
    const s = r?.situation;
    const sureCase =
      def.ownIntents.length > 0 && s && (s.cue !== undefined || s.confidence >= SITUATION_SURE)
        ? this.deps.kb.caseById(s.id)
        : undefined;
    const newProblem =
      sureCase !== undefined && !def.ownIntents.includes(sureCase.intent) && this.fitsVisitor(sureCase);
    this.answered = true;
    const unhandled = newProblem || this.sendToFlow(flow, 'user.message', other);
    if (!unhandled) return;
    this.answered = false;
    if (!this.conversation.flow) {
      // The flow is over and the message was not for it: route it as if nothing ran.
      this.route();
      return;
    }
    const intent = r?.intent ?? 'out_of_scope';
    // "They said they can do 0.5%" while a flow waits is news of the talks, whatever intent the
    // words suggest (the intent model has read it as a refusal): heard, then back to the flow.
    const event = r?.act?.type === 'report' && !r.act.negated ? r.act.event : undefined;
    if (
      flow.id !== 'blanks' &&
      (((event === 'partial_offer' || event === 'agreed') &&
        (r?.act?.confidence ?? 0) >= INTERRUPT_CONFIDENCE &&
        this.report(event)) ||
        (this.newReplyDate() && this.promisedReply()))
    ) {
      if (this.conversation.flow === flow) {
        this.say(this.t('core.back_to_flow'));
        this.sendToFlow(flow, 'flow.reprompt');
      }
      return;
    }
    // Filling a letter's blanks is no work to lose: a message that is not an answer ("they
    // offered 0.55") is read as if nothing ran, another flow simply taking its place.
    if (flow.id === 'blanks') {
      delete this.conversation.flow;
      this.route();
      return;
    }
    if (FLOW_INTENTS.includes(intent)) {
      this.runFlow(
        { id: 'switch', v: FLOWS.switch.version, snapshot: undefined },
        {
          type: 'flow.begin',
          env: this.env(),
          options: { suspended: flow, next: { flow: intent as FlowId, text: this.text } },
        },
      );
      return;
    }
    const doc = this.wantsDocument();
    if (intent === 'goodbye') this.goodbye();
    else if (doc) this.document(doc);
    else if (newProblem) {
      this.profile.facts.situation = sureCase.id;
      this.showCase(sureCase);
    } else if (!this.reference()) this.answer(intent, this.text, false);
    this.say(this.t('core.back_to_flow'));
    this.sendToFlow(flow, 'flow.reprompt');
  }

  // ---------------------------------------------------------------- routing without a flow

  /** Learns the user's role and issue from what they said (entities, and the problem intents). */
  private learn(): void {
    const r = this.reading;
    if (!r) return;
    if (r.entities.role) this.profile.role = r.entities.role;
    const fromIntent: Partial<Record<Intent, Issue>> = {
      fees: 'fees',
      security: 'security',
      service: 'service',
    };
    // The words name the issue, or a confident reading does: a guess must not change later advice.
    // A detail given for the case just answered keeps that case's problem.
    const issue =
      r.entities.issue ??
      (r.confidence >= LEARN_FROM_INTENT && !this.givesDetail(r) ? fromIntent[r.intent] : undefined);
    if (issue) this.profile.issue = issue;
  }

  private route(): void {
    this.learn();
    if (isCancel(this.text)) {
      this.say(this.t('core.nothing_running'), this.labels(QUICK_STARTS));
      return;
    }
    const target = this.deps.kb.button(this.text);
    if (target) {
      // A problem's button ("A fee problem") is that intent, whatever its words alone read as.
      if (target.kind === 'intent' && this.reading) {
        this.reading.intent = target.id;
        this.reading.confidence = 1;
      }
      this.target(target);
      return;
    }
    const r = this.reading;
    if (!r) return;
    // "role-play: ignored complaint, easy" names a scenario whose words read like a complaint;
    // a message that opens with the request itself is a request to practise.
    if (EXPLICIT_ROLEPLAY.test(this.text.trim())) {
      this.intent('roleplay');
      return;
    }
    if (
      (r.intent === 'refusal' ||
        r.intent === 'no_agreement' ||
        r.act?.event === 'refused' ||
        r.act?.event === 'no_agreement') &&
      (PAYMENT_DECLINED.test(this.text) ||
        (this.profile.facts.visitor === true && VISITOR_DECLINED.test(this.text))) &&
      !REQUEST_WORDS.test(this.text)
    ) {
      r.intent = 'security';
      if (r.act?.event === 'refused' || r.act?.event === 'no_agreement')
        r.act = { type: 'complaint', confidence: r.act.confidence };
      // The words say a payment was turned down: that case, when no other was read.
      r.situation ??= { id: DECLINED_CASE, confidence: SITUATION_SURE };
    }
    const act = r.act;
    if (this.promisedReply()) return;
    if (this.lenderSaid(r)) return;
    if (this.instalmentSum(r)) return;
    // "隔壁的店是千分之三点八，我能谈吗": another merchant's rate, whatever section the words
    // suggest, is a precedent for the user's own talks.
    const peerRate = this.profile.facts.peerRate;
    if (
      peerRate !== undefined &&
      peerRate !== this.before?.facts.peerRate &&
      act?.type !== 'report' &&
      this.peerPrecedent()
    )
      return;
    // The stage moves on a report of an event only: never on a word inside a question or a
    // complaint ("还款成功了但还在催收" is not an agreement).
    // "有人说可以帮我代理协商，收费3000": an offer from someone else is not Alipay's.
    const thirdParty =
      (act?.event === 'partial_offer' || act?.event === 'agreed') &&
      THIRD_PARTY.test(this.text) &&
      !ALIPAY_NAMED.test(this.text);
    if (act?.type === 'report' && !act.negated && !thirdParty && this.report(act.event ?? 'other')) return;
    if (act?.type !== 'report' && this.acceptsOffer()) {
      r.intent = 'agreement';
      this.say(
        this.t('report.accepted_offer', { offer: formatRate(this.profile.facts.alipayOffer as number) }),
      );
      if (this.report('agreed', true)) return;
    }
    // A short plain report the act model is unsure of ("I've called them" read as a thanks) still
    // counts when its words are unmistakably a past step and nothing in it asks or complains.
    if (act?.type !== 'report' && act?.type !== 'question' && act?.type !== 'complaint') {
      const progress = detectProgress(this.text);
      if (progress && this.report(progress === 'CONTACTED' ? 'contacted' : 'other')) return;
    }
    const doc = this.wantsDocument();
    if (doc) {
      this.document(doc);
      return;
    }
    if (act?.type === 'request_action' && this.accountAction()) return;
    // "Can you represent me in court?" names a channel but asks about the coach's limits.
    const limits =
      r.situation && r.situation.id.startsWith('scope.') && r.situation.confidence >= SITUATION_SURE;
    if (act?.type !== 'report' && !limits && this.reference()) return;
    if (act?.type !== 'report' && COMPLAIN_HOW.test(this.text)) {
      this.complaintLadder();
      return;
    }
    // "平台判我输了，说我证据不足" right after the seller dispute: a statement read as one of the
    // seed's sections (here, using data) is the story of the case just told, not a lesson.
    const lastCase = this.lastCase();
    if (
      lastCase &&
      SECTION_INTENTS.has(r.intent) &&
      r.confidence < SECTION_DOUBT &&
      (act?.type === 'complaint' || act?.type === 'report' || act?.type === 'answer') &&
      !(r.named ?? []).some((id) => id !== lastCase.id) &&
      this.moreOfLastCase(r)
    )
      return;
    // "Hi, I'm visiting Shanghai next week": a greeting with who they are in it (read as a faint
    // goodbye) is an introduction, not a farewell.
    if (
      (r.intent === 'greet' || r.intent === 'goodbye') &&
      r.confidence < SOCIAL_SURE &&
      SOCIAL_WORDS.test(this.text) &&
      this.introduction(r)
    )
      return;
    // A word the model barely reads as a greeting or a goodbye ("限额", "解冻") is a topic
    // it does not know well: the situation it names, the problem it names, or the choices.
    if (
      (r.intent === 'greet' || r.intent === 'goodbye') &&
      r.confidence < SOCIAL_SURE &&
      !SOCIAL_WORDS.test(this.text)
    ) {
      if (this.shortFollowUp()) return;
      // The case the message's phrase names ("退到哪里去了"): more of it, if it was just answered.
      const namedId = r.named?.[0];
      if (namedId && namedId === this.lastCase()?.id && this.moreOfLastCase(r)) return;
      const c =
        r.situation && r.situation.confidence >= SITUATION_SURE
          ? this.deps.kb.caseById(r.situation.id)
          : namedId
            ? this.deps.kb.caseById(namedId)
            : undefined;
      if (c && this.fitsVisitor(c)) {
        this.profile.facts.situation = c.id;
        this.showCase(c);
      } else if (r.entities.issue) this.intent(r.entities.issue);
      // "我是开小餐馆的" read as a faint greeting: who they are, noted, then the problem asked.
      else if (!this.introduction(r)) this.say(this.t('core.which_problem'), this.labels(ISSUE_CHOICES));
      return;
    }
    // A sum given right after a case ("it was 128 yuan on Taobao") is a detail of that case, not
    // a request for arithmetic the model half suspects.
    if (
      r.intent === 'fee_calc' &&
      r.confidence < FOLLOW_UP_CALC &&
      !CALC_WORDS.test(this.text) &&
      this.caseFollowUp()
    )
      return;
    if (this.repaymentDetail(r)) return;
    if (this.weighsRate(r)) return;
    // "What can I do now?" with a case in hand asks for that case's next steps, not what the
    // coach can do.
    const known = WHAT_NOW.test(this.text.trim()) ? (this.lastCase() ?? this.userCase()) : undefined;
    if (known) {
      r.intent = known.intent;
      // Right after its whole answer, the next step is the ladder up.
      if (this.conversation.lastTopic === `case:${known.id}` && this.conversation.lastTopicLong)
        this.say(
          `${this.t('answer.escalate_head')}\n${known.escalate[this.lang]}`,
          this.labels([...known.followups, ...this.stageRefs()]),
        );
      else this.showCase(known, true);
      return;
    }
    // After a general topic, "what now?" is its longer version, and after that the ladder.
    const lastTopic = this.conversation.lastTopic;
    const shown = lastTopic ? this.deps.kb.topic(lastTopic) : undefined;
    // The problem of the topic just shown, when it is about one ("要不要找客服" after the frozen
    // account is about the account, not about support).
    const shownIssue = shown?.issues?.length === 1 ? shown.issues[0] : undefined;
    if (WHAT_NOW.test(this.text.trim()) && shown) {
      r.intent = shown.intents[0] ?? r.intent;
      if (this.conversation.lastTopicLong) this.complaintLadder(shownIssue ?? this.profile.issue);
      else this.showMore();
      return;
    }
    // "要不要找客服", "should I contact support?" with a problem in hand: yes, and in what order.
    if (CONTACT_ASK.test(this.text)) {
      const c = this.lastCase() ?? this.userCase();
      if (c) {
        r.intent = c.intent;
        this.say(
          `${this.t('answer.escalate_head')}\n${c.escalate[this.lang]}`,
          this.labels([...c.followups, ...this.stageRefs()]),
        );
        return;
      }
      if (shown) {
        r.intent = shown.intents[0] ?? r.intent;
        this.complaintLadder(shownIssue ?? this.profile.issue);
        return;
      }
    }
    if (this.introduction(r)) return;
    // Flows keep their intents (a plan, a calculation with the user's numbers, a rehearsal).
    // A flow guessed weakly right after a case ("I have all my invoices ready" as 0.17 plan) is
    // more of that case, not a request to start one.
    const weakFlowAfterCase =
      r.confidence < WEAK_AFTER_CASE &&
      this.lastCase() !== undefined &&
      !EXPLICIT_ROLEPLAY.test(this.text.trim());
    const flowFirst =
      ((FLOW_INTENTS as readonly string[]).includes(r.intent) && !weakFlowAfterCase) ||
      (r.intent === 'fees' && this.feeSum(r) && !this.caseBeyondSums(r));
    const situation = flowFirst ? undefined : this.situation(r);
    // A case the last answer offered, named in the next message's own words ("I can't pay it all
    // at once" after the Huabei answer names repayment negotiation), is where the person went on.
    const offered = flowFirst ? undefined : this.offeredCaseNamed(r, situation);
    if (offered) {
      r.intent = offered.intent;
      this.profile.facts.situation = offered.id;
      this.showCase(offered);
      return;
    }
    // A foreign visitor asking about a charge, no case read: the foreign-card fee, worked out on
    // the amount the case file holds when there is one.
    if (
      !situation &&
      !flowFirst &&
      (r.intent === 'fees' || (CHARGE_WORDS.test(this.text) && r.confidence < FEE_DOUBT)) &&
      this.profile.facts.visitor === true &&
      feeKindOf(this.text, r.entities, this.profile) === 'foreign_card'
    ) {
      r.intent = 'fees';
      const cardFee = this.deps.kb.caseById(VISITOR_FEE_CASE);
      if (this.profile.facts.amount !== undefined || !cardFee) this.startFlow('fee_calc', this.text);
      else this.showCase(cardFee);
      return;
    }
    if (situation?.id === LADDER_CASE) {
      this.complaintLadder();
      return;
    }
    // The foreign-card fee asked about with the payment's amount on file: worked out on it.
    if (situation?.id === VISITOR_FEE_CASE && this.profile.facts.amount !== undefined) {
      r.intent = 'fees';
      this.startFlow('fee_calc', this.text);
      return;
    }
    // Right after a case, a weak guess at a neighbour of the same problem that no phrase names
    // ("客服说是风控，要等30天" after the frozen account, read 0.37 as the unfreeze scam) is more of
    // the story just told.
    const last = this.lastCase();
    if (
      situation &&
      last &&
      last.id !== situation.id &&
      last.intent === situation.intent &&
      (r.situation?.confidence ?? 0) < SITUATION_SURE &&
      !r.named?.includes(situation.id) &&
      this.moreOfLastCase(r)
    )
      return;
    if (situation) {
      // "被…的人骗了2000": money already lost to the scam the case warns of — the police first.
      const lost =
        SCAM_CASES.has(situation.id) &&
        LOST_TO_SCAM.test(this.text) &&
        !EVENT_WORDS.police_report.test(this.text);
      this.showCase(situation, false, lost ? this.t('report.scammed_already') : '');
      this.offerOtherProblem(situation.intent, situation, r.intent);
      return;
    }
    // A foreign visitor's practical question read as one of the seed's sections ("Can foreigners
    // use Alipay in China?" as background): the seed speaks to merchants and residents, so the
    // visitor case the reader likes best answers, when it likes it well enough.
    const visitorCase = this.visitorCase(r);
    if (visitorCase) {
      r.intent = visitorCase.intent;
      this.profile.facts.situation = visitorCase.id;
      this.showCase(visitorCase);
      return;
    }
    // Details read as nothing in particular right after a case ("我是做服装批发的，有进货单")
    // belong to that case.
    if (!flowFirst && (r.confidence < WEAK_AFTER_CASE || this.givesDetail(r)) && this.caseFollowUp()) return;
    if (!flowFirst && (r.confidence < WEAK_AFTER_CASE || r.intent === 'out_of_scope') && this.shortFollowUp())
      return;
    if (!flowFirst && this.sameProblemAgain(r)) return;
    const second = r.alternatives[0]?.intent;
    if (isAmbiguous(r) && r.intent !== 'out_of_scope' && second && second !== 'out_of_scope') {
      // Two close readings: the likelier one is answered, the other offered in one line.
      this.intent(r.intent);
      // A misread outcome may already have been answered as the second reading.
      if (!this.conversation.flow && r.intent !== second)
        this.say(this.t('core.or_maybe'), [this.t(`intents.${second}`)]);
      return;
    }
    if (isAmbiguous(r) && r.intent === 'out_of_scope' && second && second !== 'out_of_scope') {
      this.say(this.t('core.did_you_mean'), [this.t(`intents.${second}`), this.t('actions.help')]);
      return;
    }
    this.intent(r.intent);
    if (!this.conversation.flow) this.offerOtherProblem(r.intent, undefined);
  }

  /**
   * Two problems in one message ("手续费太高，账户还被冻结了"): the main one was answered; a
   * clause that names another of the three problems gets it offered as a button.
   */
  private offerOtherProblem(answered: Intent, answeredCase: Case | undefined, ...also: Intent[]): void {
    if (!PROBLEM_INTENTS.includes(answered)) return;
    const found = new Set<Intent>(also.filter((i) => PROBLEM_INTENTS.includes(i)));
    const clauses = this.text.split(CLAUSE_BREAK).filter((c) => c.trim().length >= 2);
    if (clauses.length > 1) {
      for (const clause of clauses.slice(0, MAX_CLAUSES)) {
        const r = this.deps.nlu.analyze(clause, this.lang);
        // A clause about a case the answer already offers ("花呗逾期两个月了" beside the
        // collection calls answered) is not another problem: its button is there.
        if (r.situation && answeredCase?.followups.includes(`case:${r.situation.id}`)) continue;
        const issue = r.entities.issue ?? (r.confidence >= OTHER_PROBLEM ? r.intent : undefined);
        if (issue && PROBLEM_INTENTS.includes(issue)) found.add(issue);
      }
    }
    found.delete(answered);
    const other = [...found][0];
    if (other) this.say(this.t('core.also_mentioned'), [this.t(`intents.${other}`)]);
  }

  private intent(intent: Intent): void {
    const stage = currentStage(this.profile);
    switch (intent) {
      case 'greet':
        this.greet();
        return;
      case 'help':
        this.help();
        return;
      case 'goodbye':
        this.goodbye();
        return;
      case 'refusal':
        // "What if they say no?" is a question about refusals, not one; "支付宝拒绝了怎么办" asks
        // what to do about one that happened.
        if (this.creditRefusal(!this.isQuestionOnly())) return;
        if (this.isQuestionOnly() && (HYPOTHETICAL.test(this.text) || !REFUSED.test(this.text)))
          this.answer(intent, this.text);
        else if (!this.weakRefusal()) this.startFlow(intent, this.text);
        return;
      case 'fee_calc':
      case 'plan':
      case 'roleplay':
        this.startFlow(intent, this.text);
        return;
      case 'fees':
        // A fee complaint with the user's own numbers gets the arithmetic on them; a merchant's
        // question about their rate ("我的费率0.6%，能降吗") gets its answer first.
        if (!hasNumbers(this.reading)) this.answer(intent, this.text);
        else {
          const rateCase = this.rateQuestion();
          if (rateCase) this.showCase(rateCase);
          else this.startFlow('fee_calc', this.text);
        }
        return;
      case 'agreement':
      case 'no_agreement': {
        if (this.peerPrecedent()) return;
        if (this.noOutcomeNamed()) return;
        // "费率怎么谈下来" asks how to get there: a weak outcome reading of what is not a report is
        // the next reading's subject (the arithmetic on their numbers, the fee topic…), not "Congratulations".
        const instead = this.outcomeQuestion();
        if (instead && this.reading) {
          const r = this.reading;
          // A plan guessed as weakly, for a merchant who gave the shop's figures, is the fee
          // question they asked: the arithmetic on their numbers first (a plan is one button away).
          if (
            instead.intent === 'plan' &&
            instead.confidence < OUTCOME_DOUBT &&
            hasNumbers(r) &&
            this.feeSum(r)
          )
            instead.intent = 'fees';
          r.intent = instead.intent;
          r.confidence = instead.confidence;
          r.alternatives = r.alternatives.filter((a) => a !== instead && !OUTCOMES.has(a.intent));
          this.intent(instead.intent);
        } else this.moveOrAnswer(intent === 'agreement' ? 'AGREED' : 'NO_AGREEMENT', intent);
        return;
      }
      case 'alternatives':
        if (stage === 'refused') this.branch('seek_alternatives');
        else this.answer(intent, this.text);
        return;
      case 'mediation':
        if (stage === 'refused' || stage === 'alternatives') this.branch('seek_mediation');
        else this.answer(intent, this.text);
        return;
      case 'out_of_scope':
        this.outOfScope();
        return;
      default:
        this.answer(intent, this.text);
    }
  }

  private target(target: ButtonTarget): void {
    switch (target.kind) {
      case 'topic': {
        const topic = this.deps.kb.topic(target.id);
        if (topic) this.showTopic(topic);
        return;
      }
      case 'template': {
        const template = this.deps.kb.template(target.id);
        if (template) this.showTemplate(template);
        return;
      }
      case 'intent':
        this.intent(target.id);
        return;
      case 'case': {
        // The ladder's own button ("怎么投诉支付宝") gets it tailored to the user's problem.
        if (target.id === LADDER_CASE) {
          this.complaintLadder();
          return;
        }
        const c = this.deps.kb.caseById(target.id);
        if (c) this.showCase(c);
        return;
      }
      case 'action':
        this.action(target.id);
    }
  }

  private action(id: string): void {
    if ((FLOW_INTENTS as readonly string[]).includes(id)) {
      this.startFlow(id as FlowId, '');
      return;
    }
    if (id === 'export_plan') {
      this.startFlow('plan', '', { export: true });
      return;
    }
    if (id.startsWith('refine_')) {
      this.startFlow('plan', '', { refine: id.slice('refine_'.length) });
      return;
    }
    if (id.startsWith('drill_')) {
      this.startFlow('roleplay', '', { drill: id.slice('drill_'.length) });
      return;
    }
    if (id === 'last_practice') {
      this.say(...replyParts(lastDebriefReply(this.deps, this.profile.lastDebrief, this.lang)));
      return;
    }
    const event = ACTION_EVENTS[id];
    if (event) {
      if (!this.move({ type: event }, true).changed) {
        this.say(this.t('core.cannot_move'), this.labels(this.stageRefs()));
      }
      return;
    }
    switch (id) {
      case 'keep_talking':
      case 'seek_alternatives':
      case 'seek_mediation':
        this.branch(id);
        return;
      case 'more':
        this.showMore();
        return;
      case 'status':
        this.status();
        return;
      case 'issue_fees':
      case 'issue_security':
      case 'issue_service':
        this.profile.issue = id.slice('issue_'.length) as Issue;
        // The problem asked after a channel's overview: can that channel take it?
        if (this.conversation.lastTopic?.startsWith('channel:')) {
          const channel = this.deps.kb.channel(this.conversation.lastTopic.slice('channel:'.length));
          if (channel) {
            this.channelReply(channel, this.profile.issue);
            return;
          }
        }
        // The choice asked after the general complaint ladder sharpens that ladder.
        if (this.conversation.lastTopic === `case:${LADDER_CASE}`) {
          this.complaintLadder();
          return;
        }
        this.answer(this.profile.issue === 'fees' ? 'fees' : this.profile.issue, '');
        return;
      default:
        this.help();
    }
  }

  // ---------------------------------------------------------------- the stage

  /** Sends a journey event; when the stage changes and `coach`, says so and coaches the new stage. */
  private move(event: JourneyEvent, coach: boolean): Transition {
    const transition = sendJourneyEvent(this.profile, event);
    if (transition.changed && coach) this.coachStage(transition.to, true);
    return transition;
  }

  private moveOrAnswer(event: JourneyEvent['type'], intent: Intent): void {
    if (this.isQuestionOnly() || !this.move({ type: event }, true).changed) this.answer(intent, this.text);
  }

  /**
   * "帮我解冻账户", "can you refund my order": the coach cannot see or touch an Alipay account.
   * It says so first, then how to get Alipay to do it (the situation's case) when there is one.
   */
  private accountAction(): boolean {
    const found = ACCOUNT_ACTIONS.find((a) => a.words.test(this.text));
    if (!found) return false;
    const c = found.case ? this.deps.kb.caseById(found.case) : undefined;
    if (c) this.showCase(c, false, this.t('core.cannot_act'));
    else this.say(this.t('core.cannot_act_only'), this.labels(['action:help', ...this.stageRefs()]));
    return true;
  }

  /** The document asked for in words ("write me an appeal letter"), if the message asks for one. */
  private wantsDocument(): ActDoc | undefined {
    const act = this.reading?.act;
    if (act?.type === 'request_document' && act.doc && DOCUMENT_WORDS.test(this.text)) return act.doc;
    // "What should I say to them?" once the user's problem is known asks for the words for it,
    // however the act model reads it; before that it is the seed's question about first contact.
    if (!WHAT_TO_SAY.test(this.text)) return undefined;
    return (this.lastCase() ?? this.userCase() ?? this.profile.issue) ? 'script' : undefined;
  }

  /**
   * A fee message the arithmetic answers: it gives a sum, or asks for one. A question with only a
   * rate in it ("Is 0.38% the lowest I can get?") is answered by its case first; asking for a
   * monthly volume before answering would not be listening.
   */
  private feeSum(r: NluResult): boolean {
    if (!hasNumbers(r)) return false;
    if ((r.entities.amounts?.length ?? 0) > 0 || CALC_WORDS.test(this.text) || r.act?.type !== 'question')
      return true;
    // A consumer's fee (foreign card, withdrawal…) is answered by the calculation's own rule first.
    return feeKindOf(this.text, r.entities, this.profile) !== 'merchant';
  }

  /**
   * A fee message about a case no fee sum answers ("借呗逾期了三个月，欠了五万，能不能协商分期"
   * is a repayment, not a fee to work out): its numbers are the case's, and the case answers.
   */
  private caseBeyondSums(r: NluResult): boolean {
    const s = r.situation;
    if (!s) return false;
    // "商家码升级后手续费变成千分之六了，之前不收费的": a rate and no sum, in a message whose own
    // phrase names the case, complains of the change; the sum waits for a volume nobody gave.
    if (r.named?.includes(s.id) && (r.entities.amounts?.length ?? 0) === 0 && !CALC_WORDS.test(this.text))
      return true;
    if (s.confidence < SITUATION_SURE) return false;
    return feeKindOf(this.text, r.entities, this.profile) === undefined;
  }

  /** The merchant-rate case, for a question about a rate from someone not known to be a payer. */
  private rateQuestion(): Case | undefined {
    const r = this.reading;
    if (!r || this.feeSum(r) || this.profile.role === 'consumer' || this.profile.facts.visitor)
      return undefined;
    return this.deps.kb.caseById(RATE_QUESTION_CASE);
  }

  /**
   * "隔壁奶茶店拿到了0.38%": another merchant's deal is a precedent for the user's own
   * negotiation, not the user's agreement. It is noted and the way to use a precedent given.
   */
  private peerPrecedent(): boolean {
    if (!PEER.test(this.text.toLowerCase()) || OWN_DEAL.test(this.text)) return false;
    const topic = this.deps.kb.topic(PRECEDENT_TOPIC);
    if (!topic) return false;
    if (this.reading) this.reading.intent = 'strategy';
    // With the merchant's own figures on file, what the peer's rate would save them.
    const numbers =
      this.profile.facts.peerRate !== undefined
        ? feeComparison(this.deps, this.profile, this.lang)
        : undefined;
    const head = [this.notedHead(this.notedFacts()), numbers].filter(Boolean).join('\n');
    if (head) this.say(head);
    this.showTopic(topic);
    return true;
  }

  /**
   * "那我接受0.5%可以吗" with the merchant's figures on file: whether to take a rate is answered
   * with what it costs against now, the offer and any precedent, then how to close a compromise.
   */
  private weighsRate(r: NluResult): boolean {
    const rates = r.entities.rates ?? [];
    if (rates.length !== 1 || !SHOULD_ACCEPT.test(this.text)) return false;
    const numbers = feeComparison(this.deps, this.profile, this.lang, rates[0]);
    const topic = this.deps.kb.topic(COMPROMISE_TOPIC);
    if (!numbers || !topic) return false;
    r.intent = 'fees';
    this.say(numbers);
    this.showTopic(topic);
    return true;
  }

  /**
   * A refusal read weakly in words that refuse nothing ("they said they'll get back to me by
   * Friday") is not one: no refusal flow, no move to the refused stage. A promised reply date the
   * message gave is news of a ticket; otherwise the next reading is answered.
   */
  private weakRefusal(): boolean {
    const r = this.reading;
    if (!r) return false;
    // However sure the refusal, a case its own phrase names in a message about someone other than
    // Alipay ("the restaurant refused my cash") is that case.
    const sure = r.confidence >= REFUSAL_DOUBT;
    const phrased = r.situation !== undefined && r.named?.includes(r.situation.id) === true;
    if (sure && (!phrased || ALIPAY_NAMED.test(this.text))) return false;
    // A weak refusal in a message that surely names a case ("the restaurant refused my cash") is
    // that case: someone said no, but not Alipay to a request the refusal paths are about.
    // Surely read, or named by its own phrase and the reader's likeliest case.
    const s = r.situation;
    const likely = r.likelyCase;
    const id =
      s && s.confidence >= SITUATION_SURE_OUT_OF_SCOPE
        ? s.id
        : likely && likely.confidence >= SITUATION_SURE && r.named?.includes(likely.id)
          ? likely.id
          : undefined;
    const named = id ? this.deps.kb.caseById(id) : undefined;
    if (named && this.fitsVisitor(named)) {
      r.intent = named.intent;
      this.profile.facts.situation = named.id;
      this.showCase(named);
      return true;
    }
    if (sure || REFUSED_WORDS.test(this.text) || REFUSED.test(this.text)) return false;
    return this.replyDateNews() ?? this.answerNextReading((intent) => intent === 'refusal');
  }

  /** Support's word with a reply date this message gave ("they'll get back to me by Friday"). */
  private newReplyDate(): boolean {
    return this.replyDateGiven() && SUPPORT_SAID.test(this.text);
  }

  /** This message gave a reply date the case file did not hold. */
  private replyDateGiven(): boolean {
    const due = this.profile.facts.replyBy;
    return due !== undefined && due !== this.before?.facts.replyBy;
  }

  /** A reply date this message gave, as news of a ticket; undefined when it gave none. */
  private replyDateNews(): boolean | undefined {
    if (!this.replyDateGiven()) return undefined;
    if (this.reading) this.reading.intent = 'service';
    return this.report('ticket_opened', true);
  }

  /** The likeliest other reading (not skipped, not out of scope) answered instead, if there is one. */
  private answerNextReading(skip: (intent: Intent) => boolean): boolean {
    const r = this.reading;
    const other = r?.alternatives.find((a) => !skip(a.intent) && a.intent !== 'out_of_scope');
    if (!r || !other) return false;
    r.intent = other.intent;
    r.confidence = other.confidence;
    this.intent(other.intent);
    return true;
  }

  /**
   * "客服说周五前给我回复", "they said they'll get back to me by Friday": a reply date promised,
   * in words that refuse nothing, is news of a ticket (noted with its date) whatever the models
   * make of it — the act reader has called the first one a refusal, the intent model the second.
   */
  private promisedReply(): boolean {
    if (!SUPPORT_SAID.test(this.text) || REFUSED_WORDS.test(this.text) || REFUSED.test(this.text))
      return false;
    return this.replyDateNews() ?? false;
  }

  /**
   * What the lender said, in a Huabei/Jiebei arrears conversation, read as the refusal it may be
   * ("they said I have to pay the full amount": service or refusal, both weak): the repayment
   * case's ladder, not the general support advice nor the fee-refusal paths.
   */
  private lenderSaid(r: NluResult): boolean {
    if (r.confidence >= REFUSAL_DOUBT || !SUPPORT_SAID.test(this.text) || IMPERSONATED.test(this.text))
      return false;
    const readings = [r.intent, ...r.alternatives.map((a) => a.intent)].slice(0, 2);
    if (!readings.includes('refusal') && !FULL_REPAYMENT.test(this.text)) return false;
    return this.creditRefusal(true);
  }

  /**
   * An instalment plan in the person's numbers ("每期手续费80，12期一共多少"): the arithmetic first —
   * the total, and with the principal its share and the annual rate — then the Huabei instalment
   * case (a bank card's or a loan's plan gets the arithmetic alone: its terms are its lender's).
   */
  private instalmentSum(r: NluResult): boolean {
    const plan = readInstalment(this.text, r.entities.amounts ?? []);
    if (!plan) return false;
    const money = (x: number): string => formatMoney(this.deps.kb.texts, x, this.lang);
    const lines = [
      this.t('fees.instalment.total', {
        per: money(plan.perFee),
        count: String(plan.count),
        total: money(plan.total),
      }),
    ];
    if (plan.principal !== undefined && plan.sharePct !== undefined && plan.aprPct !== undefined)
      lines.push(
        this.t('fees.instalment.apr', {
          principal: money(plan.principal),
          payment: money(Math.round((plan.principal / plan.count + plan.perFee) * 100) / 100),
          count: String(plan.count),
          share: formatRate(Number(plan.sharePct.toFixed(2))),
          apr: formatRate(Number(plan.aprPct.toFixed(1))),
        }),
      );
    r.intent = 'fees';
    const c =
      NOT_HUABEI.test(this.text) && !HUABEI.test(this.text)
        ? undefined
        : this.deps.kb.caseById(INSTALMENT_CASE);
    if (!c) {
      this.say(lines.join('\n'), this.labels(this.stageRefs()));
      return true;
    }
    this.profile.facts.situation = c.id;
    this.showCase(c, false, lines.join('\n'));
    return true;
  }

  /**
   * An outcome read in words that name none ("已经7天了" after the refund answer): no stage moves.
   * Right after a case it is more about that case; otherwise the next reading is answered.
   */
  private noOutcomeNamed(): boolean {
    const r = this.reading;
    if (!r || r.act?.type === 'report' || OUTCOME_WORDS.test(this.text)) return false;
    return this.moreOfLastCase(r) || this.answerNextReading((intent) => OUTCOMES.has(intent));
  }

  /** The intent to answer instead of a weak outcome reading of a question, if there is one. */
  private outcomeQuestion(): NluResult['alternatives'][number] | undefined {
    const r = this.reading;
    if (!r || r.confidence >= OUTCOME_DOUBT) return undefined;
    // A sure report is news of the outcome however weakly the intent model reads it.
    if (r.act?.type === 'report' && r.act.confidence >= ACT_SURE && !r.act.negated) return undefined;
    const other = r.alternatives.find((a) => !OUTCOMES.has(a.intent) && a.intent !== 'out_of_scope');
    // A question about the outcome itself ("how do I make sure they keep the deal") is the
    // outcome's to answer, unless another reading is nearly as likely ("费率怎么谈下来" with figures).
    if (other && r.act?.type === 'question' && other.confidence < r.confidence * OUTCOME_CLOSE)
      return undefined;
    return other;
  }

  /** The message asks or complains and reports nothing (acts known): no stage may move on it. */
  private isQuestionOnly(): boolean {
    const act = this.reading?.act;
    if (!act) return false;
    if (act.type === 'report') return act.negated === true;
    // A weak guess of another act ("我的申请没通过" read as an answer) is no reason to doubt the
    // intent; a question or a complaint is.
    return act.type === 'question' || act.type === 'complaint' || act.confidence >= ACT_SURE;
  }

  // ---------------------------------------------------------------- listening

  /**
   * A report of something that happened in the user's case: the stage moves when the event
   * moves it, and the reply says what was understood (case number, dates, offer) before the
   * next step. Returns false when the report is best answered as a question.
   */
  private report(reported: ActEvent, heard = false): boolean {
    // "I opened a ticket 10 days ago… still no reply", or a promised reply date already past:
    // the news is the silence, not the ticket.
    const today = new Date(this.input.now).toISOString().slice(0, 10);
    const overdue = this.profile.facts.replyBy !== undefined && this.profile.facts.replyBy < today;
    const event: ActEvent =
      reported === 'ticket_opened' && (NO_REPLY.test(this.text) || overdue) ? 'no_reply' : reported;
    // A reading of these events without their words is a misreading ("操作太频繁" read as a police
    // report): nothing is said about it and the stage stays. `heard`: the event was read another way.
    if (!heard && event in EVENT_WORDS && !EVENT_WORDS[event as keyof typeof EVENT_WORDS].test(this.text))
      return false;
    const f = this.profile.facts;
    const stageMove: Partial<Record<ActEvent, JourneyEvent['type']>> = {
      contacted: 'CONTACTED',
      ticket_opened: 'CONTACTED',
      partial_offer: 'DEMANDS_MADE',
      agreed: 'AGREED',
      no_agreement: 'NO_AGREEMENT',
      escalated: 'SEEK_MEDIATION',
      switched: 'SWITCH',
    };
    switch (event) {
      case 'refused': {
        // "Someone who said they were Alipay support made me pay a fee": a case surely read, in
        // words that refuse nothing, is that case, not a refusal of the user's request.
        const s = this.reading?.situation;
        if (
          s &&
          s.confidence >= SITUATION_SURE &&
          !REFUSED_WORDS.test(this.text) &&
          !REFUSED.test(this.text) &&
          !FULL_REPAYMENT.test(this.text)
        )
          return false;
        if (this.creditRefusal(true)) return true;
        // "Support told me to wait for the review" right after a case is a stall in that case,
        // answered with its next steps (what to ask for, where to go), not a refusal.
        if (this.lastCase() && !REFUSED_WORDS.test(this.text) && SUPPORT_SAID.test(this.text)) return false;
        this.startFlow('refusal', this.text);
        return true;
      }
      case 'ticket_opened': {
        if (canSend(this.profile, { type: 'CONTACTED' })) this.move({ type: 'CONTACTED' }, false);
        const number = f.caseNumber
          ? this.t('report.ticket_number', { number: f.caseNumber })
          : this.t('report.ticket_no_number');
        const date = f.replyBy ? this.t('report.ticket_date', { date: f.replyBy }) : '';
        this.say(
          `${this.t('report.ticket_opened', { number, date })}\n\n${this.t('report.ticket_next')}`,
          this.labels(['case:service.ticket_no_reply', ...this.stageRefs()]),
        );
        return true;
      }
      case 'no_reply': {
        const due = f.replyBy && f.replyBy >= new Date(this.input.now).toISOString().slice(0, 10);
        const c = this.deps.kb.caseById('service.ticket_no_reply');
        if (due && f.replyBy) {
          const number = f.caseNumber ? ` ${f.caseNumber}` : '';
          this.say(
            `${this.t('report.waiting', { date: f.replyBy, number })}\n${c ? c.escalate[this.lang] : ''}`.trim(),
            this.labels(this.stageRefs()),
          );
          return true;
        }
        // "退款一直显示处理中，已经半个月了": the wait of a case the message surely names, with no
        // ticket or support in it, is that case's (the refund's), not an unanswered ticket's.
        const own = this.reading?.situation;
        const named = own && own.confidence >= SITUATION_SURE ? this.deps.kb.caseById(own.id) : undefined;
        if (named && named.id !== c?.id && !TICKET_WORDS.test(this.text)) {
          this.profile.facts.situation = named.id;
          this.showCase(named);
          return true;
        }
        // A complaint of silence moves no stage; the reply says what was noted.
        if (c) this.showCase(c, false, this.notedHead(this.notedFacts()));
        return c !== undefined;
      }
      case 'partial_offer': {
        // "拒绝了我，只肯降到0.5%": a refusal with an offer in it is the refusal flow's to answer
        // (it proposes a trial between the offer and the target).
        if (REFUSED_WORDS.test(this.text)) {
          this.startFlow('refusal', this.text);
          return true;
        }
        if (f.alipayOffer !== undefined) {
          const head = this.t('report.partial_offer', { offer: formatRate(f.alipayOffer) });
          const moved = canSend(this.profile, { type: 'DEMANDS_MADE' });
          if (moved) this.move({ type: 'DEMANDS_MADE' }, false);
          const numbers = feeComparison(this.deps, this.profile, this.lang);
          this.say([head, numbers].filter(Boolean).join('\n'), this.labels(this.stageRefs()));
          if (moved) this.coachStage(currentStage(this.profile), false);
          return true;
        }
        break;
      }
      case 'police_report':
      case 'repaid': {
        const c =
          this.situation(this.reading) ??
          this.deps.kb.caseById(
            event === 'police_report' ? 'security.fraud_police_report' : 'service.reminder_after_repayment',
          );
        if (!c) return false;
        const head = event === 'repaid' && ON_TIME.test(this.text) ? 'report.on_time' : `report.${event}`;
        this.showCase(c, false, this.t(head));
        return true;
      }
      default:
        break;
    }
    const move = stageMove[event] ?? detectProgress(this.text) ?? undefined;
    if (!move || !canSend(this.profile, { type: move })) return false;
    if (move === 'CONTACTED' && (this.impersonated() || CONTACT_WANTED.test(this.text))) return false;
    const via = f.contactedVia ? this.channelName(f.contactedVia) : '';
    const said =
      event === 'contacted'
        ? this.t('report.contacted', { via: via ? this.t('report.via', { via }) : '' })
        : event === 'escalated'
          ? this.t('report.escalated')
          : '';
    // Right after a case ("I uploaded my ID 5 days ago" after the frozen account, "已经申请平台介入了"
    // after the seller dispute), the next step is that case's (what to ask for, where to go),
    // not the stage's general lesson.
    const last = this.lastCase();
    if (last && this.reading && (event === 'contacted' || event === 'other')) {
      // One note: the contact, what else the message told, the stage it moved to.
      // A step named only by its words ("申请", "提交") is the case's own procedure, not a stage of
      // the talks with Alipay: noted, no stage moved.
      const noted = this.notedFacts();
      const moved = event === 'contacted' ? this.move({ type: move }, false) : undefined;
      const stage = moved?.changed ? this.t('core.stage_moved', { stage: this.t(`stages.${moved.to}`) }) : '';
      this.moreOfLastCase(this.reading, [said, ...noted, stage].filter(Boolean).join('\n'));
      return true;
    }
    if (said) this.say(said);
    this.move({ type: move }, true);
    return true;
  }

  /** The "contact" was with someone posing as Alipay (or selling help): a scam, not a step. */
  private impersonated(): boolean {
    const s = this.reading?.situation;
    return (
      IMPERSONATED.test(this.text) ||
      (s !== undefined && SCAM_CASES.has(s.id) && s.confidence >= SITUATION_SURE)
    );
  }

  private channelName(id: string): string {
    const key = `case.channel.${id}`;
    return this.deps.kb.texts.has(key) ? this.t(key) : id;
  }

  /**
   * "我是开小餐馆的", "Hi, I'm a foreign student in Beijing": who the person is, and no problem
   * yet. The models read such a message weakly as some topic (a theft topic, out of scope); it is
   * noted, and the problem asked for, with the choices that fit who they are.
   */
  private introduction(r: NluResult): boolean {
    if (this.lastCase() || (r.confidence >= INTRO_DOUBT && r.intent !== 'out_of_scope')) return false;
    if (
      r.act?.type === 'question' ||
      ASKS_SOMETHING.test(this.text) ||
      r.situation ||
      (r.named?.length ?? 0) > 0
    )
      return false;
    const e = r.entities;
    if (e.issue || (e.amounts?.length ?? 0) > 0 || (e.rates?.length ?? 0) > 0) return false;
    const noted = this.notedFacts();
    if (noted.length === 0) return false;
    const choices = this.profile.facts.visitor ? VISITOR_CHOICES : ISSUE_CHOICES;
    r.intent = 'greet';
    this.say(`${this.notedHead(noted)}\n\n${this.t('core.intro_ask')}`, this.labels(choices));
    return true;
  }

  /** The visitor case to answer instead of a seed section, for a visitor (see its caller). */
  private visitorCase(r: NluResult): Case | undefined {
    const likely = r.likelyCase;
    if (!likely || likely.confidence < SITUATION_SURE || !SECTION_INTENTS.has(r.intent)) return undefined;
    if (this.profile.facts.visitor !== true && !VISITOR_WORDS.test(this.text)) return undefined;
    const c = this.deps.kb.caseById(likely.id);
    return c?.roles.includes('visitor') ? c : undefined;
  }

  /** The case of the library the message is about, when the reading is sure enough. */
  private situation(r: NluResult | null): Case | undefined {
    const s = r?.situation;
    if (!s) return undefined;
    const read = this.deps.kb.caseById(s.id);
    if (!read) return undefined;
    // The user's role, when known, picks that role's version of the situation.
    const role = this.profile.role;
    const c = (role && this.profile.facts.visitor !== true && this.deps.kb.caseForRole(read, role)) || read;
    // The seed's own questions (strategy, steps, outlook…) are answered by its sections; a case
    // answers a problem. A weaker reading must agree with the intent; a strong one stands alone.
    const intent = r?.intent ?? 'out_of_scope';
    if (!CASE_INTENTS.includes(intent)) return undefined;
    if (!this.fitsVisitor(c)) return undefined;
    if (VERDICT_WORDS[c.id]?.test(this.text) === false) return undefined;
    if (s.confidence < SITUATION_SURE && c.intent !== intent) return undefined;
    // Out of scope, only a sure reading names a situation; the coach's own limits (credit advice,
    // legal representation) are what such messages are about, so they answer at the usual bar.
    if (
      intent === 'out_of_scope' &&
      c.intent !== 'out_of_scope' &&
      s.confidence < SITUATION_SURE_OUT_OF_SCOPE
    )
      return undefined;
    this.profile.facts.situation = c.id;
    return c;
  }

  /**
   * "Can 12363 handle fees?", "and 12315?", "what does 我的客服 mean": the named channel's verdict
   * for the problem (the message's, else the question before's), or the term's meaning.
   */
  private reference(): boolean {
    const entity = this.reading?.entities.issue;
    const last = this.conversation.askedIssue;
    const ref = readReference(this.deps.kb, this.text, entity, isChannelIssue(last) ? last : undefined);
    if (!ref) return false;
    if (ref.kind === 'term') {
      this.shownTopic(`term:${ref.entry.id}`);
      this.say(termAnswer(this.deps.kb, ref.entry, this.lang), this.labels(this.stageRefs()));
      return true;
    }
    // "12315能投诉支付宝吗" names no problem: the user's own, when the case file has it.
    this.channelReply(ref.channel, ref.issue ?? (ref.meaning ? undefined : this.profile.issue));
    return true;
  }

  private channelReply(channel: Channel, issue: ChannelIssue | undefined): void {
    this.shownTopic(`channel:${channel.id}`);
    const text = channelAnswer(this.deps.kb, { channel, issue }, this.lang);
    if (issue) {
      this.conversation.askedIssue = issue;
      this.say(text, this.labels([`case:${LADDER_CASE}`, ...this.stageRefs()]));
      return;
    }
    // One question after the answer: which problem, so the next reply can say yes or no.
    this.say(`${text}\n\n${this.t('reference.ask_issue')}`, this.labels(ISSUE_CHOICES));
  }

  /**
   * A case only about foreign visitors fits a user known as one, one writing English, or one
   * who says so ("外国人", "护照"); "实名认证" from a Chinese user is not a passport check.
   */
  private fitsVisitor(c: Case): boolean {
    if (c.roles.some((role) => role !== 'visitor')) return true;
    return this.profile.facts.visitor === true || this.lang === 'en' || VISITOR_WORDS.test(this.text);
  }

  /** "How do I complain?": the ladder at once, for the user's problem when it is known. */
  private complaintLadder(about?: Issue): void {
    const issue = about ?? this.reading?.entities.issue ?? this.profile.issue;
    const topic = issue ? this.deps.kb.topic(`mediation.${issue}`) : undefined;
    if (topic) {
      this.showTopic(topic);
      return;
    }
    const ladder = this.deps.kb.caseById(LADDER_CASE);
    if (!ladder) {
      this.answer('mediation', this.text);
      return;
    }
    this.showCase(ladder);
    // One question after the answer: the ladder gets sharper for a known problem.
    this.say(this.t('core.which_problem_after'), this.labels(ISSUE_CHOICES));
  }

  private coachStage(stage: Stage, announce: boolean): void {
    const topic = this.deps.kb.topic(STAGE_TOPIC[stage](this.profile));
    const head = announce ? this.t('core.stage_moved', { stage: this.t(`stages.${stage}`) }) : '';
    if (!topic) {
      this.say(head, this.labels(this.stageRefs()));
      return;
    }
    this.shownTopic(topic.id);
    const body = renderTopic(this.deps.kb.texts, topic, this.lang, (id) => this.deps.kb.source(id));
    this.say([head, body].filter(Boolean).join('\n\n'), this.labels([...this.stageRefs(), 'action:more']));
  }

  /** One of the three paths after a refusal (seed 七): the stage move, a script or numbers, the topic. */
  private branch(branch: Branch): void {
    const { kb } = this.deps;
    const profile = this.profile;
    if (currentStage(profile) !== 'refused' && branch !== 'keep_talking') {
      // Choosing alternatives or mediation outside a refusal still moves the stage when it can.
      this.move({ type: branch === 'seek_alternatives' ? 'SEEK_ALTERNATIVES' : 'SEEK_MEDIATION' }, false);
    }
    if (branch === 'keep_talking') {
      const moved = this.move({ type: 'RETRY' }, false);
      const head = this.t(moved.changed ? 'refusal.keep_talking_back' : 'refusal.keep_talking');
      const script = keepTalkingScript(this.deps, profile.facts.refusalKind, profile, this.lang);
      this.say(`${head}\n${script}\n${this.t('refusal.keep_talking_tips')}`, this.labels(this.stageRefs()));
      return;
    }
    if (branch === 'seek_alternatives') {
      this.move({ type: 'SEEK_ALTERNATIVES' }, false);
      const topic = kb.topic(
        `alternatives.${profile.role ?? (profile.issue === 'fees' ? 'merchant' : 'consumer')}`,
      );
      const numbers = profile.issue !== 'security' ? feeComparison(this.deps, profile, this.lang) : undefined;
      const body = [
        numbers,
        topic ? renderTopic(this.deps.kb.texts, topic, this.lang, (id) => kb.source(id)) : undefined,
      ]
        .filter(Boolean)
        .join('\n\n');
      if (topic) this.shownTopic(topic.id);
      this.say(body, this.labels([...this.stageRefs(), 'action:more']));
      return;
    }
    this.move({ type: 'SEEK_MEDIATION' }, false);
    const topic = kb.topic(`mediation.${profile.issue ?? 'service'}`);
    if (topic) this.shownTopic(topic.id);
    this.say(
      topic ? renderTopic(this.deps.kb.texts, topic, this.lang, (id) => kb.source(id)) : '',
      this.labels(['template:complaint_12363', 'template:mediation_request', ...this.stageRefs()]),
    );
  }

  // ---------------------------------------------------------------- answers

  /** Answers an intent from the knowledge base; asks which problem first when that matters. */
  private answer(intent: Intent, text: string, mayAsk = true): void {
    // A greeting or a goodbye has no topic: it is answered as what it is, also when it arrives
    // as the reply to a flow's question ("你好" while a refusal is open).
    if (intent === 'greet') return this.greet();
    if (intent === 'goodbye') return this.goodbye();
    const found = this.deps.kb.retrieve(
      intent,
      text,
      { role: this.profile.role, issue: this.profile.issue },
      mayAsk,
    );
    if (found.kind === 'ask_issue') {
      this.startFlow('which_problem', text, { intent });
      return;
    }
    if (found.kind === 'none') {
      this.outOfScope();
      return;
    }
    this.showTopic(found.topic);
  }

  /** The same topic asked again in the same language (in the other one it is news to the reader). */
  private shownAgain(id: string): boolean {
    const c = this.conversation;
    return c.lastTopic === id && (c.lastTopicLang === undefined || c.lastTopicLang === this.lang);
  }

  private shownTopic(id: string, long = false): void {
    this.conversation.lastTopic = id;
    this.conversation.lastTopicLang = this.lang;
    if (long) this.conversation.lastTopicLong = true;
    else delete this.conversation.lastTopicLong;
  }

  private showTopic(topic: Topic, long = false): void {
    // Asked about the same topic again (a follow-up): what is new is its long version; after
    // that, nothing is repeated (run() says so instead).
    const again = this.shownAgain(topic.id);
    if (again && this.conversation.lastTopicLong && !long) {
      this.say(this.t('core.said_already'), this.labels([...topic.followups, ...this.stageRefs()]));
      return;
    }
    if (again) long = true;
    this.shownTopic(topic.id, long);
    const refs = long ? topic.followups : ['action:more', ...topic.followups.slice(0, 2)];
    this.say(
      renderTopic(this.deps.kb.texts, topic, this.lang, (id) => this.deps.kb.source(id), long),
      this.labels([...refs, ...this.stageRefs()]),
    );
  }

  private showCase(c: Case, long = false, head = ''): void {
    const id = `case:${c.id}`;
    const again = this.shownAgain(id);
    if (again && this.conversation.lastTopicLong && !long) {
      this.say(this.t('core.said_already'), this.labels([...c.followups, ...this.stageRefs()]));
      return;
    }
    if (again) long = true;
    this.shownTopic(id, long);
    const refs = long ? c.followups : ['action:more', ...c.followups.slice(0, 2)];
    const body = renderCase(this.deps.kb.texts, c, this.lang, (sid) => this.deps.kb.source(sid), long);
    this.say(head ? `${head}\n\n${body}` : body, this.labels([...refs, ...this.stageRefs()]));
  }

  /** "详细" / "more": the long version of the topic shown last. */
  private showMore(): void {
    const last = this.conversation.lastTopic;
    if (last?.startsWith('case:')) {
      const c = this.deps.kb.caseById(last.slice('case:'.length));
      if (c) {
        this.showCase(c, true);
        return;
      }
    }
    const topic = last ? this.deps.kb.topic(last) : undefined;
    if (topic) this.showTopic(topic, true);
    else this.say(this.t('core.more_what'), this.labels(this.stageRefs()));
  }

  private showTemplate(template: Template): void {
    this.say(
      letterText(this.deps, template, this.profile, this.lang, this.input.now),
      this.labels(this.stageRefs()),
    );
    // What only the user knows (the shop's name, the case number) is asked after the letter, one
    // blank at a time; their name and account stay blanks for them to write in.
    this.startFlow('blanks', '', { template: template.id });
  }

  /**
   * A document asked for in words ("帮我写一封投诉信", "draft an appeal"): the one that fits the
   * request and the user's problem, filled from the case file.
   */
  private document(doc: ActDoc): void {
    const { kb } = this.deps;
    const issue = this.reading?.entities.issue ?? this.profile.issue;
    if (doc === 'plan') {
      this.startFlow('plan', this.text);
      return;
    }
    if (doc === 'script') {
      // The words for the situation of this message, else of the case just answered, else the
      // usual one for the user's problem.
      const own = this.situation(this.reading) ?? this.lastCase() ?? this.userCase();
      // A merchant's fee case gets the opening script filled from their figures (below).
      if (own && (own.issue !== 'fees' || !own.roles.includes('merchant'))) {
        this.say(`${this.t('answer.say_head')}\n${own.script[this.lang]}`, this.labels(this.stageRefs()));
        return;
      }
      const c = own ?? (issue ? kb.caseById(SCRIPT_CASE[issue]) : undefined);
      if (c && issue !== 'fees') {
        this.say(`${this.t('answer.say_head')}\n${c.script[this.lang]}`, this.labels(this.stageRefs()));
        return;
      }
    }
    const id =
      doc === 'script'
        ? 'opening_script'
        : doc === 'appeal'
          ? 'appeal_letter'
          : doc === 'complaint'
            ? /12363/.test(this.text)
              ? 'complaint_12363'
              : 'complaint_letter'
            : issue === 'fees' && this.profile.role !== 'consumer'
              ? 'demand_email'
              : issue === 'security'
                ? 'appeal_letter'
                : 'complaint_letter';
    const template = kb.template(id);
    if (template) this.showTemplate(template);
    else this.answer(this.reading?.intent ?? 'help', this.text);
  }

  /** Where the user is (the stage map) and what the coach knows about their case. */
  private status(): void {
    const stage = currentStage(this.profile);
    const card = stageMapCard(this.deps.kb.texts, stage, this.lang);
    this.say(
      [
        this.t('core.status_head', { stage: this.t(`stages.${stage}`) }),
        ...drawStageMap(this.deps.kb.texts, card, this.lang),
        '',
        ...caseSummary(this.deps.kb.texts, this.profile, this.lang),
      ].join('\n'),
      this.labels(this.stageRefs()),
      card,
    );
  }

  private help(): void {
    this.say(this.channelText('core.help'), this.labels([...QUICK_STARTS, ...this.stageRefs()]));
  }

  private goodbye(): void {
    this.say(this.t('core.goodbye'));
  }

  /**
   * A greeting: the welcome for a new user, "welcome back" with the stage for a returning one —
   * or, when a role-play scene is still running (the user comes back to it), how to go on or end it.
   */
  private greet(): void {
    const scene = this.sceneInProgress();
    if (scene) {
      this.say(
        this.t('roleplay.in_progress', {
          scenario: this.t(`roleplay.scenario.${scene.scenario}`),
          difficulty: this.t(`roleplay.difficulty.${scene.difficulty}`),
        }),
        [this.t('actions.end_roleplay')],
      );
      return;
    }
    const stage = currentStage(this.profile);
    const returning = this.profile.welcomed && (stage !== 'planning' || this.profile.issue !== undefined);
    this.profile.welcomed = true;
    if (returning)
      this.say(
        this.t('core.welcome_back', { stage: this.t(`stages.${stage}`) }),
        this.labels(this.stageRefs()),
      );
    else if (this.languageUnknown()) {
      // Nothing tells us the language yet (a terminal without LANG): both, and a choice.
      const texts = this.deps.kb.texts;
      this.say(`${texts.t('core.welcome', 'zh')}\n\n${texts.t('core.welcome', 'en')}`, [
        texts.t('core.choose_zh', 'zh'),
        texts.t('core.choose_en', 'en'),
      ]);
    } else this.say(this.t('core.welcome'), this.labels(QUICK_STARTS));
  }

  /**
   * The same reply twice in a row reads as a coach who is not listening. A command or a button
   * asked for exactly that reply (/status twice): it is shown again. Otherwise the repeat is
   * replaced by a line that says so and offers what can come next.
   */
  private neverTwice(): void {
    const at = this.notices;
    const first = this.replies[at];
    if (!first) return;
    const hash = fnv1a(first.text);
    const asked = parseCommand(this.text) !== null || this.deps.kb.button(this.text) !== undefined;
    if (hash === this.conversation.lastReply && !asked) {
      this.replies[at] = {
        text: this.t('core.said_already'),
        actions: first.actions.length > 0 ? first.actions : this.labels(this.stageRefs()),
      };
    }
    this.conversation.lastReply = fnv1a(this.replies[at]?.text ?? '');
  }

  private languageUnknown(): boolean {
    return (
      !this.input.forceLang &&
      !this.profile.lang &&
      !this.profile.lastLang &&
      !localeLang(this.input.locale) &&
      !(this.input.text && detectLang(this.input.text))
    );
  }

  /** The role-play scene this conversation is in the middle of, if any. */
  private sceneInProgress(): { scenario: string; difficulty: string; turns: number } | undefined {
    const flow = this.conversation.flow;
    if (flow?.id !== 'roleplay') return undefined;
    const snapshot = flow.snapshot as {
      value?: unknown;
      context?: { scenario?: string; difficulty?: string; scene?: { record?: unknown[] } | null };
    };
    if (snapshot.value !== 'talking') return undefined;
    return {
      scenario: snapshot.context?.scenario ?? 'fees',
      difficulty: snapshot.context?.difficulty ?? 'normal',
      turns: snapshot.context?.scene?.record?.length ?? 0,
    };
  }

  /**
   * "OK, I'll take it" with Alipay's offer on record: an acceptance of that offer, however it is
   * worded. The role-play's act model hears acceptances; it runs only while an offer is pending.
   */
  private acceptsOffer(): boolean {
    const offer = this.profile.facts.alipayOffer;
    if (offer === undefined || !canSend(this.profile, { type: 'AGREED' })) return false;
    if (this.reading?.act?.type === 'question' || /[?？]/.test(this.text)) return false;
    return analyzeLine(this.text, this.lang, 'fees', { repOffer: offer }).act.type === 'accept';
  }

  /** The situation the case file holds (the case last answered for this user). */
  private userCase(): Case | undefined {
    const id = this.profile.facts.situation;
    return id ? this.deps.kb.caseById(id) : undefined;
  }

  /** A follow-up case of the last answer that the message's phrases name, unless another case is read. */
  private offeredCaseNamed(r: NluResult, situation: Case | undefined): Case | undefined {
    const last = this.lastCase();
    if (!last || !r.named || (situation && situation.id !== last.id)) return undefined;
    const id = r.named.find((n) => n !== last.id && last.followups.includes(`case:${n}`));
    const c = id ? this.deps.kb.caseById(id) : undefined;
    return c && this.fitsVisitor(c) ? c : undefined;
  }

  /**
   * In a conversation about Huabei/Jiebei arrears, what the person can pay and why ("我现在失业了，
   * 每个月最多能还一千") is the substance of a repayment request, not a fee to work out: the
   * repayment-negotiation case, with what was heard put where its words have blanks.
   */
  private repaymentDetail(r: NluResult): boolean {
    const c = this.lastCase() ?? this.userCase();
    if (!c || !CREDIT_CASE.test(c.id) || CALC_WORDS.test(this.text)) return false;
    const reason = HARDSHIP.find(([, words]) => words.test(this.text))?.[0];
    // "他们说只能先还最低还款额" is the lender's position, not what the person can pay.
    const ability = REPAY_ABILITY.test(this.text) && !SUPPORT_SAID.test(this.text);
    if (!reason && !ability) return false;
    const target = this.deps.kb.caseById(REPAYMENT_CASE);
    if (!target) return false;
    const details: string[] = [];
    if (reason) details.push(this.t(`core.repay_${reason}`));
    const amounts = r.entities.amounts ?? [];
    if (ability && amounts.length > 0)
      details.push(
        this.t('core.repay_amount', {
          amount: formatMoney(this.deps.kb.texts, Math.max(...amounts), this.lang),
        }),
      );
    r.intent = target.intent;
    this.profile.facts.situation = target.id;
    const head =
      details.length > 0
        ? this.t('core.repay_noted', { details: details.join(this.t('case.list_separator')) })
        : this.t('answer.say_head');
    this.say(
      [
        `${head}\n${target.script[this.lang]}`,
        `${this.t('answer.ask_for_head')}\n${target.ask_for[this.lang]}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
      this.labels([...target.followups, ...this.stageRefs()]),
    );
    this.shownTopic(`case:${target.id}`, true);
    return true;
  }

  /**
   * A no from the lender in a Huabei/Jiebei repayment conversation ("他们说只能先还最低还款额"):
   * the repayment case's ladder, not the refusal flow's fee, freeze and service paths.
   */
  private creditRefusal(happened: boolean): boolean {
    const c = this.lastCase() ?? this.userCase();
    const target = this.deps.kb.caseById(REPAYMENT_CASE);
    if (!c || !CREDIT_CASE.test(c.id) || !target) return false;
    // A refusal reported moves the stage; "what if they refuse?" does not.
    if (happened && canSend(this.profile, { type: 'REFUSED' })) this.move({ type: 'REFUSED' }, false);
    if (this.reading) this.reading.intent = 'refusal';
    this.profile.facts.situation = target.id;
    this.showCase(target, true, this.t('core.repay_refused'));
    return true;
  }

  /** The case answered by the reply before, if that reply was a case. */
  private lastCase(): Case | undefined {
    const last = this.conversation.lastTopic;
    return last?.startsWith('case:') ? this.deps.kb.caseById(last.slice('case:'.length)) : undefined;
  }

  /**
   * Details given right after a case was answered ("it's a Visa from Deutsche Bank, the payment
   * was 350 yuan") read as nothing by the models: they belong to that case. The reply says what
   * was noted and gives the case's next step (its short answer already gave the words to use):
   * what to ask for and what to prepare.
   */
  private caseFollowUp(): boolean {
    const c = this.lastCase();
    if (!c) return false;
    let noted = this.notedFacts();
    // After a case of a personal user's ("charged twice"), a sum given is the amount at stake,
    // even when the message alone does not say whose money it is.
    const amounts = this.reading?.entities.amounts ?? [];
    if (noted.length === 0 && amounts.length > 0 && !c.roles.includes('merchant')) {
      this.profile.facts.amount = Math.max(...amounts);
      noted = this.notedFacts();
    }
    if (noted.length === 0) return false;
    // The message is about that case: it is reported with the case's intent.
    if (this.reading) this.reading.intent = c.intent;
    this.say(
      `${this.notedHead(noted)}\n\n${this.t('answer.ask_for_head')}\n${c.ask_for[this.lang]}`,
      this.labels([...c.followups, ...this.stageRefs()]),
    );
    return true;
  }

  /**
   * "How long will it take?", "要多久能恢复" right after a case: a question about that case, however
   * the models read so few words. Its whole answer says what is known and what is not; once that
   * was shown, what the coach does not know and who does.
   */
  private shortFollowUp(): boolean {
    const last = this.lastCase();
    if (!last || !SHORT_FOLLOW_UP.test(this.text.trim()) || ALIPAY_NAMED.test(this.text)) return false;
    if (this.reading) this.reading.intent = last.intent;
    if (this.conversation.lastTopicLong) this.caseLimits(last);
    else this.showCase(last, true);
    return true;
  }

  /** What the coach does not know about a case and who does: all that is left once it was said. */
  private caseLimits(c: Case): void {
    this.say(
      `${this.t('answer.unknown_head')}\n${c.unknown[this.lang]}\n\n${this.t('answer.escalate_head')}\n${c.escalate[this.lang]}`,
      this.labels([...c.followups, ...this.stageRefs()]),
    );
  }

  /**
   * A statement right after a case that names no other ("我是卖水果的，根本没有赌博", "I'm not
   * gambling at all"): the person answering the case's suspicion or question, whatever subject
   * its words alone suggest.
   */
  private givesDetail(r: NluResult): boolean {
    const c = this.lastCase();
    const act = r.act;
    if (!c || !act || (act.type !== 'answer' && act.type !== 'correction') || act.confidence < ACT_SURE)
      return false;
    return !r.situation && !(r.named ?? []).some((id) => id !== c.id);
  }

  /** "Noted:" and the case-file lines a message added; nothing when it added none. */
  private notedHead(noted: readonly string[]): string {
    return noted.length > 0 ? [this.t('core.noted_for_case'), ...noted].join('\n') : '';
  }

  /**
   * More about the problem of the case just answered, naming no other case ("客服说是风控，要等
   * 30天"): the general topic would repeat that case's first step, so the reply notes what the
   * message added and goes on to the case's next steps (what to ask for, where to escalate).
   */
  private sameProblemAgain(r: NluResult): boolean {
    const c = this.lastCase();
    if (!c) return false;
    // The same problem again, or a reading too weak to mean a new subject ("I can't pay it all
    // at once" read as 0.3 alternatives after the Huabei answer).
    // What support said about it ("客服说要等审核") is the same problem's service side.
    const same =
      (c.intent === r.intent && PROBLEM_INTENTS.includes(r.intent)) ||
      (r.intent === 'service' && !r.situation && SUPPORT_SAID.test(this.text));
    const unclear = r.confidence < WEAK_AFTER_CASE && r.intent !== 'help' && r.intent !== 'out_of_scope';
    const detail = this.givesDetail(r);
    if (!same && !unclear && !detail) return false;
    // After the whole answer only a detail ("是爱奇艺的会员") still goes on with it.
    if (this.conversation.lastTopicLong && !detail) return false;
    return this.moreOfLastCase(r);
  }

  /**
   * More of the case just answered: its whole answer with what the message added, or once that
   * was shown, what was noted (else what is not known and who knows). False when no case was.
   */
  private moreOfLastCase(r: NluResult, head = this.notedHead(this.notedFacts())): boolean {
    const c = this.lastCase();
    if (!c) return false;
    r.intent = c.intent;
    if (!this.conversation.lastTopicLong) this.showCase(c, true, head);
    else {
      if (head && head !== this.notedHead(this.notedFacts())) this.say(head);
      if (!this.caseFollowUp()) this.caseLimits(c);
    }
    return true;
  }

  /** The case-file lines this message added. */
  private notedFacts(): string[] {
    if (!this.before) return [];
    // The problem is learnt by the routing, not read into the case file: it is not news here.
    const was = new Set(
      caseLines(this.deps.kb.texts, { ...this.before, issue: this.profile.issue }, this.lang),
    );
    return caseLines(this.deps.kb.texts, this.profile, this.lang).filter((l) => !was.has(l));
  }

  private outOfScope(): void {
    if (this.caseFollowUp()) return;
    // A phrase naming the case just answered ("退到哪里去了" after the missing refund) is about it.
    const last = this.lastCase();
    if (this.reading && last && this.reading.named?.includes(last.id) && this.moreOfLastCase(this.reading))
      return;
    // "How long will it take?" right after a case is a question about that case (its long
    // answer says what is known and what is not), however the models read so few words.
    if (this.shortFollowUp()) return;
    // A statement right after a case that the models find out of scope ("平台判我败诉" after the
    // seller dispute) goes on with that story: more of the case, not "I can't help".
    const said = this.reading?.act?.type;
    if (
      this.reading &&
      (said === 'report' || said === 'answer' || said === 'correction' || said === 'complaint') &&
      this.moreOfLastCase(this.reading)
    )
      return;
    // A visitor's practical question about Alipay ("Will my Visa work on Alipay?") is what the
    // visitor cases answer: the likeliest of them, else how to start.
    if (
      ALIPAY_NAMED.test(this.text) &&
      (this.profile.facts.visitor === true || VISITOR_WORDS.test(this.text)) &&
      this.reading?.act?.type === 'question'
    ) {
      const likely = this.reading.likelyCase;
      const liked =
        likely && likely.confidence >= VISITOR_LIKELY ? this.deps.kb.caseById(likely.id) : undefined;
      const c = liked?.roles.includes('visitor') ? liked : this.deps.kb.caseById(VISITOR_START_CASE);
      if (c) {
        this.reading.intent = c.intent;
        this.profile.facts.situation = c.id;
        this.showCase(c);
        return;
      }
    }
    // A question about Alipay the coach does not coach (how a feature works) has an owner to
    // name, and may hide a problem the person has not spelled out: offer the three problems.
    if (ALIPAY_NAMED.test(this.text)) {
      this.say(this.t('core.out_of_scope_alipay'), [
        ...PROBLEM_INTENTS.map((i) => this.t(`intents.${i}`)),
        this.t('actions.help'),
      ]);
      return;
    }
    this.say(this.t('core.out_of_scope'), this.labels(['action:help', ...this.stageRefs()]));
  }

  /** The home card (Slack's App Home): the stage map, next actions, the last debrief, quick starts. */
  private home(): void {
    const stage = currentStage(this.profile);
    const map = drawStageMap(
      this.deps.kb.texts,
      stageMapCard(this.deps.kb.texts, stage, this.lang),
      this.lang,
    );
    const stageText = [this.t('core.status_head', { stage: this.t(`stages.${stage}`) }), ...map].join('\n');
    this.say(stageText, [], {
      kind: 'home',
      lang: this.lang,
      title: this.t('core.home_title'),
      stageText,
      actions: this.labels(this.stageRefs()),
      quickStarts: this.labels(QUICK_STARTS),
      lastDebrief: this.profile.lastDebrief ? contractDebrief(this.profile.lastDebrief as never) : undefined,
      lastDebriefTitle: this.t(
        this.profile.lastDebrief ? 'core.home_last_practice' : 'core.home_no_practice',
      ),
      progress: progressCard(this.deps.kb.texts, this.profile, this.lang),
    });
  }
}

const CORRECTION =
  /^(?:不对|不是|错了|说错了|更正|纠正|应该是|sorry,? i meant|i meant|correction|actually,? (?:it'?s|it is)|no,? (?:it'?s|it is))/i;

/** The message corrects a fact it gave before ("不对，是8万", "sorry, I meant 0.45"). */
function isCorrection(text: string, reading: NluResult | null): boolean {
  const act = (reading as { act?: { type?: string } } | null)?.act;
  return act?.type === 'correction' || CORRECTION.test(text.trim());
}

function hasNumbers(reading: NluResult | null): boolean {
  const e = reading?.entities;
  return (e?.amounts?.length ?? 0) + (e?.rates?.length ?? 0) > 0;
}

/** Close top-two readings: ask, with both as buttons. */
function isAmbiguous(r: NluResult): boolean {
  const second = r.alternatives[0];
  if (!second || r.intent === 'out_of_scope') return false;
  return r.confidence - second.confidence < 0.2 && r.confidence < 0.6;
}

function localeLang(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  if (/^zh/i.test(locale)) return 'zh';
  if (/^en/i.test(locale)) return 'en';
  return undefined;
}

function replyParts(reply: Reply): [string, string[], Reply['card']] {
  return [reply.text, reply.actions, reply.card];
}

/** Applies a flow's change to the user's record: facts merge; an undefined value changes nothing. */
function applyPatch(profile: UserProfile, patch: ProfilePatch): void {
  if (patch.role !== undefined) profile.role = patch.role;
  if (patch.issue !== undefined) profile.issue = patch.issue;
  if (patch.planDone !== undefined) profile.planDone = patch.planDone;
  if (patch.lastDebrief !== undefined) profile.lastDebrief = patch.lastDebrief;
  if (patch.practice !== undefined) profile.practice = patch.practice;
  if (patch.facts) {
    for (const [key, value] of Object.entries(patch.facts)) {
      if (value !== undefined) (profile.facts as Record<string, unknown>)[key] = value;
    }
  }
}
