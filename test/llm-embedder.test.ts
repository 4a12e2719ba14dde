import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "../src/embeddings/openai-embedder.ts";
import { classifyOpenAIError, retryDelayMs } from "../src/openai/errors.ts";
import { callOpenAI, OpenAIRequestFailed } from "../src/openai/retry.ts";
import { fakeEmbedding, startFakeOpenAIServer, type FakeOpenAIServer } from "./fakes/openai-server.ts";

const API_KEY = "sk-embed-SECRET-0123456789abcdef";
let server: FakeOpenAIServer;

const embedder = (overrides: Partial<OpenAIEmbedderOptions> = {}) =>
  createOpenAIEmbedder({ apiKey: API_KEY, baseUrl: `${server.url}/v1`, model: "text-embedding-3-small", timeoutMs: 1_000, ...overrides });

before(async () => {
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

describe("OpenAI embedder", () => {
  it("knows the vector size of OpenAI's models without a request, and embeds through the server", async () => {
    const small = await embedder().init();
    assert.equal(small.id, "openai:text-embedding-3-small");
    assert.equal(small.dimensions, 1536);
    assert.equal(server.requests.length, 0, "no probe for a known model");

    const vectors = await small.embedDocuments(["Japarov in Beijing", "Xi in Bishkek", "forum"]);
    assert.equal(vectors.length, 3);
    assert.ok(vectors.every((vector) => vector.length === 1536));
    assert.deepEqual(vectors[0], fakeEmbedding("Japarov in Beijing", 1536));
    const [request] = server.embeddingRequests;
    assert.deepEqual(request.body.input, ["Japarov in Beijing", "Xi in Bishkek", "forum"]);
    assert.equal(request.body.model, "text-embedding-3-small");
    assert.equal(request.body.encoding_format, "float");
    assert.equal(request.body.dimensions, undefined);

    const large = createOpenAIEmbedder({ apiKey: API_KEY, baseUrl: `${server.url}/v1`, model: "text-embedding-3-large", timeoutMs: 1_000 });
    assert.equal(large.dimensions, 3072);
  });

  it("discovers the size of an unknown model (e.g. on a local server) with one probe at init", async () => {
    const local = embedder({ model: "nomic-embed-text" });
    assert.throws(() => local.dimensions, /await init\(\) first/);
    await local.init();
    assert.equal(local.dimensions, 64);
    assert.equal(local.id, "openai:nomic-embed-text");
    assert.equal(server.embeddingRequests.length, 1);
    assert.equal((await local.embedQuery("Bishkek")).length, 64);
  });

  it("asks for shorter vectors when `dimensions` is set, and says so in its id", async () => {
    const short = await embedder({ dimensions: 256 }).init();
    assert.equal(short.id, "openai:text-embedding-3-small:256");
    assert.equal(short.dimensions, 256);
    assert.equal((await short.embedQuery("Osh")).length, 256);
    assert.equal(server.embeddingRequests[0].body.dimensions, 256);
  });

  it("splits large inputs into batches", async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `text ${i}`);
    const vectors = await embedder({ batchSize: 3 }).embedDocuments(texts);
    assert.equal(vectors.length, 7);
    assert.deepEqual(server.embeddingRequests.map((request) => request.body.input.length).sort(), [1, 3, 3]);
    assert.deepEqual(vectors[6], fakeEmbedding("text 6", 1536));
  });

  it("rejects vectors of the wrong size with an error that names both sizes", async () => {
    server.scriptEmbeddings({ dimensions: 768 });
    await assert.rejects(embedder().embedQuery("Bishkek"), /768-dimensional vectors for model "text-embedding-3-small", expected 1536/);
  });

  it("reports a rejected key clearly, without the key", async () => {
    const keyed = await startFakeOpenAIServer({ requiredApiKey: "sk-the-right-key-000000" });
    try {
      const rejected = createOpenAIEmbedder({ apiKey: API_KEY, baseUrl: `${keyed.url}/v1`, model: "text-embedding-3-small", timeoutMs: 1_000, maxRetries: 0 });
      await assert.rejects(rejected.embedQuery("x"), (error: Error) => {
        assert.match(error.message, /HTTP 401/);
        assert.ok(!error.message.includes(API_KEY), error.message);
        assert.ok(!error.message.includes("SECRET"), error.message);
        return true;
      });
    } finally {
      await keyed.close();
    }
  });
});

