import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Message, MessageEntity } from "grammy/types";
import { classifyMessage, repliedBotMessageId, type BotIdentity } from "../src/bot/triggers.ts";

const me: BotIdentity = { id: 777, username: "VisitsBot" };
const user = { id: 5, is_bot: false, first_name: "Ann" };
const botUser = { id: 777, is_bot: true, first_name: "Visits Bot", username: "VisitsBot" };
const group = { id: -100, type: "supergroup" as const, title: "Chat" };
const privateChat = { id: 5, type: "private" as const, first_name: "Ann" };

function message(fields: Partial<Message> & { text?: string; entities?: MessageEntity[] }): Message {
  return { message_id: 10, date: 1, chat: group, from: user, ...fields } as Message;
}

const command = (text: string): MessageEntity[] => [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }];

describe("who the bot answers", () => {
  test("in a private chat any text is a question", () => {
    const incoming = classifyMessage(message({ chat: privateChat, text: "  When did Japarov visit?  " }), me);
    assert.deepEqual(incoming, { kind: "question", trigger: "private", question: "When did Japarov visit?" });
  });

  test("in a private chat a sticker or photo is unsupported, in a group it is ignored", () => {
    assert.deepEqual(classifyMessage(message({ chat: privateChat, sticker: {} as Message["sticker"] }), me), { kind: "unsupported" });
    assert.deepEqual(classifyMessage(message({ photo: [] }), me), { kind: "ignore" });
  });

  test("/ask and /ask@Bot are questions in groups; /ask@OtherBot is not for us", () => {
    assert.deepEqual(classifyMessage(message({ text: "/ask When?", entities: command("/ask When?") }), me), {
      kind: "question",
      trigger: "ask",
      question: "When?",
    });
    assert.deepEqual(classifyMessage(message({ text: "/ask@visitsbot When?", entities: command("/ask@visitsbot When?") }), me), {
      kind: "question",
      trigger: "ask",
      question: "When?",
    });
    assert.deepEqual(classifyMessage(message({ text: "/ask@OtherBot When?", entities: command("/ask@OtherBot When?") }), me), { kind: "ignore" });
  });

  test("/ask alone is an empty question (answered with a usage hint)", () => {
    assert.deepEqual(classifyMessage(message({ text: "/ask", entities: command("/ask") }), me), { kind: "question", trigger: "ask", question: "" });
  });

  test("a @mention of the bot is a question without the mention", () => {
    const text = "hey @VisitsBot, when did Japarov meet Xi?";
    const entities: MessageEntity[] = [{ type: "mention", offset: 4, length: 10 }];
    assert.deepEqual(classifyMessage(message({ text, entities }), me), { kind: "question", trigger: "mention", question: "hey, when did Japarov meet Xi?" });
  });

  test("a mention of another account is chatter", () => {
    const text = "ask @SomeoneElse about it";
    assert.deepEqual(classifyMessage(message({ text, entities: [{ type: "mention", offset: 4, length: 12 }] }), me), { kind: "ignore" });
  });

  test("a text mention of the bot's id is a question", () => {
    const text = "Visits Bot what happened in Beijing?";
    const entities: MessageEntity[] = [{ type: "text_mention", offset: 0, length: 10, user: botUser }];
    assert.deepEqual(classifyMessage(message({ text, entities }), me), { kind: "question", trigger: "mention", question: "what happened in Beijing?" });
  });

  test("a reply to the bot's message is a follow-up question", () => {
    const replied = message({ message_id: 9, from: botUser, text: "answer" });
    assert.deepEqual(classifyMessage(message({ text: "And what did they discuss?", reply_to_message: replied as Message["reply_to_message"] }), me), {
      kind: "question",
      trigger: "reply",
      question: "And what did they discuss?",
      replyToBotMessageId: 9,
    });
  });

  test("a reply to someone else, and plain chatter, are ignored", () => {
    const replied = message({ message_id: 9, from: user, text: "hi" });
    assert.deepEqual(classifyMessage(message({ text: "yes", reply_to_message: replied as Message["reply_to_message"] }), me), { kind: "ignore" });
    assert.deepEqual(classifyMessage(message({ text: "When is lunch?" }), me), { kind: "ignore" });
  });

  test("in a forum topic the implicit reply to the topic's first message is not a reply to the bot", () => {
    const root = { message_id: 50, date: 1, chat: group, from: botUser, forum_topic_created: { name: "t", icon_color: 1 } };
    const inTopic = message({ text: "chatter in a topic the bot opened", is_topic_message: true, message_thread_id: 50, reply_to_message: root as Message["reply_to_message"] });
    assert.equal(repliedBotMessageId(inTopic, me), undefined);
    assert.deepEqual(classifyMessage(inTopic, me), { kind: "ignore" });
  });

  test("other commands are commands, explicit when addressed with @", () => {
    assert.deepEqual(classifyMessage(message({ text: "/help", entities: command("/help") }), me), { kind: "command", command: "help", args: "", explicit: false });
    assert.deepEqual(classifyMessage(message({ text: "/Sources@VisitsBot 2", entities: command("/Sources@VisitsBot 2") }), me), {
      kind: "command",
      command: "sources",
      args: "2",
      explicit: true,
    });
  });

  test("channel posts are ignored", () => {
    assert.deepEqual(classifyMessage(message({ chat: { id: -5, type: "channel", title: "c" }, text: "hi" }), me), { kind: "ignore" });
  });
});
