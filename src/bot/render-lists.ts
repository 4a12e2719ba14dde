/**
 * The help text and the paginated `/sources` and `/timeline` lists (pure, Telegram HTML).
 */
import { InlineKeyboard } from "grammy";
import type { CorpusOverview, SourceEntry } from "../answering/answerer.ts";
import { listDate, longDate, t, tHtml, type Lang } from "../locale/messages.ts";
import { pageCallbackData } from "./callback-data.ts";
import { escapeHtml, formatDate, link, shortenTitle, TELEGRAM_MESSAGE_LIMIT } from "./html.ts";
import { timelineOf } from "../answering/timeline.ts";

export { timelineOf };

/** One page of a list, ready to send or to edit into an existing message. */
export interface RenderedPage {
  html: string;
  keyboard: InlineKeyboard | undefined;
}

/**
 * `/start` and `/help`: what the bot knows, how to ask in private and in groups, and examples, in
 * the reader's language (src/locale/locales/*.ftl). The suggested questions are the corpus
 * language's (English); a Russian reader gets one asking about the newest report's date instead.
 */
export function renderHelp(options: { overview: CorpusOverview; examples: readonly string[]; botUsername: string; admin?: boolean; lang?: Lang }): string {
  const { overview, examples, botUsername } = options;
  const lang = options.lang ?? "en";
  // English lists dates short ("2 Sep 2024"), Russian writes them out ("2 сентября 2024 года").
  const date = (isoDate: string) => (lang === "en" ? formatDate(isoDate) : longDate(lang, isoDate));
  const period =
    overview.firstDate && overview.lastDate
      ? overview.firstDate === overview.lastDate
        ? t(lang, "help-period-day", { date: date(overview.firstDate) })
        : t(lang, "help-period", { from: date(overview.firstDate), to: date(overview.lastDate) })
      : "";
  const heading = (key: string) => `<b>${escapeHtml(t(lang, key))}</b>`;
  const lines = [
    heading("help-title"),
    `${escapeHtml(t(lang, "help-intro", { documents: overview.documents, period }))} ${escapeHtml(t(lang, "help-cite"))}`,
    "",
    heading("help-how"),
    escapeHtml(t(lang, "help-private")),
    tHtml(lang, "help-groups", { bot: botUsername }, { ask: `<code>${escapeHtml(t(lang, "help-ask-example"))}</code>` }),
  ];
  const shown = lang === "en" ? examples.map((q) => escapeHtml(q)) : overview.lastDate ? [escapeHtml(t(lang, "help-example", { date: longDate(lang, overview.lastDate) }))] : [];
  if (shown.length > 0) lines.push("", heading("help-example-title"), ...shown.map((q) => `• ${q}`));
  lines.push("", escapeHtml(t(lang, "help-sources")), escapeHtml(t(lang, "help-timeline")));
  if (options.admin) lines.push(...adminHelp(lang));
  return lines.join("\n");
}

/** The administrators' part of the help (private chats with ADMIN_USER_IDS). */
function adminHelp(lang: Lang): string[] {
  const command = (example: string, text: string) => `• <code>${escapeHtml(t(lang, example))}</code> ${escapeHtml(t(lang, text))}`;
  return [
    "",
    `<b>${escapeHtml(t(lang, "help-admin-title"))}</b>`,
    `• ${escapeHtml(t(lang, "help-admin-file"))}`,
    `• ${escapeHtml(t(lang, "help-admin-forward"))}`,
    command("help-admin-add-example", "help-admin-add"),
    command("help-admin-remove-example", "help-admin-remove"),
  ];
}

function pager(list: "sources" | "timeline", page: number, pages: number, lang: Lang): InlineKeyboard | undefined {
  if (pages <= 1) return undefined;
  const keyboard = new InlineKeyboard();
  if (page > 0) keyboard.text(`‹ ${t(lang, list === "sources" ? "page-newer" : "page-earlier")}`, pageCallbackData(list, page - 1));
  keyboard.text(`${page + 1} / ${pages}`, pageCallbackData(list, page));
  if (page < pages - 1) keyboard.text(`${t(lang, list === "sources" ? "page-older" : "page-later")} ›`, pageCallbackData(list, page + 1));
  return keyboard;
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
  lang: Lang,
): RenderedPage {
  const frame = [header, "", ...footer].join("\n").length + 1;
  const pages = paginateLines(lines, TELEGRAM_MESSAGE_LIMIT - frame, Math.max(1, maxPerPage));
  const p = clampPage(page, pages.length);
  const [from, to] = pages[p];
  return { html: [header, "", ...lines.slice(from, to), ...footer].join("\n"), keyboard: pager(list, p, pages.length, lang) };
}

/** A page of `/sources`: the documents newest first (as `qa.sources()` orders them), with dates and links. */
export function renderSourcesPage(sources: readonly SourceEntry[], page: number, pageSize: number, lang: Lang = "en"): RenderedPage {
  if (sources.length === 0) return { html: escapeHtml(t(lang, "sources-empty")), keyboard: undefined };
  const lines = sources.map((s, i) => {
    const origin = s.sourceName ? ` (${escapeHtml(shortenTitle(s.sourceName, 60))})` : "";
    return `${i + 1}. ${escapeHtml(listDate(lang, s.publishedOn))} — ${link(shortenTitle(s.title || s.docId), s.sourceUrl)}${origin}`;
  });
  const header = `<b>${escapeHtml(t(lang, "sources"))}</b>: ${escapeHtml(t(lang, "sources-count", { count: sources.length }))}`;
  return listPage("sources", header, lines, [], page, pageSize, lang);
}

/** A page of `/timeline`: one line per dated document, in date order. */
export function renderTimelinePage(sources: readonly SourceEntry[], page: number, pageSize: number, lang: Lang = "en"): RenderedPage {
  const events = timelineOf(sources);
  if (events.length === 0) return { html: escapeHtml(t(lang, "timeline-empty")), keyboard: undefined };
  const lines = events.map((s) => `<b>${escapeHtml(listDate(lang, s.publishedOn))}</b> — ${escapeHtml(shortenTitle(s.title || s.docId))}`);
  const undated = sources.length - events.length;
  const footer = undated > 0 ? ["", `<i>${escapeHtml(t(lang, "timeline-undated", { count: undated }))}</i>`] : [];
  return listPage("timeline", `<b>${escapeHtml(t(lang, "timeline-title"))}</b>`, lines, footer, page, pageSize, lang);
}
