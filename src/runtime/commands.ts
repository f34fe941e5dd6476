/**
 * The coach's commands (/help, /lang, /status, /reset, /end) and their natural-language
 * equivalents for switching language. Every channel shares them; /quit belongs to the terminal.
 */
import type { Lang } from '../knowledge/schema';

export type Command =
  | { name: 'help' }
  | { name: 'status' }
  | { name: 'reset' }
  | { name: 'end' }
  | { name: 'lang'; lang: Lang | null }
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
  /^(我|我们)?(现在|目前)?(到|在|走到)(了)?(哪|哪一|什么)(一)?(步|个阶段|阶段)(了)?[?？。.!！]*$|^(where am i|where are we|what stage am i (at|in)|which stage am i (at|in)|show (me )?my (stage|progress)|my status)[?？.!]*$/i;

export function parseCommand(text: string): Command | null {
  const t = text.trim();
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
    case 'end':
      return { name: 'end' };
    case 'lang':
      return { name: 'lang', lang: arg === 'zh' || arg === 'en' ? arg : null };
    default:
      return { name: 'unknown', raw: t };
  }
}
