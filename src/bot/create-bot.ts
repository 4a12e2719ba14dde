/**
 * Builds the grammY bot: API retries for 429/5xx, the update journal, the error boundary, access
 * control, who the bot answers, a per-user rate limit (questions, commands and button presses),
 * per-chat ordering, and the handlers (questions, commands, documents added by admins, posts of
 * source channels). `runBot` starts it.
 */
import { setMaxListeners } from "node:events";
import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { Api, type Middleware } from "grammy";
import { LRUCache } from "lru-cache";
import type { QaService } from "../answering/answerer.ts";
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { answerQuestion } from "./answer-question.ts";
import { ChunkIdResolver, LIST_PAGE_CALLBACK, listOfLetter, PASSAGE_CALLBACK, PASSAGE_HASH_CALLBACK } from "./callback-data.ts";
import { runCommand, showListPage } from "./commands.ts";
import { languageOfUpdate, t } from "../locale/messages.ts";
import { escapeHtml } from "./html.ts";
import type { BotContext } from "./context.ts";
import { abortOn, journalUpdates, watchApiReachability } from "./api-transformers.ts";
import { ConversationStore } from "../answering/conversation.ts";
import { channelSources } from "./channel-sources.ts";
import { documentIntake, REMOVE_CALLBACK, removeByButton } from "./document-intake.ts";
import { createErrorHandler } from "./error-boundary.ts";
import { IndexUpdates } from "./index-updates.ts";
import { InflightTracker } from "./inflight.ts";
import { createLogger, errorFields, type Logger } from "./logger.ts";
import { openPassage } from "./open-passage.ts";
import { replyTargetFor, sendHtml } from "./send.ts";
import { BotWithServices, type BotServices, type ReindexSummary } from "./services.ts";
import { classifyMessage, isAddressed } from "./triggers.ts";
import { DEFAULT_TUNING, type BotTuning } from "./tuning.ts";
import { UpdateJournal } from "./update-journal.ts";

export { runBot, installShutdownHandlers, type BotHandle, type RunBotOptions } from "./run-bot.ts";
export { BotWithServices } from "./services.ts";

/** What `createBot` needs. */
export interface CreateBotOptions {
  /** Needs `telegramToken`; uses `telegramApiRoot`, `allowedChatIds`, `adminUserIds`, `logLevel`. */
  config: Readonly<Config>;
  qa: QaService;
  /** Re-embeds the corpus for `/reindex` and resolves with what changed. Absent: `/reindex` says it is unavailable. */
  reindex?: () => Promise<ReindexSummary>;
  /** Default: a pino logger at `config.logLevel` on stdout, with the token scrubbed. */
  logger?: Logger;
  /** Overrides of the defaults in `DEFAULT_TUNING`. */
  tuning?: Partial<BotTuning>;
  /** Updates in progress, kept across restarts (`UpdateJournal.open`). Default: in memory only. */
  journal?: UpdateJournal;
}

/** The refusal an unlisted chat gets, once. */
export const NOT_ALLOWED_MESSAGE = "Sorry, this bot is not available in this chat.";
/** The polite notice a user gets once per window when asking too fast. */
export const RATE_LIMIT_MESSAGE = "You are asking faster than I can keep up. Please wait a few seconds and ask again.";
/** The reply to a sticker, photo, voice message and the like in a private chat. */
export const UNSUPPORTED_MESSAGE = "I can only read text. Please type your question.";

