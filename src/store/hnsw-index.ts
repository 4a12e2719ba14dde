/**
 * The HNSW index under the LangChain store (hnswlib-node, cosine space), without LangChain:
 * what serving and building use, so that `npm start` does not load LangChain's runnables
 * and tracing (~0.3 s of module loading) to answer. Every chunk lives in a numbered slot:
 * its HNSW label and its row in the raw vector array. Freed slots (removed or changed
 * documents) are reused, so incremental re-embedding updates the graph in place instead of
 * rebuilding it. Scores are cosine *similarity* (1 = same direction), not hnswlib's
 * distance. `HnswVectorStore` (hnsw-store.ts) is the LangChain VectorStore over one.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import hnswlib from "hnswlib-node";
import type { Chunk } from "../domain.ts";
import { IndexError } from "../errors.ts";
import { ChunkSlots } from "./chunk-slots.ts";
import { FILES, readGenerationManifest } from "./index-files.ts";

const { HierarchicalNSW } = hnswlib;

export interface HnswParams {
  /** Graph degree; default 16. */
  m: number;
  /** Candidate list size while building; default 100. */
  efConstruction: number;
  /**
   * Candidate list size while searching; default 384: at 100,000 chunks recall@10 0.987 at
   * 0.6 ms, 60× faster than exact search (ef 256: 0.979; `npm run bench`).
   */
  efSearch: number;
}

export const DEFAULT_HNSW_PARAMS: HnswParams = { m: 16, efConstruction: 100, efSearch: 384 };

export interface VectorHit {
  slot: number;
  chunk: Chunk;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** What `HnswIndex.load` is told besides the directory; without it, its manifest says. */
export interface HnswLoadOptions {
  dimensions: number;
  slotCount: number;
  params?: Partial<HnswParams>;
  files?: { chunks?: Buffer; vectors: Buffer };
}

export class HnswIndex {
  readonly dimensions: number;
  readonly params: HnswParams;
  private index: InstanceType<typeof HierarchicalNSW>;
  private vectors: Float32Array;
  private chunks: ChunkSlots;
  private free: number[];
  private live: number;

  private constructor(init: { dimensions: number; params: HnswParams; index: InstanceType<typeof HierarchicalNSW>; vectors: Float32Array; chunks: ChunkSlots }) {
    this.dimensions = init.dimensions;
    this.params = init.params;
    this.index = init.index;
    this.vectors = init.vectors;
    this.chunks = init.chunks;
    this.free = [];
    this.live = 0;
    for (let slot = 0; slot < init.chunks.length; slot++) {
      if (init.chunks.isLive(slot)) this.live++;
      else this.free.push(slot);
    }
    this.free.reverse(); // pop() hands out the lowest free slot first
    this.index.setEf(init.params.efSearch);
  }

  /** An empty store for vectors of `dimensions`. */
  static empty(options: { dimensions: number; params?: Partial<HnswParams>; capacity?: number }): HnswIndex {
    const params = { ...DEFAULT_HNSW_PARAMS, ...options.params };
    const index = new HierarchicalNSW("cosine", options.dimensions);
    index.initIndex({ maxElements: Math.max(16, options.capacity ?? 1024), m: params.m, efConstruction: params.efConstruction, randomSeed: 42 });
    return new HnswIndex({ dimensions: options.dimensions, params, index, vectors: new Float32Array(0), chunks: ChunkSlots.of() });
  }

