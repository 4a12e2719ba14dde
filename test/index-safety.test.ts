/**
 * Nothing lost, nothing corrupted (issue 10, index side): one build at a time per index
 * directory, index files checked against their manifest and repaired by a plain build,
 * I/O errors as one line, and passage ids that follow a passage's text across re-embeds.
 */
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdir, open, readFile, readdir, stat, truncate, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { QaPipeline } from "../src/answering/qa-pipeline.ts";
import { chunkIdsFor, parseChunkId } from "../src/chunk-id.ts";
import { CALLBACK_DATA_LIMIT, ChunkIdResolver, PASSAGE_CALLBACK, PASSAGE_HASH_CALLBACK, passageCallbackData } from "../src/bot/callback-data.ts";
import { IndexError } from "../src/errors.ts";
import { chunkDocument } from "../src/ingest/chunk-document.ts";
import { acquireBuildLock, BuildBusyError, LOCK_NAME } from "../src/store/build-lock.ts";
import { buildIndex, removeBuildLeftovers } from "../src/store/build-index.ts";
import { currentGeneration, FILES, IndexDamagedError, readManifest, verifyGeneration } from "../src/store/index-files.ts";
import { openIndex } from "../src/store/open-index.ts";
import { HashingEmbedder } from "./fakes/hashing-embedder.ts";
import { REPO_ROOT, tempWorkspace } from "./support/fixtures.ts";
import { generationDirs, readCurrent, tempDir, writeCorpus } from "./support/index-dirs.ts";
import { runScript } from "./support/run-script.ts";

const CORPUS: Record<string, string> = {
  "alpha.txt": " date 2025-01-01 Japarov met Xi Jinping in Beijing. They discussed the railway.\n",
  "bravo.txt": " date 2025-01-02 Wang Yi visited Bishkek. He met the foreign minister.\n",
  "charlie.txt": " date 2025-01-03 The SCO summit opened in Astana. Leaders met.\n",
};

/** A HashingEmbedder that stops at its first batch until `open()` is called: a build caught mid-way. */
class GatedEmbedder extends HashingEmbedder {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  readonly entered: Promise<void>;
  private enter!: () => void;

  constructor() {
    super();
    this.entered = new Promise<void>((resolve) => (this.enter = resolve));
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.enter();
    await this.gate;
    return super.embedDocuments(texts);
  }

  open(): void {
    this.release();
  }
}

async function freshCorpus(name: string): Promise<{ corpusDir: string; indexDir: string }> {
  const dir = await tempDir(name);
  const corpusDir = path.join(dir, "corpus");
  await writeCorpus(corpusDir, CORPUS);
  return { corpusDir, indexDir: path.join(dir, "index") };
}

/** Overwrites `bytes.length` bytes of a file in place, at `offset` (its size stays the same). */
async function overwrite(file: string, offset: number, bytes: Buffer): Promise<void> {
  const handle = await open(file, "r+");
  await handle.write(bytes, 0, bytes.length, offset);
  await handle.close();
}

// --- one writer per index ------------------------------------------------------------------

