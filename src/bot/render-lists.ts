/**
 * The help text and the paginated `/sources` and `/timeline` lists (pure, Telegram HTML).
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { CorpusOverview, SourceEntry } from "../answering/answerer.ts";
import { longDate, t, type Lang } from "../locale/messages.ts";
import { pageCallbackData } from "./callback-data.ts";
import { escapeHtml, formatDate, link, shortenTitle, TELEGRAM_MESSAGE_LIMIT } from "./html.ts";
import { timelineOf } from "../answering/timeline.ts";

export { timelineOf };

/** One page of a list, ready to send or to edit into an existing message. */
export interface RenderedPage {
  html: string;
  keyboard: InlineKeyboardMarkup | undefined;
}

/** `/start` and `/help`: what the bot knows, how to ask in private and in groups, two examples. */
export function renderHelp(options: { overview: CorpusOverview; examples: readonly string[]; botUsername: string; admin?: boolean; lang?: Lang }): string {
  const { overview, examples, botUsername } = options;
  if (options.lang && options.lang !== "en") return renderLocalisedHelp({ ...options, lang: options.lang });
  const period =
    overview.firstDate && overview.lastDate
      ? overview.firstDate === overview.lastDate
        ? `, dated ${formatDate(overview.firstDate)}`
        : `, from ${formatDate(overview.firstDate)} to ${formatDate(overview.lastDate)}`
      : "";
  const documents = `${overview.documents.toLocaleString("en-US")} news document${overview.documents === 1 ? "" : "s"}`;
  const lines = [
    "<b>Official visits, answered with dated sources</b>",
    `I answer questions about official visits and meetings (Kyrgyzstan–China first of all) from ${documents}${escapeHtml(period)}. ` +
      "Every answer cites its passages as [1], [2] with their dates; tap a number to read the passage.",
    "",
    "<b>How to ask</b>",
    "• In a private chat: just send the question. Send a next question soon after, or reply to an answer, to follow up.",
    `• In a group: <code>/ask your question</code>, mention @${escapeHtml(botUsername)}, or reply to one of my answers.`,
  ];
  if (examples.length > 0) {
    lines.push("", "<b>For example</b>", ...examples.map((q) => `• ${escapeHtml(q)}`));
  }
  lines.push("", "/sources — the documents, newest first", "/timeline — the documented events in date order");
  if (options.admin) {
    lines.push(
      "",
      "<b>For administrators</b>",
      "• Send me a PDF, Word (.docx), web page (.html) or text file here to add it; I reply with its title, date and passages once it can be asked about.",
      "• Forward a channel post to add it, dated by the original post.",
      "• <code>/add text</code> adds pasted text (its first line is the title).",
      "• <code>/remove id</code> removes a document (or press Remove under its confirmation); /reindex re-embeds the corpus.",
    );
  }
  return lines.join("\n");
}

/** The help in another language than English, from the locale files; examples are dates of the newest documents. */
function renderLocalisedHelp(options: { overview: CorpusOverview; botUsername: string; lang: Lang }): string {
  const { overview, botUsername, lang } = options;
  const period = overview.firstDate && overview.lastDate ? t(lang, "help-period", { from: longDate(lang, overview.firstDate), to: longDate(lang, overview.lastDate) }) : "";
  const lines = [
    `<b>${escapeHtml(t(lang, "help-title"))}</b>`,
    `${escapeHtml(t(lang, "help-intro", { documents: overview.documents, period }))} ${escapeHtml(t(lang, "help-cite"))}`,
    "",
    `<b>${escapeHtml(t(lang, "help-how"))}</b>`,
    escapeHtml(t(lang, "help-private")),
    `• ${escapeHtml(t(lang, "help-groups", { bot: botUsername }))}`,
  ];
  if (overview.lastDate) lines.push("", `<b>${escapeHtml(t(lang, "help-example-title"))}</b>`, `• ${escapeHtml(t(lang, "help-example", { date: longDate(lang, overview.lastDate) }))}`);
  lines.push("", escapeHtml(t(lang, "help-commands")));
  return lines.join("\n");
}

