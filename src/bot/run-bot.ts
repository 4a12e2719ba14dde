/**
 * Starts a bot made by `createBot`: first it answers again what a stopped or killed process left
 * in the update journal, then takes updates by long polling through @grammyjs/runner (concurrent
 * across chats, ordered within one), or by a webhook server when WEBHOOK_URL is set. The handle's
 * `stop` stops taking updates, finishes the answers in flight within the shutdown budget (then
 * cancels the rest, which stay in the journal) and confirms only what was delivered.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api, GrammyError, webhookCallback, type Bot } from "grammy";
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { grammySignal } from "./api-transformers.ts";
import { checkSourceChannels } from "./channel-sources.ts";
import { BOT_COMMANDS, botCommandsIn } from "./commands.ts";
import type { BotContext } from "./context.ts";
import type { BotWithServices } from "./services.ts";
import { errorFields, type Logger } from "./logger.ts";

/**
 * Update types the bot handles (edited messages are received so they can be ignored on purpose;
 * channel posts feed the corpus from SOURCE_CHANNEL_IDS).
 */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "channel_post", "edited_channel_post"] as const;

/** Options of `runBot`. */
export interface RunBotOptions {
  /** `webhookUrl` chooses webhook mode (served on `port`); otherwise long polling. */
  config: Readonly<Config>;
  /** Default: the bot's own logger. */
  logger?: Logger;
  /** Long-polling timeout of one `getUpdates` call, in seconds; at most the bot's `apiTimeoutSeconds` minus 10. Default 30. */
  pollTimeoutSeconds?: number;
  /** Updates handled at once across chats. Default 500. */
  concurrency?: number;
  /**
   * Longest a stop takes, in ms: answers in flight get all but a reserve (min(5 s, half)), then
   * are cancelled; the rest of the reserve cancels, confirms and exits. Default `config.shutdownTimeoutMs`.
   */
  shutdownTimeoutMs?: number;
  /** Register the command menu with `setMyCommands` (best effort, in the background). Default true. */
  registerCommands?: boolean;
  /**
   * Stop gracefully on SIGINT/SIGTERM (a second signal exits 1 at once). `stopped` resolves when
   * done; the caller then closes what it owns and returns. Default true; tests pass false.
   */
  stopOnSignals?: boolean;
}

/** A running bot. */
export interface BotHandle {
  readonly mode: "polling" | "webhook";
  /** Webhook mode: the port the server listens on. */
  readonly port?: number;
  /** Resolves when the bot has stopped taking updates and every answer in flight is delivered. Idempotent. */
  stop(): Promise<void>;
  /**
   * Resolves once the bot has stopped, whatever stopped it: `stop()`, a signal (with
   * `stopOnSignals`), or polling failing for good (logged, and `process.exitCode` set to 1).
   */
  readonly stopped: Promise<void>;
}

type BaseHandle = Omit<BotHandle, "stopped"> & { crashed?: Promise<unknown> };

/** Times answering an update may begin (its first try plus restarts) before it is given up on. */
export const MAX_UPDATE_ATTEMPTS = 3;

/** How a shutdown budget is spent, in ms. */
interface StopTimes {
  /** Waiting for answers in flight. */
  drainMs: number;
  /** After cancelling: for handlers to settle, for the offset confirmation, and for the process to end. */
  graceMs: number;
}

const stopTimesFor = (budgetMs: number): StopTimes => {
  const reserve = Math.min(5000, budgetMs / 2);
  return { drainMs: budgetMs - reserve, graceMs: reserve / 4 };
};

/** Registers the command menu; failures are logged, never thrown. */
export async function registerCommands(bot: Bot<BotContext>, logger: Logger): Promise<void> {
  try {
    await bot.api.setMyCommands([...BOT_COMMANDS]);
    // The same menu in Russian for users whose Telegram is in Russian.
    await bot.api.setMyCommands(botCommandsIn("ru"), { language_code: "ru" });
  } catch (error) {
    logger.warn({ err: errorFields(error) }, "setMyCommands failed (the menu is optional)");
  }
}

