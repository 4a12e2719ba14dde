/**
 * Russian-speaking users through Telegram's interface: the real bot and pipeline over the
 * English fixture corpus, and the fake Bot API. A Russian question gets the English quotes
 * framed in Russian with dated sources; /start follows the user's language_code; the command
 * menu is registered in English and Russian; /sources and /timeline (and their page buttons)
 * follow the user's language_code, with Russian dates.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { visibleText as visible, waitForSent as waitForSentTo } from "./bot-helpers.ts";
import { fixtureBotPerFile } from "./support/fixture-bot.ts";
import type { RecordedCall } from "./fakes/telegram-api.ts";

const bot = fixtureBotPerFile();
const waitForSent = (chatId: number, count: number, timeoutMs?: number) => waitForSentTo(bot.t.api, chatId, count, timeoutMs);

describe("Russian-speaking users", () => {
  test("a Russian question in a private chat gets the English evidence framed in Russian, with dated citations", async () => {
    const chat = 701;
    bot.t.api.pushMessage({ chatId: chat, text: "Когда Жапаров встретился с Цай Ци?" });
    const text = visible(await waitForSent(chat, 1));
    assert.match(text, /^3 сентября 2025 года: .*Cai Qi.*\[1\]/s);
    assert.match(text, /Источники\n\[1\] .* — 3 сент\. 2025 г\./);
    assert.doesNotMatch(text, /Sources|On 3 September/);
  });

  test("a Russian question the documents do not cover is refused in Russian, without sources", async () => {
    const chat = 702;
    bot.t.api.pushMessage({ chatId: chat, text: "Кто выиграл чемпионат мира по футболу в 2018 году?" });
    const answer = await waitForSent(chat, 1);
    assert.match(visible(answer), /^В моих документах об этом ничего нет/);
    assert.equal(answer.body.reply_markup, undefined);
  });

  test("/start from a user whose Telegram is in Russian is answered in Russian; in English otherwise", async () => {
    bot.t.api.pushMessage({ chatId: 703, text: "/start", languageCode: "ru" });
    assert.match(visible(await waitForSent(703, 1)), /Я отвечаю на вопросы об официальных визитах/);
    bot.t.api.pushMessage({ chatId: 704, text: "/start", languageCode: "en" });
    assert.match(visible(await waitForSent(704, 1)), /I answer questions about official visits/);
  });

  test("the question's script wins over language_code: an English question from a Russian-language user gets English", async () => {
    bot.t.api.pushMessage({ chatId: 705, text: "When did Japarov meet Cai Qi?", languageCode: "ru" });
    assert.match(visible(await waitForSent(705, 1)), /^Reported on 3 September 2025: .*Sources/s);
  });

  test("Russian greetings get a Russian reply", async () => {
    bot.t.api.pushMessage({ chatId: 706, text: "Привет!" });
    assert.match(visible(await waitForSent(706, 1)), /^Здравствуйте!/);
  });

  test("setMyCommands registers the menu in English and, for language_code ru, in Russian", async () => {
    const deadline = Date.now() + 5000;
    while (bot.t.api.callsTo("setMyCommands").length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const calls = bot.t.api.callsTo("setMyCommands");
    const english = calls.find((c) => c.body.language_code === undefined);
    const russian = calls.find((c) => c.body.language_code === "ru");
    assert.ok(english && russian, `two registrations, got ${calls.length}`);
    const descriptions = (call: RecordedCall) => Object.fromEntries((call.body.commands as { command: string; description: string }[]).map((c) => [c.command, c.description]));
    assert.equal(descriptions(english).help, "What I know and how to ask");
    assert.equal(descriptions(russian).help, "Что я знаю и как спрашивать");
  });

  test("/sources from a user whose Telegram is in Russian lists the documents in Russian with Russian dates; its page button follows the presser's language", async () => {
    const chat = 707;
    bot.t.api.pushMessage({ chatId: chat, text: "/sources", languageCode: "ru" });
    const page = await waitForSent(chat, 1);
    const text = visible(page);
    const count = bot.qa.sources().length;
    assert.match(text, new RegExp(`^Источники: ${count} документ(а|ов)?, сначала новые\n\n1\. \\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \\d{4} г\\. — `));
    assert.match(text, /3 сентября 2025 г\. — /);
    assert.doesNotMatch(text, /newest first|\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
    const buttons = (page.body.reply_markup.inline_keyboard[0] as { text: string }[]).map((b) => b.text);
    assert.deepEqual(buttons, [`1 / ${Math.ceil(count / 10)}`, "Старше ›"]);

    const messageId = page.result.message_id as number;
    const next = page.body.reply_markup.inline_keyboard[0][1].callback_data as string;
    bot.t.api.pushCallbackQuery({ chatId: chat, messageId, data: next, languageCode: "ru" });
    const [edit] = await bot.t.api.waitForCalls("editMessageText", 1, { where: (c) => c.body.chat_id === chat && c.body.message_id === messageId });
    assert.match(visible(edit), /^Источники: .*\n\n11\. /);
    assert.equal(edit.body.reply_markup.inline_keyboard[0][0].text, "‹ Новее");
  });

  test("/timeline from a user whose Telegram is in Russian is in Russian, oldest first, with Russian dates; in English otherwise", async () => {
    bot.t.api.pushMessage({ chatId: 708, text: "/timeline", languageCode: "ru" });
    const page = await waitForSent(708, 1);
    const text = visible(page);
    assert.match(text, /^Хронология\n\n\d{1,2} [а-я]+ \d{4} г\. — /);
    assert.doesNotMatch(text, /Timeline|undated|\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
    assert.equal(page.body.reply_markup.inline_keyboard[0].at(-1).text, "Позже ›");

    bot.t.api.pushMessage({ chatId: 709, text: "/timeline", languageCode: "en" });
    const english = await waitForSent(709, 1);
    assert.match(visible(english), /^Timeline\n\n\d{1,2} [A-Z][a-z]{2} \d{4} — /);
    assert.equal(english.body.reply_markup.inline_keyboard[0].at(-1).text, "Later ›");
  });
});
