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
import { formatLongDate } from "../dates.ts";
import { AppError } from "../errors.ts";
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
export const NOT_ADMIN_INTAKE_MESSAGE = "Only the bot's administrators can add or remove documents; please send your question as text.";
export const INTAKE_UNAVAILABLE_MESSAGE = "Adding documents is not available in this deployment.";
export const ADD_USAGE = "Send /add followed by the text of a news item: its first line becomes the title, and a date at the top (“BISHKEK, 3 September 2025 —”) dates it; without one it is dated today.";
export const REMOVE_USAGE = "Send /remove followed by a document id, as shown when the document was added (for example <code>uploads/press-release</code>).";

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
    if (!isAdmin(ctx, services)) return void (await send(escapeHtml(NOT_ADMIN_INTAKE_MESSAGE)));
    if (!services.indexUpdates) return void (await send(escapeHtml(INTAKE_UNAVAILABLE_MESSAGE)));
    void ctx.api.sendChatAction(message.chat.id, "typing").catch(() => undefined);

    let result: { html: string; keyboard?: InlineKeyboard };
    try {
      if (command?.command === "remove") result = await removeByCommand(command.args, services);
      else if (command) result = await addText(message, command.args, services);
      else if (forwarded) result = await addForward(message, forwarded, services, ctx.api);
      else result = await addFile(message.document!, services, ctx.api);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      services.logger.info({ event: "intake_refused", userId: ctx.from?.id, code: error.code, reason: error.message }, "document not added");
      result = { html: escapeHtml(userMessageFor(error)) };
    }
    await send(result.html, result.keyboard);
  };
}

/** A refusal whose text the admin sees; nothing was saved. */
const refusal = (code: string, text: string) => new AppError(code, text);

/** A sent file: type and size checked first, then downloaded, parsed in memory, saved and embedded. */
async function addFile(document: Document, services: BotServices, api: Api): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const { config } = services;
  const sent = await readSentFile({ document, api, config, docIdFor: (fileName) => `${UPLOADS_FOLDER}/${fileName.replace(/\.[^.]+$/, "")}`, signal: services.shutdown.signal });
  const saved = await saveNewFile(config.corpusDir, UPLOADS_FOLDER, sent.fileName, sent.bytes);
  return embedAndDescribe(saved, services, { what: sent.shown });
}

/** `/add` text (or `/add` in reply to a text): saved as Markdown with front matter, dated by its dateline or the message. */
async function addText(message: Message, args: string, services: BotServices): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const replied = message.reply_to_message;
  const raw = args || (replied ? postText(replied) : "");
  if (!raw.trim()) return { html: escapeHtml(ADD_USAGE) };
  const parsed = parseDocument({ docId: `${UPLOADS_FOLDER}/text`, raw, contentHash: "" });
  if (!parsed.text) return { html: escapeHtml(ADD_USAGE) };
  const hasFrontMatter = /^\uFEFF?---[ \t]*\r?\n/.test(raw);
  const title = hasFrontMatter ? parsed.title : titleFromFirstLine(parsed.text);
  const publishedOn = parsed.publishedOn ?? dayOf(message.date, services.config.newsTimeZone);
  const markdown = textDocumentMarkdown({ title, publishedOn, sourceUrl: parsed.sourceUrl, publisher: parsed.sourceName, text: parsed.text });
  const saved = await saveNewFile(services.config.corpusDir, UPLOADS_FOLDER, `${publishedOn}_${slugOf(title)}.md`, Buffer.from(markdown, "utf8"));
  const note = parsed.publishedOn ? undefined : "No date in the text: dated by your message.";
  return embedAndDescribe(saved, services, { what: "the text", note });
}

/** A forwarded channel post (with its file, if any): the same document the channel's own post would give, dated by the original post. */
async function addForward(message: Message, origin: MessageOriginChannel, services: BotServices, api: Api): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const docId = postFile(origin.chat.id, origin.message_id).replace(/\.md$/, "");
  const content = await postWithFile(message, { api, config: services.config, docId, signal: services.shutdown.signal });
  if (!content.text) throw refusal("EMPTY_POST", "That post has no text to add (its text, caption and attached document are read). Nothing was saved.");
  const doc = postDocument({ chat: origin.chat, messageId: origin.message_id, date: origin.date, timeZone: services.config.newsTimeZone, ...content });
  const saved = await writeTextDocument(services.config.corpusDir, doc.file, doc.markdown);
  return embedAndDescribe(saved, services, { what: "the post" });
}