describe("one build at a time per index directory", () => {
  const embedder = new HashingEmbedder();

  test("a second build waits for the first, then diffs the corpus: a document added meanwhile is indexed", async () => {
    const { corpusDir, indexDir } = await freshCorpus("race");
    await buildIndex({ corpusDir, indexDir, embedder });
    const slow = new GatedEmbedder();
    const first = buildIndex({ corpusDir, indexDir, embedder: slow, force: true });
    await slow.entered; // the first build holds the lock and has read the corpus
    await writeCorpus(corpusDir, { "delta.txt": " date 2025-01-04 Students received Chinese scholarships. Classes start soon.\n" });
    const waits: string[] = [];
    let waited!: () => void;
    const told = new Promise<void>((resolve) => (waited = resolve));
    const second = buildIndex({ corpusDir, indexDir, embedder, onProgress: (line) => (waits.push(line), line.includes("waiting") && waited()) });
    await told;
    assert.deepEqual(waits.filter((line) => line.includes("waiting")), [`another build is running in ${indexDir}; waiting…`]);
    slow.open();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.added + a.changed + a.unchanged, 3, "the first build saw the corpus as it was");
    assert.deepEqual([b.added, b.unchanged], [1, 3], "the second one started from the first one's index and added the new document");
    const manifest = await readManifest(indexDir);
    assert.deepEqual(Object.keys(manifest!.documents).sort(), ["alpha", "bravo", "charlie", "delta"]);
    assert.equal((await generationDirs(indexDir)).length, 2, "the current generation and its predecessor");
    assert.ok(await openIndex(indexDir, embedder));
    assert.ok(!(await readdir(indexDir)).includes(LOCK_NAME), "the lock is released");
  });

  test("a build gives up after a bounded wait with one clear line", async () => {
    const { corpusDir, indexDir } = await freshCorpus("busy");
    const held = await acquireBuildLock(indexDir);
    try {
      await assert.rejects(buildIndex({ corpusDir, indexDir, embedder, lock: { waitMs: 300 } }), (error: unknown) => {
        assert.ok(error instanceof BuildBusyError);
        assert.equal(error.message, `Another build is still running in ${indexDir} after 0.3 s; try again when it has finished.`);
        assert.doesNotMatch(error.userMessage, /\//, "a chat is shown no path");
        return true;
      });
    } finally {
      await held.release();
    }
    assert.equal((await buildIndex({ corpusDir, indexDir, embedder })).added, 3, "free again: the next build runs");
  });

  test("a lock left by a killed process is taken over once it is stale", async () => {
    const { corpusDir, indexDir } = await freshCorpus("stale");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "-e", `const m = await import("./src/store/build-lock.ts"); await m.acquireBuildLock(${JSON.stringify(indexDir)}); console.log("locked"); setInterval(() => {}, 1000);`],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (data) => String(data).includes("locked") && resolve());
      child.on("exit", (code) => reject(new Error(`the lock holder exited early (${code})`)));
    });
    child.kill("SIGKILL"); // no exit handler runs: the lock stays behind
    await new Promise((resolve) => child.once("exit", resolve));
    const lock = path.join(indexDir, LOCK_NAME);
    assert.ok((await stat(lock)).isDirectory(), "the dead process's lock is still there");
    // While it is fresh, it is respected.
    await assert.rejects(buildIndex({ corpusDir, indexDir, embedder, lock: { waitMs: 200 } }), BuildBusyError);
    // Nobody refreshes it: once it is older than the stale time (20 s; moved back here instead of waited for), it is taken over.
    const past = new Date(Date.now() - 30_000);
    await utimes(lock, past, past);
    const started = Date.now();
    const summary = await buildIndex({ corpusDir, indexDir, embedder, lock: { waitMs: 20_000 } });
    assert.equal(summary.added, 3);
    assert.ok(Date.now() - started < 5000, `taken over at once, not after the whole wait (${Date.now() - started} ms)`);
    assert.ok(!(await readdir(indexDir)).includes(LOCK_NAME), "and released after the build");
  });

  test("leftovers of dead builds go at start and on the next build; a build in progress keeps its generation", async () => {
    const { corpusDir, indexDir } = await freshCorpus("leftovers");
    await buildIndex({ corpusDir, indexDir, embedder });
    await writeCorpus(corpusDir, { "alpha.txt": " date 2025-01-01 Japarov met Xi Jinping in Shanghai. They discussed the port.\n" });
    await buildIndex({ corpusDir, indexDir, embedder });
    const [older, current] = [(await generationDirs(indexDir))[0], await readCurrent(indexDir)];
    const dead = async () => {
      await mkdir(path.join(indexDir, "gen-2000-01-01-000000000-dead01"), { recursive: true });
      await writeFile(path.join(indexDir, "gen-2000-01-01-000000000-dead01", FILES.chunks), "[");
      await writeFile(path.join(indexDir, "CURRENT.999.abcdef.tmp"), "gen-x\n");
    };
    await dead();
    // While a build holds the lock, its unfinished generation is not touched.
    const held = await acquireBuildLock(indexDir);
    assert.deepEqual(await removeBuildLeftovers(indexDir), []);
    await held.release();
    assert.deepEqual((await removeBuildLeftovers(indexDir)).sort(), ["CURRENT.999.abcdef.tmp", "gen-2000-01-01-000000000-dead01"]);
    assert.deepEqual(await generationDirs(indexDir), [older, current].sort(), "the serving generation and its predecessor stay");
    await dead();
    const lines: string[] = [];
    await buildIndex({ corpusDir, indexDir, embedder, force: true, onProgress: (line) => lines.push(line) });
    assert.ok(lines.some((line) => /removed 2 leftover/.test(line)), lines.join("\n"));
    assert.deepEqual(await generationDirs(indexDir), [current, await readCurrent(indexDir)].sort());
  });
});

