/**
 * What retrieval needs from an index, as three small interfaces (in the style of
 * LangChain core's and Hono's: the consumer owns the contract, stores implement it).
 * Passages live in numbered slots; the same slot names a passage in all three. Today's
 * HNSW store with its BM25 index (src/store/) and the exact in-memory index
 * (`memory-index.ts`) implement them and pass the shared contract test
 * (test/support/search-index-contract.ts); a database-backed store would pass the same.
 */
import type { Chunk } from "../domain.ts";

/** Nearest passages by cosine similarity of their vectors. */
export interface VectorIndex {
  /** Up to `k` live slots, most similar first; `filter` keeps only passages it accepts. */
  searchVector(query: ArrayLike<number>, k: number, filter?: (chunk: Chunk) => boolean): { slot: number; similarity: number }[];
  /** The stored vector of a live slot. */
  vectorAt(slot: number): ArrayLike<number>;
}

/** Options of a keyword query: the entities' other names and the question's other-language words, each with its weight. */
export interface KeywordQueryOptions {
  expansion?: readonly string[];
  expansionWeight?: number;
  translations?: readonly string[];
  translationWeight?: number;
}

/** Ranked keyword search over the passages' normalised terms (src/text/terms.ts). */
export interface KeywordIndex {
  /** Up to `k` slots by relevance to the text's terms, best first, with positive scores. */
  query(text: string, k: number, options?: KeywordQueryOptions): { slot: number; score: number }[];
  /** Live passages holding the term. */
  documentFrequency(term: string): number;
  /** Inverse document frequency: higher for rarer terms, positive. */
  idf(term: string): number;
  /** The distinct terms of the given slots' passages (titles included). */
  termsOf(slots: readonly number[]): Set<string>;
  /** Indexed terms that start with `prefix` ("tajik" → "tajikistan"). */
  termsStartingWith(prefix: string): string[];
  /** Every indexed term. */
  vocabulary(): readonly string[];
}

/** The passages themselves, by slot and by document. */
export interface PassageStore {
  chunkAt(slot: number): Chunk | null;
  /** Every live slot with its passage, in slot order (a store may read them for the scan without keeping them). */
  entries(): Iterable<[number, Chunk]>;
  /** A document's slots in text order (its lede first); empty for an unknown document. */
  slotsOf(docId: string): readonly number[];
  /**
   * Every document with its publication date, without reading its passages (a store keeps
   * them beside the passages, as the manifest does): date look-ups need no corpus scan.
   */
  documents(): Iterable<{ docId: string; publishedOn: string | null }>;
}

/** One index as retrieval sees it. */
export interface SearchIndex {
  vectors: VectorIndex;
  keywords: KeywordIndex;
  passages: PassageStore;
}

/** Cosine similarity of two vectors (0 when either is all zeros): what `VectorIndex` ranks by. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.sqrt(na * nb) || 1);
}
