import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ChunkIdResolver,
  CALLBACK_DATA_LIMIT,
  chunkIdHash,
  LIST_PAGE_CALLBACK,
  pageCallbackData,
  PASSAGE_CALLBACK,
  PASSAGE_HASH_CALLBACK,
  passageCallbackData,
} from "../src/bot/callback-data.ts";
import { escapeHtml, formatDate, htmlToPlainText, splitHtml } from "../src/bot/html.ts";
import { renderAnswer, renderPartial, renderPassage } from "../src/bot/render-answer.ts";
import { renderHelp, renderSourcesPage, renderTimelinePage } from "../src/bot/render-lists.ts";
import { parseTelegramHtml } from "./fakes/telegram-api.ts";
import { FakeQaService, FIXTURE_CHUNKS, LONG_CHUNK_ID, makeAnswer } from "./bot-helpers.ts";

/** Asserts that Telegram (as the fake checks it) would accept the HTML, and returns its visible text. */
function accepted(html: string): string {
  const parsed = parseTelegramHtml(html);
  assert.ok(parsed.ok, `Telegram would refuse: ${parsed.ok ? "" : parsed.description}\n${html.slice(0, 300)}`);
  return parsed.text;
}

describe("html helpers", () => {
  test("escapeHtml escapes what Telegram HTML reserves", () => {
    assert.equal(escapeHtml(`<b>"Tom" & Jerry</b>`), "&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;");
  });

  test("formatDate writes dates for people", () => {
    assert.equal(formatDate("2025-09-03"), "3 Sep 2025");
    assert.equal(formatDate("2024-12-31"), "31 Dec 2024");
    assert.equal(formatDate(null), "undated");
  });

  test("htmlToPlainText keeps link targets and decodes entities", () => {
    assert.equal(htmlToPlainText(`<b>A &amp; B</b> <a href="https://x.kg/?a=1&amp;b=2">site</a>`), "A & B site (https://x.kg/?a=1&b=2)");
  });

  test("splitHtml keeps short text whole", () => {
    assert.deepEqual(splitHtml("<b>hi</b>"), ["<b>hi</b>"]);
  });

  test("splitHtml cuts on paragraph boundaries, every part within the limit", () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${"word ".repeat(40).trim()}.`);
    const parts = splitHtml(paragraphs.join("\n\n"), 1000);
    assert.ok(parts.length > 1);
    for (const part of parts) {
      assert.ok(part.length <= 1000, `part of ${part.length}`);
      assert.match(part, /^Paragraph \d+/, "each part starts at a paragraph");
      assert.match(part, /\.$/, "each part ends at a paragraph end");
    }
    assert.equal(parts.join("\n\n"), paragraphs.join("\n\n"));
  });

  test("splitHtml never breaks tags or entities, and reopens tags across parts", () => {
    const quote = `<blockquote expandable>${escapeHtml("Japarov & Xi <met>. ".repeat(400))}</blockquote>`;
    const html = `<b>Title</b>\n${quote}\n<a href="https://example.org/?q=1&amp;r=2">link</a>`;
    const parts = splitHtml(html, 4096);
    assert.ok(parts.length >= 3, `expected several parts, got ${parts.length}`);
    let visible = "";
    for (const part of parts) {
      assert.ok(part.length <= 4096);
      visible += accepted(part);
    }
    assert.equal(visible.replace(/\s+/g, ""), accepted(html).replace(/\s+/g, ""), "no text lost or duplicated");
    assert.ok(parts[1].startsWith("<blockquote expandable>"), "the quote continues in the next part");
  });

  test("splitHtml cuts an unbroken run of text (no spaces) too", () => {
    const parts = splitHtml("x".repeat(10_000), 4096);
    assert.deepEqual(parts.map((p) => p.length), [4096, 4096, 1808]);
  });
});

describe("rendering answers", () => {
  const qa = new FakeQaService();

  test("an answer has its text with [n], a Sources block with dates and links, and [n] buttons", async () => {
    const answer = await qa.ask("When did Japarov meet Cai Qi?");
    const rendered = renderAnswer(answer);
    assert.equal(rendered.parts.length, 1);
    const html = rendered.parts[0];
    const text = accepted(html);
    assert.match(text, /Japarov met Cai Qi in Beijing \[1\]/);
    assert.match(text, /Sources\n\[1\] Japarov meets Cai Qi in Beijing — 3 Sep 2025\n\[2\] Talks on "trade" & <investment> — 3 Sep 2025/);
    assert.match(html, /<a href="https:\/\/english\.news\.cn\/20250903\/japarov-cai-qi\.html\?a=1&amp;b=2">/);
    const buttons = rendered.keyboard!.inline_keyboard.flat();
    assert.deepEqual(buttons.map((b) => b.text), ["[1]", "[2]"]);
    for (const b of buttons) {
      assert.ok("callback_data" in b && Buffer.byteLength(b.callback_data, "utf8") <= CALLBACK_DATA_LIMIT);
    }
  });

  test("a refused answer has no Sources block and no buttons", () => {
    const rendered = renderAnswer(
      makeAnswer({ question: "q", text: "The documents do not cover this.", refused: true, citations: [] }),
    );
    assert.equal(rendered.keyboard, undefined);
    assert.doesNotMatch(rendered.parts.join(""), /Sources/);
  });

  test("a notice is one italic line above the answer", async () => {
    const answer = { ...(await qa.ask("q")), notice: "The language model is unavailable;\nthis answer quotes the sources." };
    const html = renderAnswer(answer).parts[0];
    assert.match(html, /^<i>The language model is unavailable; this answer quotes the sources\.<\/i>\n\n/);
  });

  test("every dynamic string is escaped (answer text, titles, URLs)", () => {
    const answer = makeAnswer({
      question: "q",
      text: `<script>alert("x")</script> & <b>not bold</b> *md* _md_ [1]`,
      citations: [
        { n: 1, docId: "d", title: `<i>Title</i> & "co"`, date: "2025-01-02", source: `https://e.org/"><b>x</b>`, quote: "", chunkId: "d#0" },
      ],
    });
    const html = renderAnswer(answer).parts[0];
    const text = accepted(html);
    assert.match(text, /<script>alert\("x"\)<\/script> & <b>not bold<\/b> \*md\* _md_ \[1\]/);
    assert.doesNotMatch(html, /<script>|<i>Title/);
  });

  test("a long answer is split into parts that Telegram accepts; the Sources block is at the end", () => {
    const answer = makeAnswer({
      question: "q",
      text: Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${"On 3 September 2025 the sides met [1]. ".repeat(6)}`).join("\n\n"),
      citations: [{ n: 1, docId: "d", title: "T", date: "2025-09-03", source: null, quote: "", chunkId: "d#0" }],
    });
    const rendered = renderAnswer(answer);
    assert.ok(rendered.parts.length >= 2);
    for (const part of rendered.parts) {
      assert.ok(part.length <= 4096);
      accepted(part);
    }
    assert.match(rendered.parts.at(-1)!, /<b>Sources<\/b>\n\[1\] T — 3 Sep 2025$/);
  });

  test("a passage shows number, title, date, source and the text in an expandable blockquote", () => {
    const [part] = renderPassage(FIXTURE_CHUNKS[0], { n: 1 });
    assert.equal(
      accepted(part),
      "[1] Japarov meets Cai Qi in Beijing\n3 Sep 2025 · Xinhua\nOn 3 September 2025, President Sadyr Japarov met Cai Qi in Beijing. They discussed trade & transport <corridors>.",
    );
    assert.match(part, /<blockquote expandable>/);
  });

  test("a partial answer fits one message", () => {
    assert.equal(renderPartial("Growing"), "Growing …");
    assert.equal(renderPartial("y".repeat(5000)).length, 4096);
  });
});

describe("callback data", () => {
  test("short chunk ids are carried as they are; long ones are hashed, all within 64 bytes", () => {
    assert.equal(passageCallbackData("000_e8cdec5b749d1b60#3"), "p:000_e8cdec5b749d1b60#3");
    assert.equal(passageCallbackData("kazakhstan/2024-09-02_tokayev-beijing#0"), "p:kazakhstan/2024-09-02_tokayev-beijing#0");
    const long = passageCallbackData(LONG_CHUNK_ID);
    assert.match(long, /^h:[A-Za-z0-9_-]{20}$/);
    const cyrillic = passageCallbackData(`новости/${"визит".repeat(6)}#1`); // 2 bytes a letter
    assert.ok(Buffer.byteLength(cyrillic, "utf8") <= 64);
  });

  test("the handlers' patterns read back every kind of button and match no junk", () => {
    assert.equal(PASSAGE_CALLBACK.exec("p:a/b#1")?.[1], "a/b#1");
    assert.equal(PASSAGE_HASH_CALLBACK.exec(passageCallbackData(LONG_CHUNK_ID))?.[1], chunkIdHash(LONG_CHUNK_ID));
    assert.deepEqual(LIST_PAGE_CALLBACK.exec(pageCallbackData("sources", 2))?.slice(1), ["s", "2"]);
    assert.deepEqual(LIST_PAGE_CALLBACK.exec(pageCallbackData("timeline", 0))?.slice(1), ["t", "0"]);
    const patterns = [PASSAGE_CALLBACK, PASSAGE_HASH_CALLBACK, LIST_PAGE_CALLBACK];
    for (const junk of ["", "x", "p:", "h:short", "s:-1", "s:abc", "z:1"]) assert.ok(!patterns.some((pattern) => pattern.test(junk)), junk);
  });

  test("a hashed id resolves from the corpus (after a restart: a new resolver), and follows a reindex", () => {
    const qa = new FakeQaService();
    const hash = chunkIdHash(LONG_CHUNK_ID);
    assert.equal(new ChunkIdResolver(qa).resolve(hash), LONG_CHUNK_ID);
    const resolver = new ChunkIdResolver(qa);
    assert.equal(resolver.resolve(chunkIdHash("new-doc#0")), null);
    qa.chunks = [...qa.chunks, { ...FIXTURE_CHUNKS[1], id: "new-doc#0", docId: "new-doc", ordinal: 0 }];
    qa.builtAt = "2025-10-02T00:00:00.000Z";
    assert.equal(resolver.resolve(chunkIdHash("new-doc#0")), "new-doc#0");
  });
});

