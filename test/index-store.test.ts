/**
 * The index on disk: the HNSW vector store, the BM25 lexical index, incremental builds
 * by content hash, atomic publication of generations, and refusing a mismatched index.
 * Runs on a tiny temp corpus with the deterministic HashingEmbedder (no model load).
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import type { Chunk } from "../src/domain.ts";
import { IndexError } from "../src/errors.ts";
import { chunkDocument } from "../src/ingest/chunk-document.ts";
import { loadCorpus } from "../src/ingest/load-corpus.ts";
import { buildIndex, type BuildOptions, type BuildSummary } from "../src/store/build-index.ts";
import { HnswVectorStore } from "../src/store/hnsw-store.ts";
import { currentGeneration, DATA_FILES, FILES, INDEX_FORMAT_VERSION, type Manifest } from "../src/store/index-files.ts";
import { LexicalIndex } from "../src/store/lexical-index.ts";
import { IndexMismatchError, openIndex, type LoadedIndex } from "../src/store/open-index.ts";
import { HashingEmbedder, SimulatedEmbedderFailure } from "./fakes/hashing-embedder.ts";
import { generationDirs, readCurrent, tempDir, writeCorpus } from "./support/index-dirs.ts";

function chunkOf(docId: string, text: string, ordinal = 0): Chunk {
  return { id: `${docId}#${ordinal}`, docId, title: `Title of ${docId}`, publishedOn: "2025-01-01", sourceName: null, sourceUrl: null, ordinal, text, start: 0, end: text.length };
}

/** Deterministic pseudo-random unit vectors (no ties between similarities). */
function randomVectors(count: number, dimensions: number, seed = 7): number[][] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dimensions }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

async function openOrFail(indexDir: string, embedder: HashingEmbedder): Promise<LoadedIndex> {
  const index = await openIndex(indexDir, embedder);
  assert.ok(index, "an index is published");
  return index;
}

// --- HnswVectorStore ---------------------------------------------------------------------

