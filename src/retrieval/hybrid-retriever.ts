/**
 * Hybrid retrieval: vector kNN (HNSW) and BM25 candidates fused by a weighted sum of
 * min-max-normalised scores, then boosted by date hints, de-duplicated, and judged for
 * relevance (does the best document actually speak about what the question names?).
 */
import { MONTH_NAMES } from "../dates.ts";
import type { Chunk, Passage } from "../domain.ts";
import type { Embedder } from "../embeddings/embedder.ts";
import type { LoadedIndex } from "../store/open-index.ts";
import { dateMatches, type DateHints, hasDateHints, parseDateHints, withoutDatePhrases } from "./date-hints.ts";
import { AliasGlossary, DEFAULT_ALIAS_GROUPS } from "./aliases.ts";
import { contentWords, lowerWords, terms } from "../text/terms.ts";

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
  /**
   * Least share of the question's IDF-weighted words (paraphrases credited by their
   * similarity) that the judged document must contain; default 0.45, from `npm run eval`.
   */
  minCoverage: number;
  /** Score factor for a passage whose document does not mention every name in the question; default 0.6. */
  missingNameFactor: number;
  /** BM25 weight of a glossary alias relative to the question's own words; default 0.4 (0 disables expansion). */
  aliasWeight: number;
  /**
   * Least word-vector similarity for a question word absent from a document to count as
   * paraphrased there (credited by its similarity); default 0.6. Needs `wordSimilarity`.
   */
  minWordSimilarity: number;
}

/** Word-level similarity (cosine of word vectors), 0 for unknown words: local embeddings provide it. */
export type WordSimilarity = (a: string, b: string) => number;

export const DEFAULT_RETRIEVAL_SETTINGS: RetrievalSettings = {
  k: 5,
  candidates: 40,
  vectorWeight: 0.35,
  useVectors: true,
  useLexical: true,
  useDateHints: true,
  outOfRangeFactor: 0.35,
  minCoverage: 0.45,
  missingNameFactor: 0.6,
  aliasWeight: 0.4,
  minWordSimilarity: 0.6,
};

export interface Retrieval {
  passages: Passage[];
  /** Whether the best passages are relevant enough to answer from. */
  relevant: boolean;
  /** Share of the question's weighted terms found in the best document (0–1). */
  coverage: number;
  /** Names (capitalised words) of the question that no top document mentions together with the others. */
  missingNames: string[];
  /** Why the passages were judged not relevant, when they were. */
  reason: string | null;
  dateHints: DateHints;
}

interface Candidate {
  slot: number;
  chunk: Chunk;
  vector: number;
  lexical: number;
}

const MONTHS = MONTH_NAMES.map((name) => name.toLowerCase());

/** Whether a chunk's text itself names one of the hinted periods ("in May 2023" in a 2025 article). */
function textMentions(text: string, hints: DateHints): boolean {
  const lower = text.toLowerCase();
  for (const range of hints.ranges) {
    const [year, month] = range.from.split("-").map(Number);
    const sameMonth = range.from.slice(0, 7) === range.to.slice(0, 7);
    if (!lower.includes(String(year))) continue;
    if (!sameMonth || lower.includes(MONTHS[month - 1])) return true;
  }
  return hints.months.some((hint) => new RegExp(`\\b${MONTHS[hint.month - 1]}\\b`).test(lower));
}

