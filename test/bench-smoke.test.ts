import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { chunkDocument } from "../src/ingest/chunk-document.ts";
import { loadCorpus } from "../src/ingest/load-corpus.ts";
import { generateQuestions, writeSyntheticCorpus } from "../scripts/bench/synthetic-corpus.ts";

const root = mkdtempSync(path.join(tmpdir(), "bench-smoke-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir` with its text, by relative path. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), readFileSync(file, "utf8"));
  }
  return files;
}

describe("synthetic bench corpus", () => {
  const target = 120;
  const first = writeSyntheticCorpus({ dir: path.join(root, "a"), targetChunks: target, seed: 7 });
  const second = writeSyntheticCorpus({ dir: path.join(root, "b"), targetChunks: target, seed: 7 });

  test("the same seed writes the same files", () => {
    const a = snapshot(first.dir);
    assert.equal(a.size, first.documents);
    assert.deepEqual(snapshot(second.dir), a);
    assert.deepEqual(second.facts, first.facts);
  });

  test("another seed writes other documents", () => {
    const other = writeSyntheticCorpus({ dir: path.join(root, "c"), targetChunks: target, seed: 8 });
    const a = snapshot(first.dir);
    const c = snapshot(other.dir);
    const same = [...c].filter(([file, text]) => a.get(file) === text).length;
    assert.equal(same, 0);
  });

  test("a smaller corpus is a prefix of a larger one", () => {
    const small = writeSyntheticCorpus({ dir: path.join(root, "small"), targetChunks: 30, seed: 7 });
    assert.ok(small.documents < first.documents);
    assert.deepEqual(small.facts, first.facts.slice(0, small.documents));
  });

  test("documents load with their dates and sources, and chunk to about the requested count", async () => {
    const { documents, problems } = await loadCorpus(first.dir);
    assert.deepEqual(problems, []);
    assert.equal(documents.length, first.documents);
    const factOf = new Map(first.facts.map((f) => [f.docId, f]));
    for (const doc of documents) {
      const fact = factOf.get(doc.docId);
      assert.ok(fact, `${doc.docId} is a generated document`);
      assert.equal(doc.publishedOn, fact.publishedOn);
      assert.match(doc.publishedOn!, /^20(1[5-9]|2[0-6])-\d\d-\d\d$/);
      assert.ok(!doc.text.startsWith("date"), "the date token is not part of the text");
      assert.ok(doc.text.includes(fact.guest) && doc.text.includes(fact.city));
    }
    assert.ok(documents.some((doc) => doc.sourceUrl?.startsWith("https://")), "some documents name their source");
    const chunks = documents.reduce((sum, doc) => sum + chunkDocument(doc).length, 0);
    assert.equal(chunks, first.chunks);
    assert.ok(chunks >= target && chunks < target * 1.1, `${chunks} chunks for a target of ${target}`);
    const perDocument = chunks / documents.length;
    assert.ok(perDocument >= 2 && perDocument <= 5, `${perDocument} chunks per document`);
  });

  test("questions are deterministic and about generated documents", () => {
    const questions = generateQuestions(first.facts, { count: 40, seed: 3 });
    assert.deepEqual(generateQuestions(first.facts, { count: 40, seed: 3 }), questions);
    const ids = new Set(first.facts.map((f) => f.docId));
    for (const q of questions) {
      assert.ok(ids.has(q.docId));
      assert.ok(q.question.endsWith("?"));
      assert.equal(q.publishedOn, first.facts.find((f) => f.docId === q.docId)!.publishedOn);
    }
    assert.ok(new Set(questions.map((q) => q.kind)).size >= 3, "several kinds of question");
  });
});
