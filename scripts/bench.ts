/**
 * `npm run bench [-- --sizes 1000,10000,30000,100000 --quick --out data/bench-report.json]`:
 * the speed figures of the design ("Numbers to reach") on a synthetic dated corpus
 * generated at run time, printed as a table with each target's verdict and written as JSON.
 *
 * Sections: embedding + indexing throughput per size; incremental re-embed of one changed
 * document; in-process question latency, resident memory and the Telegram load run (in a
 * child process, at the serving size); HNSW recall/speed against exact search (at the
 * largest size); time from start to ready.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createEmbedder } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { buildIndex, type BuildSummary } from "../src/store/build-index.ts";
import { openIndex } from "../src/store/open-index.ts";
import { evaluateHnsw, type HnswReport } from "./bench/hnsw-recall.ts";
import { figure, formatTable, round, since, type Figure } from "./bench/measure.ts";
import type { ProbeInput } from "./bench/serve-probe.ts";
import { runProbe, servingFigures } from "./bench/serving.ts";
import { TARGETS } from "./bench/targets.ts";
import { parseCliArgs, reportFailure } from "./cli-args.ts";
import { measureStartup, type StartupRun } from "./bench/startup.ts";
import { DEFAULT_SEED, generateQuestions, writeSyntheticCorpus, type SyntheticCorpus } from "./bench/synthetic-corpus.ts";

const USAGE = `Usage: npm run bench [-- options]

  --sizes 1000,10000,30000,100000   corpus sizes in chunks (indexing throughput at each)
  --serve-size 30000                size for re-embed, latency, memory, start-up, bot load
  --hnsw-size <largest size>        size for HNSW recall and speed
  --quick                           small sizes (1000,3000; serve 3000; HNSW 10000)
  --hnsw-alternatives 24x200,32x200 other M x efConstruction graphs built from the same vectors ("" for none)
  --questions 300                   questions timed in process (after 50 warm-up ones)
  --seed ${DEFAULT_SEED}               corpus and question seed
  --out data/bench-report.json      where the JSON report goes
  --keep                            keep the generated corpora and indexes (printed path)`;

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sizesArg = (text: string) => text.split(",").map((s) => Number(s.trim().replace(/k$/i, "000"))).filter((n) => Number.isInteger(n) && n > 0);

let parsed;
try {
  parsed = parseCliArgs("bench", {
  options: {
    sizes: { type: "string" },
    "serve-size": { type: "string" },
    "hnsw-size": { type: "string" },
    "hnsw-alternatives": { type: "string" },
    quick: { type: "boolean", default: false },
    questions: { type: "string", default: "300" },
    seed: { type: "string", default: String(DEFAULT_SEED) },
    out: { type: "string", default: "data/bench-report.json" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
  });
} catch (error) {
  process.exit(reportFailure(error));
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = values.quick;
const sizes = sizesArg(values.sizes ?? (quick ? "1000,3000" : "1000,10000,30000,100000"));
const serveSize = Number(values["serve-size"] ?? (quick ? 3000 : sizes.includes(30_000) ? 30_000 : Math.max(...sizes)));
const hnswSize = Number(values["hnsw-size"] ?? (quick ? 10_000 : Math.max(...sizes)));
const hnswAlternatives = (values["hnsw-alternatives"] ?? (quick ? "24x200" : "24x200,32x200"))
  .split(",")
  .filter(Boolean)
  .map((pair) => {
    const [m, efConstruction] = pair.split("x").map(Number);
    return { m, efConstruction, efs: [64, 128, 256, 384] };
  });
const questionCount = Number(values.questions);
const seed = Number(values.seed);
const badAlternative = hnswAlternatives.some((a) => !Number.isInteger(a.m) || !Number.isInteger(a.efConstruction));
if (sizes.length === 0 || badAlternative || ![serveSize, hnswSize, questionCount, seed].every(Number.isFinite)) {
  process.stderr.write(`error: bad option value\n\n${USAGE}\n`);
  process.exit(2);
}

const benchStarted = performance.now();
const work = mkdtempSync(path.join(tmpdir(), "visits-bench-"));
// The 100k corpus and index take ~400 MB: remove them however the run ends.
if (!values.keep) {
  process.once("exit", () => rmSync(work, { recursive: true, force: true }));
  process.once("SIGINT", () => process.exit(130));
}
log(`working in ${work}`);
const config = loadConfig({ ...process.env, OPENAI_API_KEY: "", EMBEDDINGS: "local" });
let t = performance.now();
const embedder = await createEmbedder(config, log);
const embedderLoadMs = since(t);

const figures: Figure[] = [];
const report: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, platform: process.platform, loadAverageAtStart: loadavg().map((x) => round(x, 2)) },
  options: { sizes, serveSize, hnswSize, hnswAlternatives, quick, questions: questionCount, seed },
  embedder: { id: embedder.id, loadMs: round(embedderLoadMs, 1) },
};

/** Progress lines of a build, timed, so that the embedding phase can be told from writing files. */
async function timedBuild(corpusDir: string, indexDir: string, force: boolean): Promise<{ summary: BuildSummary; embedDoneS: number | null }> {
  const started = performance.now();
  let embedDoneS: number | null = null;
  const summary = await buildIndex({
    corpusDir,
    indexDir,
    embedder,
    force,
    onProgress: (message) => {
      const m = /^embedded (\d+)\/(\d+)/.exec(message);
      if (m && m[1] === m[2]) embedDoneS = since(started) / 1000;
    },
  });
  return { summary, embedDoneS };
}

