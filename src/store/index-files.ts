/**
 * On-disk layout of the index directory. Each build writes a complete generation
 * directory, then points `CURRENT` at it with an atomic rename: a reader never sees
 * half an index, and a failed or interrupted build leaves the previous one serving.
 *
 *   INDEX_DIR/CURRENT            name of the serving generation
 *   INDEX_DIR/gen-<stamp>/       manifest.json, chunks.json, vectors.f32, hnsw.bin, lexical.json + lexical.bin
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { IndexError } from "../errors.ts";

/** Bumped whenever the files' meaning changes; an older index must be rebuilt. 3: Porter-stemmed terms (src/text/stem.ts); 4: irregular past forms stemmed to their base; 5: each irregular form to its own base (a table line no longer ran into the next). */
export const INDEX_FORMAT_VERSION = 5;

export interface ManifestDocument {
  contentHash: string;
  /** Size and modification time of the file when it was embedded: an unchanged stat skips reading it. */
  size?: number;
  mtimeMs?: number;
  title: string;
  publishedOn: string | null;
  sourceName: string | null;
  sourceUrl: string | null;
  /** Slots (HNSW labels, rows of vectors.f32) of this document's chunks, in order. */
  slots: number[];
}

export interface Manifest {
  formatVersion: number;
  embedder: { id: string; dimensions: number };
  chunking: { maxChars: number; overlapSentences: number };
  hnsw: { m: number; efConstruction: number };
  /** ISO timestamp of the build. */
  builtAt: string;
  /** Number of slots in chunks.json / vectors.f32 (live chunks plus freed slots). */
  slotCount: number;
  chunkCount: number;
  documents: Record<string, ManifestDocument>;
}

export const FILES = {
  manifest: "manifest.json",
  chunks: "chunks.json",
  vectors: "vectors.f32",
  hnsw: "hnsw.bin",
  lexical: "lexical.json",
  lexicalData: "lexical.bin",
} as const;

const CURRENT = "CURRENT";

/** The serving generation's directory, or null when no index was ever built. */
export async function currentGeneration(indexDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await readFile(path.join(indexDir, CURRENT), "utf8")).trim();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new IndexError(`Cannot read ${path.join(indexDir, CURRENT)}: ${(cause as Error).message}`, { cause });
  }
  if (!/^gen-[\w.-]+$/.test(name)) throw new IndexError(`${path.join(indexDir, CURRENT)} is corrupt; run \`npm run embed -- --force\`.`);
  return path.join(indexDir, name);
}

/** A fresh, empty directory for a new generation. */
export async function newGenerationDir(indexDir: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "").replace("T", "-").replace("Z", "");
  const dir = path.join(indexDir, `gen-${stamp}-${randomBytes(3).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Makes `generationDir` the serving one (atomic), then removes all but it and its predecessor. */
export async function publishGeneration(indexDir: string, generationDir: string): Promise<void> {
  const previous = await currentGeneration(indexDir).catch(() => null);
  const temp = path.join(indexDir, `${CURRENT}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`);
  await writeFile(temp, `${path.basename(generationDir)}\n`);
  await rename(temp, path.join(indexDir, CURRENT));
  // Keep the predecessor: a reader that read CURRENT a moment ago may still be loading it.
  const keep = new Set([path.basename(generationDir), previous && path.basename(previous)]);
  for (const entry of await readdir(indexDir)) {
    const stale = (entry.startsWith("gen-") && !keep.has(entry)) || (entry.startsWith(`${CURRENT}.`) && entry.endsWith(".tmp"));
    if (stale) await rm(path.join(indexDir, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The serving generation's manifest, or null when no index was built yet. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const dir = await currentGeneration(indexDir);
  return dir ? readJson<Manifest>(path.join(dir, FILES.manifest)) : null;
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value));
}

export async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (cause) {
    throw new IndexError(`Cannot read ${file}: ${(cause as Error).message}. Run \`npm run embed -- --force\` to rebuild the index.`, { cause });
  }
}