describe("two npm run embed processes on one INDEX_DIR", () => {
  let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
  before(async () => {
    workspace = await tempWorkspace();
  });
  after(async () => {
    await workspace?.cleanup();
  });
  const embed = (args: string[], delayMs = 0) =>
    new Promise((resolve) => setTimeout(resolve, delayMs)).then(() =>
      runScript("scripts/embed.ts", args, { env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir } }),
    );

  // Each process costs ~3 s of start-up, so two rounds here (50 rounds were run by hand).
  test("started 0 and 150 ms apart: both succeed without a stack trace and leave one whole index", async () => {
    for (const delayMs of [0, 150]) {
      const runs = await Promise.all([embed(["--force"]), embed(["--force"], delayMs)]);
      for (const run of runs) {
        assert.equal(run.code, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
        assert.match(run.stdout, /30 added/);
      }
      const dir = await currentGeneration(workspace.indexDir);
      assert.ok(dir && (await stat(dir)).isDirectory(), "CURRENT names a generation that exists");
      assert.ok((await generationDirs(workspace.indexDir)).length <= 2);
      assert.equal((await readManifest(workspace.indexDir))?.chunkCount, 94);
    }
  });

  test("bytes overwritten in the keyword index: npm run ask rebuilds it with a notice, plain npm run embed repairs it", async () => {
    const ask = () => runScript("scripts/ask.ts", ["--json", "When did Japarov meet Cai Qi?"], { env: { CORPUS_DIR: workspace.corpusDir, INDEX_DIR: workspace.indexDir } });
    const damage = async () => overwrite(path.join((await currentGeneration(workspace.indexDir))!, FILES.lexicalData), 64, Buffer.alloc(256, 0x5a));
    await damage();
    const asked = await ask();
    assert.equal(asked.code, 0, asked.stderr);
    assert.match(asked.stderr, /is damaged: the checksum of lexical\.bin does not match its manifest; rebuilding it…/);
    assert.equal(JSON.parse(asked.stdout).outcome, "answer");
    await damage();
    const repaired = await embed([]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stderr, /rebuilding the whole index: the index is damaged/);
    assert.match(repaired.stdout, /30 added, 0 changed, 0 removed, 0 unchanged; 94 chunks \(94 embedded\)/);
    const dir = (await currentGeneration(workspace.indexDir))!;
    await verifyGeneration(dir, (await readManifest(workspace.indexDir))!); // and now it is whole
  });
});

// --- verified index files ------------------------------------------------------------------

