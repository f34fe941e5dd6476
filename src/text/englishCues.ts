/**
 * English case cues read as word stems in order, with a little room between them: "huabei
 * closed" also names "Huabei was suddenly closed", "charged twice" also "charges twice" and
 * "charged me twice". Real messages rarely repeat a cue word for word, and a list of every
 * inflection and filler would be endless. kb:check reads cue overlaps between cases with the same
 * index (src/knowledge/validate.ts), so a cue names its case alone however it is matched.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

/** Words a cue may leave out or a message may put in: they carry nothing of the situation. */
const FILLER = new Set([
  'a',
  'an',
  'the',
  'is',
  'was',
  'are',
  'were',
  'be',
  'been',
  'being',
  'am',
  'got',
  'get',
  'gets',
  'getting',
  'has',
  'have',
  'had',
  'my',
  'me',
  'i',
  'it',
  'its',
  'just',
  'still',
  'again',
]);

/**
 * Stems that say the same thing in a cue's sense, read as one: a frozen account is also "froze"
 * and "freezing", a closed credit line also "shut off", "disabled" or "deactivated", a charge
 * also "billed", "deducted" or "debited".
 */
const SAME: Record<string, string> = {
  froze: 'freez',
  frozen: 'freez',
  shut: 'close',
  disabl: 'close',
  deactiv: 'close',
  bill: 'charg',
  deduct: 'charg',
  debit: 'charg',
  verifi: 'verif',
};

/** At most this many words of the message between two words of a cue. */
const GAP = 2;

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

const stem = (w: string): string => {
  const s = PorterStemmer.stem(w.replace(/'s$/, ''));
  return SAME[s] ?? s;
};

interface Cue {
  phrase: string;
  stems: string[];
}

export class EnglishCueIndex {
  private readonly byFirst = new Map<string, Cue[]>();

  /** Two-word cues by their second word. */
  private readonly byLast = new Map<string, Cue[]>();

  constructor(phrases: readonly string[]) {
    for (const phrase of phrases) {
      const words = phrase.toLowerCase().match(WORD) ?? [];
      const kept = words.filter((w) => !FILLER.has(w));
      // A filler is left out only when two words of substance remain: "got restricted" stays whole.
      const stems = (kept.length >= 2 ? kept : words).map(stem);
      if (stems.length === 0) continue;
      const list = this.byFirst.get(stems[0] as string) ?? [];
      list.push({ phrase, stems });
      this.byFirst.set(stems[0] as string, list);
      if (stems.length === 2) {
        const last = this.byLast.get(stems[1] as string) ?? [];
        last.push({ phrase, stems });
        this.byLast.set(stems[1] as string, last);
      }
    }
  }

  /** The cue phrases this text names (each once, in the order found). */
  find(text: string): string[] {
    const stems = (text.toLowerCase().match(WORD) ?? []).map(stem);
    const found: string[] = [];
    for (let i = 0; i < stems.length; i++) {
      const at = stems[i] as string;
      for (const cue of this.byFirst.get(at) ?? [])
        if (!found.includes(cue.phrase) && follows(stems, i, cue.stems)) found.push(cue.phrase);
      // A two-word cue names its situation in either order: "froze my account", "closed my huabei".
      for (const cue of this.byLast.get(at) ?? [])
        if (
          !found.includes(cue.phrase) &&
          follows(stems, i, [cue.stems[1] as string, cue.stems[0] as string])
        )
          found.push(cue.phrase);
    }
    return found;
  }
}

/** Whether the cue's stems after its first follow position `at`, each within GAP words. */
function follows(stems: readonly string[], at: number, cue: readonly string[]): boolean {
  let pos = at;
  for (let k = 1; k < cue.length; k++) {
    let next = -1;
    for (let j = pos + 1; j <= pos + 1 + GAP && j < stems.length; j++) {
      if (stems[j] === cue[k]) {
        next = j;
        break;
      }
    }
    if (next < 0) return false;
    pos = next;
  }
  return true;
}
