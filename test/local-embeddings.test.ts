import assert from "node:assert/strict";
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalEmbeddings, hashedVector, tokens } from "../src/embeddings/local-embeddings.ts";
import { WORD_VECTORS_CACHE_FILE, WordVectors } from "../src/embeddings/word-vectors.ts";

// One cache directory for the whole file: building it parses the package's 307 MB
// JSON (~7 s), which happens once, in `before`.
let cacheDir: string;
let coldProgress: string[];
let words: WordVectors;
let embeddings: LocalEmbeddings;

before(async () => {
  cacheDir = mkdtempSync(path.join(tmpdir(), "local-embeddings-"));
  // A half-written file from some older, non-atomic writer: must be detected and rebuilt.
  const header = Buffer.alloc(64);
  header.write("WINKVEC\0", 0, "latin1");
  header.writeUInt32LE(1, 8);
  writeFileSync(path.join(cacheDir, WORD_VECTORS_CACHE_FILE), Buffer.concat([header, Buffer.alloc(1000, 7)]));
  coldProgress = [];
  words = await WordVectors.load({ cacheDir, onProgress: (message) => coldProgress.push(message) });
  embeddings = await LocalEmbeddings.load({ cacheDir });
});

after(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function similarity(a: string, b: string): number {
  return dot(embeddings.embedSync(a), embeddings.embedSync(b));
}

describe("word-vector cache", () => {
  test("a corrupt cache file is reported and rebuilt, via a temporary file that is renamed", () => {
    assert.ok(coldProgress.some((message) => message.includes("unusable")), coldProgress.join("\n"));
    assert.ok(coldProgress.some((message) => message.includes("Converting") && message.includes("in a child process")), coldProgress.join("\n"));
    assert.ok(!coldProgress.some((message) => message.includes("converting in this process")), coldProgress.join("\n"));
    const files = readdirSync(cacheDir).sort();
    assert.deepEqual(files, [WORD_VECTORS_CACHE_FILE, `${WORD_VECTORS_CACHE_FILE}.verified`], "no temporary file is left behind");
    assert.ok(statSync(path.join(cacheDir, WORD_VECTORS_CACHE_FILE)).size > 30_000_000);
  });

  test("a warm load reads the cache without converting and gives the same vectors", async () => {
    const progress: string[] = [];
    const warm = await WordVectors.load({ cacheDir, onProgress: (message) => progress.push(message) });
    assert.deepEqual(progress, []);
    assert.equal(warm.size, words.size);
    for (const word of ["the", "beijing", "kyrgyzstan", "co-operation", "€"]) {
      assert.deepEqual(warm.vector(word), words.vector(word));
    }
  });

  test("a cache changed after its checksum was checked is checked again: a flipped byte is caught and rebuilt", async () => {
    const copyDir = mkdtempSync(path.join(tmpdir(), "local-embeddings-copy-"));
    try {
      const copy = path.join(copyDir, WORD_VECTORS_CACHE_FILE);
      copyFileSync(path.join(cacheDir, WORD_VECTORS_CACHE_FILE), copy);
      const trusted: string[] = [];
      await WordVectors.load({ cacheDir: copyDir, onProgress: (message) => trusted.push(message) });
      assert.deepEqual(trusted, [], "a copy is checked in full, found whole and marked");
      assert.ok(existsSync(`${copy}.verified`));
      // One byte of the vectors changed in place (same size): the stamp no longer matches, so the CRC runs.
      const handle = openSync(copy, "r+");
      const byte = Buffer.alloc(1);
      readSync(handle, byte, 0, 1, 20_000_000);
      writeSync(handle, Buffer.from([byte[0] ^ 0xff]), 0, 1, 20_000_000);
      closeSync(handle);
      const progress: string[] = [];
      await WordVectors.load({ cacheDir: copyDir, onProgress: (message) => progress.push(message) });
      assert.ok(progress.some((message) => message.includes("unusable (checksum mismatch)")), progress.join("\n"));
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  test("vocabulary: 341,479 lowercase words ranked by frequency", () => {
    assert.equal(words.dimensions, 100);
    assert.equal(words.size, 341_479);
    assert.equal(words.rank("the"), 0);
    assert.equal(words.wordAt(0), "the");
    assert.ok(words.rank("visit") > words.rank("president"));
    for (const word of ["beijing", "kyrgyzstan", "bishkek", "cai", "qi", "xi", "jinping", "co-operation", "€"]) {
      assert.ok(words.has(word), word);
      assert.equal(words.wordAt(words.rank(word)), word);
    }
    for (const word of ["japarov", "sadyr", "zhaparov", "2025", "Beijing", "", "the\n"]) {
      assert.equal(words.has(word), false, word);
      assert.equal(words.rank(word), -1, word);
      assert.equal(words.vector(word), null, word);
    }
    assert.throws(() => words.wordAt(words.size), RangeError);
  });

  test("vectors are unit length; addRankTo accumulates a weighted vector in place", () => {
    const beijing = words.vector("beijing");
    assert.ok(beijing !== null);
    assert.ok(Math.abs(Math.sqrt(dot(beijing, beijing)) - 1) < 0.01);

    const target = new Float32Array(100);
    words.addRankTo(target, words.rank("beijing"), 2);
    for (let i = 0; i < 100; i++) assert.ok(Math.abs(target[i] - 2 * beijing[i]) < 1e-6);
  });

  test("shared() loads once per process", async () => {
    const first = WordVectors.shared({ cacheDir });
    assert.equal(WordVectors.shared({ cacheDir: "/elsewhere" }), first);
    assert.ok((await first) instanceof WordVectors);
  });
});

describe("tokens", () => {
  const isKnown = (word: string) => words.has(word);

  test("lowercases, strips diacritics, possessives and one-letter tokens", () => {
    assert.deepEqual([...tokens("Café in Zürich, the President’s U.S. visit", isKnown)], [
      "cafe",
      "in",
      "zurich",
      "the",
      "president",
      "visit",
    ]);
  });

  test("keeps a known hyphenated word whole and splits an unknown one", () => {
    assert.deepEqual([...tokens("co-operation on the Kyrgyzstan-China railway", isKnown)], [
      "co-operation",
      "on",
      "the",
      "kyrgyzstan",
      "china",
      "railway",
    ]);
  });

  test("handles straight and curly quotes and apostrophes", () => {
    assert.deepEqual([...tokens("“Don't” ‘O’Brien’ d’Ivoire; we’ll see", isKnown)], [
      "do",
      "obrien",
      "ivoire",
      "we",
      "see",
    ]);
  });
});

describe("LocalEmbeddings", () => {
  const texts = [
    "As part of his working visit to China, President of Kyrgyzstan Sadyr Japarov met with Cai Qi.",
    "The head of state travelled to China’s capital.",
    "Japarov",
  ];

  test("names its algorithm and dimensions", () => {
    assert.equal(embeddings.id, "local:wink-sg-100d:v1");
    assert.equal(embeddings.dimensions, 100);
  });

  test("is deterministic, across calls and instances", async () => {
    const other = new LocalEmbeddings(words);
    for (const text of texts) {
      assert.deepEqual(embeddings.embedSync(text), embeddings.embedSync(text));
      assert.deepEqual(other.embedSync(text), embeddings.embedSync(text));
    }
  });

  test("gives unit-length vectors of 100 numbers through the LangChain interface", async () => {
    const documents = await embeddings.embedDocuments(texts);
    assert.equal(documents.length, texts.length);
    for (const [i, vector] of documents.entries()) {
      assert.equal(vector.length, 100);
      assert.ok(Math.abs(Math.sqrt(dot(vector, vector)) - 1) < 1e-5);
      assert.deepEqual(vector, Array.from(embeddings.embedSync(texts[i])));
    }
    assert.deepEqual(await embeddings.embedQuery(texts[0]), documents[0]);
  });

  test("puts paraphrases closer than unrelated sentences", () => {
    const query = "the president visited Beijing";
    const paraphrase = similarity(query, "the head of state travelled to China's capital");
    assert.ok(paraphrase > similarity(query, "the football team won the cup"));
    assert.ok(paraphrase > similarity(query, "heavy rain flooded the farmland"));
    const trade = "trade between Kyrgyzstan and China";
    assert.ok(
      similarity(trade, "China is the largest trade, economic and investment partner of the Kyrgyz Republic") >
        similarity(trade, "The orchestra performed a symphony by Beethoven"),
    );
  });

  test("gives words outside the vocabulary a vector, so a name matches itself", () => {
    const query = "Japarov";
    assert.ok(similarity(query, "Sadyr Japarov visited China") > similarity(query, "Tokayev visited China"));
    assert.notDeepEqual(embeddings.embedSync("Japarov"), embeddings.embedSync("Sadyr"));
    // A transliteration variant shares character trigrams.
    const japarov = hashedVector("japarov", 100);
    assert.ok(dot(japarov, hashedVector("zhaparov", 100)) > dot(japarov, hashedVector("sadyr", 100)) + 0.2);
    assert.ok(Math.abs(dot(japarov, japarov) - 1) < 1e-5);
  });

  test("treats diacritics and typographic quotes like their plain forms", () => {
    assert.deepEqual(embeddings.embedSync("Café"), embeddings.embedSync("cafe"));
    assert.deepEqual(embeddings.embedSync("China’s capital"), embeddings.embedSync("China's capital"));
  });

  test("gives text without content words one fixed unit vector, never zeros or NaN", () => {
    const empty = embeddings.embedSync("");
    assert.ok(Math.abs(Math.sqrt(dot(empty, empty)) - 1) < 1e-5);
    for (const text of ["   ", "!!! ...", "the of and it", "a b c"]) {
      assert.deepEqual(embeddings.embedSync(text), empty, JSON.stringify(text));
    }
    for (const text of texts) assert.ok(Math.abs(dot(empty, embeddings.embedSync(text))) < 0.5);
  });
});
