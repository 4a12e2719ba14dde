/**
 * Test support for the bot: a small deterministic QaService built on the real `Answer` type, a
 * Config for the fake Bot API, and `startTestBot`, which runs the real bot (createBot + runBot,
 * long polling) against a fresh FakeTelegramApi and captures its log lines.
 */
import type { ReindexSummary } from "../src/bot/services.ts";
import { afterEach } from "node:test";
import { Writable } from "node:stream";
import type { AskOptions, CorpusOverview, QaService, SourceEntry, Turn } from "../src/answering/answerer.ts";
import { CONVERSATION_DEFAULTS, type Config } from "../src/config.ts";
import type { Answer, Chunk, Citation } from "../src/domain.ts";
import { createBot, runBot, type BotHandle, type BotWithServices } from "../src/bot/create-bot.ts";
import type { BotContext } from "../src/bot/context.ts";
import { createLogger } from "../src/bot/logger.ts";
import type { BotTuning } from "../src/bot/tuning.ts";
import type { Bot } from "grammy";
import { FakeTelegramApi, parseTelegramHtml, type RecordedCall } from "./fakes/telegram-api.ts";
import assert from "node:assert/strict";

/** A chunk id longer than `callback_data` allows once prefixed (forces the hashed form). */
export const LONG_CHUNK_ID =
  "archive/official-visits/kyrgyzstan-china/2025-09-03_japarov-meets-cai-qi-in-beijing-on-trade-and-investment#12";

function chunk(id: string, fields: Partial<Chunk> & Pick<Chunk, "title" | "publishedOn" | "text">): Chunk {
  const [docId, ordinal] = id.split("#");
  return {
    id,
    docId,
    sourceName: null,
    sourceUrl: null,
    ordinal: Number(ordinal),
    start: 0,
    end: fields.text.length,
    ...fields,
  };
}

/** The passages the fake answers from. */
export const FIXTURE_CHUNKS: readonly Chunk[] = [
  chunk("000_e8cdec5b749d1b60#3", {
    title: "Japarov meets Cai Qi in Beijing",
    publishedOn: "2025-09-03",
    sourceName: "Xinhua",
    sourceUrl: "https://english.news.cn/20250903/japarov-cai-qi.html?a=1&b=2",
    text: "On 3 September 2025, President Sadyr Japarov met Cai Qi in Beijing. They discussed trade & transport <corridors>.",
  }),
  chunk("kazakhstan/2024-09-02_tokayev-beijing#0", {
    title: "Tokayev visits Beijing",
    publishedOn: "2024-09-02",
    text: "Kassym-Jomart Tokayev arrived in Beijing on 2 September 2024.",
  }),
  chunk(LONG_CHUNK_ID, {
    title: 'Talks on "trade" & <investment>',
    publishedOn: "2025-09-03",
    sourceName: "Kabar",
    sourceUrl: "https://kabar.kg/news/talks",
    text: "The sides signed agreements on investment and the China–Kyrgyzstan–Uzbekistan railway.",
  }),
  chunk("undated-note#0", { title: "Background note", publishedOn: null, text: "An undated background note." }),
];

const citationOf = (n: number, c: Chunk): Citation => ({
  n,
  docId: c.docId,
  title: c.title,
  date: c.publishedOn,
  source: c.sourceUrl,
  quote: c.text,
  chunkId: c.id,
});

/** An Answer with sensible defaults. */
export function makeAnswer(fields: Partial<Answer> & Pick<Answer, "question">): Answer {
  return {
    mode: "extractive",
    text: "",
    citations: [],
    passages: [],
    refused: false,
    outcome: fields.refused ? "refuse" : "answer",
    timings: { retrieveMs: 0.1, answerMs: 0.1 },
    ...fields,
  };
}

