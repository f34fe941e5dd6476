/**
 * A user's line as the debrief quotes it: whole when it is short, else shortened at a clause or
 * word boundary with "…" — never in the middle of a word or a number.
 */
const CJK = /[\u3400-\u9fff]/;

/** About 60 Chinese characters or 140 letters of English. */
export function shortenQuote(text: string, max?: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const limit = max ?? (CJK.test(t) ? 60 : 140);
  if (t.length <= limit) return t;
  const head = t.slice(0, limit);
  // The last clause end, if it keeps at least half of the room.
  const clause = Math.max(
    ...['，', '。', '；', '！', '？', '、', ',', '.', ';', '!', '?', '—', '：', ':'].map((p) => {
      const i = head.lastIndexOf(p);
      // A decimal point or a thousands separator is not a clause end.
      if ((p === '.' || p === ',') && /\d/.test(t.charAt(i + 1))) return -1;
      return i;
    }),
  );
  if (clause >= limit / 2) return `${head.slice(0, clause).trimEnd()}…`;
  if (!CJK.test(head)) {
    const space = head.lastIndexOf(' ');
    if (space > 0) return `${head.slice(0, space).replace(/[\s,.;:!?—-]+$/, '')}…`;
  }
  // Chinese without punctuation: stop before a run of digits or Latin letters that would be cut.
  let end = limit;
  while (end > limit / 2 && /[\w.%]/.test(t.charAt(end)) && /[\w.%]/.test(t.charAt(end - 1))) end--;
  return `${t.slice(0, end)}…`;
}
