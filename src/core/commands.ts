/**
 * The coach's commands (/help, /lang, /status, /reset, /end, /progress) and their natural-language
 * equivalents (switching language, "我的进步", "again, harder"). Every channel shares them; /quit
 * belongs to the terminal.
 */
import type { Lang } from '../knowledge/schema';

export type Command =
  | { name: 'help' }
  | { name: 'status' }
  | { name: 'reset' }
  /** /forget: delete everything stored about the user (asks first). */
  | { name: 'forget' }
  | { name: 'end' }
  /** The last role-play's debrief: "上次练习", "show my last debrief". */
  | { name: 'last_practice' }
  /** Every rehearsal over time: /progress, "我的进步", "show my progress". */
  | { name: 'progress' }
  /** A role-play again, the same setting or one level harder: "再来一次", "again, harder". */
  | { name: 'again'; harder: boolean }
  | { name: 'lang'; lang: Lang | null }
  /** /link: a code to link another channel; /link CODE: link this channel to the code's. */
  | { name: 'link'; code: string | null }
  /** Starts a flow directly: /plan, /roleplay [scenario] [difficulty], /calc. */
  | { name: 'flow'; intent: 'plan' | 'roleplay' | 'fee_calc'; text: string }
  | { name: 'unknown'; raw: string };

// "说中文", "用中文", "English please", "speak english", "switch to Chinese" …
const TO_ZH =
  /^(请?(说|讲|用)中文(吧|回复|回答)?|中文(模式)?|切换(到|成)?中文|(switch to|speak|in) chinese( please)?|chinese please)[。.!！]*$/i;
const TO_EN =
  /^(english( please)?|(please )?(speak|use|reply in|answer in|switch to) english( please)?|请?(说|讲|用)英文(吧|回复)?|切换(到|成)?英文|英文模式)[。.!！]*$/i;

// "我现在到哪一步了", "where am I", "what stage am I at" …
const STATUS =
  /^(我|我们)?(现在|目前)?(到|在|走到)(了)?(哪|哪一|什么)(一)?(步|个阶段|阶段)(了)?[?？。.!！]*$|^(where am i|where are we|what stage am i (at|in)|which stage am i (at|in)|show (me )?my stage|my status)[?？.!]*$/i;

// "我的进步", "看看我的练习进步", "show my progress", "how am I doing in practice" …
const PROGRESS =
  /^(?:请|帮我)?(?:看看|看一下|查看|显示|给我看)?(?:我的?)?(?:(?:练习|模拟)的?(?:进步|进展|成长|提升|趋势|记录)|进步)(?:怎么样|如何|情况)?(?:了|呢|吧)?[?？。.!！]*$|^(?:(?:please )?(?:show|see|view|open)(?: me)? )?my (?:practice |role-?play )?(?:progress|trend|improvement)(?: please)?[?？.!]*$|^how (?:am i|have i been) (?:doing|improving)(?: in (?:practice|the role-?plays?))?[?？.!]*$/i;

