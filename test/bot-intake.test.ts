/**
 * Documents added from Telegram, end to end: the real bot and pipeline over a copy of the
 * fixture corpus with local embeddings, and the fake Bot API with files (`getFile` and the
 * download route) and channels. An admin's PDF, Word file, web page, pasted text and forwarded
 * channel post, and a listed channel's posts (and their edits), each become answerable with the
 * original's date; what cannot become a document (unsupported, too large, scanned, broken, sent
 * by a non-admin, posted in an unlisted channel) changes nothing in the corpus or the index.
 */
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { QaPipeline } from "../src/answering/qa-pipeline.ts";
import { NOT_ADMIN_INTAKE_MESSAGE } from "../src/bot/document-intake.ts";
import { AppError } from "../src/errors.ts";
import { buildIndex } from "../src/store/build-index.ts";
import { startTestBot, waitForLog, type TestBot, visibleText as visible } from "./bot-helpers.ts";
import { FakeTelegramApi, type RecordedCall } from "./fakes/telegram-api.ts";
import { openFixturePipeline, tempWorkspace } from "./support/fixtures.ts";
import { makeDocx } from "./support/make-docx.ts";
import { makePdf } from "./support/make-pdf.ts";
import { PAGE } from "./support/sample-page.ts";

const ADMIN = 4242;
const ADMIN_TWO = 4343;
const STRANGER = 5151;
const LISTED_CHANNEL = -1001234567890;
const UNLISTED_CHANNEL = -1009999999999;
const NOT_ADMINISTERED_CHANNEL = -1005555555555;
const MAX_BYTES = 64 * 1024;

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
let qa: QaPipeline;
let t: TestBot<QaPipeline>;
let fake: FakeTelegramApi;
let nextChat = 7000;

before(async () => {
  workspace = await tempWorkspace();
  let embedder;
  ({ qa, embedder } = await openFixturePipeline(workspace));
  const reindex = async () => {
    const summary = await buildIndex({ corpusDir: workspace.corpusDir, indexDir: workspace.indexDir, embedder });
    await qa.reload();
    return summary;
  };
  fake = await FakeTelegramApi.start();
  fake.adminChannels.add(LISTED_CHANNEL);
  t = await startTestBot({
    api: fake,
    qa,
    reindex,
    config: {
      corpusDir: workspace.corpusDir,
      indexDir: workspace.indexDir,
      adminUserIds: new Set([ADMIN, ADMIN_TWO]),
      sourceChannelIds: new Set([LISTED_CHANNEL, NOT_ADMINISTERED_CHANNEL]),
      uploadMaxBytes: MAX_BYTES,
      newsTimeZone: "Asia/Bishkek",
    },
  });
});

after(async () => {
  await t?.stop();
  await fake?.close();
  qa?.close();
  await workspace?.cleanup();
});

/** The `count`-th message the bot sent to a chat (waits up to 30 s: a reply comes after an embed). */
async function nthSent(chatId: number, count: number): Promise<RecordedCall> {
  const calls = await t.api.waitForCalls("sendMessage", count, { timeoutMs: 30_000, where: (c) => c.ok && c.body.chat_id === chatId });
  return calls[count - 1];
}

/** Asks in a fresh private chat (no follow-up context) and returns the answer's visible text. */
async function ask(question: string): Promise<string> {
  const chat = nextChat++;
  t.api.pushMessage({ chatId: chat, text: question });
  return visible(await nthSent(chat, 1));
}

/** Every file under the corpus, relative, sorted. */
async function corpusFiles(): Promise<string[]> {
  const entries = await readdir(workspace.corpusDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(workspace.corpusDir, path.join(e.parentPath, e.name))).sort();
}

/** Sends a document as `fromId` and returns the bot's reply. */
async function send(fromId: number, fileName: string, bytes: Buffer, options: { declareSize?: boolean; mimeType?: string; languageCode?: string } = {}): Promise<RecordedCall> {
  const before = t.api.sentTo(fromId).length;
  t.api.pushDocument({ chatId: fromId, fileName, bytes, ...options });
  return nthSent(fromId, before + 1);
}

