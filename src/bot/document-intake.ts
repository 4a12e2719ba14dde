/**
 * Documents added from Telegram by ADMIN_USER_IDS: a file sent in a private chat (PDF, Word,
 * web page, text), `/add` with pasted text, and a forwarded channel post; `/remove <docId>` and
 * the Remove button under each confirmation take one out again. A file is checked (type, size
 * before the download, then parsed in memory) before anything is saved, so a file that cannot
 * become a document leaves the corpus and the index as they were, and the admin gets the
 * reason. What is saved is a file in CORPUS_DIR (`uploads/…`, `channels/…`), so `npm run embed`
 * and a restart keep it; the reply comes once the new index is live. Others get one sentence
 * and nothing they send is stored.
 */
import { InlineKeyboard, type Api, type Middleware } from "grammy";
import type { Document, Message, MessageOriginChannel } from "grammy/types";
import { AppError } from "../errors.ts";
import { calendarDate, languageOfPress, languageOfUpdate, t, tHtml, type Lang } from "../locale/messages.ts";
import { removeDocumentFile, saveNewFile, slugOf, textDocumentMarkdown, writeTextDocument, type SavedFile } from "../ingest/corpus-writer.ts";
import { parseDocument } from "../ingest/parse-document.ts";
import { CALLBACK_DATA_LIMIT } from "./callback-data.ts";
import { dayOf, postDocument, postFile, postText, postWithFile, titleFromFirstLine } from "./channel-sources.ts";
import type { BotContext } from "./context.ts";
import { userMessageFor } from "./error-boundary.ts";
import { escapeHtml, shortenTitle } from "./html.ts";
import { errorFields } from "./logger.ts";
import { editHtml, replyTargetFor, sendHtml } from "./send.ts";
import type { BotServices } from "./services.ts";
import { readSentFile } from "./sent-file.ts";

/** Folder of the corpus that files and texts sent to the bot are saved in. */
export const UPLOADS_FOLDER = "uploads";
/** The one sentence a non-admin gets for a file, a forwarded post, `/add` or `/remove`. */
export const NOT_ADMIN_INTAKE_MESSAGE = t("en", "intake-not-admin");
/** `/remove` without an id: the usage, as Telegram HTML. */
const removeUsage = (lang: Lang) => tHtml(lang, "remove-usage", {}, { example: "<code>uploads/press-release</code>" });

/** Button data of "remove this document", or null when the id is too long for a button. */
export function removeCallbackData(docId: string): string | null {
  const data = `rm:${docId}`;
  return Buffer.byteLength(data, "utf8") <= CALLBACK_DATA_LIMIT ? data : null;
}

/** Pattern of the Remove button's data (for `bot.callbackQuery`). */
export const REMOVE_CALLBACK = /^rm:(.+)$/s;

const isAdmin = (ctx: BotContext, services: BotServices) => ctx.from !== undefined && services.config.adminUserIds.has(ctx.from.id);

/**
 * The intake middleware for messages: `/add` and `/remove` anywhere, and in private chats a
 * document or a post forwarded from a channel. Everything else goes on to the question handlers.
 */
export function documentIntake(services: BotServices): Middleware<BotContext> {
  return async (ctx, next) => {
    const message = ctx.msg;
    const incoming = ctx.state.incoming;
    if (!message) return next();
    const command = incoming?.kind === "command" && (incoming.command === "add" || incoming.command === "remove") ? incoming : null;
    const forwarded = message.forward_origin?.type === "channel" ? (message.forward_origin as MessageOriginChannel) : null;
    const privateChat = message.chat.type === "private";
    if (!command && !(privateChat && (message.document || forwarded))) return next();

    const target = replyTargetFor(message);
    ctx.state.target = target;
    const send = (html: string, keyboard?: InlineKeyboard) => sendHtml(ctx.api, target, html, { logger: services.logger, ...(keyboard ? { keyboard } : {}) });
    const lang = languageOfUpdate(ctx);
    if (!isAdmin(ctx, services)) return void (await send(escapeHtml(t(lang, "intake-not-admin"))));
    if (!services.indexUpdates) return void (await send(escapeHtml(t(lang, "intake-unavailable"))));
    void ctx.api.sendChatAction(message.chat.id, "typing").catch(() => undefined);

    let result: { html: string; keyboard?: InlineKeyboard };
    try {
      if (command?.command === "remove") result = await removeByCommand(command.args, services, lang);
      else if (command) result = await addText(message, command.args, services, lang);
      else if (forwarded) result = await addForward(message, forwarded, services, ctx.api, lang);
      else result = await addFile(message.document!, services, ctx.api, lang);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      services.logger.info({ event: "intake_refused", userId: ctx.from?.id, code: error.code, reason: error.message }, "document not added");
      result = { html: escapeHtml(userMessageFor(error, lang)) };
    }
    await send(result.html, result.keyboard);
  };
}

