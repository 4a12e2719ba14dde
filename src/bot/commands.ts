/**
 * The bot's commands: `/start` and `/help`, `/sources`, `/timeline`, the admin-only `/reindex`,
 * and the reply to unknown commands; plus the page buttons of the two lists. The admins' `/add`
 * and `/remove` are in `document-intake.ts`.
 */
import type { BotCommand } from "grammy/types";
import { languageOfPress, languageOfUpdate, t, type Lang } from "../locale/messages.ts";
import type { BotContext } from "./context.ts";
import { userMessageFor } from "./error-boundary.ts";
import { escapeHtml, shortenTitle } from "./html.ts";
import { errorFields } from "./logger.ts";
import { renderHelp, renderSourcesPage, renderTimelinePage } from "./render-lists.ts";
import { editHtml, replyTargetFor, sendHtml, type ReplyTarget } from "./send.ts";
import type { BotServices } from "./services.ts";
import type { Incoming } from "./triggers.ts";

type Command = Extract<Incoming, { kind: "command" }>;

/** The commands of Telegram's menu, in its order; their descriptions are `command-<name>` in the locale files. */
export const MENU_COMMANDS = ["ask", "help", "sources", "timeline"] as const;

/** The command menu in a language (registered with `setMyCommands`, for that `language_code` unless English). */
export function botCommandsIn(lang: Lang): BotCommand[] {
  return MENU_COMMANDS.map((command) => ({ command, description: t(lang, `command-${command}`) }));
}

/** The menu in English, the default registration for users of every other language. */
export const BOT_COMMANDS: readonly BotCommand[] = Object.freeze(botCommandsIn("en"));

/** Runs a command addressed to the bot. Unknown ones get a hint in private chats or when written `/cmd@Bot`. */
export async function runCommand(ctx: BotContext, command: Command, services: BotServices): Promise<void> {
  const message = ctx.msg;
  if (!message) return;
  const target = replyTargetFor(message);
  ctx.state.target = target;
  const { qa, tuning } = services;
  switch (command.command) {
    case "start":
    case "help": {
      const admin = ctx.from !== undefined && services.config.adminUserIds.has(ctx.from.id) && message.chat.type === "private";
      const html = renderHelp({ overview: qa.overview(), examples: await qa.exampleQuestions(2), botUsername: ctx.me.username, admin, lang: languageOfUpdate(ctx) });
      await sendHtml(ctx.api, target, html, { logger: services.logger });
      return;
    }
    case "sources": {
      const page = renderSourcesPage(qa.sources(), 0, tuning.pageSize, languageOfUpdate(ctx));
      await sendHtml(ctx.api, target, page.html, { keyboard: page.keyboard, logger: services.logger });
      return;
    }
    case "timeline": {
      const page = renderTimelinePage(qa.sources(), 0, tuning.pageSize, languageOfUpdate(ctx));
      await sendHtml(ctx.api, target, page.html, { keyboard: page.keyboard, logger: services.logger });
      return;
    }
    case "reindex":
      await startReindex(ctx, target, services);
      return;
    default:
      if (message.chat.type === "private" || command.explicit) {
        await sendHtml(ctx.api, target, escapeHtml(t(languageOfUpdate(ctx), "unknown-command")));
      } else {
        ctx.state.addressed = false; // another bot's `/command` in a group: stay quiet
      }
  }
}

/** Bots with a reindex in progress. */
const reindexing = new WeakSet<BotServices>();

/**
 * `/reindex` for ADMIN_USER_IDS: acknowledges at once, re-embeds in the background (so the chat
 * keeps being answered) and replies with the summary; one reindex at a time per process.
 */
async function startReindex(ctx: BotContext, target: ReplyTarget, services: BotServices): Promise<void> {
  const { config, reindex, logger, inflight } = services;
  const userId = ctx.from?.id;
  const lang = languageOfUpdate(ctx);
  const say = (key: string) => sendHtml(ctx.api, target, escapeHtml(t(lang, key)));
  if (userId === undefined || !config.adminUserIds.has(userId)) return void (await say("reindex-not-admin"));
  if (!reindex) return void (await say("reindex-unavailable"));
  if (reindexing.has(services)) return void (await say("reindex-running"));
  reindexing.add(services);
  await say("reindex-started");
  const api = ctx.api;
  const job = (async () => {
    const startedAt = Date.now();
    try {
      const summary = await reindex();
      logger.info({ event: "reindex", userId, ms: Date.now() - startedAt, summary }, "reindex finished");
      // The summary names skipped files: cut so that the reply fits one message.
      const { added, changed, removed, unchanged, chunks } = summary;
      await sendHtml(api, target, escapeHtml(t(lang, "reindex-finished", { added, changed, removed, unchanged, chunks, seconds: summary.seconds.toFixed(1) })), { logger });
    } catch (error) {
      logger.error({ event: "reindex", userId, err: errorFields(error) }, "reindex failed");
      const reason = userMessageFor(error, lang);
      await sendHtml(api, target, escapeHtml(t(lang, "reindex-failed", { reason: shortenTitle(reason, 3500) })), { logger }).catch((sendError: unknown) =>
        logger.warn({ err: errorFields(sendError) }, "could not report the reindex failure"),
      );
    } finally {
      reindexing.delete(services);
    }
  })();
  inflight.track(job);
}

/** Shows another page of `/sources` or `/timeline` in the message whose button was pressed. */
export async function showListPage(
  ctx: BotContext,
  list: "sources" | "timeline",
  page: number,
  services: BotServices,
): Promise<void> {
  const message = ctx.callbackQuery?.message;
  await ctx.answerCallbackQuery();
  if (!message) return;
  const sources = services.qa.sources();
  const lang = languageOfPress(ctx);
  const rendered =
    list === "sources" ? renderSourcesPage(sources, page, services.tuning.pageSize, lang) : renderTimelinePage(sources, page, services.tuning.pageSize, lang);
  await editHtml(ctx.api, message.chat.id, message.message_id, rendered.html, { keyboard: rendered.keyboard, logger: services.logger });
}
