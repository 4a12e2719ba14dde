/**
 * Verifies a generated answer against the passages it was given (pure, no I/O): keeps only
 * `[n]` markers that name a given passage, renumbers them in order of first use, and builds
 * the citations from passage metadata, never from the model's text. Also recognises the
 * prompt's refusal marker.
 */
import type { Citation, Passage } from "../domain.ts";
import { splitSentences } from "../text/sentences.ts";
import { STOPWORDS } from "../text/stopwords.ts";
import { words } from "../text/words.ts";

/** The token the prompt asks the model to start a refusal with; code, not the model, decides what users see. */
export const NO_ANSWER_MARKER = "NO_ANSWER";

/** Shown when the model refused without giving a sentence of its own. */
export const DEFAULT_REFUSAL_TEXT = "The documents I have do not answer this question.";

/** Upper bound of a citation quote, in characters; longer sentences are cut at a word. */
export const MAX_QUOTE_CHARS = 300;

/** The verified answer: the text with valid, renumbered markers and the citations they point to. */
export interface CheckedAnswer {
  text: string;
  /** In order of `n` (1, 2, …), one per cited passage. */
  citations: Citation[];
  /** True when the model said the passages do not answer the question. */
  refused: boolean;
  /** Marker numbers the model used that name no given passage (for logs). */
  invalidNumbers: number[];
}

/** One `[…]` marker found in the text. */
interface Marker {
  start: number;
  end: number;
  numbers: number[];
}

