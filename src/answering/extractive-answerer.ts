/**
 * The offline answerer: follows the answerability decision. For an answer it picks the
 * sentences of the supporting passages that best answer the question (IDF-weighted
 * overlap with its key words, passage rank as a tie-breaker), states the date of each
 * reported item ("On 3 September 2025, …"), and cites each sentence as [n]. A partial
 * answer says what the documents do not say and quotes the closest fact; a refusal says
 * plainly what the documents cover.
 */
import type { Chunk, Citation, Passage } from "../domain.ts";
import { splitSentences } from "../text/sentences.ts";
import { terms } from "../text/terms.ts";
import type { Question } from "../question/question.ts";
import type { Answerer, AnswerInput } from "./answerer.ts";
import { formatLongDate } from "../dates.ts";
import { longDate, t, type Lang } from "../locale/messages.ts";

export interface ExtractiveOptions {
  /** IDF of a normalised term in the serving index. */
  idf: (term: string) => number;
  /** The period the corpus covers, for refusals. */
  period: () => { firstDate: string | null; lastDate: string | null };
  /** Most sentences quoted; default 3. */
  maxSentences?: number;
  /** Passages sentences may come from; default 3. */
  maxPassages?: number;
}

interface Candidate {
  passage: Passage;
  /** Offsets in the document, to de-duplicate sentences seen in overlapping chunks. */
  start: number;
  text: string;
  terms: Set<string>;
  score: number;
}

/** Chunks whose split sentences are kept (an answerer lives as long as its index). */
const SENTENCE_CACHE_LIMIT = 2000;

// Words that may start a sentence without being a name: lower-cased after "On <date>, ".
const COMMON_OPENERS = new Set(
  "as at after before during following in on the a an it this these that they he she we there both earlier later meanwhile also according while with since speaking".split(" "),
);

/** The sentence to follow "On <date>, ": a common first word is lower-cased, a name is kept. */
function continueSentence(sentence: string): string {
  const first = /^[A-Za-z]+/.exec(sentence)?.[0] ?? "";
  return COMMON_OPENERS.has(first.toLowerCase()) && first !== "I" ? sentence[0].toLowerCase() + sentence.slice(1) : sentence;
}

/** "… of China." → "… of China [1]." (the marker goes inside the sentence's final punctuation). */
function cite(sentence: string, n: number): string {
  const end = /[.!?…]+$/.exec(sentence);
  return end ? `${sentence.slice(0, end.index)} [${n}]${end[0]}` : `${sentence} [${n}]`;
}

export function refusalText(period: { firstDate: string | null; lastDate: string | null }, lang: Lang = "en"): string {
  if (lang !== "en") return period.firstDate && period.lastDate ? t(lang, "refusal-period", { from: longDate(lang, period.firstDate), to: longDate(lang, period.lastDate) }) : t(lang, "refusal");
  const span = period.firstDate && period.lastDate
    ? ` They report on official visits and meetings from ${formatLongDate(period.firstDate)} to ${formatLongDate(period.lastDate)}.`
    : "";
  return `The documents I have do not cover this, so I cannot answer it.${span}`;
}

export class ExtractiveAnswerer implements Answerer {
  readonly mode = "extractive" as const;
  private readonly options: Required<ExtractiveOptions>;
  private readonly sentenceCache = new Map<string, { start: number; text: string; terms: Set<string> }[]>();

  constructor(options: ExtractiveOptions) {
    this.options = { maxSentences: 3, maxPassages: 3, ...options };
  }

  async answer(input: AnswerInput) {
    return this.answerSync(input);
  }

  /** Sentences of a chunk with their terms, cached: the same passages come back for related questions. */
  private sentencesOf(chunk: Chunk): { start: number; text: string; terms: Set<string> }[] {
    let sentences = this.sentenceCache.get(chunk.id);
    if (!sentences) {
      sentences = splitSentences(chunk.text).map((s) => ({ start: s.start, text: s.text, terms: new Set(terms(s.text)) }));
      if (this.sentenceCache.size >= SENTENCE_CACHE_LIMIT) this.sentenceCache.clear();
      this.sentenceCache.set(chunk.id, sentences);
    }
    return sentences;
  }

  /** Synchronous form, for the hot path and benchmarks. */
  answerSync(input: Pick<AnswerInput, "analysis" | "decision">) {
    const { period } = this.options;
    const { decision, analysis } = input;
    if (decision.outcome === "refuse" || decision.supporting.length === 0) {
      return { mode: this.mode, text: refusalText(period(), analysis.language), citations: [], refused: true, outcome: "refuse" as const };
    }
    if (decision.outcome === "partial") {
      const closest = this.quote(analysis, decision.supporting.slice(0, 1), 1);
      const missing = decision.missing ?? "do not say what was asked";
      const lang = analysis.language;
      const lead = lang !== "en"
        ? `${t(lang, decision.subject ? "partial-subject" : "partial-plain", { subject: decision.subject ?? "", missing })} ${t(lang, "partial-closest")}`
        : `${decision.subject ? `The documents mention ${decision.subject} but ${missing}.` : `The documents ${missing}.`} The closest they report:`;
      const text = `${lead}\n\n${closest.text}`;
      return { mode: this.mode, text, citations: closest.citations, refused: false, outcome: "partial" as const };
    }
    const { text, citations } = this.quote(analysis, decision.supporting, this.options.maxSentences);
    return { mode: this.mode, text, citations, refused: false, outcome: "answer" as const };
  }