describe("HnswVectorStore", () => {
  const embedder = new HashingEmbedder();
  const texts = [
    "Japarov met Xi Jinping in Beijing",
    "Kyrgyzstan and China signed a railway agreement",
    "The SCO summit opened in Astana",
    "Wang Yi visited Bishkek for talks",
    "Trade between the two countries grew",
    "Students received Chinese government scholarships",
  ];
  const chunks = texts.map((text, i) => chunkOf(`doc${i}`, text));

  test("saves and loads: the same ids and cosine similarities, best first, 1 for the identical vector", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions });
    const vectors = await embedder.embedDocuments(texts);
    assert.deepEqual(store.addChunks(chunks, vectors), [0, 1, 2, 3, 4, 5]);
    assert.equal(store.size, 6);

    const dir = await tempDir("roundtrip");
    await store.save(dir);
    const loaded = await HnswVectorStore.load(dir, embedder, { dimensions: embedder.dimensions, slotCount: store.slotCount });
    assert.equal(loaded.size, 6);
    for (let i = 0; i < texts.length; i++) {
      const before = store.searchVector(vectors[i], 6);
      const after = loaded.searchVector(vectors[i], 6);
      assert.equal(before[0].chunk.id, chunks[i].id, "the identical vector comes first");
      assert.ok(Math.abs(before[0].similarity - 1) < 1e-5, `similarity ${before[0].similarity}`);
      assert.deepEqual(after.map((h) => h.chunk), before.map((h) => h.chunk));
      after.forEach((hit, j) => assert.ok(Math.abs(hit.similarity - before[j].similarity) < 1e-6));
      for (let j = 1; j < after.length; j++) assert.ok(after[j - 1].similarity >= after[j].similarity, "best first");
      assert.deepEqual(Array.from(loaded.vectorAt(i)), Array.from(store.vectorAt(i)));
    }
  });

  test("loads from a generation directory through its manifest", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions, params: { m: 8, efConstruction: 50 } });
    store.addChunks(chunks, await embedder.embedDocuments(texts));
    const dir = await tempDir("manifest");
    await store.save(dir);
    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: embedder.id, dimensions: embedder.dimensions },
      chunking: { maxChars: 700, overlapSentences: 1 },
      hnsw: { m: 8, efConstruction: 50 },
      builtAt: new Date().toISOString(),
      slotCount: store.slotCount,
      chunkCount: store.size,
      // The store alone reads no checksums (openIndex checks them), so placeholders do here.
      files: Object.fromEntries(DATA_FILES.map((name) => [name, { size: 0, sha256: "0".repeat(64) }])) as Manifest["files"],
      documents: {},
    };
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest));
    const loaded = await HnswVectorStore.load(dir, embedder);
    assert.equal(loaded.size, 6);
    assert.equal(loaded.params.m, 8);
    assert.equal(loaded.searchVector(embedder.vector(texts[2]), 1)[0].chunk.id, "doc2#0");
  });

  test("a vector file of the wrong size is an IndexError", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions });
    store.addChunks(chunks, await embedder.embedDocuments(texts));
    const dir = await tempDir("inconsistent");
    await store.save(dir);
    await assert.rejects(HnswVectorStore.load(dir, embedder, { dimensions: embedder.dimensions, slotCount: 7 }), IndexError);
  });

  test("is a LangChain VectorStore: Documents with metadata.chunk, similarity scores", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions });
    const ids = await store.addDocuments(chunks.map((chunk) => ({ pageContent: chunk.text, metadata: { chunk } })));
    assert.deepEqual(ids, chunks.map((c) => c.id));
    const results = await store.similaritySearchVectorWithScore(embedder.vector(texts[3]), 2);
    assert.equal(results.length, 2);
    const [[document, score]] = results;
    assert.equal(document.pageContent, texts[3]);
    assert.deepEqual(document.metadata.chunk, chunks[3]);
    assert.equal(document.id, "doc3#0");
    assert.ok(Math.abs(score - 1) < 1e-5 && score > results[1][1]);
    const [best] = await store.similaritySearch("Wang Yi visited Bishkek for talks", 1);
    assert.equal(best.metadata.chunk.id, "doc3#0");
    const filtered = await store.similaritySearchVectorWithScore(embedder.vector(texts[3]), 3, (chunk) => chunk.docId === "doc5");
    assert.deepEqual(filtered.map(([doc]) => doc.metadata.chunk.id), ["doc5#0"]);
    await assert.rejects(store.addDocuments([{ pageContent: "no chunk", metadata: {} }]), TypeError);
  });

  test("removeSlots hides chunks at once; a later addChunks reuses the freed slot, also after save and load", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions });
    const vectors = await embedder.embedDocuments(texts);
    store.addChunks(chunks, vectors);
    store.removeSlots([1, 4]);
    store.removeSlots([1]); // removing twice is harmless
    assert.equal(store.size, 4);
    assert.equal(store.chunkAt(1), null);
    const hits = store.searchVector(vectors[1], 10);
    assert.equal(hits.length, 4);
    assert.ok(hits.every((h) => h.slot !== 1 && h.slot !== 4));
    assert.ok(store.exactSearch(vectors[1], 10).every((h) => h.slot !== 1 && h.slot !== 4));

    const dir = await tempDir("reuse");
    await store.save(dir);
    const loaded = await HnswVectorStore.load(dir, embedder, { dimensions: embedder.dimensions, slotCount: store.slotCount });
    assert.equal(loaded.size, 4);
    assert.ok(loaded.searchVector(vectors[1], 10).every((h) => h.slot !== 1 && h.slot !== 4), "deletions survive save and load");

    const replacement = chunkOf("new", "A brand new chunk about Osh");
    for (const target of [store, loaded]) {
      assert.deepEqual(target.addChunks([replacement], [embedder.vector(replacement.text)]), [1], "lowest freed slot first");
      assert.equal(target.slotCount, 6, "no new slot");
      const [top] = target.searchVector(embedder.vector(replacement.text), 1);
      assert.equal(top.chunk.id, "new#0");
      assert.equal(top.slot, 1);
      assert.ok(target.searchVector(vectors[1], 10).every((h) => h.chunk.id !== "doc1#0"), "the old chunk stays gone");
      assert.deepEqual(target.addChunks([chunkOf("newer", "x")], [embedder.vector("x")]), [4]);
      assert.deepEqual(target.addChunks([chunkOf("newest", "y")], [embedder.vector("y")]), [6]);
    }
  });

  test("grows past its initial capacity", async () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: 8, capacity: 16 });
    const vectors = randomVectors(100, 8, 3);
    store.addChunks(vectors.map((_, i) => chunkOf(`g${i}`, `g${i}`)), vectors);
    assert.equal(store.size, 100);
    assert.equal(store.searchVector(vectors[77], 1)[0].chunk.id, "g77#0");
  });

  test("exactSearch agrees with searchVector on a small set", () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: 16 });
    const vectors = randomVectors(200, 16);
    store.addChunks(vectors.map((_, i) => chunkOf(`r${i}`, `r${i}`)), vectors);
    for (const query of randomVectors(20, 16, 99)) {
      const approximate = store.searchVector(query, 10);
      const exact = store.exactSearch(query, 10);
      assert.equal(exact.length, 10);
      assert.deepEqual(approximate.map((h) => h.slot), exact.map((h) => h.slot));
      approximate.forEach((hit, i) => assert.ok(Math.abs(hit.similarity - exact[i].similarity) < 1e-5));
    }
  });

  test("refuses vectors of the wrong size and mismatched arrays", () => {
    const store = HnswVectorStore.empty(embedder, { dimensions: embedder.dimensions });
    assert.throws(() => store.addChunks([chunks[0]], [[1, 2, 3]]), IndexError);
    assert.throws(() => store.addChunks(chunks.slice(0, 2), [embedder.vector("a")]), RangeError);
    assert.deepEqual(store.searchVector(embedder.vector("a"), 5), [], "an empty store finds nothing");
  });
});

