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

/** `text` with combining accents removed after NFKD ("Café" → "Cafe"); ASCII text is returned as is. */
export function foldDiacritics(text: string): string {
  // Most words are plain ASCII: skip the (comparatively costly) Unicode normalisation for them.
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}
