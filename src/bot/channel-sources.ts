/**
 * Channels as live sources: when the bot administers a channel listed in SOURCE_CHANNEL_IDS,
 * every `channel_post` (its text, or its caption and the text of its attached PDF, Word, web
 * page or text file) becomes a document of the corpus, dated by the post, titled from its
 * first line, with the post's link (`https://t.me/<channel>/<id>`) as its source, and an
 * `edited_channel_post` rewrites it. Posts of other channels are ignored. Each post is a
 * Markdown file with front matter at `channels/<channel>/<message id>.md`, so its document id
 * is stable and `npm run embed` or a restart rebuild exactly the same document. The same
 * function turns a post an admin forwards into a document (see `document-intake.ts`).
 */
import type { Api, Middleware } from "grammy";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import type { Chat, Message } from "grammy/types";
import { textDocumentMarkdown, writeTextDocument } from "../ingest/corpus-writer.ts";
import { titleFromText } from "../ingest/parse-document.ts";
import type { BotContext } from "./context.ts";
import { errorFields, type Logger } from "./logger.ts";
import { readSentFile } from "./sent-file.ts";
import type { BotServices } from "./services.ts";

/** The calendar day of a Unix time in a time zone, `YYYY-MM-DD`. */
export function dayOf(unixSeconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(unixSeconds * 1000));
}

/** Longest title taken whole from a first line, in characters; a longer line gives its first sentence. */
const MAX_LINE_TITLE_CHARS = 120;