  /**
   * Loads a store saved by `save()` in an index generation directory; dimensions, slot
   * count and HNSW parameters come from its manifest unless given. `files` hands over
   * vectors.f32 already read (and verified) by the caller, and chunks.bin too when it has
   * read it; otherwise chunks.bin stays on disk and only its offset table is read. Chunks
   * are read and parsed when first asked for (src/store/chunk-slots.ts).
   */
  static async load(directory: string, given?: HnswLoadOptions): Promise<HnswIndex> {
    let options = given;
    if (!options) {
      const manifest = await readGenerationManifest(directory);
      options = { dimensions: manifest.embedder.dimensions, slotCount: manifest.slotCount, params: manifest.hnsw };
    }
    const params = { ...DEFAULT_HNSW_PARAMS, ...options.params };
    const chunksFile = path.join(directory, FILES.chunks);
    const chunkBytes = options.files?.chunks;
    const bytes = options.files
      ? options.files.vectors
      : await readFile(path.join(directory, FILES.vectors)).catch((cause: Error) => {
          throw new IndexError(`Cannot read the index in ${directory}: ${cause.message}. Run \`npm run embed\` to rebuild it.`, { cause });
        });
    let chunks: ChunkSlots;
    try {
      // The bytes are the ones the build wrote (the caller checked their sha256, or checks them just after); each chunk is parsed when first read.
      chunks = chunkBytes ? ChunkSlots.decode(chunkBytes) : ChunkSlots.open(chunksFile);
    } catch (cause) {
      throw new IndexError(`Cannot read ${chunksFile}: ${(cause as Error).message}. Run \`npm run embed -- --force\` to rebuild the index.`, { cause });
    }
    const expected = options.slotCount * options.dimensions * 4;
    if (chunks.length !== options.slotCount || bytes.byteLength !== expected) {
      throw new IndexError(`The index in ${directory} is inconsistent (${chunks.length} chunk slots, ${bytes.byteLength} vector bytes, expected ${options.slotCount} and ${expected}). Run \`npm run embed -- --force\`.`);
    }
    // A file read on its own owns its (aligned) memory: view it rather than copy it.
    const vectors = bytes.byteOffset % 4 === 0 && bytes.buffer.byteLength === bytes.byteLength ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const index = new HierarchicalNSW("cosine", options.dimensions);
    try {
      index.readIndexSync(path.join(directory, FILES.hnsw));
    } catch (cause) {
      throw new IndexError(`Cannot read the HNSW graph in ${directory}: ${(cause as Error).message}. Run \`npm run embed -- --force\`.`, { cause });
    }
    return new HnswIndex({ dimensions: options.dimensions, params, index, vectors, chunks });
  }

  /** Closes chunks.bin when it was opened in place (load); chunks not read yet cannot be read afterwards. Dropping the store closes it too, later. */
  close(): void {
    this.chunks.close();
  }

  /** Number of live chunks. */
  get size(): number {
    return this.live;
  }

  /** Slot count, live or free: the length of the slot arrays. */
  get slotCount(): number {
    return this.chunks.length;
  }

  chunkAt(slot: number): Chunk | null {
    return this.chunks.get(slot);
  }

  /** The live chunks with their slots, in slot order; chunks not read before are read for the scan and not kept. */
  *entries(): IterableIterator<[number, Chunk]> {
    for (let slot = 0; slot < this.chunks.length; slot++) {
      const chunk = this.chunks.peek(slot);
      if (chunk) yield [slot, chunk];
    }
  }