describe("documents sent to the bot by an admin", () => {
  test("a PDF is saved under uploads/, replies with title, date, passages and a Remove button, and answers with its date", async () => {
    const pdf = makePdf({
      title: "Kulubaev holds talks in Ankara",
      creationDate: "D:20250611093000+06'00'",
      pages: [["Foreign Minister Jeenbek Kulubaev held talks with the Foreign Minister of Turkey in Ankara.", "The ministers discussed trade, education and new direct flights between Bishkek and Istanbul."]],
    });
    const reply = await send(ADMIN, "Ankara talks (final).pdf", pdf);
    const text = visible(reply);
    assert.match(text, /^Added: Kulubaev holds talks in Ankara\nDated 11 June 2025\.\n\d+ passages?; id uploads\/Ankara-talks-final\. It can be asked about now\./);
    const [button] = reply.body.reply_markup.inline_keyboard[0];
    assert.deepEqual(button, { text: "Remove", callback_data: "rm:uploads/Ankara-talks-final" });
    assert.deepEqual(await readFile(path.join(workspace.corpusDir, "uploads/Ankara-talks-final.pdf")), pdf);
    const call = t.api.callsTo("getFile").at(-1)!;
    assert.equal(t.api.callsTo("downloadFile", (c) => c.ok).length >= 1, true, "downloaded through /file/bot<token>/<path>");
    assert.ok(call.ok);

    const answer = await ask("When did Kulubaev hold talks in Ankara?");
    assert.match(answer, /11 June 2025/);
    assert.match(answer, /Sources\n\[1\] Kulubaev holds talks in Ankara — 11 Jun 2025/);
  });

  test("two uploads at once (a Word file and a web page from two admins) are both embedded and answerable", async () => {
    const docx = await makeDocx({
      created: "2025-02-04T09:30:00Z",
      paragraphs: [{ heading: "Rahmon arrives in Bishkek on a state visit" }, "President of Tajikistan Emomali Rahmon arrived in Bishkek on a state visit.", "Presidents Japarov and Rahmon signed a treaty on the state border between Kyrgyzstan and Tajikistan."],
    });
    const [word, page] = await Promise.all([send(ADMIN, "rahmon-visit.docx", docx), send(ADMIN_TWO, "border-market.html", Buffer.from(PAGE))]);
    assert.match(visible(word), /^Added: Rahmon arrives in Bishkek on a state visit\nDated 4 February 2025\./);
    assert.match(visible(page), /^Added: Japarov and Mirziyoyev open a border market\nDated 12 March 2025\.\nSource: https:\/\/kabar\.kg\/news\/border-market\n/);
    assert.ok(qa.sources().some((s) => s.docId === "uploads/rahmon-visit"));
    assert.ok(qa.sources().some((s) => s.docId === "uploads/border-market"));

    const treaty = await ask("When did Japarov and Rahmon sign the treaty on the state border?");
    assert.match(treaty, /4 February 2025/);
    const market = await ask("When did Japarov and Mirziyoyev open the border trade market near Osh?");
    assert.match(market, /12 March 2025/);
    assert.doesNotMatch(market, /Weather forecast|All rights reserved/);
  });

  test("the same file sent again is not added twice", async () => {
    const before = await corpusFiles();
    const reply = await send(ADMIN, "border-market-copy.html", Buffer.from(PAGE));
    assert.match(visible(reply), /^Already in the corpus: Japarov and Mirziyoyev open a border market\n/);
    assert.deepEqual(await corpusFiles(), before);
  });

  test("an unsupported type, a too-large file, a scanned PDF and a broken PDF are reported by name and change nothing", async () => {
    const files = await corpusFiles();
    const builtAt = qa.overview().builtAt;
    const getFiles = t.api.callsTo("getFile").length;

    assert.match(visible(await send(ADMIN, "report.xlsx", Buffer.from("PK not a spreadsheet"))), /^Skipped report\.xlsx: unsupported type \(\.xlsx\)\. I read \.txt .*\.pdf .*Nothing was saved\.$/);
    const big = Buffer.from("BISHKEK, 3 September 2025 — A long text. ".repeat(3000));
    assert.match(visible(await send(ADMIN, "long.txt", big)), /^long\.txt is 1\d\d KB, over the 64 KB limit for one document; nothing was saved\.$/);
    assert.equal(t.api.callsTo("getFile").length, getFiles, "refused by type and declared size before any getFile");

    // A client that does not declare the size: the download stops at the limit.
    assert.match(visible(await send(ADMIN, "long.txt", big, { declareSize: false })), /^long\.txt is (larger than|1\d\d KB, over) the 64 KB limit/);
    assert.match(visible(await send(ADMIN, "scan.pdf", makePdf({ pages: [null] }))), /^Could not add scan\.pdf: it has no text layer \(1 page of images, as a scan is; it would need OCR\)\. Nothing was saved\.$/);
    assert.match(visible(await send(ADMIN, "broken.pdf", Buffer.from("%PDF-1.4\nthis is not really a PDF"))), /^Could not add broken\.pdf: it is not a readable PDF/);

    assert.deepEqual(await corpusFiles(), files, "the corpus is as it was");
    assert.equal(qa.overview().builtAt, builtAt, "the index is as it was");
    assert.ok(!t.logs.some((line) => line.includes("update_failed")), "no handler failed");
  });

  test("a non-admin's file and forwarded post get one sentence; nothing is downloaded or stored", async () => {
    const files = await corpusFiles();
    const getFiles = t.api.callsTo("getFile").length;
    assert.equal(visible(await send(STRANGER, "visit.pdf", makePdf({ pages: [["A visit."]] }))), NOT_ADMIN_INTAKE_MESSAGE);
    t.api.pushMessage({
      chatId: STRANGER,
      text: "Japarov visited Osh.",
      forwardOrigin: { type: "channel", chat: t.api.channel(LISTED_CHANNEL, "Press service", "presskg"), message_id: 5, date: 1_747_720_000 },
    });
    assert.equal(visible(await nthSent(STRANGER, 2)), NOT_ADMIN_INTAKE_MESSAGE);
    t.api.pushMessage({ chatId: STRANGER, text: "/add Japarov visited Osh on 1 May 2025." });
    assert.equal(visible(await nthSent(STRANGER, 3)), NOT_ADMIN_INTAKE_MESSAGE);
    assert.equal(t.api.callsTo("getFile").length, getFiles);
    assert.deepEqual(await corpusFiles(), files);
  });

  test("/help shows the administrators' commands to admins only", async () => {
    const before = t.api.sentTo(ADMIN_TWO).length;
    const strangerBefore = t.api.sentTo(STRANGER).length;
    t.api.pushMessage({ chatId: ADMIN_TWO, text: "/help" });
    t.api.pushMessage({ chatId: STRANGER, text: "/help" });
    assert.match(visible(await nthSent(ADMIN_TWO, before + 1)), /For administrators\n.*PDF, Word \(\.docx\), web page/);
    assert.doesNotMatch(visible(await nthSent(STRANGER, strangerBefore + 1)), /administrators/);
  });

  test("/add saves pasted text dated by its dateline, and /remove takes it out again", async () => {
    const before = t.api.sentTo(ADMIN).length;
    t.api.pushMessage({
      chatId: ADMIN,
      text: "/add Kyrgyzstan and Qatar sign an air services agreement\nDOHA, 14 April 2025 — Foreign Minister Jeenbek Kulubaev and the Qatari side signed an air services agreement opening direct flights between Bishkek and Doha.",
    });
    const reply = visible(await nthSent(ADMIN, before + 1));
    assert.match(reply, /^Added: Kyrgyzstan and Qatar sign an air services agreement\nDated 14 April 2025\.\n\d+ passages?; id uploads\/2025-04-14_kyrgyzstan-and-qatar-sign-an-air\. It/);
    const docId = /id (uploads\/\S+)\. It/.exec(reply)![1];
    assert.match(await ask("When did Kyrgyzstan and Qatar sign the air services agreement?"), /14 April 2025/);

    t.api.pushMessage({ chatId: ADMIN, text: `/remove ${docId}` });
    assert.match(visible(await nthSent(ADMIN, before + 2)), new RegExp(`^Removed ${docId} \\(Kyrgyzstan and Qatar sign an air services agreement\\); it is no longer in the answers\\.$`));
    assert.ok(!qa.sources().some((s) => s.docId === docId));
    assert.ok(!(await corpusFiles()).some((file) => file.startsWith(docId)));
    t.api.pushMessage({ chatId: ADMIN, text: "/remove uploads/no-such-document" });
    assert.equal(visible(await nthSent(ADMIN, before + 3)), "No document has the id uploads/no-such-document.");
    t.api.pushMessage({ chatId: ADMIN, text: "/remove ../../etc/passwd" });
    assert.equal(visible(await nthSent(ADMIN, before + 4)), "No document has the id ../../etc/passwd.");
  });

  test("the Remove button removes the document for an admin and refuses anyone else", async () => {
    const reply = await send(ADMIN, "note.txt", Buffer.from("BISHKEK, 2 May 2025 — Japarov met the Mayor of Bishkek to discuss the new ring road around the capital."));
    const data = reply.body.reply_markup.inline_keyboard[0][0].callback_data as string;
    assert.equal(data, "rm:uploads/note");
    const messageId = reply.result.message_id as number;

    const toasts = t.api.callsTo("answerCallbackQuery").length;
    t.api.pushCallbackQuery({ chatId: ADMIN, messageId, data, fromId: STRANGER });
    const [refused] = (await t.api.waitForCalls("answerCallbackQuery", toasts + 1)).slice(toasts);
    assert.equal(refused.body.text, NOT_ADMIN_INTAKE_MESSAGE);
    assert.ok(qa.sources().some((s) => s.docId === "uploads/note"));

    t.api.pushCallbackQuery({ chatId: ADMIN, messageId, data });
    const [edit] = await t.api.waitForCalls("editMessageText", 1, { timeoutMs: 30_000, where: (c) => c.body.message_id === messageId });
    assert.match(visible(edit), /^Removed uploads\/note \(.*\); it is no longer in the answers\.$/);
    assert.ok(!qa.sources().some((s) => s.docId === "uploads/note"));
  });
});

