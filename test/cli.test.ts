/**
 * The scripts as a user runs them: real processes, real files, a temp corpus and index.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, open, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MODEL_CACHE_DIR, REPO_ROOT, tempWorkspace } from "./support/fixtures.ts";
import { runCommand, runScript } from "./support/run-script.ts";

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
    assert.match(result.stderr, /Usage: npm run -s ask/);
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

/** No stack trace lines ("    at f (file:1:2)") in what a user sees. */
const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at /);

describe("a user's mistakes and odd set-ups get one actionable line", () => {
  for (const script of ["ask", "embed", "eval", "bench"]) {
    it(`npm run ${script} -- --foo: one usage line and exit code 2`, async () => {
      const result = await run(`scripts/${script}.ts`, ["--foo"]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim(), `error: Unknown option '--foo'. See npm run ${script} -- --help.`);
      assert.equal(result.stdout, "");
    });
  }

  it("an option without its value names the option", async () => {
    const result = await run("scripts/eval.ts", ["--out"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: Option '--out <value>' argument missing\. See npm run eval -- --help\.\n$/);
  });

  it("npm run -s ask -- --json prints JSON alone on stdout (pipe-able into jq)", async () => {
    const result = await runCommand("npm", ["run", "-s", "ask", "--", "--json", "When did Japarov meet Cai Qi?"], {
      env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).citations[0].date, "2025-09-03");
  });

  it("an empty corpus: embed and start say where documents go", async () => {
    const empty = path.join(workspace.dir, "empty-corpus");
    await mkdir(empty, { recursive: true });
    const env = { CORPUS_DIR: empty, INDEX_DIR: path.join(workspace.dir, "index-empty") };
    const embed = await run("scripts/embed.ts", [], { env });
    assert.equal(embed.code, 0, embed.stderr);
    assert.match(embed.stderr, new RegExp(`No documents are indexed: put .* files in ${empty.replace(/[/\\^$.*+?()[\]{}|]/g, "\\$&")} \\(or set CORPUS_DIR\\)`));
    const start = await run("src/main.ts", [], { env, input: "/quit\n" });
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /^No documents are indexed: put \.txt, \.md, \.pdf, \.docx or \.html files in /);
    assert.doesNotMatch(start.stdout, /presidents/);
  });

  it("a missing corpus folder: one line saying to create it, exit code 1", async () => {
    const missing = path.join(workspace.dir, "no-such-corpus");
    for (const script of ["scripts/embed.ts", "src/main.ts"]) {
      const result = await run(script, [], { env: { CORPUS_DIR: missing, INDEX_DIR: path.join(workspace.dir, "index-missing") }, input: "/quit\n" });
      assert.equal(result.code, 1, script);
      assert.match(result.stderr, /error: Cannot read the corpus directory .*no-such-corpus \(ENOENT\): create it and put .* documents in it/);
      noStack(result.stderr);
    }
  });

  it("an unreachable embedding server with EMBEDDINGS=auto: one line suggesting EMBEDDINGS=local", async () => {
    const result = await run("scripts/ask.ts", ["hi"], {
      env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_TIMEOUT_MS: "2000", INDEX_DIR: path.join(workspace.dir, "index-openai") },
    });
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split("\n").filter((line) => line.startsWith("error:"));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /network.*set EMBEDDINGS=local to embed offline/);
    noStack(result.stderr);
  });

  it("an unreachable chat model: one line at start with the fix, none per question", async () => {
    const result = await run("src/main.ts", [], {
      env: { EMBEDDINGS: "local", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_TIMEOUT_MS: "2000" },
      input: "When did Japarov meet Cai Qi?\nWhat did they discuss?\n/quit\n",
    });
    assert.equal(result.code, 0, result.stderr);
    const logged = result.stderr.split("\n").filter((line) => line.startsWith("{"));
    assert.equal(logged.length, 1, result.stderr);
    assert.match(logged[0], /language model is not usable \(network.*unset OPENAI_API_KEY for offline answers/);
    assert.match(result.stdout, /extractive answer\.\)\n.*3 September 2025/);
  });
});

