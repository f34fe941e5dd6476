/**
 * Features of one role-play line for the skill model (skillModel.ts): the project's tokens
 * (normalizeText — NFKC, traditional → simplified; lexicon words and character bigrams for
 * Chinese; natural's aggressive tokenizer and Porter stems for English; words under a negation
 * and the part after a last contrast ('but', 不过) again, marked as such) plus hand-made cues that
 * a bag of words cannot see on a few thousand training lines: numbers with their units and whether they
 * are asked for or stated, comparisons, first-person past facts, conditionals, politeness
 * formulas, threat targets (起诉/曝光/微博/12315/lawyer/media …), a sarcastic echo of the
 * representative's word ("信任？", "Consider it?") and a few of their combinations.
 *
 * Everything here is deterministic and cheap (no Intl.Segmenter: its cost alone is most of the
 * per-line budget); the model file records FEATURE_VERSION, so a change here forces a retrain.
 */
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import type { Scenario } from '../knowledge/schema';
import {
  EN_NUMBER_WORDS_RE,
  canStartNumber,
  parseEnglishNumberWords,
  parseNumberAt,
} from '../nlu/chineseNumbers';
import { normalizeText } from '../text/normalize';

/** Bumped whenever a feature changes meaning: the build then retrains the model. */
export const FEATURE_VERSION = 4;

export type NumberKind = 'rate' | 'amount' | 'count' | 'date' | 'other';
export type NumberRole = 'data' | 'ask' | 'other';

export interface NumberMention {
  value: number;
  kind: NumberKind;
  /** The line asks for this number ("降到0.3%", "I want ¥500") rather than stating it. */
  ask: boolean;
  /** Said about someone else (a peer, a competitor's quote) or the user's own past. */
  attributed: boolean;
  /** A count that is a length of time (三天, 24 hours, 两个月). */
  duration: boolean;
  /** "一个", "一次", "one": a count of one says nothing. */
  trivial: boolean;
  start: number;
  end: number;
}

export interface LineFeatures {
  /** Lower-cased, simplified, NFKC text. */
  norm: string;
  features: string[];
  /** The hand-made cues that fired (also among `features`, prefixed with '#'). */
  cues: Set<string>;
  numbers: NumberMention[];
}

/* ------------------------------------------------------------------------------------------------
 * Cues. Chinese patterns run on simplified text; English ones on lower-cased text.
 * ---------------------------------------------------------------------------------------------- */

