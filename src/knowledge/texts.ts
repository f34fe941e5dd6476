/**
 * The coach's interface text at run time (knowledge/ui, compiled into the bundle): `t(key, lang,
 * values)` fills `{name}` with the values given. A key that does not exist is a programming
 * error, caught by the tests that read every text the code asks for.
 */
import type { Lang } from './schema';

export type TextValues = Record<string, string | number>;

export class Texts {
  constructor(private readonly entries: Readonly<Record<string, { zh: string; en: string }>>) {}

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.entries, key);
  }

  /** Both languages of a text, unfilled (labels that must match what a user types or clicks). */
  pair(key: string): { zh: string; en: string } {
    const entry = this.entries[key];
    if (!entry) throw new Error(`no interface text "${key}" in knowledge/ui`);
    return entry;
  }

  t(key: string, lang: Lang, values?: TextValues): string {
    const text = this.pair(key)[lang];
    if (!values) return text;
    return text.replace(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
    );
  }

  keys(): string[] {
    return Object.keys(this.entries);
  }
}
