/** The evaluation report as fixed-width tables for a terminal (pure). */
import { FLOORS, FLOORED_METRICS, floorText, pct } from "./floors.ts";
import { type PartMetrics, type Ratio, RATIO_METRICS } from "./part-metrics.ts";
import type { DevAnswer, DevFailure, EvalReport } from "./run-evaluation.ts";

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const withCounts = (r: Ratio) => (r.share === null ? "—" : `${pct(r.share)} (${r.hits}/${r.of})`);
const points = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${x.toFixed(1)}`);
const describe = (m: PartMetrics) => `${m.questions} questions: ${m.answerable} answerable, ${m.unanswerable} unanswerable, ${m.smallTalk} small talk`;

/** Dev and test side by side per metric, per-kind tables, perturbations, LLM mode, ablations, floors. */
export function formatReport(report: EvalReport): string {
  const out: string[] = [];
  out.push(`Corpus: ${report.corpus.documents} documents, ${report.corpus.chunks} chunks; today = ${report.today}`);
  out.push(`dev  (${report.dev.file}): ${describe(report.dev.metrics)}`);
  out.push(`test (${report.test.file}): ${describe(report.test.metrics)}`);
  out.push("");
  const rows = RATIO_METRICS.map(([key, label]) => [label, withCounts(report.dev.metrics[key]), withCounts(report.test.metrics[key]), floorText(key)]);
  rows.push(["p50 ms", report.dev.metrics.p50Ms.toFixed(2), report.test.metrics.p50Ms.toFixed(2), ""]);
  rows.push(["p95 ms", report.dev.metrics.p95Ms.toFixed(2), report.test.metrics.p95Ms.toFixed(2), ""]);
  if (report.llm) rows.push([FLOORS.llmAnswerableRefused.label, "", withCounts(report.llm.answerableRefused), `≤ ${FLOORS.llmAnswerableRefused.max * 100}%`]);
  out.push(table(["metric", "dev", "test", "test floor"], rows));

  for (const [name, part] of [["dev", report.dev], ["test", report.test]] as const) {
    out.push("", `By kind, ${name}:`);
    out.push(table(
      ["kind", "n", "r@1", "r@5", "cited", "date", "terms", "list", "cites all", "unans r|p", "unans ref", "answ ref", "partial", "small ok", "grammar", "p50 ms"],
      Object.entries(part.byKind).map(([kind, m]) => [
        kind, String(m.questions),
        ...(["recallAt1", "recallAt5", "citedFirst", "whenDate", "expectedTerms", "listRecall", "listCitedAll", "unanswerableRefusedOrPartial", "unanswerableRefused", "answerableRefused", "answerablePartial", "smallTalkOk", "styleOk"] as const).map((k) => pct(m[k].share)),
        m.p50Ms.toFixed(2),
      ]),
    ));
  }

  const langs = [...new Set([...Object.keys(report.dev.byLang), ...Object.keys(report.test.byLang)])] as (keyof typeof report.dev.byLang)[];
  if (langs.length > 0) {
    const LANG_LABELS: Record<string, string> = { "ru-en": "Russian questions, English documents", "en-ru": "English questions, Russian documents", "ru-ru": "Russian questions, Russian documents" };
    out.push("", "By language (question → documents; the tables above are English questions over English documents):");
    out.push(table(
      ["part", "languages", "n", "r@1", "r@5", "cited", "date", "terms", "unans r|p", "answ ref", "partial", "small ok", "p50 ms"],
      (["dev", "test"] as const).flatMap((name) => langs.flatMap((lang) => {
        const m = report[name].byLang[lang];
        if (!m) return [];
        return [[name, `${lang} (${LANG_LABELS[lang] ?? lang})`, String(m.questions),
          ...(["recallAt1", "recallAt5", "citedFirst", "whenDate", "expectedTerms", "unanswerableRefusedOrPartial", "answerableRefused", "answerablePartial", "smallTalkOk"] as const).map((k) => withCounts(m[k])),
          m.p50Ms.toFixed(2)]];
      })),
    ));
  }

  if (report.perturbations.length > 0) {
    const labels = { recallAt1: "r@1", recallAt5: "r@5", unanswerableRefusedOrPartial: "unans r|p", answerableRefused: "answ ref" } as const;
    out.push("", `Perturbations of the test part (${report.perturbations[0].questions} questions, small talk left out; Δ in points from clean, at most ${FLOORS.perturbationPoints} worse):`);
    out.push(table(
      ["variant", ...FLOORED_METRICS.flatMap((m) => [labels[m], "Δ"])],
      [
        ["clean", ...FLOORED_METRICS.flatMap((m) => [pct(report.test.metrics[m].share), ""])],
        ...report.perturbations.map((p) => [p.name, ...FLOORED_METRICS.flatMap((m) => [pct(p.metrics[m].share), points(p.deltaPoints[m])])]),
      ],
    ));
  }

  if (report.llm) {
    out.push("", `LLM mode (fake model, ${report.llm.questions} answerable test questions): answerable refused ${withCounts(report.llm.answerableRefused)}, written by the model ${withCounts(report.llm.answeredByModel)}, p50 ${report.llm.p50Ms.toFixed(2)} ms, p95 ${report.llm.p95Ms.toFixed(2)} ms`);
  }

  if (report.ablations) {
    out.push("", "Ablations (dev part):");
    out.push(table(
      ["variant", "recall@1", "recall@5", "cited", "when-date", "unans r|p", "answ ref", "p50 ms", "p95 ms"],
      report.ablations.map(({ name, metrics: m }) => [
        name, pct(m.recallAt1.share), pct(m.recallAt5.share), pct(m.citedFirst.share), pct(m.whenDate.share),
        pct(m.unanswerableRefusedOrPartial.share), pct(m.answerableRefused.share), m.p50Ms.toFixed(2), m.p95Ms.toFixed(2),
      ]),
    ));
  }

  out.push("");
  out.push(report.floors.misses.length === 0 ? "Floors: all met." : `Floors missed (${report.floors.misses.length}):\n${report.floors.misses.map((m) => `  ${m}`).join("\n")}`);
  if (report.floors.failures.length > 0) out.push(`Below what CI enforces today (${report.floors.failures.length}):\n${report.floors.failures.map((m) => `  ${m}`).join("\n")}`);
  else if (report.floors.misses.length > 0) out.push("CI enforces the floors reached so far (`enforced` in scripts/eval/floors.ts): all held.");
  return out.join("\n");
}

/** The dev part's failed questions, one line each (never the test part's). */
export function formatDevFailures(failures: readonly DevFailure[]): string {
  return failures.map((f) => `  dev ${f.id} [${f.kind}] ${f.question} → ${f.why.join("; ")}`).join("\n");
}

/** `count` dev answers spread evenly over the part (every kind shows), each with its question. */
export function formatDevAnswers(answers: readonly DevAnswer[], count: number): string {
  const step = Math.max(1, answers.length / Math.max(1, count));
  const picked = Array.from({ length: Math.min(count, answers.length) }, (_, i) => answers[Math.floor(i * step)]);
  return picked.map((a) => `dev ${a.id} [${a.kind}, ${a.outcome}] ${a.question}\n${a.text.replace(/^/gm, "  ")}`).join("\n\n");
}
