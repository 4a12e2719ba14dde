/**
 * The seams between retrieval, answering and the interfaces (CLI, bot).
 * Implementations: ExtractiveAnswerer (offline) and LlmAnswerer (OpenAI-compatible).
 */
import type { Answer, Chunk, Passage } from "../domain.ts";
import type { Question } from "../question/question.ts";
import type { Answerability } from "./answerability.ts";

/** One earlier exchange of a conversation, oldest first. */
export interface Turn {
  question: string;
  answer: string;
  /** The documents the answer cited, first cited first: a follow-up looks there first. */
  docIds?: readonly string[];
}

/** What an answerer gets: the question, its analysis, the passages retrieval found for it (best first) and the answerability decision. */
export interface AnswerInput {
  question: string;
  analysis: Question;
  passages: Passage[];
  /** Whether the passages answer: the extractive answerer follows it, a model judges for itself. */
  decision: Answerability;
  /** Earlier turns of the conversation (follow-ups), oldest first. */
  history?: readonly Turn[];
  /** Called with the growing answer text while a generative answer streams. */
  onPartial?: (text: string) => void;
  signal?: AbortSignal;
}

/** Turns passages into an answer with citations. Never throws for a model failure: it falls back. */
export interface Answerer {
  readonly mode: Answer["mode"];
  answer(input: AnswerInput): Promise<Omit<Answer, "timings" | "passages" | "question">>;
  /**
   * Optional: rewrite a follow-up plus the recent turns into a standalone question
   * before retrieval (the LLM answerer does this with one short model call).
   */
  condense?(question: string, history: readonly Turn[], signal?: AbortSignal): Promise<string>;
  /** Optional: one cheap request that tells whether the model is usable (key, model name); never throws. */
  probe?(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; message: string; kind?: string }>;
}

/** Options of one question. */
export interface AskOptions {
  /** Earlier turns of this conversation (follow-ups), oldest first. */
  history?: readonly Turn[];
  onPartial?: (text: string) => void;
  signal?: AbortSignal;
}

/** A document as listed by `/sources` and `/timeline`. */
export interface SourceEntry {
  docId: string;
  title: string;
  publishedOn: string | null;
  sourceName: string | null;
  sourceUrl: string | null;
  chunks: number;
}

/** Size and period of the loaded corpus. */
export interface CorpusOverview {
  documents: number;
  chunks: number;
  /** Earliest and latest publication dates, `YYYY-MM-DD`, null when no document is dated. */
  firstDate: string | null;
  lastDate: string | null;
  /** When the serving index was built (ISO timestamp). */
  builtAt: string;
}

/** Everything the interfaces need from the question-answering core. */
export interface QaService {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  overview(): CorpusOverview;
  /** Documents, newest first (undated last). */
  sources(): SourceEntry[];
  /** One chunk by id (for "open the cited passage"), or null when the index no longer has it. */
  chunk(chunkId: string): Chunk | null;
  /** Every chunk id of the serving index (to resolve hashed button data). */
  chunkIds(): Iterable<string>;
  /** A few questions this corpus can answer, for help texts (checked once per index, in the background after start). */
  exampleQuestions(count: number): Promise<string[]>;
}