// "再来一次", "再练一次", "重来", "again", "one more time"; harder: "再难一点", "again, harder".
const AGAIN_HARDER =
  /^(?:再来一次|再练一次|再来一遍|再练一遍|再来|重来)?[，, ]*(?:再难一点|难一点(?:再来)?|更难一点|加大难度|难度(?:再)?(?:高|大|加大)一点|来个更难的|换个(?:更)?难的)(?:吧|的)?[。.!！]*$|^(?:(?:let'?s )?(?:go |do it |try )?again|once more|one more(?: time)?)?[,. ]*(?:but |and |only )?(?:harder|make it harder|a harder one|tougher)(?: this time)?(?: please)?[.!]*$/i;
const AGAIN =
  /^(?:再来一次|再来一遍|再练一次|再练一遍|重来|重来一次|再来一局|再来一轮)(?:吧)?[。.!！]*$|^(?:again|try again|one more time|once more|one more|let'?s go again|let'?s (?:do|try) (?:it|that) again|(?:do|try) it again|play again|same again)(?: please)?[.!]*$/i;

// "上次练习", "看看我上次的模拟成绩", "last practice", "show my last debrief" …
const LAST_PRACTICE =
  /^(?:请|帮我)?(?:看看|看一下|查看|显示|给我看)?(?:我的?)?(?:上次|上一次|最近一次)的?(?:练习|模拟|演练|点评|复盘|成绩|得分|评分)(?:的?(?:结果|记录|点评|成绩))?(?:呢|吧)?[?？。.!！]*$|^(?:(?:please )?(?:show|see|view|open|give)(?: me)? )?(?:my )?(?:last|previous|latest|most recent) (?:practice|debrief|role-?play|score|scorecard|rehearsal|session)(?: results?| debrief| score)?(?: please)?[?？.!]*$/i;

// The same request inside a longer sentence: "can you answer in english please?", "i can't read
// chinese", "能不能用中文回答". A question about a word ("how do you say 冻结 in english") is not one.
const TO_EN_SENTENCE =
  /^(?:hi|hello|sorry|ok|okay)?[,.! ]*(?:(?:can|could|would) you (?:please |pls )?|please |pls )?(?:reply|answer|speak|talk|write|respond|continue|explain)(?: (?:to me|this|that|it))? in english\b|^(?:in )?english,? (?:please|pls)\b|^(?:sorry,? )?i (?:don'?t|do not|can'?t|cannot) (?:read|speak|understand) chinese\b/i;
const TO_ZH_SENTENCE =
  /^(?:你好|您好)?[，,]?(?:能不能|可不可以|可以|麻烦|请)?(?:用|说|讲)中文(?:回答|回复|说|讲|跟我说)?(?:吗|吧|好吗)?[？?。.!！]*$|^(?:我)?(?:看不懂|不懂|不会)英文[，,。.!！]?(?:请?(?:用|说|讲)中文(?:吧)?)?[。.!！]*$/;

export function parseCommand(text: string): Command | null {
  const t = text.trim();
  if (t.length <= 80 && TO_EN_SENTENCE.test(t)) return { name: 'lang', lang: 'en' };
  if (t.length <= 40 && TO_ZH_SENTENCE.test(t)) return { name: 'lang', lang: 'zh' };
  if (LAST_PRACTICE.test(t)) return { name: 'last_practice' };
  if (PROGRESS.test(t)) return { name: 'progress' };
  if (AGAIN_HARDER.test(t)) return { name: 'again', harder: true };
  if (AGAIN.test(t)) return { name: 'again', harder: false };
  if (TO_ZH.test(t)) return { name: 'lang', lang: 'zh' };
  if (TO_EN.test(t)) return { name: 'lang', lang: 'en' };
  if (STATUS.test(t)) return { name: 'status' };
  if (!t.startsWith('/')) return null;
  const [head = '', arg = ''] = t
    .slice(1)
    .split(/\s+/, 2)
    .map((s) => s.toLowerCase());
  switch (head) {
    case 'help':
    case '帮助':
      return { name: 'help' };
    case 'status':
      return { name: 'status' };
    case 'reset':
      return { name: 'reset' };
    case 'forget':
      return { name: 'forget' };
    case 'end':
      return { name: 'end' };
    case 'last':
      return { name: 'last_practice' };
    case 'progress':
    case '进步':
      return { name: 'progress' };
    case 'again':
      return { name: 'again', harder: /^(?:harder|hard|难)/.test(arg) };
    case 'lang':
      return { name: 'lang', lang: arg === 'zh' || arg === 'en' ? arg : null };
    case 'link': {
      // "/link 123 456" and "/link 123456" are the same code.
      const code = t.slice(head.length + 1).replace(/\s+/g, '');
      return { name: 'link', code: code === '' ? null : code };
    }
    // The flows: what follows the command ("/roleplay fees hard") fills the flow's first slots.
    case 'plan':
    case '计划':
      return { name: 'flow', intent: 'plan', text: t.slice(head.length + 1).trim() };
    case 'roleplay':
    case '练习':
      return { name: 'flow', intent: 'roleplay', text: t.slice(head.length + 1).trim() };
    case 'calc':
    case '计算':
      return { name: 'flow', intent: 'fee_calc', text: t.slice(head.length + 1).trim() };
    default:
      return { name: 'unknown', raw: t };
  }
}