// --- LexicalIndex ------------------------------------------------------------------------

describe("LexicalIndex", () => {
  const lexicalChunks = [
    chunkOf("a", "Japarov visited Beijing and met Xi Jinping."),
    chunkOf("b", "The presidents visited a factory in Xian."),
    chunkOf("c", "A visit to Bishkek by the foreign minister."),
    chunkOf("d", "Officials visited the railway construction site."),
  ];
  const build = () => {
    const index = LexicalIndex.empty();
    lexicalChunks.forEach((chunk, slot) => index.add(slot, chunk));
    return index;
  };

  test("serialize/deserialize round trip gives the same results", () => {
    const index = build();
    const copy = LexicalIndex.deserialize(index.serialize());
    assert.equal(copy.documentCount, 4);
    for (const query of ["Beijing", "visited", "railway site", "Bishkek visit", "nothing matches"]) {
      assert.deepEqual(copy.query(query, 10), index.query(query, 10), query);
    }
    assert.equal(copy.idf("bishkek"), index.idf("bishkek"));
    assert.deepEqual(index.query("Beijing", 10).map((h) => h.slot), [0]);
  });

  test("remove() takes a slot out of the results and the document frequencies", () => {
    const index = LexicalIndex.deserialize(build().serialize());
    assert.equal(index.documentFrequency("bishkek"), 1);
    index.remove(2, lexicalChunks[2]);
    index.remove(2, lexicalChunks[2]); // twice is harmless
    assert.deepEqual(index.query("Bishkek", 10), []);
    assert.equal(index.documentFrequency("bishkek"), 0);
    assert.equal(index.documentCount, 3);
    index.add(2, chunkOf("e", "Osh hosted the forum."));
    assert.deepEqual(index.query("Osh", 10).map((h) => h.slot), [2], "the slot can be reused");
    assert.deepEqual(index.query("Bishkek", 10), []);
  });

  test("after churn (remove, re-add at the same slots) it scores exactly like a fresh index, also through JSON", () => {
    const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];
    const text = (i: number, version: number) => `${words[i % 12]} ${words[(i * 5 + version) % 12]} meeting ${i} version${version}`;
    const churned = LexicalIndex.empty();
    for (let i = 0; i < 60; i++) churned.add(i, chunkOf(`c${i}`, text(i, 0)));
    for (let i = 0; i < 40; i++) churned.remove(i, chunkOf(`c${i}`, text(i, 0)));
    for (let i = 0; i < 40; i++) churned.add(i, chunkOf(`c${i}`, text(i, 1)));
    const reloaded = LexicalIndex.deserialize(churned.serialize());
    const fresh = LexicalIndex.empty();
    for (let i = 0; i < 60; i++) fresh.add(i, chunkOf(`c${i}`, text(i, i < 40 ? 1 : 0)));
    const key = (hits: { slot: number; score: number }[]) => hits.map((h) => `${h.slot}:${h.score.toFixed(6)}`).sort();
    for (const query of ["alpha", "golf meeting", "version0", "version1 kilo"]) {
      assert.deepEqual(key(churned.query(query, 100)), key(fresh.query(query, 100)), query);
      assert.deepEqual(key(reloaded.query(query, 100)), key(fresh.query(query, 100)), query);
    }
    assert.equal(reloaded.idf("alpha"), fresh.idf("alpha"));
  });

  test("a rare term weighs more than a common one", () => {
    const index = build();
    assert.equal(index.documentFrequency("visit"), 4, "visited/visit share a stem");
    assert.ok(index.idf("bishkek") > index.idf("visit"));
    assert.ok(index.idf("unseen") > index.idf("bishkek"));
  });

  test("keyword search also matches the month and year of the date", () => {
    const index = build();
    assert.equal(index.query("January 2025", 10).length, 4);
  });
});

