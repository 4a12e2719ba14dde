/**
 * On-disk layout of the index directory. Each build writes a complete generation
 * directory, then points `CURRENT` at it with an atomic rename: a reader never sees
 * half an index, and a failed or interrupted build leaves the previous one serving.
 * The manifest records the size and sha256 of every other file of its generation, and
 * a generation is only opened when they match.
 *
 *   INDEX_DIR/CURRENT            name of the serving generation
 *   INDEX_DIR/build.lock         held by the one build that may write (see build-lock.ts)
 *   INDEX_DIR/gen-<stamp>/       manifest.json, chunks.bin, vectors.f32, hnsw.bin, lexical.json + lexical.bin
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { replaceFileDurably } from "../durable-file.ts";
import { IndexError } from "../errors.ts";

/**
 * Bumped whenever the files' meaning changes; an older index must be rebuilt. 3: Porter-stemmed
 * terms (src/text/stem.ts); 4: irregular past forms stemmed to their base; 5: each irregular
 * form to its own base (a table line no longer ran into the next); 6: content-derived chunk
 * ids (src/chunk-id.ts) and file sizes and checksums in the manifest; 7: titles cut at a clause
 * (src/ingest/parse-document.ts); 8: Cyrillic words stemmed with the Russian stemmer; 9: chunks.bin
 * (each chunk's JSON behind an offset table, parsed when first read; src/store/chunk-slots.ts)
 * instead of one chunks.json array parsed whole at start-up; 10: Russian "й" kept in terms
 * (src/text/words.ts), so adjective endings stem away.
 */
export const INDEX_FORMAT_VERSION = 10;

/** Thrown when the index exists but was built by another embedder or format. */
export class IndexMismatchError extends IndexError {}

/**
 * Thrown when a generation's files do not match its manifest (truncated, overwritten,
 * missing) or the manifest is invalid. `problem` says what is wrong, without the remedy.
 */
export class IndexDamagedError extends IndexError {
  readonly problem: string;

  constructor(problem: string, options: { cause?: unknown } = {}) {
    super(`${problem}. Run \`npm run embed\` to repair it.`, options);
    this.problem = problem;
  }
}

const FileRecordSchema = z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const ManifestDocumentSchema = z.object({
  contentHash: z.string(),
  /** Size and modification time of the file when it was embedded: an unchanged stat skips reading it. */
  size: z.number().optional(),
  mtimeMs: z.number().optional(),
  title: z.string(),
  publishedOn: z.string().nullable(),
  sourceName: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  /** Slots (HNSW labels, rows of vectors.f32) of this document's chunks, in order. */
  slots: z.array(z.number().int().nonnegative()),
});

export const FILES = {
  manifest: "manifest.json",
  chunks: "chunks.bin",
  vectors: "vectors.f32",
  hnsw: "hnsw.bin",
  lexical: "lexical.json",
  lexicalData: "lexical.bin",
} as const;

/** The files a manifest vouches for: every file of the generation but itself. */
export const DATA_FILES = [FILES.chunks, FILES.vectors, FILES.hnsw, FILES.lexical, FILES.lexicalData] as const;

/** The manifest of one generation, as validated when it is read. */
const ManifestSchema = z.object({
  formatVersion: z.literal(INDEX_FORMAT_VERSION),
  embedder: z.object({ id: z.string(), dimensions: z.number().int().positive() }),
  chunking: z.object({ maxChars: z.number().int().positive(), overlapSentences: z.number().int().nonnegative() }),
  hnsw: z.object({ m: z.number().int().positive(), efConstruction: z.number().int().positive() }),
  /** ISO timestamp of the build. */
  builtAt: z.string(),
  /** Number of slots in chunks.bin / vectors.f32 (live chunks plus freed slots). */
  slotCount: z.number().int().nonnegative(),
  chunkCount: z.number().int().nonnegative(),
  /** Size and sha256 of each of `DATA_FILES`. */
  files: z.object(Object.fromEntries(DATA_FILES.map((name) => [name, FileRecordSchema])) as Record<(typeof DATA_FILES)[number], typeof FileRecordSchema>),
  documents: z.record(z.string(), ManifestDocumentSchema),
});

/** The manifest without its documents: what zod checks; the documents are checked by `documentProblem`. */
const ManifestHeadSchema = ManifestSchema.extend({ documents: z.record(z.string(), z.unknown()) });

export type FileRecord = z.infer<typeof FileRecordSchema>;
export type ManifestDocument = z.infer<typeof ManifestDocumentSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;

const CURRENT = "CURRENT";

/** The serving generation's directory, or null when no index was ever built. */
/**
 * Why an index's vectors cannot be searched with `embedder` (another model, or another
 * number of dimensions), as "X (384 dimensions), not Y (100)"; null when they can. The one
 * compatibility check of an index: opening, building and starting all ask it.
 */
