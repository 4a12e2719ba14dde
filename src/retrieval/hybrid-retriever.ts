/**
 * Hybrid retrieval: vector kNN (HNSW) and BM25 candidates fused by a weighted sum of
 * min-max-normalised scores, then boosted by date hints, de-duplicated, and judged for
 * relevance (does the best document actually speak about what the question names?).
 */
import type { Chunk, Passage } from "../domain.ts";
import type { Embedder } from "../embeddings/embedder.ts";
import type { LoadedIndex } from "../store/open-index.ts";
import { dateMatches, type DateHints, hasDateHints, parseDateHints } from "./date-hints.ts";
import { contentTerms, terms } from "./terms.ts";

export interface RetrievalSettings {
  /** Passages returned; default 5. */
  k: number;
  /** Candidates taken from each retriever before fusion; default 40. */
  candidates: number;
  /** Weight of the vector score in the fused score (BM25 gets 1 − this); default 0.35. */
  vectorWeight: number;
  /** Which signals to use (for ablations); all on by default. */
  useVectors: boolean;
  useLexical: boolean;
  useDateHints: boolean;
  /** Score factor for a passage outside the question's dates; default 0.35. */
  outOfRangeFactor: number;
  /** Least share of the question's IDF-weighted terms the best document must contain; default 0.5. */
  minCoverage: number;
}

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  k: 5,
  candidates: 40,
  vectorWeight: 0.35,
  useVectors: true,
  useLexical: true,
  useDateHints: true,
  outOfRangeFactor: 0.35,
  minCoverage: 0.5,
};

export interface Retrieval {
  passages: Passage[];
  /** Whether the best passages are relevant enough to answer from. */
  relevant: boolean;
  /** Share of the question's weighted terms found in the best document (0–1). */
  coverage: number;
  /** Names (capitalised words) of the question that the best document never mentions. */
  missingNames: string[];
  dateHints: DateHints;
}

interface Candidate {
  slot: number;
  chunk: Chunk;
  vector: number;
  lexical: number;
}

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Whether a chunk's text itself names one of the hinted periods ("in May 2023" in a 2025 article). */
function textMentions(text: string, hints: DateHints): boolean {
  const lower = text.toLowerCase();
  for (const range of hints.ranges) {
    const [year, month] = range.from.split("-").map(Number);
    const sameMonth = range.from.slice(0, 7) === range.to.slice(0, 7);
    if (!lower.includes(String(year))) continue;
    if (!sameMonth || lower.includes(MONTH_NAMES[month - 1])) return true;
  }
  return hints.months.some((hint) => new RegExp(`\\b${MONTH_NAMES[hint.month - 1]}\\b`).test(lower));
}

