/** Scoring of one evaluation run (used by `npm run eval`). */
import * as chrono from "chrono-node/en";
import type { QaService } from "../src/answering/answerer.ts";
import type { Answer } from "../src/domain.ts";

export interface EvalQuestion {
  id: string;
  question: string;
  kind: "factual" | "when" | "paraphrase" | "multi" | "date-filtered" | "unanswerable" | "smalltalk";
  expectDocIds: string[];
  expectDate?: string;
  note?: string;
}

export interface EvalReport {
  name: string;
  answerable: number;
  unanswerable: number;
  recallAt1: number;
  recallAt5: number;
  /** Share of answerable questions whose answer cites an expected document first. */
  citedFirst: number;
  /** Share of "when" questions whose answer states the expected date. */
  dateAccuracy: number;
  /** Share of unanswerable questions refused (target ≥ 0.9). */
  rightRefusals: number;
  /** Share of answerable questions refused (target ≤ 0.03). */
  wrongRefusals: number;
  smallTalkOk: number;
  p50Ms: number;
  p95Ms: number;
  failures: { id: string; question: string; why: string }[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Dates (YYYY-MM-DD) an answer states: its citations' dates and full dates in its text. */
function statedDates(answer: Answer): Set<string> {
  const dates = new Set<string>();
  if (answer.citations[0]?.date) dates.add(answer.citations[0].date);
  for (const result of chrono.parse(answer.text)) {
    if (result.start.isCertain("day") && result.start.isCertain("year")) {
      const d = result.start;
      dates.add(`${d.get("year")}-${String(d.get("month")).padStart(2, "0")}-${String(d.get("day")).padStart(2, "0")}`);
    }
  }
  return dates;
}

export async function evaluate(name: string, qa: QaService, questions: EvalQuestion[], options: { verbose?: (line: string) => void } = {}): Promise<EvalReport> {
  let answerable = 0, unanswerable = 0, at1 = 0, cited = 0, at5 = 0, when = 0, whenOk = 0, refusedRight = 0, refusedWrong = 0, small = 0, smallOk = 0;
  const latencies: number[] = [];
  const failures: EvalReport["failures"] = [];
  for (const q of questions) {
    const started = performance.now();
    const answer = await qa.ask(q.question);
    latencies.push(performance.now() - started);
    const fail = (why: string) => failures.push({ id: q.id, question: q.question, why });
    if (q.kind === "smalltalk") {
      small++;
      if (answer.citations.length === 0 && !answer.refused) smallOk++;
      else fail("small talk got a search answer");
      continue;
    }
    if (q.kind === "unanswerable") {
      unanswerable++;
      if (answer.refused && answer.citations.length === 0) refusedRight++;
      else fail(`not refused: cites ${answer.citations.map((c) => c.docId).join(", ")}`);
      continue;
    }
    answerable++;
    const docs = [...new Set(answer.passages.map((p) => p.chunk.docId))];
    const first = docs[0];
    if (first && q.expectDocIds.includes(first)) at1++;
    else fail(`top document ${first ?? "none"}, expected ${q.expectDocIds.join(" | ")}`);
    if (docs.slice(0, 5).some((d) => q.expectDocIds.includes(d))) at5++;
    if (answer.citations[0] && q.expectDocIds.includes(answer.citations[0].docId)) cited++;
    else if (!answer.refused) fail(`answer cites ${answer.citations[0]?.docId ?? "nothing"} first`);
    if (answer.refused) {
      refusedWrong++;
      fail("refused an answerable question");
    }
    if (q.kind === "when" && q.expectDate) {
      when++;
      if (statedDates(answer).has(q.expectDate)) whenOk++;
      else fail(`date: expected ${q.expectDate}, answer: ${answer.text.slice(0, 120)}`);
    }
  }
  for (const f of failures) options.verbose?.(`  ${name} ${f.id}: ${f.question} → ${f.why}`);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    name,
    answerable,
    unanswerable,
    recallAt1: ratio(at1, answerable),
    recallAt5: ratio(at5, answerable),
    citedFirst: ratio(cited, answerable),
    dateAccuracy: ratio(whenOk, when),
    rightRefusals: ratio(refusedRight, unanswerable),
    wrongRefusals: ratio(refusedWrong, answerable),
    smallTalkOk: ratio(smallOk, small),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p95Ms: Number(percentile(latencies, 95).toFixed(2)),
    failures,
  };
}

/** A fixed-width table, with the design targets in the last row. */
export function formatReport(reports: EvalReport[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const header = ["variant", "recall@1", "recall@5", "cited@1", "when-date", "refused (unansw.)", "refused (answ.)", "p50 ms", "p95 ms"];
  const rows = reports.map((r) => [r.name, pct(r.recallAt1), pct(r.recallAt5), pct(r.citedFirst), pct(r.dateAccuracy), pct(r.rightRefusals), pct(r.wrongRefusals), r.p50Ms.toFixed(2), r.p95Ms.toFixed(2)]);
  rows.push(["target", "≥ 85%", "≥ 97%", "", "≥ 95%", "≥ 90%", "≤ 3%", "", ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  const first = reports[0];
  return [
    `${first ? `${first.answerable} answerable and ${first.unanswerable} unanswerable questions` : ""}`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n");
}
