/**
 * Writes documents into the corpus directory for the bot's intake: files sent by an admin
 * under a safe, unique name, texts (`/add`, forwarded and channel posts) as Markdown with
 * front matter, and removal by document id. Every write goes to a hidden temporary file
 * first (the corpus reader skips hidden files) and is then moved into place, so a build
 * never reads half a document. Writes in one process are serialised, so two uploads at
 * once never take the same name.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { replaceFileDurably } from "../durable-file.ts";
import { scanCorpus } from "./corpus-files.ts";

/** Longest stem of a saved file name, in characters (keeps document ids short enough for button data). */
export const MAX_STEM_CHARS = 48;

/**
 * A file name that is safe to create inside the corpus: the last path segment only, no
 * control or shell characters, no leading dot (hidden), no `..`, a lower-case extension,
 * at most `MAX_STEM_CHARS` before it. Letters of any script are kept. Never empty.
 */
export function safeFileName(original: string, fallbackStem = "document"): string {
  const base = (original.normalize("NFC").split(/[\\/]/).pop() ?? "").replace(/^[.\s]+/, "");
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(base)?.[0].toLowerCase() ?? "";
  const stem = (extension ? base.slice(0, -extension.length) : base)
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.\-_]+|[.\-_]+$/g, "")
    .replace(/-{2,}/g, "-")
    .slice(0, MAX_STEM_CHARS)
    .replace(/[.\-_]+$/, "");
  return `${stem || fallbackStem}${extension}`;
}

/** A kebab-case slug of a title for a file name (letters of any script kept), at most `maxChars`. */
export function slugOf(title: string, maxChars = 40): string {
  let slug = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length > maxChars) {
    slug = slug.slice(0, maxChars);
    const cut = slug.lastIndexOf("-");
    if (cut > maxChars / 2) slug = slug.slice(0, cut); // end at a whole word
  }
  return slug.replace(/-+$/, "") || "text";
}

/** Where a saved file went. */
export interface SavedFile {
  /** Path under the corpus directory, `/`-separated. */
  file: string;
  /** The document id: `file` without its extension. */
  docId: string;
  /** True when a file with the same bytes was already there and was kept instead of a copy. */
  existed: boolean;
  /** True when the file held another version of the document, now replaced (`writeTextDocument`). */
  replaced?: boolean;
}

const docIdOf = (file: string) => file.replace(/\.[^./]+$/, "");
const stemOf = (name: string) => name.replace(/\.[^.]+$/, "");

let queue: Promise<unknown> = Promise.resolve();
/** Runs one write at a time in this process. */
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/** Writes bytes to a hidden temporary file in `dir` (the corpus reader skips it) and returns its path. */
async function writeTemporary(dir: string, bytes: Buffer | string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.incoming-${process.pid}-${randomBytes(6).toString("hex")}`);
  await writeFile(temporary, bytes);
  return temporary;
}

/**
 * Saves bytes as a new document in `folder` (relative to the corpus, `/`-separated) under the
 * safe form of `fileName`; when another document there has the same id (any extension),
 * `-2`, `-3`, … is added to the stem. A file of the folder with exactly these bytes is kept
 * instead (`existed`), so the same file sent twice, or a replayed update, is not added twice.
 */
export function saveNewFile(corpusDir: string, folder: string, fileName: string, bytes: Buffer): Promise<SavedFile> {
  return serialised(async () => {
    const dir = path.join(corpusDir, ...folder.split("/"));
    await mkdir(dir, { recursive: true });
    const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile() && !entry.name.startsWith("."));
    for (const entry of names) {
      const full = path.join(dir, entry.name);
      if ((await stat(full)).size === bytes.length && (await readFile(full)).equals(bytes)) {
        const file = `${folder}/${entry.name}`;
        return { file, docId: docIdOf(file), existed: true };
      }
    }
    const taken = new Set(names.map((entry) => stemOf(entry.name).toLowerCase()));
    const safe = safeFileName(fileName);
    const extension = path.extname(safe);
    const stem = stemOf(safe);
    const temporary = await writeTemporary(dir, bytes);
    try {
      for (let n = 1; ; n++) {
        const candidate = n === 1 ? stem : `${stem}-${n}`;
        if (taken.has(candidate.toLowerCase())) continue;
        try {
          await link(temporary, path.join(dir, candidate + extension)); // fails when the name exists
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
          throw error;
        }
        const file = `${folder}/${candidate}${extension}`;
        return { file, docId: docIdOf(file), existed: false };
      }
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  });
}

/** What a text document's front matter says. */
export interface TextDocumentFields {
  title: string;
  /** `YYYY-MM-DD`, or null for an undated text. */
  publishedOn: string | null;
  /** Link to the original (a post's `https://t.me/...`). */
  sourceUrl?: string | null;
  /** Who published it (a channel's title). */
  publisher?: string | null;
  text: string;
}

/** The Markdown a text document is saved as: YAML front matter (title, date, source, publisher), then the text. */
export function textDocumentMarkdown(fields: TextDocumentFields): string {
  const front: Record<string, string> = { title: fields.title };
  if (fields.publishedOn) front.date = fields.publishedOn;
  if (fields.sourceUrl) front.source = fields.sourceUrl;
  if (fields.publisher) front.publisher = fields.publisher;
  return `---\n${stringifyYaml(front, { lineWidth: 0 })}---\n${fields.text.trim()}\n`;
}

/**
 * Writes (or rewrites) the text document at `file` (relative, `/`-separated, ending in `.md`) in
 * one rename; the same text already there is left untouched (`existed`).
 */
export function writeTextDocument(corpusDir: string, file: string, markdown: string): Promise<SavedFile> {
  return serialised(async () => {
    const target = path.join(corpusDir, ...file.split("/"));
    const previous = await readFile(target, "utf8").catch(() => null);
    if (previous === markdown) return { file, docId: docIdOf(file), existed: true };
    await mkdir(path.dirname(target), { recursive: true });
    await replaceFileDurably(target, markdown, { hiddenTemporary: true });
    return { file, docId: docIdOf(file), existed: false, replaced: previous !== null };
  });
}

/**
 * Deletes the document with this id (only a file the corpus reader lists, so nothing outside the
 * corpus and no knowledge file). Returns its path under the corpus, or null when there is none.
 */
export function removeDocumentFile(corpusDir: string, docId: string): Promise<string | null> {
  return serialised(async () => {
    const scan = await scanCorpus(corpusDir);
    const found = scan.files.find((entry) => entry.docId === docId);
    if (!found) return null;
    await rm(path.join(scan.root, ...found.file.split("/")), { force: true });
    return found.file;
  });
}
