/**
 * The error boundary: whatever fails while handling an update is logged in full with the update
 * id, and the user who was owed a reply gets a short apology (AppError.userMessage or the generic
 * one). No stack trace, error text or token ever reaches a chat.
 */
import type { BotError } from "grammy";
import { AppError, GENERIC_APOLOGY } from "../errors.ts";
import type { BotContext } from "./context.ts";
import { errorFields } from "./logger.ts";
import type { Logger } from "pino";
import { editHtml, replyTargetFor, sendHtml } from "./send.ts";
import { escapeHtml } from "./html.ts";

/** The text a user sees for an error. */
export function userMessageFor(error: unknown): string {
  return error instanceof AppError ? error.userMessage : GENERIC_APOLOGY;
}

/** Builds the handler for `bot.catch` and `errorBoundary`. */
export function createErrorHandler(logger: Logger): (error: BotError<BotContext>) => Promise<void> {
  return async (botError) => {
    const ctx = botError.ctx;
    const state = ctx.state as BotContext["state"] | undefined;
    logger.error(
      { event: "update_failed", updateId: ctx.update.update_id, chatId: ctx.chat?.id, err: errorFields(botError.error) },
      "update failed",
    );
    if (!state?.addressed) return;
    const text = escapeHtml(userMessageFor(botError.error));
    try {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: userMessageFor(botError.error), show_alert: true });
        return;
      }
      const target = state.target ?? (ctx.msg ? replyTargetFor(ctx.msg) : undefined);
      if (!target) return;
      if (state.streamMessageId !== undefined) {
        await editHtml(ctx.api, target.chatId, state.streamMessageId, text);
      } else {
        await sendHtml(ctx.api, target, text);
      }
    } catch (sendError) {
      logger.warn({ updateId: ctx.update.update_id, err: errorFields(sendError) }, "could not deliver the apology");
    }
  };
}
