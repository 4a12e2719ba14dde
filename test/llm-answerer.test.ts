import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import type { Answerability } from "../src/answering/answerability.ts";
import { defaultKnowledge } from "../src/knowledge/load-knowledge.ts";
import { analyseQuestion } from "../src/question/analyse-question.ts";
import type { AnswerInput, Answerer } from "../src/answering/answerer.ts";
import { LLM_NOTICES, LlmAnswerer, type LlmAnswererOptions, type LlmLogger } from "../src/answering/llm-answerer.ts";
import type { Passage } from "../src/domain.ts";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "./fakes/openai-server.ts";

const API_KEY = "sk-test-SECRET-0123456789abcdef";

function passage(n: number, publishedOn: string, text: string): Passage {
  const docId = `news/${publishedOn}_${n}`;
  return {
    score: 1 / n,
    chunk: {
      id: `${docId}#0`,
      docId,
      title: `Visit news ${n}`,
      publishedOn,
      sourceName: "Xinhua",
      sourceUrl: `https://example.org/${n}`,
      ordinal: 0,
      text,
      start: 0,
      end: text.length,
    },
  };
}

const passages = [
  passage(1, "2025-09-03", "On 3 September 2025, President Sadyr Japarov arrived in Beijing for a state visit."),
  passage(2, "2025-02-04", "Xi Jinping and Sadyr Japarov signed a joint statement in Beijing on 4 February 2025."),
  passage(3, "2024-05-17", "A Kyrgyz-Chinese business forum opened in Bishkek."),
];

/** A stand-in for the extractive answerer: records its calls and answers with a fixed text. */
class RecordingFallback implements Answerer {
  readonly mode = "extractive" as const;
  readonly calls: AnswerInput[] = [];
  async answer(input: AnswerInput) {
    this.calls.push(input);
    if (input.decision.outcome === "refuse") {
      return { mode: this.mode, text: "The documents do not cover this question.", citations: [], refused: true, outcome: "refuse" as const };
    }
    const chunk = input.passages[0].chunk;
    return {
      mode: this.mode,
      text: `${chunk.text} [1]`,
      citations: [
        { n: 1, docId: chunk.docId, title: chunk.title, date: chunk.publishedOn, source: chunk.sourceUrl, quote: chunk.text, chunkId: chunk.id },
      ],
      refused: false,
      outcome: "answer" as const,
    };
  }
}

class RecordingLogger implements LlmLogger {
  readonly lines: string[] = [];
  warn(message: string) {
    this.lines.push(`warn ${message}`);
  }
  error(message: string) {
    this.lines.push(`error ${message}`);
  }
}

let server: FakeOpenAIServer;
let fallback: RecordingFallback;
let logger: RecordingLogger;

function answerer(overrides: Partial<LlmAnswererOptions> = {}): LlmAnswerer {
  return new LlmAnswerer({
    apiKey: API_KEY,
    baseUrl: `${server.url}/v1`,
    model: "gpt-4o-mini",
    timeoutMs: 1_000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    fallback,
    logger,
    now: () => new Date("2025-10-01T12:00:00Z"),
    ...overrides,
  });
}

/** The offline decision the pipeline would hand over: answered from the given passages, or refused. */
const decided = (outcome: Answerability["outcome"], given = passages): Answerability => ({
  outcome,
  reasons: [outcome],
  supporting: outcome === "refuse" ? [] : given,
  missing: null,
  subject: null,
  coverage: outcome === "refuse" ? 0 : 1,
});

const ask = (question: string, extra: Partial<AnswerInput> = {}): AnswerInput => ({
  question,
  analysis: analyseQuestion(question, { knowledge: defaultKnowledge() }),
  passages,
  decision: decided("answer"),
  ...extra,
});

/** The text of every message the model was sent in one chat request. */
function promptOf(body: { messages: { content: string }[] }): string {
  return body.messages.map((message) => message.content).join("\n");
}

before(async () => {
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  fallback = new RecordingFallback();
  logger = new RecordingLogger();
});

