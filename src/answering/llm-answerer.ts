/**
 * Generative answers through any OpenAI-compatible chat model (LangChain `ChatOpenAI`), with
 * citations verified by code and a fallback answerer (the extractive one) for every failure:
 * timeout, rate limit, server error, rejected key, or an answer that cites nothing.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { StringOutputParser } from "@langchain/core/output_parsers";
import type { Runnable } from "@langchain/core/runnables";
import { ChatOpenAI } from "@langchain/openai";
import type { Answer } from "../domain.ts";
import { scrubSecrets, type OpenAIFailure } from "../openai/errors.ts";
import { abortReason, callOpenAI, classifyFailure, DEFAULT_OPENAI_RETRY_POLICY, withDeadline, type OpenAIRetryPolicy } from "../openai/retry.ts";
import type { AnswerInput, Answerer, Turn } from "./answerer.ts";
import { checkCitations, displayPartial } from "./citation-check.ts";
import { ANSWER_PROMPT, CONDENSE_PROMPT, answerPromptValues, condensePromptValues } from "./llm-prompt.ts";

/** What `answer` resolves to. */
export type AnswerResult = Omit<Answer, "timings" | "passages" | "question">;

/** The one-line notices set on a fallback answer; the wording is part of the product. */
export const LLM_NOTICES = Object.freeze({
  timeout: "The language model did not answer in time; this is an extractive answer.",
  rateLimit: "The language model is busy (rate limit); this is an extractive answer.",
  unavailable: "The language model is unavailable right now; this is an extractive answer.",
  auth: "The language model rejected the configured API key; this is an extractive answer.",
  failed: "The language model could not answer; this is an extractive answer.",
  uncited: "The language model's answer cited none of the documents; this is an extractive answer.",
});

/** Defaults of the generative answerer, each with its reason. */
export const LLM_ANSWERER_DEFAULTS = Object.freeze({
  /** The condense call is one short line: ten seconds at most, so a slow model does not hold up the retrieval behind it. */
  maxCondenseTimeoutMs: 10_000,
  /** Passages shown to the model: the retriever's best eight cover a visit's reports without drowning the question. */
  maxPassages: 8,
  /** Answer length cap in tokens: a few cited paragraphs, well inside one Telegram message. */
  maxTokens: 700,
  /** A condensed question longer than this is the model answering instead of rewriting: the joined question stands in. */
  maxCondensedChars: 500,
});

/** Where the answerer reports failures; a pino logger or `console` fits. Messages never contain the API key. */
export interface LlmLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface LlmAnswererOptions {
  /** Sent as the bearer token; never logged. Local servers accept any non-empty value. */
  apiKey: string;
  /** Base URL of an OpenAI-compatible server including `/v1`; null or absent means OpenAI's own. */
  baseUrl?: string | null;
  /** Chat model, e.g. `gpt-4o-mini`. */
  model: string;
  /** Deadline of one model attempt (request plus streamed answer), in milliseconds. */
  timeoutMs: number;
  /** Retries after a 429, 5xx or network error (not after a timeout); default 2 (DEFAULT_OPENAI_RETRY_POLICY). */
  maxRetries?: number;
  /** First retry delay in milliseconds, doubled each retry, with jitter; default 500. */
  retryBaseDelayMs?: number;
  /** A `retry-after` longer than this (milliseconds) is not waited for: the fallback answers. Default 10000. */
  maxRetryDelayMs?: number;
  /** Deadline of the condense call in milliseconds; default `min(timeoutMs, 10000)`. */
  condenseTimeoutMs?: number;
  /** Passages shown to the model, best first; default 8. */
  maxPassages?: number;
  /** Sampling temperature; default 0 (null: the server's default, needed by reasoning models, which get null automatically). */
  temperature?: number | null;
  /** Answer length cap in tokens; default 700 (none for reasoning models). */
  maxTokens?: number | null;
  /** Answers whenever the model cannot (the extractive answerer). */
  fallback: Answerer;
  /** A chat model to use instead of `ChatOpenAI` (tests, other providers). */
  chat?: BaseChatModel;
  /** Default: `console`. */
  logger?: LlmLogger;
  /** Clock for "today" in the prompt; default `() => new Date()`. */
  now?: () => Date;
}

/** Failures that will not go away by themselves: after one, the model is no longer called. */
type PersistentFailure = "auth" | "not-found";

/** Answers with an OpenAI-compatible chat model and `[n]` citations checked against the passages. */
export class LlmAnswerer implements Answerer {
  readonly mode = "llm" as const;
  private readonly fallback: Answerer;
  private readonly logger: LlmLogger;
  private readonly now: () => Date;
  private readonly secrets: readonly string[];
  private readonly timeoutMs: number;
  private readonly condenseTimeoutMs: number;
  private readonly retryPolicy: OpenAIRetryPolicy;
  private readonly maxPassages: number;
  private readonly where: string;
  private readonly model: string;
  private readonly chat: BaseChatModel;
  private readonly answerChain: Runnable<Record<string, string>, string>;
  private readonly condenseChain: Runnable<Record<string, string>, string>;
  private disabled: PersistentFailure | null = null;
  /** A transient outage (network, 5xx, timeout) was already reported: its retries and fallbacks stay quiet until a call succeeds. */
  private outageReported = false;

