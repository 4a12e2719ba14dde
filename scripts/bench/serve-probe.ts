/**
 * The serving side of `npm run bench`, run in its own process so that the bench's build
 * garbage does not count: opens the QaPipeline over a built index the way `npm start`
 * does (local embeddings, extractive answers), warms up, answers the questions, and prints
 * one JSON object ({@link ProbeResult}) on stdout: latencies, their parts, and resident memory.
 * Then, when asked, runs the Telegram load test over the same pipeline.
 *
 *   node --expose-gc --import tsx scripts/bench/serve-probe.ts <input.json>
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createEmbedder, wordKnowledgeOf } from "../../src/app.ts";
import { QaPipeline } from "../../src/answering/qa-pipeline.ts";
import { loadConfig } from "../../src/config.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { round, since, summarize, type LatencySummary } from "./measure.ts";

/** What the bench hands the probe (as a JSON file). */
export interface ProbeInput {
  indexDir: string;
  corpusDir: string;
  /** Answered first, not measured. */
  warmup: string[];
  questions: string[];
  /** Run `test/bench-bot-load.ts` after measuring (200 questions from 50 chats). */
  botLoad?: { chats: number; total: number; timeoutMs: number };
}

import type { BotLoadResult } from "../../test/bench-bot-load.ts";

export type { BotLoadResult };

export interface ProbeResult {
  chunks: number;
  /** Word vectors loaded (ms). */
  embedderMs: number;
  /** QaPipeline.open: index files read and parsed (ms). */
  openMs: number;
  /** Per question, ms: `timings.retrieveMs`, `timings.answerMs`, and the whole `ask()` call. */
  retrieve: LatencySummary;
  answer: LatencySummary;
  total: LatencySummary;
  /** Parts of retrieval measured alone over the same questions, ms. */
  parts: { embedQuery: LatencySummary; hnswSearch: LatencySummary; bm25: LatencySummary };
  /** For each question: best passage's docId (null when none) and whether it was refused. */
  outcomes: { topDocId: string | null; refused: boolean }[];
  memory: {
    rssMb: number;
    heapUsedMb: number;
    externalMb: number;
    arrayBuffersMb: number;
    peakRssMb: number;
    afterOpenRssMb: number;
    /** RSS and heap after a full garbage collection (null without --expose-gc): the floor a quiet process settles to. */
    afterGcRssMb: number | null;
    afterGcHeapUsedMb: number | null;
  };
  botLoad: { status: "ok"; result: BotLoadResult } | { status: "skipped" | "failed"; reason: string };
}

type RunBotLoad = (options: { qa: QaPipeline; questions: string[]; chats: number; total: number; timeoutMs?: number }) => Promise<BotLoadResult>;

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

async function loadBotLoad(): Promise<RunBotLoad | string> {
  const file = path.resolve(import.meta.dirname, "../../test/bench-bot-load.ts");
  try {
    const module = (await import(pathToFileURL(file).href)) as { runBotLoad?: RunBotLoad };
    return typeof module.runBotLoad === "function" ? module.runBotLoad : "test/bench-bot-load.ts exports no runBotLoad";
  } catch (error) {
    return `not available (${(error as Error).message.split("\n")[0]})`;
  }
}

async function probe(input: ProbeInput): Promise<ProbeResult> {
  const config = loadConfig({ ...process.env, OPENAI_API_KEY: "", EMBEDDINGS: "local" });
  let started = performance.now();
  const embedder = await createEmbedder(config);
  const embedderMs = since(started);
  started = performance.now();
  const qa = await QaPipeline.open({
    indexDir: input.indexDir,
    embedder,
    knowledge: await loadKnowledge(input.corpusDir),
    ...wordKnowledgeOf(embedder),
  });
  const openMs = since(started);
  const afterOpenRssMb = mb(process.memoryUsage().rss);

  for (const question of input.warmup) await qa.ask(question);

  const retrieve: number[] = [];
  const answer: number[] = [];
  const total: number[] = [];
  const outcomes: ProbeResult["outcomes"] = [];
  for (const question of input.questions) {
    const t = performance.now();
    const result = await qa.ask(question);
    total.push(since(t));
    retrieve.push(result.timings.retrieveMs);
    answer.push(result.timings.answerMs);
    outcomes.push({ topDocId: result.passages[0]?.chunk.docId ?? null, refused: result.refused });
  }
  const memory = process.memoryUsage();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const afterGc = gc ? process.memoryUsage() : null;

  // The parts of retrieval alone: where its time goes.
  const { store, lexical } = qa.index;
  const embedQuery: number[] = [];
  const hnswSearch: number[] = [];
  const bm25: number[] = [];
  const candidates = qa.retriever.settings.candidates;
  for (const question of input.questions) {
    let t = performance.now();
    const vector = await embedder.embedQuery(question);
    embedQuery.push(since(t));
    t = performance.now();
    store.searchVector(vector, candidates);
    hnswSearch.push(since(t));
    t = performance.now();
    lexical.query(question, candidates);
    bm25.push(since(t));
  }

  let botLoad: ProbeResult["botLoad"] = { status: "skipped", reason: "not requested" };
  if (input.botLoad) {
    const runBotLoad = await loadBotLoad();
    if (typeof runBotLoad === "string") botLoad = { status: "skipped", reason: runBotLoad };
    else {
      const { chats, total: count, timeoutMs } = input.botLoad;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no result after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([runBotLoad({ qa, questions: input.questions, chats, total: count, timeoutMs: timeoutMs / 2 }), timeout]);
        botLoad = { status: "ok", result };
      } catch (error) {
        botLoad = { status: "failed", reason: (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
    }
  }
  qa.close();

  return {
    chunks: qa.overview().chunks,
    embedderMs: round(embedderMs, 1),
    openMs: round(openMs, 1),
    retrieve: summarize(retrieve),
    answer: summarize(answer),
    total: summarize(total),
    parts: { embedQuery: summarize(embedQuery), hnswSearch: summarize(hnswSearch), bm25: summarize(bm25) },
    outcomes,
    memory: {
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
      externalMb: mb(memory.external),
      arrayBuffersMb: mb(memory.arrayBuffers),
      // resourceUsage reports kilobytes.
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      afterOpenRssMb,
      afterGcRssMb: afterGc ? mb(afterGc.rss) : null,
      afterGcHeapUsedMb: afterGc ? mb(afterGc.heapUsed) : null,
    },
    botLoad,
  };
}

const inputFile = process.argv[2];
if (!inputFile) {
  process.stderr.write("usage: node --expose-gc --import tsx scripts/bench/serve-probe.ts <input.json>\n");
  process.exit(2);
}
try {
  const input = JSON.parse(await readFile(inputFile, "utf8")) as ProbeInput;
  process.stdout.write(`${JSON.stringify(await probe(input))}\n`);
  // A bot-load run may leave sockets or timers behind; the answer is out, so leave now.
  process.exit(0);
} catch (error) {
  process.stderr.write(`serve-probe failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}
