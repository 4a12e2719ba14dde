/**
 * Reads every `.txt` and `.md` file under the corpus directory (recursively) into
 * NewsDocuments. A file that is empty, binary or unreadable is reported by name and
 * skipped; the others still load. Undated documents load with a warning.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { NewsDocument } from "../domain.ts";
import { AppError } from "../errors.ts";
import { parseDocument } from "./parse-document.ts";

export interface CorpusProblem {
  /** Path relative to the corpus directory. */
  file: string;
  kind: "unreadable" | "empty" | "binary" | "undated" | "duplicate-id";
  message: string;
}

export interface LoadedCorpus {
  documents: NewsDocument[];
  /** Files skipped or loaded with a caveat; the caller reports them. */
  problems: CorpusProblem[];
  /** Files not read because `skip` said their previous build stands. */
  skipped: CorpusFile[];
  /** Stats of the loaded documents' files, by docId. */
  files: Record<string, CorpusFile>;
}

const EXTENSIONS = new Set([".txt", ".md", ".markdown"]);

async function listFiles(root: string, relative = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, child)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(child);
  }
  return files.sort();
}

function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  const text = sample.toString("utf8");
  const replacement = text.split("\uFFFD").length - 1;
  return replacement > Math.max(2, text.length * 0.01);
}

/** A corpus file's identity and stat: enough to tell whether it changed since the last build. */
export interface CorpusFile {
  /** Path relative to the corpus directory, `/`-separated. */
  file: string;
  docId: string;
  size: number;
  mtimeMs: number;
}

/** Files read at once: enough to hide disk latency, few enough to stay far from descriptor limits. */
const READ_CONCURRENCY = 32;

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Lists the corpus files with their stats, without reading them; throws when the directory cannot be read. */
export async function scanCorpus(corpusDir: string): Promise<CorpusFile[]> {
  let files: string[];
  try {
    files = await listFiles(corpusDir);
  } catch (cause) {
    throw new AppError("CORPUS", `Cannot read the corpus directory ${corpusDir}: ${(cause as Error).message}. Set CORPUS_DIR to a folder of .txt/.md files.`, { cause });
  }
  return mapLimited(files, READ_CONCURRENCY, async (file) => {
    const info = await stat(path.join(corpusDir, file)).catch(() => null);
    return { file, docId: file.replace(/\.[^./]+$/, ""), size: info?.size ?? -1, mtimeMs: info?.mtimeMs ?? -1 };
  });
}

export interface LoadOptions {
  /** Files for which this returns true are not read (their previous build stands); they are listed in `skipped`. */
  skip?: (file: CorpusFile) => boolean;
}

/** Loads the corpus; throws only when the directory itself cannot be read. */
export async function loadCorpus(corpusDir: string, options: LoadOptions = {}): Promise<LoadedCorpus> {
  const files = await scanCorpus(corpusDir);
  const documents: NewsDocument[] = [];
  const problems: CorpusProblem[] = [];
  const skipped: CorpusFile[] = [];
  const stats: Record<string, CorpusFile> = {};
  const seen = new Map<string, string>();
  const contents = await mapLimited(files, READ_CONCURRENCY, async (entry) => {
    if (options.skip?.(entry)) return "skip" as const;
    try {
      return await readFile(path.join(corpusDir, entry.file));
    } catch (cause) {
      return cause as NodeJS.ErrnoException;
    }
  });
  for (const [i, entry] of files.entries()) {
    const { file, docId } = entry;
    const content = contents[i];
    const previous = seen.get(docId);
    if (previous) {
      problems.push({ file, kind: "duplicate-id", message: `has the same document id as ${previous}; skipped` });
      continue;
    }
    if (content === "skip") {
      seen.set(docId, file);
      skipped.push(entry);
      continue;
    }
    if (!Buffer.isBuffer(content)) {
      problems.push({ file, kind: "unreadable", message: `cannot be read (${content.code ?? content.message}); skipped` });
      continue;
    }
    if (looksBinary(content)) {
      problems.push({ file, kind: "binary", message: "is not a text file; skipped" });
      continue;
    }
    const document = parseDocument({
      docId,
      raw: content.toString("utf8"),
      contentHash: createHash("sha256").update(content).digest("hex"),
    });
    if (!document.text) {
      problems.push({ file, kind: "empty", message: "has no text; skipped" });
      continue;
    }
    if (document.publishedOn === null) {
      problems.push({ file, kind: "undated", message: "has no date (no ` date YYYY-MM-DD ` token, front matter date or file-name date); indexed as undated" });
    }
    seen.set(docId, file);
    documents.push(document);
    stats[docId] = entry;
  }
  return { documents, problems, skipped, files: stats };
}
