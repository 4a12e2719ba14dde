/**
 * Asking one evaluation question (its conversation first, when it has one) through the
 * public QaService API, and scoring the Answer against the question's expectations.
 */
import * as chrono from "chrono-node/en";
import * as chronoRu from "chrono-node/ru";
import type { QaService, Turn } from "../../src/answering/answerer.ts";
import type { Answer } from "../../src/domain.ts";
import { AppError } from "../../src/errors.ts";
import { styleProblems } from "./answer-style.ts";
import { type EvalQuestion, EvalInputError, isAnswerable, type QuestionKind, type QuestionLang, UNANSWERABLE_KINDS } from "./questions.ts";

/** How an answer ended: a full answer, a partial one (some of the question covered), or a refusal. */
export type Outcome = "answer" | "partial" | "refuse";

/** Turns of history handed to a question, newest last (what the bot keeps). */
export const HISTORY_TURNS = 3;

/**
 * The answer's outcome. Answers are gaining `outcome`; until then a refusal is `refused`.
 * This is the one place that knows, so the switch is a one-line change.
 */
export function outcomeOf(answer: Answer): Outcome {
  const outcome = (answer as { outcome?: string }).outcome ?? (answer.refused ? "refuse" : "answer");
  return outcome === "partial" || outcome === "refuse" ? outcome : "answer";
}

/**
 * The first date (YYYY-MM-DD) an answer states: the first full date in its text (day,
 * month and year; in Russian too, "3 сентября 2025 года"), else its first citation's
 * report date, else null. A "when" answer must lead with the event's date, not with any
 * date that happens to be in it.
 */
export function firstStatedDate(answer: Answer): string | null {
  const results = [...chrono.parse(answer.text), ...(/\p{Script=Cyrillic}/u.test(answer.text) ? chronoRu.parse(answer.text) : [])].sort((a, b) => a.index - b.index);
  for (const result of results) {
    const d = result.start;
    // "three hours longer than now" states no date: the parser reads "now" as the machine's today.
    if (/^(?:now|today|tonight|right now|сейчас|сегодня|теперь)$/iu.test(result.text.trim())) continue;
    if (d.isCertain("day") && d.isCertain("month") && d.isCertain("year")) {
      return `${d.get("year")}-${String(d.get("month")).padStart(2, "0")}-${String(d.get("day")).padStart(2, "0")}`;
    }
  }
  return answer.citations[0]?.date ?? null;
}

/** The score of one question. A null field does not apply to this question's kind. */
export interface QuestionResult {
  id: string;
  kind: QuestionKind;
  lang: QuestionLang;
  /** The final question as asked (perturbed, for a perturbation run). */
  question: string;
  outcome: Outcome;
  /** Distinct documents of the retrieved passages, best first, at most 5. */
  topDocIds: string[];
  /** The top passage's document is expected (answerable questions). */
  at1: boolean | null;
  /** An expected document is in the top 5 (for "list": all of them are). */
  at5: boolean | null;
  /** The answer's first citation is an expected document. */
  citedFirst: boolean | null;
  /** The first date the answer states is `expectDate` (questions that have one). */
  dateOk: boolean | null;
  /** "list" questions: the answer cites every expected document. */
  listCitedAll: boolean | null;
  /** Problems the grammar check found in the answer's text (answers and partial answers; empty for refusals and small talk). */
  style: string[];
  /** The answer's text (kept in memory: printed for the dev part only). */
  answerText: string;
  /** Every `expectTerms` entry occurs in the answer (questions that have them). */
  termsOk: boolean | null;
  /** "list" questions: expected documents found in the top 5, and how many were expected. */
  listFound: number | null;
  listExpected: number | null;
  /** Small talk got a reply without citations and without a refusal. */
  smallTalkOk: boolean | null;
  /** Latency of the final question, in milliseconds. */
  ms: number;
  /** Why the question failed any check (empty when it passed them all). */
  why: string[];
}

