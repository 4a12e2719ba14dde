/** Plain-text and JSON renderings of an Answer, for the terminal and `ask --json` (pure). */
import type { Answer } from "../domain.ts";
import { formatShortDate } from "../dates.ts";
import { shortDate, t } from "../locale/messages.ts";

/** The answer, then a numbered source list with dates and links. */
export function renderPlain(answer: Answer): string {
  const lines = [answer.text];
  if (answer.notice) lines.unshift(`(${answer.notice})`);
  if (answer.citations.length > 0) {
    const lang = answer.language ?? "en";
    lines.push("", lang === "en" ? "Sources:" : `${t(lang, "sources")}:`);
    for (const c of answer.citations) {
      const date = lang === "en" ? (c.date ? formatShortDate(c.date) : "undated") : c.date ? shortDate(lang, c.date) : t(lang, "undated-source");
      const parts = [`[${c.n}]`, date, "—", c.title];
      if (c.source) parts.push(`— ${c.source}`);
      lines.push(parts.join(" "));
    }
  }
  return lines.join("\n");
}

/** The `ask --json` object of design.md. */
export function toJson(answer: Answer) {
  return {
    question: answer.question,
    mode: answer.mode,
    outcome: answer.outcome,
    ...(answer.reasons ? { reasons: answer.reasons } : {}),
    refused: answer.refused,
    answer: answer.text,
    ...(answer.notice ? { notice: answer.notice } : {}),
    citations: answer.citations.map(({ n, docId, title, date, source, quote }) => ({ n, docId, title, date, source, quote })),
    passages: answer.passages.map(({ chunk, score }) => ({ docId: chunk.docId, date: chunk.publishedOn, score, text: chunk.text })),
    timings: answer.timings,
  };
}
