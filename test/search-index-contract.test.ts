/**
 * Every SearchIndex implementation against the one contract (test/support/search-index-contract.ts):
 * the served HNSW store with its BM25 index, and the exact in-memory index.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { MemorySearchIndex } from "../src/retrieval/memory-index.ts";
import { HnswVectorStore } from "../src/store/hnsw-store.ts";
import { LexicalIndex } from "../src/store/lexical-index.ts";
import { runSearchIndexContract } from "./support/search-index-contract.ts";

/** The store never embeds here: vectors are given. */
const noEmbeddings: EmbeddingsInterface = {
  embedQuery: async () => { throw new Error("not used"); },
  embedDocuments: async () => { throw new Error("not used"); },
};

runSearchIndexContract("HNSW store + BM25 (what npm start serves)", (chunks, vectors) => {
  const store = HnswVectorStore.empty(noEmbeddings, { dimensions: vectors[0].length });
  const lexical = LexicalIndex.empty();
  const slots = store.addChunks(chunks, vectors);
  const byDoc = new Map<string, number[]>();
  slots.forEach((slot, i) => {
    lexical.add(slot, chunks[i]);
    byDoc.set(chunks[i].docId, [...(byDoc.get(chunks[i].docId) ?? []), slot]);
  });
  // As the manifest lists them: each document's slots in chunk order.
  const documents = () => [...byDoc.keys()].map((docId) => ({ docId, publishedOn: store.chunkAt(byDoc.get(docId)![0])!.publishedOn }));
  return { vectors: store, keywords: lexical, passages: { chunkAt: (slot) => store.chunkAt(slot), entries: () => store.entries(), slotsOf: (docId) => byDoc.get(docId) ?? [], documents } };
});

runSearchIndexContract("exact in-memory index", (chunks, vectors) => {
  const index = new MemorySearchIndex();
  chunks.forEach((chunk, i) => index.add(chunk, vectors[i]));
  return index;
});

test("HnswVectorStore implements LangChain's VectorStore delete by chunk id", async () => {
  const store = HnswVectorStore.empty(noEmbeddings, { dimensions: 2 });
  const chunk = (id: string) => ({ id, docId: id.split("#")[0], title: "t", publishedOn: null, sourceName: null, sourceUrl: null, ordinal: 0, text: id, start: 0, end: 1 });
  store.addChunks([chunk("a#1"), chunk("b#1")], [[1, 0], [0, 1]]);
  await store.delete({ ids: ["a#1", "missing#1"] });
  const hits = await store.similaritySearchVectorWithScore([1, 0], 5);
  assert.deepEqual(hits.map(([doc]) => doc.id), ["b#1"]);
});