  /** The best sentences of the passages for the question's key words and names, dated and cited. */
  private quote(analysis: Question, passages: readonly Passage[], maxSentences: number): { text: string; citations: Citation[] } {
    const { idf, maxPassages } = this.options;
    // Date phrases chose the passages already (the analysis leaves them out of the key words); as
    // words they would favour sentences that merely mention the date over the report of that date.
    const names = analysis.mentions.flatMap((m) => m.forms.slice(0, 8).flatMap((f) => terms(f)));
    const wanted = [...new Set([...analysis.keywords, ...names])];
    const weights = new Map(wanted.map((term) => [term, idf(term)]));
    const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
    // A sentence in Russian is weighed by the key words' Russian forms (glossary) instead.
    const russianWeights = new Map([...new Set([...(analysis.keywordAlternatives ?? []).flat(2), ...names])].map((term) => [term, idf(term)]));
    const russianTotal = [...russianWeights.values()].reduce((a, b) => a + b, 0) || 1;
    const topScore = passages[0].score || 1;
    const topDoc = passages[0].chunk.docId;

    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const [rank, passage] of passages.slice(0, maxPassages).entries()) {
      if (rank > 0 && passage.score < 0.5 * topScore) break;
      for (const sentence of this.sentencesOf(passage.chunk)) {
        const start = passage.chunk.start + sentence.start;
        const key = `${passage.chunk.docId}@${start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const sentenceTerms = sentence.terms;
        let overlap = 0;
        const russian = /\p{Script=Cyrillic}/u.test(sentence.text) && !/[A-Za-z]{4}/.test(sentence.text);
        for (const [term, weight] of russian ? russianWeights : weights) if (sentenceTerms.has(term)) overlap += weight;
        const score = overlap / (russian ? russianTotal : totalWeight) + 0.15 * (passage.score / topScore) + (passage.chunk.docId === topDoc ? 0.2 : 0) - 0.0005 * Math.max(0, sentence.text.length - 300);
        candidates.push({ passage, start, text: sentence.text, terms: sentenceTerms, score });
      }
    }
    candidates.sort((a, b) => b.score - a.score);

    // The best sentence, then others that add question terms it lacks or score nearly as well.
    const chosen: Candidate[] = [];
    const covered = new Set<string>();
    for (const candidate of candidates) {
      if (chosen.length >= maxSentences) break;
      const best = chosen[0];
      const addsTerms = [...weights.keys()].some((term) => candidate.terms.has(term) && !covered.has(term));
      if (best && !(candidate.score >= 0.8 * best.score || (addsTerms && candidate.score >= 0.5 * best.score))) continue;
      chosen.push(candidate);
      for (const term of candidate.terms) covered.add(term);
    }

    // Cite documents in order of their best sentence; within a document keep text order.
    const citations: Citation[] = [];
    const numberOf = new Map<string, number>();
    for (const sentence of chosen) {
      const chunk = sentence.passage.chunk;
      if (numberOf.has(chunk.docId)) continue;
      numberOf.set(chunk.docId, citations.length + 1);
      citations.push({
        n: citations.length + 1,
        docId: chunk.docId,
        title: chunk.title,
        date: chunk.publishedOn,
        source: chunk.sourceUrl,
        quote: "",
        chunkId: chunk.id,
      });
    }
    const parts: string[] = [];
    for (const citation of citations) {
      const sentences = chosen.filter((s) => s.passage.chunk.docId === citation.docId).sort((a, b) => a.start - b.start);
      citation.quote = sentences.map((s) => s.text).join(" ");
      const body = sentences.map((s, i) => cite(i === 0 ? continueSentence(s.text) : s.text, citation.n)).join(" ");
      if (analysis.language !== "en") {
        // The quotes stay as written (they are the evidence); the frame is in the question's language.
        const quoted = sentences.map((s) => cite(s.text, citation.n)).join(" ");
        parts.push(citation.date ? t(analysis.language, "dated", { date: longDate(analysis.language, citation.date), text: quoted }) : t(analysis.language, "undated", { text: quoted }));
      } else parts.push(citation.date ? `On ${formatLongDate(citation.date)}, ${body}` : `In an undated report: ${body}`);
    }
    return { text: parts.join("\n\n"), citations };
  }
}