describe("index files checked against the manifest", () => {
  const embedder = new HashingEmbedder();
  let corpusDir: string;
  let indexDir: string;
  before(async () => {
    ({ corpusDir, indexDir } = await freshCorpus("verify"));
    await buildIndex({ corpusDir, indexDir, embedder });
  });
  const generation = async () => (await currentGeneration(indexDir))!;

  /** Damages the index, checks that opening refuses it with `message`, and that a plain build repairs it. */
  async function assertRepaired(damage: (dir: string) => Promise<void>, message: RegExp): Promise<void> {
    await damage(await generation());
    await assert.rejects(openIndex(indexDir, embedder), (error: unknown) => {
      assert.ok(error instanceof IndexDamagedError && error instanceof IndexError);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    const summary = await buildIndex({ corpusDir, indexDir, embedder });
    assert.match(summary.rebuildReason ?? "", /damaged/);
    assert.equal(summary.embeddedChunks, summary.chunks, "everything was embedded again");
    const index = await openIndex(indexDir, embedder);
    assert.equal(index?.lexical.query("Beijing railway", 1).length, 1);
    assert.equal((await buildIndex({ corpusDir, indexDir, embedder })).unchanged, 3, "and the next run finds it whole");
  }

  test("bytes overwritten in each file are caught by the checksum and repaired by a plain build", async () => {
    for (const name of [FILES.chunks, FILES.vectors, FILES.hnsw, FILES.lexical, FILES.lexicalData]) {
      const garbage = name === FILES.chunks || name === FILES.lexical ? Buffer.from("Zz") : Buffer.from([0xde, 0xad, 0xbe, 0xef]);
      await assertRepaired((dir) => overwrite(path.join(dir, name), 20, garbage), new RegExp(`the checksum of ${name.replace(".", "\\.")} does not match`));
    }
  });

  test("a truncated file is caught by its size before it is parsed", async () => {
    await assertRepaired((dir) => truncate(path.join(dir, FILES.chunks), 100), /chunks\.bin has 100 bytes, its manifest says \d+/);
  });

  test("a manifest that does not match the schema is damage, not a cast", async () => {
    await assertRepaired(async (dir) => {
      const manifest = JSON.parse(await readFile(path.join(dir, FILES.manifest), "utf8"));
      manifest.documents.alpha.slots = "0,1";
      await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest));
    }, /manifest .* is invalid \(documents\.alpha\.slots: /);
  });

  test("an index of format 5 (before checksums) is rebuilt, not read", async () => {
    const dir = await generation();
    const manifest = JSON.parse(await readFile(path.join(dir, FILES.manifest), "utf8"));
    delete manifest.files;
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, formatVersion: 5 }));
    const summary = await buildIndex({ corpusDir, indexDir, embedder });
    assert.match(summary.rebuildReason ?? "", /index format changed/);
    assert.equal(summary.added, 3);
  });
});

