/**
 * The case file: what the user told the coach about their case, read from every message and kept
 * with their record — who they are (merchant, consumer, foreign visitor), the products involved,
 * their numbers (volume, rates, an amount), competing and Alipay's own offers, how Alipay
 * answered, the last contact (channel, date, case number, promised reply date), their evidence.
 * A correction ("不对，是8万", "sorry, I meant 0.45") replaces the fact it corrects. Nothing here is
 * the user's sentence: only values and kinds, so letters can use them as they are.
 */
import type { Role } from '../knowledge/schema';
import type { Entities, NluResult, Platform } from '../nlu/types';
import { parseNumberAt } from '../nlu/chineseNumbers';
import type { Facts, UserProfile } from '../state/profile';
import { normalizeText } from '../text/normalize';

/** A change to the case file: facts to set, the role, and whether it corrects an earlier fact. */
export interface CasePatch {
  role?: Role;
  facts: Partial<Facts>;
}

const has = (re: RegExp, t: string): boolean => re.test(t);

/** Words of a merchant taking payments, and of a person paying or moving their own money. */
const MERCHANT =
  /商家|商户|开店|店铺|小店|门店|老板|做生意|摆摊|个体户|收款码|经营码|商家码|流水|营业额|merchant|my (?:shop|store|restaurant|business|stall)|turnover|sales|i sell|we sell/;
