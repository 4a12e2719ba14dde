/**
 * `npm run embed`: brings the index in line with the corpus, incrementally by content
 * hash. Unchanged documents keep their vectors; changed and new ones are chunked and
 * embedded; removed ones disappear. The result is written as a new generation and
 * published atomically, so the previous index keeps serving until the new one is whole.
 * Every build holds the index's build lock from before it reads the corpus until it has
 * published, so two builds never interleave and the later one sees what the first wrote.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Chunk, type NewsDocument, searchTitleOf } from "../domain.ts";
import type { Embedder } from "../embeddings/embedder.ts";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from "../ingest/chunk-document.ts";
import { type CorpusFile, type CorpusProblem, type LoadedCorpus, loadCorpus } from "../ingest/load-corpus.ts";
import { HnswIndex, type HnswParams, DEFAULT_HNSW_PARAMS } from "./hnsw-index.ts";
import { AppError, IndexError } from "../errors.ts";
import { type BuildLock, type BuildLockOptions, withBuildLock } from "./build-lock.ts";
import {
  embedderMismatch,
  currentGeneration,
  describeFiles,
  FILES,
  IndexDamagedError,
  IndexMismatchError,
  INDEX_FORMAT_VERSION,
  type Manifest,
  type ManifestDocument,
  newGenerationDir,
  publishGeneration,
  pruneGenerations,
  readManifest,
  verifyGeneration,
} from "./index-files.ts";
import { openIndex, type LoadedIndex } from "./open-index.ts";
import { fsyncPath, replaceFileDurably, writeDurably } from "../durable-file.ts";
import { LexicalIndex } from "./lexical-index.ts";

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Re-embed every document even when its content is unchanged. */
  force?: boolean;
  chunking?: ChunkOptions;
  hnsw?: Partial<Omit<HnswParams, "efSearch">>;
  /** Chunks embedded per call of the embedder; default 256. */
  batchSize?: number;
  /** Progress lines for humans (stderr); default none. */
  onProgress?: (message: string) => void;
  /** How to wait for another build holding the index's lock; default up to 10 minutes, told through `onProgress`. */
  lock?: BuildLockOptions;
}

export interface BuildSummary {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Live chunks in the new index. */
  chunks: number;
  /** Chunks embedded by this run. */
  embeddedChunks: number;
  seconds: number;
  indexDir: string;
  /** Files skipped or indexed with a caveat (undated). */
  problems: CorpusProblem[];
  /** Why a full rebuild happened, when it did. */
  rebuildReason: string | null;
}

/** One line for people: "3 added, 1 changed, … in 1.2 s → data/index". */
export function formatSummary(summary: BuildSummary): string {
  const parts = [`${summary.added} added`, `${summary.changed} changed`, `${summary.removed} removed`, `${summary.unchanged} unchanged`];
  return `${parts.join(", ")}; ${summary.chunks} chunks (${summary.embeddedChunks} embedded) in ${summary.seconds.toFixed(2)} s → ${summary.indexDir}`;
}

function sameSettings(manifest: Manifest, embedder: Embedder, chunking: Required<ChunkOptions>): string | null {
  const mismatch = embedderMismatch(manifest, embedder);
  if (mismatch) return `the index was built with ${mismatch}`;
  if (manifest.chunking.maxChars !== chunking.maxChars || manifest.chunking.overlapSentences !== chunking.overlapSentences) return "chunking settings changed";
  return null;
}

/** How the corpus differs from an index's documents. */
export interface CorpusDiff extends LoadedCorpus {
  /** New and changed documents. */
  toEmbed: NewsDocument[];
  /** Manifest entries of unchanged documents (with their files' current stats). */
  kept: Manifest["documents"];
  /** Manifest entries of changed and removed documents. */
  stale: [string, ManifestDocument][];
}

/**
 * Compares the corpus with an index's documents. A file whose size and modification time
 * match is not even read; the others are read and compared by content hash.
 */
export async function diffCorpus(corpusDir: string, oldDocs: Manifest["documents"]): Promise<CorpusDiff> {
  const sameStat = (file: CorpusFile) => {
    const old = oldDocs[file.docId];
    return old !== undefined && old.size === file.size && old.mtimeMs === file.mtimeMs;
  };
  const corpus = await loadCorpus(corpusDir, { skip: sameStat });
  const kept: Manifest["documents"] = {};
  for (const file of corpus.skipped) kept[file.docId] = oldDocs[file.docId];
  const toEmbed: NewsDocument[] = [];
  for (const doc of corpus.documents) {
    const old = oldDocs[doc.docId];
    const { size, mtimeMs } = corpus.files[doc.docId];
    if (old && old.contentHash === doc.contentHash) kept[doc.docId] = { ...old, size, mtimeMs };
    else toEmbed.push(doc);
  }
  const stale = Object.entries(oldDocs).filter(([docId]) => !kept[docId]);
  return { ...corpus, toEmbed, kept, stale };
}