/** Creates the bot; nothing is fetched until `runBot` (or `bot.init()`) is called. */
export function createBot(options: CreateBotOptions): BotWithServices {
  const { config, qa } = options;
  const token = config.telegramToken;
  if (!token) throw new ConfigError("TELEGRAM_BOT_TOKEN is not set: the Telegram bot needs a token from @BotFather.");
  // The conversation limits come from the configuration (HISTORY_TURNS, FOLLOW_UP_WINDOW_MS); tests may override them.
  const tuning: Readonly<BotTuning> = Object.freeze({
    ...DEFAULT_TUNING,
    maxHistoryTurns: config.historyTurns ?? DEFAULT_TUNING.maxHistoryTurns,
    followUpWindowMs: config.followUpWindowMs ?? DEFAULT_TUNING.followUpWindowMs,
    ...options.tuning,
  });
  const logger = options.logger ?? createLogger(config);

  const journal = options.journal ?? UpdateJournal.inMemory();
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every API call in flight listens to it

  const client = { apiRoot: config.telegramApiRoot, timeoutSeconds: tuning.apiTimeoutSeconds };
  const rawApi = new Api(token, client);
  rawApi.config.use(abortOn(shutdown.signal));

  const shared: BotServices = {
    config,
    qa,
    ...(options.reindex ? { reindex: options.reindex, indexUpdates: new IndexUpdates(options.reindex) } : {}),
    logger,
    tuning,
    rawApi,
    conversations: new ConversationStore({
      maxChats: tuning.maxConversations,
      ttlMs: tuning.conversationTtlMs,
      maxTurns: tuning.maxHistoryTurns,
      maxAnswersPerChat: tuning.maxAnswersPerChat,
      maxTurnChars: tuning.maxTurnChars,
      maxBytes: tuning.maxConversationBytes,
      followUpWindowMs: tuning.followUpWindowMs,
      ...(options.tuning?.now ? { now: tuning.now } : {}),
    }),
    chunkIds: new ChunkIdResolver(qa),
    inflight: new InflightTracker(),
    journal,
    shutdown,
  };
  const bot = new BotWithServices(token, { client }, shared);
  // Innermost first: watch every attempt, retry, journal what getUpdates returned, abort at shutdown.
  bot.api.config.use(
    watchApiReachability({ logger, apiRoot: config.telegramApiRoot }),
    autoRetry({ maxRetryAttempts: tuning.maxRetryAttempts, maxDelaySeconds: tuning.maxRetryDelaySeconds }),
    journalUpdates(journal, logger),
    abortOn(shutdown.signal),
  );

  const handleError = createErrorHandler(logger);
  bot.catch(handleError);

  // Every update: taken once (a restart may be answering it from the journal already), fresh
  // state, tracked so that shutdown can wait for it, and done only once its answer is delivered.
  bot.use((ctx, next) => {
    const updateId = ctx.update.update_id;
    if (!journal.claim(updateId)) {
      logger.debug({ event: "duplicate_update", updateId }, "update already handled or in progress");
      return;
    }
    const resumeMessageId = journal.streamedMessageId(updateId);
    ctx.state = { addressed: false, ...(resumeMessageId !== undefined ? { resumeMessageId } : {}) };
    shared.inflight.sawUpdate(updateId);
    return shared.inflight.track(handleJournaled(ctx, next, shared));
  });
  const guarded = bot.errorBoundary(handleError);

  guarded.on("message", (ctx, next) => {
    const incoming = classifyMessage(ctx.msg, { id: ctx.me.id, username: ctx.me.username });
    ctx.state.incoming = incoming;
    ctx.state.addressed = isAddressed(incoming);
    return next();
  });
  guarded.on("callback_query", (ctx, next) => {
    ctx.state.addressed = true;
    return next();
  });
  // Posts of SOURCE_CHANNEL_IDS become documents (that list is their allow list), one channel's in order.
  guarded.on(["channel_post", "edited_channel_post"], sequentialize((ctx: BotContext) => String(ctx.chat?.id)), channelSources(shared));
  guarded.use(allowList(config.allowedChatIds, logger));

  const addressed = guarded.filter((ctx) => ctx.state.addressed);
  if (tuning.rateLimit > 0) addressed.use(rateLimit(tuning, logger, config));

  addressed.callbackQuery(REMOVE_CALLBACK, (ctx) => removeByButton(ctx, shared));
  // Button presses only read; they are not queued behind a running answer in the same chat.
  addressed.callbackQuery(PASSAGE_CALLBACK, (ctx) => openPassage(ctx, { chunkId: ctx.match[1] }, shared));
  addressed.callbackQuery(PASSAGE_HASH_CALLBACK, (ctx) => openPassage(ctx, { hash: ctx.match[1] }, shared));
  addressed.callbackQuery(LIST_PAGE_CALLBACK, (ctx) => showListPage(ctx, listOfLetter(ctx.match[1]), Number(ctx.match[2]), shared));
  // Any other press (forged data, or a button of an older version) is answered, so that it stops spinning.
  addressed.on("callback_query", (ctx) => ctx.answerCallbackQuery());

  const messages = addressed.on("message");
  messages.use(sequentialize((ctx: BotContext) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  messages.use(documentIntake(shared));
  messages.use(async (ctx) => {
    const incoming = ctx.state.incoming;
    switch (incoming?.kind) {
      case "question":
        return answerQuestion(ctx, incoming, shared);
      case "command":
        return runCommand(ctx, incoming, shared);
      case "unsupported":
        if (ctx.msg) await sendHtml(ctx.api, replyTargetFor(ctx.msg), UNSUPPORTED_MESSAGE);
        return;
      default:
        return;
    }
  });
  return bot;
}

/** Runs one update's middleware and records the outcome in the journal (never throws for the journal). */
async function handleJournaled(ctx: BotContext, next: () => Promise<void>, services: BotServices): Promise<void> {
  const { journal, logger } = services;
  const updateId = ctx.update.update_id;
  let delivered = false;
  try {
    // Webhook mode (polling journals in `journalUpdates`, so this is a no-op there).
    await journal.received([ctx.update]).catch((error: unknown) =>
      logger.error({ event: "journal_failed", updateId, err: errorFields(error) }, "could not journal the update"),
    );
    await next();
    delivered = !ctx.state.undelivered;
  } finally {
    if (delivered) {
      await journal.done(updateId).catch((error: unknown) => logger.warn({ updateId, err: errorFields(error) }, "could not journal a delivered answer"));
    } else {
      journal.release(updateId);
      logger.warn({ event: "undelivered", updateId }, "no answer delivered; the update stays in the journal for the next start");
    }
  }
}

/**
 * The per-user rate limit over questions, commands and button presses together. Past the limit a
 * user gets one notice per window (a button press gets it as a toast) and nothing else.
 */
function rateLimit(tuning: Readonly<BotTuning>, logger: Logger, config: Readonly<Config>): Middleware<BotContext> {
  const notified = new LRUCache<string, true>({ max: 10_000, ttl: tuning.rateLimitWindowMs });
  return limit<BotContext, never>({
    timeFrame: tuning.rateLimitWindowMs,
    limit: tuning.rateLimit,
    alwaysReply: true,
    // An admin's files and forwarded posts are not limited: an album of ten files arrives at once.
    keyGenerator: (ctx) =>
      !ctx.from || (config.adminUserIds.has(ctx.from.id) && (ctx.msg?.document || ctx.msg?.forward_origin)) ? undefined : String(ctx.from.id),
    onLimitExceeded: async (ctx) => {
      const key = String(ctx.from?.id);
      const first = !notified.has(key);
      notified.set(key, true);
      if (first) logger.info({ event: "rate_limited", userId: ctx.from?.id, chatId: ctx.chat?.id }, "rate limited");
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery(first ? { text: t(languageOfUpdate(ctx), "rate-limited") } : {});
      } else if (first && ctx.msg) {
        await sendHtml(ctx.api, replyTargetFor(ctx.msg), escapeHtml(t(languageOfUpdate(ctx), "rate-limited")));
      }
    },
  });
}

/**
 * ALLOWED_CHAT_IDS: a chat that is not listed gets one short refusal (the first time it
 * addresses the bot) and nothing else. Remembered refusals are bounded (LRU).
 */
function allowList(allowed: ReadonlySet<number> | null, logger: Logger): Middleware<BotContext> {
  const refused = new LRUCache<number, true>({ max: 10_000 });
  return async (ctx, next) => {
    const chatId = ctx.chat?.id;
    if (allowed === null || chatId === undefined || allowed.has(chatId)) return next();
    ctx.state.addressed = false;
    if (ctx.callbackQuery) return void (await ctx.answerCallbackQuery());
    if (!ctx.msg || !isAddressed(ctx.state.incoming ?? { kind: "ignore" }) || refused.has(chatId)) return;
    refused.set(chatId, true);
    logger.info({ event: "chat_not_allowed", chatId }, "refused a chat that is not allowed");
    await sendHtml(ctx.api, replyTargetFor(ctx.msg), escapeHtml(t(languageOfUpdate(ctx), "not-allowed")));
  };
}
