import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConversationStore } from "../src/answering/conversation.ts";
import { InflightTracker } from "../src/bot/inflight.ts";
import { CONVERSATION_DEFAULTS, loadConfig } from "../src/config.ts";

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe("conversation memory", () => {
  test("a reply to an answer (any of its parts) gets that answer's turn", () => {
    const store = new ConversationStore();
    store.record(1, { question: "When did Japarov meet Cai Qi?", answer: "On 3 Sep 2025 [1]." }, [10, 11]);
    store.record(1, { question: "Who visited Astana?", answer: "Xi [1]." }, [13]);
    assert.deepEqual(store.forReply(1, 11)?.history, [{ question: "When did Japarov meet Cai Qi?", answer: "On 3 Sep 2025 [1]." }]);
    assert.deepEqual(store.forReply(1, 13)?.history.map((t) => t.question), ["Who visited Astana?"], "other people's questions are not mixed in");
    assert.equal(store.forReply(1, 99), null);
    assert.equal(store.forReply(2, 10), null, "chats are separate");
  });

  test("its limits come from the configuration, one value each, with named errors", () => {
    const defaults = loadConfig({});
    assert.equal(defaults.historyTurns, CONVERSATION_DEFAULTS.historyTurns);
    assert.equal(defaults.followUpWindowMs, CONVERSATION_DEFAULTS.followUpWindowMs);
    const set = loadConfig({ HISTORY_TURNS: "5", FOLLOW_UP_WINDOW_MS: "60000" });
    assert.deepEqual([set.historyTurns, set.followUpWindowMs], [5, 60_000]);
    assert.throws(() => loadConfig({ HISTORY_TURNS: "0" }), /HISTORY_TURNS must be a whole number from 1 to 20 \(got "0"\)/);
    assert.throws(() => loadConfig({ FOLLOW_UP_WINDOW_MS: "soon" }), /FOLLOW_UP_WINDOW_MS must be a whole number/);
  });

  test("forget drops one chat's context (the terminal's /new), not the others'", () => {
    const store = new ConversationStore();
    store.record(1, { question: "q1", answer: "a1 [1]." }, []);
    store.record(2, { question: "q2", answer: "a2 [1]." }, []);
    assert.ok(store.forNextMessage(1));
    store.forget(1);
    assert.equal(store.forNextMessage(1), null);
    assert.deepEqual(store.forNextMessage(2)?.history.map((t) => t.question), ["q2"]);
  });

  test("a follow-up of a follow-up carries its whole thread, bounded to maxTurns", () => {
    const store = new ConversationStore({ maxTurns: 2 });
    store.record(1, { question: "q1", answer: "a1" }, [1]);
    store.record(1, { question: "unrelated", answer: "x" }, [2]);
    store.record(1, { question: "q2", answer: "a2" }, [3], store.forReply(1, 1));
    assert.deepEqual(store.forReply(1, 3)?.history.map((t) => t.question), ["q1", "q2"]);
    store.record(1, { question: "q3", answer: "a3" }, [4], store.forReply(1, 3));
    assert.deepEqual(store.forReply(1, 4)?.history.map((t) => t.question), ["q2", "q3"]);
  });

  test("a private follow-up counts only within the window after the last answer, and starts a new thread after it", () => {
    const c = clock();
    const store = new ConversationStore({ followUpWindowMs: 60_000, now: c.now });
    store.record(1, { question: "q1", answer: "a1" }, [1]);
    c.advance(59_000);
    assert.deepEqual(store.forNextMessage(1)?.history, [{ question: "q1", answer: "a1" }]);
    c.advance(2_000);
    assert.equal(store.forNextMessage(1), null);
    store.record(1, { question: "q2", answer: "a2" }, [2], null);
    assert.deepEqual(store.forNextMessage(1)?.history.map((t) => t.question), ["q2"], "q1 is not part of q2's thread");
  });

  test("answers per chat are bounded", () => {
    const store = new ConversationStore({ maxAnswersPerChat: 2 });
    for (let i = 0; i < 5; i++) store.record(1, { question: `q${i}`, answer: `a${i}` }, [i]);
    assert.equal(store.forReply(1, 0), null, "the oldest answers are forgotten");
    assert.ok(store.forReply(1, 3));
  });

  test("100,000 follow-ups in one chat keep memory flat: turns, characters per turn and bytes are bounded", () => {
    const store = new ConversationStore({ maxTurns: 3, maxTurnChars: 500, maxBytes: 200_000 });
    const answer = "x".repeat(3000);
    let followUp = null;
    let peak = 0;
    for (let i = 0; i < 100_000; i++) {
      store.record(1, { question: `q${i}`, answer }, [i], followUp);
      followUp = store.forReply(1, i);
      peak = Math.max(peak, store.bytes);
    }
    assert.ok(peak <= 200_000, `peak ${peak} bytes`);
    assert.deepEqual(followUp?.history.map((t) => t.question), ["q99997", "q99998", "q99999"]);
    assert.equal(followUp?.history[0].answer.length, 500, "answers kept to maxTurnChars");
    for (let chat = 2; chat < 400; chat++) store.record(chat, { question: "q", answer }, [1]);
    assert.ok(store.bytes <= 200_000, "many chats: the byte bound evicts the least recent");
  });

  test("chats are bounded (LRU) and expire (TTL)", () => {
    const c = clock();
    const store = new ConversationStore({ maxChats: 3, ttlMs: 10_000, now: c.now });
    for (let chat = 1; chat <= 5; chat++) store.record(chat, { question: "q", answer: "a" }, [chat]);
    assert.equal(store.size, 3);
    assert.equal(store.forReply(1, 1), null, "the least recent chat was evicted");
    assert.ok(store.forReply(5, 5));
    c.advance(10_001);
    assert.equal(store.forReply(5, 5), null, "expired");
  });
});

describe("in-flight tracking", () => {
  test("drain waits for tasks, including ones started while draining", async () => {
    const tracker = new InflightTracker();
    const order: string[] = [];
    tracker.track(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push("first");
          tracker.track(new Promise<void>((r) => setTimeout(() => (order.push("second"), r()), 20)));
          resolve();
        }, 20),
      ),
    );
    assert.equal(await tracker.drain(1000), true);
    assert.deepEqual(order, ["first", "second"]);
  });

  test("drain gives up after its timeout", async () => {
    const tracker = new InflightTracker();
    let release!: () => void;
    tracker.track(new Promise<void>((r) => (release = r)));
    assert.equal(await tracker.drain(30), false);
    release();
    assert.equal(await tracker.drain(1000), true);
  });
});
