/**
 * An exact in-memory `SearchIndex`: brute-force cosine over the vectors and plain TF-IDF
 * over the passages' terms. No graph and no files, so it is only for small corpora and
 * tests; it is the reference the shared contract test holds every index to.
 */
import { type Chunk, searchTitleOf } from "../domain.ts";
import { terms } from "../text/terms.ts";
import { cosine, type KeywordIndex, type KeywordQueryOptions, type PassageStore, type SearchIndex, type VectorIndex } from "./search-index.ts";


export class MemorySearchIndex implements SearchIndex, VectorIndex, KeywordIndex, PassageStore {
  private readonly chunks: Chunk[] = [];
  private readonly vectorsBySlot: Float32Array[] = [];
  private readonly termCounts: Map<string, number>[] = [];
  private readonly df = new Map<string, number>();

  get vectors(): VectorIndex {
    return this;
  }

  get keywords(): KeywordIndex {
    return this;
  }

  get passages(): PassageStore {
    return this;
  }

  /** Adds a passage with its vector; returns its slot. */
  add(chunk: Chunk, vector: ArrayLike<number>): number {
    const slot = this.chunks.length;
    this.chunks.push(chunk);
    this.vectorsBySlot.push(Float32Array.from(vector));
    const counts = new Map<string, number>();
    for (const term of [...terms(chunk.text), ...terms(searchTitleOf(chunk))]) counts.set(term, (counts.get(term) ?? 0) + 1);
    this.termCounts.push(counts);
    for (const term of counts.keys()) this.df.set(term, (this.df.get(term) ?? 0) + 1);
    return slot;
  }

  searchVector(query: ArrayLike<number>, k: number, filter?: (chunk: Chunk) => boolean): { slot: number; similarity: number }[] {
    return this.chunks
      .map((chunk, slot) => ({ chunk, slot }))
      .filter(({ chunk }) => !filter || filter(chunk))
      .map(({ slot }) => ({ slot, similarity: cosine(query, this.vectorsBySlot[slot]) }))
      .sort((a, b) => b.similarity - a.similarity || a.slot - b.slot)
      .slice(0, Math.max(0, k));
  }

  vectorAt(slot: number): Float32Array {
    return this.vectorsBySlot[slot];
  }

  query(text: string, k: number, options: KeywordQueryOptions = {}): { slot: number; score: number }[] {
    const weighted = new Map<string, number>();
    for (const term of terms(text)) weighted.set(term, 1);
    for (const term of options.expansion ?? []) if (!weighted.has(term)) weighted.set(term, options.expansionWeight ?? 0);
    for (const term of options.translations ?? []) if (!weighted.has(term)) weighted.set(term, options.translationWeight ?? 0);
    const hits: { slot: number; score: number }[] = [];
    this.termCounts.forEach((counts, slot) => {
      let score = 0;
      for (const [term, weight] of weighted) {
        const tf = counts.get(term);
        if (tf) score += weight * (1 + Math.log(tf)) * this.idf(term);
      }
      if (score > 0) hits.push({ slot, score });
    });
    return hits.sort((a, b) => b.score - a.score || a.slot - b.slot).slice(0, Math.max(0, k));
  }

  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  idf(term: string): number {
    return Math.log(1 + (this.chunks.length + 0.5) / (this.documentFrequency(term) + 0.5));
  }

  termsOf(slots: readonly number[]): Set<string> {
    const found = new Set<string>();
    for (const slot of slots) for (const term of this.termCounts[slot]?.keys() ?? []) found.add(term);
    return found;
  }

  termsStartingWith(prefix: string): string[] {
    return [...this.df.keys()].filter((term) => term.startsWith(prefix) && term !== prefix);
  }

  vocabulary(): readonly string[] {
    return [...this.df.keys()];
  }

  chunkAt(slot: number): Chunk | null {
    return this.chunks[slot] ?? null;
  }

  *entries(): IterableIterator<[number, Chunk]> {
    for (const [slot, chunk] of this.chunks.entries()) yield [slot, chunk];
  }

  *documents(): IterableIterator<{ docId: string; publishedOn: string | null }> {
    const seen = new Set<string>();
    for (const chunk of this.chunks) {
      if (seen.has(chunk.docId)) continue;
      seen.add(chunk.docId);
      yield { docId: chunk.docId, publishedOn: chunk.publishedOn };
    }
  }

  slotsOf(docId: string): number[] {
    return this.chunks
      .map((chunk, slot) => ({ chunk, slot }))
      .filter(({ chunk }) => chunk.docId === docId)
      .sort((a, b) => a.chunk.start - b.chunk.start)
      .map(({ slot }) => slot);
  }
}
