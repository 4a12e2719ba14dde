/**
 * The fake Bot API refuses what Telegram refuses and long-polls like Telegram; the bot tests are
 * only as good as these checks.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeTelegramApi, parseTelegramHtml } from "./fakes/telegram-api.ts";

async function call(api: FakeTelegramApi, method: string, body: Record<string, unknown>): Promise<{ ok: boolean; result?: any; description?: string; parameters?: { retry_after?: number } }> {
  const response = await fetch(`${api.apiRoot}/bot${api.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { ok: boolean; result?: any; description?: string };
}

describe("fake Telegram Bot API", () => {
  test("HTML is checked like Telegram does", () => {
    assert.deepEqual(parseTelegramHtml(`<b>a &amp; b</b> <a href="https://x">l</a>`), { ok: true, text: "a & b l" });
    for (const bad of ["<b>open", "a < b", "a & b", "<div>x</div>", "<b><i>x</b></i>", "&nbsp;", "x > y"]) {
      assert.equal(parseTelegramHtml(bad).ok, false, bad);
    }
  });

  test("sendMessage refuses bad HTML, long or empty text and oversized callback data; records every call", async () => {
    const api = await FakeTelegramApi.start();
    try {
      api.pushMessage({ chatId: 1, text: "hi" }); // makes the chat known
      const bad = await call(api, "sendMessage", { chat_id: 1, text: "<x>", parse_mode: "HTML" });
      assert.match(bad.description ?? "", /can't parse entities/);
      assert.match((await call(api, "sendMessage", { chat_id: 1, text: "y".repeat(4097) })).description ?? "", /too long/);
      assert.match((await call(api, "sendMessage", { chat_id: 1, text: " " })).description ?? "", /empty/);
      const keyboard = { inline_keyboard: [[{ text: "[1]", callback_data: "p:" + "x".repeat(63) }]] };
      assert.match((await call(api, "sendMessage", { chat_id: 1, text: "t", reply_markup: keyboard })).description ?? "", /BUTTON_DATA_INVALID/);
      const ok = await call(api, "sendMessage", { chat_id: 1, text: "fine" });
      assert.equal(ok.ok, true);
      assert.match((await call(api, "editMessageText", { chat_id: 1, message_id: ok.result.message_id, text: "fine" })).description ?? "", /not modified/);
      assert.equal(api.callsTo("sendMessage").length, 5);
    } finally {
      await api.close();
    }
  });

  test("failNext scripts 429 with retry_after and 500 for the next N calls", async () => {
    const api = await FakeTelegramApi.start();
    try {
      api.failNext("getMe", 2, { errorCode: 429, retryAfter: 7 });
      const first = await call(api, "getMe", {});
      assert.deepEqual([first.ok, first.parameters?.retry_after], [false, 7]);
      await call(api, "getMe", {});
      assert.equal((await call(api, "getMe", {})).ok, true);
      api.failNext("getMe", 1, { errorCode: 500 });
      assert.equal((await call(api, "getMe", {})).description, "Internal Server Error");
    } finally {
      await api.close();
    }
  });

  test("getUpdates long-polls: returns as soon as an update is pushed, honours offset, and returns at once on close", async () => {
    const api = await FakeTelegramApi.start();
    const started = Date.now();
    const polling = call(api, "getUpdates", { offset: 0, timeout: 10 });
    setTimeout(() => api.pushMessage({ chatId: 1, text: "hello" }), 50);
    const first = await polling;
    assert.equal(first.result.length, 1);
    assert.ok(Date.now() - started < 1000);
    const id = first.result[0].update_id as number;
    assert.equal((await call(api, "getUpdates", { offset: id + 1, timeout: 0 })).result.length, 0, "confirmed updates are gone");
    assert.equal(api.confirmedOffset, id + 1);

    const waiting = call(api, "getUpdates", { offset: id + 1, timeout: 10 }).catch(() => ({ ok: false }));
    await new Promise((r) => setTimeout(r, 30));
    const closing = Date.now();
    await api.close();
    await waiting;
    assert.ok(Date.now() - closing < 1000, "close does not wait for the long poll");
  });
});
