/**
 * The scripts as a user runs them: real processes, real files, a temp corpus and index.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tempWorkspace } from "./support/fixtures.ts";
import { runScript } from "./support/run-script.ts";

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;

const run = (script: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
  runScript(script, args, { ...options, env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir, ...options.env } });

before(async () => {
  workspace = await tempWorkspace();
});
after(async () => {
  await workspace?.cleanup();
});

describe("npm run embed", () => {
  it("embeds the corpus, then re-embeds nothing the second time", async () => {
    const first = await run("scripts/embed.ts", []);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /30 added, 0 changed, 0 removed, 0 unchanged/);
    const second = await run("scripts/embed.ts", []);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /0 added, 0 changed, 0 removed, 30 unchanged; \d+ chunks \(0 embedded\)/);
  });

  it("rebuilds everything with --force", async () => {
    const forced = await run("scripts/embed.ts", ["--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /rebuilding the whole index: --force/);
    assert.match(forced.stdout, /\((\d+) embedded\)/);
    assert.doesNotMatch(forced.stdout, /\(0 embedded\)/);
  });
});

describe("npm run ask", () => {
  it("--json prints exactly one JSON object in the contract's shape", async () => {
    const result = await run("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 1);
    const answer = JSON.parse(lines[0]);
    assert.equal(answer.question, "When did Japarov meet Cai Qi?");
    assert.equal(answer.mode, "extractive");
    assert.match(answer.answer, /September 2025.*\[1\]/s);
    assert.deepEqual(Object.keys(answer.citations[0]).sort(), ["date", "docId", "n", "quote", "source", "title"]);
    assert.equal(answer.citations[0].docId, "000_e8cdec5b749d1b60");
    assert.equal(answer.citations[0].date, "2025-09-03");
    assert.ok(answer.passages.length > 0);
    assert.deepEqual(Object.keys(answer.passages[0]).sort(), ["date", "docId", "score", "text"]);
    assert.equal(typeof answer.timings.retrieveMs, "number");
    assert.equal(typeof answer.timings.answerMs, "number");
  });

  it("refuses a question the corpus does not cover, without citations", async () => {
    const result = await run("scripts/ask.ts", ["--json", "Who won the 2018 World Cup?"]);
    const answer = JSON.parse(result.stdout);
    assert.deepEqual(answer.citations, []);
    assert.match(answer.answer, /do not cover/);
  });

  it("--json --stdin answers one question per line, in order", async () => {
    const questions = ["When did Japarov meet Cai Qi?", "", "Who won the 2018 World Cup?", "hello"];
    const result = await run("scripts/ask.ts", ["--json", "--stdin"], { input: questions.join("\n") });
    assert.equal(result.code, 0, result.stderr);
    const answers = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(answers.map((a) => a.question), ["When did Japarov meet Cai Qi?", "Who won the 2018 World Cup?", "hello"]);
  });

  it("prints an answer with a dated source list in plain mode", async () => {
    const result = await run("scripts/ask.ts", ["What did Japarov tell Xinhua about Mount Tai?"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Sources:\n\[1\] 4 Feb 2025 — .* — https:\/\/english\.news\.cn\//);
  });

  it("without a question prints usage and exits 2", async () => {
    const result = await run("scripts/ask.ts", []);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: npm run ask/);
  });

  it("names a bad environment variable instead of printing a stack trace", async () => {
    const result = await run("scripts/ask.ts", ["hi"], { env: { EMBEDDINGS: "sometimes" } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /EMBEDDINGS must be one of auto, local, openai/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

describe("npm start without a Telegram token", () => {
  it("chats in the terminal: answers, follows up, and exits on /quit", async () => {
    const result = await run("src/main.ts", [], { input: "When did Japarov meet Cai Qi?\nWhat did they discuss?\n/quit\n" });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Reported on 3 September 2025: .*\[1\]/);
    assert.match(result.stdout, /discussed/);
    assert.match(result.stdout, /Sources:\n\[1\] 3 Sep 2025/);
  });

  it("builds a missing index before it starts", async () => {
    const fresh = await tempWorkspace();
    try {
      const result = await run("src/main.ts", [], {
        env: { CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir, LOG_LEVEL: "info" },
        input: "/quit\n",
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout + result.stderr, /Building the index \(no index yet\)/);
    } finally {
      await fresh.cleanup();
    }
  });
});
