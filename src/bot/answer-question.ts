/**
 * Answers one question: checks it, picks the follow-up history, shows "typing…" (and in private
 * chats the growing answer), asks the QaService, sends the formatted answer threaded to the
 * question, remembers the turn and writes one log line.
 */
import type { Answer } from "../domain.ts";
import type { BotContext } from "./context.ts";
import { errorFields } from "./logger.ts";
import { renderAnswer, type RenderedAnswer } from "./render-answer.ts";
import { editHtml, replyTargetFor, sendHtml, sendHtmlParts, type ReplyTarget } from "./send.ts";
import type { BotServices } from "./services.ts";
import { StreamingReply } from "./streaming-reply.ts";
import type { Incoming } from "./triggers.ts";
import { startTyping } from "./typing-indicator.ts";
import { escapeHtml } from "./html.ts";
import { languageOfUpdate, t, type Lang } from "../locale/messages.ts";

type Question = Extract<Incoming, { kind: "question" }>;

/** One-line hint for an empty question; groups are told the `/ask` form. */
export function usageHint(chatType: string, botUsername: string, lang: Lang = "en"): string {
  if (lang !== "en") return chatType === "private" ? t(lang, "send-text") : t(lang, "usage-group", { bot: botUsername });
  return chatType === "private"
    ? "Please send your question as text, for example: When did Japarov meet Xi Jinping?"
    : `Usage: /ask your question — or mention @${botUsername} with the question, or reply to one of my answers.`;
}

/** Answers a question message; throws only on failures the error boundary should apologise for. */
export async function answerQuestion(ctx: BotContext, request: Question, services: BotServices): Promise<void> {
  const { qa, conversations, logger, tuning, rawApi, journal, shutdown } = services;
  const message = ctx.msg;
  if (!message) return;
  const chatId = message.chat.id;
  const target = replyTargetFor(message);
  ctx.state.target = target;
  const question = request.question.trim();

  if (!question) {
    await sendHtml(ctx.api, target, escapeHtml(usageHint(message.chat.type, ctx.me.username, languageOfUpdate(ctx))));
    return;
  }
  if (question.length > tuning.maxQuestionChars) {
    await sendHtml(
      ctx.api,
      target,
      languageOfUpdate(ctx) === "en"
        ? `That message is too long (${question.length.toLocaleString("en-US")} characters). Please ask in at most ${tuning.maxQuestionChars.toLocaleString("en-US")} characters.`
        : escapeHtml(t(languageOfUpdate(ctx), "too-long", { length: question.length, max: tuning.maxQuestionChars })),
    );
    return;
  }

  const followUp =
    request.replyToBotMessageId !== undefined
      ? conversations.forReply(chatId, request.replyToBotMessageId)
      : message.chat.type === "private"
        ? conversations.forNextMessage(chatId)
        : null;
  const history = followUp?.history ?? [];

  const startedAt = tuning.now();
  const stopTyping = startTyping(rawApi, target, { delayMs: tuning.typingDelayMs, intervalMs: tuning.typingIntervalMs, logger });
  const updateId = ctx.update.update_id;
  // A retry after a crash grows (and finally replaces) the half message the killed process left.
  const resumed = ctx.state.resumeMessageId;
  if (resumed !== undefined) ctx.state.streamMessageId = resumed;
  const streaming =
    message.chat.type === "private"
      ? new StreamingReply({
          api: rawApi,
          target,
          intervalMs: tuning.streamEditIntervalMs,
          logger,
          now: tuning.now,
          ...(resumed !== undefined ? { messageId: resumed } : {}),
          onSent: (messageId) => journal.streamed(updateId, chatId, messageId),
        })
      : undefined;

  let answer: Answer;
  try {
    answer = await qa.ask(question, {
      history,
      ...(streaming ? { onPartial: (text: string) => streaming.push(text) } : {}),
      signal: AbortSignal.any([AbortSignal.timeout(tuning.answerTimeoutMs), shutdown.signal]),
    });
  } finally {
    stopTyping();
    const streamedId = await streaming?.finish();
    if (streamedId !== undefined) ctx.state.streamMessageId = streamedId;
  }

  const rendered = renderAnswer(answer);
  const streamedId = ctx.state.streamMessageId ?? resumed;
  const messageIds =
    streamedId !== undefined
      ? await replaceStreamed(ctx, target, streamedId, rendered, services)
      : (await sendHtmlParts(ctx.api, target, rendered.parts, { keyboard: rendered.keyboard, logger })).map((m) => m.message_id);
  // Delivered: from here on the error boundary must not overwrite the answer with an apology.
  ctx.state.streamMessageId = undefined;

  conversations.record(chatId, { question, answer: answer.text, docIds: answer.citations.map((c) => c.docId) }, messageIds, followUp);
  logger.info(
    {
      event: "answered",
      updateId: ctx.update.update_id,
      chatType: message.chat.type,
      trigger: request.trigger,
      latencyMs: Math.round(tuning.now() - startedAt),
      mode: answer.mode,
      citations: answer.citations.length,
      refused: answer.refused,
      parts: rendered.parts.length,
      streamedUpdates: streaming?.updates ?? 0,
      historyTurns: history.length,
      questionChars: question.length,
    },
    "answered",
  );
}

/** Turns the streamed message into the final answer (first part), sending any further parts. */
async function replaceStreamed(
  ctx: BotContext,
  target: ReplyTarget,
  messageId: number,
  rendered: RenderedAnswer,
  services: BotServices,
): Promise<number[]> {
  const { logger } = services;
  const [first, ...rest] = rendered.parts;
  const single = rest.length === 0;
  try {
    await editHtml(ctx.api, target.chatId, messageId, first, { keyboard: single ? rendered.keyboard : undefined, logger });
  } catch (error) {
    // The partial message may have been deleted; deliver the answer as new messages instead.
    logger.warn({ chatId: target.chatId, err: errorFields(error) }, "final edit failed, sending the answer anew");
    const sent = await sendHtmlParts(ctx.api, target, rendered.parts, { keyboard: rendered.keyboard, logger });
    return sent.map((m) => m.message_id);
  }
  const sent = await sendHtmlParts(ctx.api, target, rest, { keyboard: rendered.keyboard, logger });
  return [messageId, ...sent.map((m) => m.message_id)];
}