// --- buildIndex: incremental by content hash -------------------------------------------

const CHUNKING = { maxChars: 200, overlapSentences: 1 };

/** Six tiny dated documents with distinct words; `long` needs several chunks. */
const CORPUS: Record<string, string> = {
  "alpha.txt": " date 2025-01-01 Japarov met Xi Jinping in Beijing. They discussed the railway.\n",
  "bravo.txt": " date 2025-01-02 Wang Yi visited Bishkek. He met the foreign minister.\n",
  "charlie.md": "---\ndate: 2025-01-03\n---\nThe SCO summit opened in Astana. Leaders met.\n",
  "delta.txt": " date 2025-01-04 Students received Chinese scholarships. Classes start in September.\n",
  "news/echo.txt": " date 2025-01-05 Trade between Kyrgyzstan and China grew. Exports of apricots rose.\n",
  "long.txt":
    " date 2025-01-06 " +
    Array.from({ length: 8 }, (_, i) => `Sentence number ${i} of the long document talks about the Torugart pass and customs procedure ${i}.`).join(" ") +
    "\n",
};


async function chunkCount(corpusDir: string, docId?: string): Promise<number> {
  const { documents } = await loadCorpus(corpusDir);
  return documents.filter((d) => !docId || d.docId === docId).reduce((sum, doc) => sum + chunkDocument(doc, CHUNKING).length, 0);
}

