/**
 * The bot in groups, end to end through the fake Bot API: the four triggers each get exactly one
 * threaded reply, chatter gets none, forum topics are respected, and the allow-list holds.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { NOT_ALLOWED_MESSAGE } from "../src/bot/create-bot.ts";
import { DEFAULT_ANSWER_DOC_IDS, DEFAULT_ANSWER_TEXT, startsBotsPerTest } from "./bot-helpers.ts";
import { parseTelegramHtml, type RecordedCall } from "./fakes/telegram-api.ts";

const start = startsBotsPerTest();

const visible = (call: RecordedCall): string => {
  const parsed = parseTelegramHtml(String(call.body.text));
  return parsed.ok ? parsed.text : String(call.body.text);
};

const GROUP = -100777;

describe("group chats", () => {
  test("each trigger gets exactly one reply, threaded to the question; chatter gets none", async () => {
    const t = await start();
    const bot = t.api.botUser;
    // An earlier answer of the bot to reply to.
    t.api.pushMessage({ chatId: GROUP, text: "/ask When did Japarov meet Cai Qi?" });
    const [earlier] = await t.api.waitForCalls("sendMessage", 1);
    const earlierId = earlier.result.message_id as number;

    const chatter = [
      t.api.pushMessage({ chatId: GROUP, text: "When is lunch?" }),
      t.api.pushMessage({ chatId: GROUP, text: "/ask@OtherBot what is the weather?" }),
      t.api.pushMessage({ chatId: GROUP, text: "@someoneelse did you see the visit?" }),
      t.api.pushMessage({ chatId: GROUP, text: "/help@OtherBot" }),
      t.api.pushMessage({ chatId: GROUP, kind: "sticker" }),
    ];
    const other = t.api.pushMessage({ chatId: GROUP, fromId: 2002, text: "I think so" });
    chatter.push(t.api.pushMessage({ chatId: GROUP, text: "me too", replyTo: other.message_id }));

    const questions = [
      t.api.pushMessage({ chatId: GROUP, text: "/ask When did Tokayev visit Beijing?" }),
      t.api.pushMessage({ chatId: GROUP, text: `/ask@${bot.username} What was signed?` }),
      t.api.pushMessage({ chatId: GROUP, text: `@${bot.username} who met Cai Qi?` }),
      t.api.pushMessage({
        chatId: GROUP,
        text: "Visits Bot, which railway?",
        entities: [{ type: "text_mention", offset: 0, length: 10, user: { id: bot.id, is_bot: true, first_name: bot.first_name } }],
      }),
      t.api.pushMessage({ chatId: GROUP, text: "And what did they discuss?", replyTo: earlierId }),
    ];
    await t.api.waitForCalls("sendMessage", 1 + questions.length);
    await t.api.settle();

    const replies = t.api.sentTo(GROUP).slice(1);
    assert.equal(replies.length, questions.length, "one reply per trigger, none for chatter");
    for (const q of questions) {
      const threaded = replies.filter((r) => r.body.reply_parameters?.message_id === q.message_id);
      assert.equal(threaded.length, 1, `exactly one reply to "${String(q.text)}"`);
    }
    for (const c of chatter) assert.ok(!replies.some((r) => r.body.reply_parameters?.message_id === c.message_id));
    assert.deepEqual(
      t.qa.calls.slice(1).map((c) => c.question),
      ["When did Tokayev visit Beijing?", "What was signed?", "who met Cai Qi?", "which railway?", "And what did they discuss?"],
    );
    assert.deepEqual(t.qa.calls[5].history, [{ question: "When did Japarov meet Cai Qi?", answer: DEFAULT_ANSWER_TEXT, docIds: DEFAULT_ANSWER_DOC_IDS }], "the reply is a follow-up");
    assert.equal(t.qa.calls[1].history.length, 0, "a new /ask in a group has no history");
  });

  test("in a forum topic the answer goes to that topic; chatter in a topic the bot opened is still ignored", async () => {
    const t = await start();
    t.api.pushMessage({ chatId: GROUP, threadId: 55, text: "chatter in a topic", topicCreatorId: t.api.botUser.id });
    const q = t.api.pushMessage({ chatId: GROUP, threadId: 55, text: "/ask When did Japarov meet Cai Qi?" });
    const [answer] = await t.api.waitForCalls("sendMessage", 1);
    await t.api.settle();
    assert.equal(t.api.sentTo(GROUP).length, 1);
    assert.equal(answer.body.message_thread_id, 55);
    assert.equal(answer.body.reply_parameters.message_id, q.message_id);
    const typing = t.api.callsTo("sendChatAction", (c) => c.body.chat_id === GROUP);
    assert.ok(typing.length > 0 && typing.every((c) => c.body.message_thread_id === 55));

    // The passage opened from a topic answer lands in the same topic.
    t.api.pushCallbackQuery({ chatId: GROUP, messageId: answer.result.message_id as number, data: answer.body.reply_markup.inline_keyboard[0][0].callback_data });
    const [, passage] = await t.api.waitForCalls("sendMessage", 2);
    assert.equal(passage.body.message_thread_id, 55);
    assert.match(visible(passage), /3 Sep 2025/);
  });

  test("/ask without a question gets a one-line usage hint; an unknown command is ignored unless addressed with @", async () => {
    const t = await start();
    const ask = t.api.pushMessage({ chatId: GROUP, text: "/ask" });
    t.api.pushMessage({ chatId: GROUP, text: "/frobnicate" });
    const addressed = t.api.pushMessage({ chatId: GROUP, text: `/frobnicate@${t.api.botUser.username}` });
    const mentionOnly = t.api.pushMessage({ chatId: GROUP, text: `@${t.api.botUser.username}` });
    await t.api.waitForCalls("sendMessage", 3);
    await t.api.settle();
    const sent = t.api.sentTo(GROUP);
    assert.equal(sent.length, 3);
    assert.equal(sent[0].body.reply_parameters.message_id, ask.message_id);
    assert.match(visible(sent[0]), /^Usage: \/ask your question/);
    assert.equal(sent[1].body.reply_parameters.message_id, addressed.message_id);
    assert.match(visible(sent[1]), /I don't know that command/);
    assert.equal(sent[2].body.reply_parameters.message_id, mentionOnly.message_id);
    assert.equal(t.qa.calls.length, 0);
  });
});

describe("access control", () => {
  test("with ALLOWED_CHAT_IDS, other chats get one short refusal and nothing else", async () => {
    const allowedGroup = -1001;
    const t = await start({ config: { allowedChatIds: new Set([allowedGroup]) } });
    t.api.pushMessage({ chatId: allowedGroup, text: "/ask When did Japarov meet Cai Qi?" });
    await t.api.waitForCalls("sendMessage", 1);

    t.api.pushMessage({ chatId: -2002, text: "chatter in a stranger group" });
    t.api.pushMessage({ chatId: -2002, text: "/ask When did Japarov meet Cai Qi?" });
    t.api.pushMessage({ chatId: -2002, text: "/ask And Tokayev?" });
    t.api.pushMessage({ chatId: 3003, text: "When did Japarov meet Cai Qi?" });
    t.api.pushMessage({ chatId: 3003, text: "/help" });
    await t.api.waitForCalls("sendMessage", 3);
    await t.api.settle();

    assert.deepEqual(t.api.sentTo(-2002).map(visible), [NOT_ALLOWED_MESSAGE]);
    assert.deepEqual(t.api.sentTo(3003).map(visible), [NOT_ALLOWED_MESSAGE]);
    assert.equal(t.qa.calls.length, 1, "only the allowed chat reached qa.ask");
    assert.equal(t.api.callsTo("sendChatAction", (c) => c.body.chat_id !== allowedGroup).length, 0);
  });
});
