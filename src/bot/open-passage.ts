/**
 * The `[n]` buttons under an answer: a press shows the cited passage with its document title and
 * date, as a reply to the answer. Works after a restart: the button data names the chunk.
 */
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { BotContext } from "./context.ts";
import { renderPassage } from "./render-answer.ts";
import { sendHtmlParts, type ReplyTarget } from "./send.ts";
import type { BotServices } from "./services.ts";
import { languageOfPress, t } from "../locale/messages.ts";

/** The citation number on the pressed button (`[2]` → 2), read back from the message's keyboard. */
export function citationNumberOf(markup: InlineKeyboardMarkup | undefined, data: string): number | undefined {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row) {
      if ("callback_data" in button && button.callback_data === data) {
        const match = /^\[(\d+)\]$/.exec(button.text);
        return match ? Number(match[1]) : undefined;
      }
    }
  }
  return undefined;
}

const isFullMessage = (message: NonNullable<BotContext["callbackQuery"]>["message"]): message is Message =>
  message !== undefined && message.date !== 0;

/** Opens the passage a button points at: by chunk id, or by its hash (long ids). */
export async function openPassage(
  ctx: BotContext,
  ref: { chunkId: string } | { hash: string },
  services: BotServices,
): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query) return;
  const chunkId = "chunkId" in ref ? ref.chunkId : services.chunkIds.resolve(ref.hash);
  const chunk = chunkId ? services.qa.chunk(chunkId) : null;
  if (!chunk) {
    await ctx.answerCallbackQuery({
      text: t(languageOfPress(ctx), "passage-gone"),
      show_alert: true,
    });
    return;
  }
  await ctx.answerCallbackQuery();
  const message = query.message;
  if (!message) return; // an inline-mode message: nowhere to post the passage
  const full = isFullMessage(message) ? message : undefined;
  const n = citationNumberOf(full?.reply_markup, query.data ?? "");
  const target: ReplyTarget = {
    chatId: message.chat.id,
    ...(full?.is_topic_message && full.message_thread_id !== undefined ? { threadId: full.message_thread_id } : {}),
    replyToMessageId: message.message_id,
  };
  ctx.state.target = target;
  await sendHtmlParts(ctx.api, target, renderPassage(chunk, { n }), { logger: services.logger });
}
