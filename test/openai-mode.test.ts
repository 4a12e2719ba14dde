/**
 * OpenAI mode end to end through the CLI: a fake OpenAI-compatible server on 127.0.0.1
 * serves embeddings and chat completions; the index records its embedder, and switching
 * embedders is detected and rebuilt.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "./fakes/openai-server.ts";
import { tempWorkspace } from "./support/fixtures.ts";
import { runScript } from "./support/run-script.ts";

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
let server: FakeOpenAIServer;
const KEY = "sk-test-0123456789abcdef";

const openaiEnv = () => ({
  CORPUS_DIR: workspace.corpusDir,
  INDEX_DIR: workspace.indexDir,
  OPENAI_API_KEY: KEY,
  OPENAI_BASE_URL: `${server.url}/v1`,
  CHAT_MODEL: "fake-chat",
  EMBEDDING_MODEL: "fake-embed",
});

before(async () => {
  workspace = await tempWorkspace();
  server = await startFakeOpenAIServer();
});
after(async () => {
  await server?.close();
  await workspace?.cleanup();
});

describe("OpenAI mode", () => {
  it("embeds with the OpenAI-compatible server and records the embedder in the manifest", async () => {
    const result = await runScript("scripts/embed.ts", [], { env: openaiEnv() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /30 added/);
    assert.ok(server.embeddingRequests.length > 0);
    const current = (await readFile(path.join(workspace.indexDir, "CURRENT"), "utf8")).trim();
    const manifest = JSON.parse(await readFile(path.join(workspace.indexDir, current, "manifest.json"), "utf8"));
    assert.deepEqual(manifest.embedder, { id: "openai:fake-embed", dimensions: 64 });
  });

  it("answers with mode llm, citations checked against the passages and dated from the documents", async () => {
    server.reset();
    server.scriptChat({ text: "Sadyr Japarov met Cai Qi during a working visit to China [1]. They discussed trade [1][9]." });
    const result = await runScript("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"], { env: openaiEnv() });
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.mode, "llm");
    assert.doesNotMatch(answer.answer, /\[9\]/);
    assert.equal(answer.citations.length, 1);
    assert.equal(answer.citations[0].docId, "000_e8cdec5b749d1b60");
    assert.equal(answer.citations[0].date, "2025-09-03");

    const prompt = JSON.stringify(server.chatRequests.at(-1)!.body.messages);
    assert.match(prompt, /2025-09-03/, "the prompt carries each passage's date");
    assert.equal(server.chatRequests.at(-1)!.headers.authorization, `Bearer ${KEY}`);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(KEY));
  });

  it("falls back to the extractive answer with a notice when the model keeps failing", async () => {
    server.reset();
    // Enough failures for the startup probe and every retry of the answer.
    server.scriptChat(...Array.from({ length: 10 }, () => ({ status: 500 })));
    const result = await runScript("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"], { env: openaiEnv() });
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.mode, "extractive");
    assert.ok(answer.notice, "a one-line notice says why");
    assert.equal(answer.citations[0].date, "2025-09-03");
  });

  it("reports a rejected key once at startup, without the key, and still answers", async () => {
    const strict = await startFakeOpenAIServer({ requiredApiKey: "sk-the-right-one" });
    try {
      const result = await runScript("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"], {
        env: { ...openaiEnv(), OPENAI_BASE_URL: `${strict.url}/v1`, EMBEDDINGS: "local", INDEX_DIR: path.join(workspace.dir, "index-local") },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /language model is not usable/);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(KEY));
      const answer = JSON.parse(result.stdout);
      assert.equal(answer.mode, "extractive");
      assert.equal(answer.citations[0].date, "2025-09-03");
    } finally {
      await strict.close();
    }
  });

  it("detects an index built by another embedder and rebuilds it with a notice", async () => {
    const result = await runScript("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"], {
      env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir, LOG_LEVEL: "info" },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Building the index \(the index was built with openai:fake-embed \(\d+ dimensions\), not local:/);
    assert.equal(JSON.parse(result.stdout).mode, "extractive");
  });
});
