/**
 * grammY API transformers of the bot (installed by `createBot`, innermost first): one that logs
 * an unreachable or stalled Bot API once per outage, one that journals fetched updates before
 * the runner confirms them, and one that aborts every call and retry wait at shutdown.
 */
import { HttpError, type Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "pino";
import { errorFields } from "./logger.ts";
import type { UpdateJournal } from "./update-journal.ts";

/** How @grammyjs/auto-retry retries a network failure: after 3 s, doubling, at most an hour apart. */
export const NETWORK_RETRY_SCHEDULE = "retrying after 3 s, then 6 s, 12 s, … doubling up to once an hour";

/** Why a network request failed, in a few words (never the URL, which holds the token). */
function reasonOf(error: HttpError): string {
  const cause = error.error as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string" && /timed out/.test(cause.message)) return cause.message;
  return error.message;
}

/**
 * Logs the first failure to reach the Bot API (refused connection, DNS, a `getUpdates` that
 * hangs past the request timeout) once, with `TELEGRAM_API_ROOT` and the retry schedule, and
 * the recovery once. Install it before auto-retry so that it sees every attempt.
 */
export function watchApiReachability(options: { logger: Logger; apiRoot: string; now?: () => number }): Transformer {
  const now = options.now ?? Date.now;
  let downSince: number | undefined;
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (downSince !== undefined) {
        options.logger.info({ event: "api_reachable", downMs: now() - downSince }, `The Telegram Bot API at ${options.apiRoot} answers again.`);
        downSince = undefined;
      }
      return result;
    } catch (error) {
      if (error instanceof HttpError && !signal?.aborted && downSince === undefined) {
        downSince = now();
        const reason = reasonOf(error);
        options.logger.error(
          { event: "api_unreachable", method, apiRoot: options.apiRoot, reason },
          `Cannot reach the Telegram Bot API at TELEGRAM_API_ROOT=${options.apiRoot} (${method}: ${reason}); ${NETWORK_RETRY_SCHEDULE}.`,
        );
      }
      throw error;
    }
  };
}

/**
 * Journals the updates each `getUpdates` returns, durably, before handing them to the runner:
 * the runner's next `getUpdates` tells Telegram to forget them, and by then they are on disk.
 * A journal that cannot be written fails the call, so the runner fetches the same updates again.
 */
export function journalUpdates(journal: UpdateJournal, logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (method === "getUpdates" && result.ok) {
      try {
        await journal.received(result.result as Update[]);
      } catch (error) {
        logger.error({ event: "journal_failed", err: errorFields(error) }, `Cannot write the update journal ${journal.file}; fetching the updates again.`);
        throw error;
      }
    }
    return result;
  };
}

/** Adds `signal` to every call, so that aborting it cancels requests and auto-retry's waits. Install it last (outermost). */
export function abortOn(signal: AbortSignal): Transformer {
  return async (prev, method, payload, callSignal) => {
    if (!callSignal) return prev(method, payload, grammySignal(signal));
    // Merged by hand: the caller's signal may be the abort-controller shim's, which AbortSignal.any rejects.
    const merged = new AbortController();
    const abort = (): void => merged.abort();
    const sources = [signal, callSignal as unknown as AbortSignal];
    for (const source of sources) {
      if (source.aborted) merged.abort();
      else source.addEventListener("abort", abort, { once: true });
    }
    try {
      return await prev(method, payload, grammySignal(merged.signal));
    } finally {
      for (const source of sources) source.removeEventListener("abort", abort);
    }
  };
}

/** A Node AbortSignal typed as grammY's (which types signals with the abort-controller shim; at run time they are Node's). */
export const grammySignal = (signal: AbortSignal): NonNullable<Parameters<Transformer>[3]> => signal as unknown as NonNullable<Parameters<Transformer>[3]>;
