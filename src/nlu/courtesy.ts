/**
 * Courtesy around a request: "你好，…", "Hi all, …" before it and "谢谢", "Thanks a lot!",
 * "求助，在线等" after it. Real posts wrap their problem in these, and the models, trained on
 * short lines, read "…please help unlock it. Thanks a lot!" as a thank-you (an agreement). The
 * models read the message without them when what is left still says something; a message that
 * is only courtesy ("谢谢", "hi") is left as it is.
 */

const OPENING =
  /^\s*(?:(?:你好|您好|大家好|各位好?|各位大(?:佬|神)|请问(?=[，,、\s])|求助|急|hi (?:all|everyone|there|guys)|hello (?:all|everyone|there|guys)|hey (?:all|everyone|there|guys)|hi|hello|hey|dear (?:sir|team|support)|good (?:morning|afternoon|evening))(?:[\s,，.。!！:：~～、]+|$))+/i;

const CLOSING =
  /(?:[\s,，.。!！~～、;；]*(?:(?:非常|十分|万分|提前|先)?(?:谢谢|感谢|多谢|谢了|麻烦了|拜托了|辛苦了)(?:大家|各位|你们|您|你)?(?:了|啦)?|求助|在线等|急急急|急|thanks?(?: a lot| so much| very much| in advance| for (?:any|your) help)?|thank you(?: (?:so|very) much| in advance| for (?:any|your) help)?|many thanks|cheers|any help (?:is |would be )?(?:much |greatly )?appreciated|appreciate (?:any|your) help|please help|help please|pls help|please advise)[\s.。!！~～]*)+$/i;

/** What is left says something: a few Han characters or a few words. */
const SUBSTANTIVE = /(?:\p{Script=Han}.*){5}|(?:\b\p{L}+\b.*){3}/u;

/** The message without the courtesy around it, or the message itself when that is all it is. */
export function withoutCourtesy(text: string): string {
  const core = text.replace(CLOSING, '').replace(OPENING, '');
  return core !== text && SUBSTANTIVE.test(core) ? core : text;
}
