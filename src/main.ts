/**
 * `npm start`: the composition root. Loads the configuration, makes sure the index is
 * built and fresh, then runs the Telegram bot when TELEGRAM_BOT_TOKEN is set, or a chat
 * in the terminal when it is not. The running process follows re-embedded indexes.
 */
import "dotenv/config";
import { buildIndexInChildProcess, openQa } from "./app.ts";
import { pino } from "pino";
import path from "node:path";
// Only the logger of the bot's code: grammY and the handlers load when a Telegram token is set.
import { createLogger } from "./bot/logger.ts";
import { loadConfig } from "./config.ts";
import { AppError, ConfigError } from "./errors.ts";
import { emptyCorpusHint } from "./ingest/corpus-files.ts";
import { startTerminalChat } from "./terminal-chat.ts";

async function main(): Promise<void> {
  const config = loadConfig();
  const terminal = !config.telegramToken;
  // In the terminal chat stdout is the conversation: progress goes to stderr as plain
  // lines, and only warnings and errors are logged (to stderr) unless LOG_LEVEL asks for more.
  const logger = createLogger({
    level: terminal && config.logLevel === "info" ? "warn" : config.logLevel,
    secrets: [config.telegramToken, config.openaiApiKey],
    destination: terminal ? pino.destination(2) : undefined,
  });
  let progress = terminal ? (message: string) => void process.stderr.write(`${message}\n`) : (message: string) => logger.info(message);
  const started = performance.now();
  // Late-bound: once the terminal chat runs, a reload notice goes through it (and redraws the prompt).
  // A server: the checksums and the corpus's freshness are checked just after ready (src/app.ts deferChecks),
  // and every build runs in a child process, so that this one never holds a build's memory.
  const qa = await openQa(config, { onProgress: (message) => progress(message), watch: true, logger, deferChecks: true, isolateBuilds: true });
  logger.info({ documents: qa.overview().documents, chunks: qa.overview().chunks, ms: Math.round(performance.now() - started) }, "index loaded");

  if (terminal) {
    progress("No TELEGRAM_BOT_TOKEN set: chatting in the terminal (Ctrl+D or /quit to leave).");
    const chat = startTerminalChat({ qa, corpusDir: config.corpusDir, historyTurns: config.historyTurns, followUpWindowMs: config.followUpWindowMs, onError: (error) => logger.error({ err: error }, "answer failed") });
    progress = chat.notice;
    await chat.done;
    qa.close();
    return;
  }

  if (qa.overview().documents === 0) logger.warn(emptyCorpusHint(config.corpusDir));
  // Loaded here, not at the top: the terminal chat never needs grammY or the bot's handlers.
  const [{ createBot, runBot, UpdateJournal }, { formatSummary }] = await Promise.all([import("./bot/index.ts"), import("./store/build-index.ts")]);
  const build = buildIndexInChildProcess(config);
  const reindex = async () => {
    const summary = await build(() => undefined);
    await qa.reload();
    logger.info(`reindex: ${formatSummary(summary)}`);
    return summary;
  };
  const journalFile = path.join(config.botStateDir, "updates.jsonl");
  const journal = await UpdateJournal.open(journalFile).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`BOT_STATE_DIR: cannot use the update journal ${journalFile} (${error.code ?? error.message}); make the directory writable or point BOT_STATE_DIR elsewhere.`);
  });
  const bot = createBot({ config, qa, reindex, logger, journal });
  const handle = await runBot(bot, { config, logger });
  logger.info({ ms: Math.round(performance.now() - started) }, "bot ready");
  await handle.stopped;
  qa.close();
}

main().catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error.code === "CONFIG" ? 2 : 1);
  }
  process.stderr.write(`unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