describe("an admin whose Telegram is in Russian", () => {
  test("gets the confirmation, the refusals, the admin part of /help and the removal in Russian", async () => {
    const ru = { languageCode: "ru" };
    const reply = await send(ADMIN, "osh-note.txt", Buffer.from("BISHKEK, 3 September 2025 — Japarov met the Governor of Osh Region to discuss the new airport terminal."), ru);
    assert.match(visible(reply), /^Добавлено: .+\nДата: 3 сентября 2025 г\.\n\d+ фрагмент(а|ов)?; id uploads\/osh-note\. Теперь о нем можно спрашивать\.$/);
    const [button] = reply.body.reply_markup.inline_keyboard[0];
    assert.deepEqual(button, { text: "Удалить", callback_data: "rm:uploads/osh-note" });

    assert.match(visible(await send(ADMIN, "report.xlsx", Buffer.from("PK not a spreadsheet"), ru)), /^report\.xlsx пропущен: неподдерживаемый тип \(\.xlsx\)\. Я читаю .*\.pdf.* Ничего не сохранено\.$/);
    const big = Buffer.from("BISHKEK, 3 September 2025 — A long text. ".repeat(3000));
    assert.match(visible(await send(ADMIN, "long.txt", big, ru)), /^long\.txt: 1\d\d KB, больше лимита 64 KB на один документ; ничего не сохранено\.$/);
    assert.equal(
      visible(await send(ADMIN, "scan.pdf", makePdf({ pages: [null] }), ru)),
      "Не удалось добавить scan.pdf: в файле нет текстового слоя (страницы — изображения, как у скана; нужно распознавание текста). Ничего не сохранено.",
    );
    assert.equal(visible(await send(ADMIN, "photo.txt", Buffer.from([0xff, 0xd8, 0x00, 0x10, 0x4a, 0x46]), ru)), "Не удалось добавить photo.txt: это не текстовый файл. Ничего не сохранено.");

    const before = t.api.sentTo(ADMIN).length;
    t.api.pushMessage({ chatId: ADMIN, text: "/help", languageCode: "ru" });
    const help = visible(await nthSent(ADMIN, before + 1));
    assert.match(help, /Для администраторов\n• Пришлите мне сюда PDF, Word \(\.docx\)/);
    assert.match(help, /\/remove id удаляет документ/);
    assert.doesNotMatch(help, /administrators|Send me/);

    const messageId = reply.result.message_id as number;
    const toasts = t.api.callsTo("answerCallbackQuery").length;
    t.api.pushCallbackQuery({ chatId: ADMIN, messageId, data: button.callback_data, languageCode: "ru" });
    const [toast] = (await t.api.waitForCalls("answerCallbackQuery", toasts + 1)).slice(toasts);
    assert.equal(toast.body.text, "Удаляю…");
    const [edit] = await t.api.waitForCalls("editMessageText", 1, { timeoutMs: 30_000, where: (c) => c.body.message_id === messageId });
    assert.match(visible(edit), /^uploads\/osh-note \(.*\) удален; в ответах его больше нет\.$/);
    assert.ok(!qa.sources().some((s) => s.docId === "uploads/osh-note"));
  });
});

