/**
 * Shows a generative answer while it grows: the first partial text is sent as a message, later
 * ones edit it in place at most once per interval, backing off when Telegram says `retry_after`.
 * Partial edits are best effort (never retried); the final answer replaces the message.
 */
import type { Api } from "grammy";
import type { Logger } from "pino";
import { errorFields } from "./logger.ts";
import { renderPartial } from "./render-answer.ts";
import { isNotModified, retryAfterSeconds, targetOptions, type ReplyTarget } from "./send.ts";

/** Options of one streamed reply. */
export interface StreamingReplyOptions {
  /** An Api without auto-retry: a partial edit that hits a limit is skipped, not waited for. */
  api: Api;
  target: ReplyTarget;
  /** Least time between two edits, in ms. Default 1,500. */
  intervalMs?: number;
  logger?: Logger;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
  /** A message to grow in place instead of sending a new one (a retry of a half-streamed answer). */
  messageId?: number;
  /** Called once the first partial text is sent, with its message id (awaited before the next edit). */
  onSent?: (messageId: number) => Promise<void>;
}

/** A message that follows a growing text. */
export class StreamingReply {
  private latest = "";
  private shown = "";
  private messageIdValue: number | undefined;
  private nextAllowedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: StreamingReplyOptions) {
    this.intervalMs = options.intervalMs ?? 1500;
    this.now = options.now ?? Date.now;
    this.messageIdValue = options.messageId;
  }

  /** Id of the message showing the partial answer, once one was sent. */
  get messageId(): number | undefined {
    return this.messageIdValue;
  }

  /** Number of partial texts shown so far (first send plus edits). */
  updates = 0;

  /** Offers the latest full partial text; it is shown now or at the next allowed moment. */
  push(text: string): void {
    if (this.closed || !text.trim()) return;
    this.latest = text;
    if (!this.inFlight && !this.timer) this.schedule();
  }

  /** Stops updating; waits for an edit in flight. Returns the message id, if one was sent. */
  async finish(): Promise<number | undefined> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    return this.messageIdValue;
  }

  /** Milliseconds until the next edit may go out (a pending `retry_after` included). */
  waitMs(): number {
    return Math.max(0, this.nextAllowedAt - this.now());
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.flush().finally(() => {
        this.inFlight = undefined;
        if (!this.closed && this.latest !== this.shown) this.schedule();
      });
    }, this.waitMs());
  }

  private async flush(): Promise<void> {
    if (this.closed || this.latest === this.shown) return;
    const text = this.latest;
    const display = renderPartial(text);
    const { api, target, logger } = this.options;
    try {
      if (this.messageIdValue === undefined) {
        const sent = await api.sendMessage(target.chatId, display, targetOptions(target));
        this.messageIdValue = sent.message_id;
        await this.options.onSent?.(sent.message_id).catch((error: unknown) =>
          logger?.warn({ err: errorFields(error), chatId: target.chatId }, "could not journal the streamed message"),
        );
      } else {
        await api.editMessageText(target.chatId, this.messageIdValue, display);
      }
      this.shown = text;
      this.updates++;
      this.nextAllowedAt = this.now() + this.intervalMs;
    } catch (error) {
      const retryAfter = retryAfterSeconds(error);
      if (retryAfter !== undefined) {
        this.nextAllowedAt = this.now() + retryAfter * 1000;
      } else if (isNotModified(error)) {
        this.shown = text;
        this.nextAllowedAt = this.now() + this.intervalMs;
      } else {
        // Give up on partial updates; the final answer is still delivered.
        this.closed = true;
        logger?.warn({ err: errorFields(error), chatId: target.chatId }, "streaming update failed");
      }
    }
  }
}