const CALENDAR_WORDS = new Set([...MONTHS, "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

/** A name the question asks about, as a term. */
export interface QuestionName {
  term: string;
  /** "Beijing's top diplomat": a capital in the possessive stands for its country's government. */
  possessive: boolean;
}

/** Capitalised words inside the question (not its first word, not calendar words): the names it asks about. */
export function questionNames(question: string): QuestionName[] {
  const names = new Map<string, QuestionName>();
  for (const match of question.matchAll(/(?<=[\s(“"'])[A-Z][\p{L}'’-]*/gu)) {
    const possessive = /['’]s$/.test(match[0]);
    const word = match[0].replace(/['’]s$/, "");
    if (CALENDAR_WORDS.has(word.toLowerCase())) continue;
    for (const term of terms(word)) if (!names.has(term)) names.set(term, { term, possessive });
  }
  return [...names.values()];
}



export class HybridRetriever {
  readonly settings: RetrievalSettings;

  private readonly aliases: AliasGlossary;
  private readonly wordSimilarity: WordSimilarity | null;
  /** Terms and lowercase words of documents, computed on first use (documents are immutable within an index). */
  private readonly termCache = new Map<string, Set<string>>();
  private readonly wordCache = new Map<string, Set<string>>();
  private byDate: { dates: string[]; slots: number[] } | null = null;

  constructor(
    private readonly index: LoadedIndex,
    private readonly embedder: Embedder,
    settings: Partial<RetrievalSettings> = {},
    options: { aliases?: AliasGlossary; wordSimilarity?: WordSimilarity } = {},
  ) {
    this.settings = { ...DEFAULT_RETRIEVAL_SETTINGS, ...settings };
    this.aliases = options.aliases ?? new AliasGlossary(DEFAULT_ALIAS_GROUPS);
    this.wordSimilarity = options.wordSimilarity ?? null;
  }

  /** Live slots whose document date falls in the hinted periods (3 days' slack, like `dateMatches`). */
  private slotsInPeriod(hints: DateHints): number[] {
    if (!this.byDate) {
      const dated = [...this.index.store.entries()].filter(([, chunk]) => chunk.publishedOn).sort((a, b) => a[1].publishedOn!.localeCompare(b[1].publishedOn!));
      this.byDate = { dates: dated.map(([, chunk]) => chunk.publishedOn!), slots: dated.map(([slot]) => slot) };
    }
    const { dates, slots } = this.byDate;
    const found = new Set<number>();
    for (const range of hints.ranges) {
      const from = lowerBound(dates, shiftDays(range.from, -3));
      const to = lowerBound(dates, shiftDays(range.to, 4));
      for (let i = from; i < to; i++) found.add(slots[i]);
    }
    if (hints.months.length > 0) {
      const months = new Set(hints.months.map((hint) => hint.month));
      dates.forEach((date, i) => months.has(Number(date.slice(5, 7))) && found.add(slots[i]));
    }
    return [...found];
  }

  private exactAmong(query: ArrayLike<number>, slots: readonly number[], k: number): { slot: number; similarity: number }[] {
    const { store } = this.index;
    const hits = slots.map((slot) => ({ slot, similarity: cosine(query, store.vectorAt(slot)) }));
    hits.sort((a, b) => b.similarity - a.similarity);
    return hits.slice(0, k);
  }

  /** The distinct terms of a document (its chunks' terms, titles included), cached. */
  docTerms(docId: string): Set<string> {
    let cached = this.termCache.get(docId);
    if (!cached) {
      cached = this.index.lexical.termsOf(this.index.manifest.documents[docId]?.slots ?? []);
      if (this.termCache.size >= DOC_CACHE_LIMIT) this.termCache.clear();
      this.termCache.set(docId, cached);
    }
    return cached;
  }

  /** The lowercase words of a document (for word-vector look-ups), cached. */
  private docWords(docId: string): Set<string> {
    let cached = this.wordCache.get(docId);
    if (!cached) {
      const { store, manifest } = this.index;
      const doc = manifest.documents[docId];
      const text = [doc?.title ?? "", ...(doc?.slots ?? []).map((slot) => store.chunkAt(slot)?.text ?? "")].join(" ");
      cached = lowerWords(text);
      if (this.wordCache.size >= DOC_CACHE_LIMIT / 4) this.wordCache.clear();
      this.wordCache.set(docId, cached);
    }
    return cached;
  }

  /** Best similarity of a question word to any word of the document (0 without word vectors). */
  private paraphraseCredit(word: string, docId: string, minSimilarity: number): number {
    if (!this.wordSimilarity) return 0;
    let best = 0;
    for (const candidate of this.docWords(docId)) {
      const similarity = this.wordSimilarity(word, candidate);
      if (similarity > best) best = similarity;
    }
    return best >= minSimilarity ? best : 0;
  }

  /**
   * The ways a document can mention a term: its aliases (and, for a possessive capital,
   * its country), each alias a list of required terms, each term widened to the indexed
   * words it starts or that start it ("tajik" ↔ "tajikistan").
   */
  private matcher(term: string, options: { related?: boolean } = {}): TermMatcher {
    const { lexical } = this.index;
    const widen = (t: string): string[] => {
      if (t.length < 4) return [t];
      const forms = new Set([t, ...lexical.termsStartingWith(t)]);
      for (let end = 4; end < t.length; end++) if (lexical.documentFrequency(t.slice(0, end)) > 0) forms.add(t.slice(0, end));
      return [...forms];
    };
    const aliases = [...this.aliases.aliasesOf(term), ...(options.related ? this.aliases.relatedOf(term) : [])];
    return aliases.map((alias) => alias.map(widen));
  }

  private nameMatchers(names: readonly QuestionName[]): TermMatcher[] {
    return names.map((name) => this.matcher(name.term, { related: name.possessive }));
  }

  private mentionsAll(docId: string, matchers: readonly TermMatcher[]): boolean {
    const docTerms = this.docTerms(docId);
    return matchers.every((matcher) => matches(docTerms, matcher));
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
        // Nearest chunks of the asked period too: exactly over that period's chunks when few
        // (a filtered HNSW walk gets slow when most of the graph is filtered out), else by HNSW.
        const period = this.slotsInPeriod(hints);
        const hits = period.length <= EXACT_PERIOD_LIMIT ? this.exactAmong(queryVector, period, s.candidates) : store.searchVector(queryVector, s.candidates, inRange);
        for (const hit of hits) take(hit.slot).vector = hit.similarity;
      }
    }
    if (s.useLexical) {
      const expansion = s.aliasWeight > 0 ? this.aliases.expansionTerms(terms(question)) : [];
      for (const hit of lexical.query(question, s.candidates, { expansion, expansionWeight: s.aliasWeight })) {
        if (store.chunkAt(hit.slot)) take(hit.slot).lexical = hit.score;
      }
    }
    if (candidates.size === 0) return { passages: [], relevant: false, coverage: 0, missingNames: [], dateHints: hints, reason: "nothing matched" };
    const names = questionNames(withoutDatePhrases(question, hints));
    const nameMatchers = this.nameMatchers(names);

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
    const byScore = (a: { chunk: Chunk; score: number }, b: { chunk: Chunk; score: number }) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id);
    scored.sort(byScore);
    // Among the leaders, documents that do not mention every name of the question sink below those that do.
    if (names.length > 0 && s.missingNameFactor < 1) {
      const leaders = scored.slice(0, NAME_CHECK_DEPTH);
      for (const entry of leaders) if (!this.mentionsAll(entry.chunk.docId, nameMatchers)) entry.score *= s.missingNameFactor;
      leaders.sort(byScore);
      scored.splice(0, leaders.length, ...leaders);
    }

    const passages = dedupe(scored, s.k);
    return { passages, dateHints: hints, ...this.judge(withoutDatePhrases(question, hints), names, nameMatchers, passages, dated ? inRange : null, (chunk) => dateMatches(chunk.publishedOn, hints), s) };
  }

  /**
   * Relevance: some top document must mention every name of the question and cover
   * enough of its IDF-weighted words; when the question names a period, some passage
   * must fall in it.
   */
  private judge(
    question: string,
    names: QuestionName[],
    nameMatchers: TermMatcher[],
    passages: Passage[],
    inRange: ((chunk: Chunk) => boolean) | null,
    inPeriod: (chunk: Chunk) => boolean,
    s: RetrievalSettings,
  ): Pick<Retrieval, "relevant" | "coverage" | "missingNames" | "reason"> {
    if (passages.length === 0) return { relevant: false, coverage: 0, missingNames: names.map((n) => n.term), reason: "nothing matched" };
    const topDocs = [...new Set(passages.map((p) => p.chunk.docId))].slice(0, 3);
    const named = topDocs.find((docId) => this.mentionsAll(docId, nameMatchers));
    const judged = named ?? topDocs[0];
    const docTerms = this.docTerms(judged);
    let total = 0;
    let found = 0;
    for (const word of contentWords(question)) {
      const term = terms(word)[0];
      if (!term) continue;
      const weight = this.index.lexical.idf(term);
      const credit = docTerms.has(term) || matches(docTerms, this.matcher(term)) ? 1 : this.paraphraseCredit(word, judged, s.minWordSimilarity);
      total += weight;
      found += weight * credit;
    }
    const coverage = total > 0 ? found / total : 0;
    const missingNames = named ? [] : names.filter((_, i) => !matches(docTerms, nameMatchers[i])).map((name) => name.term);
    let reason: string | null = null;
    if (!named) reason = `no top document mentions ${missingNames.join(", ")}`;
    else if (coverage < s.minCoverage) reason = `coverage ${coverage.toFixed(2)} below ${s.minCoverage}`;
    else if (inRange && !passages.some((p) => inRange(p.chunk))) reason = "no passage from the period asked about";
    // "When did X happen in 2023?" asks for an event of that period: a later report that only
    // mentions the year (about something else) does not answer it.
    else if (inRange && /^\s*when\b/i.test(question) && !passages.some((p) => p.chunk.docId === judged && inPeriod(p.chunk))) {
      reason = "no report from the period asked about";
    }
    return { relevant: reason === null, coverage, missingNames, reason };
  }
}

/** Documents whose term sets are kept between questions (a few questions' worth of candidates; memory is bounded). */
const DOC_CACHE_LIMIT = 600;

/** Up to this many chunks in the asked period are searched exactly rather than by a filtered HNSW walk. */
const EXACT_PERIOD_LIMIT = 5000;

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shiftDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How many of the best fused candidates are checked for the question's names. */
const NAME_CHECK_DEPTH = 30;

/** Alternatives (aliases) of required terms, each term a list of acceptable indexed forms. */
type TermMatcher = string[][][];

function matches(docTerms: ReadonlySet<string>, matcher: TermMatcher): boolean {
  return matcher.some((alias) => alias.every((forms) => forms.some((form) => docTerms.has(form))));
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
