/**
 * The Telegram bot's public surface: build it with `createBot`, start it with `runBot`, and let
 * `installShutdownHandlers` stop it gracefully on SIGINT/SIGTERM.
 */
export { createBot, NOT_ALLOWED_MESSAGE, RATE_LIMIT_MESSAGE, UNSUPPORTED_MESSAGE, type CreateBotOptions } from "./create-bot.ts";
export { BotWithServices, type BotServices } from "./services.ts";
export { runBot, installShutdownHandlers, registerCommands, ALLOWED_UPDATES, type BotHandle, type RunBotOptions, type ShutdownOptions } from "./run-bot.ts";
export { createLogger, scrubSecrets, errorFields, type Logger, type LoggerOptions } from "./logger.ts";
export { DEFAULT_TUNING, type BotTuning } from "./tuning.ts";
export { UpdateJournal, type UpdateJournalOptions } from "./update-journal.ts";
export type { BotContext } from "./context.ts";
