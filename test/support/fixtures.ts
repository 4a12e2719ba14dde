/** Shared set-up for tests over the fixture corpus with the real local embeddings. */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { QaPipeline } from "../../src/answering/qa-pipeline.ts";
import { LocalEmbeddings } from "../../src/embeddings/local-embeddings.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { buildIndex } from "../../src/store/build-index.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURE_CORPUS = path.join(REPO_ROOT, "test/fixtures/corpus");
/** The word-vector cache is shared by every test (its first build takes ~7 s). */
export const MODEL_CACHE_DIR = path.join(REPO_ROOT, "data/models");
/** "Today" for relative date hints, fixed so that tests do not age. */
export const TODAY = new Date("2026-11-23T12:00:00Z");

/** A temp directory holding a copy of the fixture corpus (`corpus/`) and room for an index (`index/`). */
export async function tempWorkspace(): Promise<{ dir: string; corpusDir: string; indexDir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "visits-test-"));
  const corpusDir = path.join(dir, "corpus");
  await cp(FIXTURE_CORPUS, corpusDir, { recursive: true });
  return { dir, corpusDir, indexDir: path.join(dir, "index"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Indexes a workspace's corpus with the real local embeddings and opens the pipeline as `npm start` would. */
export async function openFixturePipeline(workspace: { corpusDir: string; indexDir: string }): Promise<{ qa: QaPipeline; embedder: LocalEmbeddings }> {
  const embedder = await LocalEmbeddings.load({ cacheDir: MODEL_CACHE_DIR });
  await buildIndex({ corpusDir: workspace.corpusDir, indexDir: workspace.indexDir, embedder });
  const qa = await QaPipeline.open({
    indexDir: workspace.indexDir,
    embedder,
    knowledge: await loadKnowledge(workspace.corpusDir),
    wordSimilarity: (a, b) => embedder.wordSimilarity(a, b),
    isCommonWord: (word) => embedder.isCommonWord(word),
    today: () => TODAY,
  });
  return { qa, embedder };
}