describe("buildIndex", () => {
  let corpusDir: string;
  let indexDir: string;
  const embedder = new HashingEmbedder();
  const build = async (extra: Partial<BuildOptions> = {}): Promise<{ summary: BuildSummary; embedded: number }> => {
    const before = embedder.embeddedTexts;
    const summary = await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING, ...extra });
    return { summary, embedded: embedder.embeddedTexts - before };
  };
  const docIds = (index: LoadedIndex) => new Set([...index.store.entries()].map(([, chunk]) => chunk.docId));

  before(async () => {
    const dir = await tempDir("build");
    corpusDir = path.join(dir, "corpus");
    indexDir = path.join(dir, "index");
    await writeCorpus(corpusDir, CORPUS);
  });

  test("a first build embeds every chunk and publishes one generation", async () => {
    const total = await chunkCount(corpusDir);
    assert.ok(total >= 8, `the long document needs several chunks (${total})`);
    const { summary, embedded } = await build();
    assert.deepEqual(
      { added: summary.added, changed: summary.changed, removed: summary.removed, unchanged: summary.unchanged },
      { added: 6, changed: 0, removed: 0, unchanged: 0 },
    );
    assert.equal(summary.chunks, total);
    assert.equal(summary.embeddedChunks, total);
    assert.equal(embedded, total);
    assert.equal(summary.rebuildReason, null);
    assert.deepEqual(summary.problems, []);
    assert.equal((await generationDirs(indexDir)).length, 1);

    const index = await openOrFail(indexDir, embedder);
    assert.equal(index.store.size, total);
    assert.equal(index.manifest.chunkCount, total);
    assert.deepEqual(index.manifest.chunking, CHUNKING);
    assert.deepEqual(Object.keys(index.manifest.documents).sort(), ["alpha", "bravo", "charlie", "delta", "long", "news/echo"]);
    assert.equal(index.manifest.documents["news/echo"].publishedOn, "2025-01-05");
    assert.equal(index.lexical.documentCount, total);
    const [hit] = index.lexical.query("apricots", 5);
    assert.equal(index.store.chunkAt(hit.slot)?.docId, "news/echo");
  });

  test("a second run with nothing changed embeds nothing and publishes nothing", async () => {
    const current = await readCurrent(indexDir);
    const generations = await generationDirs(indexDir);
    const { summary, embedded } = await build();
    assert.deepEqual(
      { added: summary.added, changed: summary.changed, removed: summary.removed, unchanged: summary.unchanged, embeddedChunks: summary.embeddedChunks },
      { added: 0, changed: 0, removed: 0, unchanged: 6, embeddedChunks: 0 },
    );
    assert.equal(embedded, 0);
    assert.equal(await readCurrent(indexDir), current);
    assert.deepEqual(await generationDirs(indexDir), generations);
  });

  test("changing one document embeds only its chunks; the others keep their slots", async () => {
    const previous = await openOrFail(indexDir, embedder);
    await writeFile(path.join(corpusDir, "bravo.txt"), " date 2025-01-02 Wang Yi visited Osh instead. He met the governor. Tulips bloomed.\n");
    const { summary, embedded } = await build();
    assert.deepEqual(
      { added: summary.added, changed: summary.changed, removed: summary.removed, unchanged: summary.unchanged },
      { added: 0, changed: 1, removed: 0, unchanged: 5 },
    );
    const bravoChunks = await chunkCount(corpusDir, "bravo");
    assert.equal(summary.embeddedChunks, bravoChunks);
    assert.equal(embedded, bravoChunks);

    const index = await openOrFail(indexDir, embedder);
    assert.notEqual(index.dir, previous.dir);
    for (const docId of ["alpha", "charlie", "delta", "long", "news/echo"]) {
      assert.deepEqual(index.manifest.documents[docId], previous.manifest.documents[docId], docId);
    }
    assert.deepEqual(index.lexical.query("Bishkek", 5), [], "the old text is gone from keyword search");
    const [tulips] = index.lexical.query("tulips", 5);
    assert.equal(index.store.chunkAt(tulips.slot)?.docId, "bravo");
    const [nearest] = index.store.searchVector(embedder.vector("Wang Yi visited Osh instead. He met the governor. Tulips bloomed."), 1);
    assert.equal(nearest.chunk.docId, "bravo");
  });

  test("deleting a document removes it and its chunks from search", async () => {
    const previous = await openOrFail(indexDir, embedder);
    const freed = previous.manifest.documents["news/echo"].slots;
    await unlink(path.join(corpusDir, "news/echo.txt"));
    const { summary, embedded } = await build();
    assert.equal(summary.removed, 1);
    assert.equal(summary.unchanged, 5);
    assert.equal(summary.embeddedChunks, 0);
    assert.equal(embedded, 0);

    const index = await openOrFail(indexDir, embedder);
    assert.equal(index.manifest.documents["news/echo"], undefined);
    assert.ok(!docIds(index).has("news/echo"));
    assert.equal(index.store.size, previous.store.size - freed.length);
    for (const slot of freed) assert.equal(index.store.chunkAt(slot), null);
    const query = embedder.vector("Trade between Kyrgyzstan and China grew. Exports of apricots rose.");
    assert.ok(index.store.searchVector(query, 50).every((h) => h.chunk.docId !== "news/echo"));
    assert.deepEqual(index.lexical.query("apricots", 5), []);
    assert.equal(index.lexical.documentFrequency("apricot"), 0);
  });

  test("adding a document embeds only it, reusing the freed slots", async () => {
    const previous = await openOrFail(indexDir, embedder);
    await writeCorpus(corpusDir, { "foxtrot.txt": " date 2025-02-01 A new hospital opened in Naryn.\n" });
    const { summary, embedded } = await build();
    assert.equal(summary.added, 1);
    assert.equal(summary.unchanged, 5);
    assert.equal(summary.embeddedChunks, 1);
    assert.equal(embedded, 1);
    const index = await openOrFail(indexDir, embedder);
    assert.equal(index.store.slotCount, previous.store.slotCount, "a freed slot was reused");
    const [hit] = index.lexical.query("Naryn hospital", 5);
    assert.equal(index.store.chunkAt(hit.slot)?.docId, "foxtrot");
  });

  test("the incremental index finds what a fresh build finds", async () => {
    const incremental = await openOrFail(indexDir, embedder);
    const freshDir = await tempDir("fresh");
    await buildIndex({ corpusDir, indexDir: freshDir, embedder: new HashingEmbedder(), chunking: CHUNKING });
    const fresh = await openOrFail(freshDir, embedder);
    const ids = (index: LoadedIndex) => [...index.store.entries()].map(([, chunk]) => chunk.id).sort();
    assert.deepEqual(ids(incremental), ids(fresh));
    for (const text of ["Japarov Beijing railway", "Torugart customs", "Naryn hospital", "Osh governor"]) {
      const byId = (index: LoadedIndex, hits: { slot: number }[]) => hits.map((h) => index.store.chunkAt(h.slot)?.id).sort();
      assert.deepEqual(byId(incremental, incremental.lexical.query(text, 50)), byId(fresh, fresh.lexical.query(text, 50)), text);
      const vector = embedder.vector(text);
      assert.deepEqual(
        incremental.store.exactSearch(vector, 3).map((h) => h.similarity.toFixed(5)),
        fresh.store.exactSearch(vector, 3).map((h) => h.similarity.toFixed(5)),
        text,
      );
    }
  });

  test("force: true re-embeds everything", async () => {
    const total = await chunkCount(corpusDir);
    const { summary, embedded } = await build({ force: true });
    assert.equal(summary.rebuildReason, "--force");
    assert.equal(summary.embeddedChunks, total);
    assert.equal(embedded, total);
    assert.equal(summary.chunks, total);
    const index = await openOrFail(indexDir, embedder);
    assert.equal(index.store.slotCount, total, "a fresh store has no freed slots");
  });

  test("another embedder id rebuilds everything", async () => {
    const other = new HashingEmbedder({ id: "test:hashing:other" });
    const summary = await buildIndex({ corpusDir, indexDir, embedder: other, chunking: CHUNKING });
    assert.match(summary.rebuildReason ?? "", /the index was built with test:hashing:64 \(64 dimensions\), not test:hashing:other \(64\)/);
    assert.equal(other.embeddedTexts, await chunkCount(corpusDir));
    assert.ok(await openIndex(indexDir, other));
  });

  test("changed chunking settings rebuild everything", async () => {
    const other = new HashingEmbedder({ id: "test:hashing:other" });
    const summary = await buildIndex({ corpusDir, indexDir, embedder: other, chunking: { maxChars: 300, overlapSentences: 0 } });
    assert.match(summary.rebuildReason ?? "", /chunking/);
    assert.equal(summary.embeddedChunks, summary.chunks);
  });

  test(
    "an embedder with the same id but other dimensions rebuilds everything",
    async () => {
      const dir = await tempDir("dims");
      const idx = path.join(dir, "index");
      await buildIndex({ corpusDir, indexDir: idx, embedder: new HashingEmbedder({ id: "test:same", dimensions: 64 }), chunking: CHUNKING });
      const smaller = new HashingEmbedder({ id: "test:same", dimensions: 32 });
      const summary = await buildIndex({ corpusDir, indexDir: idx, embedder: smaller, chunking: CHUNKING });
      assert.notEqual(summary.rebuildReason, null);
      assert.equal(summary.embeddedChunks, summary.chunks);
      assert.ok(await openIndex(idx, smaller));
    },
  );
});