/**
 * Embeds after a save and describes the live document; when the build fails or leaves the
 * document out, a new file is deleted again (the corpus is as it was) and the reason given.
 */
async function embedAndDescribe(
  saved: SavedFile,
  services: BotServices,
  options: { what: string; note?: string },
): Promise<{ html: string; keyboard?: InlineKeyboard }> {
  const { config, logger, qa } = services;
  const undo = async () => {
    if (saved.existed || saved.replaced) return; // a new version stays: the next build takes it
    await removeDocumentFile(config.corpusDir, saved.docId).catch(() => undefined);
  };
  try {
    await services.indexUpdates!.request();
  } catch (error) {
    logger.error({ event: "intake_index_failed", docId: saved.docId, err: errorFields(error) }, "could not index an added document");
    await undo();
    throw refusal("INDEX_FAILED", `Could not index ${options.what}, so it was not added: ${userMessageFor(error)}`);
  }
  const entry = qa.sources().find((source) => source.docId === saved.docId);
  if (!entry) {
    await undo();
    throw refusal("NOT_INDEXED", `${options.what[0].toUpperCase()}${options.what.slice(1)} could not be indexed, so it was not added.`);
  }
  logger.info({ event: saved.existed ? "intake_existing" : "intake_added", docId: saved.docId, chunks: entry.chunks }, "document added from Telegram");
  const lines = [
    `${saved.existed ? "Already in the corpus" : saved.replaced ? "Updated" : "Added"}: <b>${escapeHtml(shortenTitle(entry.title, 200))}</b>`,
    entry.publishedOn ? `Dated ${formatLongDate(entry.publishedOn)}.` : "No date found: indexed as undated (a dateline such as “3 September 2025” at the top, or a date in the file name, would date it).",
    `${entry.chunks} passage${entry.chunks === 1 ? "" : "s"}; id <code>${escapeHtml(saved.docId)}</code>. It can be asked about now.`,
  ];
  if (entry.sourceUrl) lines.splice(2, 0, `Source: ${escapeHtml(entry.sourceUrl)}`);
  if (options.note) lines.push(escapeHtml(options.note));
  const data = removeCallbackData(saved.docId);
  return { html: lines.join("\n"), ...(data ? { keyboard: new InlineKeyboard().text("Remove", data) } : {}) };
}

/** Deletes a document's file and embeds; the title is taken from the index before it goes. */
async function removeDocument(docId: string, services: BotServices): Promise<string> {
  const { config, logger, qa } = services;
  const title = qa.sources().find((source) => source.docId === docId)?.title;
  const file = await removeDocumentFile(config.corpusDir, docId);
  const label = `<code>${escapeHtml(docId)}</code>${title ? ` (${escapeHtml(shortenTitle(title, 200))})` : ""}`;
  if (!file) return `No document has the id ${label}.`;
  logger.info({ event: "intake_removed", docId }, "document removed from Telegram");
  try {
    await services.indexUpdates!.request();
  } catch (error) {
    logger.error({ event: "intake_index_failed", docId, err: errorFields(error) }, "could not re-embed after a removal");
    return `Removed the file of ${label}, but re-embedding failed (${escapeHtml(userMessageFor(error))}); the next /reindex drops it.`;
  }
  return `Removed ${label}; it is no longer in the answers.`;
}

async function removeByCommand(args: string, services: BotServices): Promise<{ html: string }> {
  const docId = args.trim().replace(/^<code>|<\/code>$/g, "");
  if (!docId) return { html: REMOVE_USAGE };
  return { html: await removeDocument(docId, services) };
}

/** The Remove button under a confirmation: admins only; the confirmation is replaced by what happened. */
export async function removeByButton(ctx: BotContext, services: BotServices): Promise<void> {
  const docId = REMOVE_CALLBACK.exec(ctx.callbackQuery?.data ?? "")?.[1];
  const message = ctx.callbackQuery?.message;
  if (!docId || !isAdmin(ctx, services)) return void (await ctx.answerCallbackQuery({ text: NOT_ADMIN_INTAKE_MESSAGE }));
  if (!services.indexUpdates) return void (await ctx.answerCallbackQuery({ text: INTAKE_UNAVAILABLE_MESSAGE }));
  await ctx.answerCallbackQuery({ text: "Removing…" });
  const html = await removeDocument(docId, services);
  if (message) await editHtml(ctx.api, message.chat.id, message.message_id, html, { logger: services.logger });
}