/** Starts the bot (after `getMe`) and resolves with its handle once it takes updates. */
export async function runBot(bot: BotWithServices, options: RunBotOptions): Promise<BotHandle> {
  const shared = bot.services;
  const logger = options.logger ?? shared.logger;
  try {
    await bot.init(); // getMe; grammY retries network errors and 5xx on its own
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      throw new ConfigError(
        `TELEGRAM_BOT_TOKEN was rejected by the Bot API at ${options.config.telegramApiRoot} (${error.error_code} ${error.description}): copy the token again from @BotFather.`,
      );
    }
    throw error;
  }
  if (options.registerCommands ?? true) void registerCommands(bot, logger);
  void checkSourceChannels(bot.api, bot.botInfo.id, options.config.sourceChannelIds, logger);
  const budgetMs = options.shutdownTimeoutMs ?? options.config.shutdownTimeoutMs;
  const times = stopTimesFor(budgetMs);
  resumeJournal(bot, logger);
  const base = options.config.webhookUrl
    ? await startWebhook(bot, options, options.config.webhookUrl, logger, times)
    : await startPolling(bot, options, logger, times);

  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let uninstall = (): void => {};
  const stop = (): Promise<void> =>
    base.stop().finally(() => {
      uninstall();
      markStopped();
    });
  void base.crashed?.then((error) => {
    logger.fatal({ err: errorFields(error) }, "polling failed for good; stopping");
    process.exitCode = 1;
    return stop();
  });
  const handle: BotHandle = { mode: base.mode, ...(base.port !== undefined ? { port: base.port } : {}), stop, stopped };
  if (options.stopOnSignals ?? true) {
    uninstall = installShutdownHandlers(handle, {
      logger,
      timeoutMs: budgetMs,
      // A graceful stop resolves `stopped`; the caller finishes up and the process ends by itself,
      // or, should a handle linger, at the end of the budget.
      exit: (code) => {
        if (code !== 0) process.exit(code);
        setTimeout(() => process.exit(0), times.graceMs).unref();
      },
    });
  }
  logger.info({ event: "bot_started", mode: handle.mode, username: bot.botInfo.username }, "bot started");
  return handle;
}

/** Answers again, in the background, the updates a previous process took and did not answer. */
function resumeJournal(bot: BotWithServices, logger: Logger): void {
  const { journal, inflight } = bot.services;
  const { expired, unreadable } = journal.recovery;
  if (expired > 0 || unreadable > 0) logger.warn({ event: "journal_skipped", expired, unreadable }, "skipped expired or unreadable journal entries");
  const pending = journal.pending();
  if (pending.length === 0) return;
  logger.info({ event: "resuming", updates: pending.length }, `answering ${pending.length} update(s) a previous run left unanswered`);
  for (const { update, attempts } of pending) {
    const updateId = update.update_id;
    if (attempts >= MAX_UPDATE_ATTEMPTS) {
      logger.error({ event: "update_given_up", updateId, attempts }, `giving up on update ${updateId} after ${attempts} attempts`);
      void journal.done(updateId).catch(() => undefined);
      continue;
    }
    inflight.track(
      (async () => {
        await journal.attempt(updateId);
        await bot.handleUpdate(update);
      })().catch((error: unknown) => logger.error({ updateId, err: errorFields(error) }, "could not answer a journaled update")),
    );
  }
}

/**
 * Waits for the answers in flight; past `drainMs` cancels them (their updates stay in the
 * journal) and gives them `graceMs` to settle.
 */
async function finishInflight(bot: BotWithServices, logger: Logger, times: StopTimes): Promise<void> {
  const { inflight, shutdown } = bot.services;
  if (await inflight.drain(times.drainMs)) return;
  logger.warn({ inFlight: inflight.size }, "shutdown budget reached: cancelling the answers in flight; they stay journaled for the next start");
  shutdown.abort();
  await inflight.drain(times.graceMs);
}

