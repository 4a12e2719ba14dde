/**
 * Builds the grammY bot: API retries for 429/5xx, the error boundary, access control, who the
 * bot answers, a per-user rate limit, per-chat ordering, and the handlers. `runBot` starts it.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { limit } from "@grammyjs/ratelimiter";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, type Middleware } from "grammy";
import { LRUCache } from "lru-cache";
import type { QaService } from "../answering/answerer.ts";
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import { answerQuestion } from "./answer-question.ts";
import { ChunkIdResolver, parseCallbackData } from "./callback-data.ts";
import { runCommand, showListPage } from "./commands.ts";
import type { BotContext } from "./context.ts";
import { ConversationStore } from "./conversation.ts";
import { createErrorHandler } from "./error-boundary.ts";
import { InflightTracker } from "./inflight.ts";
import { createLogger, type Logger } from "./logger.ts";
import { openPassage } from "./open-passage.ts";
import { replyTargetFor, sendHtml } from "./send.ts";
import { attachServices, type BotServices } from "./services.ts";
import { classifyMessage, isAddressed } from "./triggers.ts";
import { DEFAULT_TUNING, type BotTuning } from "./tuning.ts";

export { runBot, installShutdownHandlers, type BotHandle, type RunBotOptions } from "./run-bot.ts";
export { servicesOf } from "./services.ts";

/** What `createBot` needs. */
export interface CreateBotOptions {
  /** Needs `telegramToken`; uses `telegramApiRoot`, `allowedChatIds`, `adminUserIds`, `logLevel`. */
  config: Readonly<Config>;
  qa: QaService;
  /** Re-embeds the corpus for `/reindex` and resolves with a one-line summary. Absent: `/reindex` says it is unavailable. */
  reindex?: () => Promise<string>;
  /** Default: a pino logger at `config.logLevel` on stdout, with the token scrubbed. */
  logger?: Logger;
  /** Overrides of the defaults in `DEFAULT_TUNING`. */
  tuning?: Partial<BotTuning>;
}

/** The refusal an unlisted chat gets, once. */
export const NOT_ALLOWED_MESSAGE = "Sorry, this bot is not available in this chat.";
/** The polite notice a user gets once per window when asking too fast. */
export const RATE_LIMIT_MESSAGE = "You are asking faster than I can keep up. Please wait a few seconds and ask again.";
/** The reply to a sticker, photo, voice message and the like in a private chat. */
export const UNSUPPORTED_MESSAGE = "I can only read text. Please type your question.";

/** Creates the bot; nothing is fetched until `runBot` (or `bot.init()`) is called. */
export function createBot(options: CreateBotOptions): Bot<BotContext> {
  const { config, qa } = options;
  const token = config.telegramToken;
  if (!token) throw new ConfigError("TELEGRAM_BOT_TOKEN is not set: the Telegram bot needs a token from @BotFather.");
  const tuning: Readonly<BotTuning> = Object.freeze({ ...DEFAULT_TUNING, ...options.tuning });
  const logger = options.logger ?? createLogger(config);

  const client = { apiRoot: config.telegramApiRoot };
  const bot = new Bot<BotContext>(token, { client });
  bot.api.config.use(autoRetry({ maxRetryAttempts: tuning.maxRetryAttempts, maxDelaySeconds: tuning.maxRetryDelaySeconds }));

  const shared: BotServices = {
    config,
    qa,
    ...(options.reindex ? { reindex: options.reindex } : {}),
    logger,
    tuning,
    rawApi: new Api(token, client),
    conversations: new ConversationStore({
      maxChats: tuning.maxConversations,
      ttlMs: tuning.conversationTtlMs,
      maxTurns: tuning.maxHistoryTurns,
      maxAnswersPerChat: tuning.maxAnswersPerChat,
      followUpWindowMs: tuning.followUpWindowMs,
      ...(options.tuning?.now ? { now: tuning.now } : {}),
    }),
    chunkIds: new ChunkIdResolver(qa),
    inflight: new InflightTracker(),
  };
  attachServices(bot, shared);

  const handleError = createErrorHandler(logger);
  bot.catch(handleError);

  // Every update: fresh state, and tracked so that shutdown can wait for it.
  bot.use((ctx, next) => {
    ctx.state = { addressed: false };
    shared.inflight.sawUpdate(ctx.update.update_id);
    return shared.inflight.track(next());
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
  guarded.use(allowList(config.allowedChatIds, logger));

  // Button presses only read; they are not queued behind a running answer in the same chat.
  guarded.on("callback_query:data", async (ctx) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (!action) return void (await ctx.answerCallbackQuery());
    if (action.kind === "passage") return openPassage(ctx, { chunkId: action.chunkId }, shared);
    if (action.kind === "passage-hash") return openPassage(ctx, { hash: action.hash }, shared);
    return showListPage(ctx, action.kind, action.page, shared);
  });

  const addressed = guarded.on("message").filter((ctx) => ctx.state.addressed);
  if (tuning.rateLimit > 0) {
    addressed.use(
      limit<BotContext, never>({
        timeFrame: tuning.rateLimitWindowMs,
        limit: tuning.rateLimit,
        keyGenerator: (ctx) => (ctx.from ? String(ctx.from.id) : undefined),
        onLimitExceeded: async (ctx) => {
          logger.info({ event: "rate_limited", userId: ctx.from?.id, chatId: ctx.chat?.id }, "rate limited");
          if (ctx.msg) await sendHtml(ctx.api, replyTargetFor(ctx.msg), RATE_LIMIT_MESSAGE);
        },
      }),
    );
  }
  addressed.use(sequentialize((ctx: BotContext) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  addressed.use(async (ctx) => {
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
    await sendHtml(ctx.api, replyTargetFor(ctx.msg), NOT_ALLOWED_MESSAGE);
  };
}
