/** Temp index and corpus directories for tests of the index on disk. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

const tempDirs: string[] = [];
after(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp directory, removed when the test file ends. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `index-store-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Writes corpus files (paths relative to `corpusDir`, sub-folders made as needed). */
export async function writeCorpus(corpusDir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(corpusDir, name)), { recursive: true });
    await writeFile(path.join(corpusDir, name), content);
  }
}

/** The generation directories in an index directory, sorted. */
export async function generationDirs(indexDir: string): Promise<string[]> {
  return (await readdir(indexDir)).filter((name) => name.startsWith("gen-")).sort();
}

/** The generation name CURRENT points at. */
export async function readCurrent(indexDir: string): Promise<string> {
  return (await readFile(path.join(indexDir, "CURRENT"), "utf8")).trim();
}
