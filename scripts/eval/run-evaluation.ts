/**
 * The whole evaluation in process, used by `npm run eval` and test/eval-floors.test.ts:
 * one throw-away index over the fixture corpus plus the eval corpus (local embeddings),
 * the dev and test parts with the shipped settings, perturbed test questions, and
 * optionally the LLM answerer against a fake model and the retrieval ablations (dev only).
 *
 * The test part is reported in aggregate only: its per-question results stay inside this
 * module, so nobody tunes on them. The dev part's failures are returned for `--verbose`.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createEmbedder, wordKnowledgeOf } from "../../src/app.ts";
import type { QaService } from "../../src/answering/answerer.ts";
import { QaPipeline, type QaPipelineOptions } from "../../src/answering/qa-pipeline.ts";
import type { Config } from "../../src/config.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import type { RetrievalSettings } from "../../src/retrieval/hybrid-retriever.ts";
import { type BuildOptions, buildIndex } from "../../src/store/build-index.ts";
import { startFakeAnsweringModel } from "./fake-answering-model.ts";
import { FLOORED_METRICS, type FlooredMetric, deltaPoints, floorMisses, FLOORS } from "./floors.ts";
import { aggregate, aggregateByKind, type PartMetrics, percentile, ratio, type Ratio } from "./part-metrics.ts";
import { PERTURBATIONS } from "./perturb.ts";
import { checkDocIds, EvalInputError, type EvalQuestion, isAnswerable, loadQuestions, type QuestionKind, QUESTION_LANGS, type QuestionLang } from "./questions.ts";
import { askQuestion, type QuestionResult, scoreAnswer } from "./score-question.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** Default inputs, relative to the repository. */
export const EVAL_DEFAULTS = Object.freeze({
  devFile: path.join(REPO_ROOT, "test/fixtures/eval/dev.json"),
  testFile: path.join(REPO_ROOT, "test/fixtures/eval/test.json"),
  /** Merged into one corpus; a directory that does not exist is skipped. */
  corpusDirs: Object.freeze([path.join(REPO_ROOT, "test/fixtures/corpus"), path.join(REPO_ROOT, "test/fixtures/eval/corpus")]),
  /** "Today" for relative dates, fixed so that the figures do not age. */
  today: "2026-11-23T12:00:00Z",
});

/** The retrieval ablations, run on the dev part with `ablations: true`. */
export const ABLATIONS: readonly { name: string; settings: Partial<RetrievalSettings> }[] = [
  { name: "bm25 only", settings: { useVectors: false, useDateHints: false } },
  { name: "vectors only", settings: { useLexical: false, useDateHints: false } },
  { name: "hybrid without dates", settings: { useDateHints: false } },
];

export interface EvaluationOptions {
  /** Supplies the word-vector cache directory; embeddings are local whatever it says, answers extractive. */
  config: Config;
  /** Default `EVAL_DEFAULTS.devFile`. */
  devFile?: string;
  /** Default `EVAL_DEFAULTS.testFile`. */
  testFile?: string;
  /** Default `EVAL_DEFAULTS.corpusDirs`. */
  corpusDirs?: readonly string[];
  /** Also answer the test part's answerable questions with the LLM answerer against the fake model. Default false. */
  llm?: boolean;
  /** Also run the retrieval ablations on the dev part. Default false. */
  ablations?: boolean;
  /** Chunking other than the product's (to compare settings); default the product's. */
  chunking?: BuildOptions["chunking"];
  /** Retrieval settings other than the shipped ones, applied to every run; default none. */
  retrieval?: Partial<RetrievalSettings>;
  /** Progress lines for people; default none. */
  onProgress?: (line: string) => void;
}

/** One failed dev question (the test part never reports these). */
export interface DevFailure {
  id: string;
  kind: QuestionKind;
  question: string;
  why: string[];
}

/** One dev answer as given (for `--answers`, comparing prose before and after a change). */
export interface DevAnswer {
  id: string;
  kind: QuestionKind;
  question: string;
  outcome: QuestionResult["outcome"];
  text: string;
}

export interface PartReport {
  file: string;
  /** English questions over English documents (lang "en"): the figures the floors are about. */
  metrics: PartMetrics;
  byKind: Partial<Record<QuestionKind, PartMetrics>>;
  /** Each other language pair present ("ru-en": Russian questions over English documents, …). */
  byLang: Partial<Record<QuestionLang, PartMetrics>>;
}

export interface PerturbationReport {
  name: string;
  questions: number;
  metrics: Pick<PartMetrics, FlooredMetric>;
  /** Percentage points from the clean test figure (positive: higher). */
  deltaPoints: Record<FlooredMetric, number | null>;
}

