/** Aggregate figures over scored questions: one evaluation part, one kind, or one perturbation. */
import { isAnswerable, type QuestionKind, QUESTION_KINDS, UNANSWERABLE_KINDS } from "./questions.ts";
import type { QuestionResult } from "./score-question.ts";

/** `hits` of `of` questions; `share` is null when no question applies (printed as "—"). */
export interface Ratio {
  hits: number;
  of: number;
  share: number | null;
}

/** The figures of one set of questions. */
export interface PartMetrics {
  questions: number;
  answerable: number;
  unanswerable: number;
  smallTalk: number;
  /** Answerable: the top passage's document is expected. */
  recallAt1: Ratio;
  /** Answerable: an expected document in the top 5 ("list": all of them). */
  recallAt5: Ratio;
  /** Answerable: the first citation is an expected document. */
  citedFirst: Ratio;
  /** Questions with `expectDate` whose answer's first stated date is it. */
  whenDate: Ratio;
  /** Questions with `expectTerms` whose answer holds every term. */
  expectedTerms: Ratio;
  /** "list" questions: expected documents found in the top 5, over all expected documents. */
  listRecall: Ratio;
  /** "list" questions whose answer cites every expected document. */
  listCitedAll: Ratio;
  /** Answers and partial answers that pass the grammar check (scripts/eval/answer-style.ts). */
  styleOk: Ratio;
  /** Unanswerable and near-miss questions refused or answered as partial. */
  unanswerableRefusedOrPartial: Ratio;
  /** Unanswerable and near-miss questions refused outright. */
  unanswerableRefused: Ratio;
  /** Answerable questions refused. */
  answerableRefused: Ratio;
  /** Answerable questions answered as partial (reported so that "partial for everything" shows). */
  answerablePartial: Ratio;
  /** Small talk answered without citations and without a refusal. */
  smallTalkOk: Ratio;
  p50Ms: number;
  p95Ms: number;
}

/** The ratio metrics, in table order, with their labels. */
export const RATIO_METRICS = [
  ["recallAt1", "recall@1"],
  ["recallAt5", "recall@5"],
  ["citedFirst", "cited first"],
  ["whenDate", "when-date"],
  ["expectedTerms", "expected terms"],
  ["listRecall", "list recall"],
  ["listCitedAll", "list cites all"],
  ["styleOk", "grammar check"],
  ["unanswerableRefusedOrPartial", "unanswerable refused or partial"],
  ["unanswerableRefused", "unanswerable refused"],
  ["answerableRefused", "answerable refused"],
  ["answerablePartial", "answerable partial"],
  ["smallTalkOk", "small talk ok"],
] as const satisfies readonly (readonly [keyof PartMetrics, string])[];

export type RatioMetric = (typeof RATIO_METRICS)[number][0];

export function ratio(hits: number, of: number): Ratio {
  return { hits, of, share: of === 0 ? null : hits / of };
}

const count = (results: readonly QuestionResult[], test: (r: QuestionResult) => boolean | null): Ratio => {
  let hits = 0, of = 0;
  for (const r of results) {
    const value = test(r);
    if (value === null) continue;
    of++;
    if (value) hits++;
  }
  return ratio(hits, of);
};

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The figures of a set of scored questions. */
export function aggregate(results: readonly QuestionResult[]): PartMetrics {
  const answerable = (r: QuestionResult) => isAnswerable(r.kind);
  const unanswerable = (r: QuestionResult) => UNANSWERABLE_KINDS.has(r.kind);
  const lists = results.filter((r) => r.listExpected !== null);
  const ms = results.map((r) => r.ms);
  return {
    questions: results.length,
    answerable: results.filter(answerable).length,
    unanswerable: results.filter(unanswerable).length,
    smallTalk: results.filter((r) => r.kind === "smalltalk").length,
    recallAt1: count(results, (r) => r.at1),
    recallAt5: count(results, (r) => r.at5),
    citedFirst: count(results, (r) => r.citedFirst),
    whenDate: count(results, (r) => r.dateOk),
    expectedTerms: count(results, (r) => r.termsOk),
    listRecall: ratio(lists.reduce((sum, r) => sum + r.listFound!, 0), lists.reduce((sum, r) => sum + r.listExpected!, 0)),
    listCitedAll: count(results, (r) => r.listCitedAll),
    styleOk: count(results, (r) => (r.outcome === "refuse" || r.kind === "smalltalk" ? null : r.style.length === 0)),
    unanswerableRefusedOrPartial: count(results, (r) => (unanswerable(r) ? r.outcome !== "answer" : null)),
    unanswerableRefused: count(results, (r) => (unanswerable(r) ? r.outcome === "refuse" : null)),
    answerableRefused: count(results, (r) => (answerable(r) ? r.outcome === "refuse" : null)),
    answerablePartial: count(results, (r) => (answerable(r) ? r.outcome === "partial" : null)),
    smallTalkOk: count(results, (r) => r.smallTalkOk),
    p50Ms: round2(percentile(ms, 50)),
    p95Ms: round2(percentile(ms, 95)),
  };
}

/** The figures of each kind present, in the schema's kind order. */
export function aggregateByKind(results: readonly QuestionResult[]): Partial<Record<QuestionKind, PartMetrics>> {
  const byKind: Partial<Record<QuestionKind, PartMetrics>> = {};
  for (const kind of QUESTION_KINDS) {
    const ofKind = results.filter((r) => r.kind === kind);
    if (ofKind.length > 0) byKind[kind] = aggregate(ofKind);
  }
  return byKind;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
