/**
 * A fake OpenAI-compatible HTTP server on 127.0.0.1:0 for tests: `/v1/chat/completions`
 * (plain JSON and SSE streaming) and `/v1/embeddings` (deterministic vectors from a hash
 * of the input). It records every request and answers from a scriptable queue, so a test
 * can provoke a 429, a 500, a 401 or a slow answer and then assert on what was sent.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer. Unscripted requests get the server's default reply. */
export interface FakeReply {
  /** Assistant text (chat) returned with status 200; default `defaultChatText`. */
  text?: string;
  /** HTTP status; anything but 200 sends an OpenAI-style error body. Default 200. */
  status?: number;
  /** `retry-after` header, in seconds (for 429 and 503). */
  retryAfterSeconds?: number;
  /** Error message in the error body; default a generic one per status. */
  errorMessage?: string;
  /** Wait this long before sending anything (provokes client timeouts). Default 0. */
  delayMs?: number;
  /** Streaming only: pieces the text is sent in; default split after each word. */
  chunks?: string[];
  /** Streaming only: wait this long between pieces. Default 0. */
  chunkDelayMs?: number;
  /** Embeddings only: answer with vectors of this size whatever the model (a mislabelled server). */
  dimensions?: number;
}

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  body: any;
}

export interface FakeOpenAIServerOptions {
  /** Chat text when no reply is scripted. Default `"The fake model has nothing to add [1]."`. */
  defaultChatText?: string;
  /** Embedding dimension for models not in the known list, unless the request sends `dimensions`. Default 64. */
  defaultDimensions?: number;
  /** When set, a request whose bearer token differs is answered 401 (the message echoes the token, as a careless server might). */
  requiredApiKey?: string;
}

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>`; clients use `url + "/v1"` as their base URL. */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests to `/v1/chat/completions` only. */
  readonly chatRequests: RecordedRequest[];
  /** Requests to `/v1/embeddings` only. */
  readonly embeddingRequests: RecordedRequest[];
  /** Queue replies for chat completions, answered in order. */
  scriptChat(...replies: FakeReply[]): void;
  /** Queue replies for embeddings (`status`, `retryAfterSeconds`, `errorMessage`, `delayMs`, `dimensions` apply). */
  scriptEmbeddings(...replies: FakeReply[]): void;
  /** Forget recorded requests and scripted replies. */
  reset(): void;
  close(): Promise<void>;
}

/** Dimensions the fake reports for OpenAI's own embedding models. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

/** A unit vector derived from the text alone: the same text always gives the same vector. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block += 1) {
    const digest = createHash("sha256").update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && values.length < dimensions; i += 2) {
      values.push(digest.readUInt16BE(i) / 32767.5 - 1);
    }
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const defaultChatText = options.defaultChatText ?? "The fake model has nothing to add [1].";
  const defaultDimensions = options.defaultDimensions ?? 64;
  const requests: RecordedRequest[] = [];
  let chatQueue: FakeReply[] = [];
  let embeddingQueue: FakeReply[] = [];
  const sockets = new Set<import("node:net").Socket>();
  let sequence = 0;

  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const path = (req.url ?? "/").split("?")[0];
    requests.push({ method: req.method ?? "GET", path, headers: req.headers, body });

    if (options.requiredApiKey !== undefined) {
      const token = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (token !== options.requiredApiKey) {
        sendError(res, { status: 401, errorMessage: `Incorrect API key provided: ${token}.` });
        return;
      }
    }

    if (req.method === "POST" && path === "/v1/chat/completions") {
      const reply = chatQueue.shift() ?? {};
      await sleep(reply.delayMs ?? 0);
      if (res.destroyed) return;
      if ((reply.status ?? 200) !== 200) {
        sendError(res, reply);
        return;
      }
      const text = reply.text ?? defaultChatText;
      const id = `chatcmpl-fake-${(sequence += 1)}`;
      const model = typeof body?.model === "string" ? body.model : "fake-model";
      if (body?.stream === true) {
        await streamChat(res, { id, model, text, chunks: reply.chunks, chunkDelayMs: reply.chunkDelayMs ?? 0 });
      } else {
        sendJson(res, 200, {
          id,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        });
      }
      return;
    }

    if (req.method === "POST" && path === "/v1/embeddings") {
      const reply = embeddingQueue.shift() ?? {};
      await sleep(reply.delayMs ?? 0);
      if (res.destroyed) return;
      if ((reply.status ?? 200) !== 200) {
        sendError(res, reply);
        return;
      }
      const model = typeof body?.model === "string" ? body.model : "unknown";
      const dimensions =
        reply.dimensions ??
        (typeof body?.dimensions === "number" ? body.dimensions : KNOWN_DIMENSIONS[model] ?? defaultDimensions);
      const inputs: string[] = Array.isArray(body?.input) ? body.input.map(String) : [String(body?.input ?? "")];
      const base64 = body?.encoding_format === "base64";
      sendJson(res, 200, {
        object: "list",
        model,
        data: inputs.map((input, index) => {
          const vector = fakeEmbedding(input, dimensions);
          return {
            object: "embedding",
            index,
            embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector,
          };
        }),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
      return;
    }

    sendError(res, { status: 404, errorMessage: `Unknown route ${req.method} ${path}` });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get chatRequests() {
      return requests.filter((request) => request.path === "/v1/chat/completions");
    },
    get embeddingRequests() {
      return requests.filter((request) => request.path === "/v1/embeddings");
    },
    scriptChat: (...replies) => void chatQueue.push(...replies),
    scriptEmbeddings: (...replies) => void embeddingQueue.push(...replies),
    reset() {
      requests.length = 0;
      chatQueue = [];
      embeddingQueue = [];
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function streamChat(
  res: http.ServerResponse,
  reply: { id: string; model: string; text: string; chunks?: string[]; chunkDelayMs: number },
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const created = Math.floor(Date.now() / 1000);
  const event = (delta: object, finishReason: string | null) =>
    `data: ${JSON.stringify({
      id: reply.id,
      object: "chat.completion.chunk",
      created,
      model: reply.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })}\n\n`;
  const pieces = reply.chunks ?? (reply.text.match(/\S+\s*|\s+/g) ?? [""]);
  res.write(event({ role: "assistant", content: "" }, null));
  for (const piece of pieces) {
    if (reply.chunkDelayMs > 0) await sleep(reply.chunkDelayMs);
    if (res.destroyed) return;
    res.write(event({ content: piece }, null));
  }
  res.write(event({}, "stop"));
  res.write("data: [DONE]\n\n");
  res.end();
}

function sendError(res: http.ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 500;
  const headers: Record<string, string> = {};
  if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
  const defaults: Record<number, [string, string | null]> = {
    401: ["invalid_request_error", "invalid_api_key"],
    404: ["invalid_request_error", "model_not_found"],
    429: ["rate_limit_error", "rate_limit_exceeded"],
  };
  const [type, code] = defaults[status] ?? ["server_error", null];
  sendJson(res, status, { error: { message: reply.errorMessage ?? `Fake error ${status}`, type, param: null, code } }, headers);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
