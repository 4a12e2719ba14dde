/**
 * Robustness through the fake Bot API: the error boundary, Telegram's limits and failures
 * (429, 5xx, refused HTML, failing chat actions), the per-user rate limit, admin reindex, token
 * redaction, and an index swapped under the bot.
 */
import type { ReindexSummary } from "../src/bot/services.ts";
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RATE_LIMIT_MESSAGE } from "../src/bot/create-bot.ts";
import { scrubSecrets } from "../src/bot/logger.ts";
import { AppError, GENERIC_APOLOGY, IndexError } from "../src/errors.ts";
import { BuildBusyError } from "../src/store/build-lock.ts";
import type { Chunk } from "../src/domain.ts";
import { FIXTURE_CHUNKS, makeAnswer, sleep, waitForLog, startsBotsPerTest } from "./bot-helpers.ts";
import { parseTelegramHtml, type RecordedCall } from "./fakes/telegram-api.ts";

const start = startsBotsPerTest();

const visible = (call: RecordedCall): string => {
  if (call.body.parse_mode !== "HTML") return String(call.body.text);
  const parsed = parseTelegramHtml(String(call.body.text));
  return parsed.ok ? parsed.text : String(call.body.text);
};

const CHAT = 5151;
const GROUP = -100515;

describe("error boundary", () => {
  test("when answering throws, the user gets a short apology (no stack, no token), the log gets the update id, and the bot keeps answering", async () => {
    const t = await start();
    t.api.pushMessage({ chatId: CHAT, text: "boom please" });
    const q = t.api.pushMessage({ chatId: GROUP, text: "/ask boom in a group" });
    const sent = await t.api.waitForCalls("sendMessage", 2);
    for (const call of sent) assert.equal(visible(call), GENERIC_APOLOGY);
    const groupApology = sent.find((c) => c.body.chat_id === GROUP)!;
    assert.equal(groupApology.body.reply_parameters.message_id, q.message_id, "threaded like an answer");

    const failures = await waitForLog(t.logs, "update_failed", 2);
    assert.equal(failures.length, 2);
    assert.equal(typeof failures[0].updateId, "number");
    assert.match(JSON.stringify(failures[0].err), /kaboom/);

    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    const [, , answer] = await t.api.waitForCalls("sendMessage", 3);
    assert.match(visible(answer), /Japarov met Cai Qi/);

    const chatText = t.api.calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText").map((c) => String(c.body.text)).join("\n");
    assert.doesNotMatch(chatText, /kaboom|\/srv\/secret|at .*\.ts:\d+|Error:/);
    assert.ok(!chatText.includes(t.api.token.split(":")[1]));
  });

  test("an AppError's userMessage is shown instead of the generic apology; a streamed message is replaced by it", async () => {
    const t = await start({ tuning: { streamEditIntervalMs: 20 } });
    t.qa.respond = async (_question, options) => {
      options.onPartial?.("Half an answer");
      await sleep(80);
      throw new AppError("INDEX", "index file corrupt at /data/index/x.bin", { userMessage: "The search index is not available right now." });
    };
    t.api.pushMessage({ chatId: CHAT, text: "When?" });
    const [edit] = await t.api.waitForCalls("editMessageText", 1, { where: (c) => c.ok && /index/.test(String(c.body.text)) });
    const [partial] = t.api.sentTo(CHAT);
    assert.equal(edit.body.message_id, partial.result.message_id, "the half answer is replaced, not left behind");
    assert.equal(visible(edit), "The search index is not available right now.");
  });
});

describe("Telegram limits and failures", () => {
  test("429 with retry_after, then success: the answer is delivered once, after the wait", async () => {
    const t = await start();
    t.api.failNext("sendMessage", 1, { errorCode: 429, retryAfter: 1 });
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    const [ok] = await t.api.waitForCalls("sendMessage", 1, { where: (c) => c.ok, timeoutMs: 5000 });
    const [limited] = t.api.callsTo("sendMessage", (c) => c.errorCode === 429);
    assert.ok(ok.at - limited.at >= 950, `retried after ${ok.at - limited.at} ms`);
    await t.api.settle();
    assert.equal(t.api.sentTo(CHAT).length, 1);
  });

  test("a 500 is retried too", async () => {
    const t = await start();
    t.api.failNext("sendMessage", 1, { errorCode: 500 });
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    await t.api.waitForCalls("sendMessage", 1, { where: (c) => c.ok, timeoutMs: 8000 });
    assert.equal(t.api.callsTo("sendMessage").length, 2);
  });

  test("when Telegram cannot parse the HTML, the answer is resent as plain text with its links and buttons", async () => {
    const t = await start();
    t.api.failNext("sendMessage", 1, {
      errorCode: 400,
      description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3",
      when: (body) => body.parse_mode === "HTML",
    });
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    const [plain] = await t.api.waitForCalls("sendMessage", 1, { where: (c) => c.ok });
    assert.equal(plain.body.parse_mode, undefined);
    assert.match(String(plain.body.text), /\[1\] Japarov meets Cai Qi in Beijing \(https:\/\/english\.news\.cn\/20250903\/japarov-cai-qi\.html\?a=1&b=2\) — 3 Sep 2025/);
    assert.ok(plain.body.reply_markup, "buttons kept");
    assert.equal((await waitForLog(t.logs, "answered")).length, 1);
  });

  test("a failing typing action does not hold up the answer", async () => {
    const t = await start();
    t.api.failNext("sendChatAction", 100, { errorCode: 500 });
    const started = Date.now();
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    await t.api.waitForCalls("sendMessage", 1);
    assert.ok(Date.now() - started < 1500, "not waiting on chat-action retries");
  });
});

