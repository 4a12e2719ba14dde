/**
 * Sending and editing HTML messages with the plain-text fallback: when Telegram rejects the
 * formatting ("can't parse entities"), the same text goes out again without a parse mode.
 */
import { GrammyError, type Api } from "grammy";
import type { InlineKeyboardMarkup, Message, ReplyParameters } from "grammy/types";
import type { Logger } from "pino";
import { htmlToPlainText, TELEGRAM_MESSAGE_LIMIT } from "./html.ts";

/** Where a reply goes: the chat, its forum topic, and (in groups) the message it answers. */
export interface ReplyTarget {
  chatId: number;
  /** Forum topic of the asking message, when it was posted in one. */
  threadId?: number;
  /** The asking message; answers in groups quote it. */
  replyToMessageId?: number;
}

/** The target for answering `message`: same chat and topic; a quoted reply in groups. */
export function replyTargetFor(message: Message): ReplyTarget {
  const group = message.chat.type === "group" || message.chat.type === "supergroup";
  return {
    chatId: message.chat.id,
    ...(message.is_topic_message && message.message_thread_id !== undefined ? { threadId: message.message_thread_id } : {}),
    ...(group ? { replyToMessageId: message.message_id } : {}),
  };
}

/** `sendMessage` options for a target (thread and quoted reply that survives a deleted question). */
export function targetOptions(target: ReplyTarget): { message_thread_id?: number; reply_parameters?: ReplyParameters } {
  return {
    ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
    ...(target.replyToMessageId !== undefined
      ? { reply_parameters: { message_id: target.replyToMessageId, allow_sending_without_reply: true } }
      : {}),
  };
}

/** Whether Telegram refused a message because of its formatting. */
export function isParseError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /can't parse entities/i.test(error.description);
}

/** Whether an edit failed only because the message already shows this content. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && /message is not modified/i.test(error.description);
}

/** The retry delay Telegram asked for, in seconds, when `error` is a 429. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  return error.parameters.retry_after ?? 1;
}

const plainOf = (html: string): string => {
  const plain = htmlToPlainText(html);
  // Link targets are spelled out in plain text, which can make it longer than the HTML was.
  return plain.length <= TELEGRAM_MESSAGE_LIMIT ? plain : plain.slice(0, TELEGRAM_MESSAGE_LIMIT - 1) + "…";
};

/** Sends one HTML message; on a formatting refusal, resends it as plain text. */
export async function sendHtml(
  api: Api,
  target: ReplyTarget,
  html: string,
  options: { keyboard?: InlineKeyboardMarkup; logger?: Logger } = {},
): Promise<Message.TextMessage> {
  const common = { ...targetOptions(target), ...(options.keyboard ? { reply_markup: options.keyboard } : {}) };
  try {
    return await api.sendMessage(target.chatId, html, { ...common, parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  } catch (error) {
    if (!isParseError(error)) throw error;
    options.logger?.warn({ chatId: target.chatId, description: (error as GrammyError).description }, "html refused, resending as plain text");
    return await api.sendMessage(target.chatId, plainOf(html), { ...common, link_preview_options: { is_disabled: true } });
  }
}

/** Sends several HTML parts in order; the keyboard goes under the last. Returns the sent messages. */
export async function sendHtmlParts(
  api: Api,
  target: ReplyTarget,
  parts: readonly string[],
  options: { keyboard?: InlineKeyboardMarkup; logger?: Logger } = {},
): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    sent.push(await sendHtml(api, target, parts[i], { logger: options.logger, keyboard: last ? options.keyboard : undefined }));
  }
  return sent;
}

/** Replaces a message's text with HTML; on a formatting refusal, with plain text. "Not modified" is success. */
export async function editHtml(
  api: Api,
  chatId: number,
  messageId: number,
  html: string,
  options: { keyboard?: InlineKeyboardMarkup; logger?: Logger } = {},
): Promise<void> {
  const common = { ...(options.keyboard ? { reply_markup: options.keyboard } : {}), link_preview_options: { is_disabled: true } };
  try {
    await api.editMessageText(chatId, messageId, html, { ...common, parse_mode: "HTML" });
  } catch (error) {
    if (isNotModified(error)) return;
    if (!isParseError(error)) throw error;
    options.logger?.warn({ chatId, description: (error as GrammyError).description }, "html refused, editing as plain text");
    try {
      await api.editMessageText(chatId, messageId, plainOf(html), common);
    } catch (plainError) {
      if (!isNotModified(plainError)) throw plainError;
    }
  }
}