/** Brings the index in line with the corpus, holding the index's build lock throughout. */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const progress = options.onProgress ?? (() => undefined);
  return withBuildLock(options.indexDir, { onWait: progress, ...options.lock }, (lock) => buildLocked(options, lock, progress));
}

async function buildLocked(options: BuildOptions, lock: BuildLock, progress: (message: string) => void): Promise<BuildSummary> {
  const started = performance.now();
  // With the lock held no other build is writing: anything unfinished is a dead build's.
  const leftovers = await pruneGenerations(options.indexDir);
  if (leftovers.length > 0) progress(`removed ${leftovers.length} leftover(s) of interrupted builds: ${leftovers.join(", ")}`);
  const chunking = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunking };
  const hnsw = { ...DEFAULT_HNSW_PARAMS, ...options.hnsw };
  const batchSize = options.batchSize ?? 256;
  const { embedder } = options;

  // The serving index's manifest says what is there; its vectors load only if something changed.
  let oldManifest: Manifest | null = null;
  let rebuildReason: string | null = options.force ? "--force" : null;
  if (!options.force) {
    try {
      oldManifest = await readManifest(options.indexDir);
      rebuildReason = oldManifest ? sameSettings(oldManifest, embedder, chunking) : null;
      if (rebuildReason) oldManifest = null;
    } catch (error) {
      rebuildReason =
        error instanceof IndexMismatchError
          ? `index format changed (this version writes format ${INDEX_FORMAT_VERSION})`
          : error instanceof IndexDamagedError
            ? `the index is damaged (${error.problem})`
            : `previous index unreadable (${(error as Error).message})`;
    }
  }
  if (rebuildReason) progress(`rebuilding the whole index: ${rebuildReason}`);
  const oldDocs = oldManifest?.documents ?? {};

  const { documents, problems, files, toEmbed, kept: manifestDocs, stale } = await diffCorpus(options.corpusDir, oldDocs);
  for (const problem of problems) progress(`warning: ${problem.file} ${problem.message}`);
  const embedding = new Set(toEmbed.map((doc) => doc.docId));
  const summary = { added: 0, changed: 0, removed: 0, unchanged: Object.keys(manifestDocs).length };
  summary.removed = stale.filter(([docId]) => !embedding.has(docId)).length;
  summary.changed = toEmbed.filter((doc) => oldDocs[doc.docId]).length;
  summary.added = toEmbed.length - summary.changed;

  let damaged = false;
  if (oldManifest && toEmbed.length === 0 && stale.length === 0) {
    // Nothing to embed, but "unchanged" is only said of an index whose files are whole.
    const dir = await currentGeneration(options.indexDir);
    try {
      if (dir) await verifyGeneration(dir, oldManifest);
    } catch (error) {
      if (!(error instanceof IndexDamagedError)) throw error;
      rebuildReason = `the index is damaged (${error.problem})`;
      progress(`rebuilding the whole index: ${rebuildReason}`);
      damaged = true;
    }
    if (!damaged) {
      // Same content, but some files were touched: remember their new stats so the next run need not read them.
      if (documents.length > 0) await refreshManifest(options.indexDir, { ...oldManifest, documents: manifestDocs });
      return { ...summary, chunks: oldManifest.chunkCount, embeddedChunks: 0, seconds: (performance.now() - started) / 1000, indexDir: options.indexDir, problems, rebuildReason };
    }
  }

  // Something changed: start from the serving index's vectors (or from nothing) and apply the changes.
  let previous: LoadedIndex | null = null;
  if (oldManifest && !damaged) {
    try {
      previous = await openIndex(options.indexDir, embedder, { allowMismatch: true });
    } catch (error) {
      rebuildReason = `previous index unreadable (${(error as Error).message})`;
      progress(`rebuilding the whole index: ${rebuildReason}`);
    }
  }
  if (!previous && oldManifest) {
    // The vectors are gone: everything must be embedded again.
    for (const docId of Object.keys(manifestDocs)) delete manifestDocs[docId];
    const reread = await loadCorpus(options.corpusDir);
    toEmbed.splice(0, toEmbed.length, ...reread.documents);
    Object.assign(files, reread.files);
    Object.assign(summary, { added: toEmbed.length, changed: 0, removed: 0, unchanged: 0 });
  }
  const store = previous?.store ?? HnswIndex.empty({ dimensions: embedder.dimensions, params: hnsw, capacity: 1024 });
  const lexical = previous?.lexical ?? LexicalIndex.empty();
  for (const [, entry] of previous ? stale : []) {
    for (const slot of entry.slots) lexical.remove(slot);
    store.removeSlots(entry.slots);
  }

  const pending: { doc: NewsDocument; chunks: Chunk[] }[] = toEmbed.map((doc) => ({ doc, chunks: chunkDocument(doc, chunking) }));
  const allChunks = pending.flatMap((entry) => entry.chunks);
  const slotsByChunk = new Map<string, number>();
  let lastReport = performance.now();
  for (let i = 0; i < allChunks.length; i += batchSize) {
    const batch = allChunks.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch.map(embeddingText));
    const slots = store.addChunks(batch, vectors);
    batch.forEach((chunk, j) => {
      slotsByChunk.set(chunk.id, slots[j]);
      lexical.add(slots[j], chunk);
    });
    const done = Math.min(i + batchSize, allChunks.length);
    if (performance.now() - lastReport > 1000 || done === allChunks.length) {
      lastReport = performance.now();
      const rate = done / ((performance.now() - started) / 1000);
      progress(`embedded ${done}/${allChunks.length} chunks (${Math.round(rate)} chunks/s)`);
    }
  }
  for (const { doc, chunks } of pending) {
    manifestDocs[doc.docId] = {
      contentHash: doc.contentHash,
      size: files[doc.docId].size,
      mtimeMs: files[doc.docId].mtimeMs,
      title: doc.title,
      publishedOn: doc.publishedOn,
      sourceName: doc.sourceName,
      sourceUrl: doc.sourceUrl,
      slots: chunks.map((chunk) => slotsByChunk.get(chunk.id)!),
    };
  }

  const dir = await newGenerationDir(options.indexDir);
  try {
    await store.save(dir);
    const keywords = lexical.serialize();
    await writeFile(path.join(dir, FILES.lexical), keywords.header);
    await writeFile(path.join(dir, FILES.lexicalData), keywords.data);
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      chunking,
      hnsw: { m: store.params.m, efConstruction: store.params.efConstruction },
      builtAt: new Date().toISOString(),
      slotCount: store.slotCount,
      chunkCount: store.size,
      files: await describeFiles(dir),
      documents: manifestDocs,
    };
    for (const name of Object.keys(manifest.files)) await fsyncPath(path.join(dir, name));
    // The manifest goes last: a generation without one is never published.
    await writeDurably(path.join(dir, FILES.manifest), JSON.stringify(manifest));
    await fsyncPath(dir);
    lock.assertHeld();
    await publishGeneration(options.indexDir, dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw writeFailure(error, options.indexDir);
  } finally {
    // Saving read every chunk of the previous generation; its file is not needed any more.
    previous?.store.close();
  }

  return {
    ...summary,
    chunks: store.size,
    embeddedChunks: allChunks.length,
    seconds: (performance.now() - started) / 1000,
    indexDir: options.indexDir,
    problems,
    rebuildReason,
  };
}

