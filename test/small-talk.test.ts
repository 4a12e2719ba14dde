/**
 * Small talk as people type it in Telegram, in English and Russian, at any point of a
 * conversation, against the short questions that must stay questions (follow-ups
 * like "and Russia?", "thanks, and what did they sign?").
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { smallTalkReply } from "../src/answering/small-talk.ts";
import { defaultKnowledge } from "../src/knowledge/load-knowledge.ts";
import { analyseQuestion } from "../src/question/analyse-question.ts";
import type { Question, SmallTalk } from "../src/question/question.ts";
import { classifySmallTalk } from "../src/question/small-talk.ts";

const knowledge = defaultKnowledge();
const today = new Date("2026-11-23T12:00:00Z");
const analyse = (text: string, previous?: Question) => analyseQuestion(text, { knowledge, today, ...(previous ? { previous } : {}) });
const earlier = analyse("When did Japarov meet Xi?");

const SMALL_TALK: [string, SmallTalk][] = [
  // English thanks and praise
  ["ty", "thanks"], ["tysm!!", "thanks"], ["nice one", "thanks"], ["got it thanks", "thanks"], ["thanks, that helps", "thanks"],
  ["thank you so much!", "thanks"], ["great, thanks a lot", "thanks"], ["ok and", "thanks"], ["ok cool thx", "thanks"], ["perfect, thank you", "thanks"],
  // English reactions
  ["wait", "ack"], ["hmm", "ack"], ["i see", "ack"], ["lol", "ack"], ["oh wow", "ack"], ["sorry, my bad", "ack"],
  // English about the bot
  ["what languages do you speak", "about"], ["who built you?", "about"], ["are you chatgpt", "about"], ["u there?", "about"],
  ["what is your name?", "about"], ["how old are you", "about"], ["are you a bot?", "about"], ["what can you do?", "about"],
  // What the bot covers and how it works, asked in so many words
  ["where do you get your information?", "about"], ["how up to date are you", "about"], ["what period do you cover", "about"],
  ["how do i add documents", "about"], ["can you speak russian?", "about"], ["can i ask you something?", "about"],
  // Courtesies and stopping
  ["nice to meet you", "greeting"], ["you're welcome", "ack"], ["huh?", "ack"], ["have a nice day", "bye"], ["see you tomorrow", "bye"], ["stop", "bye"],
  // English greetings and goodbyes
  ["hi", "greeting"], ["hey there!", "greeting"], ["good evening", "greeting"], ["never mind", "bye"], ["great, bye!", "bye"], ["see you later", "bye"],
  // Russian thanks
  ["спасибо большое", "thanks"], ["спасибо", "thanks"], ["спс", "thanks"], ["благодарю!", "thanks"], ["круто", "thanks"], ["супер", "thanks"],
  ["понятно, спасибо", "thanks"], ["ага, спасибо", "thanks"], ["ок понял", "thanks"], ["отлично, спасибо!", "thanks"], ["спасибо, помогло", "thanks"],
  // Russian reactions
  ["ладно", "ack"], ["ясно", "ack"], ["ничего себе", "ack"], ["хм", "ack"], ["понял", "ack"], ["поняла", "ack"], ["ого", "ack"], ["угу", "ack"],
  // Russian about the bot
  ["ты бот?", "about"], ["кто ты такой", "about"], ["что ты умеешь делать?", "about"], ["чем можешь помочь", "about"], ["помоги", "about"],
  ["расскажи анекдот", "about"], ["а ты кто", "about"], ["как тебя зовут?", "about"], ["что ты умеешь", "about"], ["ты человек?", "about"],
  // Russian greetings and goodbyes
  ["привет", "greeting"], ["здравствуйте!", "greeting"], ["добрый вечер", "greeting"], ["доброго дня", "greeting"],
  ["доброй ночи", "bye"], ["хорошего дня", "bye"], ["пока", "bye"], ["до свидания", "bye"], ["спокойной ночи!", "bye"], ["всего доброго", "bye"],
  // Emoji alone, and commands
  ["👍", "thanks"], ["🙏", "thanks"], ["👍👍", "thanks"], ["👋", "greeting"], ["😂", "ack"], ["?", "empty"], ["...", "empty"],
  // Feedback, and the end of a conversation
  ["sounds good", "ack"], ["makes sense", "ack"], ["fair enough", "ack"], ["noted", "ack"], ["oops", "ack"], ["i don't understand", "ack"],
  ["useless", "ack"], ["you're awesome", "thanks"], ["that's all", "bye"], ["i'm done", "bye"], ["это всё", "bye"], ["больше ничего", "bye"],
  ["неправильно", "ack"], ["ты ошибся", "ack"], ["не понимаю", "ack"], ["бред", "ack"], ["нет, спасибо", "thanks"], ["Благодарю за информацию", "thanks"],
  // Is anyone there, and what can I ask
  ["есть кто?", "greeting"], ["алло", "greeting"], ["ты здесь?", "about"], ["ты тут?", "about"],
  ["какие вопросы можно задать?", "about"], ["о чём тебя можно спросить?", "about"], ["как тобой пользоваться", "about"], ["а что ты знаешь?", "about"],
  // Laughter and smileys typed as text
  [":)", "ack"], [")))", "ack"], ["ахаха", "ack"], ["ахах)", "ack"], ["хаха", "ack"], ["hahaha", "ack"], ["понятно)", "ack"], ["спасибо))", "thanks"], [":D", "ack"],
  ["/start", "command"], ["/help@MyBot", "command"],
];

const QUESTIONS = [
  "and Russia?", "what about 2024?", "who signed it", "ok and when was that", "thanks, and what did they sign?", "ok when was that?",
  "great, who signed it", "nice, where?", "later that year?", "what is his name?", "who made it?", "what documents were signed?",
  "спасибо, а когда это было?", "а Россия?", "кто такой Жапаров", "спасибо, а кто подписал?", "ок, а где?", "как его имя?", "сколько человек?",
  "до встречи с Си что было?", "what makes it special?", "that's all the agreements?", "что нужно для визы?", "где можно купить билет", "ясно, а что дальше?",
  "ok but who signed it", "and?", "so?", "hello, when did Japarov meet Xi in Astana?", "thanks to whom did the railway start?",
];

describe("small talk as typed in Telegram", () => {
  for (const [text, kind] of SMALL_TALK) {
    it(`${JSON.stringify(text)} is ${kind}, also after an answer`, () => {
      assert.equal(classifySmallTalk(text), kind);
      const q = analyse(text, earlier);
      assert.equal(q.smallTalk, kind);
      assert.equal(q.followUp, false);
    });
  }
});

describe("short questions stay questions", () => {
  for (const text of QUESTIONS) {
    it(`${JSON.stringify(text)} is a question`, () => {
      assert.equal(classifySmallTalk(text), null);
      assert.equal(analyse(text, earlier).smallTalk, null);
    });
  }

  it("'go on', 'continue please' ask the answer to go on: follow-ups, not small talk nor new questions", () => {
    for (const text of ["go on", "continue please", "keep going", "more please", "tell me more", "продолжай", "подробнее"]) {
      const q = analyse(text, earlier);
      assert.equal(q.smallTalk, null, text);
      assert.equal(q.followUp, true, text);
    }
    assert.equal(analyse("continue the railway project?", earlier).followUp, false);
  });

  it("a follow-up after small talk still continues the question before it", () => {
    const thanks = analyse("спасибо", earlier);
    assert.equal(thanks.smallTalk, "thanks");
    const next = analyse("and where?", earlier);
    assert.equal(next.followUp, true);
  });
});

describe("the reply to Russian small talk is Russian", () => {
  it("an emoji or smiley alone is answered in the language of the conversation", () => {
    const russian = analyse("Когда Жапаров встретился с Си?");
    assert.equal(analyse("👍", russian).language, "ru");
    assert.equal(analyse(")))", russian).language, "ru");
    assert.equal(analyse("👍", earlier).language, "en");
    assert.equal(analyse("👍").language, "en");
  });

  const topic = { firstDate: "2019-01-01", lastDate: "2026-11-01", documents: 77 };
  for (const text of ["спасибо большое", "ладно", "кто ты такой", "привет", "пока", "ок понял"]) {
    it(JSON.stringify(text), () => {
      const q = analyse(text, earlier);
      assert.equal(q.language, "ru");
      assert.ok(q.smallTalk);
      const reply = smallTalkReply(q.smallTalk, topic, q.language);
      assert.match(reply, /\p{Script=Cyrillic}/u);
      assert.doesNotMatch(reply, /[A-Za-z]{4,}/, "no English words in a Russian reply");
    });
  }
});
