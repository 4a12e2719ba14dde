/**
 * The bot's context type: grammY's Context plus per-update state that the middleware fills in
 * (what the message is, whether it is addressed to the bot) and the error boundary reads.
 */
import type { Context } from "grammy";
import type { ReplyTarget } from "./send.ts";
import type { Incoming } from "./triggers.ts";

/** Per-update state; a fresh object for every update. */
export interface BotState {
  /** What the message asks of the bot (set for new messages only). */
  incoming?: Incoming;
  /** True when the bot owes the sender a reply (a question, a command, a button press). */
  addressed: boolean;
  /** Where replies to this update go. */
  target?: ReplyTarget;
  /** The message showing a streamed partial answer, which an apology should replace. */
  streamMessageId?: number;
  /** A killed process's half-streamed message for this update (from the journal): the answer replaces it. */
  resumeMessageId?: number;
  /** Set when neither the answer nor an apology reached the chat: the update stays in the journal. */
  undelivered?: boolean;
}

/** Context of every handler in this bot. */
export type BotContext = Context & { state: BotState };