describe("Telegram's message limit in lists", () => {
  const oversized = (i: number): Chunk => {
    const title =
      i % 3 === 0
        ? "Antidisestablishmentarianism".repeat(430) // one 12,000-character word
        : i % 3 === 1
          ? "中华人民共和国与吉尔吉斯共和国".repeat(200) // a 3,000-character Chinese sentence
          : `Joint statement of the Kyrgyz Republic and the People's Republic of China on ${"further deepening the comprehensive strategic partnership, ".repeat(40)}`;
    const day = String((i % 28) + 1).padStart(2, "0");
    return { ...FIXTURE_CHUNKS[0], id: `long/doc-${i}#0`, docId: `long/doc-${i}`, ordinal: 0, title, publishedOn: `2024-03-${day}`, sourceName: "Kabar ".repeat(300) };
  };

  test("/sources, /timeline and their page buttons fit 4,096 characters when titles are endless words, long Chinese sentences or long front-matter titles", async () => {
    const t = await start();
    t.qa.chunks = Array.from({ length: 30 }, (_, i) => oversized(i));
    for (const [command, forward] of [["/sources", "Older"], ["/timeline", "Later"]] as const) {
      const before = t.api.sentTo(CHAT).length;
      t.api.pushMessage({ chatId: CHAT, text: command });
      const list = (await t.api.waitForCalls("sendMessage", before + 1, { where: (c) => c.ok && c.body.chat_id === CHAT }))[before];
      const seen = [visible(list)];
      let markup = list.body.reply_markup;
      for (let guard = 0; guard < 40; guard++) {
        const next = markup?.inline_keyboard[0].find((b: { text: string }) => b.text.startsWith(forward));
        if (!next) break;
        const edits = t.api.callsTo("editMessageText").length;
        t.api.pushCallbackQuery({ chatId: CHAT, messageId: list.result.message_id as number, data: next.callback_data });
        const edit = (await t.api.waitForCalls("editMessageText", edits + 1))[edits];
        assert.ok(edit.ok, `${command} page: ${edit.description}`);
        seen.push(visible(edit));
        markup = edit.body.reply_markup;
      }
      const lines = seen.flatMap((page) => page.split("\n")).filter((line) => /—/.test(line));
      assert.equal(lines.length, 30, `${command}: every document on some page`);
      for (const page of seen) assert.ok(page.length <= 4096, `${command} page of ${page.length} characters`);
      assert.ok(lines.every((line) => line.length < 400 && line.includes("…")), `${command}: titles shortened`);
      assert.ok(seen.length > 1 && seen.length < 30, `${command}: ${seen.length} pages, sized by length`);
    }
    assert.equal(t.api.calls.filter((c) => !c.ok && c.method !== "getUpdates").length, 0, "Telegram refused nothing");
  });
});

describe("429 beyond what the bot waits for", () => {
  test("no apology is sent into the same limit, and the update stays in the journal for the next start", async () => {
    const t = await start({ tuning: { maxRetryDelaySeconds: 1 } });
    t.api.failNext("sendMessage", 1, { errorCode: 429, retryAfter: 30 });
    const question = t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    await waitForLog(t.logs, "undelivered");
    await t.api.settle();
    assert.equal(t.api.callsTo("sendMessage").length, 1, "only the refused answer: no apology into the 429");
    const updateId = t.api.lastUpdateId;
    assert.ok(t.bot.services.journal.isPending(updateId), `update ${updateId} (message ${question.message_id}) kept`);
  });
});

