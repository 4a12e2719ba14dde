/**
 * The corpus reader stays inside the corpus and never hangs: FIFOs, devices, sockets and
 * links that lead outside are skipped by name before anything is opened; links inside
 * are followed; text in other encodings is decoded, and a file that is no text is named.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import iconv from "iconv-lite";
import { CorpusFileError } from "../src/ingest/corpus-problem.ts";
import { readCorpusFile } from "../src/ingest/corpus-files.ts";
import { loadCorpus, type LoadedCorpus } from "../src/ingest/load-corpus.ts";

const RUSSIAN = " date 2025-09-03 Президент Кыргызстана Садыр Жапаров встретился с Председателем КНР Си Цзиньпином в Пекине.";
const LATIN1 = " date 2024-06-01 Le président kirghize s'est rendu à Genève, où il a rencontré des délégués de l'Organisation mondiale du commerce.";
const SECRET = "root:x:0:0:outside-secret:/root:/bin/bash";

describe("a corpus with FIFOs, devices, sockets, links and other encodings", () => {
  let base: string;
  let dir: string;
  let corpus: LoadedCorpus;
  let server: net.Server;
  const doc = (docId: string) => corpus.documents.find((d) => d.docId === docId);
  const problemOf = (file: string) => corpus.problems.find((p) => p.file === file);

  before(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), "ingest-safety-"));
    dir = path.join(base, "corpus");
    await mkdir(path.join(dir, "sub"), { recursive: true });
    await writeFile(path.join(base, "outside.txt"), SECRET);
    await writeFile(path.join(dir, "sub/real.txt"), " date 2025-01-15 A document reached through a link inside the corpus.");
    await writeFile(path.join(dir, "ok.txt"), " date 2025-01-16 An ordinary document.");
    execFileSync("mkfifo", [path.join(dir, "pipe.txt")]);
    await symlink("/dev/zero", path.join(dir, "zero.txt"));
    await symlink(path.join(base, "outside.txt"), path.join(dir, "outside.txt"));
    await symlink("../outside.txt", path.join(dir, "sub/relative-outside.md"));
    await symlink("sub/real.txt", path.join(dir, "inside-link.txt"));
    await symlink("sub", path.join(dir, "dir-link.txt"));
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, "socket.txt"), resolve));
    await writeFile(path.join(dir, "cp1251.txt"), iconv.encode(RUSSIAN, "win1251"));
    await writeFile(path.join(dir, "koi8.txt"), iconv.encode(RUSSIAN, "koi8-r"));
    await writeFile(path.join(dir, "utf16le.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(RUSSIAN, "utf16le")]));
    await writeFile(path.join(dir, "utf16be.txt"), Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(RUSSIAN, "utf16be")]));
    await writeFile(path.join(dir, "latin1.txt"), iconv.encode(LATIN1, "latin1"));
    const noise = Buffer.alloc(4096);
    for (let i = 0, x = 7; i < noise.length; i++) noise[i] = 1 + ((x = (x * 1103515245 + 12345) >>> 0) % 255);
    await writeFile(path.join(dir, "noise.txt"), noise);
    await writeFile(path.join(dir, "big.txt"), ` date 2025-01-17 ${"word ".repeat(1000)}`);
    corpus = await loadCorpus(dir, { maxFileBytes: 4096 });
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await rm(base, { recursive: true, force: true });
  });

  test("a FIFO is skipped by name, without being opened (the load does not hang)", () => {
    assert.deepEqual(problemOf("pipe.txt"), { file: "pipe.txt", kind: "not-a-file", message: "is a FIFO (named pipe), not a regular file; skipped" });
  });

  test("a symlink to /dev/zero is skipped as a device", () => {
    assert.equal(problemOf("zero.txt")?.kind, "outside-corpus", "/dev/zero lies outside the corpus as well");
  });

  test("a socket and a link to a directory are not regular files", () => {
    assert.match(problemOf("socket.txt")?.message ?? "", /is a socket, not a regular file/);
    assert.match(problemOf("dir-link.txt")?.message ?? "", /is a directory, not a regular file/);
  });

  test("a symlink to a file outside the corpus, absolute or relative, is skipped by name and never read", () => {
    assert.equal(problemOf("outside.txt")?.kind, "outside-corpus");
    assert.equal(problemOf("sub/relative-outside.md")?.kind, "outside-corpus");
    assert.ok(!corpus.documents.some((d) => d.text.includes("outside-secret")));
    assert.ok(!corpus.problems.some((p) => p.message.includes(base)), "no server path in the messages");
  });

  test("a symlink to a file inside the corpus is followed", () => {
    assert.equal(doc("inside-link")?.text, "A document reached through a link inside the corpus.");
    assert.equal(doc("sub/real")?.publishedOn, "2025-01-15");
    assert.equal(doc("ok")?.publishedOn, "2025-01-16");
  });

  test("Windows-1251, KOI8-R, UTF-16 with a BOM (both byte orders) and Latin-1 are decoded", () => {
    const russian = RUSSIAN.replace(/^ date 2025-09-03 /, "");
    for (const docId of ["cp1251", "koi8", "utf16le", "utf16be"]) {
      assert.equal(doc(docId)?.text, russian, docId);
      assert.equal(doc(docId)?.publishedOn, "2025-09-03", docId);
    }
    assert.equal(doc("latin1")?.text, LATIN1.replace(/^ date 2024-06-01 /, ""));
  });

  test("bytes that are no text in any encoding are named as such", () => {
    assert.equal(problemOf("noise.txt")?.kind, "undecodable");
    assert.match(problemOf("noise.txt")!.message, /neither UTF-8 nor text in an encoding that could be recognised/);
  });

  test("a file over the size limit is skipped by name", () => {
    assert.equal(problemOf("big.txt")?.kind, "too-large");
    assert.match(problemOf("big.txt")!.message, /^is 5 KB, over the 4 KB limit for one file; skipped$/);
  });

  test("every file is accounted for: loaded or named in a problem", () => {
    const named = new Set([...corpus.documents.map((d) => d.docId), ...corpus.problems.map((p) => p.file.replace(/\.[^./]+$/, ""))]);
    for (const name of ["pipe", "zero", "socket", "dir-link", "outside", "sub/relative-outside", "inside-link", "sub/real", "ok", "cp1251", "koi8", "utf16le", "utf16be", "latin1", "noise", "big"]) {
      assert.ok(named.has(name), name);
    }
  });

  test("reading a FIFO directly (a file swapped after the scan) is refused without blocking", async () => {
    await assert.rejects(readCorpusFile(dir, "pipe.txt"), (error: unknown) => error instanceof CorpusFileError && error.kind === "not-a-file");
    await assert.rejects(readCorpusFile(dir, "outside.txt"), (error: unknown) => error instanceof CorpusFileError && error.kind === "outside-corpus");
  });
});