/** A refusal whose text the admin sees (`key` of the locale files, in English and Russian); nothing was saved. */
const refusal = (code: string, key: string, vars: Record<string, string | number> = {}) => new AppError(code, t("en", key, vars), { localized: { key, vars } });

/** A sent file: type and size checked first, then downloaded, parsed in memory, saved and embedded. */
async function addFile(document: Document, services: BotServices, api: Api, lang: Lang): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const { config } = services;
  const sent = await readSentFile({ document, api, config, docIdFor: (fileName) => `${UPLOADS_FOLDER}/${fileName.replace(/\.[^.]+$/, "")}`, signal: services.shutdown.signal });
  const saved = await saveNewFile(config.corpusDir, UPLOADS_FOLDER, sent.fileName, sent.bytes);
  return embedAndDescribe(saved, services, { what: sent.shown, lang });
}

/** `/add` text (or `/add` in reply to a text): saved as Markdown with front matter, dated by its dateline or the message. */
async function addText(message: Message, args: string, services: BotServices, lang: Lang): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const replied = message.reply_to_message;
  const raw = args || (replied ? postText(replied) : "");
  if (!raw.trim()) return { html: escapeHtml(t(lang, "add-usage")) };
  const parsed = parseDocument({ docId: `${UPLOADS_FOLDER}/text`, raw, contentHash: "" });
  if (!parsed.text) return { html: escapeHtml(t(lang, "add-usage")) };
  const hasFrontMatter = /^\uFEFF?---[ \t]*\r?\n/.test(raw);
  const title = hasFrontMatter ? parsed.title : titleFromFirstLine(parsed.text);
  const publishedOn = parsed.publishedOn ?? dayOf(message.date, services.config.newsTimeZone);
  const markdown = textDocumentMarkdown({ title, publishedOn, sourceUrl: parsed.sourceUrl, publisher: parsed.sourceName, text: parsed.text });
  const saved = await saveNewFile(services.config.corpusDir, UPLOADS_FOLDER, `${publishedOn}_${slugOf(title)}.md`, Buffer.from(markdown, "utf8"));
  const note = parsed.publishedOn ? undefined : t(lang, "intake-no-date-note");
  return embedAndDescribe(saved, services, { what: "intake-what-text", lang, ...(note ? { note } : {}) });
}

/** A forwarded channel post (with its file, if any): the same document the channel's own post would give, dated by the original post. */
async function addForward(message: Message, origin: MessageOriginChannel, services: BotServices, api: Api, lang: Lang): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const docId = postFile(origin.chat.id, origin.message_id).replace(/\.md$/, "");
  const content = await postWithFile(message, { api, config: services.config, docId, signal: services.shutdown.signal });
  if (!content.text) throw refusal("EMPTY_POST", "intake-empty-post");
  const doc = postDocument({ chat: origin.chat, messageId: origin.message_id, date: origin.date, timeZone: services.config.newsTimeZone, ...content });
  const saved = await writeTextDocument(services.config.corpusDir, doc.file, doc.markdown);
  return embedAndDescribe(saved, services, { what: "intake-what-post", lang });
}

/**
 * Embeds after a save and describes the live document; when the build fails or leaves the
 * document out, a new file is deleted again (the corpus is as it was) and the reason given.
 */