describe("rate limit", () => {
  test("a user asking too fast gets one polite notice and no more answers in that window; others are unaffected", async () => {
    const t = await start({ tuning: { rateLimit: 2, rateLimitWindowMs: 60_000 } });
    for (let i = 0; i < 5; i++) t.api.pushMessage({ chatId: CHAT, text: `Question ${i}?` });
    t.api.pushMessage({ chatId: CHAT + 1, text: "When did Japarov meet Cai Qi?" });
    await t.api.waitForCalls("sendMessage", 4);
    await t.api.settle();
    const texts = t.api.sentTo(CHAT).map(visible);
    assert.equal(texts.filter((x) => x === RATE_LIMIT_MESSAGE).length, 1, "one notice");
    assert.equal(texts.length, 3, "two answers and the notice");
    assert.equal(t.api.sentTo(CHAT + 1).length, 1);
    assert.equal(t.qa.calls.length, 3);
  });

  test("button presses count against the same per-user limit: 20 presses send at most the limit's passages and one notice", async () => {
    const t = await start({ tuning: { rateLimit: 3, rateLimitWindowMs: 60_000 } });
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    const [answer] = await t.api.waitForCalls("sendMessage", 1);
    const [button] = answer.body.reply_markup.inline_keyboard[0];
    for (let i = 0; i < 20; i++) t.api.pushCallbackQuery({ chatId: CHAT, messageId: answer.result.message_id as number, data: button.callback_data });
    const answered = await t.api.waitForCalls("answerCallbackQuery", 20);
    await t.api.settle();
    assert.equal(t.api.sentTo(CHAT).length, 3, "the answer and two passages (limit 3)");
    assert.equal(answered.filter((c) => c.body.text === RATE_LIMIT_MESSAGE).length, 1, "one notice, as a toast");
  });

  test("group chatter does not count against anyone's limit", async () => {
    const t = await start({ tuning: { rateLimit: 1, rateLimitWindowMs: 60_000 } });
    for (let i = 0; i < 5; i++) t.api.pushMessage({ chatId: GROUP, fromId: 9, text: `chatter ${i}` });
    t.api.pushMessage({ chatId: GROUP, fromId: 9, text: "/ask When did Japarov meet Cai Qi?" });
    const [answer] = await t.api.waitForCalls("sendMessage", 1);
    assert.match(visible(answer), /Japarov met Cai Qi/);
  });
});

