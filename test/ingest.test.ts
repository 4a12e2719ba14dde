/**
 * Ingest: loading the corpus (dates, sources, problems), parsing one document, sentence
 * splitting, and the properties every chunking must keep.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Chunk, NewsDocument } from "../src/domain.ts";
import { parseChunkId } from "../src/chunk-id.ts";
import { chunkDocument } from "../src/ingest/chunk-document.ts";
import { loadCorpus, type LoadedCorpus } from "../src/ingest/load-corpus.ts";
import { isValidIsoDate, parseDocument, titleFromText } from "../src/ingest/parse-document.ts";
import { splitSentences } from "../src/text/sentences.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const SAMPLE_CORPUS = path.join(REPO_ROOT, "corpus");
const XINHUA_URL = "https://english.news.cn/asiapacific/20250204/59487fe0709c454ab12d761658ad0008/c.html";

function parse(raw: string, docId = "doc"): NewsDocument {
  return parseDocument({ docId, raw, contentHash: "hash" });
}

function sentenceTexts(text: string): string[] {
  return splitSentences(text).map((sentence) => sentence.text);
}

describe("the two sample documents", () => {
  let samples: LoadedCorpus;
  const byId = (docId: string) => {
    const doc = samples.documents.find((d) => d.docId === docId);
    assert.ok(doc, `${docId} is loaded`);
    return doc;
  };

  before(async () => {
    samples = await loadCorpus(SAMPLE_CORPUS);
  });

  test("both load, with no problems", () => {
    assert.deepEqual(samples.documents.map((d) => d.docId), ["000_e8cdec5b749d1b60", "002_d70f1374778bec64"]);
    assert.deepEqual(samples.problems, []);
  });

  test("000: dated by its leading token, no source, body kept byte for byte", async () => {
    const raw = await readFile(path.join(SAMPLE_CORPUS, "000_e8cdec5b749d1b60.txt"));
    const doc = byId("000_e8cdec5b749d1b60");
    assert.equal(doc.publishedOn, "2025-09-03");
    assert.equal(doc.sourceName, null);
    assert.equal(doc.sourceUrl, null);
    assert.ok(doc.text.startsWith("As part of his working visit"), doc.text.slice(0, 40));
    assert.equal(doc.text, raw.toString("utf8").replace(/^ date 2025-09-03 /, "").trim());
    assert.equal(doc.contentHash, createHash("sha256").update(raw).digest("hex"));
    assert.equal(doc.title, "President of Kyrgyzstan Sadyr Japarov met with Cai Qi", "the headline: the scene-setting clause dropped, cut at a clause");
  });

  test("002: Xinhua source and link from the closing line, which leaves the text", async () => {
    const raw = (await readFile(path.join(SAMPLE_CORPUS, "002_d70f1374778bec64.txt"), "utf8")).replace(/^ date 2025-02-04 /, "");
    const doc = byId("002_d70f1374778bec64");
    assert.equal(doc.publishedOn, "2025-02-04");
    assert.equal(doc.sourceName, "Xinhua");
    assert.equal(doc.sourceUrl, XINHUA_URL);
    assert.ok(!doc.text.includes("///"));
    assert.ok(!doc.text.includes("originally published"));
    assert.ok(doc.text.endsWith("friends,” he said."), doc.text.slice(-40));
    assert.equal(doc.text, raw.slice(0, raw.indexOf("///")).trim());
  });
});

describe("loadCorpus on a corpus with every kind of file", () => {
  let dir: string;
  let corpus: LoadedCorpus;
  const doc = (docId: string) => corpus.documents.find((d) => d.docId === docId);
  const problemsOf = (file: string) => corpus.problems.filter((p) => p.file === file).map((p) => p.kind);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ingest-test-"));
    const files: Record<string, string | Buffer> = {
      "front.md": "---\ntitle: Japarov meets Xi\ndate: 2024-05-06\nsource: https://example.com/japarov-xi\n---\nThe two presidents met in Beijing.\n",
      "2024-10-08_x.txt": "A document dated only by its file name.\n",
      "2020-01-01_precedence.md": "---\ndate: 2021-02-03\n---\nFront matter beats the file name.\n",
      "token-first.txt": " date 2023-03-04 ---\ndate: 2021-02-03\n---\nThe leading token beats front matter.\n",
      "sub/dir/name.txt": " date 2025-01-15 A nested document.\n",
      "notes.md": "# Notes\n\n date 2022-07-07 is not at the very start, so it is not a date.\n",
      "undated.txt": "No date anywhere in this one.\n",
      "empty.txt": "",
      "blank.txt": "  \n\n \n",
      "token-only.txt": " date 2025-01-01 \n",
      "binary.txt": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01]),
      "bad-date.txt": " date 2025-13-45 The month and day do not exist.\n",
      "2024-02-30_impossible.txt": "The file name's date does not exist either.\n",
      "crlf.txt": " date 2024-12-01 First line.\r\nSecond line.\r\n\r\n\r\n\r\nAfter a paragraph break.   \r\n///originally published by Kabar, 1 December 2024 (https://kabar.kg/news/1)\r\n",
      "inline-source.txt": " date 2024-11-11 Body sentence one. Body sentence two. ///originally published by AKIpress, 11 November 2024 (https://akipress.com/n/2)",
      "source-no-link.txt": " date 2024-11-12 Body.\n\n///originally published by Kabar\n",
      "dup.txt": " date 2024-01-01 One of two files with the id dup.\n",
      "dup.md": " date 2024-01-02 The other file with the id dup.\n",
      "ignored.json": '{"date": "2024-01-01"}',
      ".hidden.txt": " date 2024-01-01 Hidden files are skipped.\n",
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    await symlink(path.join(dir, "does-not-exist"), path.join(dir, "dangling.txt"));
    corpus = await loadCorpus(dir);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("loads exactly the readable, non-empty text files, sorted by id", () => {
    assert.deepEqual(corpus.documents.map((d) => d.docId), [
      "2020-01-01_precedence",
      "2024-02-30_impossible",
      "2024-10-08_x",
      "bad-date",
      "crlf",
      "dup",
      "front",
      "inline-source",
      "notes",
      "source-no-link",
      "sub/dir/name",
      "token-first",
      "undated",
    ]);
  });

  test("YAML front matter gives title, date and source link, and leaves the text", () => {
    const front = doc("front");
    assert.equal(front?.title, "Japarov meets Xi");
    assert.equal(front?.publishedOn, "2024-05-06");
    assert.equal(front?.sourceUrl, "https://example.com/japarov-xi");
    assert.equal(front?.text, "The two presidents met in Beijing.");
  });

  test("the date comes from the token, else front matter, else the file name", () => {
    assert.equal(doc("2024-10-08_x")?.publishedOn, "2024-10-08");
    assert.equal(doc("2020-01-01_precedence")?.publishedOn, "2021-02-03");
    assert.equal(doc("token-first")?.publishedOn, "2023-03-04");
    assert.equal(doc("token-first")?.text, "The leading token beats front matter.");
  });

  test("a nested file's id is its /-separated path without extension, and .md files load", () => {
    const nested = doc("sub/dir/name");
    assert.equal(nested?.publishedOn, "2025-01-15");
    assert.equal(nested?.text, "A nested document.");
    assert.ok(doc("front"), "front.md is loaded");
  });

  test("an undated file loads with publishedOn null and an 'undated' problem", () => {
    assert.equal(doc("undated")?.publishedOn, null);
    assert.equal(doc("notes")?.publishedOn, null, "a date token after the start is not the date");
    assert.deepEqual(problemsOf("undated.txt"), ["undated"]);
    assert.deepEqual(problemsOf("notes.md"), ["undated"]);
  });

  test("an invalid date token or file-name date is not accepted", () => {
    assert.equal(doc("bad-date")?.publishedOn, null);
    assert.deepEqual(problemsOf("bad-date.txt"), ["undated"]);
    assert.equal(doc("2024-02-30_impossible")?.publishedOn, null);
    assert.deepEqual(problemsOf("2024-02-30_impossible.txt"), ["undated"]);
  });

  test("empty and blank files are reported as 'empty' and not loaded", () => {
    for (const file of ["empty.txt", "blank.txt", "token-only.txt"]) assert.deepEqual(problemsOf(file), ["empty"], file);
  });

  test("a file with NUL bytes is reported as 'binary'", () => {
    assert.deepEqual(problemsOf("binary.txt"), ["binary"]);
  });

  test("a dangling symlink is reported as 'unreadable' by name while the rest load", () => {
    const [problem] = corpus.problems.filter((p) => p.file === "dangling.txt");
    assert.equal(problem?.kind, "unreadable");
    assert.match(problem.message, /ENOENT/);
    assert.ok(corpus.documents.length > 10);
  });

  test("two files with the same id: the second is reported as 'duplicate-id'", () => {
    assert.deepEqual(problemsOf("dup.txt"), ["duplicate-id"]);
    assert.equal(doc("dup")?.publishedOn, "2024-01-02", "dup.md sorts first and wins");
  });

  test("a file of another type is reported as 'unsupported' by name; hidden files are left alone", () => {
    assert.ok(!doc("ignored"));
    const [problem] = corpus.problems.filter((p) => p.file === "ignored.json");
    assert.equal(problem?.kind, "unsupported");
    assert.match(problem.message, /unsupported type \(\.json/);
    const seen = new Set([...corpus.documents.map((d) => d.docId), ...corpus.problems.map((p) => p.file)]);
    assert.ok(![...seen].some((name) => name.includes("hidden")));
  });

  test("CRLF line endings become \\n, runs of blank lines collapse, trailing spaces go", () => {
    const crlf = doc("crlf");
    assert.equal(crlf?.publishedOn, "2024-12-01");
    assert.equal(crlf?.text, "First line.\nSecond line.\n\nAfter a paragraph break.");
    assert.equal(crlf?.sourceName, "Kabar");
    assert.equal(crlf?.sourceUrl, "https://kabar.kg/news/1");
  });

  test("a source line at the end of the last paragraph or on its own line", () => {
    const inline = doc("inline-source");
    assert.equal(inline?.text, "Body sentence one. Body sentence two.");
    assert.equal(inline?.sourceName, "AKIpress");
    assert.equal(inline?.sourceUrl, "https://akipress.com/n/2");
    const noLink = doc("source-no-link");
    assert.equal(noLink?.text, "Body.");
    assert.equal(noLink?.sourceName, "Kabar");
    assert.equal(noLink?.sourceUrl, null);
  });

  test("contentHash is the sha256 of the raw bytes", async () => {
    const raw = await readFile(path.join(dir, "crlf.txt"));
    assert.equal(doc("crlf")?.contentHash, createHash("sha256").update(raw).digest("hex"));
  });

  test("a missing corpus directory is a clear error that names CORPUS_DIR", async () => {
    await assert.rejects(loadCorpus(path.join(dir, "nope")), /CORPUS_DIR/);
  });
});

describe("parseDocument details", () => {
  test("isValidIsoDate accepts only real calendar days", () => {
    assert.equal(isValidIsoDate("2024-02-29"), true);
    assert.equal(isValidIsoDate("2023-02-29"), false);
    assert.equal(isValidIsoDate("2025-13-45"), false);
    assert.equal(isValidIsoDate("2025-1-01"), false);
    assert.equal(isValidIsoDate("2025-01-01T00:00"), false);
  });

  test("a date token is only accepted as a whole token", () => {
    assert.equal(parse(" date 2025-09-031 text.").publishedOn, null);
    assert.equal(parse("date 2025-09-03 text.").publishedOn, "2025-09-03");
    assert.equal(parse("\uFEFF date 2025-09-03 After a BOM.").publishedOn, "2025-09-03");
  });

  test("front matter 'publisher' names the source; non-YAML dashes are kept as text", () => {
    const doc = parse("---\ndate: 2024-01-02\npublisher: Kabar\nurl: https://kabar.kg/x\n---\nText.");
    assert.equal(doc.sourceName, "Kabar");
    assert.equal(doc.sourceUrl, "https://kabar.kg/x");
    assert.equal(parse("---\nJust a rule\n---\nText.").publishedOn, null);
  });

  test("titleFromText: a short first sentence whole, a long one cut at a clause, a heading as it is, 'Untitled' when empty", () => {
    assert.equal(titleFromText("Japarov met Xi in Beijing. They signed agreements."), "Japarov met Xi in Beijing");
    assert.equal(
      titleFromText("As part of his working visit to China, President of Kyrgyzstan Sadyr Japarov met with Cai Qi, a member of the Standing Committee of the Political Bureau. They talked."),
      "President of Kyrgyzstan Sadyr Japarov met with Cai Qi",
    );
    assert.equal(
      titleFromText("China, Kyrgyzstan and Uzbekistan signed an intergovernmental agreement on the construction of the railway in Beijing on Thursday during the visit of the two presidents."),
      "China, Kyrgyzstan and Uzbekistan signed an intergovernmental agreement on the construction of the railway in Beijing on Thursday",
    );
    assert.equal(titleFromText("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty."), "one two three four five six seven eight nine ten eleven twelve thirteen fourteen…");
    assert.equal(titleFromText("# Business **forum** in Urumqi\n\nThe forum opened."), "Business forum in Urumqi");
    assert.equal(titleFromText(""), "Untitled");
  });

  test(
    "titleFromText does not stop at an abbreviation such as 'Dec.' or 'Mr.'",
    () => {
      assert.equal(titleFromText("On Dec. 27, 2024, Japarov met Xi in Beijing. They talked."), "On Dec. 27, 2024, Japarov met Xi in Beijing");
      assert.equal(titleFromText("Mr. Wang visited Bishkek. He met officials."), "Mr. Wang visited Bishkek");
    },
  );
});

describe("splitSentences", () => {
  test("does not split after month abbreviations, titles, U.S. or initials", () => {
    assert.deepEqual(sentenceTexts("On Dec. 27, 2024, the sides met. Then they left."), ["On Dec. 27, 2024, the sides met.", "Then they left."]);
    assert.deepEqual(sentenceTexts("Mr. Wang arrived. Mrs. Li and Dr. Chen followed."), ["Mr. Wang arrived.", "Mrs. Li and Dr. Chen followed."]);
    assert.deepEqual(sentenceTexts("U.S. officials were not present. Nobody asked."), ["U.S. officials were not present.", "Nobody asked."]);
    assert.deepEqual(sentenceTexts("He met U.S. officials. Talks followed."), ["He met U.S. officials.", "Talks followed."]);
    assert.deepEqual(sentenceTexts("J. K. Smith wrote it. It sold well."), ["J. K. Smith wrote it.", "It sold well."]);
  });

  test("does not split inside decimal numbers", () => {
    assert.deepEqual(sentenceTexts("Trade grew 3.5 percent to 1.25 billion. Exports rose."), ["Trade grew 3.5 percent to 1.25 billion.", "Exports rose."]);
  });

  test("keeps closing quotes with their sentence", () => {
    assert.deepEqual(sentenceTexts("“We are friends,” he said.” Next came the talks."), ["“We are friends,” he said.”", "Next came the talks."]);
    assert.deepEqual(sentenceTexts("He asked, “Why not?” Nobody answered."), ["He asked, “Why not?”", "Nobody answered."]);
    assert.deepEqual(sentenceTexts("She said: \"It works.\" It did."), ["She said: \"It works.\"", "It did."]);
  });

  test("a paragraph break ends a sentence; a single line break does not", () => {
    assert.deepEqual(sentenceTexts("A heading without a stop\n\nThe body. More body."), ["A heading without a stop", "The body.", "More body."]);
    assert.deepEqual(sentenceTexts("A sentence that wraps\nonto a second line. Next."), ["A sentence that wraps\nonto a second line.", "Next."]);
  });

  test("! and ? end sentences; spans are trimmed and their offsets exact", () => {
    const text = "  Really? Yes!   It is true.\n\n  Last one  ";
    const spans = splitSentences(text);
    assert.deepEqual(spans.map((s) => s.text), ["Really?", "Yes!", "It is true.", "Last one"]);
    for (const span of spans) assert.equal(text.slice(span.start, span.end), span.text);
    assert.deepEqual(splitSentences(""), []);
    assert.deepEqual(splitSentences("   \n\n  "), []);
  });
});

// --- chunking --------------------------------------------------------------------------

/** ~4,000 characters of news-like prose: short and long sentences, paragraphs, abbreviations, one 1,300-char sentence. */
function syntheticDocument(): NewsDocument {
  const paragraphs: string[] = [];
  for (let p = 0; p < 6; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 5; s++) {
      const words = Array.from({ length: 4 + ((p * 7 + s * 5) % 23) }, (_, w) => `word${p}${s}${w}`);
      sentences.push(`On Dec. ${s + 1}, 2024, Mr. Wang of the U.S. side said growth was ${p}.${s} percent and ${words.join(" ")}.`);
    }
    if (p === 3) sentences.push(Array.from({ length: 160 }, (_, w) => `long${w}`).join(" ") + " without a single stop until here.");
    sentences.push(`“We agree,” he said.”`);
    paragraphs.push(sentences.join(" "));
  }
  paragraphs.push("A closing paragraph without a final stop");
  const text = paragraphs.join("\n\n");
  return { docId: "synthetic/long", title: "Synthetic", publishedOn: "2024-12-31", sourceName: "Test", sourceUrl: "https://example.com/s", text, contentHash: "x" };
}