export function embedderMismatch(manifest: Pick<Manifest, "embedder">, embedder: { id: string; dimensions: number }): string | null {
  const built = manifest.embedder;
  if (built.id === embedder.id && built.dimensions === embedder.dimensions) return null;
  return `${built.id} (${built.dimensions} dimensions), not ${embedder.id} (${embedder.dimensions})`;
}

export async function currentGeneration(indexDir: string): Promise<string | null> {
  let name: string;
  try {
    name = (await readFile(path.join(indexDir, CURRENT), "utf8")).trim();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new IndexError(`Cannot read ${path.join(indexDir, CURRENT)}: ${(cause as Error).message}`, { cause });
  }
  if (!/^gen-[\w.-]+$/.test(name)) throw new IndexError(`${path.join(indexDir, CURRENT)} is corrupt; run \`npm run embed -- --force\`.`);
  return path.join(indexDir, name);
}

/** A fresh, empty directory for a new generation; names sort by creation time. */
export async function newGenerationDir(indexDir: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "").replace("T", "-").replace("Z", "");
  const dir = path.join(indexDir, `gen-${stamp}-${randomBytes(3).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Makes `generationDir` the serving one (atomic and durable), then prunes the others.
 * Only for the holder of the build lock.
 */
export async function publishGeneration(indexDir: string, generationDir: string): Promise<void> {
  const previous = await currentGeneration(indexDir).catch(() => null);
  // The temporary is `CURRENT.<pid>.<random>.tmp`: what pruneGenerations clears after a crash.
  await replaceFileDurably(path.join(indexDir, CURRENT), `${path.basename(generationDir)}\n`);
  await pruneGenerations(indexDir, { keep: [generationDir, previous] });
}

/**
 * Removes what no reader needs and no writer is writing: generations other than `keep`
 * and interrupted pointer writes. Only for the holder of the build lock, which guarantees
 * that no other build is writing a generation. Without `keep`, it keeps the serving
 * generation and the newest complete one before it (a reader may still be loading it).
 */
export async function pruneGenerations(indexDir: string, options: { keep?: (string | null)[] } = {}): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(indexDir);
  } catch {
    return [];
  }
  let keep = options.keep?.filter((dir): dir is string => dir !== null).map((dir) => path.basename(dir));
  if (!keep) {
    const current = await currentGeneration(indexDir).catch(() => null);
    const currentName = current && path.basename(current);
    const complete: string[] = [];
    for (const entry of entries.filter((e) => e.startsWith("gen-") && e !== currentName).sort()) {
      if (await stat(path.join(indexDir, entry, FILES.manifest)).catch(() => null)) complete.push(entry);
    }
    keep = [currentName, complete.at(-1)].filter((name): name is string => Boolean(name));
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const stale = (entry.startsWith("gen-") && !keep.includes(entry)) || (entry.startsWith(`${CURRENT}.`) && entry.endsWith(".tmp"));
    if (stale && (await rm(path.join(indexDir, entry), { recursive: true, force: true }).then(() => true, () => false))) removed.push(entry);
  }
  return removed;
}

/** Parses a manifest's JSON text: a wrong format version is a mismatch, anything else invalid is damage. */
export function parseManifest(text: string, file: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IndexDamagedError(`The index manifest ${file} is not valid JSON (${(cause as Error).message})`, { cause });
  }
  const version = z.object({ formatVersion: z.number() }).safeParse(json);
  if (version.success && version.data.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexMismatchError(`The index in ${path.dirname(path.dirname(file))} has format ${version.data.formatVersion}; this version reads format ${INDEX_FORMAT_VERSION}. Run \`npm run embed\` to rebuild it.`);
  }
  // zod checks the head; the ~10,000 document records are checked by a plain loop, which at
  // 30k chunks takes ~10 ms where the same zod schema took 150-450 ms of every start.
  const parsed = ManifestHeadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new IndexDamagedError(`The index manifest ${file} is invalid (${where}${issue.message})`);
  }
  for (const [docId, doc] of Object.entries(parsed.data.documents)) {
    const problem = documentProblem(doc);
    if (problem) throw new IndexDamagedError(`The index manifest ${file} is invalid (documents.${docId}.${problem})`);
  }
  return parsed.data as Manifest;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isSlot = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/**
 * What is wrong with one manifest document record ("field: what"), or null when it fits
 * `ManifestDocumentSchema` (test/index-files.test.ts holds the two to the same verdicts).
 */
