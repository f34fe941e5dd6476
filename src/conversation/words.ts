/**
 * Short answers every flow understands: yes to a question, "cancel" to stop what is running,
 * and the end of a role-play said in a short phrase ("算了 结束吧", "let's stop here").
 */
import type { Texts } from '../knowledge/texts';

const YES_WORDS =
  /^(y|yes|yeah|yep|ok|okay|sure|confirm|do it|go ahead|是|是的|确定|确认|好|好的|好吧|行|可以|对|嗯|清空|重新开始|删除|删吧)[。.!！]*$/i;

/** A clear yes to the question just asked (its Yes button included). */
export function isYes(text: string, texts: Texts): boolean {
  const t = text.trim();
  const yes = texts.pair('actions.yes');
  return YES_WORDS.test(t) || t === yes.zh || t.toLowerCase() === yes.en.toLowerCase();
}

/** Stop what is running: a whole message that says so. */
const CANCEL =
  /^(取消|算了|不做了|不用了|先不了|退出|停|停止|结束这个|cancel|stop|quit|never ?mind|forget it|exit)[。.!！]*$/i;

export function isCancel(text: string): boolean {
  return CANCEL.test(text.trim());
}

/**
 * The end of a role-play: "结束", "end", "/end", also inside a short phrase (CONTRACTS section 8).
 * Long messages that merely contain the word are moves in the negotiation, not an ending.
 */
const END_ZH = /(结束|不练了|不玩了|到此为止|先这样吧?结束|停止练习|退出练习)/;
const END_EN =
  /\b(end( it| this| here| the (role-?play|practice|session))?|stop (here|now|the (role-?play|practice))|let'?s stop|finish (here|the (role-?play|practice))|i'?m done|quit)\b/i;
const SHORT = 16;

export function isRoleplayEnd(text: string): boolean {
  const t = text.trim().replace(/[。.!！~～]+$/, '');
  if (/^\/end$/i.test(t)) return true;
  if (t.length > SHORT * 2) return false;
  return END_ZH.test(t) && t.replace(/\s/g, '').length <= SHORT
    ? true
    : END_EN.test(t) && t.split(/\s+/).length <= 6;
}

/** "跳过", "不知道", "skip": leave this one open and go on. */
export function isSkip(text: string): boolean {
  return /^\s*(?:跳过|先跳过|不知道|不清楚|没有|还没有|暂时没有|算了|skip|pass|don'?t know|no idea|none|not yet|n\/a)\s*[。.!！~]*\s*$/i.test(
    text,
  );
}
