/**
 * Pure types shared by every layer. Dates are `YYYY-MM-DD` strings (or null when a
 * document has none); offsets are UTF-16 code-unit indices into the document text.
 */

/** One corpus file after loading: its identity, metadata and body text. */
export interface NewsDocument {
  /** The file's path under the corpus directory without its extension, `/`-separated. */
  docId: string;
  title: string;
  /**
   * The words retrieval gives every chunk as its document's context, when not `title`: for
   * a document without a title of its own, the opening words of its text (the displayed
   * headline is cut for reading, which is no reason for search to change).
   */
  searchTitle?: string;
  /** Publication date, `YYYY-MM-DD`, or null for an undated document. */
  publishedOn: string | null;
  /** Name of the original publisher (from the `///originally published by …` line). */
  sourceName: string | null;
  /** Link to the original, when the document names one. */
  sourceUrl: string | null;
  /** Body text with the date token, front matter and source line removed. */
  text: string;
  /** sha256 of the raw file bytes; drives incremental re-embedding. */
  contentHash: string;
}

/** A sentence-aligned slice of one document: the unit that is embedded and retrieved. */
export interface Chunk {
  /** `${docId}#${key of the text}` (src/chunk-id.ts): the same for as long as the chunk's text is unchanged. */
  id: string;
  docId: string;
  title: string;
  /** See `NewsDocument.searchTitle`; `title` when absent. */
  searchTitle?: string;
  publishedOn: string | null;
  sourceName: string | null;
  sourceUrl: string | null;
  /** 0-based position of the chunk within its document. */
  ordinal: number;
  text: string;
  /** Offsets of `text` in the document text: `document.text.slice(start, end) === text`. */
  start: number;
  end: number;
}

/** A retrieved chunk with its fused relevance score (higher is better). */
export interface Passage {
  chunk: Chunk;
  score: number;
}

/** A numbered source that an answer cites as `[n]`. */
export interface Citation {
  n: number;
  docId: string;
  title: string;
  date: string | null;
  source: string | null;
  /** The cited sentence(s), verbatim from the passage. */
  quote: string;
  /** Id of the chunk the quote comes from (for "open the passage" buttons). */
  chunkId: string;
}

export type AnswerMode = "extractive" | "llm";

export type AnswerOutcome = "answer" | "partial" | "refuse";

/** What every answerer returns; `citations` is empty when the corpus does not cover the question. */
export interface Answer {
  question: string;
  mode: AnswerMode;
  text: string;
  citations: Citation[];
  passages: Passage[];
  /** True when the answer says the corpus does not cover the question. */
  refused: boolean;
  /**
   * `answer`, `partial` (the documents speak about the subject but not what was asked:
   * the answer says so and cites the closest fact) or `refuse` (then `refused` is true).
   */
  outcome: AnswerOutcome;
  /** Why the offline answerability decision came out as it did (for logs and `ask --json`); absent for small talk. */
  reasons?: string[];
  /** The language the answer's own words are in (the question's); absent: English. */
  language?: "en" | "ru";
  /** Set when a generative answer failed and the extractive one stands in (one line for the user). */
  notice?: string;
  timings: { retrieveMs: number; answerMs: number };
}

/** The title search reads a chunk by (its `searchTitle`, else its title). */
export function searchTitleOf(chunk: Pick<Chunk, "title" | "searchTitle">): string {
  return chunk.searchTitle ?? chunk.title;
}