// --- atomic publication ------------------------------------------------------------------

describe("atomic publication of generations", () => {
  let corpusDir: string;
  let indexDir: string;
  const embedder = new HashingEmbedder();

  before(async () => {
    const dir = await tempDir("atomic");
    corpusDir = path.join(dir, "corpus");
    indexDir = path.join(dir, "index");
    await writeCorpus(corpusDir, CORPUS);
    await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING });
  });

  test("a build that fails mid-way rejects and leaves the previous generation serving", async () => {
    const current = await readCurrent(indexDir);
    const generations = await generationDirs(indexDir);
    await writeCorpus(corpusDir, {
      "alpha.txt": " date 2025-01-01 Japarov met Xi Jinping in Shanghai this time. They discussed the port.\n",
      "golf.txt": " date 2025-03-01 " + Array.from({ length: 6 }, (_, i) => `Golf sentence ${i} about the new Issyk-Kul resort and its ${i} visitors.`).join(" "),
    });
    for (const force of [false, true]) {
      const failing = new HashingEmbedder({ failAfter: 2 });
      await assert.rejects(buildIndex({ corpusDir, indexDir, embedder: failing, chunking: CHUNKING, batchSize: 1, force }), SimulatedEmbedderFailure);
      assert.equal(failing.embeddedTexts, 2, "it failed part-way, after some batches were added");
      assert.equal(await readCurrent(indexDir), current, `CURRENT unchanged (force: ${force})`);
      assert.deepEqual(await generationDirs(indexDir), generations, "no half generation is left behind");
      assert.deepEqual((await readdir(indexDir)).filter((name) => name.endsWith(".tmp")), []);
    }
    const index = await openOrFail(indexDir, embedder);
    assert.equal(path.basename(index.dir), current);
    const [hit] = index.lexical.query("Beijing", 5);
    assert.equal(index.store.chunkAt(hit.slot)?.docId, "alpha", "the old text still answers");
    assert.deepEqual(index.lexical.query("Issyk-Kul resort", 5), []);

    // The next good build picks the changes up.
    const summary = await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING });
    assert.deepEqual([summary.added, summary.changed], [1, 1]);
    assert.notEqual(await readCurrent(indexDir), current);
  });

  test("a reader polling CURRENT during builds always finds a whole generation", async () => {
    let building = true;
    const seen = new Set<string>();
    const missing: string[] = [];
    const reader = (async () => {
      while (building) {
        const dir = await currentGeneration(indexDir);
        if (!dir) missing.push("CURRENT");
        else {
          for (const file of Object.values(FILES)) {
            if (!(await stat(path.join(dir, file)).catch(() => null))) missing.push(`${path.basename(dir)}/${file}`);
          }
          seen.add(path.basename(dir));
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      for (let i = 0; i < 4; i++) {
        await writeCorpus(corpusDir, { "delta.txt": ` date 2025-01-04 Students received scholarships, round ${i}. Classes start soon.\n` });
        await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING });
      }
    } finally {
      building = false;
    }
    await reader;
    assert.deepEqual(missing, [], "the reader never saw CURRENT missing or pointing at a partial generation");
    assert.ok(seen.size >= 2, `the reader saw several generations (${seen.size})`);
  });

  test("after several builds only the current generation and its predecessor are kept", async () => {
    // Left-overs of a build that crashed before publishing, and of an interrupted pointer write.
    await mkdir(path.join(indexDir, "gen-crashed-build"));
    await writeFile(path.join(indexDir, "CURRENT.1234.abcdef.tmp"), "gen-crashed-build\n");
    let previous = await readCurrent(indexDir);
    for (let i = 0; i < 3; i++) {
      await writeCorpus(corpusDir, { "charlie.md": `---\ndate: 2025-01-03\n---\nThe SCO summit opened in Astana, take ${i}. Leaders met.\n` });
      await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING });
      const current = await readCurrent(indexDir);
      assert.notEqual(current, previous);
      assert.deepEqual(await generationDirs(indexDir), [current, previous].sort());
      previous = current;
    }
    const entries = await readdir(indexDir);
    assert.deepEqual(entries.filter((name) => !name.startsWith("gen-")), ["CURRENT"]);
  });

  test("a corrupt CURRENT does not stop the next build, which rebuilds and repairs it", async () => {
    await writeFile(path.join(indexDir, "CURRENT"), "../../etc\n");
    const before = embedder.embeddedTexts;
    const summary = await buildIndex({ corpusDir, indexDir, embedder, chunking: CHUNKING });
    assert.match(summary.rebuildReason ?? "", /unreadable/);
    assert.equal(embedder.embeddedTexts - before, summary.chunks);
    assert.ok(await openIndex(indexDir, embedder));
  });
});