describe("a full disk during a build", () => {
  const mountPoint = path.join("/tmp", `visits-enospc-${process.pid}`);
  let mounted = false;
  before(async () => {
    await mkdir(mountPoint, { recursive: true });
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], { stdio: "ignore" });
      mounted = true;
    } catch {
      mounted = false; // not root, or no mount permission: the test is skipped
    }
  });
  after(() => {
    if (mounted) execFileSync("umount", [mountPoint], { stdio: "ignore" });
  });

  test("ends with one line naming ENOSPC, removes the partial generation and keeps the previous one serving", async (t) => {
    if (!mounted) return t.skip("needs a small tmpfs (root and mount permission)");
    const corpusDir = (await freshCorpus("enospc")).corpusDir;
    const long = Array.from({ length: 300 }, (_, i) => `Sentence ${i} of a long report on the Torugart pass and customs procedure number ${i * 7}.`).join(" ");
    await writeCorpus(corpusDir, { "long.txt": ` date 2025-01-06 ${long}\n` });
    const indexDir = path.join(mountPoint, "index");
    const embedder = new HashingEmbedder();
    await buildIndex({ corpusDir, indexDir, embedder });
    const current = await readCurrent(indexDir);
    const used = Number(execFileSync("du", ["-sk", mountPoint]).toString().split("\t")[0]);
    execFileSync("mount", ["-o", `remount,size=${Math.ceil(used * 1.5)}k`, mountPoint]); // room for half a generation more
    await assert.rejects(buildIndex({ corpusDir, indexDir, embedder, force: true }), (error: unknown) => {
      assert.ok(error instanceof IndexError, String(error));
      assert.match(error.message, /^Cannot write the index in .*: no space left on the device \(ENOSPC\); the unfinished generation was removed/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    assert.deepEqual(await generationDirs(indexDir), [current]);
    const reopened = await openIndex(indexDir, embedder);
    assert.ok(reopened, "the previous index still opens");
    reopened.store.close(); // its chunks.bin is open until then, and the tmpfs is unmounted after the test
    execFileSync("mount", ["-o", "remount,size=4m", mountPoint]);
    assert.equal((await buildIndex({ corpusDir, indexDir, embedder, force: true })).added, 4, "with room again, the build succeeds");
  });
});

// --- stable passage ids --------------------------------------------------------------------

describe("passage ids follow the passage's text", () => {
  test("the codec: <docId>#<8-character key>, repeats numbered, junk and old ordinal ids rejected", () => {
    const idOf = chunkIdsFor("news/a#b");
    const [first, again, other, third] = [idOf("Same text."), idOf("Same text."), idOf("Other text."), idOf("Same text.")];
    assert.match(first, /^news\/a#b#[A-Za-z0-9_-]{8}$/);
    assert.equal(again, `${first}.2`);
    assert.equal(third, `${first}.3`);
    assert.notEqual(other.slice(0, -8), first);
    assert.deepEqual(parseChunkId(again), { docId: "news/a#b", key: again.slice(again.lastIndexOf("#") + 1) });
    assert.equal(chunkIdsFor("news/a#b")("Same text."), first, "the same text gives the same id in a new build");
    for (const junk of ["doc#3", "__proto__#0", "#abcdefgh", "doc", "doc#abcdefgh.0", "doc#abcdefg!"]) assert.equal(parseChunkId(junk), null, junk);
  });

  test("a passage keeps its id when a paragraph is inserted above it, and opens the same text after the re-embed", async () => {
    const { corpusDir, indexDir, cleanup } = await tempWorkspace();
    try {
      const docId = "000_e8cdec5b749d1b60";
      const file = path.join(corpusDir, `${docId}.txt`);
      const longName = "archive/official-visits/kyrgyzstan-china/2025-09-03_japarov-meets-cai-qi-in-beijing";
      await writeCorpus(corpusDir, { [`${longName}.txt`]: " date 2025-09-03 Japarov met Cai Qi in Beijing. They discussed trade.\n" });
      const embedder = new HashingEmbedder();
      await buildIndex({ corpusDir, indexDir, embedder });
      const qa = await QaPipeline.open({ indexDir, embedder });
      const before = [...qa.chunkIds()].map((id) => qa.chunk(id)!).filter((c) => c.docId === docId).sort((a, b) => a.ordinal - b.ordinal);
      const last = before.at(-1)!;
      const firstPassage = before[0];

      const raw = await readFile(file, "utf8");
      const dateToken = / date \d{4}-\d\d-\d\d /.exec(raw)![0];
      const inserted = "The Presidential Press Service published this report on its website. It was later updated with photographs of the talks.\n\n";
      await writeFile(file, dateToken + inserted + raw.slice(dateToken.length));
      await buildIndex({ corpusDir, indexDir, embedder });
      await qa.reload();

      const now = qa.chunk(last.id);
      assert.ok(now, "the last passage is still found by its id");
      assert.equal(now.text, last.text);
      assert.equal(now.ordinal, last.ordinal + 1, "it moved down one place: an ordinal id would now open another passage");
      assert.equal(qa.chunk(firstPassage.id), null, "the first passage changed (it now starts with the new paragraph): its old id is gone, not reused");
      const kept = before.filter((c) => qa.chunk(c.id)?.text === c.text).length;
      assert.ok(kept >= before.length - 2, `most passages keep their ids (${kept} of ${before.length})`);

      // Buttons: short ids are carried as they are, long ones hashed, both resolve after the re-embed.
      const data = passageCallbackData(last.id);
      assert.ok(Buffer.byteLength(data) <= CALLBACK_DATA_LIMIT);
      assert.equal(PASSAGE_CALLBACK.exec(data)?.[1], last.id);
      const longId = [...qa.chunkIds()].find((id) => id.startsWith(longName))!;
      assert.ok(Buffer.byteLength(`p:${longId}`) > CALLBACK_DATA_LIMIT);
      const hash = PASSAGE_HASH_CALLBACK.exec(passageCallbackData(longId))?.[1];
      assert.ok(hash, "a long id is hashed");
      assert.equal(new ChunkIdResolver(qa).resolve(hash), longId);
      qa.close();
    } finally {
      await cleanup();
    }
  });

  test("chunking the same text twice gives the same ids; a repeated passage gets its own id", () => {
    const text = ["Talks were held in Bishkek.", "The sides signed a protocol."].join(" ");
    const doc = { docId: "d", title: "T", publishedOn: null, sourceName: null, sourceUrl: null, contentHash: "x", text: `${text}\n\n${"x ".repeat(400)}\n\n${text}` };
    const chunks = chunkDocument(doc, { maxChars: 100, overlapSentences: 0 });
    const ids = chunks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, "ids are unique within a document");
    assert.deepEqual(chunkDocument(doc, { maxChars: 100, overlapSentences: 0 }).map((c) => c.id), ids);
    const repeated = chunks.filter((c) => c.text === chunks[0].text);
    assert.equal(repeated.length, 2);
    assert.equal(repeated[1].id, `${repeated[0].id}.2`);
  });
});
