/**
 * Progress reports in the user's words: "我已经联系过了", "I've called them", "I asked for
 * 0.38%", "他们说可以降到0.5%". They move the journey forward without a button.
 */
import { normalizeText } from '../text/normalize';

export type ProgressEvent = 'CONTACTED' | 'DEMANDS_MADE';

const ZH_PAST = '(?:已经|已|刚刚|刚才|刚|昨天|今天|前天|上周|之前|早就|也)';
const ZH_PARTY = '(?:给|跟|和|向|找)?(?:支付宝|客服|他们|对方|客户经理|95188|人工)?';
const ZH_CONTACT = new RegExp(
  `${ZH_PAST}.{0,4}${ZH_PARTY}.{0,4}(?:联系|打(?:了|过)?电话|打过|发(?:了|过)?(?:邮件|消息)|沟通|找过|聊过|问过|反映过)|(?:联系|沟通|找|问)(?:过|了)(?:支付宝|客服|他们|对方)`,
);
const ZH_DEMAND = new RegExp(
  `${ZH_PAST}.{0,6}(?:提交|申请|提出|提了|要求|递交)|(?:他们|对方|支付宝|客服|经理)(?:说|表示|答复)?(?:可以|愿意|能)?(?:给我)?(?:降到|降至|还价|报价|给到|开价)`,
);
const EN_CONTACT =
  /\b(?:i|we)(?:'ve| have)?\s+(?:already\s+|just\s+)?(?:called|contacted|emailed|phoned|reached out|spoke|talked|messaged|rang|got in touch)\b/;
const EN_DEMAND =
  /\b(?:i|we)(?:'ve| have)?\s+(?:already\s+|just\s+)?(?:submitted|asked for|requested|made (?:my|our|the) (?:request|demand|ask|case)|put in|sent (?:my|our|the) (?:request|email|application))\b|\b(?:they|alipay|the rep|the manager)\s+(?:offered|countered|came back with|proposed|suggested)\b/;

/** A question about contacting ("我该怎么联系") is not a report. */
const QUESTION = /(?:怎么|如何|吗|么|哪|[?？]|^(?:how|what|when|where|should|can|could|do|does)\b)/;

/**
 * "I've contacted them many times with no result", "打了好几次电话都没人理": a complaint that
 * contact failed, not a step forward (the coach answers it as a customer-service problem).
 */
const FRUITLESS =
  /没(?:有)?(?:用|结果|下文|回音|回复|答复|人理|人管|人处理)|不理|石沉大海|白打|打不通|no (?:result|reply|response|answer|luck|help|use)|nothing happened|got nowhere|no one (?:answer|repl|help)|nobody (?:answer|repl|help)|(?:didn't|did not|never) (?:answer|reply|respond|help|get back)|ignored/;

export function detectProgress(text: string): ProgressEvent | null {
  const t = normalizeText(text).toLowerCase();
  if (QUESTION.test(t) || FRUITLESS.test(t)) return null;
  if (ZH_DEMAND.test(t) || EN_DEMAND.test(t)) return 'DEMANDS_MADE';
  if (ZH_CONTACT.test(t) || EN_CONTACT.test(t)) return 'CONTACTED';
  return null;
}
