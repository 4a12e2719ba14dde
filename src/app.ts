/**
 * Composition helpers shared by `main.ts` and the scripts: the one place where the
 * configuration picks concrete embedders and answerers, and where an index that is
 * missing or stale gets (re)built before serving.
 */
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, loadConfig, resolveEmbedder } from "./config.ts";
import { AppError } from "./errors.ts";
import type { Answerer } from "./answering/answerer.ts";
import type { ExtractiveAnswerer } from "./answering/extractive-answerer.ts";
import type { LlmLogger } from "./answering/llm-answerer.ts";
import { QaPipeline, type QaPipelineOptions } from "./answering/qa-pipeline.ts";
import type { Embedder } from "./embeddings/embedder.ts";
import { LocalEmbeddings } from "./embeddings/local-embeddings.ts";
import { loadKnowledge } from "./knowledge/load-knowledge.ts";
import type { WordSimilarity } from "./answering/answerability.ts";
import { type BuildSummary, buildIndex, diffCorpus, formatSummary, removeBuildLeftovers } from "./store/build-index.ts";
import { embedderMismatch, IndexDamagedError, IndexMismatchError, type Manifest, readManifest, verifyGeneration } from "./store/index-files.ts";

export type Progress = (message: string) => void;

/** The configured embedder: local word vectors (offline) or OpenAI-compatible embeddings. */
export async function createEmbedder(config: Config, onProgress?: Progress): Promise<Embedder> {
  if (resolveEmbedder(config) === "openai") {
    // OpenAI code loads only when it is configured: the offline default starts faster without it.
    const { createOpenAIEmbedder } = await import("./embeddings/openai-embedder.ts");
    const embedder = createOpenAIEmbedder({
      apiKey: config.openaiApiKey!,
      baseUrl: config.openaiBaseUrl,
      model: config.embeddingModel,
      timeoutMs: config.openaiTimeoutMs,
      fixHint:
        config.embeddings === "auto"
          ? "check OPENAI_BASE_URL and OPENAI_API_KEY, or set EMBEDDINGS=local to embed offline"
          : "check OPENAI_BASE_URL, OPENAI_API_KEY and EMBEDDING_MODEL",
    });
    return embedder.init();
  }
  return LocalEmbeddings.load({ cacheDir: config.modelCacheDir, onProgress });
}

/** The answerer for the configuration: the LLM one with the extractive one as its fallback, or extractive alone. */
export async function answererFactory(config: Config, logger?: LlmLogger): Promise<((extractive: ExtractiveAnswerer) => Answerer) | undefined> {
  if (!config.openaiApiKey) return undefined;
  const { LlmAnswerer } = await import("./answering/llm-answerer.ts");
  return (extractive) =>
    new LlmAnswerer({
      apiKey: config.openaiApiKey!,
      baseUrl: config.openaiBaseUrl,
      model: config.chatModel,
      timeoutMs: config.openaiTimeoutMs,
      fallback: extractive,
      logger,
    });
}

/** Paraphrase-aware answerability and typo correction need word vectors: the local embedder has them. */
export function wordKnowledgeOf(embedder: Embedder): { wordSimilarity?: WordSimilarity; isCommonWord?: (word: string) => boolean } {
  if (!(embedder instanceof LocalEmbeddings)) return {};
  return { wordSimilarity: (a, b) => embedder.wordSimilarity(a, b), isCommonWord: (word) => embedder.isCommonWord(word) };
}

/** Why the index cannot be served at all (missing, another format or embedder, a damaged manifest), or null; the manifest when it can. */
async function unusableReason(config: Config, embedder: Embedder): Promise<{ reason: string } | { manifest: Manifest }> {
  let manifest: Manifest | null;
  try {
    manifest = await readManifest(config.indexDir);
  } catch (error) {
    if (error instanceof IndexMismatchError) return { reason: "the index format changed" };
    return { reason: error instanceof IndexDamagedError ? "the index is damaged" : "the index is unreadable" };
  }
  if (!manifest) return { reason: "no index yet" };
  const mismatch = embedderMismatch(manifest, embedder);
  if (mismatch) return { reason: `the index was built with ${mismatch}, the configured embedder` };
  return { manifest };
}

/** Why the index must be (re)built before serving, or null when it matches the corpus. */
export async function staleReason(config: Config, embedder: Embedder): Promise<string | null> {
  const usable = await unusableReason(config, embedder);
  if ("reason" in usable) return usable.reason;
  const { manifest } = usable;
  // Only files whose size or modification time changed since the build are read and hashed.
  const { toEmbed, stale } = await diffCorpus(config.corpusDir, manifest.documents);
  if (toEmbed.length > 0) return `${toEmbed[0].docId} ${manifest.documents[toEmbed[0].docId] ? "changed" : "was added"}`;
  if (stale.length > 0) return `${stale[0][0]} was removed`;
  return null;
}