describe("help and lists", () => {
  const qa = new FakeQaService();

  test("help says how many documents, the period, how to ask, and two examples", async () => {
    const html = renderHelp({ overview: qa.overview(), examples: await qa.exampleQuestions(2), botUsername: "VisitsBot" });
    const text = accepted(html);
    assert.match(text, /from 4 news documents, from 2 Sep 2024 to 3 Sep 2025/);
    assert.match(text, /\/ask your question, mention @VisitsBot, or reply to one of my answers/);
    assert.match(text, /• When did Japarov meet Cai Qi\?\n• What did Tokayev do in Beijing\?/);
  });

  test("help in Russian comes from the same locale keys: the period, the group hint with /ask and the commands in Russian", async () => {
    const text = accepted(renderHelp({ overview: qa.overview(), examples: await qa.exampleQuestions(2), botUsername: "VisitsBot", lang: "ru" }));
    assert.match(text, /по 4 датированным новостным документам \(2 сентября 2024 года – 3 сентября 2025 года\)/);
    assert.match(text, /• В группе: \/ask ваш вопрос, упоминание @VisitsBot или ответ на мое сообщение\./);
    assert.match(text, /\/sources — документы, сначала новые\n\/timeline — события по датам/);
    assert.doesNotMatch(text.replace(/@VisitsBot|\/(?:ask|sources|timeline)\b/g, ""), /[A-Za-z]{2,}/, "no English words but the bot's name and the commands");
  });

  test("sources are newest first, with dates, paginated with buttons", () => {
    const page0 = renderSourcesPage(qa.sources(), 0, 2);
    const text = accepted(page0.html);
    assert.match(text, /1\. 3 Sep 2025 — Japarov meets Cai Qi in Beijing \(Xinhua\)\n2\. 3 Sep 2025 — Talks on "trade" & <investment> \(Kabar\)/);
    assert.deepEqual(page0.keyboard!.inline_keyboard[0].map((b) => b.text), ["1 / 2", "Older ›"]);
    const page1 = renderSourcesPage(qa.sources(), 1, 2);
    assert.match(accepted(page1.html), /3\. 2 Sep 2024 — Tokayev visits Beijing\n4\. undated — Background note/);
  });

  test("the timeline lists dated documents oldest first and counts the undated", () => {
    const text = accepted(renderTimelinePage(qa.sources(), 0, 10).html);
    assert.match(text, /2 Sep 2024 — Tokayev visits Beijing\n3 Sep 2025 — Japarov meets Cai Qi in Beijing\n3 Sep 2025 — Talks/);
    assert.match(text, /1 undated document not shown/);
  });
});