export function documentProblem(doc: unknown): string | null {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "record: expected an object";
  const d = doc as Record<string, unknown>;
  if (!isString(d.contentHash)) return "contentHash: expected a string";
  if (!isString(d.title)) return "title: expected a string";
  for (const key of ["size", "mtimeMs"] as const) {
    if (d[key] !== undefined && (typeof d[key] !== "number" || Number.isNaN(d[key]))) return `${key}: expected a number`;
  }
  for (const key of ["publishedOn", "sourceName", "sourceUrl"] as const) {
    if (d[key] !== null && !isString(d[key])) return `${key}: expected a string or null`;
  }
  if (!Array.isArray(d.slots)) return "slots: expected an array of slot numbers";
  for (let i = 0; i < d.slots.length; i++) if (!isSlot(d.slots[i])) return `slots.${i}: expected a non-negative integer`;
  return null;
}

/** The serving generation's manifest, or null when no index was built yet. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  const dir = await currentGeneration(indexDir);
  return dir ? readGenerationManifest(dir) : null;
}

/**
 * The last manifest read, by its file's identity: a start reads the serving manifest twice
 * (the staleness check, then the open), and at 30k chunks each parse of its ~4 MB took
 * 0.1-0.3 s. A rewritten manifest has another size, mtime or inode, so it is read again.
 */
let lastManifest: { key: string; manifest: Manifest } | null = null;

/** The manifest of one generation directory. */
export async function readGenerationManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, FILES.manifest);
  let text: string;
  let key: string;
  try {
    const info = await stat(file);
    key = `${file}\0${info.ino}\0${info.size}\0${info.mtimeMs}\0${info.ctimeMs}`;
    if (lastManifest?.key === key) return lastManifest.manifest;
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new IndexDamagedError(`Cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  const manifest = parseManifest(text, file);
  lastManifest = { key, manifest };
  return manifest;
}

/** Size and sha256 of a generation's data files, as the manifest records them. */
export async function describeFiles(dir: string): Promise<Manifest["files"]> {
  const entries = await Promise.all(DATA_FILES.map(async (name) => [name, describe(await readFile(path.join(dir, name)))] as const));
  return Object.fromEntries(entries) as Manifest["files"];
}

const describe = (bytes: Buffer): FileRecord => ({ size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });

/**
 * Checks every data file's size against the manifest without reading it (cheap: catches
 * truncated, grown and missing files before anything is parsed).
 */
export async function verifySizes(dir: string, manifest: Manifest): Promise<void> {
  await Promise.all(
    DATA_FILES.map(async (name) => {
      const file = path.join(dir, name);
      const info = await stat(file).catch((cause: NodeJS.ErrnoException) => {
        throw unreadable(dir, name, cause);
      });
      checkSize(dir, name, info.size, manifest);
    }),
  );
}

/** Reads one data file and checks its size and sha256 against the manifest. */
export async function readVerified(dir: string, name: (typeof DATA_FILES)[number], manifest: Manifest): Promise<Buffer> {
  const bytes = await readFile(path.join(dir, name)).catch((cause: NodeJS.ErrnoException) => {
    throw unreadable(dir, name, cause);
  });
  const actual = describe(bytes);
  checkSize(dir, name, actual.size, manifest);
  if (actual.sha256 !== manifest.files[name].sha256) throw new IndexDamagedError(`The index in ${dir} is damaged: the checksum of ${name} does not match its manifest`);
  return bytes;
}

const unreadable = (dir: string, name: string, cause: NodeJS.ErrnoException) =>
  new IndexDamagedError(`The index in ${dir} is damaged: ${name} cannot be read (${cause.code ?? cause.message})`, { cause });

function checkSize(dir: string, name: (typeof DATA_FILES)[number], size: number, manifest: Manifest): void {
  const expected = manifest.files[name].size;
  if (size !== expected) throw new IndexDamagedError(`The index in ${dir} is damaged: ${name} has ${size} bytes, its manifest says ${expected}`);
}

/**
 * Checks one data file's sha256 against the manifest, reading it in pieces (a serving
 * process checks files it has already loaded without holding a second copy of them).
 */
export async function verifyChecksum(dir: string, name: (typeof DATA_FILES)[number], manifest: Manifest): Promise<void> {
  const hash = createHash("sha256");
  try {
    for await (const piece of createReadStream(path.join(dir, name), { highWaterMark: HASH_PIECE_BYTES })) hash.update(piece as Buffer);
  } catch (cause) {
    throw unreadable(dir, name, cause as NodeJS.ErrnoException);
  }
  if (hash.digest("hex") !== manifest.files[name].sha256) throw new IndexDamagedError(`The index in ${dir} is damaged: the checksum of ${name} does not match its manifest`);
}

/** Bytes hashed at a time by `verifyChecksum`: large enough for few reads, small enough to leave no trace in RSS. */
const HASH_PIECE_BYTES = 1024 * 1024;

/** Checks every data file of a generation (size first, then checksums). */
export async function verifyGeneration(dir: string, manifest: Manifest): Promise<void> {
  await verifySizes(dir, manifest);
  for (const name of DATA_FILES) await verifyChecksum(dir, name, manifest);
}

