/** chunks.bin (src/store/chunk-slots.ts): saved and read back slot for slot, each chunk parsed once when first read. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Chunk } from "../src/domain.ts";
import { ChunkSlots } from "../src/store/chunk-slots.ts";

const chunk = (docId: string, ordinal: number, text: string): Chunk => ({
  id: `${docId}#${ordinal}`,
  docId,
  title: `Визит ${docId}`,
  publishedOn: "2025-09-01",
  sourceName: null,
  sourceUrl: null,
  ordinal,
  text,
  start: 0,
  end: text.length,
});

test("chunk slots round-trip with freed slots and non-Latin text; a read chunk is the same object afterwards", () => {
  const saved = [chunk("a", 0, "Japarov met Xi Jinping in Beijing."), null, chunk("b", 0, "Жапаров встретился с Си Цзиньпином в Пекине."), null];
  const slots = ChunkSlots.decode(ChunkSlots.of(saved).encode());
  assert.equal(slots.length, 4);
  assert.deepEqual([0, 1, 2, 3].map((slot) => slots.isLive(slot)), [true, false, true, false]);
  const first = slots.get(2);
  assert.deepEqual(first, saved[2]);
  assert.equal(slots.get(2), first, "parsed once, then kept");
  assert.deepEqual([0, 1, 2, 3].map((slot) => slots.get(slot)), saved);
  assert.equal(slots.get(9), null);
  // Changes after loading: a freed slot, a reused one, one past the end.
  slots.set(0, null);
  slots.set(1, chunk("c", 0, "New text."));
  slots.set(5, chunk("d", 1, "Past the end."));
  const again = ChunkSlots.decode(slots.encode());
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((slot) => again.get(slot)), [null, slots.get(1), saved[2], null, null, slots.get(5)]);
});

test("bytes that are not a chunk table are refused with what is wrong", () => {
  assert.throws(() => ChunkSlots.decode(Buffer.from("[")), /too short/);
  const bytes = ChunkSlots.of([chunk("a", 0, "Text.")]).encode();
  assert.throws(() => ChunkSlots.decode(bytes.subarray(0, bytes.length - 1)), /offsets cover/);
  const huge = Buffer.from(bytes);
  huge.writeUInt32LE(1_000_000, 0);
  assert.throws(() => ChunkSlots.decode(huge), /do not fit/);
});
