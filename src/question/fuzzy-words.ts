/**
 * Typo-tolerant word look-up (pure): the words of a vocabulary within one edit
 * (insertion, deletion, substitution or swap of neighbours) of a typed word, found
 * through a symmetric-deletion index (each word filed under itself and every
 * one-letter deletion of it), so a look-up is a handful of Map gets, not a scan.
 */

export interface FuzzyMatch {
  word: string;
  /** The weight given with the word (e.g. its document frequency): ties are broken by it. */
  weight: number;
}

export class FuzzyWords {
  private readonly byKey = new Map<string, number[]>();
  private readonly words: string[] = [];
  private readonly weights: number[] = [];

  /** `minLength`: shorter words are neither indexed nor corrected (too many neighbours); default 4. */
  constructor(entries: Iterable<[word: string, weight: number]>, private readonly minLength = 4) {
    for (const [word, weight] of entries) {
      if (word.length < minLength) continue;
      const id = this.words.push(word) - 1;
      this.weights.push(weight);
      for (const key of deletionKeys(word)) {
        const ids = this.byKey.get(key);
        if (ids) ids.push(id);
        else this.byKey.set(key, [id]);
      }
    }
  }

  /** Vocabulary words one edit from `word` (not `word` itself), heaviest first. */
  near(word: string): FuzzyMatch[] {
    if (word.length < this.minLength) return [];
    const found = new Set<number>();
    for (const key of deletionKeys(word)) for (const id of this.byKey.get(key) ?? []) found.add(id);
    return [...found]
      .map((id) => ({ word: this.words[id], weight: this.weights[id] }))
      .filter((match) => match.word !== word && oneEditApart(word, match.word))
      .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word));
  }
}

/** The word and each of its one-letter deletions. */
function deletionKeys(word: string): Set<string> {
  const keys = new Set([word]);
  for (let i = 0; i < word.length; i++) keys.add(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

/** Whether two words differ by one insertion, deletion, substitution or swap of neighbours. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i);
}
