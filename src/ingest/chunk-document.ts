/**
 * Sentence-aware chunking (pure). Sentences are packed into chunks of at most
 * `maxChars`; consecutive chunks share `overlapSentences` sentences so that a fact
 * split across a boundary is still found whole. A single sentence longer than
 * `maxChars` is cut at word boundaries: the only case that cuts inside a sentence.
 */
import { chunkIdsFor } from "../chunk-id.ts";
import type { Chunk, NewsDocument } from "../domain.ts";
import { splitSentences, type SentenceSpan } from "../text/sentences.ts";

export interface ChunkOptions {
  /** Upper bound of a chunk's length in characters; default 700 (about 2–4 news sentences). */
  maxChars?: number;
  /** Sentences repeated at the start of the next chunk; default 1. */
  overlapSentences?: number;
}

export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = { maxChars: 700, overlapSentences: 1 };

function cutLongSentence(sentence: SentenceSpan, text: string, maxChars: number): SentenceSpan[] {
  const pieces: SentenceSpan[] = [];
  let start = sentence.start;
  while (start < sentence.end) {
    let end = Math.min(sentence.end, start + maxChars);
    if (end < sentence.end) {
      const space = text.lastIndexOf(" ", end);
      if (space > start + maxChars / 2) end = space;
    }
    const piece = text.slice(start, end).trim();
    if (piece) {
      const offset = text.indexOf(piece, start);
      pieces.push({ start: offset, end: offset + piece.length, text: piece });
    }
    start = end;
  }
  return pieces;
}

export function chunkDocument(document: NewsDocument, options: ChunkOptions = {}): Chunk[] {
  const { maxChars, overlapSentences } = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  if (maxChars < 50) throw new RangeError(`maxChars must be at least 50 (got ${maxChars})`);
  const text = document.text;
  const sentences = splitSentences(text).flatMap((s) => (s.text.length > maxChars ? cutLongSentence(s, text, maxChars) : [s]));
  const chunks: Chunk[] = [];
  const idOf = chunkIdsFor(document.docId);
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    while (last + 1 < sentences.length && sentences[last + 1].end - sentences[first].start <= maxChars) last++;
    const start = sentences[first].start;
    const end = sentences[last].end;
    const ordinal = chunks.length;
    chunks.push({
      id: idOf(text.slice(start, end)),
      docId: document.docId,
      title: document.title,
      ...(document.searchTitle !== undefined ? { searchTitle: document.searchTitle } : {}),
      publishedOn: document.publishedOn,
      sourceName: document.sourceName,
      sourceUrl: document.sourceUrl,
      ordinal,
      text: text.slice(start, end),
      start,
      end,
    });
    if (last + 1 >= sentences.length) break;
    // Keep up to `overlapSentences` sentences, but only when the next new sentence still
    // fits beside them; otherwise the next chunk would repeat old text and add nothing.
    const withOverlap = Math.max(first + 1, last + 1 - overlapSentences);
    first = sentences[last + 1].end - sentences[withOverlap].start <= maxChars ? withOverlap : last + 1;
  }
  return chunks;
}
