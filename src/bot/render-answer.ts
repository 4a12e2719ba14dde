/**
 * How answers and cited passages look in Telegram (pure): HTML with every dynamic string
 * escaped, `[n]` markers, a Sources block with dates and links, and `[n]` buttons.
 */
import { InlineKeyboard } from "grammy";
import type { Answer, Chunk } from "../domain.ts";
import { shortDate, t, type Lang } from "../locale/messages.ts";
import { passageCallbackData } from "./callback-data.ts";
import { escapeHtml, formatDate, isHttpUrl, link, shortenTitle, splitHtml, TELEGRAM_MESSAGE_LIMIT } from "./html.ts";

/** An answer ready to send: one or more HTML parts; the keyboard belongs under the last part. */
export interface RenderedAnswer {
  parts: string[];
  keyboard: InlineKeyboard | undefined;
}

/** Buttons per keyboard row (Telegram shows up to 8; 5 keep them thumb-sized). */
const BUTTONS_PER_ROW = 5;

/** The `[1] [2] …` buttons that open the cited passages; undefined when nothing is cited. */
export function citationKeyboard(answer: Pick<Answer, "citations">): InlineKeyboard | undefined {
  if (answer.citations.length === 0) return undefined;
  return InlineKeyboard.from([answer.citations.map((c) => InlineKeyboard.text(`[${c.n}]`, passageCallbackData(c.chunkId)))]).toFlowed(BUTTONS_PER_ROW);
}

function sourceLine(citation: Answer["citations"][number], lang: Lang): string {
  const title = shortenTitle(citation.title.trim() || citation.docId);
  const origin = citation.source && !isHttpUrl(citation.source) ? ` (${escapeHtml(shortenTitle(citation.source, 60))})` : "";
  const date = lang === "en" ? formatDate(citation.date) : citation.date ? shortDate(lang, citation.date) : t(lang, "undated-source");
  return `[${citation.n}] ${link(title, citation.source)} — ${escapeHtml(date)}${origin}`;
}

/**
 * Renders an answer: the optional notice as one italic line, the text, then (unless the answer is
 * a refusal) a Sources block; split into parts of at most `maxLength` characters (default 4,096).
 */
export function renderAnswer(answer: Answer, options: { maxLength?: number } = {}): RenderedAnswer {
  const blocks: string[] = [];
  if (answer.notice) blocks.push(`<i>${escapeHtml(answer.notice.replace(/\s+/g, " ").trim())}</i>`);
  blocks.push(escapeHtml(answer.text.trim() || "(empty answer)"));
  const cited = !answer.refused && answer.citations.length > 0;
  if (cited) {
    const sorted = answer.citations.slice().sort((a, b) => a.n - b.n);
    const lang = answer.language ?? "en";
    blocks.push([`<b>${escapeHtml(t(lang, "sources"))}</b>`, ...sorted.map((c) => sourceLine(c, lang))].join("\n"));
  }
  return {
    parts: splitHtml(blocks.join("\n\n"), options.maxLength ?? TELEGRAM_MESSAGE_LIMIT),
    keyboard: cited ? citationKeyboard(answer) : undefined,
  };
}

/** The growing text of a streamed answer, as plain text (no parse mode) that fits one message. */
export function renderPartial(text: string, maxLength = TELEGRAM_MESSAGE_LIMIT): string {
  const suffix = " …";
  const body = text.trim();
  if (body.length + suffix.length <= maxLength) return body + suffix;
  return body.slice(0, maxLength - suffix.length - 1) + "…" + suffix;
}

/**
 * One cited passage, as opened by its button: number and title, date and source, and the
 * text in an expandable blockquote; split like answers.
 */
export function renderPassage(chunk: Chunk, options: { n?: number; maxLength?: number } = {}): string[] {
  const label = options.n !== undefined ? `[${options.n}] ` : "";
  const title = shortenTitle(chunk.title.trim() || chunk.docId);
  const origin = chunk.sourceName ? ` · ${link(chunk.sourceName, chunk.sourceUrl)}` : isHttpUrl(chunk.sourceUrl) ? ` · ${link("source", chunk.sourceUrl)}` : "";
  const html = [
    `<b>${escapeHtml(label + title)}</b>`,
    `${escapeHtml(formatDate(chunk.publishedOn))}${origin}`,
    `<blockquote expandable>${escapeHtml(chunk.text.trim())}</blockquote>`,
  ].join("\n");
  return splitHtml(html, options.maxLength ?? TELEGRAM_MESSAGE_LIMIT);
}