export const CUES: Record<string, RegExp> = {
  // Courtesy formulas (respect only counts when the line is not hostile — the model sees both).
  // Courtesy formulas beyond a polite pronoun (respect only counts when the line is not hostile).
  polite:
    /谢谢|谢了|多谢|感谢|辛苦|打扰|不好意思|抱歉|劳驾|请教|您好|你好|早上好|下午好|晚上好|麻烦您了|有劳|\bthank|\bappreciat|\bsorry\b|would you mind|\bkindly\b|\bgrateful\b|\bhello\b|^hi\b|^hey\b|good (?:morning|afternoon|evening)|excuse me|much appreciated|\bcheers\b|if you don't mind|if i may|may i\b/,
  // Polite words that ordinary and even hostile lines use too: 您, 请, 麻烦, please.
  politeWord: /您|(?<![申邀聘宴])请|麻烦|\bplease\b|could you|would you/,
  greeting:
    /^(?:喂，?)?(?:您好|你好|早上好|下午好|晚上好|hello|hi|good (?:morning|afternoon|evening)|dear)\b|^(?:您好|你好)/,
  thanks: /谢谢|多谢|感谢|谢了|辛苦|\bthank|\bappreciat|grateful|\bcheers\b/,
  // Acknowledging the representative's position and constraints.
  ack: /理解|明白|有道理|不为难|不怪您|不怪你|我知道您|我也知道|您也是|您说得|您说的有|不是您能|不是您的错|规矩|您这边也|完全理解|体谅|难处|尽力|按流程|按规定|\bi understand\b|\bunderstood\b|^i see\b|\bi get (?:that|it)\b|\bi realis|\bi realiz|\bi know (?:you|it's not|this isn't)|fair point|makes sense|not your (?:fault|call|decision)|hands are tied|\bi hear you\b|have rules|following (?:company )?(?:rules|procedure)|follow the (?:rules|process)|\bi see, |you've done what you can|doing your best|done your best|i appreciate that|that's fair|good point|you're right/,
  apology:
    /道歉|对不起|语气|太冲|说话不好听|别介意|态度不好|失礼|刚才.{0,6}(?:急|冲|凶)|\bapologi[sz]e|sorry (?:about|for) (?:that|my|being)|\bi was (?:rude|harsh|sharp|too|panicking|out of line)|came in too hot|take it personally|lost my temper|didn't mean to/,
  insult:
    /骗子|垃圾|废物|脑残|有病吧|神经病|懒鬼|猪脑|缩头乌龟|二道贩子|蛀虫|念稿子的|\bbrainless\b|\bspineless\b|\bmuppets?\b|jobsworths?|\bthick\b|brick wall|\blazy\b|bad joke|script readers?|强盗|吸血|黑心|无耻|不要脸|烂|脑子|傻|蠢|笨|机器人吧|复读机|一伙|坑人|坑商家|坑老百姓|混蛋|王八|他妈|妈的|tmd|没有良心|良心都没|没良心|抢钱|死了吗|查户口|装什么傻|骗鬼|提款机|吃拿卡要|踢皮球|糊弄|废柴|饭桶|白痴|智障|滚|土匪|流氓|奸商|黑店|缺德|恶心|什么玩意|狗|人渣|吸血鬼|\bcrooks?\b|\bthie(?:f|ves|ving)\b|\bscam|\bidiot|\bstupid\b|\buseless\b|\bgarbage\b|\btrash\b|\brubbish\b|\bpathetic\b|brain-?dead|\bparrots?\b|bloodsucker|\brobbery\b|\brotten\b|\bgenius\b|\bbandits?\b|\bgreedy\b|\bclowns?\b|\bliars?\b|\bmoron|\bdumb\b|\bjoke of\b|\bincompetent\b|\bshameless\b|\bdisgusting\b|\bleeches?\b|\bvultures?\b|\bparasites?\b|\bfraudsters?\b|\bcheats?\b|\bcrap\b|\bdamn\b|\bhell\b|\bfuck|\bshit|\bbastards?\b|in bed with|fleecing|ripping off|rip-?off|excuse for a|pass the buck|cash machine|\bbull\b|my foot|shut up|piece of work|\bmafia\b|\bclueless\b/,
  threatTarget:
    /起诉|告你|告到|告死|去告|法院|律师|官司|法律途径|曝光|微博|抖音|小红书|点评|媒体|记者|电视台|网上|发出去|全发|发到|12315|12363|消协|消费者协会|人民银行|人行|央行|监管|银保监|金融办|派出所|报案|报警|黑猫|投诉你们|去投诉|就投诉|举报|找领导|找你们领导|天天打|差评|\bsu(?:e|ing)\b|\bcourt\b|\blawyers?\b|\blegal\b|\bexpos|\bweibo\b|\bdouyin\b|\bdianping\b|\bmedia\b|\bpress\b|journalist|reporter|\btv\b|\bonline\b|posting about|social media|\bpublish|go public|consumer association|central bank|people's bank|\bregulators?\b|\bpolice\b|black cat|one-star|\bbad reviews?\b|\bforums?\b|on blast|\bhotline\b|\breport you\b|ring every day|call every (?:single )?day/,
  leave:
    /换成|换到|换平台|换掉|换微信|换收钱吧|换别的|换家|不用了|不用你们|就不用|不再用|没必要再用|别用支付宝|销户|注销|走人|转走|撕了|一拍两散|我就走|我就换|拉倒|\bswitch(?:ing)?\b|\bmove (?:everything|every|all)\b|\bwalk(?:ing)? away\b|\bi walk\b|\bwalking\b|closing (?:my|the) account|close (?:my|the) account|cancel (?:my|the) account|done with you|we're finished|\bquit\b|rip out|take my business|\bstop (?:using|shopping)|move every cent|never use|go elsewhere|another provider/,
  ultimatum:
    /不.{0,10}就|再不|否则|不然|要么|之前不|前不|这周不|今天不|明天不|给你们.{0,6}(?:天|小时|分钟)|没结果|没动静|等着瞧|走着瞧|没完|后果自负|如果.{0,12}不.{0,8}就|\bor (?:i|i'm|i'll|it|it's|we|you'll|else|the)\b|\botherwise\b|\bunless\b|if (?:you )?(?:don't|won't|can't|refuse)|if it's not|\bno (?:answer|result|refund|cut|reply|fix)\b.{0,30}(?:and|i'm|i'll)|\bnothing (?:by|this)\b|you've got \w+ (?:days|hours|minutes)|wait till|you'll regret|until (?:i get|the money)|if it hasn't|last chance|final warning/,
  demand:
    /赶紧|马上|立刻|立即|快点|快些|必须|今天就|今天必须|给我降|给我解|给我退|给我放|给我弄|给我办|就要|我只要|我就要|我要你们|一个要求|别废话|少废话|降就完了|我不管|我要求|直接给|直接降|直接全|直接把|直接退|退了再说|解冻再说|降了再说|少一分|一分都不能少|\bnow\b|immediately|right now|this minute|\bhurry|\basap\b|^(?:just )?(?:cut|lower|drop|unfreeze|refund|sort|fix|unlock|deal|give|pay|release)\b|\bjust (?:cut|lower|give|tell|unfreeze|refund|pay|put|fix|do)|\bi want\b|\bi demand|\bi insist|one (?:demand|requirement|thing)|not asking again|deal with it|not a cent less|not a basis point|no excuses|no more excuses|get it done|make it happen/,
  dismiss:
    /别跟我|少来|别来这套|不稀罕|我不管|别给我看|别问我|不想听|不听|别解释|别扯|废话|关我什么事|跟我有什么关系|\bdon't care\b|spare me|save it|don't give me that|don't (?:talk|ask|show|lecture) (?:to )?me|don't want to hear|stop explaining|none of your business|not my problem|whatever you say/,
  // More courtesy, in general wordings: apologies, not taking it out on the person, kind words.
  courtesy:
    /别往心里去|不是冲您|不是冲你|不是针对您|不是针对你|对事不对人|别介意|您也不容易|你也不容易|不容易|冒昧|请教|见谅|包涵|担待|失礼|尊重|费心|劳您|劳烦|您说得对|您说的对|你说得对|您说得在理|在理|您受累|感激|\bmy apologies\b|\bapologies\b|\bpardon (?:me|my)\b|no offen[cs]e|not (?:angry|mad|upset|shouting) (?:at|with) you|nothing personal|not (?:aimed|directed) at you|(?:tough|hard|difficult|thankless) job|you've been (?:great|helpful|very|so|really|patient|kind)|kind of you|good of you|\bi respect\b|respect (?:your|the|that)|^hiya\b|^hi there\b|if you don't mind|sorry to (?:bother|trouble|interrupt|keep)|point taken|i take your point|i value|thanks? (?:a lot|so much|very much|again|for (?:your|the|that|taking|checking|looking|listening|explaining|helping|getting|walking|running|following|pushing|being))|much obliged/,
  // More willingness to move: settling for less, either way, stages, no need for all of it.
  give: /也成|也好|都成|无所谓|不要紧|不较真|不挑|让一让|往上走|往下走|退而求其次|看着办|您定|你定|随你们|按你们的|哪个都|哪种都|一部分|分批|分两次|分几次|不急|不着急|晚点|不一定|不必|不用非|没那么死板|有商量|可以谈|也认了|也满足|也满意|打个折|少一点|少退|先少|先小额|小额度|也收|\bi'm (?:flexible|easy|open|not fussy|not fussed|not precious|not rigid|not set)\b|\bwhichever\b|(?:is|would be|'d be|are) (?:fine|ok|okay|acceptable|alright|all right)(?: too| with me| by me)?|\bi(?:'d| would| will|'ll)? settle\b|good enough|i(?:'ll| can| could) come (?:up|down)|i can go (?:up|down|to)|halfway|give (?:a little|a bit|way|ground|some)|(?:some|a bit of|room for) (?:give|flexibility|room)|room to (?:negotiate|move|manoeuvre|maneuver)|not (?:fussed|fussy|bothered|precious|quibble)|won't quibble|split hairs|(?:doesn't|does not|don't) (?:matter|need to|have to)|no need for|(?:don't|do not) need (?:the|it all|all|cash|a lot)|forget (?:the |about )?compensation|whatever (?:suits|works|you|is)|your call|up to you|in (?:stages|instalments|installments|two steps|steps)|partial(?:ly)?|part of (?:it|the)|a smaller|second best|would do\b|that'll do|not the end of the world|i can wait|i'll wait|no rush|not in a (?:rush|hurry)|at your (?:own )?pace/,
  // A concrete arrangement: steps, dates, a trial, a cap, a named contact, something in return.
  arrange:
    /分两步|分阶段|时间表|作为交换|换一个|换取|三方|回电|回访|专人|限额|额度|试用|试行|体验价|到期|复核|复盘|再评估|重新评估|书面|写进|写明|备注|登记|协议|门槛|阶梯|封底|垫付|先垫|原路|一半|\btwo steps\b|\bin stages\b|\btimeline\b|\bschedule\b|\bmilestones?\b|\bin exchange\b|\bin return\b|\btrade\b|three-way|call-?back|follow-?up|\bnamed (?:person|contact|handler)|\bcap\b|\blimit\b|\btrial\b|\bpilot\b|introductory|review (?:date|it|in|after|again|at)|\brevisit|re-?evaluate|reassess|in writing|written (?:note|confirmation|deadline|date|proof)|on (?:my|the) file|\bclause\b|agreement|threshold|\bfloor\b|\badvance\b|cover (?:it|the)|\bhalf\b|\bcommit\b/,
  // Common interest, in general wordings.
  common:
    /互惠|一举两得|互相成就|共同的目标|共同目标|一起把|最受益|受益|都省心|都安心|都划算|谁也不吃亏|不吃亏|推荐给|留住我|老用户|忠实用户|少一个(?:差评|投诉|工单)|口碑|你们的(?:收入|流水|交易量|份额|客户)|\bmutual\b|\bwe both\b|both of us|\bboth sides\b|\beach other\b|\bshared? (?:goal|interest|aim)|\bsame (?:goal|thing|side|page|aim)|\bin your interest\b|\byour (?:interest|numbers|volume|income|revenue|reputation|customers?)\b|\bloyal\b|\bloyalty\b|\brecommend\b|word of mouth|\bbenefits? (?:you|us|both|everyone)|\beveryone wins\b|nobody loses|win-win|\bwin for\b|two birds|\bkeep (?:me|a customer|an old|long-time|using)|\bstay with\b|better for (?:both|everyone|you)|good for (?:both|you|everyone|the platform|alipay)|pays off for you|(?:helps|serves) (?:you|us both)/,
  // Numbers and facts.
  docs: /对账单|账单|截图|记录|订单号|工单号|单号|合同|发票|证明|凭证|聊天|营业执照|身份证|户口本|报价单|书面报价|快递|录音|流水单|明细|回执|收据|小票|照片|\bstatements?\b|screenshots?|\brecords?\b|order number|\bticket\b|contract|invoice|certificate|\bproof\b|receipt|chat (?:history|log)|\bthe chat\b|tracking|licen[cs]e|\bid\b|household register|written quote|in writing|\bphotos?\b|\blogs?\b|bank slip|reference number/,
  volume:
    /流水|营业额|营收|收款|收了|交了|扣了|手续费就|一共|月均|每个月|每月|一个月|一年|全年|余额|里面有|花了|转了|进账|成交|客单|单量|笔数|\bvolume\b|\bturnover\b|\brevenue\b|\bsales\b|a month|per month|every month|monthly|a year|per year|annual|in fees|\bpaid\b|\bin total\b|\bbalance\b|we do|we take|we average|took over|\bearn|\btransactions?\b/,
  pastTime:
    /上个月|上月|去年|前年|昨天|前天|上周|上次|之前|以前|当时|那天|当天|\d+号|\d+月|已经|到今天|到现在|这都|\blast (?:month|year|week|time|quarter|friday|monday|tuesday|wednesday|thursday|saturday|sunday)\b|\byesterday\b|\bago\b|\bonce\b|\bbefore\b|\bsince\b|\bearlier\b|that day|the same day|\bon (?:the )?\d|\b(?:jan|feb|march|april|may|june|july|aug|sept?|oct|nov|dec)\w* \d/,
  firstPerson: /我|咱|\bi\b|\bi'm\b|\bi've\b|\bmy\b|\bwe\b|\bour\b|\bwe've\b|\bmine\b/,
  compare:
    /比|还没我|跟我差不多|跟我.{0,4}一样|差不多|同样|同一|一样的情况|类似|相比|差价|\bthan\b|\bsame\b|\bsimilar\b|compared|\bas much as\b|difference|\blike mine\b/,
  hyperbole:
    /一百年|好久好久|一万年|一辈子|a hundred years|\bforever\b|literally|a million times|ages and ages|\beternity\b/,
  // Precedents: who, what they got.
  peer: /同行|隔壁|朋友|同事|邻居|亲戚|表姐|表哥|表妹|表弟|同学|商会|协会|有人|有的商户|有用户|其他用户|别的用户|别的商家|其他商家|好几家|几家|两家|三家|老王|老李|老张|同一条街|同类目|一批|新闻|网友|\bneighbou?rs?\b|\bfriends?\b|\bcolleagues?\b|\bclassmates?\b|\bcousin\b|\bsister\b|\bbrother\b|association|other (?:users|merchants|shops|platforms|people|customers)|some (?:merchants|people|users|customers|shops)|\bsomeone\b|a couple of people|group of|two (?:shops|restaurants)|three restaurants|several (?:shops|merchants|people)|\bnews\b|a shop in|another (?:merchant|shop|user|customer)|next door|down the (?:street|road)|on (?:my|our|the same) street|across the (?:road|street)|same street|(?:a|one|the) (?:shop|restaurant|store|merchant) (?:in|on|near|like)/,
  got: /(?<!i've |i have |we've )(?:批到|批了|批过|拿到|享受到|申请到|谈下来|谈到|谈过|解开|解了|解封|恢复|到账|到帐|给了|给他|给她|报了|给我报|报价|打了折|打折|降到了|降了|催下来|催到|结案|退回|\bgot\b|\bapproved\b|was restored|\brestored\b|\blifted\b|\bcleared\b|\bwas paid\b|\barrived\b|\bgave\b|quoted|\bquote\b|chased it|sent (?:him|her|them)|had it through|handled|solved|\bsecured\b|negotiated|\boffered\b|\bgranted\b|refunded)/,
  competitor:
    /微信|云闪付|收钱吧|拉卡拉|银联|京东|美团|抖音支付|银行|\bwechat\b|unionpay|shouqianba|lakala|\bjd\b|meituan|\bbank\b|another platform|other platforms/,
  rule: /法|条例|规定|承诺|官方|说明|倡议|政策|公告|条款|\blaw\b|\brules?\b|\bpledge\b|\bpolicy\b|help page|regulation|terms|announcement|guideline/,
  sameAgain:
    /也能|也这样|同样的|一样的流程|照样|参照|也参照|也按|也给我|也帮我|同样处理|一样处理|the same (?:way|process|treatment)|do the same|same this time|that again|as quick|just as|too\?|no different|likewise|similar treatment/,
  // Common interest.
  sharedStrong:
    /双方|两边|两全|对你们也|对你们来说也|对支付宝也|你们也(?:有好处|能|少|省)|一回事|不矛盾|目标一致|目标是一样|方向是一样|站在一边|一条船|共赢|双赢|互利|都有好处|都受益|都省|都好|都放心|都踏实|都安心|大家都|你们的(?:量|流水|收入|口碑|满意度)|留住我|流失|\bboth (?:of us|sides|ends|want)|for you too|for you as well|good for you|win-win|\bwin\b|same (?:thing|direction|outcome|goal|side|boat)|don't conflict|nobody loses|for both|your (?:volume|revenue|reputation|platform|satisfaction|false)|one (?:less|fewer) (?:complaint|risk|case)|fewer (?:angry )?(?:calls|complaints|false)|steady (?:income|volume)|real revenue|worth it for you|keeping (?:me|us|an)/,
  shared:
    /双方|两边|大家|咱们|我们都|都省|都好|都放心|都踏实|都有好处|都受益|对你们|你们也|对支付宝|一回事|不矛盾|目标一致|目标是一样|方向是一样|口碑|流失|留住|继续用|一直用|长期用|长期合作|老用户|老客户|信任|信心|习惯|不想换|留在|宣传|划算|好处|收入|不想闹|不吃亏|少一个投诉|少接|共赢|双赢|互利|\bboth\b|for you too|good for you|\bwin\b|win-win|same (?:thing|direction|outcome|goal|side)|don't conflict|reputation|lose (?:a|users|customers|me)|keep (?:using|us|paying|all|me)|\bstay\b|stays on|\bloyal|\btrust|confidence|used to it|advertising|revenue|worth it|nobody loses|for both|either\b.{0,20}\btoo\b|one less complaint|fewer (?:angry )?(?:calls|complaints)|rather (?:stay|sort|keep)|don't want to (?:switch|leave|fall out)|long-term|mutual|benefit(?:s)? (?:you|alipay|both)|your interest|our interest|in your interest/,
  // Proposals.
  propose:
    /要不|不如|我提|提个|建议|方案|这样行|这样可以|这样好不好|这样吧|行不行|可以吗|行吗|好吗|先按|先.{1,14}再|试行|试一|阶梯|分步|分两|第一|然后|到时候|定个|约|安排|承诺|签|撤销投诉|就不再追究|专人|\bhow about\b|\bwhat if\b|\bwhy not\b|\blet's\b|could we|here's (?:an idea|a way)|my proposal|\bsuggest|would (?:this|that) work|would that fly|can we agree|\bfirst\b|\bthen\b|\btrial|\btiers?\b|\bsteps?\b|in exchange|i'll (?:commit|sign|move|send|upload|withdraw|stop|let|mark|do|go)|set up|\bbook\b|\bassign|escalate|\bdeal\?/,
  proposeStrong:
    /要不这样|要不咱们|要不您|要不先|要不你们|不如(?:这样|您|你们|我|先)|我提个|提个(?:方案|建议|办法)|我的(?:方案|建议|想法)是|我(?:有个|想到一个)(?:办法|主意|想法)|我建议(?!你们(?:赶紧|马上|立刻|先把钱))|这样行不行|这样可以吗|这样好不好|这样如何|您看这样|是否可行|试行|试(?:一个|一下|一段|用)|先跑|阶梯|分步|分两步|分阶段|第一[，,、：:]|定个目标|作为交换|同时帮我|期间先|先.{1,16}(?:再|然后|之后|等.{0,8}再)|\bhow about (?!you just)|\bwhat if (?:you|we|i)\b|\bwhy not (?:\w+ )?(?:set|do|try|start|advance|let|give|keep|lower|release|reopen)|\blet's (?:set|do|say|try|agree|meet|make|split|start|call)|could we (?:do|set|agree|try|go|start|split|make)|here's (?:an idea|a way|my|what i)|my proposal|\bi (?:suggest|propose)\b|may i suggest|would (?:this|that) work|would that fly|can we agree|\btrial\b|\btiered?\b|step[- ]by[- ]step|\bfirst,|\bin exchange\b|\bin return\b|\bmeanwhile\b|\binstead of\b|(?:start|put) me (?:at|on)|\bpilot\b|\bphased?\b|split the difference/,
  reciprocal:
    /我(?:先|可以|这边|今天|会|把|就|保证|承诺|去|签|愿意|也愿意).{1,30}(?:您|你们|你)(?:先|再|就|帮|给|把|审核|恢复|安排|这边|核验|确认)|(?:您|你们|你).{1,30}(?:我就|我可以|我这边就|我也|我就不|我签|我把|我撤|我马上|我保证)|\b(?:i'll|i will|i can|let me|i take|i send|i upload)\b.{1,60}\b(?:you|you'll|your)\b|\b(?:give me|get me to|if you|you (?:give|get|lift|release|do|chase|restore|reopen|keep|expedite))\b.{1,60}\b(?:i'll|i will|i can|and i|i stop|i drop|i sign|i stay)\b/,
  // Accepting on a condition: "只要周五前到账，我就接受", "if it's in writing, I'll accept 0.5%".
  condAccept:
    /(?:如果|要是|只要|假如|若是?)[^。？?！!]{1,40}(?:我就接受|就接受|我接受|我同意|就同意|就成交|就签|我就签|没问题|就行了?|就可以了?|我认)|(?:\bif\b|\bprovided\b|as long as|\bonce\b)[^.?!]{1,60}(?:i'll accept|i accept|i can accept|i'll agree|i agree|i can agree|(?:it's|we have|you have|you've got) a deal|i'm happy|fine by me|works for me|i'll sign|i'll take it|count me in)|(?:i'll accept|i accept|i can accept|i'll agree|i agree|i'll take|i can live with|fine by me|works for me|we have a deal|it's a deal)[^.?!]{0,40}(?:\bif\b|\bprovided\b|as long as|\bonce\b)/,
  // Asking for an arrangement: "能不能先…", "could you at least …", "within three working days".
  requestArrangement:
    /能不能(?:这样|先|麻烦|.{0,6}先)|可不可以先|能否先|是否可以先|能不能.{0,12}(?:内|前)|麻烦您(?:帮我)?(?:约|安排|登记|申请|升级|提交)|帮我(?:约|安排|登记|申请一下|升级)|\bcould you (?:at least|first|aim|book|set|arrange|release|note|log|escalate|put me|advance)|would you (?:please )?(?:book|set|arrange|request|escalate)|could we (?:do|set|agree)|\bcan we (?:do|set|agree)/,
  // Steps in order: "先…再…", "first …, then …".
  sequence:
    /先.{1,20}(?:再|然后|之后|以后|等)|第一.{1,30}第二|\bfirst\b.{1,80}\b(?:then|after|once|later|afterwards)\b|\bthen\b.{1,40}\bafter\b|\bonce\b.{1,60}(?:then|, )|step (?:one|1)|\bafterwards\b|\bmeanwhile\b/,
  // A date or time limit for something to happen: "周五前", "within three working days", "by Friday".
  deadline:
    /(?:周[一二三四五六日末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|明天|今天|本周|这周|下周|月底|\d+号|[一二三四五六七八九十两\d]+个?(?:工作日|天|小时))(?:之?前|之内|内)|\bby (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the end|noon|\d)|\bwithin (?:\w+ )?(?:\w+ )?(?:working )?(?:days?|hours?|weeks?)|\bbefore (?:monday|tuesday|wednesday|thursday|friday|the weekend|the end)/,
  conditional:
    /如果|要是|的话|只要|实在|万一|假如|除非|\bif\b|as long as|provided|\bonce\b|\bunless\b|on that basis|on condition/,
  // Flexibility.
  flex: /也行|也可以|也能接受|我也能|能接受|可以接受|没意见|都可以|都配合|我都补|配合|不一定非要|不用一步|一步到位|哪怕到|退一步|让一点|让一步|让步|各退|不计较|不坚持|不较|不跟您较|也没关系|都行|就行|也能考虑|晚几天|可以等|再等|先开一部分|先处理|我认|我也认|折中|可以商量|商量着来|我可以调整|也不是不行|不是非得|不必非要|\bfine by me\b|\bis fine\b|would be (?:okay|fine)|okay too|happy to|\bwilling to (?!bet)|don't have to|doesn't (?:have|need) to|needn't|(?:can|could) live with|\beither (?:is|works|way is)|i'd consider|i can wait|go along|won't (?:fight|argue|insist)|i won't argue|i'll drop|meet you|partway|meet in the middle|split the difference|compromise|at least|fair enough|step back|i'll stay at|open to|not (?:set|fixed|insisting) on|settle for|i could (?:do|accept|go|work with)|works too|also (?:fine|okay)|can wait/,
  // "If X is not possible, then Y": a fallback the user offers.
  fallback:
    /(?:不行|批不下来|批不了|做不到|办不到|不能|不可以|没法|退不了|解不了|保证不了|不了)的话|实在.{0,10}(?:不|没)|(?:不行|不了)就|一次.{0,6}不了|(?:can't|cannot|won't|isn't|is not|not) (?:be )?(?:approved|possible|fly|work|happen|done|lifted|go through|manage)|off the table|if (?:that|it|this) (?:fails|doesn't|can't|isn't|won't)|if not\b|if .{1,30}(?:can't|won't|isn't|doesn't|not possible|too much)|(?:otherwise|failing that),? (?:then )?(?:i|we|could|maybe|how)/,
  // Giving something up: "not quite what I hoped for, but …".
  concession:
    /差一点|还差|比我(?:想|预期|希望)|高了一点|高一点|也认了|我也认|我也让|让一点|不强求|不坚持|不计较|不较|就.{1,6}吧|勉强|虽然|不过|not (?:quite )?what i (?:hoped|wanted)|higher than i (?:wanted|hoped)|more than i (?:wanted|hoped)|i'll take|i'll drop|i won't (?:fight|argue|insist|push)|not insisting|i can accept|i could accept|i'll settle|fine,? i'll|okay,? (?:then|for now)|for now/,
  // Open to any of several ways: "哪种都行", "either is fine", "whatever you need".
  anyOption:
    /哪种(?:方式)?都|怎么(?:样|处理)?都行|什么都(?:行|可以|配合)|多少都行|都可以|都行|需要什么.{0,6}都|要什么.{0,6}都|我都(?:配合|补|可以|愿意)|任何|\bany (?:form|of those|amount|way)|\beither\b|whatever (?:you need|works|is fastest|'s fastest)|tell me what (?:to send|you need)|i'll (?:provide|cooperate|send (?:it|whatever))|any of/,
  // Letting part wait: "补偿以后再说", "receiving can wait".
  defer:
    /以后再说|再说也可以|晚几天|晚点|先不急|不着急|没关系|可以等|再等|先.{1,10}就(?:行|好|可以)|can wait|no rush|later is fine|stay (?:off|blocked|frozen)|for now|first;|first,/,
  // Dialogue acts.
  acceptStart:
    /^(?:好|好的|好吧|行|行吧|成|可以|嗯|嗯嗯|ok|okay|那行|那好|fine|sure|alright|all right|right then|great|good|yes|perfect|yeah|yep|deal|agreed|done)(?![a-z\u4e00-\u9fff]{2})/,
  accept:
    /成交|就这样|就这么|就按|按这个|按您说|那就|就.{1,8}吧|我接受|接受这|.+可以接受|同意|先这样|签吧|先签|我等|等您|先去|我明天|我今天就|就.{1,8}就.{1,8}|先用着|先这样|没问题(?![？?])|一言为定|说定了|就这么定|可以的|\bdeal\b|let's (?:do|go|just do|leave|lock)|\bit is\b|sign me up|\bdone\b|i accept|\bagreed?\b|lock (?:that|it) in|i'll wait|we'll do it|works for me|happy with|that'll do|go with|i'll go and|i'll upload|then\.|it is\.|i'm in\b|you've got a deal|sounds good|that works|i can accept|i'll take it|count me in|fine with me|\bsettled\b|go ahead|i'll do (?:it|that|the)|今晚就|马上就去|这就去|按您说的|听您的/,
  reject:
    /不行|不接受|接受不了|没法接受|不能接受|太高|太久|太长|太远|差太|没用|不同意|不交|等不了|不满意|还是高|还是太|一点用|跟没降|不够|不要|算什么|\bno\b|\bnope\b|\bnot (?:taking|accepting|willing|happy|enough|good enough|acceptable)|don't accept|can't accept|cannot accept|won't accept|too (?:high|long|slow|little)|no way|miles off|barely|does nothing|nothing works|far too|is useless|that's an insult|not good enough|unacceptable|i refuse|not interested/,
  rejectStrong:
    /^(?:不行|不|不要|没用|no|nope|not)\b|^(?:不行|不要|不)[，。,.!！]|不接受|接受不了|没法接受|不能接受|我不同意|太高了|还是太|还是高|太久了|太长了|太慢了|差太(?:多|远)|等不了|not accepting|don't accept|can't accept|cannot accept|won't accept|i'm not taking|no way|too (?:high|long|slow)\b|not enough|that's an insult|does nothing|unacceptable|i refuse/,
  end: /结束|不聊了|不谈了|不说了|挂了|算了|浪费时间|到此为止|自己想办法|自己去找|回去再想|回头再说|先这样吧.{0,4}再见|再见|拜拜|\bend this\b|ending this|i'm done|stop here|hang(?:ing)? up|forget it|waste of (?:my )?time|pointless|talk(?:ing)? anymore|i'll (?:sort it out|go after)|think it over|\bbye\b|goodbye|that's all/,
  question:
    /[?？]|吗|呢$|多久|什么时候|怎么|哪里|哪个|哪天|几个|是否|能不能|可不可以|有没有|是不是|^(?:what|how|when|where|why|who|which|is|are|do|does|did|can|could|would|will|should|may)\b/,
  hedge:
    /……|\.\.\.|…|呃|那个|大概|好像|也没细算|说不清|i guess|i think|maybe|\bum\b|i don't really|\bhm\b|\buh\b/,
  sarcasm:
    /一个字都没改|帮了大忙|nothing changed|but great|thanks for nothing|呵呵|恭喜|真是太|太贴心|真高|太专业|说得真好|说得太好|成功把|真灵活|可真|才怪|还好意思|真行啊|厉害了|佩服|服了|\bwow\b|lovely|beautifully|congratulations|thanks a lot|super efficient|\bgreat\.|could've fooled|very professional|funny how|very flexible|big deal|easy for you|oh sure|yeah right|how generous|real(?:ly)? helpful|bravo|nice job|well done/,
  // Asking the representative for data or a plan (not showing it).
  askInfo:
    /你们要.{0,6}(?:什么|哪些)|要提供什么|能看到多少|在哪(?:里)?(?:看|下载|找)|什么数据|什么证据|什么方案|处理方案是什么|你们的方案|what (?:data|evidence|documents|screenshots)|what's your plan|your plan|where (?:do|can) i (?:find|see|download)|how much of my/,
};

/**
 * Each cue split by script: the top-level alternatives that contain Chinese characters, and the
 * rest. A line in one language then runs only half of every pattern (the per-line budget is a
 * fraction of a millisecond and long lines are mostly regular-expression time).
 */
interface SplitCue {
  name: string;
  han: RegExp | null;
  latin: RegExp | null;
}

function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

const HAN_CHAR = /\p{Script=Han}/u;

function splitCue(name: string, re: RegExp): SplitCue {
  const parts = topLevelAlternatives(re.source);
  // A part with Chinese characters goes to the Chinese pattern, a part with letters (other than
  // escapes such as \b) to the Latin one; a part with both, or with neither, to both.
  const letters = (p: string): boolean =>
    /[a-z]/.test(p.replace(/\\[a-z]/gi, '').replace(/\(\?<?[=!:]/g, ''));
  const han = parts.filter((p) => HAN_CHAR.test(p) || !letters(p));
  const latin = parts.filter((p) => !HAN_CHAR.test(p) || letters(p));
  const compile = (list: string[]): RegExp | null =>
    list.length ? new RegExp(list.join('|'), re.flags) : null;
  return { name, han: compile(han), latin: compile(latin) };
}

const SPLIT_CUES: SplitCue[] = Object.entries(CUES).map(([name, re]) => splitCue(name, re));

/** The cues (by name) a normalised, lower-cased line shows: the same as testing every CUES pattern. */
export function matchCues(norm: string, out = new Set<string>()): Set<string> {
  const hasHan = HAN_CHAR.test(norm);
  const hasLatin = /[a-z]/.test(norm);
  for (const c of SPLIT_CUES) {
    if ((hasHan && c.han?.test(norm)) || (hasLatin && c.latin?.test(norm))) out.add(c.name);
  }
  return out;
}

/** A short echo of the representative's word, as a question, at the start: "信任？", "Consider it?". */
const ECHO_QUESTION = /^[^，。！？,.!?]{1,12}[?？]/;
/** Rate words right before a bare decimal (费率0.38, rate of 0.45). */
const RATE_WORDS = /费率|点|扣|rate|basis|%/;
/** Just before a number: the number is what the user asks for. */
const ASK_BEFORE =
  /(?:降到|降至|降成|降为|调到|调成|给我|给到|给个|就要|我要|要求|只要|赔我|赔偿|补偿|做到|能到|按|报|就|来个|那就|给|到|want|give me|get me to|put me on|what about|drop (?:it )?to|lower (?:it )?to|cut (?:it )?to|make it|how about|could you do|can you do|settle (?:on|for)|go (?:to|with)|to|at|on|for|me|demand|requirement:?|call it|just)\s*[¥￥]?\s*$/;
/** Just after a number: still asking ("0.4，不能再多了", "not a cent less"). */
const ASK_AFTER =
  /^\s*(?:%|％|个点)?\s*[，,。.]?\s*(?:就这样|就行|不能再|少一|一分都|一点都|final|not a|and we're done|that's it|就好|行不行|行吗|可以吗|可不可以|怎么样|如何|好不好|能不能批|能批吗|成吗|\?|？|instead|would work|could work|would be (?:ok|okay|fine)|and i'm (?:fine|happy|in)|and (?:it's|we have) a deal)/;
/** Right after a number: the user turns that number down (it is the representative's, not an ask). */
const REJECTED_AFTER =
  /^\s*(?:%|％|个点)?\s*[？?，,。.…]*\s*(?:太高|还是高|还是太|也太|不行|不够|算了|跟没降|is (?:still )?too|too high|still too|no\b|that's|come on|barely|does nothing)/;
const ATTRIBUTE_BEFORE =
  /(?:他|她|他们|人家|隔壁|同行|朋友|同事|邻居|商会|报了|报价|报的是|给我报|给了|批了|批到|拿到|申请到|谈下来|现在是|还是|按|去年|上个月|上次|之前|quoted(?: me)?|quote (?:from \w+ )?for|approved for|got|gave|he pays|she pays|pays|paid|at|was|i'm still on|still on|on)\s*[¥￥]?\s*$/;
const DATE_BEFORE =
  /(?:jan|feb|march|april|may|june|july|aug|sept?|oct|nov|dec)[a-z]*\.?\s*$|(?:the|on|by|since)\s*$/;

const CN_COUNT_UNITS =
  /^(?:个|次|笔|家|天|年|月|周|星期|小时|分钟|张|遍|位|个工作日|工作日|季度|条|部|步|成|倍)/;
const EN_COUNT_UNITS =
  /^[\s-]*(?:times?|payments?|shops?|restaurants?|branches|days?|years?|months?|weeks?|hours?|minutes?|images?|photos?|departments?|working|people|steps?|members?|out of|of them|in total)\b/;

const tokenizer = new AggressiveTokenizer();
/** Words that negate the next few (with any "…n't" and chat-style "dont", "cant"). */
const EN_NEGATION = new Set(
  'not no never cannot nothing nobody without neither nor dont doesnt didnt cant wont isnt arent wasnt havent shouldnt wouldnt couldnt'.split(
    ' ',
  ),
);
/** 不/没/别/无 and what they negate (不过 and 不然 are conjunctions). */
const ZH_NEGATION = /[不没别无](?![过然])(\p{Script=Han}{1,2})/gu;
/** The last contrast in a line: what follows it is what the user means. */
const CONTRAST =
  /(?:不过|但是|可是|只是|然而|\bbut\b|\bhowever\b|\bthough\b|\byet\b)(?!.*(?:不过|但是|可是|只是|然而|\bbut\b|\bhowever\b|\bthough\b|\byet\b))/u;
const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_RUN = /[a-z][a-z0-9'\-/]*/g;

/* ------------------------------------------------------------------------------------------------
 * Numbers
 * ---------------------------------------------------------------------------------------------- */

function kindOf(
  norm: string,
  start: number,
  end: number,
  value: number,
  scenario: Scenario,
  decimal: boolean,
): NumberKind {
  const after = norm.slice(end, end + 8);
  const before = norm.slice(Math.max(0, start - 12), start);
  if (/^\s*(?:%|％|‰|个点|个百分点|percent|pct|bp)/.test(after) || /(?:百分之|千分之)$/.test(before))
    return 'rate';
  if (
    /^\s*(?:月\d|月份|号|日|[时点](?![一二三四五六七八九\d])|th\b|st\b|nd\b|rd\b|pm\b|am\b)/.test(after) ||
    DATE_BEFORE.test(before)
  )
    return 'date';
  if (/(?:周|星期|礼拜)$/.test(before)) return 'date';
  if (
    /[¥￥]\s*$/.test(before) ||
    /^\s*(?:元|块|万|千|k\b|w\b|yuan|rmb|cny|grand|thousand|million)/.test(after)
  )
    return 'amount';
  if (/^(?:多|来|几)?(?:元|块|万)/.test(after)) return 'amount';
  // The reader keeps 万/千/亿 and k/w inside the number itself (五万, 8万, 80k).
  if (/[万亿千]$|\d[kw]$|(?:thousand|million)$/.test(norm.slice(start, end)) && value >= 1000)
    return 'amount';
  if (CN_COUNT_UNITS.test(after.replace(/^[多来几余]/, '')) || EN_COUNT_UNITS.test(after)) return 'count';
  if (decimal && value < 5 && (scenario === 'fees' || RATE_WORDS.test(before))) return 'rate';
  if (value >= 100 && value < 1e7 && !/^\d{5,}$/.test(norm.slice(start, end).replace(/[,.]/g, '')))
    return /流水|收|交|花|付|钱|费|赔|金额|退款|余额|fee|paid|refund|money|spend|take|volume|compensation/.test(
      before + after,
    )
      ? 'amount'
      : 'other';
  return 'other';
}

const DURATION_AFTER =
  /^(?:[多来几余])?\s*(?:个)?(?:天|小时|钟头|分钟|周|星期|礼拜|个月|月(?![\d号份])|年(?!前|级)|季度|工作日|个工作日)|^[\s-]*(?:days?|hours?|minutes?|weeks?|months?|years?|quarters?|working days?)\b/;

function mention(norm: string, value: number, kind: NumberKind, start: number, end: number): NumberMention {
  const after = norm.slice(end, end + 8);
  const duration = kind === 'count' && DURATION_AFTER.test(after);
  const trivial = kind === 'count' && value === 1;
  return { value, kind, ask: false, attributed: false, duration, trivial, start, end };
}

/**
 * The numbers of a normalised, lower-cased line, with a kind and whether they are asked for.
 * Digits, Chinese numerals (via the NLU's reader) and English number words.
 */
export function readNumbers(norm: string, scenario: Scenario): NumberMention[] {
  const out: NumberMention[] = [];
  let i = 0;
  while (i < norm.length) {
    const c = norm.charAt(i);
    if (!canStartNumber(c)) {
      i++;
      continue;
    }
    const prev = norm.charAt(i - 1);
    // Glued to a word ("sf1234", "v2") or part of another token.
    if (/[a-z]/.test(prev) && !/[¥￥]/.test(prev)) {
      while (i < norm.length && /[\d.]/.test(norm.charAt(i))) i++;
      continue;
    }
    const n = parseNumberAt(norm, i);
    if (!n || n.end <= i) {
      i++;
      continue;
    }
    const text = norm.slice(n.start, n.end);
    // A lone 一 / 两 inside words (一直, 一起, 一下, 两边) is not a quantity.
    const lone = /^[一两二]$/.test(text) && !CN_COUNT_UNITS.test(norm.slice(n.end, n.end + 4));
    if (!lone) {
      const kind = kindOf(norm, n.start, n.end, n.value, scenario, n.decimal);
      out.push(mention(norm, n.value, kind, n.start, n.end));
    }
    i = n.end;
  }
  if (
    /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand)\b/.test(
      norm,
    )
  ) {
    for (const m of norm.matchAll(EN_NUMBER_WORDS_RE)) {
      const parsed = parseEnglishNumberWords(m[0]);
      if (!parsed || m[0] === 'a' || m[0] === 'one') continue;
      const start = m.index;
      const end = start + m[0].length;
      const kind = kindOf(norm, start, end, parsed.value, scenario, false);
      out.push(mention(norm, parsed.value, kind, start, end));
    }
    out.sort((a, b) => a.start - b.start);
  }
  for (const n of out) {
    if (n.kind === 'date') continue;
    const before = norm.slice(Math.max(0, n.start - 14), n.start);
    const after = norm.slice(n.end, n.end + 14);
    n.attributed = ATTRIBUTE_BEFORE.test(before);
    n.ask =
      !n.attributed &&
      (n.kind === 'rate' || n.kind === 'amount' || n.kind === 'other') &&
      !REJECTED_AFTER.test(after) &&
      (ASK_BEFORE.test(before) || ASK_AFTER.test(after) || /^[\s,，。.]*$/.test(norm.slice(0, n.start)));
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * Features
 * ---------------------------------------------------------------------------------------------- */

export interface FeatureOptions {
  /** Chinese domain words kept whole (the NLU lexicon's words), longest match first. */
  words: ReadonlySet<string>;
  maxWord: number;
}

function hanWords(run: string, opts: FeatureOptions, out: Set<string>): void {
  let i = 0;
  while (i < run.length) {
    let len = Math.min(opts.maxWord, run.length - i);
    for (; len >= 2; len--) {
      if (opts.words.has(run.slice(i, i + len))) break;
    }
    if (len >= 2) {
      out.add(`w:${run.slice(i, i + len)}`);
      i += len;
    } else i++;
  }
}

/** Clause breaks; a '.' inside a decimal (0.45) is not one. */
const CLAUSE_BREAK_G = /[，。；;！？!?—]+|,\s+|\.(?!\d)\s*/g;
const OWN = /我|咱|\bi\b|\bi'm\b|\bi've\b|\bmy\b|\bwe\b|\bour\b|\bwe've\b|\bwe're\b|\bus\b/;
const HOLD =
  /我有|我这(?:里|边)?有|手上有|手里有|都有|都留着|都存着|发给您|发给你|传上|上传|附上|可以提供|\bi have\b|\bi've got\b|\bi can (?:send|upload|show|provide)|\bi'll send|\bi'm sending|attached|\bhere\b/;

/**
 * Cues read clause by clause: whose numbers they are. A figure next to "I/we" with nobody else
 * named is the user's own data; next to a peer or a competitor, a case; inside a proposal or an
 * ask, neither.
 */
/** A number stated as a fact (not asked for, not a count of one, not a bare code or year). */
function isStated(n: NumberMention): boolean {
  return !n.ask && !n.trivial && n.kind !== 'other';
}

/** A clause that asks for something: its numbers are the ask ("退我那329块", "I want all 3,000 yuan"). */
const ASK_CLAUSE =
  /我要|就要|只要|要求|给我(?!的)|赔我|退我|还我|赔偿|补偿|放出来|转出来|降到|降至|调到|少一|\bi want\b|give me|pay me|refund me|\brelease\b|compensation|i demand|put me on|get me to|\bmake it\b|how about|what about|could you do|instead of/;

function clauseCues(norm: string, numbers: NumberMention[], cues: Set<string>): void {
  let own = 0;
  const parts: [number, number][] = [];
  let start = 0;
  for (const m of norm.matchAll(CLAUSE_BREAK_G)) {
    if (m.index > start) parts.push([start, m.index]);
    start = m.index + m[0].length;
  }
  if (start < norm.length) parts.push([start, norm.length]);
  const single = parts.length <= 1;
  // One clause: the line's own cues answer (no need to run the patterns again).
  const test = (name: string, clause: string): boolean =>
    single ? cues.has(name) : (CUES[name] as RegExp).test(clause);
  for (const [a, b] of parts) {
    const clause = norm.slice(a, b);
    const nums = numbers.filter((n) => n.start >= a && n.end <= b);
    if (nums.length && ASK_CLAUSE.test(clause) && !/^(?:我|we|i)?.{0,6}(?:上个月|去年|last)/.test(clause))
      for (const n of nums)
        if (!n.attributed && !n.duration && (n.kind === 'rate' || n.kind === 'amount')) n.ask = true;
    const stated = nums.filter(isStated);
    const peer = test('peer', clause) || test('competitor', clause);
    const first = OWN.test(clause);
    if (stated.length) {
      const proposal =
        test('proposeStrong', clause) || test('conditional', clause) || nums.some((n) => n.ask);
      if (peer) cues.add('cl_peer_number');
      if (proposal) cues.add('cl_proposal_number');
      if (!peer && !proposal) {
        own++;
        cues.add(first ? 'cl_own_number' : 'cl_bare_number');
      }
    }
    if (!peer && test('docs', clause) && HOLD.test(clause)) cues.add('cl_own_docs');
    if (peer && test('got', clause)) cues.add('cl_peer_got');
    if (
      first &&
      !peer &&
      test('volume', clause) &&
      !(test('proposeStrong', clause) || test('conditional', clause))
    )
      cues.add('cl_own_volume');
  }
  if (own >= 2) cues.add('cl_own_number2');
}

export function lineFeatures(text: string, scenario: Scenario, opts: FeatureOptions): LineFeatures {
  const norm = normalizeText(text).toLowerCase();
  const f = new Set<string>();
  // Chinese: character bigrams and lexicon words.
  for (const run of norm.match(HAN_RUN) ?? []) {
    hanWords(run, opts, f);
    for (let k = 0; k < run.length; k++) {
      if (k + 1 < run.length) f.add(`c:${run.slice(k, k + 2)}`);
    }
  }
  // English: Porter stems and stem bigrams; a stem within three words after a negation also as
  // negated ("not in a hurry", "don't need the full amount": the words alone say the opposite).
  const latin = norm.match(LATIN_RUN);
  if (latin) {
    let previous = '^';
    let negated = 0;
    for (const raw of tokenizer.tokenize(latin.join(' '))) {
      const word = raw.replace(/'s$/, '').replace(/^'+|'+$/g, '');
      if (!word) continue;
      const s = stem(word);
      f.add(`w:${s}`);
      f.add(`b:${previous}_${s}`);
      if (negated > 0) {
        f.add(`n:${s}`);
        negated--;
      }
      if (EN_NEGATION.has(word) || word.endsWith("n't")) negated = 3;
      previous = s;
    }
  }
  // Chinese: the two characters after a negation, as negated (不急, 不用全, 没必要).
  for (const m of norm.matchAll(ZH_NEGATION)) f.add(`n:${m[1]}`);
  // After a contrast ("…, but 0.5 is fine", "不过…也行") the last part is what the user means.
  const contrast = CONTRAST.exec(norm);
  if (contrast) {
    const tail = norm.slice(contrast.index + contrast[0].length);
    for (const run of tail.match(HAN_RUN) ?? [])
      for (let k = 0; k + 1 < run.length; k++) f.add(`a:${run.slice(k, k + 2)}`);
    for (const w of tail.match(LATIN_RUN) ?? []) f.add(`a:${stem(w)}`);
  }

  const cues = matchCues(norm);
  if (ECHO_QUESTION.test(norm)) cues.add('echo');

  if (/\d{6,}|sf\d{4,}/.test(norm)) cues.add('code');
  const numbers = readNumbers(norm, scenario);
  clauseCues(norm, numbers, cues);
  const stated = numbers.filter(isStated);
  for (const n of numbers) {
    cues.add(`n_${n.kind}`);
    if (n.ask) cues.add('n_ask');
    if (n.attributed) cues.add('n_attr');
    if (n.duration) cues.add('n_duration');
    if (n.trivial) cues.add('n_trivial');
  }
  if (numbers.length) cues.add('n_any');
  if (stated.length) cues.add('n_stated');
  if (stated.length >= 2) cues.add('n_stated2');
  if (numbers.length && numbers.every((n) => n.ask)) cues.add('n_only_ask');

  // Combinations a linear model cannot form by itself.
  const has = (c: string): boolean => cues.has(c);
  const hostile = has('insult') || has('threatTarget') || has('leave') || has('ultimatum') || has('dismiss');
  if (hostile) cues.add('hostile');
  if ((has('polite') || has('politeWord')) && hostile) cues.add('polite_hostile');
  if (has('politeWord') && !hostile) cues.add('polite_word_clean');
  if (has('polite') && !hostile && !has('sarcasm')) cues.add('polite_clean');
  if ((has('ack') || has('apology')) && !hostile) cues.add('ack_clean');
  if (has('threatTarget') && (has('ultimatum') || has('conditional'))) cues.add('threat_cond');
  if (has('peer') && has('got')) cues.add('peer_got');
  if (has('competitor') && has('got')) cues.add('competitor_got');
  if (has('pastTime') && has('got')) cues.add('past_got');
  if (has('firstPerson') && has('pastTime') && stated.length) cues.add('fp_past_number');
  if (has('firstPerson') && (has('docs') || has('volume')) && !hostile) cues.add('fp_facts');
  if (has('conditional') && has('flex')) cues.add('cond_flex');
  const flexish = has('flex') || has('fallback') || has('concession') || has('anyOption') || has('defer');
  if (flexish && !hostile && !has('echo') && !has('sarcasm')) cues.add('flex_clean');
  if (has('fallback') && !hostile) cues.add('fallback_clean');
  if (has('conditional') && (has('accept') || has('acceptStart')) && !hostile) cues.add('cond_accept');
  if (has('courteousAsk') && !hostile) cues.add('courteous_clean');
  if (has('thanks') && !has('sarcasm') && !hostile) cues.add('thanks_clean');
  if (has('firstPerson') && (has('code') || has('n_date') || has('tenure'))) cues.add('fp_record');
  if (has('conditional') && has('propose')) cues.add('cond_propose');
  if (has('reciprocal') && !hostile) cues.add('reciprocal_clean');
  if (has('proposeStrong') && !hostile) cues.add('propose_clean');
  if (has('conditional') && has('reciprocal') && !hostile) cues.add('cond_offer');
  if ((has('requestArrangement') || has('sequence')) && !hostile) cues.add('arrangement_clean');
  if (has('deadline') && !hostile && (has('requestArrangement') || has('proposeStrong') || has('question')))
    cues.add('deadline_request');
  if (has('deadline') && hostile) cues.add('deadline_threat');
  if (has('sameAgain') && !hostile) cues.add('same_again_clean');
  if (has('courtesy') && !hostile && !has('sarcasm')) cues.add('courtesy_clean');
  if (has('give') && !hostile && !has('sarcasm') && !has('echo')) cues.add('give_clean');
  if (has('arrange') && !hostile) cues.add('arrange_clean');
  if (has('arrange') && (has('sequence') || has('proposeStrong') || has('requestArrangement')) && !hostile)
    cues.add('arrange_plan');
  if (has('common') && !hostile && !has('sarcasm') && !has('echo')) cues.add('common_clean');
  if (has('n_ask') && (has('question') || has('proposeStrong') || has('flex'))) cues.add('counter_ask');
  if (has('greeting') && !hostile) cues.add('greeting_clean');
  if (has('shared') && hostile) cues.add('shared_hostile');
  if (has('sharedStrong') && !hostile && !has('echo') && !has('sarcasm')) cues.add('shared_clean');
  if (has('shared') && has('echo')) cues.add('shared_echo');
  if (has('echo') && !has('polite')) cues.add('echo_bare');
  if (has('accept') || has('acceptStart')) {
    if (!has('question') && !has('reject')) cues.add('accept_clean');
  }
  if (has('n_ask') && !has('n_stated')) cues.add('ask_only');
  const len = norm.length;
  cues.add(len <= 8 ? 'len1' : len <= 20 ? 'len2' : len <= 45 ? 'len3' : len <= 90 ? 'len4' : 'len5');
  for (const c of cues) f.add(`#${c}`);
  return { norm, features: [...f], cues, numbers };
}
