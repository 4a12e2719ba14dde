/**
 * OpenAI embeddings (or any OpenAI-compatible server's) as a LangChain `Embeddings` that
 * knows its identity (`id`) and vector size (`dimensions`), so an index manifest can
 * record which embedder built it. Also the classification of OpenAI client errors shared
 * with the generative answerer, with the API key scrubbed from every message.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { AppError } from "../errors.ts";
import { scrubSecrets } from "../secrets.ts";

export { scrubSecrets } from "../secrets.ts";

/** Native vector sizes of OpenAI's embedding models; other models are probed once by `init()`. */
export const KNOWN_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = Object.freeze({
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
});

export interface OpenAIEmbedderOptions {
  apiKey: string;
  /** Base URL of an OpenAI-compatible server including `/v1`; null or absent means OpenAI's own. */
  baseUrl?: string | null;
  /** Embedding model, e.g. `text-embedding-3-small`. */
  model: string;
  /** Timeout of one request in milliseconds. */
  timeoutMs: number;
  /** Ask for shorter vectors (text-embedding-3 models only); absent means the model's native size. */
  dimensions?: number;
  /** Texts per request, default 256 (OpenAI allows up to 2048). */
  batchSize?: number;
  /** Retries of a failed request (429, 5xx, network), with exponential backoff; default 2. */
  maxRetries?: number;
  /** Requests in flight at once, default 2. */
  maxConcurrency?: number;
  /** Appended to the message of a failed request: what the operator can do (e.g. "set EMBEDDINGS=local …"). */
  fixHint?: string;
}

/** The embedder `createOpenAIEmbedder` returns; `dimensions` is known once `init()` resolved (at once for known models). */
export class OpenAIEmbedder extends Embeddings {
  /** Identity recorded in the index manifest: `openai:<model>`, plus `:<dimensions>` when shortened vectors were asked for. */
  readonly id: string;
  readonly model: string;
  private readonly inner: OpenAIEmbeddings;
  private readonly apiKey: string;
  private readonly fixHint: string | undefined;
  private knownDimensions: number | null;

  constructor(options: OpenAIEmbedderOptions) {
    super({ maxRetries: 0 });
    if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1)) {
      throw new AppError("CONFIG", `Embedding dimensions must be a positive whole number (got ${options.dimensions}).`);
    }
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.fixHint = options.fixHint;
    this.id = options.dimensions !== undefined ? `openai:${options.model}:${options.dimensions}` : `openai:${options.model}`;
    this.knownDimensions = options.dimensions ?? KNOWN_EMBEDDING_DIMENSIONS[options.model] ?? null;
    this.inner = new OpenAIEmbeddings({
      apiKey: options.apiKey,
      model: options.model,
      dimensions: options.dimensions,
      timeout: options.timeoutMs,
      batchSize: options.batchSize ?? 256,
      maxRetries: options.maxRetries ?? 2,
      maxConcurrency: options.maxConcurrency ?? 2,
      // Compatible servers (Ollama, llama.cpp, vLLM) all speak "float"; the SDK's default base64 is not universal.
      encodingFormat: "float",
      configuration: options.baseUrl ? { baseURL: options.baseUrl } : undefined,
    });
  }

  /** Vector size. Throws for a model outside KNOWN_EMBEDDING_DIMENSIONS until `init()` (or a first embedding) discovered it. */
  get dimensions(): number {
    if (this.knownDimensions === null) {
      throw new AppError("EMBEDDINGS", `The vector size of embedding model "${this.model}" is not known yet: await init() first.`);
    }
    return this.knownDimensions;
  }

  /** Discovers the vector size with one probe embedding when the model is not a known one; no request otherwise. */
  async init(): Promise<this> {
    if (this.knownDimensions === null) await this.embedQuery("dimension probe");
    return this;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const vectors = await this.call(() => this.inner.embedDocuments(texts));
    if (vectors.length !== texts.length) {
      throw new AppError("EMBEDDINGS", `The embedding server returned ${vectors.length} vectors for ${texts.length} texts (model "${this.model}").`);
    }
    for (const vector of vectors) this.checkSize(vector);
    return vectors;
  }

  override async embedQuery(text: string): Promise<number[]> {
    const vector = await this.call(() => this.inner.embedQuery(text));
    this.checkSize(vector);
    return vector;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = classifyOpenAIError(error, { secrets: [this.apiKey] });
      const hint = this.fixHint && failure.kind !== "bad-request" && failure.kind !== "cancelled" ? `; ${this.fixHint}` : "";
      throw new AppError("EMBEDDINGS", `OpenAI embeddings request failed (model "${this.model}"): ${failure.message}${hint}`, {
        userMessage: "The embedding service is not available right now. Please try again later.",
      });
    }
  }

  private checkSize(vector: number[]): void {
    if (this.knownDimensions === null) {
      if (vector.length === 0) throw new AppError("EMBEDDINGS", `The embedding server returned an empty vector (model "${this.model}").`);
      this.knownDimensions = vector.length;
    } else if (vector.length !== this.knownDimensions) {
      throw new AppError(
        "EMBEDDINGS",
        `The embedding server returned ${vector.length}-dimensional vectors for model "${this.model}", expected ${this.knownDimensions}. Check EMBEDDING_MODEL and OPENAI_BASE_URL.`,
      );
    }
  }
}

/** Builds the OpenAI embedder; call `await embedder.init()` before reading `dimensions` of a model it does not know. */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): OpenAIEmbedder {
  return new OpenAIEmbedder(options);
}

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
