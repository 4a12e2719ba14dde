/**
 * What the handlers share: the question-answering core, settings, memory and helpers. Built
 * once per bot by `createBot`, handed to each handler factory explicitly, and carried by the
 * bot itself (`BotWithServices.services`) for `runBot`.
 */
import { Bot, type Api, type BotConfig } from "grammy";
import type { Logger } from "pino";
import type { QaService } from "../answering/answerer.ts";
import type { Config } from "../config.ts";
import type { ChunkIdResolver } from "./callback-data.ts";
import type { ConversationStore } from "../answering/conversation.ts";
import type { BotContext } from "./context.ts";
import type { IndexUpdates } from "./index-updates.ts";
import type { InflightTracker } from "./inflight.ts";
import type { BotTuning } from "./tuning.ts";
import type { UpdateJournal } from "./update-journal.ts";

/** What a reindex changed, for the admin's reply (worded by the locale files, without the index's path). */
export interface ReindexSummary {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Live chunks in the new index. */
  chunks: number;
  seconds: number;
}

/** Everything a handler may use besides its context. */
export interface BotServices {
  config: Readonly<Config>;
  qa: QaService;
  /** Re-embeds the corpus and resolves with what changed; absent when not offered. */
  reindex?: () => Promise<ReindexSummary>;
  /** Index updates for documents added or removed from Telegram, one build at a time; present with `reindex`. */
  indexUpdates?: IndexUpdates<ReindexSummary>;
  logger: Logger;
  tuning: Readonly<BotTuning>;
  /** Same token and API root as the bot, without auto-retry (typing, partial edits). */
  rawApi: Api;
  conversations: ConversationStore;
  chunkIds: ChunkIdResolver;
  inflight: InflightTracker;
  /** Updates in progress, kept across restarts. */
  journal: UpdateJournal;
  /** Aborted when a stop runs out of time: cancels every Bot API call, retry wait and answer in flight. */
  shutdown: AbortController;
}

/** A grammY bot that carries the services its handlers were built with; `createBot` makes one and `runBot` needs one. */
export class BotWithServices extends Bot<BotContext> {
  constructor(
    token: string,
    config: BotConfig<BotContext>,
    readonly services: BotServices,
  ) {
    super(token, config);
  }
}
