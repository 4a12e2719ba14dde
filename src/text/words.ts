/**
 * Word tokens with their offsets (pure): the one word pattern of the project. Terms,
 * citation quotes and document words for word-vector look-ups are built on `words`.
 */

/** A word: a run of letters and digits with an optional apostrophe ending ("China's", "we’ll"). */
export const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/**
 * A compound word: letter/digit runs joined by straight apostrophes or hyphens stay one
 * token ("jalal-abad", "o'brien", "kyrgyzstan-china"). The embedder's tokens, so that a
 * word-vector vocabulary entry like "co-operation" can be found whole.
 */
export const COMPOUND_WORD_PATTERN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/** One word of a text: its characters as written and its [start, end) offsets in that text. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Options of {@link words}. */
export interface WordsOptions {
  /** Match {@link COMPOUND_WORD_PATTERN} instead of {@link WORD_PATTERN}; default false. */
  compounds?: boolean;
}

/** The raw words of `text` in order, case and diacritics as written. */
export function words(text: string, options: WordsOptions = {}): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(options.compounds ? COMPOUND_WORD_PATTERN : WORD_PATTERN)) {
    const start = match.index!;
    out.push({ text: match[0], start, end: start + match[0].length });
  }
  return out;
}

/**
 * `text` with combining accents removed after NFKD ("Café" → "Cafe"); ASCII text is returned
 * as is. Russian "й" is a letter of its own, not an accented "и": it stays, or the stemmer
 * no longer sees the adjective endings "-ый", "-ой", "-ий" ("китайской" would stem to
 * "китаиско", "китайский" to "китаиск").
 */
export function foldDiacritics(text: string): string {
  // Most words are plain ASCII: skip the (comparatively costly) Unicode normalisation for them.
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").normalize("NFC");
}

/** Combining accents, but not the breve of "й" (и + U+0306), which NFC puts back together. */
const COMBINING_MARKS = /(?<![иИ])[\u0300-\u036f]|(?<=[иИ])[\u0300-\u0305\u0307-\u036f]/g;
