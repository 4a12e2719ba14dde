/**
 * Load through the real bot: `total` questions from `chats` chats pushed at once into the fake
 * Bot API, long-polled by the real bot (createBot + runBot), answered by the given QaService.
 * Every question must be answered exactly once; latency is measured from the moment the update
 * is queued to the moment the fake receives the answer's last message.
 *
 * Chats alternate private chats and supergroups (`/ask` from a different member each time).
 * The fake Bot API runs in a worker thread, as Telegram runs on other machines: the figures are
 * the bot's, not the fake's. Run directly for a quick figure with a fake QaService:
 * `node --import tsx test/bench-bot-load.ts`.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { QaService } from "../src/answering/answerer.ts";
import { createBot, runBot } from "../src/bot/create-bot.ts";
import { createLogger } from "../src/bot/logger.ts";
import { DEFAULT_TUNING } from "../src/bot/tuning.ts";
import { UpdateJournal } from "../src/bot/update-journal.ts";
import { FakeTelegramApi, type PushMessageInput, type RecordedCall } from "./fakes/telegram-api.ts";
import { FakeQaService, testConfig } from "./bot-helpers.ts";

/** What one load run measured. */
export interface BotLoadResult {
  /** Questions that got an answer. */
  answered: number;
  /** Extra answers beyond one per question (must be 0). */
  duplicates: number;
  /** Questions with no answer before the timeout (must be 0). */
  lost: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Wall time from the first question queued to the last answer received. */
  seconds: number;
  /** Bot API calls the bot made during the run, by method (getUpdates excluded). */
  apiCalls: Record<string, number>;
}

interface Asked {
  chatId: number;
  messageId: number;
  updateId: number;
  queuedAt: number;
  private: boolean;
}

interface AnsweredLine {
  updateId: number;
  parts: number;
  streamedUpdates: number;
}

// ---- the fake Bot API in a worker thread ------------------------------------------------------

type Request = { id: number } & ({ op: "push"; inputs: PushMessageInput[] } | { op: "calls" } | { op: "settle" } | { op: "close" });

const WORKER_ROLE = "fake-telegram-api";

async function serveFakeInWorker(): Promise<void> {
  const api = await FakeTelegramApi.start();
  const port = parentPort!;
  port.postMessage({ ready: true, apiRoot: api.apiRoot, token: api.token });
  port.on("message", async (request: Request) => {
    switch (request.op) {
      case "push": {
        const asked = request.inputs.map((input) => {
          const message = api.pushMessage(input);
          return { messageId: message.message_id, updateId: api.lastUpdateId, queuedAt: Date.now() };
        });
        return port.postMessage({ id: request.id, result: asked });
      }
      case "calls":
        return port.postMessage({ id: request.id, result: api.calls.filter((c) => c.method !== "getUpdates") });
      case "settle":
        await api.settle({ quietMs: 200, timeoutMs: 2000 });
        return port.postMessage({ id: request.id, result: null });
      case "close":
        await api.close();
        port.postMessage({ id: request.id, result: null });
        return port.close();
    }
  });
}

/** The main thread's handle on the worker's fake. */
class RemoteFake {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(
    private readonly worker: Worker,
    readonly apiRoot: string,
    readonly token: string,
  ) {
    worker.on("message", (message: { id?: number; result?: unknown }) => {
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    });
  }

  static async start(): Promise<RemoteFake> {
    // A worker does not inherit the TypeScript loader: register tsx in it, then run this very file.
    const tsxApi = import.meta.resolve("tsx/esm/api");
    const source = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(source, { eval: true, workerData: { role: WORKER_ROLE } });
    const ready = await new Promise<{ apiRoot: string; token: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    return new RemoteFake(worker, ready.apiRoot, ready.token);
  }

  private request<T>(body: Omit<Extract<Request, { op: string }>, "id"> & { op: Request["op"] }): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (value: unknown) => void);
      this.worker.postMessage({ ...body, id });
    });
  }

  push(inputs: PushMessageInput[]): Promise<Array<{ messageId: number; updateId: number; queuedAt: number }>> {
    return this.request({ op: "push", inputs } as Omit<Request, "id">);
  }

  calls(): Promise<RecordedCall[]> {
    return this.request({ op: "calls" });
  }

  settle(): Promise<void> {
    return this.request({ op: "settle" });
  }

  async close(): Promise<void> {
    await this.request({ op: "close" });
    await this.worker.terminate();
  }
}