/** Asks the question's history in order (each with the turns before it), then the question itself. */
export async function askQuestion(qa: QaService, q: EvalQuestion, options: { label: string; text?: string }): Promise<{ answer: Answer; ms: number }> {
  const turns: Turn[] = [];
  const ask = async (text: string) => {
    try {
      return await qa.ask(text, turns.length > 0 ? { history: turns.slice(-HISTORY_TURNS) } : {});
    } catch (error) {
      if (error instanceof AppError) throw new EvalInputError(`${options.label} ${q.id}: the question was rejected (${error.message})`);
      throw error;
    }
  };
  for (const earlier of q.history ?? []) {
    const answer = await ask(earlier);
    turns.push({ question: earlier, answer: answer.text, docIds: answer.citations.map((c) => c.docId) });
  }
  const started = performance.now();
  const answer = await ask(options.text ?? q.question);
  return { answer, ms: performance.now() - started };
}

/** Scores an answer to `q` (asked as `askedText`). */
export function scoreAnswer(q: EvalQuestion, answer: Answer, ms: number, askedText = q.question): QuestionResult {
  const why: string[] = [];
  const outcome = outcomeOf(answer);
  const topDocIds = [...new Set(answer.passages.map((p) => p.chunk.docId))].slice(0, 5);
  const result: QuestionResult = {
    id: q.id, kind: q.kind, lang: q.lang, question: askedText, outcome, topDocIds,
    at1: null, at5: null, citedFirst: null, dateOk: null, listCitedAll: null, termsOk: null, listFound: null, listExpected: null, smallTalkOk: null,
    style: [], answerText: answer.text, ms, why,
  };
  const cites = answer.citations.map((c) => c.docId);

  if (q.kind === "smalltalk") {
    result.smallTalkOk = cites.length === 0 && outcome !== "refuse";
    if (!result.smallTalkOk) why.push(outcome === "refuse" ? "small talk was refused" : `small talk got a search answer citing ${cites.join(", ")}`);
    return result;
  }
  if (outcome !== "refuse") {
    result.style = styleProblems(answer.text);
    if (result.style.length > 0) why.push(`style: ${result.style.join("; ")}`);
  }
  if (UNANSWERABLE_KINDS.has(q.kind)) {
    if (outcome === "answer") why.push(`answered in full, citing ${cites.join(", ") || "nothing"}`);
    return result;
  }
  if (!isAnswerable(q.kind)) return result;

  const expected = new Set(q.expectDocIds);
  const first = topDocIds[0];
  result.at1 = first !== undefined && expected.has(first);
  if (!result.at1) why.push(`top document ${first ?? "none"}, expected ${q.expectDocIds.join(" | ")}`);
  if (q.kind === "list") {
    const found = q.expectDocIds.filter((d) => topDocIds.includes(d));
    result.listFound = found.length;
    result.listExpected = q.expectDocIds.length;
    result.at5 = found.length === q.expectDocIds.length;
    result.listCitedAll = q.expectDocIds.every((d) => cites.includes(d));
    if (!result.listCitedAll) why.push(`list: answer does not cite ${q.expectDocIds.filter((d) => !cites.includes(d)).join(", ")}`);
    if (!result.at5) why.push(`list: top 5 misses ${q.expectDocIds.filter((d) => !found.includes(d)).join(", ")}`);
  } else {
    result.at5 = topDocIds.some((d) => expected.has(d));
  }
  result.citedFirst = cites[0] !== undefined && expected.has(cites[0]);
  if (!result.citedFirst && outcome !== "refuse") why.push(`answer cites ${cites[0] ?? "nothing"} first`);
  if (outcome === "refuse") why.push("refused an answerable question");
  if (outcome === "partial") why.push("answered as partial");
  if (q.expectDate) {
    const stated = firstStatedDate(answer);
    result.dateOk = stated === q.expectDate;
    if (!result.dateOk) why.push(`date: expected ${q.expectDate}, first stated ${stated ?? "none"}: ${clip(answer.text, 120)}`);
  }
  if (q.expectTerms?.length) {
    const text = answer.text.toLowerCase();
    const missing = q.expectTerms.filter((term) => !text.includes(term.toLowerCase()));
    result.termsOk = missing.length === 0;
    if (!result.termsOk) why.push(`terms missing: ${missing.join(", ")}; answer: ${clip(answer.text, 120)}`);
  }
  return result;
}

function clip(text: string, maxChars: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 1)}…`;
}