/** A post's title: its first non-empty line without Markdown emphasis, or that line's first sentence when it is long. */
export function titleFromFirstLine(text: string): string {
  const line = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  const clean = line.replace(/^[#>*_\s]+|[*_\s]+$/g, "").replace(/[.:;,]+$/, "");
  if (!clean) return titleFromText(text);
  return clean.length <= MAX_LINE_TITLE_CHARS ? clean : titleFromText(clean);
}

/** The part of a channel's id used in file names and private links: `-1001234567890` → `1234567890`. */
export function channelKey(chatId: number): string {
  return String(chatId).replace(/^-100/, "").replace(/^-/, "");
}

/** The link to one post: public channels by username, private ones by `t.me/c/<id>` (for their members). */
export function postLink(chat: Pick<Chat.ChannelChat, "id" | "username">, messageId: number): string {
  return chat.username ? `https://t.me/${chat.username}/${messageId}` : `https://t.me/c/${channelKey(chat.id)}/${messageId}`;
}

/** A post as a corpus document. */
export interface PostDocument {
  /** Path under the corpus directory. */
  file: string;
  docId: string;
  title: string;
  publishedOn: string;
  sourceUrl: string;
  markdown: string;
}

/** Where a post is saved, under the corpus directory. */
export const postFile = (chatId: number, messageId: number) => `channels/${channelKey(chatId)}/${messageId}.md`;

/** Builds the document of one channel post (pure); the title is the text's first line unless given. */
export function postDocument(input: {
  chat: Pick<Chat.ChannelChat, "id" | "username" | "title">;
  messageId: number;
  date: number;
  text: string;
  timeZone: string;
  title?: string;
}): PostDocument {
  const file = postFile(input.chat.id, input.messageId);
  const title = input.title ?? titleFromFirstLine(input.text);
  const publishedOn = dayOf(input.date, input.timeZone);
  const sourceUrl = postLink(input.chat, input.messageId);
  const markdown = textDocumentMarkdown({ title, publishedOn, sourceUrl, publisher: input.chat.title || null, text: input.text });
  return { file, docId: file.replace(/\.md$/, ""), title, publishedOn, sourceUrl, markdown };
}

/** The text of a post: its text, or the caption of its photo, video or file. */
export function postText(post: Pick<Message, "text" | "caption">): string {
  return (post.text ?? post.caption ?? "").trim();
}

/**
 * A post's text and title with the text of its attached file (PDF, Word, web page, text) after
 * the caption; the title is the caption's first line, or the file's own title without a caption.
 * Throws the file's AppError (unsupported, too large, unreadable).
 */
export async function postWithFile(post: Message, options: { api: Api; config: Readonly<Config>; docId: string; signal?: AbortSignal }): Promise<{ text: string; title?: string }> {
  const caption = postText(post);
  if (!post.document) return { text: caption };
  const sent = await readSentFile({ document: post.document, api: options.api, config: options.config, docIdFor: () => options.docId, ...(options.signal ? { signal: options.signal } : {}) });
  return { text: [caption, sent.parsed.text].filter(Boolean).join("\n\n"), ...(caption ? {} : { title: sent.parsed.title }) };
}

/**
 * The handler of `channel_post` and `edited_channel_post`. A listed channel's post is saved and
 * an index update requested in the background (a restart's `npm start` catches up on one a
 * kill interrupted); anything else is left alone. Never replies.
 */
export function channelSources(services: BotServices): Middleware<BotContext> {
  const { config, logger, inflight } = services;
  return async (ctx) => {
    ctx.state.addressed = false;
    const post = ctx.channelPost ?? ctx.editedChannelPost;
    if (!post) return;
    const edited = ctx.editedChannelPost !== undefined;
    const chat = post.chat;
    if (!config.sourceChannelIds.has(chat.id)) {
      logger.debug({ event: "channel_post_ignored", chatId: chat.id }, "post of a channel that is not in SOURCE_CHANNEL_IDS");
      return;
    }
    let content: { text: string; title?: string } = { text: postText(post) };
    try {
      content = await postWithFile(post, { api: ctx.api, config, docId: postFile(chat.id, post.message_id).replace(/\.md$/, ""), signal: services.shutdown.signal });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      logger.warn({ event: "channel_post_file_skipped", chatId: chat.id, messageId: post.message_id, reason: error.message }, "the post's file is not read; its caption is");
    }
    if (!content.text) {
      logger.debug({ event: "channel_post_ignored", chatId: chat.id, messageId: post.message_id }, "post without text");
      return;
    }
    const doc = postDocument({ chat, messageId: post.message_id, date: post.date, timeZone: config.newsTimeZone, ...content });
    const saved = await writeTextDocument(config.corpusDir, doc.file, doc.markdown);
    if (saved.existed) return void logger.debug({ event: "channel_post_unchanged", docId: doc.docId }, "post already saved as it is");
    logger.info({ event: edited ? "channel_post_updated" : "channel_post_added", chatId: chat.id, messageId: post.message_id, docId: doc.docId }, edited ? "channel post updated" : "channel post added");
    const updates = services.indexUpdates;
    if (!updates) {
      logger.warn({ event: "channel_post_not_indexed", docId: doc.docId }, "saved, but this deployment cannot re-embed; run npm run embed");
      return;
    }
    inflight.track(
      updates.request().then(
        (summary) => logger.info({ event: "channel_post_indexed", docId: doc.docId, summary }, "channel post indexed"),
        (error: unknown) => logger.error({ event: "channel_post_not_indexed", docId: doc.docId, err: errorFields(error) }, "could not index a channel post"),
      ),
    );
  };
}

/**
 * At start: asks Telegram whether the bot administers each of SOURCE_CHANNEL_IDS (only then do
 * its posts arrive) and logs one line per channel, a warning with the fix when it does not.
 * Never throws.
 */
export async function checkSourceChannels(api: Api, botId: number, channelIds: ReadonlySet<number>, logger: Logger): Promise<void> {
  for (const chatId of channelIds) {
    try {
      const member = await api.getChatMember(chatId, botId);
      if (member.status === "administrator" || member.status === "creator") {
        logger.info({ event: "source_channel_ok", chatId }, "posts of this channel become documents");
      } else {
        logger.warn({ event: "source_channel_not_admin", chatId, status: member.status }, `the bot is not an administrator of channel ${chatId} (SOURCE_CHANNEL_IDS), so its posts do not reach it: add the bot as an administrator of the channel`);
      }
    } catch (error) {
      logger.warn({ event: "source_channel_unknown", chatId, err: errorFields(error) }, `cannot look up channel ${chatId} of SOURCE_CHANNEL_IDS: check the id (-100…) and add the bot as an administrator`);
    }
  }
}

