/**
 * A record's JSON text, produced once per turn instead of three times. A turn's state is
 * serialised to see whether it changed (Bot Framework's change check); without this the store
 * would serialise it again to write it, and the change check would serialise what the store had
 * just parsed at load.
 *
 * Two hand-offs, each used once and only by the side named:
 * - read: a store notes the text it parsed an item from; the state takes it as the item's
 *   "as loaded" fingerprint (`takeReadText`). Stores never write from it.
 * - write: the state notes the text it just made of an item it is about to write; the store
 *   writes that text (`writeText`) instead of serialising again. A text is taken at most once,
 *   so a later change to the object can never be written from a stale text.
 * Items are always written without their eTag, as the stores do.
 */
const readTexts = new WeakMap<object, string>();
const writeTexts = new WeakMap<object, string>();

/**
 * Serialises an item as stores keep it: everything but its eTag. The eTag is left out by
 * setting it to undefined for the call (JSON leaves undefined values out) rather than by
 * copying the record without it: the copy cost more than the serialising.
 */
export function serialiseItem(item: object): string {
  const record = item as Record<string, unknown>;
  const eTag = record.eTag;
  if (eTag === undefined) return JSON.stringify(record);
  record.eTag = undefined;
  try {
    return JSON.stringify(record);
  } finally {
    record.eTag = eTag;
  }
}

/** Parses a stored text into an item with its eTag; notes the text for the change check. */
export function parseItem(json: string, eTag: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  const item: Record<string, unknown> =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  // The stored text is exactly what serialiseItem makes of the item, eTag aside.
  if (item === parsed && !('eTag' in item)) readTexts.set(item, json);
  item.eTag = eTag;
  return item;
}

/** The text an item was read from, if a store noted it (taken once). */
export function takeReadText(item: object): string | undefined {
  const text = readTexts.get(item);
  if (text !== undefined) readTexts.delete(item);
  return text;
}

/** Notes the text just made of an item that is about to be written. */
export function noteWriteText(item: object, json: string): void {
  writeTexts.set(item, json);
}

/** Forgets a noted text that was not used (the write failed or went elsewhere). */
export function forgetWriteText(item: object): void {
  writeTexts.delete(item);
}

/** The text to store for an item: the one just noted (taken once), else serialised now. */
export function writeText(item: object): string {
  const text = writeTexts.get(item);
  if (text !== undefined) {
    writeTexts.delete(item);
    return text;
  }
  return serialiseItem(item);
}