// --- openIndex ---------------------------------------------------------------------------

describe("openIndex", () => {
  let indexDir: string;
  const embedder = new HashingEmbedder();

  before(async () => {
    const dir = await tempDir("open");
    const corpusDir = path.join(dir, "corpus");
    indexDir = path.join(dir, "index");
    await writeCorpus(corpusDir, { "a.txt": CORPUS["alpha.txt"], "b.txt": CORPUS["bravo.txt"] });
    await buildIndex({ corpusDir, indexDir, embedder });
  });

  test("another embedder id is an IndexMismatchError that says to run npm run embed", async () => {
    const error = await openIndex(indexDir, new HashingEmbedder({ id: "openai:text-embedding-3-small" })).then(
      () => assert.fail("expected a rejection"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof IndexMismatchError);
    assert.ok(error instanceof IndexError);
    assert.match(error.message, /npm run embed/);
    assert.match(error.message, /test:hashing:64/);
    assert.match(error.message, /openai:text-embedding-3-small/);
    assert.doesNotMatch(error.userMessage, /npm run embed|\//, "users are not shown paths or commands");
  });

  test("other dimensions under the same id are a mismatch too", async () => {
    await assert.rejects(openIndex(indexDir, new HashingEmbedder({ id: embedder.id, dimensions: 32 })), (error: unknown) => {
      assert.ok(error instanceof IndexMismatchError);
      assert.match(error.message, /npm run embed/);
      assert.match(error.message, /64 dimensions/);
      return true;
    });
  });

  test("allowMismatch opens it anyway", async () => {
    const index = await openIndex(indexDir, new HashingEmbedder({ id: "other" }), { allowMismatch: true });
    assert.equal(index?.manifest.embedder.id, embedder.id);
  });

  test("an older format version is a mismatch", async () => {
    const copy = await tempDir("format");
    const generation = path.join(copy, "gen-old");
    await mkdir(generation);
    const source = (await currentGeneration(indexDir))!;
    for (const file of Object.values(FILES)) await writeFile(path.join(generation, file), await readFile(path.join(source, file)));
    const manifest = JSON.parse(await readFile(path.join(generation, FILES.manifest), "utf8")) as Manifest;
    await writeFile(path.join(generation, FILES.manifest), JSON.stringify({ ...manifest, formatVersion: 0 }));
    await writeFile(path.join(copy, "CURRENT"), "gen-old\n");
    await assert.rejects(openIndex(copy, embedder), (error: unknown) => error instanceof IndexMismatchError && /npm run embed/.test(error.message));
  });

  test("an empty or missing index directory gives null", async () => {
    const empty = await tempDir("empty");
    assert.equal(await openIndex(empty, embedder), null);
    assert.equal(await openIndex(path.join(empty, "missing"), embedder), null);
  });

  test("a corrupt CURRENT, or one naming a missing generation, is an IndexError", async () => {
    const dir = await tempDir("corrupt");
    await writeFile(path.join(dir, "CURRENT"), "not a generation!\n");
    await assert.rejects(openIndex(dir, embedder), IndexError);
    await writeFile(path.join(dir, "CURRENT"), "gen-missing\n");
    await assert.rejects(openIndex(dir, embedder), IndexError);
  });

  test("a generation with a corrupt keyword index is an IndexError", async () => {
    const copy = await tempDir("lexical");
    const generation = path.join(copy, "gen-copy");
    await mkdir(generation);
    const source = (await currentGeneration(indexDir))!;
    for (const file of Object.values(FILES)) await writeFile(path.join(generation, file), await readFile(path.join(source, file)));
    await writeFile(path.join(generation, FILES.lexical), "{not json");
    await writeFile(path.join(copy, "CURRENT"), "gen-copy\n");
    await assert.rejects(openIndex(copy, embedder), IndexError);
  });
});