// ---- the load -----------------------------------------------------------------------------

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Runs the load and returns its figures; the bot and the fake are stopped before it resolves. */
export async function runBotLoad(options: {
  qa: QaService;
  questions: string[];
  chats: number;
  total: number;
  /** Give up waiting for answers after this many ms. Default 60,000. */
  timeoutMs?: number;
  /** The update journal's file, as in production (fsync per batch). Default: journal in memory. */
  journalFile?: string;
}): Promise<BotLoadResult> {
  const { qa, questions, chats, total } = options;
  if (questions.length === 0 || chats < 1 || total < 1) throw new Error("runBotLoad needs questions, chats ≥ 1 and total ≥ 1");
  const fake = await RemoteFake.start();
  const config = testConfig(fake.apiRoot, fake.token, { logLevel: "info" });
  const answeredLines: AnsweredLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.includes('"event":"answered"')) continue;
        const entry = JSON.parse(line) as AnsweredLine;
        answeredLines.push({ updateId: entry.updateId, parts: entry.parts, streamedUpdates: entry.streamedUpdates });
      }
      callback();
    },
  });
  const logger = createLogger({ level: "info", secrets: [fake.token], destination });
  const perPrivateChat = Math.ceil(total / chats);
  // Production settings, except that a private chat's owner may fire all of its questions at once.
  const journal = options.journalFile ? await UpdateJournal.open(options.journalFile) : undefined;
  const bot = createBot({ config, qa, logger, ...(journal ? { journal } : {}), tuning: { rateLimit: Math.max(DEFAULT_TUNING.rateLimit, perPrivateChat) } });

  let asked: Asked[] = [];
  let calls: RecordedCall[] = [];
  try {
    const handle = await runBot(bot, { config, logger, stopOnSignals: false, registerCommands: false });
    try {
      const inputs: PushMessageInput[] = [];
      const privateFlags: boolean[] = [];
      for (let i = 0; i < total; i++) {
        const c = i % chats;
        const isPrivate = c % 2 === 0;
        const chatId = isPrivate ? 10_000 + c : -(10_000 + c);
        const question = questions[i % questions.length];
        inputs.push(
          isPrivate
            ? { chatId, chatType: "private", text: question }
            : { chatId, chatType: "supergroup", fromId: 50_000 + i, text: `/ask ${question}` },
        );
        privateFlags.push(isPrivate);
      }
      const pushed = await fake.push(inputs);
      asked = pushed.map((p, i) => ({ ...p, chatId: inputs[i].chatId, private: privateFlags[i] }));

      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      while (new Set(answeredLines.map((l) => l.updateId)).size < total && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await fake.settle();
    } finally {
      await handle.stop();
    }
    calls = await fake.calls();
  } finally {
    await fake.close();
  }
  return analyse(asked, calls, answeredLines);
}

/** Matches answers to questions: by quoted message in groups, by order in private chats. */
function analyse(asked: readonly Asked[], calls: readonly RecordedCall[], answeredLines: readonly AnsweredLine[]): BotLoadResult {
  const linesByUpdate = new Map<number, AnsweredLine[]>();
  for (const line of answeredLines) linesByUpdate.set(line.updateId, [...(linesByUpdate.get(line.updateId) ?? []), line]);
  const delivered = calls.filter((c) => c.ok && (c.method === "sendMessage" || c.method === "editMessageText"));
  const firstQueued = Math.min(...asked.map((a) => a.queuedAt));
  const latencies: number[] = [];
  let answered = 0;
  let duplicates = 0;
  let lost = 0;
  let lastAt = firstQueued;

  const record = (a: Asked, at: number | undefined, times: number): void => {
    if (times === 0 || at === undefined) {
      lost++;
      return;
    }
    answered++;
    duplicates += times - 1;
    latencies.push(at - a.queuedAt);
    lastAt = Math.max(lastAt, at);
  };

  for (const a of asked.filter((x) => !x.private)) {
    const lines = linesByUpdate.get(a.updateId) ?? [];
    const parts = lines[0]?.parts ?? 1;
    const replies = delivered.filter((c) => c.method === "sendMessage" && c.body.chat_id === a.chatId && c.body.reply_parameters?.message_id === a.messageId);
    record(a, replies.at(-1)?.at, replies.length === 0 ? 0 : Math.max(lines.length, Math.round(replies.length / parts)));
  }

  for (const chatId of new Set(asked.filter((x) => x.private).map((x) => x.chatId))) {
    const sends = delivered.filter((c) => c.method === "sendMessage" && c.body.chat_id === chatId);
    const edits = delivered.filter((c) => c.method === "editMessageText" && c.body.chat_id === chatId);
    let cursor = 0;
    for (const a of asked.filter((x) => x.chatId === chatId)) {
      const lines = linesByUpdate.get(a.updateId) ?? [];
      if (lines.length === 0) {
        record(a, undefined, 0);
        continue;
      }
      const mine = sends.slice(cursor, cursor + lines[0].parts);
      cursor += lines[0].parts;
      const streamedId = lines[0].streamedUpdates > 0 ? (mine[0]?.result?.message_id as number | undefined) : undefined;
      const finalEdit = streamedId !== undefined ? edits.filter((e) => e.body.message_id === streamedId).at(-1) : undefined;
      record(a, Math.max(mine.at(-1)?.at ?? 0, finalEdit?.at ?? 0) || undefined, lines.length);
    }
    if (cursor < sends.length) duplicates += sends.length - cursor; // messages no question accounts for
  }

  const sorted = latencies.slice().sort((x, y) => x - y);
  return {
    answered,
    duplicates,
    lost,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    seconds: Math.round(lastAt - firstQueued) / 1000,
    apiCalls: Object.fromEntries([...new Set(calls.map((c) => c.method))].map((m) => [m, calls.filter((c) => c.method === m).length])),
  };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  await serveFakeInWorker();
} else if (isMainThread && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runBotLoad({
    qa: new FakeQaService(),
    questions: ["When did Japarov meet Cai Qi?", "What did Tokayev do in Beijing?", "What was signed?", "Who met Xi Jinping in 2025?"],
    chats: 50,
    total: 200,
    // As `npm start` runs: with the durable journal (in a temp directory).
    journalFile: process.env.NO_JOURNAL ? undefined : path.join(await mkdtemp(path.join(os.tmpdir(), "bot-load-")), "updates.jsonl"),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