/**
 * Removes what dead builds left in the index directory (unfinished generations, pointer
 * temp files), when no build is running: used at start. Never waits and never throws.
 */
export async function removeBuildLeftovers(indexDir: string, progress: (message: string) => void = () => undefined): Promise<string[]> {
  try {
    return await withBuildLock(indexDir, { waitMs: 0 }, async () => {
      const removed = await pruneGenerations(indexDir);
      if (removed.length > 0) progress(`removed ${removed.length} leftover(s) of interrupted builds from ${indexDir}`);
      return removed;
    });
  } catch {
    return []; // a build is running (it cleans up itself), or the directory is not writable
  }
}

/** Rewrites the serving generation's manifest in place (atomically); only for advisory fields such as file stats. */
async function refreshManifest(indexDir: string, manifest: Manifest): Promise<void> {
  const dir = await currentGeneration(indexDir);
  if (!dir) return;
  try {
    await replaceFileDurably(path.join(dir, FILES.manifest), JSON.stringify(manifest));
  } catch (error) {
    throw writeFailure(error, indexDir, "the index is unchanged");
  }
}

/** Plain words for the I/O errors a build meets; the code stays in the message for searching. */
const IO_ERRORS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EIO: "an input/output error",
  EMFILE: "too many open files",
  ESHORTWRITE: "a file was not written completely (is the disk full?)",
};

/** An error while writing the index, as one line for people; `outcome` says what became of the index. */
function writeFailure(error: unknown, indexDir: string, outcome = "the unfinished generation was removed and the previous index still serves"): unknown {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string") return error;
  const what = IO_ERRORS[code] ?? (error as Error).message;
  return new IndexError(`Cannot write the index in ${indexDir}: ${what} (${code}); ${outcome}.`, { cause: error });
}

/** The text that is embedded for a chunk: its document's title (as search sees it) gives it context. */
export function embeddingText(chunk: Chunk): string {
  const context = searchTitleOf(chunk);
  return chunk.text.startsWith(context.replace(/…$/, "")) ? chunk.text : `${context}. ${chunk.text}`;
}

