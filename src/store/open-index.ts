/**
 * Loads the serving index generation: manifest, HNSW store and lexical index. Every file
 * is checked against the size and sha256 its manifest records before it is used, so a
 * damaged generation is an IndexDamagedError, never served. Refuses an index built by
 * another embedder or format version with a message that says what to run.
 */
import type { Embedder } from "../embeddings/embedder.ts";
import { IndexError } from "../errors.ts";
import { HnswVectorStore, type HnswParams } from "./hnsw-store.ts";
import { currentGeneration, FILES, IndexMismatchError, type Manifest, readGenerationManifest, readVerified, verifySizes } from "./index-files.ts";
import { LexicalIndex } from "./lexical-index.ts";

export { IndexDamagedError, IndexMismatchError } from "./index-files.ts";

export interface LoadedIndex {
  /** The generation directory this was loaded from. */
  dir: string;
  manifest: Manifest;
  store: HnswVectorStore;
  lexical: LexicalIndex;
}

/** Null when no index was built yet. */
export async function openIndex(
  indexDir: string,
  embedder: Embedder,
  options: { allowMismatch?: boolean; efSearch?: number } = {},
): Promise<LoadedIndex | null> {
  const dir = await currentGeneration(indexDir);
  if (!dir) return null;
  const manifest = await readGenerationManifest(dir);
  if (!options.allowMismatch && (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions)) {
    throw new IndexMismatchError(
      `The index in ${indexDir} was built with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) but the configured embedder is ${embedder.id} (${embedder.dimensions}). Run \`npm run embed\` to rebuild it, or set EMBEDDINGS to match.`,
    );
  }
  // Sizes first: a truncated file is reported before anything large is read.
  await verifySizes(dir, manifest);
  const [chunks, vectors, , header, data] = await Promise.all([
    readVerified(dir, FILES.chunks, manifest),
    readVerified(dir, FILES.vectors, manifest),
    readVerified(dir, FILES.hnsw, manifest), // read by hnswlib itself; checked here
    readVerified(dir, FILES.lexical, manifest),
    readVerified(dir, FILES.lexicalData, manifest),
  ]);
  const params: Partial<HnswParams> = { ...manifest.hnsw, ...(options.efSearch ? { efSearch: options.efSearch } : {}) };
  const store = await HnswVectorStore.load(dir, embedder, { dimensions: manifest.embedder.dimensions, slotCount: manifest.slotCount, params, files: { chunks, vectors } });
  let lexical: LexicalIndex;
  try {
    lexical = LexicalIndex.deserialize({ header: header.toString("utf8"), data });
  } catch (cause) {
    throw new IndexError(`Cannot read the keyword index in ${dir}: ${(cause as Error).message}. Run \`npm run embed -- --force\`.`, { cause });
  }
  return { dir, manifest, store, lexical };
}
