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

/** Terms that carry the question's content: `terms()` without question words. */
export function contentTerms(text: string): string[] {
  return [...new Set(terms(text).filter((term) => !QUESTION_WORDS.has(term)))];
}

/** The lowercase words behind `contentTerms`, one per distinct term (for word-vector look-ups). */
export function contentWords(text: string): string[] {
  const byTerm = new Map<string, string>();
  for (const word of words(text)) {
    const term = normalizeTerm(word.text);
    if (term && !QUESTION_WORDS.has(term) && !byTerm.has(term)) byTerm.set(term, lowerWord(word.text));
  }
  return [...byTerm.values()];
}

/**
 * The distinct lowercase words of a text as `contentWords` spells them, stopwords kept,
 * words shorter than 3 letters and words with digits left out: the candidates a question
 * word is compared with by word-vector similarity.
 */
export function lowerWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of words(text)) {
    const lower = lowerWord(word.text);
    if (lower.length >= 3 && !/\d/.test(lower)) out.add(lower);
  }
  return out;
}