/** Builds the index when it is missing or stale (with progress); returns the summary, or null when it was fresh. */
export async function ensureIndex(config: Config, embedder: Embedder, onProgress: Progress, build: IndexBuild = inProcessBuild(config, embedder)): Promise<BuildSummary | null> {
  const reason = await staleReason(config, embedder);
  if (!reason) return null;
  onProgress(`Building the index (${reason})…`);
  const summary = await build(onProgress);
  onProgress(`Index ready: ${formatSummary(summary)}`);
  return summary;
}

/** An incremental build of config's corpus into its index, with progress lines. */
export type IndexBuild = (onProgress: Progress) => Promise<BuildSummary>;

/** The build in this process, with this embedder. */
function inProcessBuild(config: Config, embedder: Embedder): IndexBuild {
  return (onProgress) => buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, onProgress });
}

/** argv[2] of the index-building child process (see buildIndexInChildProcess). */
const BUILD_FLAG = "--build-index";

/** What the building child tells its parent over IPC. */
type BuildMessage =
  | { progress: string }
  | { summary: BuildSummary }
  | { error: { name: string; code: string | null; message: string; userMessage: string | null; stack: string | null } };

/**
 * Builds config's index in a child process (this module run as a script, with the
 * parent's loader flags so it works from sources and from dist/), so that a long-running
 * server never holds what a build allocates: the corpus's text, every chunk's vector and
 * the new graph (~200 MB more than serving at 30k chunks, which V8 keeps once it has it).
 * The child reads the embedder's settings from the same environment; its progress lines
 * come through `onProgress`, and its errors are thrown here with their user-facing text.
 */
export function buildIndexInChildProcess(config: Config): IndexBuild {
  return (onProgress) =>
    new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), [BUILD_FLAG, config.corpusDir, config.indexDir], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
      let outcome: Exclude<BuildMessage, { progress: string }> | null = null;
      let stderr = "";
      child.stderr?.on("data", (data) => (stderr += data));
      child.on("message", (message: BuildMessage) => {
        if ("progress" in message) onProgress(message.progress);
        else outcome = message;
      });
      child.on("error", (error) => reject(new AppError("INDEX_BUILD", `Could not start the index build process: ${error.message}`)));
      child.on("exit", (code, signal) => {
        const result = outcome as Exclude<BuildMessage, { progress: string }> | null;
        if (result && "summary" in result) return resolve(result.summary);
        if (result && "error" in result) return reject(revivedError(result.error));
        const why = stderr.trim().split("\n").at(-1) || `exit ${signal ?? code}`;
        reject(new AppError("INDEX_BUILD", `The index build process ended without a result (${why}); npm run embed builds the index on its own and shows the whole error.`));
      });
    });
}

