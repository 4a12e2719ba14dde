/**
 * Answers survive the process: `npm start`'s entry point runs as a child process against the
 * fake Bot API (and, for generative answers, the fake OpenAI server); it is killed with SIGKILL
 * while answers stream, or sent SIGTERM while Telegram keeps failing, and then started again.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { UpdateJournal } from "../src/bot/update-journal.ts";
import { sleep } from "./bot-helpers.ts";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "./fakes/openai-server.ts";
import { FakeTelegramApi, parseTelegramHtml } from "./fakes/telegram-api.ts";
import { MODEL_CACHE_DIR, REPO_ROOT, tempWorkspace } from "./support/fixtures.ts";

type Workspace = Awaited<ReturnType<typeof tempWorkspace>>;

/** A bot process: its log lines (pino JSON on stdout) and how it ended. */
interface BotProcess {
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts `src/main.ts` with only the given environment; resolves once it logs "bot ready". */
async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", MODEL_CACHE_DIR, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = "";
  let rest = "";
  child.stdout!.on("data", (data: Buffer) => {
    const lines = (rest + data.toString("utf8")).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on("data", (data: Buffer) => (stderr += data));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const deadline = Date.now() + 30_000;
  while (!logs.some((l) => l.msg === "bot ready")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the bot did not get ready: ${stderr}${JSON.stringify(logs.slice(-3))}`);
    }
    await sleep(20);
  }
  return { child, logs, exited };
}

/** How many half-streamed messages the journal file records (0 while it cannot be read). */
function streamedRecords(file: string): number {
  try {
    return readFileSync(file, "utf8").split("\n").filter((line) => line.includes('"op":"streamed"')).length;
  } catch {
    return 0;
  }
}

/** Polls until `check` holds (default 15 s). */
async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

let workspace: Workspace;
let api: FakeTelegramApi;
let running: BotProcess[] = [];

before(async () => {
  workspace = await tempWorkspace();
});

after(async () => {
  for (const bot of running) if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
  await workspace?.cleanup();
});

const baseEnv = (stateDir: string): Record<string, string> => ({
  TELEGRAM_BOT_TOKEN: api.token,
  TELEGRAM_API_ROOT: api.apiRoot,
  CORPUS_DIR: workspace.corpusDir,
  INDEX_DIR: workspace.indexDir,
  BOT_STATE_DIR: path.join(workspace.dir, stateDir),
  EMBEDDINGS: "local",
});

describe("answers survive a crash", () => {
  let openai: FakeOpenAIServer;
  before(async () => {
    openai = await startFakeOpenAIServer();
    api = await FakeTelegramApi.start();
  });
  after(async () => {
    await api.close();
    await openai.close();
  });

  test("SIGKILL while five streamed answers are half written: after the restart every question is answered and each half message is replaced", async () => {
    const env = { ...baseEnv("state-kill"), OPENAI_API_KEY: "sk-test-durable-0000", OPENAI_BASE_URL: `${openai.url}/v1`, CHAT_MODEL: "fake-chat" };
    const first = await startBotProcess(env);
    running.push(first);
    const slow = "Sadyr Japarov met Cai Qi in Beijing during his working visit to China [1].";
    openai.scriptChat(...Array.from({ length: 5 }, () => ({ text: slow, chunks: slow.match(/.{1,6}/g)!, chunkDelayMs: 400 })));
    const chats = [901, 902, 903, 904, 905];
    for (const chatId of chats) api.pushMessage({ chatId, text: "When did Japarov meet Cai Qi?" });
    await until("every chat shows a partial answer", () => chats.every((chatId) => api.sentTo(chatId).length === 1), 60_000);
    // Killed only once the journal holds each half message's id: a kill between Telegram
    // accepting the message and the journal's fsync leaves that one half message behind
    // (the answer then comes as a new message), the rare case the README states.
    const journalFile = path.join(workspace.dir, "state-kill", "updates.jsonl");
    await until("the journal records the five half messages", () => streamedRecords(journalFile) === chats.length, 60_000);
    first.child.kill("SIGKILL");
    await first.exited;
    assert.ok(api.confirmedOffset > api.lastUpdateId, "Telegram was already told to forget the five updates");
    for (const chatId of chats) {
      const [partial] = api.sentTo(chatId);
      assert.match(String(api.message(chatId, partial.result.message_id)?.text), /…$/, "left half written");
    }

    const second = await startBotProcess(env);
    running.push(second);
    const finalText = (chatId: number): string => {
      const [partial] = api.sentTo(chatId);
      return String(api.message(chatId, partial.result.message_id)?.text);
    };
    // A correctness bound, not a timing one: on a loaded CI machine the restart (index checks, replay) can take a while.
    await until("every half message is replaced by a final answer", () => chats.every((chatId) => /Sources/.test(finalText(chatId))), 90_000);
    for (const chatId of chats) {
      assert.equal(api.sentTo(chatId).length, 1, `chat ${chatId}: the half message was edited, no second message`);
      assert.doesNotMatch(finalText(chatId), /…$/);
      assert.match(finalText(chatId), /\[1\]/);
    }
    assert.equal(second.logs.find((l) => l.event === "resuming")?.updates, 5);
    second.child.kill("SIGTERM");
    assert.equal((await second.exited).code, 0);
  });
});

describe("SIGTERM while Telegram fails", () => {
  before(async () => {
    api = await FakeTelegramApi.start();
  });
  after(async () => {
    await api.close();
  });

  test("SIGTERM while sendMessage keeps failing with 500 exits within its budget, keeps the update, and a restart answers it once", async () => {
    const env: Record<string, string> = { ...baseEnv("state-term"), SHUTDOWN_TIMEOUT_MS: "4000" };
    const first = await startBotProcess(env);
    running.push(first);
    api.failNext("sendMessage", 1000, { errorCode: 500 });
    api.pushMessage({ chatId: 911, text: "When did Japarov meet Cai Qi?" });
    await api.waitForCalls("sendMessage", 1, { timeoutMs: 10_000 });
    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    const end = await first.exited;
    assert.ok(end.at - signalledAt < 4000, `exited ${end.at - signalledAt} ms after SIGTERM (budget 4,000 ms)`);
    assert.equal(api.callsTo("sendMessage", (c) => c.ok).length, 0, "nothing was delivered");

    const journal = await UpdateJournal.open(path.join(env.BOT_STATE_DIR, "updates.jsonl"));
    assert.deepEqual(journal.pending().map((p) => p.update.update_id), [api.lastUpdateId], "the undelivered update is not confirmed as handled");
    await journal.close();

    api.clearFailures();
    const second = await startBotProcess(env);
    running.push(second);
    const [answer] = await api.waitForCalls("sendMessage", 1, { where: (c) => c.ok, timeoutMs: 10_000 });
    const visible = parseTelegramHtml(String(answer.body.text));
    assert.ok(visible.ok && /Japarov/.test(visible.text), "the question is answered after the restart");
    await api.settle();
    assert.equal(api.sentTo(911).length, 1, "answered once");
    second.child.kill("SIGTERM");
    assert.equal((await second.exited).code, 0);
  });
});