// `[1]`, `[1, 2]`, `[1; 3]`, `[2-4]`; adjacent markers `[1][2]` are matched one by one.
const MARKER = /\[\s*(\d{1,4}(?:\s*(?:[,;]|[-–])\s*\d{1,4})*)\s*\]/g;
const REFUSAL_PREFIX = /^\s*[[(*_`"']*\s*NO[ _-]?ANSWER\s*[\])*_`"']*\s*[:.\-–—]?\s*/i;
// Without the marker, a short uncited answer that says the passages lack the answer is a refusal too.
const REFUSAL_PHRASES = [
  /\b(?:passages?|documents?|sources?|corpus|context)\b[^.!?]{0,60}\b(?:do(?:es)?\s+not|don't|doesn't|does\s+not)\s+(?:answer|cover|contain|mention|say|provide|include)/i,
  /\b(?:no|not\s+any)\s+information\b/i,
  /\bcannot\s+(?:answer|find)\b/i,
  /(?:не\s+(?:содерж|упомина|отвеча|говор|да[её]т)|нет\s+(?:информации|сведений|данных))/i,
];
// A "Sources:" list the model appends despite the instructions: code builds that block.
const SOURCES_BLOCK =
  /\n[ \t]*(?:[*_#]+[ \t]*)?(?:sources|references|citations|источники|ссылки)[ \t]*[*_]*[ \t]*(?::|(?=\n|$))[\s\S]*$/i;

/** Strips a leading refusal marker; returns null when the text does not start with one. */
export function stripRefusalMarker(text: string): string | null {
  const match = REFUSAL_PREFIX.exec(text);
  return match ? text.slice(match[0].length).trim() : null;
}

/** True while `text` could still be the beginning of the refusal marker (so a stream should hold it back). */
export function mayBecomeRefusalMarker(text: string): boolean {
  const bare = text.trimStart().replace(/^[[(*_`"']+/, "").toUpperCase().replace(/[ -]/g, "_");
  return bare.length < NO_ANSWER_MARKER.length && NO_ANSWER_MARKER.startsWith(bare);
}

/** What a user may see of a partial (streamed) answer: no refusal marker, nothing while the marker may be forming. */
export function displayPartial(text: string): string {
  if (mayBecomeRefusalMarker(text)) return "";
  return stripRefusalMarker(text) ?? text;
}

/**
 * Checks `raw` (the model's whole answer) against the `passages` that were numbered 1..n in
 * the prompt, in that order.
 */
export function checkCitations(raw: string, passages: readonly Passage[]): CheckedAnswer {
  const refusalBody = stripRefusalMarker(raw);
  if (refusalBody !== null) {
    const sentence = stripMarkers(refusalBody.replace(SOURCES_BLOCK, "")).trim();
    return { text: sentence || DEFAULT_REFUSAL_TEXT, citations: [], refused: true, invalidNumbers: [] };
  }

  const body = raw.replace(SOURCES_BLOCK, "").trim();
  const markers = findMarkers(body);
  const invalid = new Set<number>();
  const renumbered = new Map<number, number>(); // given passage number → new number
  for (const marker of markers) {
    for (const n of marker.numbers) {
      if (n < 1 || n > passages.length) invalid.add(n);
      else if (!renumbered.has(n)) renumbered.set(n, renumbered.size + 1);
    }
  }

  // Rebuild the text, and remember the claim each marker backs (the text since the previous sentence end).
  const claims = new Map<number, string[]>();
  let text = "";
  let cursor = 0;
  for (const marker of markers) {
    const before = body.slice(cursor, marker.start);
    const valid = [...new Set(marker.numbers.filter((n) => renumbered.has(n)))];
    if (valid.length === 0) {
      text += before.replace(/[ \t]+$/, "");
    } else {
      text += before;
      const claim = claimBefore(body, marker.start);
      for (const n of valid) {
        const list = claims.get(n) ?? [];
        list.push(claim);
        claims.set(n, list);
      }
      const numbers = valid.map((n) => renumbered.get(n)!).sort((a, b) => a - b);
      text += `[${numbers.join(", ")}]`;
    }
    cursor = marker.end;
  }
  text += body.slice(cursor);
  text = tidy(text);

  const citations: Citation[] = [...renumbered.entries()].map(([given, n]) => {
    const chunk = passages[given - 1].chunk;
    return {
      n,
      docId: chunk.docId,
      title: chunk.title,
      date: chunk.publishedOn,
      source: chunk.sourceUrl,
      quote: pickQuote(chunk.text, (claims.get(given) ?? []).join(" ")),
      chunkId: chunk.id,
    };
  });

  const refused = citations.length === 0 && looksLikeRefusal(text);
  return {
    text: refused ? text || DEFAULT_REFUSAL_TEXT : text,
    citations,
    refused,
    invalidNumbers: [...invalid].sort((a, b) => a - b),
  };
}

/** True when an uncited text reads as "the passages do not answer this" (English or Russian). */
export function looksLikeRefusal(text: string): boolean {
  return text.length <= 400 && REFUSAL_PHRASES.some((pattern) => pattern.test(text));
}

/**
 * The sentence(s) of `passageText` sharing most words with `claim`, verbatim; the first
 * ~200 characters when nothing overlaps.
 */
export function pickQuote(passageText: string, claim: string): string {
  const sentences = splitSentences(passageText).map((sentence) => sentence.text);
  if (sentences.length === 0) return "";
  const claimWords = new Set(contentWords(claim));
  let best = -1;
  let bestScore = 0;
  sentences.forEach((sentence, index) => {
    const words = new Set(contentWords(sentence));
    let score = 0;
    for (const word of words) if (claimWords.has(word)) score += /\d/.test(word) ? 2 : 1;
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  if (best < 0) return clip(passageText.trim(), 200);
  let quote = sentences[best];
  // A very short sentence ("He arrived.") says little alone: add the next one.
  if (quote.length < 60 && best + 1 < sentences.length) quote = `${quote} ${sentences[best + 1]}`;
  return clip(quote, MAX_QUOTE_CHARS);
}

function findMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  for (const match of text.matchAll(MARKER)) {
    const numbers: number[] = [];
    for (const part of match[1].split(/\s*[,;]\s*/)) {
      const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part);
      if (range) {
        const from = Number(range[1]);
        const to = Number(range[2]);
        if (to >= from && to - from <= 20) for (let n = from; n <= to; n += 1) numbers.push(n);
        else numbers.push(from, to);
      } else {
        numbers.push(Number(part));
      }
    }
    const start = match.index!;
    const previous = markers[markers.length - 1];
    // `[1][3]` and `[1] [3]` become one group, rendered `[1, 2]` after renumbering.
    if (previous && /^[ \t]*$/.test(text.slice(previous.end, start))) {
      previous.numbers.push(...numbers);
      previous.end = start + match[0].length;
    } else {
      markers.push({ start, end: start + match[0].length, numbers });
    }
  }
  return markers;
}

function stripMarkers(text: string): string {
  return tidy(text.replace(MARKER, ""));
}

/** The answer text a marker at `index` backs: back to the previous marker or sentence end. */
function claimBefore(text: string, index: number): string {
  // Skip markers right before this one ("[1][2]") and a period placed before the marker.
  const head = text
    .slice(0, index)
    .replace(/(?:\s*\[[^\]\n]*\])+\s*$/, "")
    .replace(/[.!?]\s*$/, "");
  const cut = Math.max(head.lastIndexOf("]"), head.search(/[.!?]\s+[^.!?]*$/), head.lastIndexOf("\n"));
  return head.slice(cut + 1).trim();
}

function tidy(text: string): string {
  return text
    .replace(/[ \t]+([.,;:!?)])/g, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Lower-case words of at least 3 characters (or with a digit) that are not stopwords. */
function contentWords(text: string): string[] {
  return words(text.toLowerCase())
    .map((word) => word.text)
    .filter((word) => (word.length >= 3 || /\d/.test(word)) && !STOPWORDS.has(word));
}

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(" ");
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, "")}…`;
}
