/**
 * The corpus on disk: which files are documents, and reading one safely. Only regular
 * files whose real path lies inside the corpus directory are read (symbolic links within
 * it are followed); FIFOs, devices, sockets, links that lead outside and files over the
 * size limit are skipped by name, decided with lstat/stat before anything is opened, so
 * a FIFO or a link to /dev/zero can never make a build hang. Files of a type no format
 * reads are reported too, never silently ignored.
 */
import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors.ts";
import { KNOWLEDGE_FILES } from "../knowledge/load-knowledge.ts";
import { CorpusFileError, type CorpusProblem } from "./corpus-problem.ts";
import { DOCUMENT_FORMATS, formatFor } from "./formats.ts";
import pLimit from "p-limit";

/** A corpus file's identity and stat: enough to tell whether it changed since the last build. */
export interface CorpusFile {
  /** Path relative to the corpus directory, `/`-separated. */
  file: string;
  docId: string;
  size: number;
  mtimeMs: number;
}

export interface CorpusScan {
  /** The corpus directory's real path. */
  root: string;
  /** Document files, sorted by path. */
  files: CorpusFile[];
  /** Files that are not read, each with the reason. */
  problems: CorpusProblem[];
}

/** Largest file read by default: far above any news document, small enough to keep a stray disk image out. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Files stat-ed (or read) at once: enough to hide disk latency, few enough to stay far from descriptor limits. */
export const IO_CONCURRENCY = 32;

/** Every non-hidden entry below `root` that is not a directory, `/`-separated; the knowledge files at the top are left out. */
async function listEntries(root: string, relative = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listEntries(root, child)));
    else if (relative || !KNOWLEDGE_FILES.includes(entry.name)) files.push(child);
  }
  return files.sort();
}

const isInside = (root: string, real: string) => real.startsWith(root + path.sep);

/** What kind of thing a non-regular file is, for the message. */
function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

const READ_TYPES = DOCUMENT_FORMATS.flatMap((format) => format.extensions).join(" ");
const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);
const OUTSIDE = "is a symbolic link to a file outside the corpus directory; skipped";
const notRegular = (info: Stats) => `is ${kindOf(info)}, not a regular file; skipped`;
const tooLarge = (size: number, maxFileBytes: number) => `is ${sizeText(size)}, over the ${sizeText(maxFileBytes)} limit for one file; skipped`;

/**
 * Checks one entry without opening it: where a link leads, what the target is, how big, which format.
 * Returns the file's real path and stat, or the problem that keeps it out.
 */
async function inspect(root: string, file: string, maxFileBytes: number): Promise<{ real: string; info: Stats } | CorpusProblem> {
  const full = path.join(root, file);
  let real = full;
  let info: Stats;
  try {
    info = await lstat(full);
    if (info.isSymbolicLink()) {
      real = await realpath(full);
      if (!isInside(root, real)) return { file, kind: "outside-corpus", message: OUTSIDE };
      info = await stat(real);
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    return { file, kind: "unreadable", message: `cannot be read (${code === "ENOENT" ? "ENOENT: a broken symbolic link" : code}); skipped` };
  }
  if (!info.isFile()) return { file, kind: "not-a-file", message: notRegular(info) };
  if (!formatFor(file)) {
    const extension = path.extname(file).toLowerCase() || "no extension";
    return { file, kind: "unsupported", message: `is of an unsupported type (${extension}; the corpus reads ${READ_TYPES}); skipped` };
  }
  if (info.size > maxFileBytes) return { file, kind: "too-large", message: tooLarge(info.size, maxFileBytes) };
  return { real, info };
}

/** What to tell someone whose corpus has no documents: where they go and what to run then. */
export function emptyCorpusHint(corpusDir: string): string {
  return `No documents are indexed: put .txt, .md, .pdf, .docx or .html files in ${corpusDir} (or set CORPUS_DIR), then run npm run embed or restart.`;
}

/** Lists the corpus's document files with their stats, without reading them; throws when the directory cannot be read. */
export async function scanCorpus(corpusDir: string, options: { maxFileBytes?: number } = {}): Promise<CorpusScan> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let root: string;
  let entries: string[];
  try {
    root = await realpath(corpusDir);
    entries = await listEntries(root);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const fix =
      code === "ENOENT"
        ? `create it and put .txt, .md, .pdf, .docx or .html documents in it, or set CORPUS_DIR to a folder of documents`
        : "set CORPUS_DIR to a readable folder of documents";
    throw new AppError("CORPUS", `Cannot read the corpus directory ${corpusDir} (${code ?? (cause as Error).message}): ${fix}.`, { cause });
  }
  const inspected = await pLimit(IO_CONCURRENCY).map(entries, (file) => inspect(root, file, maxFileBytes));
  const files: CorpusFile[] = [];
  const problems: CorpusProblem[] = [];
  for (const [i, file] of entries.entries()) {
    const result = inspected[i];
    if ("kind" in result) problems.push(result);
    else files.push({ file, docId: file.replace(/\.[^./]+$/, ""), size: result.info.size, mtimeMs: result.info.mtimeMs });
  }
  return { root, files, problems };
}

/**
 * Reads one scanned file. The link is resolved again and the real path opened without
 * following links and without blocking, then checked with fstat, so a file swapped for a
 * FIFO, a device or an outside link since the scan is refused rather than read.
 */
export async function readCorpusFile(root: string, file: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<Buffer> {
  const real = await realpath(path.join(root, file));
  if (!isInside(root, real)) throw new CorpusFileError("outside-corpus", OUTSIDE);
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CorpusFileError("not-a-file", notRegular(info));
    if (info.size > maxFileBytes) throw new CorpusFileError("too-large", tooLarge(info.size, maxFileBytes));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
