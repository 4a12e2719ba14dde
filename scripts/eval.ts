/**
 * `npm run eval`: retrieval and answer quality over the evaluation question set, with
 * ablations (BM25 only, vectors only, hybrid, hybrid with date hints) in one run.
 * Builds a throw-away index of the evaluation corpus; prints a table and writes JSON.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEmbedder, wordSimilarityOf } from "../src/app.ts";
import { QaPipeline } from "../src/answering/qa-pipeline.ts";
import type { RetrievalSettings } from "../src/retrieval/hybrid-retriever.ts";
import { loadAliases } from "../src/retrieval/aliases.ts";
import { buildIndex } from "../src/store/build-index.ts";
import { progress, runCli } from "./cli.ts";
import { evaluate, type EvalQuestion, formatReport, type EvalReport } from "./eval-metrics.ts";

const USAGE = `Usage: npm run eval [-- --corpus DIR --questions FILE --out FILE --verbose]
                    [--chunk-chars N --overlap N --vector-weight W]

Defaults: test/fixtures/corpus, test/fixtures/eval-questions.json, data/eval-report.json,
and the product's own chunking (700 characters, 1 sentence overlap) and fusion weight (0.35).
The last three options try other settings, to choose the defaults by their figures.`;

/** The configurations compared side by side. */
const VARIANTS: { name: string; settings: Partial<RetrievalSettings> }[] = [
  { name: "bm25 only", settings: { useVectors: false, useDateHints: false } },
  { name: "vectors only", settings: { useLexical: false, useDateHints: false } },
  { name: "hybrid", settings: { useDateHints: false } },
  { name: "hybrid + dates", settings: {} },
];

await runCli(async (config) => {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string", default: "test/fixtures/corpus" },
      questions: { type: "string", default: "test/fixtures/eval-questions.json" },
      out: { type: "string", default: "data/eval-report.json" },
      verbose: { type: "boolean", default: false },
      "chunk-chars": { type: "string" },
      overlap: { type: "string" },
      "vector-weight": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const questions = JSON.parse(await readFile(values.questions!, "utf8")) as EvalQuestion[];
  const embedder = await createEmbedder({ ...config, embeddings: "local" }, progress);
  const indexDir = await mkdtemp(path.join(os.tmpdir(), "visits-eval-"));
  try {
    const chunking = {
      ...(values["chunk-chars"] ? { maxChars: Number(values["chunk-chars"]) } : {}),
      ...(values.overlap ? { overlapSentences: Number(values.overlap) } : {}),
    };
    const fusion = values["vector-weight"] ? { vectorWeight: Number(values["vector-weight"]) } : {};
    const summary = await buildIndex({ corpusDir: path.resolve(values.corpus!), indexDir, embedder, chunking });
    progress(`Evaluating ${questions.length} questions over ${summary.chunks} chunks of ${values.corpus}`);
    const aliases = await loadAliases(path.resolve(values.corpus!));
    const reports: EvalReport[] = [];
    for (const variant of VARIANTS) {
      const qa = await QaPipeline.open({ indexDir, embedder, aliases, wordSimilarity: wordSimilarityOf(embedder), retrieval: { ...fusion, ...variant.settings }, today: () => new Date("2026-11-23T12:00:00Z") });
      reports.push(await evaluate(variant.name, qa, questions, { verbose: values.verbose ? progress : undefined }));
    }
    console.log(formatReport(reports));
    await mkdir(path.dirname(path.resolve(values.out!)), { recursive: true });
    await writeFile(values.out!, JSON.stringify(reports, null, 2));
    progress(`Report written to ${values.out}`);
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
});