  constructor(options: LlmAnswererOptions) {
    this.fallback = options.fallback;
    this.logger = options.logger ?? console;
    this.now = options.now ?? (() => new Date());
    this.secrets = [options.apiKey];
    this.timeoutMs = options.timeoutMs;
    this.condenseTimeoutMs = options.condenseTimeoutMs ?? Math.min(options.timeoutMs, LLM_ANSWERER_DEFAULTS.maxCondenseTimeoutMs);
    this.retryPolicy = {
      maxRetries: options.maxRetries ?? DEFAULT_OPENAI_RETRY_POLICY.maxRetries,
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_OPENAI_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_OPENAI_RETRY_POLICY.maxDelayMs,
      // Someone is waiting: after a deadline the extractive answer comes at once.
      retryTimeouts: false,
    };
    this.maxPassages = options.maxPassages ?? LLM_ANSWERER_DEFAULTS.maxPassages;
    this.model = options.model;
    this.where = options.baseUrl ? `the server at ${options.baseUrl}` : "the OpenAI API";
    const reasoning = /^(o\d|gpt-5(?!-chat))/.test(options.model);
    const temperature = options.temperature === undefined ? (reasoning ? null : 0) : options.temperature;
    const maxTokens = options.maxTokens === undefined ? (reasoning ? null : LLM_ANSWERER_DEFAULTS.maxTokens) : options.maxTokens;
    const chat =
      options.chat ??
      new ChatOpenAI({
        model: options.model,
        apiKey: options.apiKey,
        configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
        timeout: options.timeoutMs,
        // Retries are src/openai/retry.ts's: LangChain's back off by seconds and would also retry past our deadline.
        maxRetries: 0,
        // Some compatible servers reject `stream_options`; usage is not needed here.
        streamUsage: false,
        ...(temperature !== null ? { temperature } : {}),
        ...(maxTokens !== null ? { maxTokens } : {}),
      });
    this.chat = chat;
    const parser = new StringOutputParser();
    this.answerChain = ANSWER_PROMPT.pipe(chat).pipe(parser);
    this.condenseChain = CONDENSE_PROMPT.pipe(chat).pipe(parser);
  }

  async answer(input: AnswerInput): Promise<AnswerResult> {
    // The model judges whether the passages answer; only an empty retrieval skips it.
    if (input.passages.length === 0) return this.fallback.answer({ ...input, onPartial: undefined });
    if (this.disabled) return this.fallBack(input, this.disabled === "auth" ? LLM_NOTICES.auth : LLM_NOTICES.failed);

    const passages = input.passages.slice(0, this.maxPassages);
    const values = answerPromptValues({
      question: input.question,
      passages,
      history: input.history,
      today: this.now().toISOString().slice(0, 10),
    });
    let raw: string;
    try {
      raw = await this.generate(values, input);
    } catch (error) {
      if (input.signal?.aborted) throw abortReason(input.signal);
      return this.fallBack(input, this.noticeFor(this.classify(error)));
    }

    if (this.outageReported) {
      this.outageReported = false;
      this.logger.warn("llm: the language model answers again.");
    }
    const checked = checkCitations(raw, passages);
    if (checked.invalidNumbers.length > 0) {
      this.logger.warn(`llm: dropped citation numbers the model invented: ${checked.invalidNumbers.join(", ")} (given 1-${passages.length}).`);
    }
    if (checked.refused) return { mode: "llm", text: checked.text, citations: [], refused: true, outcome: "refuse" };
    if (checked.citations.length === 0) {
      this.logger.warn("llm: the model's answer cited no given passage; the extractive answer stands in.");
      return this.fallBack(input, LLM_NOTICES.uncited);
    }
    return { mode: "llm", text: checked.text, citations: checked.citations, refused: false, outcome: "answer" };
  }

  /**
   * Rewrites a follow-up into a standalone question with one short model call. On any failure
   * (or when the model is disabled) returns the question joined with the last turn's question.
   */
  async condense(question: string, history: readonly Turn[], signal?: AbortSignal): Promise<string> {
    if (history.length === 0) return question;
    const joined = `${question.trim()} ${history[history.length - 1].question.trim()}`;
    if (this.disabled) return joined;
    try {
      const raw = await withDeadline(this.condenseTimeoutMs, signal, (attemptSignal) =>
        this.condenseChain.invoke(condensePromptValues(question, history), { signal: attemptSignal }),
      );
      const standalone = cleanCondensed(raw);
      return standalone ?? joined;
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const failure = this.classify(error);
      this.noticeFor(failure); // logs and, for a rejected key, disables the model
      return joined;
    }
  }

