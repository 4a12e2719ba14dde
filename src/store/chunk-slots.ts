/**
 * The chunk of every store slot (null for a freed slot), as saved in `chunks.bin`. The file
 * holds each slot's chunk as its own JSON text behind a table of byte offsets, so loading
 * is reading one Buffer: a chunk is parsed the first time its slot is asked for, and kept
 * (the same object afterwards, which the caches keyed by chunk rely on). Parsing the whole
 * 30,000-chunk JSON array at start-up took ~0.9 s and ~100 MB; most chunks are never read
 * by a serving process that answers a few questions.
 *
 *   u32 slot count n
 *   u32 offsets[n + 1]   byte offsets into the text area; an empty range is a freed slot
 *   UTF-8 text area      the JSON of each live slot's chunk, one after the other
 */
import type { Chunk } from "../domain.ts";

export class ChunkSlots {
  /** Parsed or set chunks; undefined: not parsed yet (see `raw`). */
  private readonly chunks: (Chunk | null | undefined)[];
  /** The loaded bytes, dropped once every slot is parsed or set (a scan of the whole corpus) so they are not held twice. */
  private raw: { text: Buffer; offsets: Uint32Array } | null;
  /** Slots still read from `raw`. */
  private unparsed: number;

  private constructor(chunks: (Chunk | null | undefined)[], raw: { text: Buffer; offsets: Uint32Array } | null) {
    this.chunks = chunks;
    this.raw = raw;
    this.unparsed = raw ? chunks.length : 0;
  }

  static of(chunks: readonly (Chunk | null)[] = []): ChunkSlots {
    return new ChunkSlots([...chunks], null);
  }

  /** Reads the saved form; throws an Error saying what is wrong when the bytes are not one. */
  static decode(bytes: Buffer): ChunkSlots {
    if (bytes.byteLength < 8) throw new Error(`${bytes.byteLength} bytes, too short for a chunk table`);
    const count = bytes.readUInt32LE(0);
    const tableBytes = 4 * (count + 2);
    if (tableBytes > bytes.byteLength) throw new Error(`${count} slots do not fit in ${bytes.byteLength} bytes`);
    // Copy the offsets out (4 bytes a slot) so that their view is aligned whatever the Buffer's offset.
    const offsets = new Uint32Array(count + 1);
    for (let i = 0; i <= count; i++) offsets[i] = bytes.readUInt32LE(4 + 4 * i);
    const text = bytes.subarray(tableBytes);
    for (let i = 0; i < count; i++) if (offsets[i + 1] < offsets[i]) throw new Error(`slot ${i} has a negative length`);
    if (offsets[0] !== 0 || offsets[count] !== text.byteLength) throw new Error(`the offsets cover ${offsets[count]} bytes of a ${text.byteLength}-byte text area`);
    return new ChunkSlots(new Array<undefined>(count), { text, offsets });
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
    if (slot < 0 || slot >= this.chunks.length) return null;
    const known = this.chunks[slot];
    if (known !== undefined) return known;
    const raw = this.raw!;
    const from = raw.offsets[slot];
    const to = raw.offsets[slot + 1];
    const chunk = to > from ? (JSON.parse(raw.text.toString("utf8", from, to)) as Chunk) : null;
    this.chunks[slot] = chunk;
    this.settled();
    return chunk;
  }

  set(slot: number, chunk: Chunk | null): void {
    while (this.chunks.length <= slot) this.chunks.push(null);
    const wasUnparsed = this.raw !== null && this.chunks[slot] === undefined;
    this.chunks[slot] = chunk;
    if (wasUnparsed) this.settled();
  }

  /** One more slot no longer read from `raw`. */
  private settled(): void {
    if (--this.unparsed === 0) this.raw = null;
  }
}