describe("channel posts", () => {
  const press = () => t.api.channel(LISTED_CHANNEL, "Press service of the President", "presskg");

  test("at start the bot checks that it administers each listed channel, and says how to fix it when not", async () => {
    const [ok] = await waitForLog(t.logs, "source_channel_ok");
    assert.equal(ok.chatId, LISTED_CHANNEL);
    const [warning] = await waitForLog(t.logs, "source_channel_not_admin");
    assert.equal(warning.chatId, NOT_ADMINISTERED_CHANNEL);
    assert.match(String(warning.msg), /add the bot as an administrator of the channel/);
  });

  test("an admin's forwarded channel post is dated by the original post, titled by its first line, linked to the post", async () => {
    const date = Date.UTC(2025, 4, 19, 20, 30) / 1000; // 20 May 2025, 02:30 in Bishkek
    const before = t.api.sentTo(ADMIN).length;
    t.api.pushMessage({
      chatId: ADMIN,
      text: "Japarov opens a hydropower plant in Kazarman\nPresident Sadyr Japarov opened the Kazarman cascade's first hydropower unit on the Naryn river.",
      forwardOrigin: { type: "channel", chat: press(), message_id: 42, date },
    });
    const reply = visible(await nthSent(ADMIN, before + 1));
    assert.match(reply, /^Added: Japarov opens a hydropower plant in Kazarman\nDated 20 May 2025\.\nSource: https:\/\/t\.me\/presskg\/42\n\d+ passages?; id channels\/1234567890\/42\./);
    const saved = await readFile(path.join(workspace.corpusDir, "channels/1234567890/42.md"), "utf8");
    assert.match(saved, /^---\ntitle: Japarov opens a hydropower plant in Kazarman\ndate: 2025-05-20\nsource: https:\/\/t\.me\/presskg\/42\npublisher: Press service of the President\n---\n/);

    const answer = await ask("When did Japarov open the first hydropower unit of the Kazarman cascade?");
    assert.match(answer, /20 May 2025/);
    assert.match(answer, /https:\/\/t\.me\/presskg\/42|Japarov opens a hydropower plant in Kazarman — 20 May 2025/);

    const forward = (text: string) => t.api.pushMessage({ chatId: ADMIN, text, forwardOrigin: { type: "channel", chat: press(), message_id: 42, date } });
    forward("Japarov opens a hydropower plant in Kazarman\nPresident Sadyr Japarov opened the Kazarman cascade's first hydropower unit on the Naryn river.");
    assert.match(visible(await nthSent(ADMIN, before + 2)), /^Already in the corpus: Japarov opens a hydropower plant in Kazarman\n/);
    forward("Japarov opens a hydropower plant in Kazarman\nPresident Sadyr Japarov opened the Kazarman cascade's first two hydropower units on the Naryn river.");
    assert.match(visible(await nthSent(ADMIN, before + 3)), /^Updated: Japarov opens a hydropower plant in Kazarman\nDated 20 May 2025\./);
    assert.match(await readFile(path.join(workspace.corpusDir, "channels/1234567890/42.md"), "utf8"), /first two hydropower units/);
  });

  test("a listed channel's post becomes a document, and its edit replaces the text; an unlisted channel's post is ignored", async () => {
    const poll = t.api.callsTo("getUpdates").at(-1)!;
    assert.ok(["channel_post", "edited_channel_post"].every((kind) => poll.body.allowed_updates.includes(kind)), "the bot asks Telegram for channel posts");
    const date = Date.UTC(2025, 6, 8, 6, 0) / 1000; // 8 July 2025
    const post = t.api.pushChannelPost({ chat: press(), date, text: "Japarov receives the credentials of the Ambassador of Malaysia\nPresident Sadyr Japarov received the letters of credence of the new Ambassador of Malaysia at the Yntymak Ordo residence." });
    await waitForLog(t.logs, "channel_post_indexed", 1, 30_000);
    const file = path.join(workspace.corpusDir, `channels/1234567890/${post.message_id}.md`);
    assert.match(await readFile(file, "utf8"), /date: 2025-07-08\nsource: https:\/\/t\.me\/presskg\/\d+/);
    assert.match(await ask("When did Japarov receive the letters of credence of the Ambassador of Malaysia?"), /8 July 2025/);

    t.api.pushChannelEdit(LISTED_CHANNEL, post.message_id, "Japarov receives the credentials of the Ambassador of Indonesia\nPresident Sadyr Japarov received the letters of credence of the new Ambassador of Indonesia at the Yntymak Ordo residence.");
    await waitForLog(t.logs, "channel_post_indexed", 2, 30_000);
    const edited = await ask("When did Japarov receive the letters of credence of the Ambassador of Indonesia?");
    assert.match(edited, /Indonesia/);
    assert.match(edited, /8 July 2025/, "still dated by the original post");
    const doc = qa.sources().find((s) => s.docId === `channels/1234567890/${post.message_id}`);
    assert.equal(doc?.title, "Japarov receives the credentials of the Ambassador of Indonesia");

    const files = await corpusFiles();
    t.api.pushChannelPost({ chat: t.api.channel(UNLISTED_CHANNEL, "Someone else", "someoneelse"), text: "Japarov visits the Moon on 1 August 2025." });
    await waitForLog(t.logs, "channel_post_ignored", 1, 10_000);
    assert.deepEqual(await corpusFiles(), files);
    await assert.rejects(stat(path.join(workspace.corpusDir, "channels/9999999999")));
  });
});

