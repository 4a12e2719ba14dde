/**
 * Starting and stopping: startup calls, graceful shutdown that finishes answers in flight and
 * confirms the handled updates, signal handling, and webhook mode.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { describe, test } from "node:test";
import { createBot, installShutdownHandlers, runBot } from "../src/bot/create-bot.ts";
import { createLogger } from "../src/bot/logger.ts";
import { FakeQaService, sleep, startTestBot, testConfig, TEST_TUNING, waitForLog } from "./bot-helpers.ts";
import { FakeTelegramApi } from "./fakes/telegram-api.ts";

const silent = createLogger({ level: "silent" });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("startup", () => {
  test("the bot gets ready quickly, drops a stale webhook, and registers its commands (best effort)", async () => {
    const api = await FakeTelegramApi.start();
    api.failNext("setMyCommands", 1, { errorCode: 400, description: "Bad Request: BOT_COMMANDS_TOO_MUCH" });
    const config = testConfig(api.apiRoot, api.token);
    const started = Date.now();
    const bot = createBot({ config, qa: new FakeQaService(), logger: silent, tuning: TEST_TUNING });
    const handle = await runBot(bot, { config, stopOnSignals: false });
    try {
      assert.ok(Date.now() - started < 2000, "ready within 2 s");
      assert.equal(handle.mode, "polling");
      assert.equal(api.callsTo("getMe").length, 1);
      assert.equal(api.callsTo("deleteWebhook").length, 1);
      await api.waitForCalls("setMyCommands", 1);
      api.pushMessage({ chatId: 1, text: "When did Japarov meet Cai Qi?" });
      await api.waitForCalls("sendMessage", 1);
    } finally {
      await handle.stop();
      await api.close();
    }
  });
});

describe("startup errors", () => {
  test("a token Telegram rejects is a clear startup error naming TELEGRAM_BOT_TOKEN, without the token", async () => {
    const api = await FakeTelegramApi.start();
    try {
      const wrong = "999999:WRONG-token_value_abcdef";
      const config = testConfig(api.apiRoot, wrong);
      const bot = createBot({ config, qa: new FakeQaService(), logger: silent });
      await assert.rejects(runBot(bot, { config, stopOnSignals: false }), (error: Error) => {
        assert.equal(error.name, "ConfigError");
        assert.match(error.message, /TELEGRAM_BOT_TOKEN was rejected .*401/);
        assert.ok(!error.message.includes("WRONG-token"));
        return true;
      });
    } finally {
      await api.close();
    }
  });
});

describe("an unreachable or stalled Bot API", () => {
  test("at start, a Bot API that refuses connections is logged once, naming TELEGRAM_API_ROOT and the retry schedule", async () => {
    const closed = await FakeTelegramApi.start();
    const apiRoot = closed.apiRoot;
    await closed.close();
    const config = testConfig(apiRoot, closed.token);
    const logs: string[] = [];
    const logger = createLogger({ level: "info", secrets: [closed.token], destination: { write: (line: string) => void logs.push(line) } });
    const bot = createBot({ config, qa: new FakeQaService(), logger, tuning: TEST_TUNING });
    const starting = runBot(bot, { config, logger, stopOnSignals: false });
    const deadline = Date.now() + 2000;
    while (!logs.some((l) => l.includes("api_unreachable")) && Date.now() < deadline) await sleep(10);
    const lines = logs.filter((l) => l.includes("api_unreachable"));
    assert.equal(lines.length, 1);
    const msg = String(JSON.parse(lines[0]).msg);
    assert.ok(msg.includes(`TELEGRAM_API_ROOT=${apiRoot}`), msg);
    assert.match(msg, /getMe: ECONNREFUSED\); retrying after 3 s, .*doubling/);
    assert.ok(!lines[0].includes(closed.token.split(":")[1]), "no token");
    bot.services.shutdown.abort();
    await assert.rejects(starting);
  });

  test("a getUpdates that hangs is abandoned after apiTimeoutSeconds and logged; polling resumes when the API answers again", async () => {
    const t = await startTestBot({ tuning: { apiTimeoutSeconds: 2 } });
    try {
      t.api.stallGetUpdates = true;
      const [stalled] = await waitForLog(t.logs, "api_unreachable", 1, 5000);
      assert.match(String(stalled.msg), /getUpdates: Request to 'getUpdates' timed out after 2 seconds/);
      t.api.stallGetUpdates = false;
      t.api.pushMessage({ chatId: 41, text: "When did Japarov meet Cai Qi?" });
      await t.api.waitForCalls("sendMessage", 1, 8000);
      await waitForLog(t.logs, "api_reachable");
    } finally {
      await t.stop();
    }
  });
});

describe("graceful shutdown", () => {
  test("stop() finishes the answers in flight, takes no new updates, and confirms what it handled", async () => {
    const t = await startTestBot();
    try {
      t.qa.delayMs = 300;
      const chats = [11, 12, 13];
      for (const chatId of chats) t.api.pushMessage({ chatId, text: "When did Japarov meet Cai Qi?" });
      while (t.qa.calls.length < chats.length) await sleep(5);
      const stopping = t.handle.stop();
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await sleep(50);
      assert.equal(stopped, false, "still finishing");
      assert.equal(t.api.callsTo("sendMessage").length, 0);
      await stopping;
      assert.deepEqual(t.api.callsTo("sendMessage", (c) => c.ok).map((c) => c.body.chat_id).sort(), chats);
      await t.handle.stopped;

      const late = t.api.pushMessage({ chatId: 14, text: "Anyone there?" });
      await sleep(100);
      assert.equal(t.qa.calls.length, 3, "nothing taken after stop");
      assert.ok(t.api.confirmedOffset > 3, "handled updates confirmed, so a restart does not answer them again");
      assert.ok(t.api.confirmedOffset <= (late.message_id as number) + 100);

      // A restarted bot answers only what is new.
      const again = await startTestBot({ api: t.api });
      try {
        await again.api.waitForCalls("sendMessage", 4);
        await again.api.settle();
        assert.deepEqual(again.qa.calls.map((c) => c.question), ["Anyone there?"]);
      } finally {
        await again.stop();
      }
    } finally {
      await t.stop();
    }
  });

  test("SIGTERM stops the bot gracefully (stopped resolves); installShutdownHandlers exits 0 after a clean stop", async () => {
    const api = await FakeTelegramApi.start();
    const config = testConfig(api.apiRoot, api.token);
    const qa = new FakeQaService();
    qa.delayMs = 200;
    const bot = createBot({ config, qa, logger: silent, tuning: TEST_TUNING });
    const handle = await runBot(bot, { config, stopOnSignals: true });
    try {
      api.pushMessage({ chatId: 21, text: "When did Japarov meet Cai Qi?" });
      while (qa.calls.length < 1) await sleep(5);
      process.emit("SIGTERM", "SIGTERM");
      await handle.stopped;
      assert.equal(api.callsTo("sendMessage", (c) => c.ok).length, 1, "the answer in flight was delivered");
      assert.equal(process.listenerCount("SIGTERM"), 0, "handlers removed once stopped");
    } finally {
      await handle.stop();
      await api.close();
    }

    const codes: number[] = [];
    let stops = 0;
    const uninstall = installShutdownHandlers({ stop: async () => void stops++ }, { exit: (code) => codes.push(code), signals: ["SIGINT"] });
    try {
      process.emit("SIGINT", "SIGINT");
      await sleep(10);
      assert.deepEqual([stops, codes], [1, [0]]);
    } finally {
      uninstall();
    }
  });
});

describe("webhook mode", () => {
  test("with WEBHOOK_URL the bot serves a webhook: registers it with a secret, answers posted updates, refuses a wrong secret", async () => {
    const api = await FakeTelegramApi.start();
    const port = await freePort();
    const config = testConfig(api.apiRoot, api.token, { webhookUrl: `http://127.0.0.1:${port}/telegram/hook`, port });
    const qa = new FakeQaService();
    const bot = createBot({ config, qa, logger: silent, tuning: TEST_TUNING });
    const handle = await runBot(bot, { config, stopOnSignals: false });
    try {
      assert.equal(handle.mode, "webhook");
      const [set] = api.callsTo("setWebhook");
      assert.equal(set.body.url, `http://127.0.0.1:${port}/telegram/hook`);
      assert.match(String(set.body.secret_token), /^[A-Za-z0-9_-]{20,}$/);
      assert.equal(api.callsTo("getUpdates").length, 0, "no polling");

      const update = api.buildMessageUpdate({ chatId: 31, text: "When did Japarov meet Cai Qi?" });
      assert.equal(await api.deliverWebhook(update, { secretToken: "wrong" }), 401);
      assert.equal(await api.deliverWebhook(update), 200);
      await api.waitForCalls("sendMessage", 1);
      assert.equal(qa.calls.length, 1);

      // Shutdown still finishes an answer in flight.
      qa.delayMs = 200;
      const delivered = api.deliverWebhook(api.buildMessageUpdate({ chatId: 32, text: "And Tokayev?" }));
      while (qa.calls.length < 2) await sleep(5);
      await handle.stop();
      assert.equal(api.sentTo(32).length, 1);
      await delivered.catch(() => undefined);
    } finally {
      await handle.stop();
      await api.close();
    }
  });
});
