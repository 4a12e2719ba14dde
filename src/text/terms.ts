/**
 * Index and query terms (pure), shared by the lexical index, relevance checks and the
 * extractive answerer. Terms are lower-case, diacritics folded, possessives and
 * suffixes stemmed away, stopwords dropped.
 */
import { stem } from "./stem.ts";
import { TERM_STOPWORDS } from "./stopwords.ts";
import { foldDiacritics, words } from "./words.ts";

/** Question words that say what kind of answer is wanted; not content. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(["what", "when", "where", "who", "whom", "which", "why", "how", "date", "day"]);

/** One raw word lower-cased, diacritics folded, possessive "'s" removed ("China’s" → "china"). */
function lowerWord(word: string): string {
  return foldDiacritics(word.toLowerCase()).replace(/['’]s$/, "");
}

/** Normalises one raw word into a term, or null for a stopword. */
export function normalizeTerm(word: string): string | null {
  const term = lowerWord(word).replace(/['’]/g, "");
  if (TERM_STOPWORDS.has(term) || term.length === 0) return null;
  return stem(term);
}

/** All terms of a text, in order, duplicates kept. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const term = normalizeTerm(word.text);
    if (term) out.push(term);
  }
  return out;
}

