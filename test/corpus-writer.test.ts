/**
 * Saving documents from Telegram into the corpus: safe names (no traversal, no hidden files),
 * unique ids across extensions, the same bytes kept once, concurrent saves, text documents that
 * the corpus reader reads back exactly, removal only of corpus documents; the settings and the
 * pure helpers of channel posts.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { channelKey, dayOf, postDocument, postLink, titleFromFirstLine } from "../src/bot/channel-sources.ts";
import { IndexUpdates } from "../src/bot/index-updates.ts";
import { loadConfig } from "../src/config.ts";
import { removeDocumentFile, safeFileName, saveNewFile, slugOf, textDocumentMarkdown, writeTextDocument } from "../src/ingest/corpus-writer.ts";
import { loadCorpus } from "../src/ingest/load-corpus.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "corpus-writer-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("safeFileName", () => {
  const cases: [string, string][] = [
    ["../../etc/passwd", "passwd"],
    ["..\\..\\windows\\system.ini", "system.ini"],
    [".bashrc", "bashrc"],
    ["...", "document"],
    ["", "document"],
    ["Press release: Japarov & Xi (final).PDF", "Press-release-Japarov-Xi-final.pdf"],
    ["Визит в Пекин 2025.docx", "Визит-в-Пекин-2025.docx"],
    ["a\u0000b\nc.txt", "a-b-c.txt"],
    ["report..pdf", "report.pdf"],
    [`${"x".repeat(200)}.html`, `${"x".repeat(48)}.html`],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(safeFileName(input), expected));
  }

  test("slugs end at a whole word", () => {
    assert.equal(slugOf("Kyrgyzstan and Qatar sign an air services agreement"), "kyrgyzstan-and-qatar-sign-an-air");
    assert.equal(slugOf("!!!"), "text");
  });
});

describe("saveNewFile", () => {
  test("names are unique by document id across extensions, and the same bytes are kept once", async () => {
    const first = await saveNewFile(dir, "uploads", "visit.pdf", Buffer.from("one"));
    const second = await saveNewFile(dir, "uploads", "visit.docx", Buffer.from("two"));
    const again = await saveNewFile(dir, "uploads", "other-name.pdf", Buffer.from("one"));
    assert.deepEqual(first, { file: "uploads/visit.pdf", docId: "uploads/visit", existed: false });
    assert.deepEqual(second, { file: "uploads/visit-2.docx", docId: "uploads/visit-2", existed: false });
    assert.deepEqual(again, { file: "uploads/visit.pdf", docId: "uploads/visit", existed: true });
    assert.deepEqual((await readdir(path.join(dir, "uploads"))).sort(), ["visit-2.docx", "visit.pdf"], "no temporary file left behind");
  });

  test("ten saves of one name at once keep all ten", async () => {
    const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => saveNewFile(dir, "uploads", "same.txt", Buffer.from(`text ${i}`))));
    assert.equal(new Set(saved.map((s) => s.docId)).size, 10);
    const contents = await Promise.all(saved.map((s) => readFile(path.join(dir, s.file), "utf8")));
    assert.deepEqual(contents.sort(), Array.from({ length: 10 }, (_, i) => `text ${i}`).sort());
  });

  test("a traversal in the name stays inside the folder", async () => {
    const saved = await saveNewFile(dir, "uploads", "../../../tmp/evil.txt", Buffer.from("x"));
    assert.equal(saved.file, "uploads/evil.txt");
  });
});

describe("text documents", () => {
  test("front matter gives the corpus reader the title, date, link and publisher, even with YAML-special characters", async () => {
    const markdown = textDocumentMarkdown({ title: "Talks: Japarov & Xi — \"new era\" # 1", publishedOn: "2025-05-20", sourceUrl: "https://t.me/presskg/42", publisher: "Press: service", text: "BISHKEK, 3 September 2025 — The talks.\n\n---\nMore." });
    await writeTextDocument(dir, "channels/1/42.md", markdown);
    const { documents, problems } = await loadCorpus(dir);
    assert.deepEqual(problems, []);
    const [doc] = documents;
    assert.deepEqual(
      { docId: doc.docId, title: doc.title, publishedOn: doc.publishedOn, sourceUrl: doc.sourceUrl, sourceName: doc.sourceName },
      { docId: "channels/1/42", title: "Talks: Japarov & Xi — \"new era\" # 1", publishedOn: "2025-05-20", sourceUrl: "https://t.me/presskg/42", sourceName: "Press: service" },
    );
    assert.equal(doc.text, "BISHKEK, 3 September 2025 — The talks.\n\n---\nMore.");
  });

  test("rewriting a post replaces its file", async () => {
    await writeTextDocument(dir, "channels/1/7.md", "first");
    await writeTextDocument(dir, "channels/1/7.md", "second");
    assert.equal(await readFile(path.join(dir, "channels/1/7.md"), "utf8"), "second");
    assert.deepEqual(await readdir(path.join(dir, "channels/1")), ["7.md"]);
  });
});

describe("removeDocumentFile", () => {
  test("removes only documents the corpus reader lists", async () => {
    await mkdir(path.join(dir, "uploads"));
    await writeFile(path.join(dir, "uploads/a.txt"), "BISHKEK, 3 September 2025 — A.");
    await writeFile(path.join(dir, "entities.yml"), "[]");
    await writeFile(path.join(dir, ".hidden.txt"), "x");
    assert.equal(await removeDocumentFile(dir, "entities"), null);
    assert.equal(await removeDocumentFile(dir, ".hidden"), null);
    assert.equal(await removeDocumentFile(dir, "../outside"), null);
    assert.equal(await removeDocumentFile(dir, "uploads/a"), "uploads/a.txt");
    assert.deepEqual((await readdir(dir)).sort(), [".hidden.txt", "entities.yml", "uploads"]);
  });
});

describe("channel posts", () => {
  test("dates are days in NEWS_TIMEZONE", () => {
    const lateEvening = Date.UTC(2025, 4, 19, 20, 30) / 1000;
    assert.equal(dayOf(lateEvening, "UTC"), "2025-05-19");
    assert.equal(dayOf(lateEvening, "Asia/Bishkek"), "2025-05-20");
  });

  test("links, keys and titles", () => {
    assert.equal(postLink({ id: -1001234567890, username: "presskg" }, 42), "https://t.me/presskg/42");
    assert.equal(postLink({ id: -1001234567890 }, 42), "https://t.me/c/1234567890/42");
    assert.equal(channelKey(-1001234567890), "1234567890");
    assert.equal(titleFromFirstLine("\n**Japarov meets Xi.**\nBody."), "Japarov meets Xi");
    assert.match(titleFromFirstLine(`${"word ".repeat(40)}end.`), /^word word .*…$/);
    const doc = postDocument({ chat: { id: -1001, title: "Kabar", username: "kabar" }, messageId: 9, date: Date.UTC(2025, 0, 2) / 1000, text: "Headline\nText.", timeZone: "UTC" });
    assert.deepEqual({ file: doc.file, docId: doc.docId, publishedOn: doc.publishedOn, sourceUrl: doc.sourceUrl }, { file: "channels/1/9.md", docId: "channels/1/9", publishedOn: "2025-01-02", sourceUrl: "https://t.me/kabar/9" });
  });
});

describe("IndexUpdates", () => {
  test("requests during a build share the next one, which starts after it", async () => {
    const log: string[] = [];
    let n = 0;
    const gates: Array<() => void> = [];
    const updates = new IndexUpdates(async () => {
      const id = ++n;
      log.push(`start ${id}`);
      await new Promise<void>((resolve) => gates.push(resolve));
      log.push(`end ${id}`);
      return `build ${id}`;
    });
    const first = updates.request();
    const second = updates.request();
    const third = updates.request();
    gates.shift()!();
    assert.equal(await first, "build 1");
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    assert.deepEqual(await Promise.all([second, third]), ["build 2", "build 2"]);
    assert.deepEqual(log, ["start 1", "end 1", "start 2", "end 2"]);
  });
});

describe("settings", () => {
  test("SOURCE_CHANNEL_IDS, UPLOAD_MAX_BYTES and NEWS_TIMEZONE", () => {
    const config = loadConfig({ SOURCE_CHANNEL_IDS: "-1001234567890, -1002", UPLOAD_MAX_BYTES: "1048576", NEWS_TIMEZONE: "Asia/Bishkek" });
    assert.deepEqual([...config.sourceChannelIds], [-1001234567890, -1002]);
    assert.equal(config.uploadMaxBytes, 1_048_576);
    assert.equal(config.newsTimeZone, "Asia/Bishkek");
    const defaults = loadConfig({});
    assert.equal(defaults.sourceChannelIds.size, 0);
    assert.equal(defaults.uploadMaxBytes, 20 * 1024 * 1024);
    assert.equal(defaults.newsTimeZone, "UTC");
    assert.throws(() => loadConfig({ SOURCE_CHANNEL_IDS: "@presskg" }), /SOURCE_CHANNEL_IDS must be a comma-separated list of numeric Telegram ids/);
    assert.throws(() => loadConfig({ UPLOAD_MAX_BYTES: "100 MB" }), /UPLOAD_MAX_BYTES must be a whole number/);
    assert.throws(() => loadConfig({ NEWS_TIMEZONE: "Mars/Olympus" }), /NEWS_TIMEZONE must be an IANA time zone/);
  });
});