describe("/reindex", () => {
  const ADMIN = 4242;
  const SUMMARY: ReindexSummary = { added: 0, changed: 1, removed: 0, unchanged: 4, chunks: 42, seconds: 0.4 };

  test("an admin's /reindex runs in the background and replies with its summary; the chat keeps being answered meanwhile", async () => {
    let finish!: (summary: ReindexSummary) => void;
    let calls = 0;
    const t = await start({
      config: { adminUserIds: new Set([ADMIN]) },
      reindex: () => {
        calls++;
        return new Promise<ReindexSummary>((resolve) => (finish = resolve));
      },
    });
    t.api.pushMessage({ chatId: ADMIN, text: "/reindex" });
    const [ack] = await t.api.waitForCalls("sendMessage", 1);
    assert.match(visible(ack), /Reindexing the corpus in the background/);
    t.api.pushMessage({ chatId: ADMIN, text: "/reindex" });
    t.api.pushMessage({ chatId: ADMIN, text: "When did Japarov meet Cai Qi?" });
    const [, busy, answer] = await t.api.waitForCalls("sendMessage", 3);
    assert.match(visible(busy), /already running/);
    assert.match(visible(answer), /Japarov met Cai Qi/);
    finish(SUMMARY);
    const [, , , summary] = await t.api.waitForCalls("sendMessage", 4);
    assert.equal(visible(summary), "Reindex finished: 0 added, 1 changed, 0 removed, 4 unchanged; 42 chunks in 0.4 s.");
    assert.equal(calls, 1);
  });

  test("others are refused, and a failing reindex reports its user message without server paths", async () => {
    let calls = 0;
    const t = await start({
      config: { adminUserIds: new Set([ADMIN]) },
      reindex: async () => {
        calls++;
        // As the corpus reader words it, with the path in the user message too.
        throw new AppError("INDEX", "disk full at /var/x", { userMessage: "Cannot read the corpus directory /srv/visits/corpus: ENOENT." });
      },
    });
    t.api.pushMessage({ chatId: 99, text: "/reindex" });
    t.api.pushMessage({ chatId: GROUP, fromId: 98, text: "/reindex" });
    const refusals = await t.api.waitForCalls("sendMessage", 2);
    for (const r of refusals) assert.match(visible(r), /only the bot's administrators/);
    assert.equal(calls, 0);

    t.api.pushMessage({ chatId: ADMIN, text: "/reindex" });
    const [, , , failed] = await t.api.waitForCalls("sendMessage", 4);
    assert.equal(visible(failed), "Reindex failed. Cannot read the corpus directory …/corpus: ENOENT.");
    assert.doesNotMatch(t.api.calls.map((c) => String(c.body.text ?? "")).join(), /disk full/);
  });

  test("a user whose Telegram is in Russian gets the acknowledgement, the summary and the refusal in Russian", async () => {
    const t = await start({ config: { adminUserIds: new Set([ADMIN]) }, reindex: async () => SUMMARY });
    t.api.pushMessage({ chatId: 99, text: "/reindex", languageCode: "ru" });
    const [refused] = await t.api.waitForCalls("sendMessage", 1);
    assert.equal(visible(refused), "Извините, /reindex могут запускать только администраторы бота.");
    t.api.pushMessage({ chatId: ADMIN, text: "/reindex", languageCode: "ru" });
    const [, ack, summary] = await t.api.waitForCalls("sendMessage", 3);
    assert.match(visible(ack), /^Переиндексирую корпус в фоне/);
    assert.equal(visible(summary), "Переиндексация завершена: добавлено 0, изменено 1, удалено 0, без изменений 4; фрагментов: 42, за 0.4 с.");
  });

  test("a Russian-speaking admin is told in Russian why a reindex failed: another build running, or the index unavailable", async () => {
    const failures = [new BuildBusyError("the build lock in /srv/index is held by pid 7"), new IndexError("Cannot read /srv/index/CURRENT: EIO")];
    const t = await start({
      config: { adminUserIds: new Set([ADMIN]) },
      reindex: async () => {
        throw failures.shift();
      },
    });
    t.api.pushMessage({ chatId: ADMIN, text: "/reindex", languageCode: "ru" });
    const [, busy] = await t.api.waitForCalls("sendMessage", 2);
    assert.equal(visible(busy), "Переиндексация не удалась. Еще идет другая сборка индекса; попробуйте снова, когда она закончится.");
    t.api.pushMessage({ chatId: ADMIN, text: "/reindex", languageCode: "ru" });
    const [, , , unavailable] = await t.api.waitForCalls("sendMessage", 4);
    assert.equal(visible(unavailable), "Переиндексация не удалась. Поисковый индекс сейчас недоступен. Попробуйте позже.");
    assert.doesNotMatch(t.api.calls.map((c) => String(c.body.text ?? "")).join(), /srv|pid 7|EIO/);
  });
});

describe("logs", () => {
  test("the token never appears in a log line, whatever carries it", async () => {
    const t = await start();
    t.api.pushMessage({ chatId: CHAT, text: "boom" });
    await t.api.waitForCalls("sendMessage", 1);
    await t.handle.stop();
    const all = t.logs.join("\n");
    assert.ok(all.length > 0);
    assert.ok(!all.includes(t.api.token), "whole token");
    assert.ok(!all.includes(t.api.token.split(":")[1]), "secret half");
    assert.match(all, /\[REDACTED\]/, "the error message that carried it was scrubbed, not dropped");
  });

  test("scrubSecrets removes the token, its secret half and its URL-encoded form", () => {
    const token = "123456:AAE-secret_part_xyz";
    const line = `url=/bot${token}/getMe half=AAE-secret_part_xyz enc=${encodeURIComponent(token)}`;
    assert.equal(scrubSecrets(line, [token]), "url=/bot[REDACTED]/getMe half=[REDACTED] enc=[REDACTED]");
  });
});

describe("index swapped under the bot (hot reload is the QaService's job)", () => {
  test("a question in flight during a reload is answered, and later buttons resolve against the new index", async () => {
    const t = await start();
    t.qa.delayMs = 150;
    t.api.pushMessage({ chatId: CHAT, text: "When did Japarov meet Cai Qi?" });
    await sleep(50);
    // Reload: a new build with one more document.
    t.qa.chunks = [...FIXTURE_CHUNKS, { ...FIXTURE_CHUNKS[1], id: "2025-10-01_new-visit#0", docId: "2025-10-01_new-visit", title: "A new visit", publishedOn: "2025-10-01" }];
    t.qa.builtAt = "2025-10-02T00:00:00.000Z";
    const [answer] = await t.api.waitForCalls("sendMessage", 1);
    assert.match(visible(answer), /Japarov met Cai Qi/);
    t.qa.delayMs = 0;
    t.qa.respond = (question) =>
      makeAnswer({ question, text: "On 1 October 2025 [1].", citations: [{ n: 1, docId: "2025-10-01_new-visit", title: "A new visit", date: "2025-10-01", source: null, quote: "", chunkId: "2025-10-01_new-visit#0" }] });
    t.api.pushMessage({ chatId: CHAT, text: "And the new visit?" });
    const [, fresh] = await t.api.waitForCalls("sendMessage", 2);
    t.api.pushCallbackQuery({ chatId: CHAT, messageId: fresh.result.message_id as number, data: fresh.body.reply_markup.inline_keyboard[0][0].callback_data });
    const [, , passage] = await t.api.waitForCalls("sendMessage", 3);
    assert.match(visible(passage), /^\[1\] A new visit\n1 Oct 2025/);
  });
});
