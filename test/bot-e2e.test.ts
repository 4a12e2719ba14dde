/**
 * The whole product through Telegram's interface: the real bot, the real question-answering
 * pipeline over the fixture corpus with local embeddings, and the fake Bot API.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { visibleText as visible, waitForSent as waitForSentTo } from "./bot-helpers.ts";
import { fixtureBotPerFile } from "./support/fixture-bot.ts";

const bot = fixtureBotPerFile();
const waitForSent = (chatId: number, count: number, timeoutMs?: number) => waitForSentTo(bot.t.api, chatId, count, timeoutMs);

describe("bot with the real pipeline", () => {
  test("a private question gets a dated, cited answer whose [1] button opens the dated passage", async () => {
    const chat = 501;
    bot.t.api.pushMessage({ chatId: chat, text: "When did Japarov meet Cai Qi?" });
    const answer = await waitForSent(chat, 1);
    const text = visible(answer);
    assert.match(text, /Reported on 3 September 2025: .*Cai Qi.*\[1\]/s);
    assert.match(text, /Sources\n\[1\] .* — 3 Sep 2025/);
    const [button] = answer.body.reply_markup.inline_keyboard[0] as Array<{ text: string; callback_data: string }>;
    assert.equal(button.text, "[1]");

    bot.t.api.pushCallbackQuery({ chatId: chat, messageId: answer.result.message_id as number, data: button.callback_data });
    const passage = await waitForSent(chat, 2);
    assert.match(visible(passage), /^\[1\] .*\n3 Sep 2025/);
    assert.match(visible(passage), /Cai Qi/);
  });

  test("forged button data naming Object.prototype's keys says the passage is gone, without an error", async () => {
    const chat = 503;
    bot.t.api.pushMessage({ chatId: chat, text: "When did Japarov meet Cai Qi?" });
    const answer = await waitForSent(chat, 1);
    for (const data of ["p:__proto__#0", "p:constructor#0", "p:toString#1", "p:hasOwnProperty#x"]) {
      const before = bot.t.api.callsTo("answerCallbackQuery").length;
      bot.t.api.pushCallbackQuery({ chatId: chat, messageId: answer.result.message_id as number, data });
      const [alert] = (await bot.t.api.waitForCalls("answerCallbackQuery", before + 1)).slice(before);
      assert.match(String(alert.body.text), /no longer in the index/, data);
    }
    assert.ok(!bot.t.logs.some((line) => line.includes("update_failed")), "no handler failed");
  });

  test("in a group, chatter is ignored and /ask gets exactly one threaded reply; a reply to it follows up", async () => {
    const group = -100777;
    bot.t.api.pushMessage({ chatId: group, text: "who is bringing snacks tomorrow?" });
    const question = bot.t.api.pushMessage({ chatId: group, text: "/ask When did Japarov meet Cai Qi?" });
    const answer = await waitForSent(group, 1);
    assert.equal(answer.body.reply_parameters.message_id, question.message_id);
    assert.match(visible(answer), /3 September 2025/);

    bot.t.api.pushMessage({ chatId: group, text: "What did they discuss?", replyTo: answer.result.message_id as number });
    const followUp = await waitForSent(group, 2);
    assert.match(visible(followUp), /discussed/);
    assert.equal(bot.t.api.sentTo(group).length, 2, "the chatter got no reply");
  });

  test("a question the corpus does not cover is refused plainly, without sources or buttons", async () => {
    const chat = 502;
    bot.t.api.pushMessage({ chatId: chat, text: "Who won the 2018 World Cup?" });
    const answer = await waitForSent(chat, 1);
    assert.match(visible(answer), /do not cover/);
    assert.doesNotMatch(visible(answer), /Sources/);
    assert.equal(answer.body.reply_markup, undefined);
  });
});

/** Waits until `count` messages were sent to a chat and returns the last. */