describe("LlmAnswerer answers", () => {
  it("answers from the model with verified, dated citations and sends every passage with its date", async () => {
    server.scriptChat({ text: "On 3 September 2025, Japarov arrived in Beijing [1]. A joint statement followed in February [2]." });
    const result = await answerer().answer(ask("When did Japarov visit China?"));

    assert.equal(result.mode, "llm");
    assert.equal(result.refused, false);
    assert.equal(result.notice, undefined);
    assert.equal(result.text, "On 3 September 2025, Japarov arrived in Beijing [1]. A joint statement followed in February [2].");
    assert.deepEqual(
      result.citations.map((c) => [c.n, c.docId, c.date, c.source]),
      [
        [1, "news/2025-09-03_1", "2025-09-03", "https://example.org/1"],
        [2, "news/2025-02-04_2", "2025-02-04", "https://example.org/2"],
      ],
    );
    assert.equal(fallback.calls.length, 0);

    const [request] = server.chatRequests;
    assert.equal(request.body.model, "gpt-4o-mini");
    assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
    const prompt = promptOf(request.body);
    for (const [index, p] of passages.entries()) {
      assert.ok(prompt.includes(`[${index + 1}] (${p.chunk.publishedOn}, "${p.chunk.title}", Xinhua)\n${p.chunk.text}`), `passage ${index + 1} with its date`);
    }
    assert.ok(prompt.includes("When did Japarov visit China?"));
  });

  it("removes an invented [9] and renumbers the rest", async () => {
    server.scriptChat({ text: "They signed a statement [2]. Japarov arrived on 3 September 2025 [9][1]." });
    const result = await answerer().answer(ask("What happened?"));
    assert.equal(result.mode, "llm");
    assert.equal(result.text, "They signed a statement [1]. Japarov arrived on 3 September 2025 [2].");
    assert.deepEqual(result.citations.map((c) => c.docId), ["news/2025-02-04_2", "news/2025-09-03_1"]);
    assert.ok(logger.lines.some((line) => line.includes("invented: 9")));
  });

  it("falls back to the extractive answer, marked as such, when the model cites nothing", async () => {
    server.scriptChat({ text: "Japarov visited Beijing in September 2025." });
    const result = await answerer().answer(ask("When did Japarov visit China?"));
    assert.equal(result.mode, "extractive");
    assert.equal(result.notice, LLM_NOTICES.uncited);
    assert.equal(fallback.calls.length, 1);
    assert.equal(result.citations[0].docId, "news/2025-09-03_1");
  });

  it("returns the model's refusal (in its language) without citations", async () => {
    server.scriptChat({ text: "NO_ANSWER: В документах нет ответа на этот вопрос." });
    const result = await answerer().answer(ask("Кто посетил Марс?"));
    assert.deepEqual(
      { mode: result.mode, refused: result.refused, text: result.text, citations: result.citations },
      { mode: "llm", refused: true, text: "В документах нет ответа на этот вопрос.", citations: [] },
    );
  });

  it("does not call the model when retrieval found nothing: the fallback's refusal", async () => {
    const result = await answerer().answer(ask("Who visited Mars?", { passages: [], decision: decided("refuse", []) }));
    assert.equal(server.chatRequests.length, 0);
    assert.equal(result.mode, "extractive");
    assert.equal(result.refused, true);
    assert.equal(result.notice, undefined);
  });

  it("lets the model judge passages that the offline decision would refuse", async () => {
    server.scriptChat({ text: "President Japarov arrived in Beijing on 3 September 2025 [1]." });
    const result = await answerer().answer(ask("When did the Kyrgyz leader land in the Chinese capital?", { decision: decided("refuse") }));
    assert.equal(server.chatRequests.length, 1);
    assert.equal(result.mode, "llm");
    assert.equal(result.outcome, "answer");
    assert.equal(result.citations[0].date, "2025-09-03");
  });

  it("works with any LangChain chat model passed as `chat`", async () => {
    const chat = new FakeListChatModel({ responses: ["The state visit began on 3 September 2025 [1]."] });
    const result = await answerer({ chat }).answer(ask("When?"));
    assert.equal(result.mode, "llm");
    assert.equal(result.citations.length, 1);
    assert.equal(server.chatRequests.length, 0);
  });
});