const VISITOR =
  /外国人|外籍|老外|游客|护照|外卡|境外卡|国外的卡|foreigner|tourist|visitor|travell?ing (?:in|to) china|passport|foreign (?:card|bank)|visa card|mastercard|master card|amex|jcb|non-chinese|expat|foreign students?|international students?|exchange students?|留学生|外国学生|外籍学生|来中国(?:旅游|玩|出差)|(?<![a-z])(?:visa|(?:visiting|visit|trip to|travel(?:l?ing)? to|holiday in|vacation in|coming to|first time in) (?:china|mainland china|the mainland|beijing|shanghai|guangzhou|shenzhen|chengdu|hangzhou|xi'?an|chongqing|nanjing|suzhou|wuhan|xiamen|kunming|guilin|harbin|qingdao|tianjin))(?![a-z])/;

/** The kind of business, in the user's own short word for it ("面馆", "bakery"), for letters. */
const BUSINESS_ZH =
  /(面馆|饭馆|饭店|餐馆|餐厅|小吃店|早餐店|快餐店|火锅店|烧烤店|奶茶店|咖啡店|咖啡馆|水果店|水果摊|便利店|小超市|超市|杂货店|服装店|鞋店|美甲店|理发店|美容院|花店|药店|书店|网店|淘宝店|蛋糕店|面包店|烘焙店|菜摊|早餐摊|小吃摊|五金店|手机店|宠物店|洗衣店|民宿|诊所|健身房|培训班|便利店|文具店|小卖部|烟酒店|母婴店|眼镜店|打印店|家具店|建材店|饰品店|茶叶店|茶馆|冷饮店)/;
const BUSINESS_NOUN =
  '(?:restaurant|cafe|café|shop|bakery|grocery|store|supermarket|boutique|salon|pharmacy|bookstore|stall|hotel|guesthouse|clinic|gym|bar|diner|takeaway)';
const BUSINESS_EN = new RegExp(
  `\\b(?:my|our|a|small|little|family)\\s+((?:noodle |coffee |flower |barber |nail |grocery |convenience |clothing |online |taobao |food |market |fruit )?${BUSINESS_NOUN})\\b`,
);
/** "我是卖水果的", "我们做服装批发": what the user sells or does, as they said it. */
const TRADE_ZH =
  /(?:^|[，,。\s])(?:我|我们|我家)(?:是|就是)?((?:卖|做)[\u4e00-\u9fff]{1,4}?(?:批发|零售|生意)?)(?:的|生意)/u;
/** "I sell fruit", "we sell clothes online": what the user sells. */
const TRADE_EN = /\b(?:i|we) sell ([a-z]+(?: [a-z]+)?)\b/;
/** "I run a bubble tea shop": after a verb of owning, any two words describe the business. */
const BUSINESS_EN_OWNED = new RegExp(
  `\\b(?:i|we) (?:run|own|have|opened|operate|manage|started) (?:a|an|my|our|the|two|three|small|little)\\s+((?:[a-z-]+ ){0,2}?${BUSINESS_NOUN})\\b`,
);

/** Case-library product ids, by the words that name them. */
const PRODUCTS: readonly [string, RegExp][] = [
  ['huabei_collect', /花呗收款|信用卡收款|花呗.{0,6}(?:手续费|费率|收款)|accept(?:ing)? huabei/],
  ['huabei', /花呗|huabei|ant (?:check later|credit pay)/],
  ['jiebei', /借呗|jiebei|ant cash now/],
  ['withdrawal', /提现|转到银行卡|转出到卡|withdraw/],
  [
    'card_repayment',
    /还信用卡|信用卡还款|还款.{0,4}信用卡|repay(?:ing)? (?:my )?credit card|credit card repayment/,
  ],
  ['foreign_card', /外卡|境外卡|foreign (?:card|bank card)|visa|mastercard|master card|amex|jcb/],
  ['collection_code', /收款码|经营码|商家码|收钱码|qr code/],
  ['f2f', /当面付|face.to.face/],
  ['website', /网站支付|电脑网站|手机网站|website payment/],
  ['app_pay', /app支付|app pay/],
  ['refund', /退款|refund/],
  ['subscription', /自动扣款|免密支付|自动续费|auto.?(?:debit|renew)|subscription/],
];

const TARGET =
  /降到|降至|降为|降低到|想要|目标|希望|谈到|争取|down to|reduce(?:d)? to|lower(?:ed)? to|cut to|target|want|get (?:it )?to|aim/;
const ALIPAY_OFFER =
  /(?:支付宝|客服|经理|对方|他们).{0,8}(?:说|答应|同意|愿意|给|报|提出|肯|只肯|只能|只同意|最多).{0,6}(?:降到|降至|可以|给到|\d)|只肯|只同意|最多(?:只能)?降|(?:alipay|they|the rep|the manager|support).{0,12}(?:offered|agreed|proposed|came back with|said they (?:can|could)|only (?:agreed|offered|gave|go))/;
/** Another merchant, the subject of a rate or a business named ("隔壁奶茶店", "my neighbour's shop"). */
export const PEER =
  /隔壁|邻居|同行|别的商家|别家|其他商家|朋友的店|朋友开的|(?<![a-z])(?:neighbou?r(?:ing|'s)?|another (?:shop|merchant|store|restaurant)|other (?:shops|merchants|stores)|a friend'?s (?:shop|store|restaurant|cafe))(?![a-z])/;
/** A rate being weighed, not reported: "接受0.5%可以吗", "should I take 0.5%". */
const WEIGHING = /接受|答应|同意|(?<![a-z])(?:accept|take|settle for)(?![a-z])/;
const COMPETITOR_OFFER = /报价|给我|愿意|可以给|能给|给的|offer|quote|gives? me|charges? only|only charges/;
const DAILY = /每天|一天|日流水|per day|a day|daily/;
const YEARLY = /每年|一年|年流水|全年|per year|a year|annual|yearly/;
const HELD_AMOUNT =
  /转不出|取不出|提不出|提现不了|用不了|冻结|卡住|卡着|被扣|扣着|没到账|不到账|退不回|stuck|frozen|held|locked|can'?t (?:withdraw|get|move|access)|hasn'?t arrived|never arrived/;
const VOLUME_WORDS = /流水|营业额|每月|每个月|一个月|月均|a month|per month|monthly|turnover|a year|per year/;
const PERSONAL_AMOUNT =
  /提现|取出|转出|还款|还信用卡|付款|支付|付了|花了|扣了|买|withdraw|repay|pay(?:ing|ment)?|paid|spent|charged/;

const CASE_NUMBER =
  /(?:工单号?|单号|案件号|投诉号|受理号|编号|case\s*(?:number|no\.?|#|id)|ticket\s*(?:number|no\.?|#|id)?|reference\s*(?:number|no\.?))\s*(?:是|为|:|：|#)?\s*([A-Za-z0-9][A-Za-z0-9-]{3,30})/i;
const CASE_NUMBERS = new RegExp(CASE_NUMBER.source, 'gi');
const CHANNELS: readonly [string, RegExp][] = [
  ['12363', /12363/],
  ['12315', /12315|消协|消费者协会|consumer association/],
  ['12378', /12378/],
  ['heimao', /黑猫/],
  ['police', /报警|警察|派出所|110|96110|police/],
  ['95188', /95188|打电话给支付宝|客服电话|hotline|called alipay|phoned alipay/],
  [
    'app',
    /我的客服|在线客服|app里|app 里|智能客服|人工客服|in.app (?:chat|support)|live chat|online support/,
  ],
  ['manager', /客户经理|account manager/],
  ['email', /邮件|email|e-mail/],
];
const WORKING_DAYS =
  /(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:个)?(?:工作日|working days?|business days?)/i;
const DATE_MD = /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/;
/** "10 days ago", "十天前": how long ago a contact was. */
const DAYS_AGO = /(\d{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:个)?(?:days?\s+ago|天(?:之)?前)/i;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A ticket or complaint opened: a contact even without a channel named. */
const TICKET = /工单|投诉单|ticket|case number|complaint/i;
/** A promise reported as said already ("they promised…", "说好…"), not one being asked for. */
const PROMISED_PAST = /promised|said (?:they|it) would|told me (?:they|it) would|答应|承诺|说好|说了/i;
/** A promised weekday: "周五前", "下周一答复", "by Friday", "get back to me next Monday". */
const WEEKDAY_ZH = /(下个?)?(?:周|星期|礼拜)([一二三四五六日天])(?:之?前|以前|答复|回复|给|回|会|处理)/;
const WEEKDAY_EN =
  /\b(?:by|before|on|until|till|next|this)\s+(next\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const ZH_WEEKDAYS = '日一二三四五六';
const EN_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** "明天答复", "tomorrow", "3天内", "within a week". */
const DAYS_AHEAD =
  /(明天|tomorrow)|(后天)|(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:天|日)(?:之?内|以内)|within\s+(\d{1,2}|a|one|two|three)\s+(day|days|week|weeks)/i;

/** Kinds of evidence the user says they have (the words, never the sentence). */
const EVIDENCE: readonly [string, RegExp][] = [
  ['statements', /账单|流水单|对账单|statement|bill/],
  ['screenshots', /截图|截屏|screenshot/],
  ['chat_logs', /聊天记录|通话录音|录音|chat log|recording/],
  ['case_number', /工单号|case number|ticket number/],
  ['licence', /营业执照|business licen[cs]e/],
  ['invoices', /进货单|发货单|发票|invoice|receipt|shipping/],
  ['peer_case', /隔壁|同行|别的商家|别家店|neighbou?r|another (?:shop|merchant)|a friend'?s shop/],
  ['competitor_quote', /报价|quote/],
];

/** The business word comes right after a word for another merchant. */
/** A rate written in a clause that names another merchant ("隔壁是千分之三点八"), not only beside one. */
const RATE_WORDS = /\d\s*(?:%|‰|percent|个点)|千分之|万分之|百分之|点[一二三四五六七八九]|\d\.\d/;
function peerHasRate(t: string): boolean {
  // "my shop pays 0.6%, my neighbour's pays less": the rate is the user's own.
  return t.split(/[，,。；;！!？?]|\.(?!\d)/).some((clause) => PEER.test(clause) && RATE_WORDS.test(clause));
}

function peerNamed(t: string, business: string): boolean {
  const at = t.indexOf(business);
  return at >= 0 && PEER.test(t.slice(Math.max(0, at - 12), at));
}

/** A count written in digits or Chinese numerals ("3", "三", "十五"). */
function cnNumber(text: string): number {
  return parseNumberAt(text, 0)?.value ?? 0;
}

/** `days` calendar days after `now`, as YYYY-MM-DD. */
function addDays(now: number, days: number): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

const EN_COUNTS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3 };

/** A reply date said as a weekday or a number of days from today, if the message has one. */
function promisedDate(t: string, now: number): string | undefined {
  const today = new Date(now).getUTCDay();
  const zh = WEEKDAY_ZH.exec(t);
  const en = zh ? null : WEEKDAY_EN.exec(t);
  if (zh || en) {
    const day = zh
      ? ZH_WEEKDAYS.indexOf((zh[2] as string).replace('天', '日'))
      : EN_WEEKDAYS.indexOf((en?.[2] ?? '').toLowerCase());
    const next = Boolean(zh ? zh[1] : en?.[1]);
    // The coming one; "下周五" / "next Friday" the one in the week after this.
    let ahead = (day - today + 7) % 7 || 7;
    if (next && ahead < 7 && day > today) ahead += 7;
    return addDays(now, ahead);
  }
  const d = DAYS_AHEAD.exec(t);
  if (!d) return undefined;
  if (d[1]) return addDays(now, 1);
  if (d[2]) return addDays(now, 2);
  if (d[3]) return addDays(now, cnNumber(d[3]));
  const n = /\d/.test(d[4] ?? '') ? Number(d[4]) : (EN_COUNTS[(d[4] ?? '').toLowerCase()] ?? 1);
  return addDays(now, /week/i.test(d[5] ?? '') ? n * 7 : n);
}

/** `days` working days after `now` (Saturdays and Sundays skipped), as YYYY-MM-DD. */
function addWorkingDays(now: number, days: number): string {
  const d = new Date(now);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

function roleOf(t: string, entities: Entities, profile: UserProfile): { role?: Role; visitor?: boolean } {
  if (has(VISITOR, t)) return { role: 'consumer', visitor: true };
  if (entities.role) return { role: entities.role };
  if (has(MERCHANT, t)) return { role: 'merchant' };
  return { role: profile.role };
}

/**
 * What one message tells about the case. `correction`: the message corrects a fact it gave
 * before ("不对，是8万"), so a single number replaces the fact of its kind last given.
 */
export function readCase(
  text: string,
  reading: NluResult | null,
  profile: UserProfile,
  now: number,
  correction: boolean,
): CasePatch {
  const t = normalizeText(text).toLowerCase();
  const entities = reading?.entities ?? {};
  const facts: Partial<Facts> = {};
  const { role, visitor } = roleOf(t, entities, profile);
  if (visitor) facts.visitor = true;

  const sells = TRADE_EN.exec(t)?.[1]?.replace(/ (?:online|here|now|too)$/, '');
  const business =
    BUSINESS_ZH.exec(t)?.[1] ??
    BUSINESS_EN_OWNED.exec(t)?.[1] ??
    BUSINESS_EN.exec(t)?.[1] ??
    TRADE_ZH.exec(t)?.[1] ??
    (sells ? `${sells} seller` : undefined);
  // A visitor or a customer names where they paid ("at a restaurant"), not a business of theirs.
  // "隔壁奶茶店…" names the neighbour's business, not the user's.
  if (business && !visitor && role !== 'consumer' && !peerNamed(t, business)) facts.business = business;

  const products = PRODUCTS.filter(([, re]) => re.test(t)).map(([id]) => id);
  if (products.length > 0)
    facts.products = [...new Set([...(profile.facts.products ?? []), ...products])].slice(-6);

  const personal = role === 'consumer' || visitor === true || profile.facts.visitor === true;
  const amounts = entities.amounts ?? [];
  if (amounts.length > 0) {
    const biggest = Math.max(...amounts);
    const monthly = has(DAILY, t)
      ? Math.round(biggest * 30)
      : has(YEARLY, t) || entities.period === 'year'
        ? Math.round(biggest / 12)
        : biggest;
    if (personal && (has(PERSONAL_AMOUNT, t) || !has(MERCHANT, t))) facts.amount = biggest;
    // Money held ("里面有5000元转不出来", "5k stuck in my account") is the amount at stake, even
    // for a merchant: it is not their monthly volume.
    else if (has(HELD_AMOUNT, t) && !has(VOLUME_WORDS, t)) facts.amount = biggest;
    else if (has(MERCHANT, t) || role === 'merchant' || profile.role === 'merchant')
      facts.monthlyVolume = monthly;
    else if (correction) {
      // A bare corrected amount replaces the amount the case already holds.
      if (profile.facts.monthlyVolume !== undefined) facts.monthlyVolume = monthly;
      else facts.amount = biggest;
    }
  }

  const rates = entities.rates ?? [];
  const competitor = (entities.platforms ?? []).find((p): p is Exclude<Platform, 'alipay'> => p !== 'alipay');
  if (rates.length >= 2 && !competitor) {
    facts.currentRate = rates[0];
    facts.targetRate = rates[1];
  } else if (rates.length >= 1) {
    const rate = rates[rates.length - 1] as number;
    if (!competitor && peerHasRate(t) && !has(ALIPAY_OFFER, t)) facts.peerRate = rate;
    else if (competitor && has(COMPETITOR_OFFER, t)) {
      facts.competitorRate = rate;
      facts.competitor = competitor;
      if (rates.length >= 2) facts.currentRate = rates[0];
    } else if (has(ALIPAY_OFFER, t)) facts.alipayOffer = rate;
    else if (has(TARGET, t)) facts.targetRate = rate;
    else if (correction && profile.facts.targetRate !== undefined && profile.facts.currentRate === undefined)
      facts.targetRate = rate;
    // "那我接受0.5%可以吗": a rate being weighed is not the one paid now.
    else if (!(profile.facts.currentRate !== undefined && has(WEIGHING, t))) facts.currentRate = rate;
  }

  // The first labelled token with a digit in it: "a ticket with Alipay… case number 2024…" has
  // a word after "ticket" before the number.
  const caseNumber = [...text.matchAll(CASE_NUMBERS)].map((m) => m[1] as string).find((n) => /\d/.test(n));
  if (caseNumber) facts.caseNumber = caseNumber;
  const channel = CHANNELS.find(([, re]) => re.test(t))?.[0];
  const event = (reading as { act?: { type?: string; event?: string } } | null)?.act;
  // "I opened a ticket 10 days ago": the contact is dated back, so a promised reply is counted
  // from it and an overdue one is seen as overdue.
  const ago = DAYS_AGO.exec(t);
  const contactDay = new Date(now - (ago ? cnNumber(ago[1] as string) * DAY_MS : 0))
    .toISOString()
    .slice(0, 10);
  if (channel && (event?.type === 'report' || caseNumber)) {
    facts.contactedVia = channel;
    facts.contactedOn = contactDay;
  } else if (ago && (caseNumber || TICKET.test(t))) facts.contactedOn = contactDay;
  const days = WORKING_DAYS.exec(t);
  const promised = days ? undefined : promisedDate(t, now);
  // "They promised an answer within 3 working days" is counted from the day they said it.
  const since = facts.contactedOn ?? profile.facts.contactedOn;
  const from = since && PROMISED_PAST.test(t) ? Date.parse(`${since}T00:00:00Z`) : now;
  if (days) facts.replyBy = addWorkingDays(from, cnNumber(days[1] as string));
  else if (promised) facts.replyBy = promised;
  else {
    const md = DATE_MD.exec(t);
    if (md && /前|之前|以内|内|by|before|reply|答复|回复/.test(t)) {
      const year = new Date(now).getUTCFullYear();
      facts.replyBy = `${year}-${String(md[1]).padStart(2, '0')}-${String(md[2]).padStart(2, '0')}`;
    }
  }
  const evidence = EVIDENCE.filter(([, re]) => re.test(t)).map(([id]) => id);
  if (evidence.length > 0 && /有|保留|存了|准备|留着|have|kept|saved|got/.test(t))
    facts.evidenceKinds = [...new Set([...(profile.facts.evidenceKinds ?? []), ...evidence])];

  return { ...(role !== profile.role && role ? { role } : {}), facts };
}

/** Applies a patch: facts set; undefined leaves a fact as it was. */
export function applyCase(profile: UserProfile, patch: CasePatch): void {
  if (patch.role) profile.role = patch.role;
  for (const [key, value] of Object.entries(patch.facts)) {
    if (value !== undefined) (profile.facts as Record<string, unknown>)[key] = value;
  }
}
