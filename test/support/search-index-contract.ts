/**
 * The contract every `SearchIndex` (src/retrieval/search-index.ts) passes, in the style of
 * Hono's `runTest({ newRouter })`: a test file per implementation calls `runSearchIndexContract`
 * with a factory, and a new store (a database, say) is added by passing the same checks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Chunk } from "../../src/domain.ts";
import type { SearchIndex } from "../../src/retrieval/search-index.ts";

/** Builds an index holding exactly these passages and vectors (the same order gives nothing away: slots are the index's). */
export type SearchIndexFactory = (chunks: readonly Chunk[], vectors: readonly number[][]) => Promise<SearchIndex> | SearchIndex;

function chunk(docId: string, ordinal: number, text: string, publishedOn: string): Chunk {
  const start = ordinal * 1000;
  return { id: `${docId}#${ordinal}`, docId, title: `${docId} title`, publishedOn, sourceName: null, sourceUrl: null, ordinal, text, start, end: start + text.length };
}

/** Four passages of three documents, with 4-dimensional vectors pointing in distinct directions. */
const CHUNKS = [
  chunk("railway", 0, "China, Kyrgyzstan and Uzbekistan signed the railway agreement in Beijing.", "2024-06-06"),
  chunk("railway", 1, "The railway will be 523 km long, with tunnels and bridges.", "2024-06-06"),
  chunk("vaccines", 0, "A batch of Sinopharm vaccines arrived at Manas airport in Bishkek.", "2021-03-18"),
  chunk("forum", 0, "The interregional forum opened in Bishkek with Xinjiang officials.", "2024-10-08"),
];
const VECTORS = [
  [1, 0, 0, 0],
  [0.9, 0.1, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0.2],
];

export function runSearchIndexContract(name: string, factory: SearchIndexFactory): void {
  describe(`SearchIndex contract: ${name}`, () => {
    const open = async () => {
      const index = await factory(CHUNKS, VECTORS);
      const slotOf = new Map([...index.passages.entries()].map(([slot, c]) => [c.id, slot]));
      return { index, slotOf, idOf: (slot: number) => index.passages.chunkAt(slot)?.id };
    };

    it("holds every passage once, by slot and by document (in text order)", async () => {
      const { index, slotOf } = await open();
      assert.deepEqual([...slotOf.keys()].sort(), CHUNKS.map((c) => c.id).sort());
      for (const [slot, c] of index.passages.entries()) assert.deepEqual(index.passages.chunkAt(slot), c);
      assert.deepEqual(index.passages.slotsOf("railway"), [slotOf.get("railway#0"), slotOf.get("railway#1")]);
      assert.deepEqual(index.passages.slotsOf("nothing"), []);
      const documents = [...index.passages.documents()].sort((a, b) => a.docId.localeCompare(b.docId));
      const expected = [...new Map(CHUNKS.map((c) => [c.docId, { docId: c.docId, publishedOn: c.publishedOn }])).values()].sort((a, b) => a.docId.localeCompare(b.docId));
      assert.deepEqual(documents, expected, "each document once, with its date");
    });

    it("finds the nearest vectors first, with cosine similarities, and keeps the stored vectors", async () => {
      const { index, slotOf, idOf } = await open();
      const hits = index.vectors.searchVector([1, 0.05, 0, 0], 3);
      assert.deepEqual(hits.map((h) => idOf(h.slot)), ["railway#0", "railway#1", "vaccines#0"]);
      assert.ok(hits[0].similarity > 0.99 && hits[0].similarity <= 1.0001, `similarity ${hits[0].similarity}`);
      assert.ok(hits.every((h, i) => i === 0 || h.similarity <= hits[i - 1].similarity));
      assert.equal(index.vectors.searchVector([1, 0, 0, 0], 10).length, CHUNKS.length, "k beyond the size gives every passage");
      const stored = Array.from(index.vectors.vectorAt(slotOf.get("forum#0")!));
      assert.deepEqual(stored.map((x) => Math.round(x * 100) / 100), [0, 0, 1, 0.2]);
    });

    it("filters vector search by passage", async () => {
      const { index, idOf } = await open();
      const hits = index.vectors.searchVector([1, 0, 0, 0], 2, (c) => c.publishedOn !== "2024-06-06");
      assert.ok(hits.length > 0 && hits.every((h) => !idOf(h.slot)!.startsWith("railway")));
    });

    it("ranks keyword matches by the rarer terms, and counts terms by passage", async () => {
      const { index, idOf } = await open();
      assert.equal(idOf(index.keywords.query("Sinopharm vaccines", 3)[0].slot), "vaccines#0");
      const bishkek = index.keywords.query("Bishkek forum", 4);
      assert.equal(idOf(bishkek[0].slot), "forum#0", "the passage with both terms first");
      assert.ok(bishkek.every((h) => h.score > 0));
      assert.deepEqual(index.keywords.query("parliament elections", 4), []);
      assert.equal(index.keywords.documentFrequency("bishkek"), 2);
      assert.equal(index.keywords.documentFrequency("nowhere"), 0);
      assert.ok(index.keywords.idf("sinopharm") > index.keywords.idf("bishkek"), "rarer is weightier");
      assert.ok(index.keywords.idf("bishkek") > 0);
    });

    it("gives a document's terms (titles included), prefixes and the vocabulary", async () => {
      const { index } = await open();
      const railway = index.keywords.termsOf(index.passages.slotsOf("railway"));
      for (const term of ["railwai", "beij", "523", "tunnel", "titl"]) assert.ok(railway.has(term), `railway has ${term}: ${[...railway].join(" ")}`);
      assert.ok(!railway.has("sinopharm"), "only its own terms");
      assert.ok(index.keywords.termsStartingWith("kyrgyz").includes("kyrgyzstan"), "prefix");
      assert.ok(index.keywords.vocabulary().includes("sinopharm"), "vocabulary");
    });
  });
}
