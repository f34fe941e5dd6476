/**
 * How names and terms of knowledge/channels.yaml and glossary.yaml are matched, shared by the
 * knowledge check and the chat (which must not load the checker's YAML and schema libraries).
 */

/** The key two names or terms are compared by: case, character width and spacing don't count. */
export function termKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
