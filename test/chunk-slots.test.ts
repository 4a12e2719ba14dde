/** chunks.bin (src/store/chunk-slots.ts): saved and read back slot for slot, each chunk parsed once when first read. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
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

const dir = mkdtempSync(path.join(tmpdir(), "chunk-slots-"));
after(() => rmSync(dir, { recursive: true, force: true }));
/** Descriptors this process holds open on files of this test's folder (others open and close meanwhile: the runner, sockets). */
const openFds = () =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false; // closed meanwhile
    }
  }).length;

test("a saved file opened in place reads a chunk from disk when first asked for, and closes once every slot is read", { skip: process.platform !== "linux" && "counts /proc/self/fd" }, () => {
  const saved = [chunk("a", 0, "Japarov met Xi Jinping in Beijing."), null, chunk("b", 0, "Жапаров встретился с Си Цзиньпином в Пекине.")];
  const file = path.join(dir, "chunks.bin");
  writeFileSync(file, ChunkSlots.of(saved).encode());
  const before = openFds();
  const slots = ChunkSlots.open(file);
  assert.equal(openFds(), before + 1, "the file stays open for the unread slots");
  assert.deepEqual([0, 1, 2].map((slot) => slots.isLive(slot)), [true, false, true]);
  const first = slots.get(2);
  assert.deepEqual(first, saved[2]);
  assert.equal(slots.get(2), first, "parsed once, then kept");
  assert.deepEqual([0, 1, 2].map((slot) => slots.get(slot)), saved);
  assert.equal(openFds(), before, "closed once every slot is read");
  assert.deepEqual(ChunkSlots.decode(slots.encode()).get(0), saved[0]);
});

test("a file that is not a chunk table is refused with what is wrong, and not left open", { skip: process.platform !== "linux" && "counts /proc/self/fd" }, () => {
  const bytes = ChunkSlots.of([chunk("a", 0, "Text.")]).encode();
  const file = path.join(dir, "short.bin");
  const before = openFds();
  writeFileSync(file, bytes.subarray(0, bytes.length - 1));
  assert.throws(() => ChunkSlots.open(file), /offsets cover/);
  writeFileSync(file, "[");
  assert.throws(() => ChunkSlots.open(file), /too short/);
  assert.equal(openFds(), before);
});

test("closing an opened file releases it; a slot not read by then says so", { skip: process.platform !== "linux" && "counts /proc/self/fd" }, () => {
  const file = path.join(dir, "closed.bin");
  writeFileSync(file, ChunkSlots.of([chunk("a", 0, "One."), chunk("b", 0, "Two.")]).encode());
  const before = openFds();
  const slots = ChunkSlots.open(file);
  assert.equal(slots.get(0)?.text, "One.");
  slots.close();
  assert.equal(openFds(), before);
  assert.equal(slots.get(0)?.text, "One.", "a chunk read before stays");
  assert.throws(() => slots.get(1), /not read before its file was closed/);
});

test("an empty table (an empty corpus) opens with nothing left open, and closing it again is harmless", { skip: process.platform !== "linux" && "counts /proc/self/fd" }, () => {
  const file = path.join(dir, "empty.bin");
  writeFileSync(file, ChunkSlots.of([]).encode());
  const before = openFds();
  const slots = ChunkSlots.open(file);
  assert.equal(openFds(), before);
  slots.close();
  slots.close();
  assert.equal(slots.get(0), null);
});
