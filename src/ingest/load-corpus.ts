/**
 * Reads every `.txt` and `.md` file under the corpus directory (recursively) into
 * NewsDocuments. A file that is empty, binary or unreadable is reported by name and
 * skipped; the others still load. Undated documents load with a warning.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
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

/** Loads the corpus; throws only when the directory itself cannot be read. */
export async function loadCorpus(corpusDir: string): Promise<LoadedCorpus> {
  let files: string[];
  try {
    files = await listFiles(corpusDir);
  } catch (cause) {
    throw new AppError("CORPUS", `Cannot read the corpus directory ${corpusDir}: ${(cause as Error).message}. Set CORPUS_DIR to a folder of .txt/.md files.`, { cause });
  }
  const documents: NewsDocument[] = [];
  const problems: CorpusProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(corpusDir, file));
    } catch (cause) {
      problems.push({ file, kind: "unreadable", message: `cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); skipped` });
      continue;
    }
    if (looksBinary(bytes)) {
      problems.push({ file, kind: "binary", message: "is not a text file; skipped" });
      continue;
    }
    const docId = file.replace(/\.[^./]+$/, "");
    const previous = seen.get(docId);
    if (previous) {
      problems.push({ file, kind: "duplicate-id", message: `has the same document id as ${previous}; skipped` });
      continue;
    }
    const document = parseDocument({
      docId,
      raw: bytes.toString("utf8"),
      contentHash: createHash("sha256").update(bytes).digest("hex"),
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
  }
  return { documents, problems };
}
