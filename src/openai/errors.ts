/**
 * The one home of OpenAI failure handling, shared by the embedder and the generative answerer:
 * what kind of failure an SDK/LangChain error is, whether it is worth a retry and after how
 * long, with every secret scrubbed from the message.
 */
import { scrubSecrets } from "../secrets.ts";

export { scrubSecrets } from "../secrets.ts";

/** What went wrong in one OpenAI request, for retry decisions, notices and logs. */
export interface OpenAIFailure {
  kind: "auth" | "rate-limit" | "server" | "timeout" | "network" | "not-found" | "bad-request" | "cancelled" | "unknown";
  /** HTTP status when the server answered. */
  status?: number;
  /** The server's `retry-after` (or `retry-after-ms`) hint, in milliseconds. */
  retryAfterMs?: number;
  /** One line for logs: status and the server's message, with every secret replaced by `***`. */
  message: string;
  /** Worth another attempt: 429, 5xx, network errors. */
  retryable: boolean;
}

/** Classifies an error thrown by the OpenAI SDK or LangChain's OpenAI classes. `secrets` (the API key) never reach `message`. */
export function classifyOpenAIError(error: unknown, options: { secrets?: readonly (string | null | undefined)[] } = {}): OpenAIFailure {
  const record = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const status = typeof record.status === "number" ? record.status : undefined;
  const name = typeof record.name === "string" ? record.name : "";
  const constructorName = typeof record.constructor === "function" ? record.constructor.name : "";
  const rawMessage = error instanceof Error ? error.message : typeof error === "string" ? error : String(error);
  // The SDK starts its messages with the status ("401 Incorrect API key…"); the prefix below says it once.
  const message = scrubSecrets(firstLine(rawMessage), options.secrets ?? [])
    .replace(/^\d{3}\s+/, "")
    .replace(/[.\s]+$/, "");
  const retryAfterMs = readRetryAfterMs(record.headers);

  let kind: OpenAIFailure["kind"];
  if (status === 401 || status === 403) kind = "auth";
  else if (status === 429) kind = "rate-limit";
  else if (status !== undefined && status >= 500) kind = "server";
  else if (status === 404) kind = "not-found";
  else if (status !== undefined && status >= 400) kind = "bad-request";
  else if (name === "TimeoutError" || constructorName === "APIConnectionTimeoutError") kind = "timeout";
  else if (name === "AbortError" || constructorName === "APIUserAbortError") kind = "cancelled";
  else if (constructorName === "APIConnectionError" || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|fetch failed|socket|network|terminated/i.test(rawMessage))
    kind = "network";
  else kind = "unknown";

  const retryable = kind === "rate-limit" || kind === "server" || kind === "network";
  const prefix = status !== undefined ? `HTTP ${status}: ` : kind === "unknown" ? "" : `${kind}: `;
  return { kind, status, retryAfterMs, message: `${prefix}${message}`, retryable };
}

function readRetryAfterMs(headers: unknown): number | undefined {
  const get = (name: string): string | null => {
    if (!headers || typeof headers !== "object") return null;
    if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : null;
  };
  const ms = Number(get("retry-after-ms"));
  if (get("retry-after-ms") !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const value = get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function firstLine(text: string): string {
  const line = text.split("\n")[0].trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Full-jitter exponential backoff of attempt `attempt` (0-based), at least the server's `retry-after`, capped; null when the server asks for longer than the cap. */
export function retryDelayMs(attempt: number, options: { baseDelayMs: number; maxDelayMs: number; retryAfterMs?: number; random?: () => number }): number | null {
  const { baseDelayMs, maxDelayMs, retryAfterMs } = options;
  if (retryAfterMs !== undefined && retryAfterMs > maxDelayMs) return null;
  const backoff = baseDelayMs * 2 ** attempt * (0.5 + (options.random ?? Math.random)() / 2);
  return Math.round(Math.min(Math.max(backoff, retryAfterMs ?? 0), maxDelayMs));
}