/** Capitalised words inside the question (not its first word): the names it asks about. */
export function questionNames(question: string): string[] {
  const names: string[] = [];
  for (const match of question.matchAll(/(?<=[\s(“"'])[A-Z][\p{L}'’-]+/gu)) {
    const term = terms(match[0])[0];
    if (term) names.push(term);
  }
  return [...new Set(names)];
}

export class HybridRetriever {
  readonly settings: RetrievalSettings;

  constructor(
    private readonly index: LoadedIndex,
    private readonly embedder: Embedder,
    settings: Partial<RetrievalSettings> = {},
  ) {
    this.settings = { ...DEFAULT_RETRIEVAL_SETTINGS, ...settings };
  }

  async retrieve(question: string, options: { today?: Date; settings?: Partial<RetrievalSettings> } = {}): Promise<Retrieval> {
    const s = { ...this.settings, ...options.settings };
    const { store, lexical } = this.index;
    const hints = s.useDateHints ? parseDateHints(question, options.today) : { ranges: [], months: [] };
    const dated = hasDateHints(hints);
    const inRange = (chunk: Chunk) => dateMatches(chunk.publishedOn, hints) || textMentions(chunk.text, hints);

    const candidates = new Map<number, Candidate>();
    const take = (slot: number) => {
      let candidate = candidates.get(slot);
      if (!candidate) {
        candidate = { slot, chunk: store.chunkAt(slot)!, vector: Number.NaN, lexical: 0 };
        candidates.set(slot, candidate);
      }
      return candidate;
    };

    let queryVector: number[] | null = null;
    if (s.useVectors) {
      queryVector = await this.embedder.embedQuery(question);
      for (const hit of store.searchVector(queryVector, s.candidates)) take(hit.slot).vector = hit.similarity;
      if (dated) {
        for (const hit of store.searchVector(queryVector, s.candidates, inRange)) take(hit.slot).vector = hit.similarity;
      }
    }
    if (s.useLexical) {
      for (const hit of lexical.query(question, s.candidates)) {
        if (store.chunkAt(hit.slot)) take(hit.slot).lexical = hit.score;
      }
    }
    if (candidates.size === 0) return { passages: [], relevant: false, coverage: 0, missingNames: [], dateHints: hints };

    // Lexical-only candidates still get their exact cosine, so both scores are comparable.
    if (queryVector) {
      for (const candidate of candidates.values()) {
        if (Number.isNaN(candidate.vector)) candidate.vector = cosine(queryVector, store.vectorAt(candidate.slot));
      }
    }
    const all = [...candidates.values()];
    const vMin = Math.min(...all.map((c) => c.vector || 0));
    const vMax = Math.max(...all.map((c) => c.vector || 0));
    const lMax = Math.max(...all.map((c) => c.lexical), 1e-9);
    const vw = !s.useLexical ? 1 : !s.useVectors ? 0 : s.vectorWeight;
    const scored = all.map((c) => {
      const v = queryVector ? ((c.vector || 0) - vMin) / (vMax - vMin || 1) : 0;
      let score = vw * v + (1 - vw) * (c.lexical / lMax);
      if (dated && !inRange(c.chunk)) score *= s.outOfRangeFactor;
      return { chunk: c.chunk, score };
    });
    scored.sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));

    const passages = dedupe(scored, s.k);
    const { coverage, missingNames } = this.judge(question, passages);
    return { passages, relevant: coverage >= s.minCoverage && missingNames.length === 0, coverage, missingNames, dateHints: hints };
  }

  /** How much of the question the best passage's document covers, by IDF-weighted terms. */
  private judge(question: string, passages: Passage[]): { coverage: number; missingNames: string[] } {
    if (passages.length === 0) return { coverage: 0, missingNames: [] };
    const best = passages[0].chunk;
    const { store, lexical, manifest } = this.index;
    const docTerms = new Set<string>(terms(best.title));
    for (const slot of manifest.documents[best.docId]?.slots ?? []) {
      const chunk = store.chunkAt(slot);
      if (chunk) for (const term of terms(chunk.text)) docTerms.add(term);
    }
    const wanted = contentTerms(question);
    let total = 0;
    let found = 0;
    for (const term of wanted) {
      const weight = lexical.idf(term);
      total += weight;
      if (docTerms.has(term)) found += weight;
    }
    const missingNames = questionNames(question).filter((name) => !docTerms.has(name));
    return { coverage: total > 0 ? found / total : 0, missingNames };
  }
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

/** Best-first passages without near-copies: an overlapping chunk of the same document is kept only if mostly new. */
function dedupe(scored: { chunk: Chunk; score: number }[], k: number): Passage[] {
  const kept: Passage[] = [];
  for (const candidate of scored) {
    if (kept.length >= k) break;
    const { chunk } = candidate;
    const repeats = kept.some(({ chunk: other }) => {
      if (other.docId !== chunk.docId) return other.text === chunk.text;
      const overlap = Math.min(other.end, chunk.end) - Math.max(other.start, chunk.start);
      return overlap > 0.5 * (chunk.end - chunk.start);
    });
    if (!repeats) kept.push({ chunk, score: Number(candidate.score.toFixed(4)) });
  }
  return kept;
}
