/**
 * Sentence segmentation with character offsets (pure). Good enough for news prose:
 * it does not split after common abbreviations ("Dec.", "Mr.", "U.S."), initials or
 * decimal numbers, and keeps closing quotes with their sentence.
 */

export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "pres",
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
  "no", "nos", "vs", "etc", "e.g", "i.e", "approx", "inc", "ltd", "co", "corp", "dept", "est", "fig",
]);

// A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before white space.
const BOUNDARY = /[.!?…]+["'”’)\]]*(?=\s)|\n\s*\n/g;

function endsWithAbbreviation(text: string, dotIndex: number): boolean {
  const before = text.slice(Math.max(0, dotIndex - 12), dotIndex);
  const word = /([A-Za-z.]+)$/.exec(before)?.[1] ?? "";
  if (!word) return false;
  if (/^[A-Z]$/.test(word)) return true; // an initial: "J. Smith"
  if (/^(?:[A-Za-z]\.)+[A-Za-z]$/.test(word)) return true; // "U.S", "e.g"
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Splits text into trimmed sentences with offsets into `text`. */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) spans.push({ start: s, end: e, text: text.slice(s, e) });
    start = end;
  };
  for (const match of text.matchAll(BOUNDARY)) {
    const index = match.index ?? 0;
    const token = match[0];
    if (token.startsWith(".") && !token.startsWith("..") && endsWithAbbreviation(text, index)) {
      // "Dec. 27" continues the sentence; so does a lower-case next word.
      continue;
    }
    const after = text.slice(index + token.length).trimStart();
    if (!token.includes("\n") && /^[a-z0-9]/.test(after)) continue;
    push(index + token.length);
  }
  push(text.length);
  return spans;
}
