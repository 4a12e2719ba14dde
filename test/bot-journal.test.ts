/** The update journal on its own: what survives a reopen, a torn last line, compaction and age. */
import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { Update } from "grammy/types";
import { UpdateJournal } from "../src/bot/update-journal.ts";

const update = (id: number): Update => ({ update_id: id, message: { message_id: id, date: 0, chat: { id: 1, type: "private", first_name: "U" }, text: `q${id}` } }) as Update;

test("the journal keeps undone updates (with their streamed message) across a reopen, skips a torn line, and compacts", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "journal-"));
  const file = path.join(dir, "state", "updates.jsonl");
  try {
    const first = await UpdateJournal.open(file, { compactEvery: 1000 });
    await first.received([update(1), update(2), update(3)]);
    assert.ok(first.claim(1) && first.claim(2));
    assert.equal(first.claim(2), false, "one handler per update");
    await first.streamed(2, 1, 500);
    await first.done(1);
    await first.close();
    await appendFile(file, '{"op":"done","id":'); // a write torn by the crash

    const second = await UpdateJournal.open(file);
    assert.deepEqual(second.recovery, { pending: 2, expired: 0, unreadable: 1 });
    assert.deepEqual(second.pending().map((p) => p.update.update_id), [2, 3]);
    assert.equal(second.streamedMessageId(2), 500);
    assert.equal(second.claim(1), false, "a done update redelivered by Telegram is skipped");
    await second.received([update(1), update(2)]);
    assert.deepEqual(second.pending().map((p) => p.update.update_id), [2, 3], "nothing recorded twice");
    await second.attempt(2);
    assert.equal(second.pending()[0].attempts, 2);
    await second.close();
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    assert.ok(lines.length <= 6, `compacted at open: ${lines.length} lines`);

    const later = await UpdateJournal.open(file, { now: () => Date.now() + 25 * 3600_000 });
    assert.deepEqual(later.recovery.expired, 2, "updates older than a day are not answered again");
    assert.equal(later.pending().length, 0);
    await later.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("concurrent appends share fsyncs and all land; compaction while running keeps what is pending", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "journal-"));
  const file = path.join(dir, "updates.jsonl");
  try {
    const journal = await UpdateJournal.open(file, { compactEvery: 50 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => journal.received([update(i + 1)])));
    await Promise.all(Array.from({ length: 199 }, (_, i) => (journal.claim(i + 1), journal.done(i + 1))));
    await journal.close();
    const reopened = await UpdateJournal.open(file);
    assert.deepEqual(reopened.pending().map((p) => p.update.update_id), [200]);
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