/** The text of the fake's default answer. */
export const DEFAULT_ANSWER_TEXT = "On 3 September 2025, Japarov met Cai Qi in Beijing [1]. They signed agreements on investment [2].";
/** The documents the default answer cites (the first and third fixture chunks'), as a remembered turn keeps them. */
export const DEFAULT_ANSWER_DOC_IDS = [FIXTURE_CHUNKS[0].docId, FIXTURE_CHUNKS[2].docId];

/** One recorded `ask` call. */
export interface AskCall {
  question: string;
  history: readonly Turn[];
  streamed: boolean;
}

/**
 * A deterministic QaService. By default: questions containing "boom" throw, "unknown" or
 * "weather" are refused, anything else is answered citing the first and third fixture chunks.
 * `respond` replaces the default; `delayMs` slows every answer down.
 */
export class FakeQaService implements QaService {
  readonly calls: AskCall[] = [];
  delayMs = 0;
  respond: ((question: string, options: AskOptions) => Promise<Answer> | Answer) | undefined;
  builtAt = "2025-10-01T00:00:00.000Z";
  chunks: Chunk[] = [...FIXTURE_CHUNKS];

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    this.calls.push({ question, history: options.history ?? [], streamed: options.onPartial !== undefined });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.respond) return this.respond(question, options);
    if (/boom/i.test(question)) {
      throw new Error(`kaboom: internal failure at /srv/secret/path (token ${"123456789:TEST-fake_token_for_tests"})`);
    }
    if (/unknown|weather/i.test(question)) {
      return makeAnswer({ question, text: "The documents I have do not cover this question.", refused: true });
    }
    const [first, , third] = this.chunks;
    return makeAnswer({
      question,
      text: DEFAULT_ANSWER_TEXT,
      citations: [citationOf(1, first), citationOf(2, third)],
      passages: [
        { chunk: first, score: 0.9 },
        { chunk: third, score: 0.8 },
      ],
    });
  }

  overview(): CorpusOverview {
    return { documents: this.sources().length, chunks: this.chunks.length, firstDate: "2024-09-02", lastDate: "2025-09-03", builtAt: this.builtAt };
  }

  sources(): SourceEntry[] {
    const byDoc = new Map<string, SourceEntry>();
    for (const c of this.chunks) {
      const entry = byDoc.get(c.docId) ?? { docId: c.docId, title: c.title, publishedOn: c.publishedOn, sourceName: c.sourceName, sourceUrl: c.sourceUrl, chunks: 0 };
      entry.chunks = Math.max(entry.chunks, c.ordinal + 1);
      byDoc.set(c.docId, entry);
    }
    return [...byDoc.values()].sort((a, b) => {
      if (a.publishedOn === b.publishedOn) return 0;
      if (a.publishedOn === null) return 1;
      if (b.publishedOn === null) return -1;
      return a.publishedOn < b.publishedOn ? 1 : -1;
    });
  }

  chunk(chunkId: string): Chunk | null {
    return this.chunks.find((c) => c.id === chunkId) ?? null;
  }

  chunkIds(): string[] {
    return this.chunks.map((c) => c.id);
  }

  async exampleQuestions(count: number): Promise<string[]> {
    return ["When did Japarov meet Cai Qi?", "What did Tokayev do in Beijing?"].slice(0, count);
  }
}

/** A Config for the bot against a fake API root. */
export function testConfig(apiRoot: string, token: string, overrides: Partial<Config> = {}): Config {
  return {
    telegramToken: token,
    telegramApiRoot: apiRoot,
    webhookUrl: null,
    port: 0,
    openaiApiKey: null,
    openaiBaseUrl: null,
    chatModel: "gpt-4o-mini",
    embeddingModel: "text-embedding-3-small",
    embeddings: "local",
    openaiTimeoutMs: 20_000,
    corpusDir: "corpus",
    indexDir: "data/index",
    modelCacheDir: "data/models",
    allowedChatIds: null,
    adminUserIds: new Set<number>(),
    sourceChannelIds: new Set<number>(),
    uploadMaxBytes: 20 * 1024 * 1024,
    newsTimeZone: "UTC",
    logLevel: "info",
    botStateDir: "data/bot",
    shutdownTimeoutMs: 30_000,
    historyTurns: CONVERSATION_DEFAULTS.historyTurns,
    followUpWindowMs: CONVERSATION_DEFAULTS.followUpWindowMs,
    ...overrides,
  };
}