export interface LlmReport {
  questions: number;
  answerableRefused: Ratio;
  /** Answers the model wrote (not the extractive fallback). */
  answeredByModel: Ratio;
  p50Ms: number;
  p95Ms: number;
}

/** Everything one evaluation measured (written to data/eval-report.json). */
export interface EvalReport {
  generatedAt: string;
  today: string;
  corpus: { dirs: string[]; documents: number; chunks: number };
  settings: { chunking: BuildOptions["chunking"] | null; retrieval: Partial<RetrievalSettings> | null };
  dev: PartReport & { failures: DevFailure[]; answers: DevAnswer[] };
  test: PartReport;
  /** Over the test part's questions except small talk. */
  perturbations: PerturbationReport[];
  llm: LlmReport | null;
  /** Dev part, aggregate figures per retrieval variant. */
  ablations: { name: string; metrics: PartMetrics }[] | null;
  /** `misses`: the floors not reached; `failures`: what CI enforces today (`enforced` in FLOORS) not reached. */
  floors: { definition: typeof FLOORS; misses: string[]; failures: string[] };
  durationMs: number;
}

/** Runs the evaluation; throws EvalInputError (one line) for a missing file, bad JSON or an unknown document. */
export async function runEvaluation(options: EvaluationOptions): Promise<EvalReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const devFile = path.resolve(options.devFile ?? EVAL_DEFAULTS.devFile);
  const testFile = path.resolve(options.testFile ?? EVAL_DEFAULTS.testFile);
  const devLabel = path.basename(devFile);
  const testLabel = path.basename(testFile) === devLabel ? testFile : path.basename(testFile);
  const dev = await loadQuestions(devFile, { label: devLabel });
  const test = await loadQuestions(testFile, { label: testLabel });
  const today = new Date(EVAL_DEFAULTS.today);

  const workDir = await mkdtemp(path.join(os.tmpdir(), "visits-eval-"));
  try {
    const corpusDir = path.join(workDir, "corpus");
    const corpusDirs = await mergeCorpora(options.corpusDirs ?? EVAL_DEFAULTS.corpusDirs, corpusDir);
    const indexDir = path.join(workDir, "index");
    const embedder = await createEmbedder({ ...options.config, embeddings: "local" }, progress);
    const summary = await buildIndex({ corpusDir, indexDir, embedder, chunking: options.chunking });
    const knowledge = await loadKnowledge(corpusDir);
    const open = (extra: Partial<QaPipelineOptions> = {}) =>
      QaPipeline.open({
        indexDir,
        embedder,
        knowledge,
        ...wordKnowledgeOf(embedder),
        today: () => today,
        ...extra,
        retrieval: { ...options.retrieval, ...extra.retrieval },
      });
    const qa = await open();
    const docIds = new Set(qa.sources().map((s) => s.docId));
    checkDocIds(dev, docIds, devLabel);
    checkDocIds(test, docIds, testLabel);
    progress(`Evaluating ${dev.length} dev and ${test.length} test questions over ${summary.chunks} chunks of ${docIds.size} documents`);

    const devAll = await runPart(qa, dev, devLabel);
    const testAll = await runPart(qa, test, testLabel);
    // The main figures (and floors, perturbations, LLM mode) are the English questions'; other languages get rows of their own.
    const devResults = devAll.filter((r) => r.lang === "en");
    const testResults = testAll.filter((r) => r.lang === "en");
    const testMetrics = aggregate(testResults);

    const perturbed = test.filter((q) => q.kind !== "smalltalk" && q.lang === "en");
    const perturbations: PerturbationReport[] = [];
    for (const perturbation of PERTURBATIONS) {
      const results = await runPart(qa, perturbed, testLabel, (q) => perturbation.apply(q.question, q.id));
      const metrics = aggregate(results);
      perturbations.push({
        name: perturbation.name,
        questions: perturbed.length,
        metrics: pick(metrics),
        deltaPoints: Object.fromEntries(FLOORED_METRICS.map((m) => [m, deltaPoints(metrics[m], testMetrics[m])])) as Record<FlooredMetric, number | null>,
      });
    }

    let llm: LlmReport | null = null;
    if (options.llm) {
      progress("LLM mode: the test part's answerable questions through the LLM answerer and a fake model");
      llm = await runLlmMode(options.config, open, test.filter((q) => isAnswerable(q.kind) && q.lang === "en"), testLabel, progress);
    }

    let ablations: EvalReport["ablations"] = null;
    if (options.ablations) {
      ablations = [];
      for (const variant of ABLATIONS) {
        ablations.push({ name: variant.name, metrics: aggregate(await runPart(await open({ retrieval: variant.settings }), dev.filter((q) => q.lang === "en"), devLabel)) });
      }
      ablations.push({ name: "shipped (hybrid + dates)", metrics: aggregate(devResults) });
    }

    const byLang = (all: QuestionResult[]) =>
      Object.fromEntries(QUESTION_LANGS.filter((lang) => lang !== "en" && all.some((r) => r.lang === lang)).map((lang) => [lang, aggregate(all.filter((r) => r.lang === lang))]));
    const partReport = (file: string, results: QuestionResult[], all: QuestionResult[]): PartReport => ({
      file: shown(file), metrics: aggregate(results), byKind: aggregateByKind(results), byLang: byLang(all),
    });
    return {
      generatedAt: new Date().toISOString(),
      today: EVAL_DEFAULTS.today,
      corpus: { dirs: corpusDirs.map(shown), documents: docIds.size, chunks: summary.chunks },
      settings: { chunking: options.chunking ?? null, retrieval: options.retrieval ?? null },
      dev: {
        ...partReport(devFile, devResults, devAll),
        failures: devAll.filter((r) => r.why.length > 0).map((r) => ({ id: r.id, kind: r.kind, question: r.question, why: r.why })),
        answers: devAll.map((r) => ({ id: r.id, kind: r.kind, question: r.question, outcome: r.outcome, text: r.answerText })),
      },
      test: partReport(testFile, testResults, testAll),
      perturbations,
      llm,
      ablations,
      floors: {
        definition: FLOORS,
        misses: floorMisses({ test: testMetrics, perturbations, llm, languages: byLang(testAll) }),
        failures: floorMisses({ test: testMetrics, perturbations, llm, languages: byLang(testAll) }, { enforced: true }),
      },
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Asks and scores every question of a part, in order; `textOf` perturbs the final question. */
async function runPart(qa: QaService, questions: readonly EvalQuestion[], label: string, textOf?: (q: EvalQuestion) => string): Promise<QuestionResult[]> {
  const results: QuestionResult[] = [];
  for (const q of questions) {
    const text = textOf?.(q) ?? q.question;
    const { answer, ms } = await askQuestion(qa, q, { label, text });
    results.push(scoreAnswer(q, answer, ms, text));
  }
  return results;
}

async function runLlmMode(
  config: Config,
  open: (extra?: Partial<QaPipelineOptions>) => Promise<QaPipeline>,
  questions: readonly EvalQuestion[],
  label: string,
  progress: (line: string) => void,
): Promise<LlmReport> {
  let warnings = 0;
  const model = await startFakeAnsweringModel(config, {
    warn: () => void (warnings += 1),
    error: (message) => progress(`LLM mode: ${message}`),
  });
  try {
    const qa = await open({ createAnswerer: model.createAnswerer });
    const results: QuestionResult[] = [];
    let byModel = 0;
    for (const q of questions) {
      model.prepare(1 + (q.history?.length ?? 0));
      const { answer, ms } = await askQuestion(qa, q, { label });
      if (answer.mode === "llm") byModel++;
      results.push(scoreAnswer(q, answer, ms));
    }
    if (warnings > 0) progress(`LLM mode: ${warnings} answerer warning(s) (fallbacks or dropped citations)`);
    const ms = results.map((r) => r.ms);
    return {
      questions: results.length,
      answerableRefused: aggregate(results).answerableRefused,
      answeredByModel: ratio(byModel, results.length),
      p50Ms: Math.round(percentile(ms, 50) * 100) / 100,
      p95Ms: Math.round(percentile(ms, 95) * 100) / 100,
    };
  } finally {
    await model.close();
  }
}

/** Copies the regular files of each existing directory into `target` (later trees win on a clash); returns the directories used. */
async function mergeCorpora(dirs: readonly string[], target: string): Promise<string[]> {
  const used: string[] = [];
  for (const dir of dirs) {
    const source = path.resolve(dir);
    let entries;
    try {
      entries = await readdir(source, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    used.push(source);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const from = path.join(entry.parentPath, entry.name);
      const to = path.join(target, path.relative(source, from));
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(from, to);
    }
  }
  if (used.length === 0) throw new EvalInputError(`no corpus: none of ${dirs.join(", ")} exists`);
  return used;
}

/** A path for people: relative to the repository when inside it. */
function shown(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function pick(metrics: PartMetrics): Pick<PartMetrics, FlooredMetric> {
  return Object.fromEntries(FLOORED_METRICS.map((m) => [m, metrics[m]])) as Pick<PartMetrics, FlooredMetric>;
}