describe("when embedding fails", () => {
  test("the new file is deleted again and the admin gets the reason; a deployment without re-embedding says so", async () => {
    const corpusDir = path.join(workspace.dir, "failing-corpus");
    const failing = await startTestBot({
      reindex: async () => {
        throw new AppError("INDEX_WRITE", "disk full", { userMessage: "Cannot write the index: no space left on the device." });
      },
      config: { corpusDir, adminUserIds: new Set([ADMIN]) },
    });
    try {
      failing.api.pushDocument({ chatId: ADMIN, fileName: "note.txt", bytes: Buffer.from("BISHKEK, 2 May 2025 — A note.") });
      const [reply] = await failing.api.waitForCalls("sendMessage", 1, { timeoutMs: 10_000, where: (c) => c.ok && c.body.chat_id === ADMIN });
      assert.equal(visible(reply), "Could not index note.txt, so it was not added: Cannot write the index: no space left on the device.");
      assert.deepEqual(await readdir(path.join(corpusDir, "uploads")), [], "the saved file was removed again");
    } finally {
      await failing.stop();
    }

    const readOnly = await startTestBot({ config: { corpusDir, adminUserIds: new Set([ADMIN]) } });
    try {
      readOnly.api.pushDocument({ chatId: ADMIN, fileName: "note.txt", bytes: Buffer.from("BISHKEK, 2 May 2025 — A note.") });
      const [reply] = await readOnly.api.waitForCalls("sendMessage", 1, { timeoutMs: 10_000, where: (c) => c.ok && c.body.chat_id === ADMIN });
      assert.equal(visible(reply), "Adding documents is not available in this deployment.");
      assert.equal(readOnly.api.callsTo("getFile").length, 0);
    } finally {
      await readOnly.stop();
    }
  });
});

