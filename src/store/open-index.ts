/**
 * Loads the serving index generation: manifest, HNSW store and lexical index. Refuses
 * an index built by another embedder or format version with a message that says what
 * to run.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Embedder } from "../embeddings/embedder.ts";
import { IndexError } from "../errors.ts";
import { HnswVectorStore, type HnswParams } from "./hnsw-store.ts";
import { currentGeneration, FILES, INDEX_FORMAT_VERSION, type Manifest, readJson } from "./index-files.ts";
import { LexicalIndex } from "./lexical-index.ts";

export interface LoadedIndex {
  /** The generation directory this was loaded from. */
  dir: string;
  manifest: Manifest;
  store: HnswVectorStore;
  lexical: LexicalIndex;
}

/** Thrown when the index exists but was built by another embedder or format. */
export class IndexMismatchError extends IndexError {}

/** Null when no index was built yet. */
export async function openIndex(
  indexDir: string,
  embedder: Embedder,
  options: { allowMismatch?: boolean; efSearch?: number } = {},
): Promise<LoadedIndex | null> {
  const dir = await currentGeneration(indexDir);
  if (!dir) return null;
  const manifest = await readJson<Manifest>(path.join(dir, FILES.manifest));
  if (!options.allowMismatch) {
    if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
      throw new IndexMismatchError(`The index in ${indexDir} has format ${manifest.formatVersion}; this version reads format ${INDEX_FORMAT_VERSION}. Run \`npm run embed\` to rebuild it.`);
    }
    if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
      throw new IndexMismatchError(
        `The index in ${indexDir} was built with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) but the configured embedder is ${embedder.id} (${embedder.dimensions}). Run \`npm run embed\` to rebuild it, or set EMBEDDINGS to match.`,
      );
    }
  }
  const params: Partial<HnswParams> = { ...manifest.hnsw, ...(options.efSearch ? { efSearch: options.efSearch } : {}) };
  const store = await HnswVectorStore.load(dir, embedder, { dimensions: manifest.embedder.dimensions, slotCount: manifest.slotCount, params });
  let lexical: LexicalIndex;
  try {
    const [header, data] = await Promise.all([readFile(path.join(dir, FILES.lexical), "utf8"), readFile(path.join(dir, FILES.lexicalData))]);
    lexical = LexicalIndex.deserialize({ header, data });
  } catch (cause) {
    throw new IndexError(`Cannot read the keyword index in ${dir}: ${(cause as Error).message}. Run \`npm run embed -- --force\`.`, { cause });
  }
  return { dir, manifest, store, lexical };
}
