/**
 * LLM mode with a Russian question, through the CLI and a fake OpenAI-compatible server: the
 * question is read in the corpus language for retrieval (offline, before the model is asked),
 * the model gets the question as asked and is told to answer in its language, and the
 * answer's citations are dated from the documents.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "./fakes/openai-server.ts";
import { tempWorkspace } from "./support/fixtures.ts";
import { runScript } from "./support/run-script.ts";

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
let server: FakeOpenAIServer;

const env = () => ({
  CORPUS_DIR: workspace.corpusDir,
  INDEX_DIR: workspace.indexDir,
  OPENAI_API_KEY: "sk-test-0123456789abcdef",
  OPENAI_BASE_URL: `${server.url}/v1`,
  CHAT_MODEL: "fake-chat",
  EMBEDDINGS: "local",
});

before(async () => {
  workspace = await tempWorkspace();
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server?.close();
  await workspace?.cleanup();
});

describe("LLM mode, Russian question over English documents", () => {
  it("retrieves the English passages for the Russian question and lets the model answer in Russian, citations dated", async () => {
    // The first request is the start-up check of the model ("Reply with the single word OK.").
    server.scriptChat({ text: "OK" }, { text: "3 сентября 2025 года Садыр Жапаров встретился с Цай Ци в Пекине [1]." });
    const result = await runScript("scripts/ask.ts", ["--json", "Когда Жапаров встретился с Цай Ци?"], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.mode, "llm");
    assert.equal(answer.passages[0].docId, "000_e8cdec5b749d1b60", "the English report of the meeting comes first");
    assert.match(answer.answer, /^3 сентября 2025 года .*\[1\]/);
    assert.equal(answer.citations[0].docId, "000_e8cdec5b749d1b60");
    assert.equal(answer.citations[0].date, "2025-09-03");

    const prompt = JSON.stringify(server.chatRequests.at(-1)!.body.messages);
    assert.match(prompt, /Когда Жапаров встретился с Цай Ци\?/, "the model sees the question as asked");
    assert.match(prompt, /same language as the question/);
    assert.match(prompt, /Cai Qi/, "and the English passages");
  });
});