describe("the terminal chat's commands", () => {
  it("knows /help, /timeline, /sources and /new, and names an unknown command instead of answering it", async () => {
    const result = await run("src/main.ts", [], { input: "/timeline\n/frobnicate now\n/sources\n/new\n/help\n/quit\n" });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /> 13 Jun 2019 — .*\n14 Jun 2019 — /, "/timeline lists the dated documents oldest first");
    assert.match(out, /> 12 Feb 2026 — .*\n3 Sep 2025 — /, "/sources lists them newest first");
    assert.match(out, /Unknown command \/frobnicate\. Commands: \/help, \/sources, \/timeline, \/new, \/quit; anything else is a question\./);
    assert.doesNotMatch(out, /do not cover/);
    assert.match(out, /Starting a new conversation\./);
    assert.equal(out.match(/Commands: \/help \(this text\)/g)?.length, 2, "the greeting and /help");
  });

  it("after a question in Russian, speaks Russian: /timeline and /sources with Russian dates, /new, /help and an unknown command", async () => {
    const result = await run("src/main.ts", [], { input: "Когда Жапаров встретился с Си Цзиньпином?\n/timeline\n/sources\n/new\n/frobnicate\n/help\n/quit\n" });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /> 13 июня 2019 г\. — .*\n14 июня 2019 г\. — /, "/timeline oldest first, dates in Russian");
    assert.match(out, /> 12 февраля 2026 г\. — .*\n3 сентября 2025 г\. — /, "/sources newest first, dates in Russian");
    assert.match(out, /Начинаю новый разговор\./);
    assert.match(out, /Неизвестная команда \/frobnicate\. Команды: \/help, \/sources, \/timeline, \/new, \/quit; все остальное считается вопросом\./);
    assert.match(out, /Спрашивайте об официальных визитах и встречах; документов: \d+, с \d+ \S+ \d{4} года по \d+ \S+ \d{4} года\.\nНапример: "Что произошло .*\?"\nКоманды: \/help \(эта справка\), \/sources/);
    assert.equal(out.match(/Commands: \/help \(this text\)/g)?.length, 1, "the greeting before any question is English");
  });

  it("prints the hot-reload notice on its own line and redraws the prompt", async () => {
    const fresh = await tempWorkspace();
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", MODEL_CACHE_DIR, LOG_LEVEL: "warn", CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const waitFor = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(stdout) && (child.stdout.off("data", check), resolve());
        child.stdout.on("data", check);
        child.on("close", () => reject(new Error(`exited before ${pattern}: ${stdout}\n${stderr}`)));
        check();
      });
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    try {
      await waitFor(/Commands: .*\n> $/);
      await writeFile(path.join(fresh.corpusDir, "2025-10-01_new-visit.txt"), "On 1 October 2025 the foreign ministers of Kyrgyzstan and Mongolia met in Ulaanbaatar.\n");
      const embed = await runScript("scripts/embed.ts", [], { env: { CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir } });
      assert.equal(embed.code, 0, embed.stderr);
      await waitFor(/\nSwitched to the new index \(\d+ chunks\)\.\n> $/);
      // Only the one prompt line was taken: "> " then the notice's own line, then a fresh prompt.
      assert.match(stdout, /> \nSwitched to the new index/);
      child.stdin.end("/quit\n");
      await new Promise((resolve) => child.on("close", resolve));
    } finally {
      child.kill();
      await fresh.cleanup();
    }
  });
});

