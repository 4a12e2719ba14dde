/**
 * The chunk of every store slot (null for a freed slot), as saved in `chunks.bin`. The file
 * holds each slot's chunk as its own JSON text behind a table of byte offsets, so loading
 * is reading the table: a chunk is read from the file (`open`) or from bytes already in
 * memory (`decode`) and parsed the first time its slot is asked for, and kept (the same
 * object afterwards, which the caches keyed by chunk rely on). Parsing the whole
 * 30,000-chunk JSON array at start-up took ~0.9 s and ~100 MB, and holding the file's
 * bytes ~29 MB; most chunks are never read by a serving process that answers a few questions.
 *
 *   u32 slot count n
 *   u32 offsets[n + 1]   byte offsets into the text area; an empty range is a freed slot
 *   UTF-8 text area      the JSON of each live slot's chunk, one after the other
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Chunk } from "../domain.ts";

/** Where unparsed chunks are read from: the offset table, and the text between two offsets. */
interface RawSlots {
  offsets: Uint32Array;
  text(from: number, to: number): string;
  /** Releases the source (the open file) once every slot is parsed or set. */
  release(): void;
}

/** Closes the file of a ChunkSlots that is dropped before all its slots were read (a replaced index). */
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

export class ChunkSlots {
  /** Parsed or set chunks; undefined: not parsed yet (see `raw`). */
  private readonly chunks: (Chunk | null | undefined)[];
  /** The unparsed chunks' source, dropped once every slot is parsed or set (a scan of the whole corpus) so they are not held twice. */
  private raw: RawSlots | null;
  /** Slots still read from `raw`. */
  private unparsed: number;

  private constructor(chunks: (Chunk | null | undefined)[], raw: RawSlots | null) {
    this.chunks = chunks;
    this.raw = raw;
    this.unparsed = raw ? chunks.length : 0;
  }

  static of(chunks: readonly (Chunk | null)[] = []): ChunkSlots {
    return new ChunkSlots([...chunks], null);
  }

  /** Reads the saved form; throws an Error saying what is wrong when the bytes are not one. */
  static decode(bytes: Buffer): ChunkSlots {
    const { count, tableBytes } = ChunkSlots.header(bytes, bytes.byteLength);
    const offsets = ChunkSlots.offsets(bytes, count, bytes.byteLength - tableBytes);
    const text = bytes.subarray(tableBytes);
    return new ChunkSlots(new Array<undefined>(count), { offsets, text: (from, to) => text.toString("utf8", from, to), release: () => undefined });
  }

  /**
   * Opens a saved file and reads its offset table only; each chunk's bytes are read from
   * the file when its slot is first asked for (the file stays open until then, or until
   * this is dropped). Throws an Error saying what is wrong when the file is not one.
   */
  static open(file: string): ChunkSlots {
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      const read = (length: number, position: number): Buffer => {
        const bytes = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const n = readSync(fd, bytes, done, length - done, position + done);
          if (n === 0) throw new Error(`${file} ends at ${position + done} bytes, inside a chunk`);
          done += n;
        }
        return bytes;
      };
      const { count, tableBytes } = ChunkSlots.header(read(Math.min(size, 4), 0), size);
      const offsets = ChunkSlots.offsets(read(tableBytes, 0), count, size - tableBytes);
      const token = {};
      const slots = new ChunkSlots(new Array<undefined>(count), {
        offsets,
        text: (from, to) => read(to - from, tableBytes + from).toString("utf8"),
        release: () => {
          openFiles.unregister(token);
          closeSync(fd);
        },
      });
      if (slots.unparsed === 0) slots.close();
      else openFiles.register(slots, fd, token);
      return slots;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The slot count and the table's length in bytes, from the first 4 bytes of a saved form of `size` bytes. */
  private static header(bytes: Buffer, size: number): { count: number; tableBytes: number } {
    if (size < 8) throw new Error(`${size} bytes, too short for a chunk table`);
    const count = bytes.readUInt32LE(0);
    const tableBytes = 4 * (count + 2);
    if (tableBytes > size) throw new Error(`${count} slots do not fit in ${size} bytes`);
    return { count, tableBytes };
  }

  /** The offset table of a saved form (`bytes` starts with it), checked against a text area of `textBytes`. */
  private static offsets(bytes: Buffer, count: number, textBytes: number): Uint32Array {
    // Copy the offsets out (4 bytes a slot) so that their view is aligned whatever the Buffer's offset.
    const offsets = new Uint32Array(count + 1);
    for (let i = 0; i <= count; i++) offsets[i] = bytes.readUInt32LE(4 + 4 * i);
    for (let i = 0; i < count; i++) if (offsets[i + 1] < offsets[i]) throw new Error(`slot ${i} has a negative length`);
    if (offsets[0] !== 0 || offsets[count] !== textBytes) throw new Error(`the offsets cover ${offsets[count]} bytes of a ${textBytes}-byte text area`);
    return offsets;
  }

  encode(): Buffer {
    const count = this.length;
    const parts: Buffer[] = [];
    const table = Buffer.alloc(4 * (count + 2));
    table.writeUInt32LE(count, 0);
    let offset = 0;
    for (let slot = 0; slot < count; slot++) {
      const chunk = this.get(slot);
      if (chunk) {
        const json = Buffer.from(JSON.stringify(chunk), "utf8");
        parts.push(json);
        offset += json.byteLength;
      }
      table.writeUInt32LE(offset, 4 + 4 * (slot + 1));
    }
    return Buffer.concat([table, ...parts]);
  }

  get length(): number {
    return this.chunks.length;
  }

  /** Whether the slot holds a chunk, without parsing it. */
  isLive(slot: number): boolean {
    const known = this.chunks[slot];
    if (known !== undefined) return known !== null;
    const raw = this.raw;
    return raw !== null && slot < this.chunks.length && raw.offsets[slot + 1] > raw.offsets[slot];
  }

  get(slot: number): Chunk | null {
    if (slot < 0 || slot >= this.chunks.length || this.chunks[slot] !== undefined) return this.chunks[slot] ?? null;
    // Read once, then kept: the same object afterwards.
    const chunk = this.peek(slot);
    this.chunks[slot] = chunk;
    this.settled();
    return chunk;
  }

  /**
   * The slot's chunk without keeping it when it was not read yet (a scan of the whole
   * corpus, such as counting its words, then holds one chunk at a time); a chunk already
   * read is that same object.
   */
  peek(slot: number): Chunk | null {
    if (slot < 0 || slot >= this.chunks.length) return null;
    const known = this.chunks[slot];
    if (known !== undefined) return known;
    const raw = this.raw;
    if (!raw) throw new Error(`chunk slot ${slot} was not read before its file was closed`);
    const from = raw.offsets[slot];
    const to = raw.offsets[slot + 1];
    return to > from ? (JSON.parse(raw.text(from, to)) as Chunk) : null;
  }

  set(slot: number, chunk: Chunk | null): void {
    while (this.chunks.length <= slot) this.chunks.push(null);
    const wasUnparsed = this.raw !== null && this.chunks[slot] === undefined;
    this.chunks[slot] = chunk;
    if (wasUnparsed) this.settled();
  }

  /** Closes the file unread slots are read from (`open`); those slots cannot be read afterwards. */
  close(): void {
    this.raw?.release();
    this.raw = null;
  }

  /** One more slot no longer read from `raw`. */
  private settled(): void {
    if (--this.unparsed === 0) {
      this.raw?.release();
      this.raw = null;
    }
  }
}