function assertChunkProperties(doc: NewsDocument, chunks: Chunk[], maxChars: number, overlapSentences: number): void {
  const label = `${doc.docId} maxChars=${maxChars} overlap=${overlapSentences}`;
  const text = doc.text;
  const sentences = splitSentences(text);
  const starts = new Set(sentences.map((s) => s.start));
  const ends = new Set(sentences.map((s) => s.end));
  const longSentenceAround = (offset: number) => sentences.find((s) => s.text.length > maxChars && s.start < offset && offset < s.end);

  assert.ok(chunks.length > 0, label);
  chunks.forEach((chunk, i) => {
    const where = `${label} chunk ${i}`;
    assert.equal(text.slice(chunk.start, chunk.end), chunk.text, where);
    assert.ok(chunk.text.length <= maxChars, `${where}: ${chunk.text.length} > ${maxChars}`);
    assert.ok(chunk.text.length > 0 && chunk.text === chunk.text.trim(), where);
    assert.equal(chunk.ordinal, i, where);
    assert.equal(parseChunkId(chunk.id)?.docId, doc.docId, `${where}: ${chunk.id}`);
    assert.equal(chunk.docId, doc.docId, where);
    assert.equal(chunk.title, doc.title, where);
    assert.equal(chunk.publishedOn, doc.publishedOn, where);
    assert.equal(chunk.sourceName, doc.sourceName, where);
    assert.equal(chunk.sourceUrl, doc.sourceUrl, where);
    // Boundaries are sentence boundaries, except inside a sentence too long for one chunk, cut at a space.
    if (!starts.has(chunk.start)) {
      assert.ok(longSentenceAround(chunk.start), `${where} starts inside a sentence: ${JSON.stringify(chunk.text.slice(0, 30))}`);
      assert.equal(text[chunk.start - 1], " ", `${where} long sentence cut at a space`);
    }
    if (!ends.has(chunk.end)) {
      assert.ok(longSentenceAround(chunk.end), `${where} ends inside a sentence: ${JSON.stringify(chunk.text.slice(-30))}`);
      assert.equal(text[chunk.end], " ", `${where} long sentence cut at a space`);
    }
    if (i > 0) {
      const previous = chunks[i - 1];
      assert.ok(chunk.start >= previous.start && chunk.end > previous.end, `${where} is not contained in the previous chunk`);
      if (overlapSentences === 0) assert.ok(chunk.start >= previous.end, `${where} does not overlap without overlapSentences`);
      const shared = sentences.filter((s) => s.start >= chunk.start && s.end <= previous.end).length;
      assert.ok(shared <= overlapSentences, `${where} shares ${shared} sentences with the previous chunk`);
    }
  });
  // Every sentence lies inside a chunk; a sentence cut into pieces is covered by the union.
  for (const sentence of sentences) {
    if (sentence.text.length <= maxChars) {
      assert.ok(chunks.some((c) => c.start <= sentence.start && sentence.end <= c.end), `${label}: sentence at ${sentence.start} lies in a chunk`);
    } else {
      for (let offset = sentence.start; offset < sentence.end; offset++) {
        if (text[offset] === " ") continue;
        assert.ok(chunks.some((c) => c.start <= offset && offset < c.end), `${label}: offset ${offset} of a long sentence is covered`);
      }
    }
  }
}

