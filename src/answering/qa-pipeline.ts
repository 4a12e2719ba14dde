/**
 * The question-answering core behind every interface: retrieval over the serving index,
 * then an answerer. It follows the index: when `npm run embed` publishes a new
 * generation, `watch()` loads it in the background and swaps it in; questions in flight
 * finish on the index they started with.
 */
import { watchFile, unwatchFile } from "node:fs";
import path from "node:path";
import type { Answer, Chunk, Passage } from "../domain.ts";
import type { Embedder } from "../embeddings/embedder.ts";
import { AppError, IndexError } from "../errors.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { defaultKnowledge } from "../knowledge/load-knowledge.ts";
import { analyseQuestion, type CorpusVocabulary } from "../question/analyse-question.ts";
import { FuzzyWords } from "../question/fuzzy-words.ts";
import { venueOf } from "./venue.ts";
import type { Question } from "../question/question.ts";
import { classifySmallTalk } from "../question/small-talk.ts";
import { HybridRetriever, type RetrievalSettings } from "../retrieval/hybrid-retriever.ts";
import type { SearchIndex } from "../retrieval/search-index.ts";
import { openIndex, type LoadedIndex } from "../store/open-index.ts";
import type { Answerer, AskOptions, CorpusOverview, QaService, SourceEntry, Turn } from "./answerer.ts";
import { exampleCandidates } from "./example-questions.ts";
import { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { smallTalkReply } from "./small-talk.ts";
import { judgeAnswerability, type Evidence, type WordSimilarity } from "./answerability.ts";
import { DEFAULT_ANSWERABILITY_SETTINGS, type AnswerabilitySettings } from "./answerability-settings.ts";

/** Longest question accepted, in characters. */
export const MAX_QUESTION_CHARS = 1000;

export interface QaPipelineOptions {
  indexDir: string;
  embedder: Embedder;
  /** Builds the answerer for a loaded index; default the extractive one. */
  createAnswerer?: (extractive: ExtractiveAnswerer) => Answerer;
  retrieval?: Partial<RetrievalSettings>;
  /** People, places, organisations and roles the questions are read with; default the built-in knowledge base. */
  knowledge?: KnowledgeBase;
  /** Word-vector similarity for paraphrase-aware answerability checks (local embeddings provide it). */
  wordSimilarity?: WordSimilarity;
  /** Whether a lower-case word is a common English word (never "corrected" as a typo); local embeddings provide it. */
  isCommonWord?: (word: string) => boolean;
  /** Thresholds of the answerability decision; default `DEFAULT_ANSWERABILITY_SETTINGS`. */
  answerability?: Partial<AnswerabilitySettings>;
  /** HNSW search breadth; default from the index. */
  efSearch?: number;
  /** How the index files are checked when loaded (src/store/open-index.ts); default `full`. */
  verify?: "full" | "deferred";
  /** Clock for relative date hints ("last September"); default now. */
  today?: () => Date;
  /** Called when a new index was swapped in, or failed to load. */
  onReload?: (event: { ok: true; dir: string; chunks: number } | { ok: false; error: Error }) => void;
}

interface Serving {
  index: LoadedIndex;
  retriever: HybridRetriever;
  answerer: Answerer;
  extractive: ExtractiveAnswerer;
  sources: SourceEntry[];
  overview: CorpusOverview;
  vocabulary: CorpusVocabulary;
  evidence: Evidence;
  /** Suggested questions this index answers with a citation (see `exampleQuestions`), once their check has started. */
  examples: Promise<string[]> | null;
}

/** Candidate suggestions tried per index, and how many are kept. */
const EXAMPLES = { tried: 12, kept: 6 } as const;

export class QaPipeline implements QaService {
  private serving: Serving;
  private watching = false;
  private reloading: Promise<void> | null = null;
  private reloadAgain: Promise<void> | null = null;

  private constructor(private readonly options: QaPipelineOptions, serving: Serving) {
    this.serving = serving;
  }

  /** Opens the serving index; throws IndexError when there is none or it does not fit the embedder. */
  static async open(options: QaPipelineOptions): Promise<QaPipeline> {
    const serving = await QaPipeline.load(options);
    // The suggested questions are checked on first use (`exampleQuestions`), not here: that asks
    // a dozen questions (~0.6 s at 30k chunks, chrono's first parses included).
    return new QaPipeline(options, serving);
  }

  private static async load(options: QaPipelineOptions): Promise<Serving> {
    const index = await openIndex(options.indexDir, options.embedder, { efSearch: options.efSearch, verify: options.verify });
    if (!index) throw new IndexError(`No index in ${options.indexDir}. Run \`npm run embed\` first.`);
    const sources: SourceEntry[] = Object.entries(index.manifest.documents)
      .map(([docId, doc]) => ({ docId, title: doc.title, publishedOn: doc.publishedOn, sourceName: doc.sourceName, sourceUrl: doc.sourceUrl, chunks: doc.slots.length }))
      .sort((a, b) => (b.publishedOn ?? "").localeCompare(a.publishedOn ?? "") || a.docId.localeCompare(b.docId));
    const dates = sources.map((s) => s.publishedOn).filter((d): d is string => d !== null).sort();
    const overview: CorpusOverview = {
      documents: sources.length,
      chunks: index.manifest.chunkCount,
      firstDate: dates[0] ?? null,
      lastDate: dates.at(-1) ?? null,
      builtAt: index.manifest.builtAt,
    };
    const search = searchIndexOf(index);
    const retriever = new HybridRetriever(search, options.embedder, options.retrieval);
    const lexical = search.keywords;
    const knowledge = options.knowledge ?? defaultKnowledge();
    const extractive = new ExtractiveAnswerer({
      idf: (term) => lexical.idf(term),
      period: () => overview,
      documentChunks: (docId) => retriever.chunksOf(docId),
      venueOf: (docId) => {
        const lede = retriever.lede(docId);
        return lede ? venueOf(lede.text, knowledge) : null;
      },
    });
    // Typo indexes are built on the first word the corpus does not know (most questions have none).
    let fuzzyTerms: FuzzyWords | null = null;
    let fuzzyWords: FuzzyWords | null = null;
    const vocabulary: CorpusVocabulary = {
      documentFrequency: (term) => lexical.documentFrequency(term),
      near: (term) => (fuzzyTerms ??= new FuzzyWords(lexical.vocabulary().map((t) => [t, lexical.documentFrequency(t)]))).near(term).map((m) => m.word),
      nearWord: (word) => (fuzzyWords ??= new FuzzyWords(corpusWordCounts(retriever.allChunks()))).near(word).map((m) => m.word),
    };
    const evidence: Evidence = {
      idf: (term) => lexical.idf(term),
      documentHasTerm: (docId, term) => retriever.documentHasTerm(docId, term),
      lede: (docId) => retriever.lede(docId),
      reportNextTo: (docId, direction) => retriever.reportNextTo(docId, direction),
      documentChunks: (docId) => retriever.chunksOf(docId),
      wordSimilarity: options.wordSimilarity,
      knowledge,
    };
    return {
      index,
      retriever,
      vocabulary,
      evidence,
      extractive,
      answerer: options.createAnswerer?.(extractive) ?? extractive,
      sources,
      overview,
      examples: null,
    };
  }

  /** The index being served (for benchmarks and diagnostics). */
  get index(): LoadedIndex {
    return this.serving.index;
  }

  get retriever(): HybridRetriever {
    return this.serving.retriever;
  }

  /** The answerer in use (extractive, or LLM with the extractive one as its fallback). */
  get answerer(): Answerer {
    return this.serving.answerer;
  }

  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    return this.askWith(this.serving, question, options); // one index for the whole question, even if a reload lands meanwhile
  }

  private async askWith(serving: Serving, question: string, options: AskOptions = {}): Promise<Answer> {
    const text = question.replace(/\s+/g, " ").trim();
    if (!text) throw new AppError("EMPTY_QUESTION", "Empty question", { userMessage: "Please ask a question in words, for example: When did the presidents last meet?" });
    if (text.length > MAX_QUESTION_CHARS) {
      throw new AppError("QUESTION_TOO_LONG", `Question of ${text.length} characters`, {
        userMessage: `That question is too long (${text.length} characters). Please keep it under ${MAX_QUESTION_CHARS}.`,
      });
    }
    const started = performance.now();
    const analysis = await this.analyse(serving, text, options.history, options.signal);
    if (analysis.smallTalk) {
      const reply = smallTalkReply(analysis.smallTalk, serving.overview, analysis.language);
      return { question: text, language: analysis.language, mode: "extractive", text: reply, citations: [], passages: [], refused: false, outcome: "answer", timings: { retrieveMs: 0, answerMs: 0 } };
    }
    // A follow-up ("who signed it", "what else") looks first in what the previous answer cited; the "thanks!" between them cited nothing.
    const previousDocs = analysis.followUp ? [...(options.history ?? [])].reverse().find((turn) => !classifySmallTalk(turn.question))?.docIds : undefined;
    const retrieval = await serving.retriever.retrieve(analysis, previousDocs ? { previousDocs } : {});
    const decision = judgeAnswerability(analysis, retrieval.passages, serving.evidence, { ...DEFAULT_ANSWERABILITY_SETTINGS, ...this.options.answerability });
    const passages = answeringFirst(analysis, decision.outcome, decision.supporting, retrieval.passages);
    const retrieved = performance.now();
    const answer = await serving.answerer.answer({
      question: text,
      analysis,
      passages,
      decision,
      history: options.history,
      onPartial: options.onPartial,
      signal: options.signal,
    });
    const answered = performance.now();
    return {
      question: text,
      language: analysis.language,
      ...answer,
      reasons: decision.reasons,
      passages,
      timings: { retrieveMs: round(retrieved - started), answerMs: round(answered - retrieved) },
    };
  }

  /** Analyses the question in its conversation: a follow-up borrows the previous question's subject (or the model condenses it). */
  private async analyse(serving: Serving, text: string, history: readonly Turn[] | undefined, signal?: AbortSignal): Promise<Question> {
    const context = { knowledge: serving.evidence.knowledge, vocabulary: serving.vocabulary, isCommonWord: this.options.isCommonWord, today: this.options.today?.() };
    let previous: Question | null = null;
    // Small talk between two questions ("thanks!", "ок") leaves the subject as it was.
    for (const turn of history ?? []) {
      const read = analyseQuestion(turn.question, { ...context, previous });
      if (!read.smallTalk) previous = read;
    }
    const analysis = analyseQuestion(text, { ...context, previous });
    if (!analysis.followUp || !history?.length || analysis.smallTalk || !serving.answerer.condense) return analysis;
    const standalone = await serving.answerer.condense(text, history, signal);
    return analyseQuestion(standalone, context);
  }

  overview(): CorpusOverview {
    return this.serving.overview;
  }

  sources(): SourceEntry[] {
    return this.serving.sources;
  }

  chunk(chunkId: string): Chunk | null {
    return this.serving.retriever.chunkById(chunkId);
  }

  *chunkIds(): Iterable<string> {
    for (const chunk of this.serving.retriever.allChunks()) yield chunk.id;
  }

  async exampleQuestions(count: number): Promise<string[]> {
    return (await this.examplesOf(this.serving)).slice(0, count);
  }

  /** The serving index's checked suggestions, checked on first use (none when the check fails, e.g. the index was closed meanwhile). */
  private examplesOf(serving: Serving): Promise<string[]> {
    return (serving.examples ??= this.checkedExamples(serving).catch(() => []));
  }

  /**
   * Questions drawn from the newest documents (their people and places) that the offline
   * answerer answers in full citing that document first: a suggestion never leads to a
   * refusal or to a sentence about something else.
   */
  private async checkedExamples(serving: Serving): Promise<string[]> {
    // Lazily, newest first: only the documents the first candidates come from are read.
    const sources = (function* () {
      for (const s of serving.sources) if (s.publishedOn) yield { docId: s.docId, text: `${s.title}. ${serving.retriever.lede(s.docId)?.text.slice(0, 400) ?? ""}` };
    })();
    const kept: string[] = [];
    const offline = { ...serving, answerer: serving.extractive };
    let tried = 0;
    for (const candidate of exampleCandidates(sources, serving.evidence.knowledge)) {
      if (tried++ >= EXAMPLES.tried) break;
      const answer = await this.askWith(offline, candidate.question);
      if (answer.outcome === "answer" && answer.citations[0]?.docId === candidate.docId) kept.push(candidate.question);
      if (kept.length >= EXAMPLES.kept) break;
    }
    return kept;
  }

  /** Loads the newest generation now (also what the watcher calls). Resolves when swapped in or failed. */
  async reload(): Promise<void> {
    // A reload in flight may have read CURRENT before the caller's build published: load once more after it.
    if (this.reloading) return (this.reloadAgain ??= this.reloading.then(() => ((this.reloadAgain = null), this.reload())));
    this.reloading = (async () => {
      try {
        const next = await QaPipeline.load(this.options);
        if (next.index.dir !== this.serving.index.dir) {
          // Checked before the swap: the new index's suggestions are ready when it serves.
          await this.examplesOf(next);
          this.serving = next;
          this.options.onReload?.({ ok: true, dir: next.index.dir, chunks: next.overview.chunks });
        }
      } catch (error) {
        this.options.onReload?.({ ok: false, error: error as Error });
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** Polls the index's CURRENT pointer and reloads when it changes; `intervalMs` default 1000. */
  watch(intervalMs = 1000): void {
    if (this.watching) return;
    this.watching = true;
    watchFile(path.join(this.options.indexDir, "CURRENT"), { interval: intervalMs, persistent: false }, () => void this.reload());
  }

  /** Stops watching and closes the served index's chunks.bin (passages not read by then cannot be read). */
  close(): void {
    if (this.watching) unwatchFile(path.join(this.options.indexDir, "CURRENT"));
    this.watching = false;
    this.serving.index.store.close();
  }
}

/**
 * The serving index as retrieval sees it (src/retrieval/search-index.ts): the HNSW store
 * gives vectors and passages, the BM25 index keywords, the manifest each document's slots.
 */
function searchIndexOf(index: LoadedIndex): SearchIndex {
  const { store, lexical, manifest } = index;
  return {
    vectors: store,
    keywords: lexical,
    passages: {
      chunkAt: (slot) => store.chunkAt(slot),
      entries: () => store.entries(),
      slotsOf: (docId) => manifest.documents[docId]?.slots ?? [],
      documents: () => Object.entries(manifest.documents).map(([docId, doc]) => ({ docId, publishedOn: doc.publishedOn })),
    },
  };
}

/**
 * The retrieved passages best first as the decision sees them: the passage that carries the
 * answer leads and the rest keep their rank. A list answered in full is carried by every
 * passage the decision found to answer (a line each), so those all lead, in the decision's
 * order, before the passages it did not find to answer.
 */
export function answeringFirst(analysis: Pick<Question, "expects">, outcome: string, supporting: readonly Passage[], retrieved: readonly Passage[]): Passage[] {
  const leading = analysis.expects === "list" && outcome === "answer" ? supporting : supporting.slice(0, 1);
  const led = new Set(leading);
  return [...leading, ...retrieved.filter((p) => !led.has(p))];
}

/** Every lower-case word of the indexed chunks with its count (for typo correction). */
function corpusWordCounts(chunks: Iterable<Chunk>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chunk of chunks) {
    for (const word of chunk.text.toLowerCase().match(/\p{L}{4,}/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
