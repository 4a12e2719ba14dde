/**
 * `npm run embed`: brings the index in line with the corpus, incrementally by content
 * hash. Unchanged documents keep their vectors; changed and new ones are chunked and
 * embedded; removed ones disappear. The result is written as a new generation and
 * published atomically, so the previous index keeps serving until the new one is whole.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Chunk, NewsDocument } from "../domain.ts";
import type { Embedder } from "../embeddings/embedder.ts";
import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from "../ingest/chunk-document.ts";
import { loadCorpus, type CorpusProblem } from "../ingest/load-corpus.ts";
import { HnswVectorStore, type HnswParams, DEFAULT_HNSW_PARAMS } from "./hnsw-store.ts";
import { FILES, INDEX_FORMAT_VERSION, type Manifest, newGenerationDir, publishGeneration, writeJson } from "./index-files.ts";
import { openIndex, type LoadedIndex } from "./open-index.ts";
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
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return `index format ${manifest.formatVersion} → ${INDEX_FORMAT_VERSION}`;
  if (manifest.embedder.id !== embedder.id || manifest.embedder.dimensions !== embedder.dimensions) {
    return `embedder ${manifest.embedder.id} (${manifest.embedder.dimensions}) → ${embedder.id} (${embedder.dimensions})`;
  }
  if (manifest.chunking.maxChars !== chunking.maxChars || manifest.chunking.overlapSentences !== chunking.overlapSentences) return "chunking settings changed";
  return null;
}

export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const chunking = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunking };
  const hnsw = { ...DEFAULT_HNSW_PARAMS, ...options.hnsw };
  const batchSize = options.batchSize ?? 256;
  const { embedder } = options;

  const { documents, problems } = await loadCorpus(options.corpusDir);
  for (const problem of problems) progress(`warning: ${problem.file} ${problem.message}`);

  // Start from the serving index when it is compatible; otherwise rebuild everything.
  let previous: LoadedIndex | null = null;
  let rebuildReason: string | null = options.force ? "--force" : null;
  if (!options.force) {
    try {
      previous = await openIndex(options.indexDir, embedder, { allowMismatch: true });
      rebuildReason = previous ? sameSettings(previous.manifest, embedder, chunking) : null;
      if (rebuildReason) previous = null;
    } catch (error) {
      rebuildReason = `previous index unreadable (${(error as Error).message})`;
      previous = null;
    }
  }
  if (rebuildReason) progress(`rebuilding the whole index: ${rebuildReason}`);

  const store = previous?.store ?? HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions, params: hnsw, capacity: 1024 });
  const lexical = previous?.lexical ?? LexicalIndex.empty();
  const oldDocs = previous?.manifest.documents ?? {};
  const current = new Map(documents.map((doc) => [doc.docId, doc]));

  const summary = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  const manifestDocs: Manifest["documents"] = {};
  const toEmbed: NewsDocument[] = [];
  for (const [docId, entry] of Object.entries(oldDocs)) {
    const doc = current.get(docId);
    if (doc && doc.contentHash === entry.contentHash) {
      summary.unchanged++;
      manifestDocs[docId] = entry;
      continue;
    }
    for (const slot of entry.slots) {
      const chunk = store.chunkAt(slot);
      if (chunk) lexical.remove(slot, chunk);
    }
    store.removeSlots(entry.slots);
    if (!doc) summary.removed++;
  }
  for (const doc of documents) {
    if (manifestDocs[doc.docId]) continue;
    if (oldDocs[doc.docId]) summary.changed++;
    else summary.added++;
    toEmbed.push(doc);
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
      title: doc.title,
      publishedOn: doc.publishedOn,
      sourceName: doc.sourceName,
      sourceUrl: doc.sourceUrl,
      slots: chunks.map((chunk) => slotsByChunk.get(chunk.id)!),
    };
  }

  const nothingChanged = previous && summary.added + summary.changed + summary.removed === 0;
  if (!nothingChanged) {
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      chunking,
      hnsw: { m: store.params.m, efConstruction: store.params.efConstruction },
      builtAt: new Date().toISOString(),
      slotCount: store.slotCount,
      chunkCount: store.size,
      documents: manifestDocs,
    };
    const dir = await newGenerationDir(options.indexDir);
    await store.save(dir);
    await writeFile(path.join(dir, FILES.lexical), lexical.toJSON());
    // The manifest goes last: a generation without one is never published.
    await writeJson(path.join(dir, FILES.manifest), manifest);
    await publishGeneration(options.indexDir, dir);
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

/** The text that is embedded for a chunk: its title and date give it context. */
export function embeddingText(chunk: Chunk): string {
  const title = chunk.title.replace(/…$/, "");
  return chunk.text.startsWith(title) ? chunk.text : `${chunk.title}. ${chunk.text}`;
}

