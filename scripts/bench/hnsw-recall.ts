/**
 * HNSW against exact search on the same vectors: recall@k and speed for several `ef`
 * values, plus a tight brute-force loop (a fairer baseline than `exactSearch`, which is
 * written for clarity) and BM25-only latency on the same index.
 */
import hnswlib from "hnswlib-node";
import type { Embedder } from "../../src/embeddings/embedder.ts";
import type { LoadedIndex } from "../../src/store/open-index.ts";
import { round, since, summarize, type LatencySummary } from "./measure.ts";

export interface EfResult {
  ef: number;
  /** Mean share of the exact top k that HNSW returns (ties with the k-th exact score count as found). */
  recall: number;
  /** Worst single query's recall. */
  minRecall: number;
  latency: LatencySummary;
  /** Mean exact-search time / mean HNSW time. */
  speedup: number;
  /** Mean tight-brute-force time / mean HNSW time. */
  speedupVsTight: number;
}

/** A graph with other parameters, built from the same vectors, measured the same way. */
export interface AlternativeGraph {
  m: number;
  efConstruction: number;
  /** Time to insert every vector (single thread), s. */
  buildSeconds: number;
  efs: EfResult[];
  bestEf: number | null;
}

export interface HnswReport {
  chunks: number;
  queries: number;
  k: number;
  m: number;
  efConstruction: number;
  exact: LatencySummary;
  tightBruteForce: LatencySummary;
  efs: EfResult[];
  /** The smallest ef that meets both targets, or null. */
  bestEf: number | null;
  alternatives: AlternativeGraph[];
  /** Of every graph and ef measured, the fastest that meets both targets. */
  fastestMeetingTargets: { m: number; efConstruction: number; ef: number; meanMs: number; recall: number; speedup: number } | null;
  bm25: LatencySummary;
}

/** Top-k dot products over unit vectors in one flat array (what a careful brute force costs). */
function tightTopK(vectors: Float32Array, dimensions: number, slots: number, query: Float32Array, k: number): number[] {
  const best = new Float64Array(k).fill(-Infinity);
  for (let slot = 0; slot < slots; slot++) {
    let dot = 0;
    const base = slot * dimensions;
    for (let d = 0; d < dimensions; d++) dot += vectors[base + d] * query[d];
    if (dot > best[k - 1]) {
      let i = k - 1;
      while (i > 0 && best[i - 1] < dot) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = dot;
    }
  }
  return Array.from(best);
}

export async function evaluateHnsw(options: {
  index: LoadedIndex;
  embedder: Embedder;
  questions: readonly string[];
  efs: readonly number[];
  /** Other (M, efConstruction) graphs to build from the same vectors, each swept over its own `efs`. */
  alternatives?: readonly { m: number; efConstruction: number; efs: readonly number[] }[];
  k?: number;
  targets: { recall: number; speedup: number };
}): Promise<HnswReport> {
  const { index, embedder } = options;
  const { store, lexical } = index;
  const k = options.k ?? 10;
  const queries = await Promise.all(options.questions.map(async (q) => Float32Array.from(await embedder.embedQuery(q))));

  // Exact neighbours once per query; its time is the baseline.
  const exactTimes: number[] = [];
  const exactFloor: number[] = [];
  for (const query of queries) {
    const t = performance.now();
    const hits = store.exactSearch(query, k);
    exactTimes.push(since(t));
    exactFloor.push(hits.at(-1)?.similarity ?? -Infinity);
  }

  const flat = new Float32Array(store.slotCount * store.dimensions);
  for (const [slot] of store.entries()) flat.set(store.vectorAt(slot), slot * store.dimensions);
  const tightTimes: number[] = [];
  for (const query of queries) {
    const t = performance.now();
    tightTopK(flat, store.dimensions, store.slotCount, query, k);
    tightTimes.push(since(t));
  }

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const meanExact = mean(exactTimes);
  const meanTight = mean(tightTimes);
  /** Recall and speed of one searcher at each ef. */
  const sweep = (efs: readonly number[], setEf: (ef: number) => void, search: (query: Float32Array) => number[]): EfResult[] =>
    efs.map((ef) => {
      setEf(ef);
      for (const query of queries.slice(0, 20)) search(query); // warm-up
      const times: number[] = [];
      const recalls: number[] = [];
      queries.forEach((query, i) => {
        const t = performance.now();
        const similarities = search(query);
        times.push(since(t));
        // Float32 storage vs float64 arithmetic: allow a hair of rounding on the k-th score.
        const found = similarities.filter((similarity) => similarity >= exactFloor[i] - 1e-5).length;
        recalls.push(Math.min(found, k) / k);
      });
      return {
        ef,
        recall: round(mean(recalls), 4),
        minRecall: round(Math.min(...recalls), 2),
        latency: summarize(times),
        speedup: round(meanExact / mean(times), 1),
        speedupVsTight: round(meanTight / mean(times), 1),
      };
    });
  const meets = (e: EfResult) => e.recall >= options.targets.recall && e.speedup >= options.targets.speedup;

  const defaultEf = store.params.efSearch;
  const efs = sweep(options.efs, (ef) => store.setEf(ef), (query) => store.searchVector(query, k).map((hit) => hit.similarity));
  store.setEf(defaultEf);
  const bestEf = efs.find(meets)?.ef ?? null;

  const alternatives: AlternativeGraph[] = [];
  for (const params of options.alternatives ?? []) {
    const graph = new hnswlib.HierarchicalNSW("cosine", store.dimensions);
    graph.initIndex({ maxElements: store.slotCount, m: params.m, efConstruction: params.efConstruction, randomSeed: 42 });
    const t = performance.now();
    for (const [slot] of store.entries()) graph.addPoint(Array.from(store.vectorAt(slot)), slot);
    const buildSeconds = round(since(t) / 1000, 1);
    const results = sweep(params.efs, (ef) => graph.setEf(ef), (query) => graph.searchKnn(Array.from(query), k).distances.map((d) => 1 - d));
    alternatives.push({ m: params.m, efConstruction: params.efConstruction, buildSeconds, efs: results, bestEf: results.find(meets)?.ef ?? null });
  }

  const all = [
    ...efs.map((e) => ({ m: store.params.m, efConstruction: store.params.efConstruction, e })),
    ...alternatives.flatMap((a) => a.efs.map((e) => ({ m: a.m, efConstruction: a.efConstruction, e }))),
  ].filter(({ e }) => meets(e));
  all.sort((a, b) => a.e.latency.mean - b.e.latency.mean);
  const fastest = all[0];
  const fastestMeetingTargets = fastest
    ? { m: fastest.m, efConstruction: fastest.efConstruction, ef: fastest.e.ef, meanMs: fastest.e.latency.mean, recall: fastest.e.recall, speedup: fastest.e.speedup }
    : null;

  const candidates = 40;
  for (const q of options.questions.slice(0, 20)) lexical.query(q, candidates);
  const bm25: number[] = [];
  for (const q of options.questions) {
    const t = performance.now();
    lexical.query(q, candidates);
    bm25.push(since(t));
  }

  return {
    chunks: store.size,
    queries: queries.length,
    k,
    m: store.params.m,
    efConstruction: store.params.efConstruction,
    exact: summarize(exactTimes),
    tightBruteForce: summarize(tightTimes),
    efs,
    bestEf,
    alternatives,
    fastestMeetingTargets,
    bm25: summarize(bm25),
  };
}