  vectorAt(slot: number): Float32Array {
    return this.vectors.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  setEf(efSearch: number): void {
    this.params.efSearch = efSearch;
    this.index.setEf(efSearch);
  }

  /** Adds chunks with their vectors; returns the slots they were given. */
  addChunks(chunks: readonly Chunk[], vectors: ArrayLike<ArrayLike<number>>): number[] {
    if (chunks.length !== vectors.length) throw new RangeError(`addChunks got ${chunks.length} chunks but ${vectors.length} vectors`);
    const slots: number[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const vector = vectors[i];
      if (vector.length !== this.dimensions) {
        throw new IndexError(`A vector has ${vector.length} dimensions; this index holds ${this.dimensions}. Run \`npm run embed -- --force\`.`);
      }
      const slot = this.free.pop() ?? this.chunks.length;
      if (slot === this.chunks.length) this.chunks.set(slot, null);
      this.ensureCapacity(this.chunks.length);
      this.vectors.set(vector, slot * this.dimensions);
      this.chunks.set(slot, chunks[i]);
      // Re-adding a label that was marked deleted updates the point and un-deletes it.
      this.index.addPoint(Array.from(vector), slot);
      this.live++;
      slots.push(slot);
    }
    return slots;
  }

  /** Frees slots; their chunks disappear from search at once. */
  removeSlots(slots: readonly number[]): void {
    for (const slot of slots) {
      if (!this.chunks.isLive(slot)) continue;
      this.index.markDelete(slot);
      this.chunks.set(slot, null);
      this.free.push(slot);
      this.live--;
    }
    this.free.sort((a, b) => b - a);
  }

  /** Approximate k nearest chunks by cosine similarity, best first. */
  searchVector(query: ArrayLike<number>, k: number, filter?: (chunk: Chunk) => boolean): VectorHit[] {
    const n = Math.min(k, this.live);
    if (n <= 0) return [];
    const labelFilter = filter ? (label: number) => { const c = this.chunks.get(label); return c !== null && filter(c); } : undefined;
    const { neighbors, distances } = this.index.searchKnn(Array.from(query), n, labelFilter);
    return neighbors.map((slot, i) => ({ slot, chunk: this.chunks.get(slot)!, similarity: 1 - distances[i] }));
  }

  /** Exact k nearest by brute-force cosine over the raw vectors (the baseline for recall). */
  exactSearch(query: ArrayLike<number>, k: number): VectorHit[] {
    const dim = this.dimensions;
    let qNorm = 0;
    for (let d = 0; d < dim; d++) qNorm += query[d] * query[d];
    qNorm = Math.sqrt(qNorm) || 1;
    const hits: VectorHit[] = [];
    let floor = -Infinity;
    for (let slot = 0; slot < this.chunks.length; slot++) {
      const chunk = this.chunks.get(slot);
      if (!chunk) continue;
      let dot = 0;
      let norm = 0;
      const base = slot * dim;
      for (let d = 0; d < dim; d++) {
        const v = this.vectors[base + d];
        dot += v * query[d];
        norm += v * v;
      }
      const similarity = dot / (qNorm * (Math.sqrt(norm) || 1));
      if (hits.length < k || similarity > floor) {
        hits.push({ slot, chunk, similarity });
        if (hits.length > k) {
          hits.sort((a, b) => b.similarity - a.similarity);
          hits.length = k;
        }
        floor = hits.length === k ? Math.min(...hits.map((h) => h.similarity)) : -Infinity;
      }
    }
    return hits.sort((a, b) => b.similarity - a.similarity);
  }

  /**
   * Writes hnsw.bin, vectors.f32 and chunks.bin into `directory`. hnswlib reports no write
   * errors (a full disk leaves a short file), so the graph is read back to check it is whole.
   */
  async save(directory: string): Promise<void> {
    const graph = path.join(directory, FILES.hnsw);
    this.index.writeIndexSync(graph);
    try {
      new HierarchicalNSW("cosine", this.dimensions).readIndexSync(graph);
    } catch (cause) {
      throw Object.assign(new Error(`${FILES.hnsw} was not written completely (is the disk full?)`, { cause }), { code: "ESHORTWRITE" });
    }
    const used = this.vectors.subarray(0, this.chunks.length * this.dimensions);
    await writeFile(path.join(directory, FILES.vectors), Buffer.from(used.buffer, used.byteOffset, used.byteLength));
    await writeFile(path.join(directory, FILES.chunks), this.chunks.encode());
  }

  private ensureCapacity(slots: number): void {
    if (this.vectors.length < slots * this.dimensions) {
      const grown = new Float32Array(Math.max(slots, Math.ceil(this.vectors.length / this.dimensions) * 2, 64) * this.dimensions);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    if (this.index.getMaxElements() < slots) {
      this.index.resizeIndex(Math.max(slots, this.index.getMaxElements() * 2));
    }
  }
}
