/**
 * The load bench's machinery on a small run: every question answered exactly once, none lost.
 * (The full 200-question figures come from `npm run bench`.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeQaService } from "./bot-helpers.ts";
import { runBotLoad } from "./bench-bot-load.ts";

test("40 questions from 10 chats at once: each answered exactly once, none lost", async () => {
  const qa = new FakeQaService();
  const result = await runBotLoad({ qa, questions: ["When did Japarov meet Cai Qi?", "What was signed?"], chats: 10, total: 40, timeoutMs: 10_000 });
  assert.deepEqual([result.answered, result.duplicates, result.lost], [40, 0, 0]);
  assert.equal(qa.calls.length, 40);
  assert.ok(result.p95Ms >= result.p50Ms && result.p50Ms > 0);
});