/** Fast intervals for tests. */
export const TEST_TUNING: Partial<BotTuning> = {
  streamEditIntervalMs: 100,
  typingDelayMs: 0,
  typingIntervalMs: 200,
  rateLimit: 50,
  rateLimitWindowMs: 60_000,
};

/** A running bot against a fake Bot API, with captured logs. */
export interface TestBot<Q extends QaService = FakeQaService> {
  api: FakeTelegramApi;
  qa: Q;
  bot: BotWithServices;
  handle: BotHandle;
  /** Every log line the bot wrote, raw JSON text. */
  logs: string[];
  /** Stops the bot (finishing answers in flight) and the fake, if this bot started it. */
  stop(): Promise<void>;
}

/** Options of `startTestBot`. */
export interface TestBotOptions<Q extends QaService = FakeQaService> {
  qa?: Q;
  config?: Partial<Config>;
  tuning?: Partial<BotTuning>;
  reindex?: () => Promise<ReindexSummary>;
  /** Reuse a running fake (e.g. to restart the bot against it); `stop` then leaves it open. */
  api?: FakeTelegramApi;
}

/**
 * Starts the real bot with long polling against a new fake Bot API; `qa` defaults to a
 * FakeQaService (an end-to-end test passes the real pipeline).
 */
export async function startTestBot<Q extends QaService = FakeQaService>(options: TestBotOptions<Q> = {}): Promise<TestBot<Q>> {
  const ownsApi = options.api === undefined;
  const api = options.api ?? (await FakeTelegramApi.start());
  const qa = options.qa ?? (new FakeQaService() as QaService as Q);
  const config = testConfig(api.apiRoot, api.token, options.config);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: "debug", secrets: [api.token], destination });
  const bot = createBot({ config, qa, logger, tuning: { ...TEST_TUNING, ...options.tuning }, ...(options.reindex ? { reindex: options.reindex } : {}) });
  const handle = await runBot(bot, { config, logger, stopOnSignals: false, pollTimeoutSeconds: 10 });
  return {
    api,
    qa,
    bot,
    handle,
    logs,
    async stop() {
      await handle.stop();
      if (ownsApi) await api.close();
    },
  };
}

/** Parsed log lines that have the given `event` field. */
export function logEvents(logs: readonly string[], event: string): Array<Record<string, unknown>> {
  return logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.event === event);
}

/** Resolves with the log entries of an event once there are `count` of them (polls; default 3 s). */
export async function waitForLog(logs: readonly string[], event: string, count = 1, timeoutMs = 3000): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logEvents(logs, event);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waitForLog: wanted ${count} "${event}" lines, got ${found.length}`);
    await sleep(10);
  }
}

/** Sleeps `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** For a test file: a `start` that runs a bot for the current test and stops it after the test. */
export function startsBotsPerTest(): (options?: TestBotOptions) => Promise<TestBot> {
  let running: TestBot | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (options = {}) => {
    running = await startTestBot(options);
    return running;
  };
}

/** The text a user sees of a sent message (its Telegram HTML parsed; it must be valid). */
export function visibleText(call: RecordedCall): string {
  const parsed = parseTelegramHtml(String(call.body.text));
  assert.ok(parsed.ok, "valid Telegram HTML");
  return parsed.text;
}

/** The `count`-th message the bot sent to a chat, waiting for it (a correctness bound, not a timing check). */
export async function waitForSent(api: FakeTelegramApi, chatId: number, count: number, timeoutMs = 5000): Promise<RecordedCall> {
  const deadline = Date.now() + timeoutMs;
  while (api.sentTo(chatId).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages to chat ${chatId}, got ${api.sentTo(chatId).length}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return api.sentTo(chatId)[count - 1];
}