/** Runs `scripts/embed.ts` in a child process; its summary line gives the counts and the build's own seconds. */
function embedInChildProcess(corpusDir: string, indexDir: string) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/embed.ts"], {
    cwd: ROOT,
    env: { ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, EMBEDDINGS: "local" },
    encoding: "utf8",
  });
  const processSeconds = since(started) / 1000;
  const m = /(\d+) added, (\d+) changed, (\d+) removed, (\d+) unchanged; (\d+) chunks \((\d+) embedded\) in ([\d.]+) s/.exec(run.stdout);
  if (run.status !== 0 || !m) throw new Error(`npm run embed failed (${run.status}): ${run.stderr.slice(-500)}`);
  return { changed: Number(m[2]), chunks: Number(m[5]), embeddedChunks: Number(m[6]), seconds: Number(m[7]), processSeconds };
}

// --- Corpora and indexing throughput --------------------------------------------------

const allSizes = [...new Set([...sizes, serveSize, hnswSize])].sort((a, b) => a - b);
const corpora = new Map<number, SyntheticCorpus>();
const builds: Record<string, unknown>[] = [];
let reembed: Record<string, unknown> | null = null;
let hnsw: HnswReport | null = null;

for (const size of allSizes) {
  t = performance.now();
  const corpus = writeSyntheticCorpus({ dir: path.join(work, `corpus-${size}`), targetChunks: size, seed });
  corpora.set(size, corpus);
  const generateS = since(t) / 1000;
  log(`${size} chunks: ${corpus.documents} documents (${(corpus.bytes / 1e6).toFixed(1)} MB) generated in ${generateS.toFixed(1)} s; building the index…`);
  const indexDir = path.join(work, `index-${size}`);
  const { summary, embedDoneS } = await timedBuild(corpus.dir, indexDir, true);
  const rate = summary.chunks / summary.seconds;
  log(`  built ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s (${Math.round(rate)} chunks/s)`);
  builds.push({
    targetChunks: size,
    documents: corpus.documents,
    chunks: summary.chunks,
    corpusMb: round(corpus.bytes / 1e6, 1),
    generateSeconds: round(generateS, 2),
    buildSeconds: round(summary.seconds, 2),
    embedPhaseSeconds: embedDoneS === null ? null : round(embedDoneS, 2),
    chunksPerSecond: Math.round(rate),
  });
  figures.push(
    figure("embedding + indexing (buildIndex --force, local embedder)", `${size.toLocaleString("en-US")} chunks (${corpus.documents} docs)`, Math.round(rate), "chunks/s", {
      target: TARGETS.throughput,
      note: `${summary.seconds.toFixed(1)} s total${embedDoneS === null ? "" : `, ${embedDoneS.toFixed(1)} s to embed + insert, rest load/save`}`,
    }),
  );

  if (size === serveSize) {
    // One changed document: append a sentence to document 0 and run the incremental build.
    const fact = corpus.facts[0];
    appendFileSync(path.join(corpus.dir, `${fact.docId}.txt`), `\nThe ministry later confirmed that a follow-up meeting on ${fact.topics[1]} will take place in ${fact.city}.\n`);
    // As an operator runs it: `npm run embed` in a fresh process (not this one, whose heap the builds filled).
    const changed = embedInChildProcess(corpus.dir, indexDir);
    const unchanged = embedInChildProcess(corpus.dir, indexDir);
    reembed = {
      chunks: changed.chunks,
      changedDocuments: changed.changed,
      embeddedChunks: changed.embeddedChunks,
      seconds: round(changed.seconds, 3),
      processSeconds: round(changed.processSeconds, 3),
      noChangeSeconds: round(unchanged.seconds, 3),
    };
    log(`  re-embed of one changed document: ${changed.seconds.toFixed(2)} s (process ${changed.processSeconds.toFixed(2)} s; nothing changed: ${unchanged.seconds.toFixed(2)} s)`);
    figures.push(
      figure("incremental re-embed (npm run embed in a fresh process)", `one changed document at ${changed.chunks.toLocaleString("en-US")} chunks`, round(changed.seconds, 2), "s", {
        target: TARGETS.reembed,
        note: `${changed.embeddedChunks} chunks embedded; whole process ${changed.processSeconds.toFixed(2)} s; a run with nothing changed takes ${unchanged.seconds.toFixed(2)} s`,
      }),
    );
  }

  if (size === hnswSize) {
    log(`  HNSW recall and speed at ${size} chunks…`);
    const index = await openIndex(indexDir, embedder);
    if (!index) throw new Error(`no index in ${indexDir}`);
    hnsw = await evaluateHnsw({
      index,
      embedder,
      questions: generateQuestions(corpus.facts, { count: 200, seed: seed + 2 }).map((q) => q.question),
      efs: [...new Set([32, 64, 128, 256, 384, index.store.params.efSearch])].sort((a, b) => a - b),
      alternatives: hnswAlternatives,
      targets: { recall: TARGETS.recall.min, speedup: TARGETS.speedup.min },
    });
    const group = `HNSW vs exact search at ${hnsw.chunks.toLocaleString("en-US")} chunks (k ${hnsw.k}, ${hnsw.queries} queries; targets: recall@10 ≥ ${TARGETS.recall.min} and ≥ ${TARGETS.speedup.min}× faster)`;
    figures.push(figure(group, "exact search (exactSearch) mean", hnsw.exact.mean, "ms", { note: `a tight brute-force loop takes ${hnsw.tightBruteForce.mean.toFixed(2)} ms` }));
    // The shipped setting carries the verdicts; the sweep is exploration (its ✓/✗ in the note).
    const shipped = hnsw.efs.find((e) => e.ef === index.store.params.efSearch);
    const shippedName = `as shipped (M ${hnsw.m}, efConstruction ${hnsw.efConstruction}, ef ${index.store.params.efSearch})`;
    figures.push(
      figure(group, `${shippedName}: recall@10`, shipped?.recall ?? null, "", { target: TARGETS.recall, note: shipped ? `worst query ${shipped.minRecall}` : "ef not in the sweep" }),
      figure(group, `${shippedName}: speed-up vs exact`, shipped?.speedup ?? null, "×", { target: TARGETS.speedup, note: shipped ? `${shipped.latency.mean.toFixed(3)} ms a query` : "" }),
    );
    const graphs = [
      { m: hnsw.m, efConstruction: hnsw.efConstruction, efs: hnsw.efs, buildSeconds: null as number | null },
      ...hnsw.alternatives.map((a) => ({ ...a, buildSeconds: a.buildSeconds as number | null })),
    ];
    const mark = (ok: boolean) => (ok ? "✓" : "✗");
    for (const g of graphs) {
      for (const e of g.efs) {
        const built = g.buildSeconds !== null && e === g.efs[0] ? `; graph built in ${g.buildSeconds} s` : "";
        figures.push(
          figure(group, `  sweep: M ${g.m}, efC ${g.efConstruction}, ef ${e.ef}: recall@10`, e.recall, "", {
            note: `recall ${mark(e.recall >= TARGETS.recall.min)}, ${e.speedup}× faster than exact ${mark(e.speedup >= TARGETS.speedup.min)} (${e.latency.mean.toFixed(3)} ms; ${e.speedupVsTight}× vs tight loop); worst query ${e.minRecall}${built}`,
          }),
        );
      }
    }
    const best = hnsw.fastestMeetingTargets;
    figures.push(
      figure(group, "fastest setting meeting both targets", best ? best.meanMs : null, "ms", {
        note: best ? `M ${best.m}, efConstruction ${best.efConstruction}, ef ${best.ef}: recall ${best.recall}, ${best.speedup}×` : "none of the settings tried",
      }),
    );
    figures.push(figure(group, "BM25-only query (40 candidates) p50 / p95", hnsw.bm25.p50, "ms", { note: `p95 ${hnsw.bm25.p95.toFixed(2)} ms, p99 ${hnsw.bm25.p99.toFixed(2)} ms` }));
  }
}

