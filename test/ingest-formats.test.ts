/**
 * Ingest of PDF, Word and HTML files, and how a document's date is found: real files
 * written by the tests (a PDF with a text layer and an info dictionary, a scanned-like
 * PDF, a .docx package, web pages with menus and footers), loaded as `npm run embed` does.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { findDateline } from "../src/ingest/dateline.ts";
import { loadCorpus, type LoadedCorpus } from "../src/ingest/load-corpus.ts";
import { makeDocx } from "./support/make-docx.ts";
import { makePdf } from "./support/make-pdf.ts";

const VISIT_PAGE = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Japarov and Mirziyoyev open a border market | Kabar</title>
<meta property="og:title" content="Japarov and Mirziyoyev open a border market">
<meta property="og:site_name" content="Kabar">
<meta property="article:published_time" content="2025-03-12T23:30:00+06:00">
<link rel="canonical" href="https://kabar.kg/news/japarov-mirziyoyev-market">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport and weather menu</a></li></ul></nav></header>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity gossip sidebar headline</a></li></ul></aside>
<main><article>
<h1>Japarov and Mirziyoyev open a border market</h1>
<p>President Sadyr Japarov and President Shavkat Mirziyoyev opened a trade market on the Kyrgyz–Uzbek border near Osh on Wednesday.</p>
<p>The two leaders said the market would serve traders from both countries and agreed to simplify customs checks for farm produce.</p>
<p>Japarov called the market a symbol of good neighbourliness between the two peoples.</p>
</article></main>
<footer><p>© 2025 Kabar news agency. All rights reserved. Cookie policy and contacts.</p></footer>
</body></html>`;

describe("PDF, Word and HTML files in the corpus", () => {
  let dir: string;
  let corpus: LoadedCorpus;
  const doc = (docId: string) => {
    const found = corpus.documents.find((d) => d.docId === docId);
    assert.ok(found, `${docId} is loaded; problems: ${JSON.stringify(corpus.problems)}`);
    return found;
  };
  const problemOf = (file: string) => corpus.problems.find((p) => p.file === file);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ingest-formats-"));
    const files: Record<string, string | Buffer> = {
      "press/visit.pdf": makePdf({
        title: "Kulubaev holds talks in Ankara",
        creationDate: "D:20250611093000+06'00'",
        pages: [
          ["Foreign Minister Jeenbek Kulubaev held talks with his Turkish counterpart in Ankara.", "They discussed trade, education and direct flights."],
          ["The ministers signed a plan of consultations for 2025-2026."],
        ],
      }),
      "press/dateline.pdf": makePdf({ pages: [["BISHKEK, 3 September 2025 - The President received the ambassador of Belarus.", "They discussed the visit to Minsk."]] }),
      "press/metadata-first.pdf": makePdf({ creationDate: "D:20250905", pages: [["BISHKEK, 3 September 2025 - Metadata comes before the dateline."]] }),
      "press/token-first.pdf": makePdf({ creationDate: "D:20250905", pages: [["date 2024-01-02 The leading token comes before the metadata."]] }),
      "press/scan.pdf": makePdf({ title: "Scanned letter", creationDate: "D:20250101", pages: [null, null] }),
      "press/broken.pdf": Buffer.from("%PDF-1.4\nthis is not really a PDF\n%%EOF\n"),
      "word/release.docx": await makeDocx({
        title: "Rahmon visits Bishkek",
        created: "2025-02-04T09:30:00Z",
        paragraphs: [{ heading: "Press release" }, "President Emomali Rahmon arrived in Bishkek on a state visit.", "The presidents signed a treaty on the state border."],
      }),
      "word/2024-10-08_untitled.docx": await makeDocx({ paragraphs: [{ heading: "Tokayev meets Japarov in Astana" }, "The two presidents met in Astana."] }),
      "word/broken.docx": Buffer.from("PK\u0003\u0004 not a zip after all"),
      "web/visit.html": VISIT_PAGE,
      "web/json-ld.htm": `<html><head><title>Erdogan in Bishkek</title><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"AKIpress"},{"@type":"NewsArticle","headline":"Erdogan arrives in Bishkek","datePublished":"2024-11-05T08:00:00+06:00","publisher":{"@type":"Organization","name":"AKIpress"}}]}</script><meta property="og:url" content="https://akipress.com/news/erdogan"></head><body><article><p>President Recep Tayyip Erdogan arrived in Bishkek for the summit of the Organization of Turkic States.</p></article></body></html>`,
      "web/time.html": `<html><head><title>Lukashenko meets Japarov</title></head><body><article><h1>Lukashenko meets Japarov</h1><p>Posted <time datetime="2024-04-18">18 April</time></p><p>President Alexander Lukashenko met President Japarov in Minsk and discussed agricultural machinery.</p></article></body></html>`,
      "web/cp1251.html": Buffer.concat([
        Buffer.from('<html><head><meta charset="windows-1251"><title>'),
        Buffer.from([0xc2, 0xe8, 0xe7, 0xe8, 0xf2]), // "Визит"
        Buffer.from("</title></head><body><article><p>"),
        Buffer.from([0xc1, 0xc8, 0xd8, 0xca, 0xc5, 0xca, 0x2c, 0x20, 0x33, 0x20, 0xf1, 0xe5, 0xed, 0xf2, 0xff, 0xe1, 0xf0, 0xff, 0x20, 0x32, 0x30, 0x32, 0x35, 0x20, 0xe3, 0xee, 0xe4, 0xe0, 0x20, 0x97, 0x20]), // "БИШКЕК, 3 сентября 2025 года — "
        Buffer.from([0xcf, 0xf0, 0xe5, 0xe7, 0xe8, 0xe4, 0xe5, 0xed, 0xf2, 0x2e]), // "Президент."
        Buffer.from("</p></article></body></html>"),
      ]),
      "report.xlsx": Buffer.from("PK\u0003\u0004 a spreadsheet"),
      "README": "A note without an extension.",
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }
    corpus = await loadCorpus(dir);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a PDF's text layer, page by page, with its title and date from the info dictionary", () => {
    const pdf = doc("press/visit");
    assert.equal(pdf.title, "Kulubaev holds talks in Ankara");
    assert.equal(pdf.publishedOn, "2025-06-11");
    assert.match(pdf.text, /^Foreign Minister Jeenbek Kulubaev held talks with his Turkish counterpart in Ankara\./);
    assert.match(pdf.text, /direct flights\.\n\nThe ministers signed a plan of consultations/);
    assert.equal(pdf.sourceUrl, null);
  });

  test("a PDF without a creation date is dated by its dateline; its title comes from the text", () => {
    const pdf = doc("press/dateline");
    assert.equal(pdf.publishedOn, "2025-09-03");
    assert.match(pdf.title, /^BISHKEK, 3 September 2025 - The President received the ambassador of Belarus/);
  });

  test("the order of dates: the leading token, then the format's metadata, then the dateline", () => {
    assert.equal(doc("press/metadata-first").publishedOn, "2025-09-05");
    assert.equal(doc("press/token-first").publishedOn, "2024-01-02");
    assert.equal(doc("press/token-first").text, "The leading token comes before the metadata.");
  });

  test("a scanned PDF without a text layer is reported as such, by name", () => {
    assert.equal(problemOf("press/scan.pdf")?.kind, "no-text-layer");
    assert.match(problemOf("press/scan.pdf")!.message, /no text layer \(2 pages/);
    assert.ok(!corpus.documents.some((d) => d.docId === "press/scan"));
  });

  test("a broken PDF or .docx is reported as unreadable, and the rest still load", () => {
    assert.equal(problemOf("press/broken.pdf")?.kind, "unreadable");
    assert.match(problemOf("press/broken.pdf")!.message, /not a readable PDF/);
    assert.equal(problemOf("word/broken.docx")?.kind, "unreadable");
    assert.match(problemOf("word/broken.docx")!.message, /not a readable Word document/);
  });

  test("a Word document's title and date come from its core properties", () => {
    const word = doc("word/release");
    assert.equal(word.title, "Rahmon visits Bishkek");
    assert.equal(word.publishedOn, "2025-02-04");
    assert.equal(word.text, "Press release\n\nPresident Emomali Rahmon arrived in Bishkek on a state visit.\n\nThe presidents signed a treaty on the state border.");
  });

  test("a Word document without core properties takes its first heading as title and its file name's date", () => {
    const word = doc("word/2024-10-08_untitled");
    assert.equal(word.title, "Tokayev meets Japarov in Astana");
    assert.equal(word.publishedOn, "2024-10-08");
  });

  test("an HTML page gives its main text only: menus, sidebars and footers stay out", () => {
    const page = doc("web/visit");
    assert.match(page.text, /^President Sadyr Japarov and President Shavkat Mirziyoyev opened a trade market/);
    assert.match(page.text, /farm produce\.\n\nJaparov called the market/);
    for (const chrome of ["Home", "Politics", "Sport and weather", "Most read", "Celebrity gossip", "All rights reserved", "Cookie"]) {
      assert.ok(!page.text.includes(chrome), `"${chrome}" is not in the text`);
    }
  });

  test("an HTML page's date, title, link and publisher come from its meta tags", () => {
    const page = doc("web/visit");
    assert.equal(page.publishedOn, "2025-03-12", "the day as the page writes it, not converted to UTC");
    assert.equal(page.title, "Japarov and Mirziyoyev open a border market");
    assert.equal(page.sourceUrl, "https://kabar.kg/news/japarov-mirziyoyev-market");
    assert.equal(page.sourceName, "Kabar");
  });

  test("JSON-LD datePublished, headline and publisher, and og:url without a canonical link", () => {
    const page = doc("web/json-ld");
    assert.equal(page.publishedOn, "2024-11-05");
    assert.equal(page.title, "Erdogan arrives in Bishkek");
    assert.equal(page.sourceName, "AKIpress");
    assert.equal(page.sourceUrl, "https://akipress.com/news/erdogan");
  });

  test("a <time datetime> dates a page with no date meta tag", () => {
    assert.equal(doc("web/time").publishedOn, "2024-04-18");
    assert.equal(doc("web/time").title, "Lukashenko meets Japarov");
  });

  test("a page in the Windows-1251 encoding it declares is decoded, and dated by its Russian dateline", () => {
    const page = doc("web/cp1251");
    assert.equal(page.title, "Визит");
    assert.equal(page.text, "БИШКЕК, 3 сентября 2025 года — Президент.");
    assert.equal(page.publishedOn, "2025-09-03");
  });

  test("a file of an unknown type is reported by name, never silently ignored", () => {
    assert.equal(problemOf("report.xlsx")?.kind, "unsupported");
    assert.match(problemOf("report.xlsx")!.message, /unsupported type \(\.xlsx/);
    assert.equal(problemOf("README")?.kind, "unsupported");
    assert.match(problemOf("README")!.message, /no extension/);
  });
});

describe("datelines", () => {
  test("a place, then a date that ends the line or is followed by a dash, colon or parenthesis", () => {
    assert.equal(findDateline("BISHKEK, 3 September 2025 — President Japarov met Xi Jinping."), "2025-09-03");
    assert.equal(findDateline("4 February 2025\n\nThe two sides agreed."), "2025-02-04");
    assert.equal(findDateline("Beijing, Sept. 3, 2025 (Xinhua) -- Chinese President Xi Jinping met ..."), "2025-09-03");
    assert.equal(findDateline("Bishkek, Kyrgyzstan, Wednesday, 3 September 2025: talks"), "2025-09-03");
    assert.equal(findDateline("БИШКЕК, 3 сентября 2025 года — Президент"), "2025-09-03");
    assert.equal(findDateline("Press release\nMinistry of Foreign Affairs\n2025-06-11\nThe minister ..."), "2025-06-11");
  });

  test("a date inside a sentence, a date without a year, or one past the first lines is no dateline", () => {
    assert.equal(findDateline("On 3 September 2025, President Japarov met Xi Jinping."), null);
    assert.equal(findDateline("The talks of 3 September 2025 were long."), null);
    assert.equal(findDateline("Beijing, Sept. 3 (Xinhua) -- talks"), null);
    assert.equal(findDateline(" date 2022-07-07 is not at the very start"), null);
    assert.equal(findDateline(`${"A line.\n".repeat(8)}4 February 2025\n`), null);
    assert.equal(findDateline("BISHKEK, 31 February 2025 — an impossible day"), null);
  });
});
