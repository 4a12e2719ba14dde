/**
 * The error boundary: whatever fails while handling an update is logged in full with the update
 * id, and the user who was owed a reply gets a short apology (AppError.userMessage or the generic
 * one). No stack trace, error text or token ever reaches a chat. When Telegram itself refused
 * (a 429 longer than the bot waits) no apology is sent into the same limit, and when none could
 * be delivered the update is marked undelivered, so that it stays in the journal.
 */
import type { BotError } from "grammy";
import { AppError, GENERIC_APOLOGY } from "../errors.ts";
import type { BotContext } from "./context.ts";
import { errorFields } from "./logger.ts";
import type { Logger } from "pino";
import { editHtml, replyTargetFor, retryAfterSeconds, sendHtml } from "./send.ts";
import { escapeHtml } from "./html.ts";
import { languageOfUpdate, t, type Lang } from "../locale/messages.ts";

/** Absolute file paths (POSIX or Windows), not parts of URLs. */
const ABSOLUTE_PATH = /(?<![\w.:/\\])(?:[A-Za-z]:)?[\\/](?:[^\s\\/'"`:,;()]+[\\/])+([^\s\\/'"`:,;()]*)/g;

/** Removes server paths from a text meant for a chat: `/srv/bot/corpus/a.txt` becomes `…/a.txt`. */
export function withoutServerPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (_path, last: string) => (last ? `…/${last}` : "…"));
}

/**
 * Locale keys of AppErrors by code, for the errors whose class names no key of its own
 * (the index build's "another build is running", `BuildBusyError`).
 */
const LOCALIZED_BY_CODE: Readonly<Record<string, string>> = { INDEX_BUSY: "index-busy" };

/** The text a user sees for an error: an AppError's userMessage (in `lang`) without server paths, else the generic apology. */
export function userMessageFor(error: unknown, lang: Lang = "en"): string {
  if (!(error instanceof AppError)) return lang === "en" ? GENERIC_APOLOGY : t(lang, "apology");
  const localized = error.localized ?? (LOCALIZED_BY_CODE[error.code] ? { key: LOCALIZED_BY_CODE[error.code] } : undefined);
  return withoutServerPaths(lang !== "en" && localized ? t(lang, localized.key, localized.vars) : error.userMessage);
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
    const retryAfter = retryAfterSeconds(botError.error);
    if (retryAfter !== undefined) {
      state.undelivered = true;
      logger.warn({ updateId: ctx.update.update_id, retryAfter }, "Telegram asks to wait longer than the bot does; no apology sent into the same limit");
      return;
    }
    const lang = languageOfUpdate(ctx);
    const text = escapeHtml(userMessageFor(botError.error, lang));
    try {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({ text: userMessageFor(botError.error, lang), show_alert: true });
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
      state.undelivered = true;
      logger.warn({ updateId: ctx.update.update_id, err: errorFields(sendError) }, "could not deliver the apology");
    }
  };
}