// --- Serving: latency, memory, Telegram load (child process) ---------------------------

const serveCorpus = corpora.get(serveSize)!;
const serveIndexDir = path.join(work, `index-${serveSize}`);
const probeInput: ProbeInput = {
  indexDir: serveIndexDir,
  corpusDir: serveCorpus.dir,
  warmup: generateQuestions(serveCorpus.facts, { count: 50, seed: seed + 1 }).map((q) => q.question),
  questions: generateQuestions(serveCorpus.facts, { count: questionCount, seed }).map((q) => q.question),
  // The design's load: 200 questions from 50 chats (fewer with --quick).
  botLoad: quick ? { chats: 20, total: 60, timeoutMs: 60_000 } : { chats: 50, total: 200, timeoutMs: 120_000 },
};
const questionsAsked = generateQuestions(serveCorpus.facts, { count: questionCount, seed });
const probeFile = path.join(work, "probe-input.json");
writeFileSync(probeFile, JSON.stringify(probeInput));
log(`serving ${serveSize} chunks in a child process: ${questionCount} questions, then the Telegram load run…`);
const probe = await runProbe(ROOT, probeFile);
// Per-question outcomes only feed the sanity figure; the JSON keeps the summaries.
report.serving = "error" in probe ? probe : { ...probe, outcomes: undefined };
figures.push(...servingFigures(probe, { facts: serveCorpus.facts, asked: questionsAsked, bot: probeInput.botLoad! }));

