/**
 * The bot's behavioural knobs with their defaults. Production uses the defaults; tests shorten
 * the intervals so that they run in milliseconds.
 */
import { CONVERSATION_DEFAULTS } from "../config.ts";

/** Limits and intervals of the bot; every field has a default (see `DEFAULT_TUNING`). */
export interface BotTuning {
  /** Longest question accepted, in characters. Default 1,000. */
  maxQuestionChars: number;
  /** Questions and commands one user may send per window; 0 disables the limit. Default 5. */
  rateLimit: number;
  /** Length of the rate-limit window, in ms. Default 15,000. */
  rateLimitWindowMs: number;
  /** Least time between two edits of a streamed answer, in ms. Default 1,500. */
  streamEditIntervalMs: number;
  /** "typing…" is shown once an answer takes longer than this, in ms. Default 300 (fast answers need none). */
  typingDelayMs: number;
  /** How often "typing…" is repeated while answering, in ms. Default 4,500. */
  typingIntervalMs: number;
  /** In a private chat, a message this soon after an answer is a follow-up, in ms. Default 5 minutes. */
  followUpWindowMs: number;
  /** How long a chat's follow-up context is kept after its last answer, in ms. Default 30 minutes. */
  conversationTtlMs: number;
  /** Chats whose context is kept at once (LRU). Default 10,000. */
  maxConversations: number;
  /** Earlier turns passed to `qa.ask` as history. Default 3. */
  maxHistoryTurns: number;
  /** Answers remembered per chat for reply follow-ups. Default 20. */
  maxAnswersPerChat: number;
  /** Characters of one question or answer kept as follow-up context. Default 2,000. */
  maxTurnChars: number;
  /** Size of all follow-up context together, in bytes (about two per character). Default 16 MB. */
  maxConversationBytes: number;
  /** Most documents per page of `/sources` and `/timeline` (fewer when their lines are long). Default 10. */
  pageSize: number;
  /** Retries of a Telegram call that failed with 429 or 5xx (auto-retry, 3 s doubling: 5 cover ~90 s of 5xx). Default 5. */
  maxRetryAttempts: number;
  /** Longest `retry_after` the bot waits for before giving up on a call (and not apologising into it), in seconds. Default 300. */
  maxRetryDelaySeconds: number;
  /**
   * Longest wait for one Bot API request, in seconds; a `getUpdates` that hangs is abandoned
   * (and logged) after this. Long polls ask Telegram for at most this minus 10 (at least 1). Default 45.
   */
  apiTimeoutSeconds: number;
  /** An answer taking longer than this is aborted (signal passed to `qa.ask`), in ms. Default 120,000. */
  answerTimeoutMs: number;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now: () => number;
}

/** The production defaults. */
export const DEFAULT_TUNING: Readonly<BotTuning> = Object.freeze({
  maxQuestionChars: 1000,
  rateLimit: 5,
  rateLimitWindowMs: 15_000,
  streamEditIntervalMs: 1500,
  typingDelayMs: 300,
  typingIntervalMs: 4500,
  followUpWindowMs: CONVERSATION_DEFAULTS.followUpWindowMs,
  conversationTtlMs: 30 * 60_000,
  maxConversations: 10_000,
  maxHistoryTurns: CONVERSATION_DEFAULTS.historyTurns,
  maxAnswersPerChat: 20,
  maxTurnChars: 2000,
  maxConversationBytes: 16 * 1024 * 1024,
  pageSize: 10,
  maxRetryAttempts: 5,
  maxRetryDelaySeconds: 300,
  apiTimeoutSeconds: 45,
  answerTimeoutMs: 120_000,
  now: Date.now,
});
