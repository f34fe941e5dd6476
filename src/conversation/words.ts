/**
 * Short answers every flow understands: yes to a question, "cancel" to stop what is running.
 * (The end of a role-play, also inside a message, is the role-play's own: src/roleplay/moves.ts.)
 */
import type { Texts } from '../knowledge/texts';

const YES_WORDS =
  /^(y|yes|yeah|yep|ok|okay|sure|confirm|do it|go ahead|是|是的|确定|确认|好|好的|好吧|行|可以|对|嗯|清空|重新开始|删除|删吧)[。.!！]*$/i;

/** A clear yes to the question just asked (its Yes button included). */
export function isYes(text: string, texts: Texts): boolean {
  return saysEither(text, YES_WORDS, texts.pair('actions.yes'));
}

/** The whole message is one of the words, or the button's caption in either language. */
function saysEither(text: string, words: RegExp, button: { zh: string; en: string }): boolean {
  const t = text.trim();
  return words.test(t) || t === button.zh || t.toLowerCase() === button.en.toLowerCase();
}

const NO_WORDS =
  /^(n|no|nope|nah|not now|no thanks|continue|keep going|go on|否|不|不是|不要|不用|不了|先不|算了|算了吧|继续|接着来)[。.!！]*$/i;

/** A clear no to the question just asked (its No button included). */
export function isNo(text: string, texts: Texts): boolean {
  return saysEither(text, NO_WORDS, texts.pair('actions.no'));
}

/** Stop what is running: a whole message that says so. */
const CANCEL =
  /^(取消|算了|不做了|不用了|先不了|退出|停|停止|结束这个|cancel|stop|quit|never ?mind|forget it|exit)[。.!！]*$/i;

export function isCancel(text: string): boolean {
  return CANCEL.test(text.trim());
}

/** "跳过", "不知道", "skip": leave this one open and go on. */
export function isSkip(text: string): boolean {
  return /^\s*(?:跳过|先跳过|不知道|不清楚|没有|还没有|暂时没有|算了|skip|pass|don'?t know|no idea|none|not yet|n\/a)\s*[。.!！~]*\s*$/i.test(
    text,
  );
}