// --- Start to ready --------------------------------------------------------------------

const startupRuns = quick ? 2 : 3;
/** Questions typed into each started chat before its memory is read: enough to reach the answering heap's working size (it levels off within a few dozen). */
const STARTUP_QUESTIONS = 50;
/** Every this many typed questions, one has a name misspelled, as people type: a word the corpus does not know takes the typo-correction path, whose word index is built on first use. */
const TYPO_EVERY = 10;
const typed = questionsAsked.slice(0, STARTUP_QUESTIONS).map((q, i) => (i % TYPO_EVERY === TYPO_EVERY - 1 ? misspellName(q.question) : q.question));
// npm start compiles src/ when dist/ is stale; that happens here, outside the timed runs.
const built = spawnSync(process.execPath, [path.join(ROOT, "scripts/start.mjs"), "--build-only"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
if (built.status !== 0) log("could not compile src/ into dist/: the start-up runs will fail");
log(`npm start (dist/main.js) over ${serveSize} chunks, ${typed.length} questions typed after the prompt: one first start (no index, no word-vector cache), then ${startupRuns} later starts…`);
// A first start: an empty index folder and model cache, so npm start converts the word vectors and builds the index (each in a child process) before serving.
const firstStart = await measureStartup({
  cwd: ROOT,
  corpusDir: serveCorpus.dir,
  indexDir: path.join(work, "first-start-index"),
  modelCacheDir: path.join(work, "first-start-models"),
  questions: typed,
  timeoutMs: 900_000,
});
const startups: StartupRun[] = [];
for (let i = 0; i < startupRuns; i++) startups.push(await measureStartup({ cwd: ROOT, corpusDir: serveCorpus.dir, indexDir: serveIndexDir, questions: typed, timeoutMs: 120_000 }));
report.startup = startups;
report.firstStart = firstStart;
const okRuns = startups.filter((r) => r.promptMs !== null && r.answered === typed.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const startGroup = `npm start (node dist/main.js, terminal chat, ${serveSize.toLocaleString("en-US")} chunks, ${typed.length} questions on stdin)`;
const firstOk = firstStart.answeredPeakRssMb !== null && firstStart.answered === typed.length;
figures.push(
  figure(startGroup, `later start: spawn to prompt, median of ${startupRuns}`, okRuns.length ? median(okRuns.map((r) => r.promptMs!)) : null, "ms", {
    target: TARGETS.startup,
    note: okRuns.length
      ? [
          `index loaded at ${median(okRuns.map((r) => r.indexLoadedMs ?? Number.NaN)).toFixed(0)} ms`,
          okRuns.some((r) => r.inProcessMs !== null) ? `main() itself ${median(okRuns.map((r) => r.inProcessMs ?? Number.NaN))} ms` : null,
          `runs ${okRuns.map((r) => r.promptMs).join(", ")} ms`,
        ]
          .filter(Boolean)
          .join("; ")
      : startups.map((r) => r.error).join("; "),
  }),
  figure(startGroup, "later start: peak RSS (VmHWM) after the answers, worst run", okRuns.length ? Math.max(...okRuns.map((r) => r.answeredPeakRssMb ?? Number.NaN)) : null, "MB", {
    target: TARGETS.serveRss,
    note: okRuns.length
      ? `runs ${okRuns.map((r) => r.answeredPeakRssMb).join(", ")} MB; at the prompt ${okRuns.map((r) => r.rssMb).join(", ")} MB, after the answers ${okRuns.map((r) => r.answeredRssMb).join(", ")} MB; answering took ${okRuns.map((r) => Math.round(r.answeringMs ?? Number.NaN)).join(", ")} ms`
      : startups.map((r) => r.error).join("; "),
  }),
  figure(startGroup, "first start (no index, no word-vector cache): peak RSS (VmHWM) after the answers", firstOk ? firstStart.answeredPeakRssMb : null, "MB", {
    target: TARGETS.serveRss,
    note: firstOk
      ? `ready in ${(firstStart.promptMs! / 1000).toFixed(1)} s (conversion and build in child processes); ${firstStart.rssMb} MB at the prompt, ${firstStart.answeredRssMb} MB after the answers`
      : `failed: ${firstStart.error ?? `${firstStart.answered} of ${typed.length} answered`}`,
  }),
);

/** The question with a letter dropped from its longest capitalised word (a name): "Japarov" -> "Jparov". */
function misspellName(question: string): string {
  const name = [...question.matchAll(/\b\p{Lu}\p{Ll}{4,}/gu)].sort((a, b) => b[0].length - a[0].length)[0];
  return name ? `${question.slice(0, name.index + 1)}${question.slice(name.index + 2)}` : question;
}

// --- Report ----------------------------------------------------------------------------

const totalSeconds = round(since(benchStarted) / 1000, 1);
(report.machine as Record<string, unknown>).loadAverageAtEnd = loadavg().map((x) => round(x, 2));
Object.assign(report, { builds, reembed, hnsw, figures, totalSeconds, targetsMissed: figures.filter((f) => f.met === false).map((f) => `${f.group}: ${f.name}`) });
const out = path.resolve(ROOT, values.out!);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(formatTable(figures));
const machine = report.machine as { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
console.log(
  `\nTotal bench time ${totalSeconds} s on ${machine.cpus} CPUs (load average ${machine.loadAverageAtStart[0]} at start, ${machine.loadAverageAtEnd[0]} at end; embedder load ${round(embedderLoadMs / 1000, 1)} s). Report: ${path.relative(process.cwd(), out) || out}`,
);
const missed = figures.filter((f) => f.met === false).length;
console.log(missed ? `${missed} target(s) missed.` : "All targets met.");
if (values.keep) console.log(`Corpora and indexes kept in ${work}`);