describe("chunkDocument", () => {
  let documents: NewsDocument[];

  before(async () => {
    const samples = await loadCorpus(SAMPLE_CORPUS);
    documents = [...samples.documents, syntheticDocument()];
  });

  for (const maxChars of [200, 400, 700]) {
    for (const overlapSentences of [0, 1, 2]) {
      test(`keeps its properties with maxChars ${maxChars}, overlapSentences ${overlapSentences}`, () => {
        for (const doc of documents) assertChunkProperties(doc, chunkDocument(doc, { maxChars, overlapSentences }), maxChars, overlapSentences);
      });
    }
  }

  test("the synthetic document really exercises long sentences and overlap", () => {
    const doc = syntheticDocument();
    assert.ok(splitSentences(doc.text).some((s) => s.text.length > 700));
    const chunks = chunkDocument(doc, { maxChars: 400, overlapSentences: 1 });
    assert.ok(chunks.some((c, i) => i > 0 && c.start < chunks[i - 1].end), "some consecutive chunks share a sentence");
  });

  test("defaults: 700 characters with one sentence of overlap", () => {
    const doc = syntheticDocument();
    assert.deepEqual(chunkDocument(doc), chunkDocument(doc, { maxChars: 700, overlapSentences: 1 }));
  });

  test("a short document is one chunk, an empty one none; maxChars below 50 is refused", () => {
    const doc = parse(" date 2024-01-01 One short sentence. Another.", "short");
    const chunks = chunkDocument(doc);
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0].text, doc.text);
    assert.deepEqual(chunkDocument({ ...doc, text: "" }), []);
    assert.throws(() => chunkDocument(doc, { maxChars: 49 }), RangeError);
  });
});
