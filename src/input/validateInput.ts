/**
 * Input limits for every channel: what a message must be before the coach reads it. A message
 * that fails gets a clear reply in the user's language and changes nothing else.
 */

/** The longest message the coach reads, in characters (code points). */
export const MAX_MESSAGE_CHARS = 4000;

type InputProblem = 'empty' | 'control_only' | 'too_long' | 'invalid_encoding' | 'not_text';

export type InputCheck = { ok: true; text: string } | { ok: false; problem: InputProblem };

// C0/C1 controls except tab and newlines, plus zero-width and bidi formatting characters.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;
// U+FFFD is what a decoder leaves for invalid UTF-8; a lone surrogate is invalid UTF-16.
const INVALID = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function validateInput(raw: unknown): InputCheck {
  if (typeof raw !== 'string')
    return { ok: false, problem: raw === undefined || raw === null ? 'empty' : 'not_text' };
  if (INVALID.test(raw)) return { ok: false, problem: 'invalid_encoding' };
  // Count code points, not UTF-16 units, so an emoji counts once.
  let length = 0;
  for (const _ of raw) if (++length > MAX_MESSAGE_CHARS) return { ok: false, problem: 'too_long' };
  const withoutControls = raw.replace(CONTROL, '');
  if (withoutControls.trim() === '') {
    return { ok: false, problem: raw.trim() === '' ? 'empty' : 'control_only' };
  }
  return { ok: true, text: withoutControls.replace(/\s+/g, ' ').trim() };
}
