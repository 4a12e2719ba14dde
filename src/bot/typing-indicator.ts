/**
 * "typing…" while the bot works. Telegram shows a chat action for about five seconds, so it
 * is repeated until stopped. Best effort: a failing `sendChatAction` is logged and ignored.
 * Kept instead of @grammyjs/auto-chat-action, which starts at once and runs until the update is
 * done: this one waits `delayMs` (fast answers send none), stops when the answer is sent, and
 * goes through the API without retries, so a 429 on a chat action never delays the answer.
 */
import type { Api } from "grammy";
import type { Logger } from "pino";
import { errorFields } from "./logger.ts";
import type { ReplyTarget } from "./send.ts";

/**
 * Starts showing "typing…" in the target chat (and topic) after `delayMs` (default 0), repeated
 * every `intervalMs` (default 4,500); call the returned function to stop. An answer that is ready
 * within the delay sends no chat action at all, which halves the API calls of fast answers.
 */
export function startTyping(
  api: Api,
  target: ReplyTarget,
  options: { delayMs?: number; intervalMs?: number; logger?: Logger } = {},
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const send = (): void => {
    if (stopped) return;
    api
      .sendChatAction(target.chatId, "typing", target.threadId !== undefined ? { message_thread_id: target.threadId } : {})
      .catch((error: unknown) => options.logger?.debug({ err: errorFields(error), chatId: target.chatId }, "typing action failed"));
  };
  const begin = (): void => {
    send();
    timer = setInterval(send, options.intervalMs ?? 4500);
    timer.unref();
  };
  const delay = options.delayMs ?? 0;
  let delayTimer: NodeJS.Timeout | undefined;
  if (delay > 0) {
    delayTimer = setTimeout(begin, delay);
    delayTimer.unref();
  } else {
    begin();
  }
  return () => {
    stopped = true;
    clearTimeout(delayTimer);
    clearInterval(timer);
  };
}