async function startPolling(bot: BotWithServices, options: RunBotOptions, logger: Logger, times: StopTimes): Promise<BaseHandle> {
  const { inflight, journal, tuning } = bot.services;
  // A webhook left from another deployment would make getUpdates fail with 409.
  await bot.api.deleteWebhook().catch((error: unknown) => logger.warn({ err: errorFields(error) }, "deleteWebhook failed"));
  const runner: RunnerHandle = run(bot, {
    runner: {
      // A long poll must end before the request timeout that detects a stalled getUpdates.
      fetch: { timeout: Math.min(options.pollTimeoutSeconds ?? 30, Math.max(1, tuning.apiTimeoutSeconds - 10)), allowed_updates: [...ALLOWED_UPDATES] },
      silent: true,
      retryInterval: "exponential",
    },
    sink: { concurrency: options.concurrency ?? 500 },
  });
  // The runner's task rejects only when getUpdates fails for good (401 revoked token, 409 conflict).
  const crashed = new Promise<unknown>((resolve) => void runner.task()?.catch(resolve));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info({ event: "bot_stopping", inFlight: inflight.size }, "stopping: finishing answers in flight");
      if (runner.isRunning()) await runner.stop().catch(() => undefined);
      await finishInflight(bot, logger, times);
      // Confirm the delivered updates, up to the first undelivered one (which the journal keeps
      // too), with a plain Api: the bot's own is cancelled by now.
      const next = inflight.lastUpdateId === undefined ? undefined : inflight.lastUpdateId + 1;
      const offset = Math.min(journal.lowestPending() ?? Infinity, next ?? Infinity);
      if (Number.isFinite(offset)) {
        await new Api(bot.token, { apiRoot: options.config.telegramApiRoot })
          .getUpdates({ offset, limit: 1, timeout: 0 }, grammySignal(AbortSignal.timeout(times.graceMs)))
          .catch((error: unknown) => logger.warn({ err: errorFields(error) }, "could not confirm the delivered updates"));
      }
      await journal.close().catch((error: unknown) => logger.warn({ err: errorFields(error) }, "could not close the update journal"));
      logger.info({ event: "bot_stopped", undelivered: journal.pending().length }, "bot stopped");
    })());
  return { mode: "polling", stop, crashed };
}

async function startWebhook(bot: BotWithServices, options: RunBotOptions, webhookUrl: string, logger: Logger, times: StopTimes): Promise<BaseHandle> {
  const { inflight, journal } = bot.services;
  const secretToken = randomBytes(24).toString("base64url");
  const path = new URL(webhookUrl).pathname || "/";
  // Reply 200 after a few seconds and keep working, so Telegram does not resend slow updates.
  const callback = webhookCallback(bot, "http", { secretToken, onTimeout: "return", timeoutMilliseconds: 8_000 });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "POST" || url.pathname !== path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    callback(req, res).catch((error: unknown) => {
      logger.error({ err: errorFields(error) }, "webhook request failed");
      if (!res.headersSent) res.statusCode = 200; // a poison update must not be redelivered forever
      if (!res.writableEnded) res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.config.port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  await bot.api.setWebhook(webhookUrl, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info({ event: "bot_stopping", inFlight: inflight.size }, "stopping: finishing answers in flight");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await finishInflight(bot, logger, times);
      server.closeAllConnections();
      await closed;
      await journal.close().catch((error: unknown) => logger.warn({ err: errorFields(error) }, "could not close the update journal"));
      logger.info({ event: "bot_stopped", undelivered: journal.pending().length }, "bot stopped");
    })());
  return { mode: "webhook", port, stop };
}

/** Options of `installShutdownHandlers`. */
export interface ShutdownOptions {
  logger?: Logger;
  /** Default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** Longest wait for a graceful stop before exiting anyway, in ms. Default 30,000. */
  timeoutMs?: number;
  /** Called with the exit code. Default `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * On SIGINT/SIGTERM: stop the bot gracefully (answers in flight are finished) and exit 0; a
 * second signal, or a stop taking longer than `timeoutMs`, exits 1. Returns an uninstaller.
 */
export function installShutdownHandlers(handle: Pick<BotHandle, "stop">, options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      options.logger?.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    shuttingDown = true;
    options.logger?.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      options.logger?.error({ timeoutMs: options.timeoutMs ?? 30_000 }, "graceful stop took too long: exiting");
      exit(1);
    }, options.timeoutMs ?? 30_000);
    timer.unref();
    handle.stop().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger?.error({ err: errorFields(error) }, "error while stopping");
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
