/**
 * Deterministic perturbations of a question, as users type them: all lower case, no
 * punctuation, or one typo in a name. Pure; the same id always gets the same typo.
 */

/** One way to perturb a question; `apply` gets the question text and its id (the typo's seed). */
export interface Perturbation {
  name: string;
  apply(text: string, id: string): string;
}

export const PERTURBATIONS: readonly Perturbation[] = [
  { name: "lower-cased", apply: (text) => text.toLowerCase() },
  { name: "no punctuation", apply: (text) => withoutPunctuation(text) },
  { name: "one typo", apply: (text, id) => withTypo(text, id) },
];

/**
 * Removes ? ! , . and quotes. Keeps a comma or full stop between digits ("5.2", "150,000")
 * and an apostrophe inside a word ("Xi'an", "Japarov's"): they are not punctuation there.
 */
export function withoutPunctuation(text: string): string {
  const letter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);
  const digit = (c: string | undefined) => c !== undefined && /\d/.test(c);
  return text
    .replace(/[?!,."“”„«»‘’']/g, (c, offset: number) => {
      if ((c === "." || c === ",") && digit(text[offset - 1]) && digit(text[offset + 1])) return c;
      if ((c === "'" || c === "’") && letter(text[offset - 1]) && letter(text[offset + 1])) return c;
      return "";
    })
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * One typo: in the longest capitalised word of at least 5 letters that is not the first word
 * (else the longest word of at least 6 letters), two adjacent inner letters swapped, at a
 * position chosen by a hash of `id` (moved on to the next pair when both letters are the same).
 * Returns the text unchanged when no word qualifies.
 */
export function withTypo(text: string, id: string): string {
  const words = [...text.matchAll(/\p{L}+/gu)].map((m) => ({ word: m[0], at: m.index! }));
  const longest = (candidates: typeof words) => candidates.reduce<(typeof words)[number] | undefined>((best, w) => (!best || w.word.length > best.word.length ? w : best), undefined);
  const target =
    longest(words.slice(1).filter((w) => w.word.length >= 5 && /^\p{Lu}/u.test(w.word))) ?? longest(words.filter((w) => w.word.length >= 6));
  if (!target) return text;
  const letters = [...target.word];
  // Pairs (i, i + 1) of inner letters: the first and last letters stay.
  const pairs = letters.length - 3;
  const start = hash(id) % pairs;
  for (let k = 0; k < pairs; k++) {
    const i = 1 + ((start + k) % pairs);
    if (letters[i].toLowerCase() === letters[i + 1].toLowerCase()) continue;
    [letters[i], letters[i + 1]] = [letters[i + 1], letters[i]];
    return text.slice(0, target.at) + letters.join("") + text.slice(target.at + target.word.length);
  }
  return text;
}

/** 32-bit FNV-1a of a string: a stable seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