describe("npm start checks the index just after it is ready", () => {
  /** Starts the terminal chat over `fresh`, waits for `pattern` on stdout, then quits; resolves with both outputs. */
  async function startUntil(fresh: { corpusDir: string; indexDir: string }, pattern: RegExp): Promise<{ stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", MODEL_CACHE_DIR, LOG_LEVEL: "warn", CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          stdout += d;
          if (pattern.test(stdout)) resolve();
        });
        child.on("close", () => reject(new Error(`exited before ${pattern}: ${stdout}\n${stderr}`)));
      });
      child.stdin.end("/quit\n");
      await new Promise((resolve) => child.on("close", resolve));
    } finally {
      child.kill();
    }
    return { stdout, stderr };
  }

  it("bytes overwritten in a loaded file: served at once, then reported and rebuilt", async () => {
    const fresh = await tempWorkspace();
    try {
      const embed = await runScript("scripts/embed.ts", [], { env: { CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir } });
      assert.equal(embed.code, 0, embed.stderr);
      const generation = (await readFile(path.join(fresh.indexDir, "CURRENT"), "utf8")).trim();
      const handle = await open(path.join(fresh.indexDir, generation, "vectors.f32"), "r+");
      await handle.write(Buffer.from([0xde, 0xad, 0xbe, 0xef]), 0, 4, 40);
      await handle.close();
      const { stdout } = await startUntil(fresh, /\nSwitched to the new index \(\d+ chunks\)\.\n> $/);
      assert.match(stdout, /Commands: .*\n> [^]*damaged: the checksum of vectors\.f32 does not match its manifest; rebuilding it…/);
      assert.match(stdout, /Index ready: 30 added, 0 changed, 0 removed, 0 unchanged; 94 chunks \(94 embedded\)/, stdout);
    } finally {
      await fresh.cleanup();
    }
  });

  it("a document added since the build: served at once, then indexed and swapped in", async () => {
    const fresh = await tempWorkspace();
    try {
      const embed = await runScript("scripts/embed.ts", [], { env: { CORPUS_DIR: fresh.corpusDir, INDEX_DIR: fresh.indexDir } });
      assert.equal(embed.code, 0, embed.stderr);
      await writeFile(path.join(fresh.corpusDir, "2025-10-01_new-visit.txt"), "On 1 October 2025 the foreign ministers of Kyrgyzstan and Mongolia met in Ulaanbaatar.\n");
      const { stdout } = await startUntil(fresh, /\nSwitched to the new index \(\d+ chunks\)\.\n> $/);
      assert.match(stdout, /Commands: .*\n> [^]*Building the index \(2025-10-01_new-visit was added\)…/);
      assert.match(stdout, /Index ready: 1 added, 0 changed/, stdout);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe("npm start runs compiled JavaScript", () => {
  it("compiles src/ into dist/ when it is missing or stale, then not again", async () => {
    // A checkout of its own (sources and build files, the installed node_modules linked in) so the
    // repository's dist/ is left alone.
    const checkout = path.join(workspace.dir, "checkout");
    await mkdir(path.join(checkout, "scripts"), { recursive: true });
    await cp(path.join(REPO_ROOT, "src"), path.join(checkout, "src"), { recursive: true });
    for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json", "scripts/start.mjs"]) await cp(path.join(REPO_ROOT, file), path.join(checkout, file));
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(checkout, "node_modules"));
    const start = () =>
      runCommand(process.execPath, ["scripts/start.mjs"], {
        cwd: checkout,
        env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir },
        input: "When did Japarov meet Cai Qi?\n/quit\n",
      });

    const fresh = await start();
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stderr, /Compiling src\/ into dist\/ \(no build yet\)/);
    assert.ok(existsSync(path.join(checkout, "dist/main.js")));
    assert.ok(existsSync(path.join(checkout, "dist/knowledge/default-entities.yml")), "data files are copied beside the code");
    assert.match(fresh.stdout, /3 September 2025.*\[1\]/);

    const again = await start();
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Compiling/);

    const later = new Date(Date.now() + 5000);
    await utimes(path.join(checkout, "src/terminal-chat.ts"), later, later);
    const edited = await start();
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stderr, /Compiling src\/ into dist\/ \(the sources changed\)/);
  });
});
