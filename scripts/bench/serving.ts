/**
 * The serving half of the bench from the parent's side: runs `serve-probe.ts` in a fresh
 * process and turns its result into report figures with their targets.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { figure, round, type Figure } from "./measure.ts";
import type { ProbeInput, ProbeResult } from "./serve-probe.ts";
import type { BenchQuestion, VisitFact } from "./synthetic-corpus.ts";
import { TARGETS } from "./targets.ts";

/** Runs serve-probe.ts in a fresh process and parses its one JSON line. */
export function runProbe(root: string, inputFile: string): Promise<ProbeResult | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", path.join(root, "scripts/bench/serve-probe.ts"), inputFile], {
      cwd: root,
      env: { ...process.env, OPENAI_API_KEY: "", EMBEDDINGS: "local", TELEGRAM_BOT_TOKEN: "", LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.once("exit", (code) => {
      // The result is the line the probe prints last; anything the bot code logged comes before it.
      const line = stdout.split("\n").reverse().find((l) => l.startsWith('{"chunks"'));
      if (line) resolve(JSON.parse(line) as ProbeResult);
      else resolve({ error: `serve-probe exited with ${code}: ${(stderr || stdout).trim().slice(-400)}` });
    });
  });
}

/** Latency, memory and Telegram-load figures of one probe run. */
export function servingFigures(
  probe: ProbeResult | { error: string },
  context: { facts: readonly VisitFact[]; asked: readonly BenchQuestion[]; bot: NonNullable<ProbeInput["botLoad"]> },
): Figure[] {
  const { facts, asked, bot } = context;
  const figures: Figure[] = [];
  if ("error" in probe) {
    figures.push(figure("question to answer, in process", "serve probe", null, "", { target: TARGETS.p50, note: probe.error }));
  } else {
    const g = `question to answer, in process, ${probe.chunks.toLocaleString("en-US")} chunks (${probe.total.n} questions after 50 warm-up)`;
    // Sanity of the synthetic questions: the best passage comes from a document stating the same meeting.
    const factOf = new Map(facts.map((f) => [f.docId, f]));
    let sameMeeting = 0;
    probe.outcomes.forEach((outcome, i) => {
      const want = factOf.get(asked[i].docId)!;
      const got = outcome.topDocId ? factOf.get(outcome.topDocId) : undefined;
      if (got && got.guest === want.guest && got.city === want.city) sameMeeting++;
    });
    const refused = probe.outcomes.filter((o) => o.refused).length;
    figures.push(
      figure(g, "ask() total p50", probe.total.p50, "ms", { target: TARGETS.p50, note: `retrieve p50 ${probe.retrieve.p50.toFixed(2)} + answer p50 ${probe.answer.p50.toFixed(2)} ms` }),
      figure(g, "ask() total p95", probe.total.p95, "ms", { target: TARGETS.p95, note: `retrieve p95 ${probe.retrieve.p95.toFixed(2)} + answer p95 ${probe.answer.p95.toFixed(2)} ms` }),
      figure(g, "ask() total p99", probe.total.p99, "ms", { note: `max ${probe.total.max.toFixed(1)} ms` }),
      figure(g, "retrieval (timings.retrieveMs) p50 / p95 / p99", probe.retrieve.p50, "ms", { note: `p95 ${probe.retrieve.p95.toFixed(2)}, p99 ${probe.retrieve.p99.toFixed(2)} ms` }),
      figure(g, "extractive answer (timings.answerMs) p50 / p95 / p99", probe.answer.p50, "ms", { note: `p95 ${probe.answer.p95.toFixed(2)}, p99 ${probe.answer.p99.toFixed(2)} ms` }),
      figure(g, "  part: embed the question p50", probe.parts.embedQuery.p50, "ms", { note: `p95 ${probe.parts.embedQuery.p95.toFixed(3)} ms` }),
      figure(g, "  part: HNSW search (40) p50", probe.parts.hnswSearch.p50, "ms", { note: `p95 ${probe.parts.hnswSearch.p95.toFixed(3)} ms` }),
      figure(g, "  part: BM25-only query (40) p50", probe.parts.bm25.p50, "ms", { note: `p95 ${probe.parts.bm25.p95.toFixed(2)}, p99 ${probe.parts.bm25.p99.toFixed(2)} ms` }),
      figure(g, "answered from the asked-about meeting (sanity)", round((100 * sameMeeting) / probe.outcomes.length, 1), "%", { note: `${refused} refused; informational, synthetic names repeat` }),
    );
    const m = probe.memory;
    const afterGc = m.afterGcRssMb === null ? "" : `; ${m.afterGcRssMb} MB after a full GC (heap ${m.afterGcHeapUsedMb} MB)`;
    figures.push(
      figure("resident memory (serving process)", `RSS after loading ${probe.chunks.toLocaleString("en-US")} chunks and answering`, m.rssMb, "MB", {
        target: TARGETS.rss,
        note: `heap ${m.heapUsedMb} MB, external ${m.externalMb} MB${afterGc}; ${m.afterOpenRssMb} MB right after open; peak ${m.peakRssMb} MB`,
      }),
    );
    const b = probe.botLoad;
    const bg = `Telegram load (fake Bot API, ${bot.total} questions from ${bot.chats} chats at once, real QaPipeline)`;
    if (b.status === "ok") {
      const r = b.result;
      figures.push(
        figure(bg, "answered", r.answered, `/ ${bot.total}`, { target: { min: bot.total } }),
        figure(bg, "duplicate answers", r.duplicates, "", { target: { max: 0 } }),
        figure(bg, "lost", r.lost, "", { target: { max: 0 } }),
        figure(bg, "reply latency p50", r.p50Ms, "ms", { note: `p99 ${r.p99Ms} ms; ${r.seconds} s for the run` }),
        figure(bg, "reply latency p95", r.p95Ms, "ms", { target: TARGETS.botP95 }),
      );
    } else {
      figures.push(figure(bg, `run ${b.status}`, null, "", { note: b.reason }));
    }
  }
  return figures;
}
