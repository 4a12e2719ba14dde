/**
 * A LangChain VectorStore built directly on hnswlib-node (cosine space): LangChain's
 * surface (`addDocuments`, `similaritySearch*`, `delete`, `save`/`load`, `asRetriever`)
 * over an `HnswIndex` (hnsw-index.ts), which holds the slots, vectors and graph and is what
 * the bot's own serving and building use. Scores are cosine *similarity* (1 = same
 * direction), not hnswlib's distance.
 */
import { Document, type DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { SaveableVectorStore } from "@langchain/core/vectorstores";
import type { Chunk } from "../domain.ts";
import { HnswIndex, type HnswLoadOptions, type HnswParams, type VectorHit } from "./hnsw-index.ts";

export { DEFAULT_HNSW_PARAMS, HnswIndex, type HnswLoadOptions, type HnswParams, type VectorHit } from "./hnsw-index.ts";

export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (chunk: Chunk) => boolean;

  private constructor(
    embeddings: EmbeddingsInterface,
    /** The index underneath, shared (not copied): changes through either are seen by both. */
    readonly hnsw: HnswIndex,
  ) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "hnswlib-node";
  }

  /** An empty store for vectors of `dimensions`. */
  static empty(embeddings: EmbeddingsInterface, options: { dimensions: number; params?: Partial<HnswParams>; capacity?: number }): HnswVectorStore {
    return new HnswVectorStore(embeddings, HnswIndex.empty(options));
  }

  /** The store over an index already loaded or built. */
  static over(embeddings: EmbeddingsInterface, index: HnswIndex): HnswVectorStore {
    return new HnswVectorStore(embeddings, index);
  }

  /** Loads a store saved by `save()` in an index generation directory (see `HnswIndex.load`). */
  static override async load(directory: string, embeddings: EmbeddingsInterface, given?: HnswLoadOptions): Promise<HnswVectorStore> {
    return new HnswVectorStore(embeddings, await HnswIndex.load(directory, given));
  }

  get dimensions(): number {
    return this.hnsw.dimensions;
  }

  get params(): HnswParams {
    return this.hnsw.params;
  }

  /** Number of live chunks. */
  get size(): number {
    return this.hnsw.size;
  }

  /** Slot count, live or free. */
  get slotCount(): number {
    return this.hnsw.slotCount;
  }

  close(): void {
    this.hnsw.close();
  }

  chunkAt(slot: number): Chunk | null {
    return this.hnsw.chunkAt(slot);
  }

  entries(): IterableIterator<[number, Chunk]> {
    return this.hnsw.entries();
  }

  vectorAt(slot: number): Float32Array {
    return this.hnsw.vectorAt(slot);
  }

  setEf(efSearch: number): void {
    this.hnsw.setEf(efSearch);
  }

  addChunks(chunks: readonly Chunk[], vectors: ArrayLike<ArrayLike<number>>): number[] {
    return this.hnsw.addChunks(chunks, vectors);
  }

  removeSlots(slots: readonly number[]): void {
    this.hnsw.removeSlots(slots);
  }

  searchVector(query: ArrayLike<number>, k: number, filter?: (chunk: Chunk) => boolean): VectorHit[] {
    return this.hnsw.searchVector(query, k, filter);
  }

  exactSearch(query: ArrayLike<number>, k: number): VectorHit[] {
    return this.hnsw.exactSearch(query, k);
  }

  /** Documents must carry their Chunk in `metadata.chunk`. Returns the chunk ids. */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    const chunks = documents.map((doc, i) => {
      const chunk = doc.metadata?.chunk as Chunk | undefined;
      if (!chunk) throw new TypeError(`Document ${i} has no metadata.chunk`);
      return chunk;
    });
    this.addChunks(chunks, vectors);
    return chunks.map((chunk) => chunk.id);
  }

  async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((doc) => doc.pageContent));
    return this.addVectors(vectors, documents);
  }

  /** LangChain's `delete`: removes the passages with these chunk ids (unknown ids are ignored). */
  override async delete(params?: { ids?: string[] }): Promise<void> {
    const ids = new Set(params?.ids ?? []);
    const slots: number[] = [];
    for (const [slot, chunk] of this.entries()) if (ids.has(chunk.id)) slots.push(slot);
    this.removeSlots(slots);
  }

  /** Returns [document, cosine similarity] pairs, best first. */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this["FilterType"]): Promise<[Document, number][]> {
    return this.searchVector(query, k, filter).map((hit) => [
      new Document({ pageContent: hit.chunk.text, metadata: { chunk: hit.chunk }, id: hit.chunk.id }),
      hit.similarity,
    ]);
  }

  /** Writes hnsw.bin, vectors.f32 and chunks.bin into `directory` (see `HnswIndex.save`). */
  override async save(directory: string): Promise<void> {
    await this.hnsw.save(directory);
  }
}
