/**
 * Reads every document file under the corpus directory (recursively) into NewsDocuments:
 * text and Markdown, PDF, Word (.docx) and HTML, each through its format (see
 * `formats.ts`). A file that is not a document, not safe to read, empty, undecodable or
 * unreadable is reported by name and skipped; the others still load. Undated documents
 * load with a warning.
 */
import { createHash } from "node:crypto";
import type { NewsDocument } from "../domain.ts";
import { CorpusFileError, type CorpusProblem } from "./corpus-problem.ts";
import { type CorpusFile, DEFAULT_MAX_FILE_BYTES, IO_CONCURRENCY, readCorpusFile, scanCorpus } from "./corpus-files.ts";
import { formatFor } from "./formats.ts";
import pLimit from "p-limit";

export type { CorpusProblem } from "./corpus-problem.ts";
export { type CorpusFile, scanCorpus } from "./corpus-files.ts";

export interface LoadedCorpus {
  documents: NewsDocument[];
  /** Files skipped or loaded with a caveat; the caller reports them. */
  problems: CorpusProblem[];
  /** Files not read because `skip` said their previous build stands. */
  skipped: CorpusFile[];
  /** Stats of the loaded documents' files, by docId. */
  files: Record<string, CorpusFile>;
}

export interface LoadOptions {
  /** Files for which this returns true are not read (their previous build stands); they are listed in `skipped`. */
  skip?: (file: CorpusFile) => boolean;
  /** Files larger than this are skipped by name; default 50 MB. */
  maxFileBytes?: number;
}

/** Reads and parses one file; what goes wrong comes back as the problem to report. */
async function loadFile(root: string, entry: CorpusFile, maxFileBytes: number): Promise<NewsDocument | CorpusProblem> {
  const { file, docId } = entry;
  try {
    const bytes = await readCorpusFile(root, file, maxFileBytes);
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    // The scan admitted only files some format reads.
    return await formatFor(file)!.parse({ file, docId, bytes, contentHash });
  } catch (cause) {
    if (cause instanceof CorpusFileError) return { file, kind: cause.kind, message: cause.message };
    return { file, kind: "unreadable", message: `cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); skipped` };
  }
}

/** Loads the corpus; throws only when the directory itself cannot be read. */
export async function loadCorpus(corpusDir: string, options: LoadOptions = {}): Promise<LoadedCorpus> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const scan = await scanCorpus(corpusDir, { maxFileBytes });
  const documents: NewsDocument[] = [];
  const problems: CorpusProblem[] = [...scan.problems];
  const skipped: CorpusFile[] = [];
  const stats: Record<string, CorpusFile> = {};
  const seen = new Map<string, string>();
  const loaded = await pLimit(IO_CONCURRENCY).map(scan.files, async (entry) => (options.skip?.(entry) ? ("skip" as const) : loadFile(scan.root, entry, maxFileBytes)));
  for (const [i, entry] of scan.files.entries()) {
    const { file, docId } = entry;
    const result = loaded[i];
    const previous = seen.get(docId);
    if (previous) {
      problems.push({ file, kind: "duplicate-id", message: `has the same document id as ${previous}; skipped` });
      continue;
    }
    if (result === "skip") {
      seen.set(docId, file);
      skipped.push(entry);
      continue;
    }
    if ("kind" in result) {
      problems.push(result);
      continue;
    }
    if (!result.text) {
      problems.push({ file, kind: "empty", message: "has no text; skipped" });
      continue;
    }
    if (result.publishedOn === null) {
      problems.push({ file, kind: "undated", message: "has no date (no ` date YYYY-MM-DD ` token, front matter or metadata date, dateline or file-name date); indexed as undated" });
    }
    seen.set(docId, file);
    documents.push(result);
    stats[docId] = entry;
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { documents, problems, skipped, files: stats };
}
