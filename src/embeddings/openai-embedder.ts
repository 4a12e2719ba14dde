/**
 * OpenAI embeddings (or any OpenAI-compatible server's) as a LangChain `Embeddings` that
 * knows its identity (`id`) and vector size (`dimensions`), so an index manifest can
 * record which embedder built it. Its requests are retried, and their errors classified, by
 * src/openai/retry.ts, as the generative answerer's are.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { OpenAIEmbeddings } from "@langchain/openai";
import { AppError } from "../errors.ts";
import { callOpenAI, DEFAULT_OPENAI_RETRY_POLICY, OpenAIRequestFailed, type OpenAIRetryPolicy } from "../openai/retry.ts";

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
  /** Retries of a failed request (429, 5xx, network, timeout), with exponential backoff; default 2. */
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
  private readonly batchSize: number;
  private readonly retryPolicy: OpenAIRetryPolicy;
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
    this.batchSize = options.batchSize ?? 256;
    this.retryPolicy = {
      ...DEFAULT_OPENAI_RETRY_POLICY,
      maxRetries: options.maxRetries ?? DEFAULT_OPENAI_RETRY_POLICY.maxRetries,
      // An index build has no one waiting on each request: a slow batch is tried again, and a
      // rate limit's retry-after is waited for up to a minute (LangChain's own threshold).
      retryTimeouts: true,
      maxDelayMs: 60_000,
    };
    this.inner = new OpenAIEmbeddings({
      apiKey: options.apiKey,
      model: options.model,
      dimensions: options.dimensions,
      timeout: options.timeoutMs,
      batchSize: this.batchSize,
      // Retries are src/openai/retry.ts's, per batch; LangChain's caller still bounds the requests in flight.
      maxRetries: 0,
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
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) batches.push(texts.slice(start, start + this.batchSize));
    // Each batch is one request, retried on its own; the inner caller runs `maxConcurrency` at a time.
    const vectors = (await Promise.all(batches.map((batch) => this.call(() => this.inner.embedDocuments(batch))))).flat();
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
      return await callOpenAI(() => request(), { policy: this.retryPolicy, secrets: [this.apiKey] });
    } catch (error) {
      if (!(error instanceof OpenAIRequestFailed)) throw error;
      const failure = error.failure;
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