describe("the shared OpenAI retry policy", () => {
  it("the embedder retries a 500 and a timed-out batch, each batch on its own, and not a 400", async () => {
    server.scriptEmbeddings({ status: 500 }, {});
    assert.equal((await embedder({ maxRetries: 1 }).embedQuery("Osh")).length, 1536);
    assert.equal(server.embeddingRequests.length, 2);

    server.reset();
    server.scriptEmbeddings({ delayMs: 400 }, {});
    assert.equal((await embedder({ timeoutMs: 150, maxRetries: 1 }).embedQuery("Osh")).length, 1536, "an index build retries a slow batch");

    server.reset();
    server.scriptEmbeddings({}, { status: 503 }, {});
    const vectors = await embedder({ batchSize: 2, maxRetries: 1, maxConcurrency: 1 }).embedDocuments(["a", "b", "c", "d"]);
    assert.equal(vectors.length, 4);
    assert.deepEqual(server.embeddingRequests.map((request) => request.body.input), [["a", "b"], ["c", "d"], ["c", "d"]], "only the failed batch again");

    server.reset();
    server.scriptEmbeddings({ status: 400, errorMessage: "input too long" });
    await assert.rejects(embedder({ maxRetries: 2 }).embedQuery("x"), /HTTP 400: input too long/);
    assert.equal(server.embeddingRequests.length, 1, "a bad request is not retried");
  });

  it("waits at least the server's retry-after, asks mayRetry, and stops on the caller's signal", async () => {
    const rateLimited = () => Object.assign(new Error("429 slow down"), { status: 429, headers: new Headers({ "retry-after-ms": "120" }) });
    const waits: number[] = [];
    let calls = 0;
    const started = Date.now();
    const result = await callOpenAI(async () => (++calls < 2 ? Promise.reject(rateLimited()) : "ok"), {
      secrets: [],
      policy: { baseDelayMs: 1 },
      onRetry: (_failure, retry) => waits.push(retry.delayMs),
    });
    assert.equal(result, "ok");
    assert.deepEqual(waits, [120]);
    assert.ok(Date.now() - started >= 110);

    calls = 0;
    await assert.rejects(
      callOpenAI(async () => ++calls && Promise.reject(rateLimited()), { secrets: [], mayRetry: () => false }),
      (error: unknown) => error instanceof OpenAIRequestFailed && error.failure.kind === "rate-limit",
    );
    assert.equal(calls, 1);

    const controller = new AbortController();
    const stopped = callOpenAI(async () => Promise.reject(rateLimited()), { secrets: [], signal: controller.signal, policy: { baseDelayMs: 5_000, maxDelayMs: 5_000 } });
    setTimeout(() => controller.abort(new Error("user left")), 20);
    await assert.rejects(stopped, /user left/);
  });
});

describe("classifyOpenAIError", () => {
  it("retry delays back off, honour retry-after, and give up on one longer than the cap", () => {
    const fixed = { baseDelayMs: 500, maxDelayMs: 10_000, random: () => 1 };
    assert.deepEqual([0, 1, 2].map((attempt) => retryDelayMs(attempt, fixed)), [500, 1000, 2000]);
    assert.equal(retryDelayMs(0, { ...fixed, retryAfterMs: 3000 }), 3000);
    assert.equal(retryDelayMs(10, fixed), 10_000);
    assert.equal(retryDelayMs(0, { ...fixed, retryAfterMs: 60_000 }), null);
  });

  it("scrubs the key and reads retry-after", () => {
    const error = Object.assign(new Error(`429 Too many requests for key ${API_KEY}`), {
      status: 429,
      headers: new Headers({ "retry-after": "2" }),
    });
    const failure = classifyOpenAIError(error, { secrets: [API_KEY] });
    assert.equal(failure.kind, "rate-limit");
    assert.equal(failure.retryable, true);
    assert.equal(failure.retryAfterMs, 2000);
    assert.equal(failure.message, "HTTP 429: Too many requests for key [REDACTED]");
  });
});
