/**
 * The one retry and deadline policy for OpenAI requests, used by the embedder and the
 * generative answerer: p-retry counts the attempts and stops on the caller's signal; each
 * attempt has its own deadline (`AbortSignal.timeout`); only failures classified retryable
 * (429, 5xx, network; timeouts where the caller allows) are retried, after a full-jitter
 * exponential backoff that is at least the server's `retry-after` and gives up when the
 * server asks for longer than the cap.
 */
import pRetry from "p-retry";
import { setTimeout as sleep } from "node:timers/promises";
import { classifyOpenAIError, retryDelayMs, type OpenAIFailure } from "./errors.ts";

/** How failed OpenAI requests are retried. */
export interface OpenAIRetryPolicy {
  /** Retries after the first attempt; default 2. */
  maxRetries: number;
  /** First retry delay in milliseconds, doubled each retry, with jitter; default 500. */
  baseDelayMs: number;
  /** Longest wait before a retry in milliseconds; a `retry-after` beyond it is not waited for. Default 10000. */
  maxDelayMs: number;
  /** Retry an attempt that ran past its deadline; default false (a person is waiting for the answer). */
  retryTimeouts: boolean;
}

/** Two quick retries within ten seconds: enough for a blip, short enough for someone waiting on an answer. */
export const DEFAULT_OPENAI_RETRY_POLICY: Readonly<OpenAIRetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  retryTimeouts: false,
});

/** An attempt ran past its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

/** The request failed for good (not retryable, retries spent, or a `retry-after` past the cap); carries the classified cause. */
export class OpenAIRequestFailed extends Error {
  override readonly name = "OpenAIRequestFailed";
  constructor(readonly failure: OpenAIFailure) {
    super(failure.message);
  }
}

/** Classifies any error an attempt can end with: a deadline, an earlier classified failure, or an SDK/LangChain error. */
export function classifyFailure(error: unknown, secrets: readonly (string | null | undefined)[]): OpenAIFailure {
  if (error instanceof OpenAIRequestFailed) return error.failure;
  if (error instanceof DeadlineExceeded) return { kind: "timeout", message: `timeout: ${error.message}`, retryable: false };
  return classifyOpenAIError(error, { secrets });
}

export interface RetryingCallOptions {
  policy?: Partial<OpenAIRetryPolicy>;
  /** The caller's cancellation: stops the attempt and any wait, and rejects with its reason. */
  signal?: AbortSignal;
  /** Deadline of each attempt in milliseconds; absent: the attempt's own (e.g. the SDK's `timeout`). */
  attemptTimeoutMs?: number;
  /** Scrubbed from every message (the API key). */
  secrets: readonly (string | null | undefined)[];
  /** Asked before a retry that the policy allows; false ends the call (e.g. streamed text was already shown). */
  mayRetry?: (failure: OpenAIFailure) => boolean;
  /** Told before each wait: the failure, which retry comes (1-based) of how many, and the wait in milliseconds. */
  onRetry?: (failure: OpenAIFailure, retry: { number: number; of: number; delayMs: number }) => void;
}

/**
 * Runs `attempt` until it succeeds or the policy gives up, then rejects with `OpenAIRequestFailed`
 * (or with the caller's abort reason once `signal` aborted). `attempt` gets the signal to pass to
 * the request: the caller's, combined with the attempt's deadline.
 */
export async function callOpenAI<T>(attempt: (signal: AbortSignal | undefined) => Promise<T>, options: RetryingCallOptions): Promise<T> {
  const policy = { ...DEFAULT_OPENAI_RETRY_POLICY, ...options.policy };
  const { signal, secrets } = options;
  try {
    return await pRetry(
      () => (options.attemptTimeoutMs === undefined ? attempt(signal) : withDeadline(options.attemptTimeoutMs, signal, attempt)),
      {
        retries: policy.maxRetries,
        signal,
        // The wait is ours (below), so that it honours `retry-after`; p-retry adds none.
        minTimeout: 0,
        factor: 1,
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (signal?.aborted) return false;
          const failure = classifyFailure(error, secrets);
          const retryable = failure.retryable || (failure.kind === "timeout" && policy.retryTimeouts);
          if (!retryable || (options.mayRetry && !options.mayRetry(failure))) return false;
          const delayMs = retryDelayMs(retriesConsumed, { baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs, retryAfterMs: failure.retryAfterMs });
          if (delayMs === null) return false;
          options.onRetry?.(failure, { number: retriesConsumed + 1, of: policy.maxRetries, delayMs });
          await sleep(delayMs, undefined, signal ? { signal } : undefined);
          return true;
        },
      },
    );
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    throw new OpenAIRequestFailed(classifyFailure(error, secrets));
  }
}

/** Runs `run` with a signal that aborts after `timeoutMs` (AbortSignal.timeout) or with `signal`; rejects at the deadline even if `run` ignores it. */
export async function withDeadline<T>(timeoutMs: number, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => reject(combined.reason);
    if (combined.aborted) onAbort();
    else combined.addEventListener("abort", onAbort, { once: true });
  });
  stop.catch(() => undefined);
  try {
    return await Promise.race([run(combined), stop]);
  } catch (error) {
    if (deadline.aborted && !signal?.aborted) throw new DeadlineExceeded(`no answer within ${timeoutMs} ms`);
    throw error;
  } finally {
    if (onAbort) combined.removeEventListener("abort", onAbort);
  }
}

/** The reason an aborted signal carries, or a standard AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}