function pager(list: "sources" | "timeline", page: number, pages: number): InlineKeyboardMarkup | undefined {
  if (pages <= 1) return undefined;
  const row: InlineKeyboardButton[] = [];
  if (page > 0) row.push({ text: `‹ ${list === "sources" ? "Newer" : "Earlier"}`, callback_data: pageCallbackData(list, page - 1) });
  row.push({ text: `${page + 1} / ${pages}`, callback_data: pageCallbackData(list, page) });
  if (page < pages - 1) row.push({ text: `${list === "sources" ? "Older" : "Later"} ›`, callback_data: pageCallbackData(list, page + 1) });
  return { inline_keyboard: [row] };
}

const clampPage = (page: number, pages: number): number => Math.min(Math.max(0, page), Math.max(0, pages - 1));

/**
 * Cuts list lines into pages of at most `maxPerPage` lines whose text, joined by newlines,
 * stays within `budget` characters. Pure in the lines, so a page button always finds the same
 * page. Returns each page's [start, end) line range.
 */
export function paginateLines(lines: readonly string[], budget: number, maxPerPage: number): Array<[number, number]> {
  const pages: Array<[number, number]> = [];
  let start = 0;
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const added = lines[i].length + (i > start ? 1 : 0);
    if (i > start && (i - start >= maxPerPage || length + added > budget)) {
      pages.push([start, i]);
      start = i;
      length = lines[i].length;
    } else {
      length += added;
    }
  }
  if (lines.length > 0) pages.push([start, lines.length]);
  return pages;
}

/** One page of a list: header, the page's lines and footer, sized to fit one message. */
function listPage(
  list: "sources" | "timeline",
  header: string,
  lines: readonly string[],
  footer: readonly string[],
  page: number,
  maxPerPage: number,
): RenderedPage {
  const frame = [header, "", ...footer].join("\n").length + 1;
  const pages = paginateLines(lines, TELEGRAM_MESSAGE_LIMIT - frame, Math.max(1, maxPerPage));
  const p = clampPage(page, pages.length);
  const [from, to] = pages[p];
  return { html: [header, "", ...lines.slice(from, to), ...footer].join("\n"), keyboard: pager(list, p, pages.length) };
}

/** A page of `/sources`: the documents newest first (as `qa.sources()` orders them), with dates and links. */
export function renderSourcesPage(sources: readonly SourceEntry[], page: number, pageSize: number): RenderedPage {
  if (sources.length === 0) return { html: "No documents are indexed yet.", keyboard: undefined };
  const lines = sources.map((s, i) => {
    const origin = s.sourceName ? ` (${escapeHtml(shortenTitle(s.sourceName, 60))})` : "";
    return `${i + 1}. ${escapeHtml(formatDate(s.publishedOn))} — ${link(shortenTitle(s.title || s.docId), s.sourceUrl)}${origin}`;
  });
  const header = `<b>Sources</b>: ${sources.length.toLocaleString("en-US")} document${sources.length === 1 ? "" : "s"}, newest first`;
  return listPage("sources", header, lines, [], page, pageSize);
}

/** A page of `/timeline`: one line per dated document, in date order. */
export function renderTimelinePage(sources: readonly SourceEntry[], page: number, pageSize: number): RenderedPage {
  const events = timelineOf(sources);
  if (events.length === 0) return { html: "No dated documents are indexed yet.", keyboard: undefined };
  const lines = events.map((s) => `<b>${escapeHtml(formatDate(s.publishedOn))}</b> — ${escapeHtml(shortenTitle(s.title || s.docId))}`);
  const undated = sources.length - events.length;
  const footer = undated > 0 ? ["", `<i>${undated} undated document${undated === 1 ? "" : "s"} not shown.</i>`] : [];
  return listPage("timeline", "<b>Timeline</b>", lines, footer, page, pageSize);
}