describe("LlmAnswerer failures", () => {
  it("retries after a 429 and then succeeds", async () => {
    server.scriptChat({ status: 429, retryAfterSeconds: 0 }, { text: "Japarov arrived on 3 September 2025 [1]." });
    const result = await answerer().answer(ask("When?"));
    assert.equal(result.mode, "llm");
    assert.equal(result.notice, undefined);
    assert.equal(server.chatRequests.length, 2);
  });

  it("retries 500s, then falls back with a one-line notice", async () => {
    server.scriptChat({ status: 500 }, { status: 502 }, { status: 503 });
    const result = await answerer({ maxRetries: 2 }).answer(ask("When?"));
    assert.equal(result.mode, "extractive");
    assert.equal(result.notice, LLM_NOTICES.unavailable);
    assert.equal(server.chatRequests.length, 3);
    assert.ok(!result.notice!.includes("\n"));
  });

  it("does not wait for a retry-after longer than maxRetryDelayMs", async () => {
    server.scriptChat({ status: 429, retryAfterSeconds: 120 });
    const started = Date.now();
    const result = await answerer({ maxRetryDelayMs: 1_000 }).answer(ask("When?"));
    assert.equal(result.notice, LLM_NOTICES.rateLimit);
    assert.equal(server.chatRequests.length, 1);
    assert.ok(Date.now() - started < 1_000);
  });

  it("falls back when the model does not answer in time (no retry after a timeout)", async () => {
    server.scriptChat({ delayMs: 600, text: "Too late [1]." });
    const started = Date.now();
    const result = await answerer({ timeoutMs: 150 }).answer(ask("When?"));
    assert.equal(result.mode, "extractive");
    assert.equal(result.notice, LLM_NOTICES.timeout);
    assert.equal(server.chatRequests.length, 1);
    assert.ok(Date.now() - started < 550, `took ${Date.now() - started} ms`);
  });

  it("falls back when a stream stalls past the deadline", async () => {
    server.scriptChat({ text: "On 3 September 2025 Japarov arrived [1].", chunkDelayMs: 100 });
    const partials: string[] = [];
    const result = await answerer({ timeoutMs: 250 }).answer(ask("When?", { onPartial: (text) => partials.push(text) }));
    assert.equal(result.mode, "extractive");
    assert.equal(result.notice, LLM_NOTICES.timeout);
    assert.equal(server.chatRequests.length, 1, "no retry once text was shown");
  });

  it("logs a rejected key once, falls back, stops calling the model, and never shows the key", async () => {
    const keyed = await startFakeOpenAIServer({ requiredApiKey: "sk-the-right-key-000000" });
    try {
      const llm = answerer({ baseUrl: `${keyed.url}/v1` });
      const first = await llm.answer(ask("When?"));
      const second = await llm.answer(ask("Where?"));
      assert.equal(first.mode, "extractive");
      assert.equal(first.notice, LLM_NOTICES.auth);
      assert.equal(second.notice, LLM_NOTICES.auth);
      assert.equal(keyed.chatRequests.length, 1, "no second call with a rejected key");
      const errors = logger.lines.filter((line) => line.startsWith("error"));
      assert.equal(errors.length, 1);
      assert.match(errors[0], /rejected OPENAI_API_KEY/);
      assert.match(errors[0], /HTTP 401/);
      for (const text of [...logger.lines, first.notice!, second.notice!, first.text]) {
        assert.ok(!text.includes(API_KEY), `key leaked in: ${text}`);
        assert.ok(!text.includes("SECRET"), `key leaked in: ${text}`);
      }
      assert.equal(await llm.condense("And then?", [{ question: "When?", answer: "Then." }]), "And then? When?");
    } finally {
      await keyed.close();
    }
  });

  it("reports a rejected key from probe() without throwing", async () => {
    const keyed = await startFakeOpenAIServer({ requiredApiKey: "sk-the-right-key-000000" });
    try {
      const probe = await answerer({ baseUrl: `${keyed.url}/v1` }).probe();
      assert.equal(probe.ok, false);
      assert.ok(!probe.ok && probe.kind === "auth" && !probe.message.includes(API_KEY));
      assert.equal((await answerer().probe()).ok, true);
    } finally {
      await keyed.close();
    }
  });

  it("falls back when the server cannot be reached", async () => {
    const gone = await startFakeOpenAIServer();
    const url = gone.url;
    await gone.close();
    const result = await answerer({ baseUrl: `${url}/v1`, maxRetries: 1 }).answer(ask("When?"));
    assert.equal(result.mode, "extractive");
    assert.equal(result.notice, LLM_NOTICES.unavailable);
  });

  it("passes a caller's abort through instead of answering", async () => {
    server.scriptChat({ delayMs: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(answerer().answer(ask("When?", { signal: controller.signal })));
    assert.equal(fallback.calls.length, 0);
  });
});

describe("LlmAnswerer streaming and follow-ups", () => {
  it("streams: onPartial sees the answer grow several times, then the verified answer is returned", async () => {
    server.scriptChat({ text: "On 3 September 2025, President Japarov arrived in Beijing [1] for a state visit [7]." });
    const partials: string[] = [];
    const result = await answerer().answer(ask("When?", { onPartial: (text) => partials.push(text) }));

    assert.equal(server.chatRequests[0].body.stream, true);
    assert.ok(partials.length >= 5, `onPartial called ${partials.length} times`);
    for (let i = 1; i < partials.length; i += 1) assert.ok(partials[i].startsWith(partials[i - 1]), "text only grows");
    assert.equal(result.mode, "llm");
    assert.equal(result.text, "On 3 September 2025, President Japarov arrived in Beijing [1] for a state visit.");
  });

  it("does not stream the refusal marker", async () => {
    server.scriptChat({ text: "NO_ANSWER: The documents do not cover this.", chunks: ["NO_", "ANS", "WER: The", " documents do not cover this."] });
    const partials: string[] = [];
    const result = await answerer().answer(ask("Who visited Mars?", { onPartial: (text) => partials.push(text) }));
    assert.ok(partials.length > 0);
    assert.ok(partials.every((text) => !text.includes("NO_")), JSON.stringify(partials));
    assert.equal(result.refused, true);
  });

  it("condense sends the recent turns and returns the standalone question", async () => {
    server.scriptChat({ text: "When did Xi Jinping visit Bishkek in 2019?" });
    const standalone = await answerer().condense("And when did he visit Bishkek?", [
      { question: "Who is the President of China?", answer: "Xi Jinping [1]." },
    ]);
    assert.equal(standalone, "When did Xi Jinping visit Bishkek in 2019?");
    const prompt = promptOf(server.chatRequests[0].body);
    assert.ok(prompt.includes("Who is the President of China?"));
    assert.ok(prompt.includes("Xi Jinping."));
    assert.ok(prompt.includes("And when did he visit Bishkek?"));
  });

  it("condense makes no call without history, and joins the questions when the model fails", async () => {
    const llm = answerer({ condenseTimeoutMs: 100 });
    assert.equal(await llm.condense("When?", []), "When?");
    assert.equal(server.chatRequests.length, 0);
    server.scriptChat({ status: 500 });
    assert.equal(await llm.condense("And in 2024?", [{ question: "Who visited Bishkek?", answer: "Xi [1]." }]), "And in 2024? Who visited Bishkek?");
    server.scriptChat({ delayMs: 400 });
    assert.equal(await llm.condense("And in 2023?", [{ question: "Who visited Osh?", answer: "Li [1]." }]), "And in 2023? Who visited Osh?");
  });
});
