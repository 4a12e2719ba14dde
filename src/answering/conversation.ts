/**
 * The conversation memory of the bot and the terminal chat (one "chat" there). Per-chat follow-up context, bounded in chats (LRU), time (TTL), answers per chat, turns per
 * thread, characters per turn and bytes overall, so memory stays flat however many chats and
 * follow-ups the bot sees. Each remembered answer keeps its own thread (its last few turns), so
 * a follow-up continues that thread, not whatever else the group asked meanwhile.
 */
import { LRUCache } from "lru-cache";
import { CONVERSATION_DEFAULTS } from "../config.ts";
import type { Turn } from "./answerer.ts";

/** Cited documents kept per remembered answer (a follow-up looks in them first). */
const MAX_TURN_DOCS = 5;

/** Limits of the conversation memory. */
export interface ConversationOptions {
  /** Chats remembered at once; the least recently active is forgotten first. Default 10,000. */
  maxChats?: number;
  /** A chat is forgotten this long after its last answer, in ms. Default 30 minutes. */
  ttlMs?: number;
  /** Answers remembered per chat (replies to older ones start afresh). Default 20. */
  maxAnswersPerChat?: number;
  /** Longest history handed to a follow-up, in turns. Default HISTORY_TURNS' (3). */
  maxTurns?: number;
  /** Characters of a question or an answer kept. Default 2,000. */
  maxTurnChars?: number;
  /** All chats' context together, in bytes (two per character). Default 16 MB. */
  maxBytes?: number;
  /** In a private chat (or the terminal), a next message within this many ms of an answer is a follow-up. Default FOLLOW_UP_WINDOW_MS' (5 minutes). */
  followUpWindowMs?: number;
  /** Clock in ms (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/** One remembered answer. Opaque outside this module except for `history`. */
interface StoredTurn {
  answeredAt: number;
  /** Ids of the messages that carry this answer (all parts). */
  messageIds: number[];
  /** This answer's thread: the turns it followed up on and itself, oldest first, at most `maxTurns`. */
  thread: Turn[];
}

/** The context of a follow-up: the earlier turns, oldest first, and the answer it continues. */
export interface FollowUp {
  history: Turn[];
  /** Pass back to `record` so the new answer continues this thread. */
  readonly parent: unknown;
}

/** Follow-up memory of all chats. */
export class ConversationStore {
  private readonly chats: LRUCache<string, StoredTurn[]>;
  private readonly maxAnswersPerChat: number;
  private readonly maxTurns: number;
  private readonly maxTurnChars: number;
  private readonly followUpWindowMs: number;
  private readonly now: () => number;

  constructor(options: ConversationOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxAnswersPerChat = options.maxAnswersPerChat ?? 20;
    this.maxTurns = options.maxTurns ?? CONVERSATION_DEFAULTS.historyTurns;
    this.maxTurnChars = options.maxTurnChars ?? 2000;
    this.followUpWindowMs = options.followUpWindowMs ?? CONVERSATION_DEFAULTS.followUpWindowMs;
    this.chats = new LRUCache<string, StoredTurn[]>({
      max: options.maxChats ?? 10_000,
      ttl: options.ttlMs ?? 30 * 60_000,
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      // Threads share their Turn objects; counting each thread in full over-estimates, never under.
      sizeCalculation: (turns) => 64 + turns.reduce((sum, t) => sum + t.thread.reduce((n, x) => n + 2 * (x.question.length + x.answer.length) + 48, 16), 0),
      // Follow the injected clock only when one is given (tests); otherwise lru-cache's own.
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  /** Estimated bytes of all remembered context (what `maxBytes` bounds). */
  get bytes(): number {
    return this.chats.calculatedSize;
  }

  /** Number of chats currently remembered. */
  get size(): number {
    return this.chats.size;
  }

  /** Remembers an answer and the ids of the messages that carry it; `followUp` links it to its thread. */
  record(chatId: number, turn: Turn, messageIds: readonly number[], followUp?: FollowUp | null): void {
    const key = String(chatId);
    const parent = followUp?.parent as StoredTurn | undefined;
    const kept: Turn = { question: turn.question.slice(0, this.maxTurnChars), answer: turn.answer.slice(0, this.maxTurnChars), ...(turn.docIds ? { docIds: turn.docIds.slice(0, MAX_TURN_DOCS) } : {}) };
    const thread = [...(parent?.thread ?? []), kept].slice(-this.maxTurns);
    const stored: StoredTurn = { answeredAt: this.now(), messageIds: [...messageIds], thread };
    this.chats.set(key, (this.chats.get(key) ?? []).concat(stored).slice(-this.maxAnswersPerChat));
  }

  /** Context for a reply to one of the bot's messages; null when that answer is no longer remembered. */
  forReply(chatId: number, messageId: number): FollowUp | null {
    const turns = this.chats.get(String(chatId));
    const replied = turns?.find((t) => t.messageIds.includes(messageId));
    return replied ? this.threadOf(replied) : null;
  }

  /** Context for a next private message: the last answer's thread when it is within the window. */
  forNextMessage(chatId: number): FollowUp | null {
    const turns = this.chats.get(String(chatId), { updateAgeOnGet: false });
    const last = turns?.[turns.length - 1];
    if (!last || this.now() - last.answeredAt > this.followUpWindowMs) return null;
    return this.threadOf(last);
  }

  /** Forgets a chat's context (the terminal's /new). */
  forget(chatId: number): void {
    this.chats.delete(String(chatId));
  }

  private threadOf(turn: StoredTurn): FollowUp {
    return { history: [...turn.thread], parent: turn };
  }
}
