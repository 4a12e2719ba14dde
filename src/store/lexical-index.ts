/**
 * BM25 keyword index over chunks (MiniSearch, BM25+ scoring), keyed by store slot, plus
 * document frequencies of terms so that relevance checks can weigh query terms by IDF.
 * Serialisable, and updatable in place for incremental re-embedding.
 */
import MiniSearch, { type Options } from "minisearch";
import type { Chunk } from "../domain.ts";
import { normalizeTerm, terms } from "../retrieval/terms.ts";

interface IndexedChunk {
  id: number;
  text: string;
  title: string;
  date: string;
}

export interface LexicalHit {
  slot: number;
  score: number;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Words a reader would use for a date ("September 2025"), so keyword search can match them. */
function dateWords(publishedOn: string | null): string {
  if (!publishedOn) return "";
  const [year, month] = publishedOn.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

const OPTIONS: Options<IndexedChunk> = {
  fields: ["text", "title", "date"],
  idField: "id",
  tokenize: (text: string) => text.split(/[^\p{L}\p{N}'’]+/u),
  processTerm: (term: string) => normalizeTerm(term) ?? false,
};

function toIndexed(slot: number, chunk: Chunk): IndexedChunk {
  return { id: slot, text: chunk.text, title: chunk.title, date: dateWords(chunk.publishedOn) };
}

export class LexicalIndex {
  private constructor(
    private readonly search: MiniSearch<IndexedChunk>,
    /** Number of chunks containing each term. */
    private readonly df: Map<string, number>,
  ) {}

  static empty(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<IndexedChunk>(OPTIONS), new Map());
  }

  static fromJSON(json: string): LexicalIndex {
    const { minisearch, df } = JSON.parse(json) as { minisearch: unknown; df: [string, number][] };
    return new LexicalIndex(MiniSearch.loadJS(minisearch as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS), new Map(df));
  }

  toJSON(): string {
    return JSON.stringify({ minisearch: this.search.toJSON(), df: [...this.df] });
  }

  get documentCount(): number {
    return this.search.documentCount;
  }

  add(slot: number, chunk: Chunk): void {
    this.search.add(toIndexed(slot, chunk));
    for (const term of new Set(terms(`${chunk.text} ${chunk.title}`))) this.df.set(term, (this.df.get(term) ?? 0) + 1);
  }

  remove(slot: number, chunk: Chunk): void {
    if (!this.search.has(slot)) return;
    this.search.discard(slot);
    for (const term of new Set(terms(`${chunk.text} ${chunk.title}`))) {
      const count = (this.df.get(term) ?? 0) - 1;
      if (count > 0) this.df.set(term, count);
      else this.df.delete(term);
    }
  }

  /** Inverse document frequency of a normalised term (rare terms weigh more). */
  idf(term: string): number {
    const n = Math.max(1, this.search.documentCount);
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Number of chunks containing a normalised term. */
  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /**
   * Best `k` chunks for the query terms (OR semantics), BM25 score, best first.
   * `expansion` terms (glossary aliases) count with `expansionWeight` (default 0.4).
   */
  query(text: string, k: number, options: { expansion?: readonly string[]; expansionWeight?: number } = {}): LexicalHit[] {
    const extra = new Set(options.expansion ?? []);
    const weight = options.expansionWeight ?? 0.4;
    const query = extra.size > 0 ? `${text} ${[...extra].join(" ")}` : text;
    const results = this.search.search(query, {
      boost: { title: 1.5, date: 0.5 },
      combineWith: "OR",
      boostTerm: extra.size > 0 ? (term: string) => (extra.has(term) ? weight : 1) : undefined,
    });
    return results.slice(0, k).map((result) => ({ slot: result.id as number, score: result.score }));
  }
}
