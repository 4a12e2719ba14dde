/**
 * The only reader of `process.env`. `loadConfig` parses and validates every variable
 * the product knows, and throws a ConfigError naming the variable on a bad value.
 */
import path from "node:path";
import { ConfigError } from "./errors.ts";

export type EmbeddingsChoice = "auto" | "local" | "openai";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface Config {
  /** Telegram bot token; absent means "chat in the terminal". */
  telegramToken: string | null;
  /** Bot API root, default `https://api.telegram.org`; tests point it at a fake. */
  telegramApiRoot: string;
  /** When set, the bot receives updates through this public webhook URL instead of long polling. */
  webhookUrl: string | null;
  /** Port of the webhook HTTP server, default 8080. */
  port: number;
  openaiApiKey: string | null;
  /** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp); null means OpenAI's own. */
  openaiBaseUrl: string | null;
  /** Chat model for generative answers, default `gpt-4o-mini`. */
  chatModel: string;
  /** OpenAI embedding model, default `text-embedding-3-small`. */
  embeddingModel: string;
  /** `auto` picks OpenAI embeddings when a key is set, local ones otherwise. */
  embeddings: EmbeddingsChoice;
  /** Timeout of one OpenAI request in milliseconds, default 20000. */
  openaiTimeoutMs: number;
  corpusDir: string;
  indexDir: string;
  /** Where the local word-vector cache is written, default `data/models`. */
  modelCacheDir: string;
  /** Chats the bot serves; null means every chat. */
  allowedChatIds: ReadonlySet<number> | null;
  /** Users who may run `/reindex` and add or remove documents from Telegram. */
  adminUserIds: ReadonlySet<number>;
  /** Channels whose posts become documents (the bot must administer them); empty means none. */
  sourceChannelIds: ReadonlySet<number>;
  /** Largest file an admin may send to be added, in bytes; default 20 MB (the Bot API's download limit). */
  uploadMaxBytes: number;
  /** IANA time zone in which Telegram's post and message times become dates, default `UTC`. */
  newsTimeZone: string;
  logLevel: LogLevel;
  /** Where the bot keeps its update journal, default `bot/` beside INDEX_DIR (`data/bot`). */
  botStateDir: string;
  /** A stop (SIGTERM, SIGINT) ends within this many ms, default 30000. */
  shutdownTimeoutMs: number;
  /** Earlier turns a follow-up carries (bot and terminal), default 3. */
  historyTurns: number;
  /** A next message this soon after an answer is a follow-up (private chats, terminal), in ms; default 300000 (5 minutes). */
  followUpWindowMs: number;
}

/**
 * Defaults of the conversation memory (src/answering/conversation.ts): three turns keep a
 * follow-up's subject without drowning the question; five minutes is about how long a
 * person's next message still leans on the last answer.
 */
export const CONVERSATION_DEFAULTS = Object.freeze({ historyTurns: 3, followUpWindowMs: 5 * 60_000 });

const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const EMBEDDINGS_CHOICES: readonly EmbeddingsChoice[] = ["auto", "local", "openai"];

/** Parses an environment (default `process.env`) into a frozen Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { cwd?: string } = {}): Readonly<Config> {
  const cwd = options.cwd ?? process.cwd();
  const text = (name: string): string | null => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = text(name)?.toLowerCase() ?? fallback;
    if (!allowed.includes(value as T)) {
      throw new ConfigError(`${name} must be one of ${allowed.join(", ")} (got "${value}").`);
    }
    return value as T;
  };
  const url = (name: string, fallback: string | null): string | null => {
    const value = text(name) ?? fallback;
    if (value === null) return null;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${name} must be an http(s) URL (got "${value}").`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new ConfigError(`${name} must be an http(s) URL (got "${value}").`);
    }
    return value.replace(/\/+$/, "");
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
    }
    return n;
  };
  const idList = (name: string): Set<number> | null => {
    const value = text(name);
    if (value === null) return null;
    const ids = value.split(/[\s,]+/).filter(Boolean).map((part) => {
      if (!/^-?\d+$/.test(part)) {
        throw new ConfigError(`${name} must be a comma-separated list of numeric Telegram ids (bad entry "${part}").`);
      }
      return Number(part);
    });
    return new Set(ids);
  };

  const timeZone = (name: string): string => {
    const value = text(name) ?? "UTC";
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      throw new ConfigError(`${name} must be an IANA time zone such as UTC or Asia/Bishkek (got "${value}").`);
    }
  };

  const token = text("TELEGRAM_BOT_TOKEN");
  if (token !== null && !/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (expected <digits>:<letters>, from @BotFather).");
  }
  const openaiApiKey = text("OPENAI_API_KEY");
  const embeddings = oneOf("EMBEDDINGS", EMBEDDINGS_CHOICES, "auto");
  if (embeddings === "openai" && openaiApiKey === null) {
    throw new ConfigError("EMBEDDINGS=openai needs OPENAI_API_KEY to be set.");
  }

  const indexDir = path.resolve(cwd, text("INDEX_DIR") ?? "data/index");
  return Object.freeze({
    telegramToken: token,
    telegramApiRoot: url("TELEGRAM_API_ROOT", "https://api.telegram.org")!,
    webhookUrl: url("WEBHOOK_URL", null),
    port: integer("PORT", 8080, 1, 65535),
    openaiApiKey,
    openaiBaseUrl: url("OPENAI_BASE_URL", null),
    chatModel: text("CHAT_MODEL") ?? "gpt-4o-mini",
    embeddingModel: text("EMBEDDING_MODEL") ?? "text-embedding-3-small",
    embeddings,
    openaiTimeoutMs: integer("OPENAI_TIMEOUT_MS", 20_000, 100, 600_000),
    corpusDir: path.resolve(cwd, text("CORPUS_DIR") ?? "corpus"),
    indexDir,
    modelCacheDir: path.resolve(cwd, text("MODEL_CACHE_DIR") ?? "data/models"),
    allowedChatIds: idList("ALLOWED_CHAT_IDS"),
    adminUserIds: idList("ADMIN_USER_IDS") ?? new Set<number>(),
    sourceChannelIds: idList("SOURCE_CHANNEL_IDS") ?? new Set<number>(),
    uploadMaxBytes: integer("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    newsTimeZone: timeZone("NEWS_TIMEZONE"),
    logLevel: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    botStateDir: path.resolve(cwd, text("BOT_STATE_DIR") ?? path.join(path.dirname(indexDir), "bot")),
    shutdownTimeoutMs: integer("SHUTDOWN_TIMEOUT_MS", 30_000, 1000, 600_000),
    historyTurns: integer("HISTORY_TURNS", CONVERSATION_DEFAULTS.historyTurns, 1, 20),
    followUpWindowMs: integer("FOLLOW_UP_WINDOW_MS", CONVERSATION_DEFAULTS.followUpWindowMs, 0, 24 * 3_600_000),
  });
}

/** Which embedder a config asks for, once `auto` is resolved. */
export function resolveEmbedder(config: Pick<Config, "embeddings" | "openaiApiKey">): "local" | "openai" {
  if (config.embeddings === "auto") return config.openaiApiKey ? "openai" : "local";
  return config.embeddings;
}