async function embedAndDescribe(
  saved: SavedFile,
  services: BotServices,
  options: { what: string; lang: Lang; note?: string },
): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const { config, logger, qa } = services;
  const { lang } = options;
  // `what` is a file's name, or a locale key naming the text or post.
  const what = (l: Lang) => (options.what.startsWith("intake-what-") ? t(l, options.what) : options.what);
  const capitalised = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
  const undo = async () => {
    if (saved.existed || saved.replaced) return; // a new version stays: the next build takes it
    await removeDocumentFile(config.corpusDir, saved.docId).catch(() => undefined);
  };
  try {
    await services.indexUpdates!.request();
  } catch (error) {
    logger.error({ event: "intake_index_failed", docId: saved.docId, err: errorFields(error) }, "could not index an added document");
    await undo();
    throw new AppError("INDEX_FAILED", t("en", "intake-index-failed", { what: what("en"), reason: userMessageFor(error) }), {
      localized: { key: "intake-index-failed", vars: { what: what(lang), reason: userMessageFor(error, lang) } },
    });
  }
  const entry = qa.sources().find((source) => source.docId === saved.docId);
  if (!entry) {
    await undo();
    throw new AppError("NOT_INDEXED", t("en", "intake-not-indexed", { what: capitalised(what("en")) }), {
      localized: { key: "intake-not-indexed", vars: { what: capitalised(what(lang)) } },
    });
  }
  logger.info({ event: saved.existed ? "intake_existing" : "intake_added", docId: saved.docId, chunks: entry.chunks }, "document added from Telegram");
  const lines = [
    tHtml(lang, saved.existed ? "intake-existing" : saved.replaced ? "intake-updated" : "intake-added", {}, { title: `<b>${escapeHtml(shortenTitle(entry.title, 200))}</b>` }),
    entry.publishedOn ? escapeHtml(t(lang, "intake-dated", { date: calendarDate(lang, entry.publishedOn) })) : escapeHtml(t(lang, "intake-undated")),
    tHtml(lang, "intake-passages", { count: entry.chunks }, { id: `<code>${escapeHtml(saved.docId)}</code>` }),
  ];
  if (entry.sourceUrl) lines.splice(2, 0, escapeHtml(t(lang, "intake-source", { url: entry.sourceUrl })));
  if (options.note) lines.push(escapeHtml(options.note));
  const data = removeCallbackData(saved.docId);
  return { html: lines.join("\n"), ...(data ? { keyboard: new InlineKeyboard().text(t(lang, "intake-remove-button"), data) } : {}) };
}

/** Deletes a document's file and embeds; the title is taken from the index before it goes. */
async function removeDocument(docId: string, services: BotServices, lang: Lang): Promise<string> {
  const { config, logger, qa } = services;
  const title = qa.sources().find((source) => source.docId === docId)?.title;
  const file = await removeDocumentFile(config.corpusDir, docId);
  const label = `<code>${escapeHtml(docId)}</code>${title ? ` (${escapeHtml(shortenTitle(title, 200))})` : ""}`;
  if (!file) return tHtml(lang, "remove-unknown", {}, { label });
  logger.info({ event: "intake_removed", docId }, "document removed from Telegram");
  try {
    await services.indexUpdates!.request();
  } catch (error) {
    logger.error({ event: "intake_index_failed", docId, err: errorFields(error) }, "could not re-embed after a removal");
    return tHtml(lang, "remove-not-reembedded", { reason: userMessageFor(error, lang) }, { label });
  }
  return tHtml(lang, "removed", {}, { label });
}

async function removeByCommand(args: string, services: BotServices, lang: Lang): Promise<{ html: string }> {
  const docId = args.trim().replace(/^<code>|<\/code>$/g, "");
  if (!docId) return { html: removeUsage(lang) };
  return { html: await removeDocument(docId, services, lang) };
}

/** The Remove button under a confirmation: admins only; the confirmation is replaced by what happened. */
export async function removeByButton(ctx: BotContext, services: BotServices): Promise<void> {
  const docId = REMOVE_CALLBACK.exec(ctx.callbackQuery?.data ?? "")?.[1];
  const message = ctx.callbackQuery?.message;
  const lang = languageOfPress(ctx);
  if (!docId || !isAdmin(ctx, services)) return void (await ctx.answerCallbackQuery({ text: t(lang, "intake-not-admin") }));
  if (!services.indexUpdates) return void (await ctx.answerCallbackQuery({ text: t(lang, "intake-unavailable") }));
  await ctx.answerCallbackQuery({ text: t(lang, "intake-removing") });
  const html = await removeDocument(docId, services, lang);
  if (message) await editHtml(ctx.api, message.chat.id, message.message_id, html, { logger: services.logger });
}