describe("posts with files", () => {
  test("a listed channel's PDF post and an admin's forwarded Word post are read with their files, dated by the post", async () => {
    const press = t.api.channel(LISTED_CHANNEL, "Press service of the President", "presskg");
    const pdf = makePdf({
      title: "Memorandum on glacier monitoring",
      creationDate: "D:20200101000000Z",
      pages: [["Kyrgyzstan and Switzerland signed a memorandum on glacier monitoring in the Tien Shan mountains.", "The Swiss side will fund twelve new weather stations on the glaciers."]],
    });
    const indexed = logEventsCount("channel_post_indexed");
    const post = t.api.pushChannelPost({ chat: press, date: Date.UTC(2025, 8, 15, 8) / 1000, text: "Glacier monitoring memorandum signed", document: t.api.documentOf("memorandum.pdf", pdf, "application/pdf") });
    await waitForLog(t.logs, "channel_post_indexed", indexed + 1, 30_000);
    const saved = await readFile(path.join(workspace.corpusDir, `channels/1234567890/${post.message_id}.md`), "utf8");
    assert.match(saved, /^---\ntitle: Glacier monitoring memorandum signed\ndate: 2025-09-15\n/);
    assert.match(saved, /twelve new weather stations/);
    assert.match(await ask("When did Kyrgyzstan and Switzerland sign the memorandum on glacier monitoring?"), /15 September 2025/);

    const docx = await makeDocx({ created: "2019-01-01T00:00:00Z", paragraphs: [{ heading: "Japarov visits the Issyk-Kul biosphere reserve" }, "President Sadyr Japarov inspected the snow leopard protection programme in the Issyk-Kul biosphere reserve."] });
    const before = t.api.sentTo(ADMIN).length;
    t.api.pushDocument({ chatId: ADMIN, fileName: "reserve.docx", bytes: docx, forwardOrigin: { type: "channel", chat: press, message_id: 77, date: Date.UTC(2025, 9, 1, 9) / 1000 } });
    const reply = visible(await nthSent(ADMIN, before + 1));
    assert.match(reply, /^Added: Japarov visits the Issyk-Kul biosphere reserve\nDated 1 October 2025\.\nSource: https:\/\/t\.me\/presskg\/77\n/);
  });
});

function logEventsCount(event: string): number {
  return t.logs.filter((line) => line.includes(`"event":"${event}"`)).length;
}