  /**
   * One tiny model call to check the key, the base URL and the model at startup. Never throws and
   * logs nothing: the caller reports the failure in one line. A rejected key or unknown model
   * disables the model (answers fall back); an outage is not repeated by later fallbacks.
   */
  async probe(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; kind: OpenAIFailure["kind"]; message: string }> {
    try {
      await withDeadline(this.condenseTimeoutMs, signal, (attemptSignal) =>
        this.chat.invoke([["human", "Reply with the single word OK."]], { signal: attemptSignal }),
      );
      this.outageReported = false;
      return { ok: true };
    } catch (error) {
      const failure = this.classify(error);
      // A rejected key or unknown model is logged (and disables the model) here; an outage is
      // the caller's one line, and later fallbacks do not repeat it.
      if (failure.kind === "auth" || failure.kind === "not-found") this.disabled = failure.kind;
      else this.outageReported = true;
      return { ok: false, kind: failure.kind, message: failure.message };
    }
  }

  /** The model's whole answer text, streamed to `onPartial` when given; retried by the shared OpenAI policy until text was shown. */
  private async generate(values: Record<string, string>, input: AnswerInput): Promise<string> {
    let emitted = false;
    return callOpenAI(
      async (signal) => {
        if (!input.onPartial) return this.answerChain.invoke(values, { signal });
        let text = "";
        for await (const piece of await this.answerChain.stream(values, { signal })) {
          text += piece;
          const shown = displayPartial(text);
          if (shown) {
            emitted = true;
            this.emitPartial(input.onPartial, shown);
          }
        }
        return text;
      },
      {
        policy: this.retryPolicy,
        signal: input.signal,
        attemptTimeoutMs: this.timeoutMs,
        secrets: this.secrets,
        // After text was shown, a retry would restart the message: let the fallback answer instead.
        mayRetry: () => !emitted,
        onRetry: (failure, retry) => {
          if (!this.outageReported) this.logger.warn(`llm: ${failure.message}; retry ${retry.number} of ${retry.of} in ${retry.delayMs} ms.`);
        },
      },
    );
  }

  private classify(error: unknown): OpenAIFailure {
    return classifyFailure(error, this.secrets);
  }

  /** The notice for a failure; logs it, and logs a rejected key or unknown model once and stops calling the model. */
  private noticeFor(failure: OpenAIFailure): string {
    const message = scrubSecrets(failure.message, this.secrets);
    if (failure.kind === "auth" || failure.kind === "not-found") {
      if (!this.disabled) {
        this.disabled = failure.kind;
        this.logger.error(
          failure.kind === "auth"
            ? `llm: ${this.where} rejected OPENAI_API_KEY (${message}). Generative answers are off until the key is fixed and the bot restarted; extractive answers stand in.`
            : `llm: ${this.where} does not know CHAT_MODEL "${this.model}" (${message}); check CHAT_MODEL, and that OPENAI_BASE_URL ends in /v1. Generative answers are off; extractive answers stand in.`,
        );
      }
      return failure.kind === "auth" ? LLM_NOTICES.auth : LLM_NOTICES.failed;
    }
    const transient = failure.kind === "timeout" || failure.kind === "server" || failure.kind === "network";
    if (!(transient && this.outageReported)) this.logger.warn(`llm: ${message}; the extractive answer stands in.`);
    if (transient) this.outageReported = true;
    switch (failure.kind) {
      case "timeout":
        return LLM_NOTICES.timeout;
      case "rate-limit":
        return LLM_NOTICES.rateLimit;
      case "server":
      case "network":
        return LLM_NOTICES.unavailable;
      default:
        return LLM_NOTICES.failed;
    }
  }

  private emitPartial(onPartial: (text: string) => void, text: string): void {
    try {
      onPartial(text);
    } catch (error) {
      // A failed progress update (e.g. a message edit) must not cost the answer.
      this.logger.warn(`llm: onPartial failed: ${scrubSecrets(error instanceof Error ? error.message : String(error), this.secrets)}`);
    }
  }

  private async fallBack(input: AnswerInput, notice: string): Promise<AnswerResult> {
    const answer = await this.fallback.answer({ ...input, onPartial: undefined });
    return { ...answer, notice };
  }
}

/** The model's standalone question, or null when it gave nothing usable. */
function cleanCondensed(raw: string): string | null {
  const line = raw
    .split("\n")
    .map((part) => part.trim())
    .find(Boolean);
  if (!line) return null;
  const question = line
    .replace(/^(?:standalone question|question|вопрос)\s*:\s*/i, "")
    .replace(/^["'«“]+|["'»”]+$/g, "")
    .trim();
  return question && question.length <= LLM_ANSWERER_DEFAULTS.maxCondensedChars ? question : null;
}
