/**
 * Loads the serving index generation: manifest, HNSW store and lexical index. Every file
 * is checked against the size and sha256 its manifest records before it is used (or, for
 * a server, just after it is ready: `verify: "deferred"`), so a damaged generation is an
 * IndexDamagedError, never kept serving. Refuses an index built by
 * another embedder or format version with a message that says what to run.
 */
import type { Embedder } from "../embeddings/embedder.ts";
import { IndexError } from "../errors.ts";
import { HnswIndex, type HnswParams } from "./hnsw-index.ts";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { currentGeneration, embedderMismatch, type DATA_FILES, FILES, IndexDamagedError, IndexMismatchError, type Manifest, readGenerationManifest, readVerified, verifyChecksum, verifyGeneration, verifySizes } from "./index-files.ts";
import { LexicalIndex } from "./lexical-index.ts";

export { IndexDamagedError, IndexMismatchError } from "./index-files.ts";

export interface LoadedIndex {
  /** The generation directory this was loaded from. */
  dir: string;
  manifest: Manifest;
  store: HnswIndex;
  lexical: LexicalIndex;
}

export interface OpenIndexOptions {
  allowMismatch?: boolean;
  efSearch?: number;
  /**
   * `full` (default): every file's sha256 is checked before it is used. `deferred`, for a
   * long-running server that must be ready fast: sizes and the HNSW graph (read by native
   * code, which must never see damaged bytes) are checked, and the caller checks the other
   * files' checksums with `verifyGeneration` just after it is ready, rebuilding on damage.
   * A file that does not load is then checked at once, so damage is still reported as such.
   */
  verify?: "full" | "deferred";
}

/** Null when no index was built yet. */
export async function openIndex(indexDir: string, embedder: Embedder, options: OpenIndexOptions = {}): Promise<LoadedIndex | null> {
  const dir = await currentGeneration(indexDir);
  if (!dir) return null;
  const manifest = await readGenerationManifest(dir);
  const mismatch = options.allowMismatch ? null : embedderMismatch(manifest, embedder);
  if (mismatch) {
    throw new IndexMismatchError(`The index in ${indexDir} was built with ${mismatch}, the configured embedder. Run \`npm run embed\` to rebuild it, or set EMBEDDINGS to match.`);
  }
  // Sizes first: a truncated file is reported before anything large is read.
  await verifySizes(dir, manifest);
  if (options.verify !== "deferred") return load(dir, manifest, embedder, options, (name) => readVerified(dir, name, manifest));
  await verifyChecksum(dir, FILES.hnsw, manifest);
  try {
    return await load(dir, manifest, embedder, options, (name) => readUnverified(dir, name));
  } catch (error) {
    // Unchecked bytes that do not load are most likely damaged ones: say so when they are.
    await verifyGeneration(dir, manifest);
    throw error;
  }
}

async function load(dir: string, manifest: Manifest, embedder: Embedder, options: OpenIndexOptions, read: (name: (typeof DATA_FILES)[number]) => Promise<Buffer>): Promise<LoadedIndex> {
  const [vectors, header, data] = await Promise.all([
    read(FILES.vectors),
    read(FILES.lexical),
    read(FILES.lexicalData),
    // hnsw.bin is read by hnswlib itself, and chunks.bin a chunk at a time when it is first asked for
    // (not held in memory: ~29 MB at 30k chunks); in full mode their checksums are checked here first.
    options.verify === "deferred" ? undefined : verifyChecksum(dir, FILES.hnsw, manifest),
    options.verify === "deferred" ? undefined : verifyChecksum(dir, FILES.chunks, manifest),
  ]);
  const params: Partial<HnswParams> = { ...manifest.hnsw, ...(options.efSearch ? { efSearch: options.efSearch } : {}) };
  const store = await HnswIndex.load(dir, { dimensions: manifest.embedder.dimensions, slotCount: manifest.slotCount, params, files: { vectors } });
  let lexical: LexicalIndex;
  try {
    lexical = LexicalIndex.deserialize({ header: header.toString("utf8"), data });
  } catch (cause) {
    throw new IndexError(`Cannot read the keyword index in ${dir}: ${(cause as Error).message}. Run \`npm run embed -- --force\`.`, { cause });
  }
  return { dir, manifest, store, lexical };
}

async function readUnverified(dir: string, name: string): Promise<Buffer> {
  return readFile(path.join(dir, name)).catch((cause: Error) => {
    throw new IndexDamagedError(`The index in ${dir} is damaged: ${name} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause.message})`, { cause });
  });
}