/** The child's error as the parent throws it: an AppError keeps its code and user-facing text. */
function revivedError(error: Extract<BuildMessage, { error: unknown }>["error"]): Error {
  const revived = error.code === null ? new Error(error.message) : new AppError(error.code, error.message, error.userMessage === null ? {} : { userMessage: error.userMessage });
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/** The child's side: builds CORPUS_DIR/INDEX_DIR given as arguments with the environment's embedder, and reports over IPC. */
async function runBuildChild(corpusDir: string, indexDir: string): Promise<void> {
  const send = (message: BuildMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  try {
    const config = { ...loadConfig(), corpusDir, indexDir };
    const embedder = await createEmbedder(config);
    const summary = await buildIndex({ corpusDir, indexDir, embedder, onProgress: (message) => void send({ progress: message }) });
    await send({ summary });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    await send({ error: { name: e.name, code: e instanceof AppError ? e.code : null, message: e.message, userMessage: e instanceof AppError ? e.userMessage : null, stack: e.stack ?? null } });
  }
  process.exit(0);
}

/** What `openQa` is told: where progress goes, and whether this is a long-running server. */
export interface OpenQaOptions {
  onProgress: Progress;
  /** Follow re-embedded indexes (src/answering/qa-pipeline.ts `watch`). */
  watch?: boolean;
  logger?: LlmLogger;
  /**
   * For a long-running server that must be ready fast (npm start): an index that exists and
   * fits the embedder is served at once, and the checks that need not hold up the first
   * answer run just after: the files' checksums (src/store/open-index.ts, `deferred`) and
   * whether the corpus changed since the build (~0.3-0.5 s of lstat at 10k documents). A
   * damaged index or a changed corpus is then rebuilt and swapped in, with the same notices
   * as at start. Missing, incompatible or unreadable indexes are still built before serving.
   */
  deferChecks?: boolean;
  /**
   * Build in a child process (buildIndexInChildProcess) instead of this one: for a
   * long-running server (npm start), whose memory must not keep what a build allocated.
   */
  isolateBuilds?: boolean;
}

/**
 * Embedder + fresh index + pipeline: what every interface starts with. With a model
 * configured, one probe request reports a rejected key or unknown model at startup.
 */
export async function openQa(config: Config, options: OpenQaOptions): Promise<QaPipeline> {
  const embedder = await createEmbedder(config, options.onProgress);
  await removeBuildLeftovers(config.indexDir, options.onProgress);
  const build = options.isolateBuilds ? buildIndexInChildProcess(config) : inProcessBuild(config, embedder);
  const deferred = options.deferChecks === true && "manifest" in (await unusableReason(config, embedder));
  if (!deferred) await ensureIndex(config, embedder, options.onProgress, build);
  const pipelineOptions: QaPipelineOptions = {
    indexDir: config.indexDir,
    embedder,
    verify: deferred ? "deferred" : "full",
    knowledge: await loadKnowledge(config.corpusDir),
    ...wordKnowledgeOf(embedder),
    createAnswerer: await answererFactory(config, options.logger),
    onReload: (event) => {
      if (!event.ok) return options.logger?.error(`Could not load the new index, still serving the previous one: ${event.error.message}`);
      options.onProgress(`Switched to the new index (${event.chunks} chunks).`);
      // Its checksums too, as for the one loaded at start (the build that wrote it has diffed the corpus).
      if (deferred) setImmediate(() => void checkAfterReady(config, embedder, qa, options, build, { corpus: false }));
    },
  };
  let qa: QaPipeline;
  try {
    qa = await QaPipeline.open(pipelineOptions);
  } catch (error) {
    // Opening checks every file against the manifest: a damaged index is rebuilt, never served.
    if (!(error instanceof IndexDamagedError)) throw error;
    options.onProgress(`${error.problem}; rebuilding it…`);
    const summary = await build(options.onProgress);
    options.onProgress(`Index ready: ${formatSummary(summary)}`);
    qa = await QaPipeline.open(pipelineOptions);
  }
  if (options.watch) qa.watch();
  // After the caller's synchronous start-up (the terminal's prompt is out by then): the
  // suggested questions are checked (the bot's /help and the terminal show them), then the index.
  if (options.deferChecks) setImmediate(() => void qa.exampleQuestions(0));
  if (deferred) setImmediate(() => void checkAfterReady(config, embedder, qa, options, build, { corpus: true }));
  const probe = await qa.answerer.probe?.();
  if (probe && !probe.ok) {
    // One line with the fix; the answerer stays quiet about the same outage until the model answers again.
    const where = config.openaiBaseUrl ? `server ${config.openaiBaseUrl}` : "the OpenAI API";
    const fix =
      probe.kind === "auth"
        ? "check OPENAI_API_KEY"
        : probe.kind === "not-found"
          ? `check CHAT_MODEL ("${config.chatModel}") and that OPENAI_BASE_URL ends in /v1`
          : "check that the server runs and OPENAI_BASE_URL, or unset OPENAI_API_KEY for offline answers";
    options.logger?.error(`The language model is not usable (${probe.message}; ${where}): answers are extractive until it is fixed; ${fix}.`);
  }
  return qa;
}


/**
 * The checks `deferChecks` moves to just after ready: the serving generation's checksums,
 * then the corpus against the manifest; a damaged index or a changed corpus is rebuilt and
 * the new generation swapped in (questions meanwhile are answered from the one loaded).
 */
async function checkAfterReady(config: Config, embedder: Embedder, qa: QaPipeline, options: OpenQaOptions, build: IndexBuild, check: { corpus: boolean }): Promise<void> {
  try {
    let notice: string | null = null;
    try {
      await verifyGeneration(qa.index.dir, qa.index.manifest);
    } catch (error) {
      if (!(error instanceof IndexDamagedError)) throw error;
      notice = `${error.problem}; rebuilding it…`;
    }
    if (!notice && check.corpus) {
      const reason = await staleReason(config, embedder);
      if (reason) notice = `Building the index (${reason})…`;
    }
    if (!notice) return;
    options.onProgress(notice);
    const summary = await build(options.onProgress);
    options.onProgress(`Index ready: ${formatSummary(summary)}`);
    await qa.reload();
  } catch (error) {
    // Still serving the index that was loaded; the message says what to run.
    const message = error instanceof Error ? error.message : String(error);
    if (options.logger) options.logger.error(`Could not check or rebuild the index after start: ${message}`);
    else options.onProgress(`Could not check or rebuild the index after start: ${message}`);
  }
}

if (process.argv[2] === BUILD_FLAG && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runBuildChild(process.argv[3], process.argv[4]);
}
