/**
 * Word-level text processing shared by the lexical index, relevance checks and the
 * extractive answerer (pure). Terms are lower-case, diacritics folded, possessives and
 * simple plurals removed, stopwords dropped.
 */

export const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out " +
    "over own same she should so some such than that the their theirs them themselves then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "tell me please say said says know let us give show find any anything something whether ever yet still much many" +
    " whats whos hows wheres"
  ).split(/\s+/),
);

/** Question words that say what kind of answer is wanted; not content. */
export const QUESTION_WORDS = new Set(["what", "when", "where", "who", "whom", "which", "why", "how", "date", "day"]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function foldDiacritics(text: string): string {
  // Most words are plain ASCII: skip the (comparatively costly) Unicode normalisation for them.
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

/** Normalises one raw word into a term, or null for a stopword. */
export function normalizeTerm(word: string): string | null {
  let term = foldDiacritics(word.toLowerCase()).replace(/['’]s$/, "").replace(/['’]/g, "");
  if (STOPWORDS.has(term) || term.length === 0) return null;
  return stem(term);
}

/**
 * A light suffix stripper (plural, -ed, -ing, final e), applied alike at index and
 * query time so that "meeting"/"meet" and "discussed"/"discuss" match. Not Porter:
 * it leaves short words and names with few letters alone.
 */
export function stem(term: string): string {
  if (term.length <= 3 || /\d/.test(term)) return term;
  let t = term;
  if (t.endsWith("ies") && t.length > 4) t = `${t.slice(0, -3)}y`;
  else if (t.endsWith("s") && !/(ss|us|is|ys)$/.test(t)) t = t.slice(0, -1);
  const suffix = /(?:ing|ed)$/.exec(t);
  if (suffix && t.length - suffix[0].length >= 3 && /[aeiouy]/.test(t.slice(0, -suffix[0].length))) {
    t = t.slice(0, -suffix[0].length);
    if (/([^aeioulsz])\1$/.test(t)) t = t.slice(0, -1);
  }
  if (t.length > 3) t = t.replace(/e+$/, ""); // "agree", "agreed", "agreeing" → "agr"
  return t;
}

/** All terms of a text, in order, duplicates kept. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const term = normalizeTerm(match[0]);
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
  for (const match of text.matchAll(WORD)) {
    const term = normalizeTerm(match[0]);
    if (term && !QUESTION_WORDS.has(term) && !byTerm.has(term)) byTerm.set(term, foldDiacritics(match[0].toLowerCase()).replace(/['’]s$/, ""));
  }
  return [...byTerm.values()];
}
