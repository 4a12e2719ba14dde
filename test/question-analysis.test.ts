/**
 * Question analysis over the built-in knowledge base and a small corpus vocabulary:
 * types and expected answers, entities by name, alias, role, capital and with a typo,
 * date constraints, ordering words, follow-ups and small talk.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultKnowledge } from "../src/knowledge/load-knowledge.ts";
import { analyseQuestion, type CorpusVocabulary } from "../src/question/analyse-question.ts";
import { FuzzyWords, oneEditApart } from "../src/question/fuzzy-words.ts";
import type { Question } from "../src/question/question.ts";
import { terms } from "../src/text/terms.ts";

const knowledge = defaultKnowledge();
const today = new Date("2026-11-23T12:00:00Z");

/** A vocabulary of a few sentences' terms, as the lexical index would give it. */
function vocabularyOf(text: string): CorpusVocabulary {
  const counts = new Map<string, number>();
  for (const term of terms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  const fuzzy = new FuzzyWords(counts);
  return { documentFrequency: (term) => counts.get(term) ?? 0, near: (term) => fuzzy.near(term).map((m) => m.word) };
}

const vocabulary = vocabularyOf(
  "President Sadyr Japarov met Xi Jinping in Astana. The railway agreement was signed in Beijing. Trade grew. Foreign Minister Wang Yi visited Bishkek and discussed the railway.",
);
const common = new Set(["weather", "recipe", "tomorrow", "good"]);
const analyse = (text: string, previous?: Question) => analyseQuestion(text, { knowledge, vocabulary, today, isCommonWord: (w) => common.has(w), previous });
const entityIds = (q: Question) => q.mentions.map((m) => m.entities.map((e) => e.id).join("|"));

describe("question type and expected answer", () => {
  const cases: [string, Question["type"], Question["expects"]][] = [
    ["When did Japarov meet Xi?", "when", "date"],
    ["on which dates did kulubaev meet wang yi", "when", "date"],
    ["Who met Wang Yi in Bishkek?", "who", "person"],
    ["What is the name of the Kyrgyz health minister who attended?", "who", "person"],
    ["where did the presidents meet in 2025", "where", "place"],
    ["How much will the railway cost?", "how-much", "amount"],
    ["How many documents were signed?", "how-many", "number"],
    ["List every meeting between Kulubaev and Wang Yi", "list", "list"],
    ["which summits did japarov attend in astana", "list", "list"],
    ["which presidents did xi jinping meet in astana", "list", "list"],
    ["Which minister signed the agreement?", "who", "person"],
    ["Which of the Central Asian leaders hosted Xi on a state visit?", "list", "list"],
    ["Who among the presidents met Xi in Astana?", "list", "list"],
    ["Кто из лидеров Центральной Азии принимал Си Цзиньпина с государственным визитом?", "list", "list"],
    ["С кем из министров встречался Ван И?", "list", "list"],
    ["Кто принимал Си Цзиньпина в Бишкеке?", "who", "person"],
    ["which of the agreements was signed first", "what", "description"],
    ["Which SCO heads of government meetings are in the documents, with dates and places?", "list", "list"],
    ["Which Kyrgyz farm products got access to the Chinese market, according to the documents?", "list", "list"],
    ["What was the first SCO summit in the documents?", "what", "description"],
    ["Which agreements were signed at the summit in Astana?", "what", "description"],
    ["When and where did Kasymaliev meet Mishustin? List all the meetings.", "list", "list"],
    ["What share of the project does Kyrgyzstan hold?", "how-much", "amount"],
    ["Сколько стоило строительство пункта пропуска?", "how-much", "amount"],
    ["At what altitude is the Torugart checkpoint?", "how-much", "amount"],
    ["What was the summit in Astana about?", "what", "description"],
    ["what was china kyrgyzstan trade in 2021", "how-much", "amount"],
    ["what were the exports of kyrgyzstan to china", "how-much", "amount"],
    ["kazakhstan china trade in 2025", "how-much", "amount"],
    ["whats the population of bishkek", "how-many", "number"],
    ["what's the name of the health minister", "who", "person"],
    ["what did the presidents say about trade in 2025", "what", "description"],
    ["japarov xi meeting astana date", "when", "date"],
    ["Когда Жапаров встретился с Си Цзиньпином?", "when", "date"],
    ["Какого числа Жапаров встретился с Си Цзиньпином?", "when", "date"],
    ["Какое число документов подписали?", "how-many", "number"],
    ["whens the next sco summit", "when", "date"],
    ["how soon will the railway open", "when", "date"],
    ["how long ago did xi visit bishkek", "when", "date"],
    ["what was the date of the railway signing", "when", "date"],
    ["in which year did the first China–Central Asia summit take place", "when", "date"],
    ["How long is the railway?", "how-much", "amount"],
    ["What happened on 1 May 2024?", "date-only", "description"],
  ];
  for (const [text, type, expects] of cases) {
    it(`${text} → ${type}, expects ${expects}`, () => {
      const q = analyse(text);
      assert.equal(q.type, type);
      assert.equal(q.expects, expects);
    });
  }

  it("the words that only ask when are not key words", () => {
    assert.deepEqual(analyse("how long ago did xi visit bishkek").keywords, analyse("when did xi visit bishkek").keywords);
    assert.deepEqual(analyse("whens the next sco summit").keywords, analyse("when is the next sco summit").keywords);
  });

  it("detects Russian by its script", () => {
    assert.equal(analyse("Когда Жапаров посетил Китай?").language, "ru");
    assert.equal(analyse("When did Japarov visit China?").language, "en");
  });
});

describe("question type with a typo", () => {
  // As the pipeline gives it: corpus words (not only stems) one edit away.
  const words = ["meetings", "presidents", "ministers", "attend", "leaders"];
  const fuzzyWords = new FuzzyWords(words.map((w) => [w, 1] as [string, number]));
  const withWords: CorpusVocabulary = { ...vocabulary, nearWord: (word) => fuzzyWords.near(word).map((m) => m.word) };
  const read = (text: string) => analyseQuestion(text, { knowledge, vocabulary: withWords, today, isCommonWord: (w) => common.has(w) });

  it("reads the corrected word: 'which sco meeitngs …', 'which persidents did …' ask for a list", () => {
    for (const text of ["which sco meeitngs did kyrgyz leaders attend in 2024", "which persidents did xi jinping meet in astana", "which foreign minsiters did wang yi hold talks with"]) {
      assert.equal(read(text).expects, "list", text);
    }
    assert.equal(read("which president did xi jinping meet in astana").expects, "person");
  });
});

describe("entities", () => {
  it("finds multi-word names as phrases, case-insensitively", () => {
    assert.deepEqual(entityIds(analyse("when did xi jinping meet sadyr japarov")), ["xi-jinping", "sadyr-japarov"]);
  });

  it("resolves acronyms and nicknames", () => {
    assert.deepEqual(entityIds(analyse("What did the PRC say?")), ["china"]);
    assert.ok(entityIds(analyse("When did the Shanghai bloc meet?")).includes("sco"));
  });

  it("resolves a role with its country to the holders at the asked date", () => {
    const q = analyse("Who did China's premier meet in 2022?");
    assert.equal(q.mentions[0].via, "role");
    assert.deepEqual(entityIds(q), ["li-keqiang"]);
    assert.deepEqual(entityIds(analyse("Who did the Chinese premier meet in 2024?")), ["li-qiang"]);
  });

  it("a role named by a country's body or by a region is that role in the country, or in any of the region's countries", () => {
    const speaker = analyse("when was the most recent meeting between a kyrgyz parliament speaker and zhao leji");
    assert.equal(speaker.mentions[0].via, "role");
    for (const id of ["nurlanbek-turgunbek-uulu", "nurlanbek-shakiev"]) assert.ok(speaker.mentions[0].entities.some((e) => e.id === id), id);
    assert.ok(!speaker.keywords.includes("speaker"), "the role's word is not a key word left to find");
    const minister = analyse("when was the last time wang yi met a central asian foreign minister");
    const holders = minister.mentions.find((m) => m.via === "role")!.entities.map((e) => e.id);
    for (const id of ["jeenbek-kulubaev", "sirojiddin-muhriddin", "yermek-kosherbayev", "bakhtiyor-saidov", "rashid-meredov"]) assert.ok(holders.includes(id), id);
    assert.ok(!holders.includes("wang-yi") && !holders.includes("sergey-lavrov"), "not China's or Russia's");
    const dated = analyse("who did wang yi meet with a central asian foreign minister in 2021?").mentions.find((m) => m.via === "role")!.entities.map((e) => e.id);
    assert.ok(dated.includes("ruslan-kazakbaev") && !dated.includes("jeenbek-kulubaev"), "holders at the asked date");
  });

  it("reads a capital in the possessive as its government", () => {
    const q = analyse("What did Beijing's top diplomat say about the railway?");
    assert.equal(q.mentions[0].via, "role");
    assert.ok(q.mentions[0].entities.some((e) => e.id === "wang-yi"));
  });

  it("keeps a capital as a place when it is one", () => {
    const q = analyse("Who visited Bishkek?");
    assert.deepEqual(entityIds(q), ["bishkek"]);
    assert.deepEqual(entityIds(analyse("who did japarov meet in beijing and astana")), ["sadyr-japarov", "beijing", "astana"]);
  });

  it("reads capitals that act as their governments, joined by 'and' too", () => {
    for (const [text, ids] of [["What trade target did Astana and Beijing set for 2030?", ["kazakhstan", "china"]], ["what did ankara and bishkek sign in november 2024", ["turkey", "kyrgyzstan"]]] as const) {
      const q = analyse(text);
      assert.deepEqual(q.mentions.map((m) => m.via), ["capital", "capital"], text);
      ids.forEach((id, i) => assert.ok(q.mentions[i].entities.some((e) => e.id === id), `${text}: ${id}`));
    }
  });

  it("corrects one typo in a name, and says so", () => {
    const q = analyse("when did japrov visit chna");
    assert.deepEqual(entityIds(q), ["sadyr-japarov", "china"]);
    assert.equal(q.mentions[0].via, "typo");
    assert.match(q.searchText, /japarov/);
  });

  it("reads a country as the goal of a visit 'made to' or 'paid to' it, not as any country named", () => {
    const located = (text: string) => analyse(text).mentions.filter((m) => m.located).map((m) => m.entities[0].id);
    assert.deepEqual(located("list every visit wang yi made to kyrgyzstan"), ["kyrgyzstan"]);
    assert.deepEqual(located("which visits did Xi Jinping pay to Kazakhstan"), ["kazakhstan"]);
    assert.deepEqual(located("the visits Japarov paid to China"), ["china"]);
    assert.deepEqual(located("what did wang yi say about the progress made to kyrgyzstan"), []);
    assert.deepEqual(located("a state visit to Kyrgyzstan"), ["kyrgyzstan"]);
  });

  it("does not take question words for names (who is not the WHO)", () => {
    assert.deepEqual(entityIds(analyse("who visited bishkek")), ["bishkek"]);
  });

  it("keeps capitalised words the knowledge base does not know as names to find", () => {
    const q = analyse("How much gold does the Kumtor mine produce?");
    assert.deepEqual(q.mentions.map((m) => [m.via, m.forms[0]]), [["unknown-name", "kumtor"]]);
  });

  it("never corrects a common word into a corpus word, and reports it as unknown", () => {
    const q = analyse("what will the weather be like in bishkek tomorrow");
    assert.ok(q.unknownWords.includes("weather"));
    assert.doesNotMatch(q.searchText, /\bweathe[^r]/);
  });
});

describe("dates, ordering and key words", () => {
  it("takes date phrases out of the key words", () => {
    const q = analyse("What did Japarov and Xi agree in May 2023?");
    assert.deepEqual(q.dates.ranges.map((r) => [r.from, r.to]), [["2023-05-01", "2023-05-31"]]);
    assert.deepEqual(q.keywords, ["agre"]);
  });

  it("words about the documents are no key words: 'does the corpus cover', 'did he mention'", () => {
    assert.deepEqual(analyse("What growth in trade did Kulubaev mention in Beijing?").keywordWords, ["growth", "trade"]);
    assert.ok(!analyse("Which SCO summits does the corpus cover?").keywordWords.includes("corpus"));
    assert.deepEqual(analyse("what else did they discuss?").keywordWords, ["discuss"], "'else' asks for more, it is no word to find");
  });

  it("'how did X describe Y' asks what was said: 'describe' is no word to find", () => {
    assert.deepEqual(analyse("how did the chinese ambassador describe the cardiac centre").keywordWords, ["ambassador", "cardiac", "centre"]);
  });

  it("a role word also matches the report's noun of it: 'chair' is 'chairmanship', 'leader' 'leadership'", () => {
    const q = analyse("When did Kyrgyzstan hand over the SCO chair to Russia?");
    const i = q.keywordWords.indexOf("chair");
    assert.ok(q.keywordAlternatives?.[i]?.some((alternative) => alternative.join(" ") === "chairmanship"));
  });

  it("reads latest and first", () => {
    assert.equal(analyse("When did Japarov and Xi last meet?").ordering, "latest");
    assert.equal(analyse("when did kulubaev and wang yi first meet").ordering, "first");
    assert.equal(analyse("what was the first sco summit in the documents").ordering, "first");
    assert.equal(analyse("what was the first meeting between kulubaev and wang yi").ordering, "first");
    assert.equal(analyse("Who was the first Kyrgyz head of government Li Qiang met?").ordering, "first");
    assert.equal(analyse("какая встреча жапарова и си цзиньпина была первой в 2025 году").ordering, "first");
    assert.equal(analyse("The first meeting of the committee is planned for the autumn: where?").ordering, null);
    assert.equal(analyse("How long is the first tunnel of the railway?").ordering, null, "an adjective, not an order of events");
    assert.equal(analyse("When did Japarov meet Xi?").ordering, null);
  });
});

describe("conversation", () => {
  it("takes a pronoun with nothing to resolve it for a follow-up and borrows the subject", () => {
    const first = analyse("When did Kulubaev meet Wang Yi in Bishkek?");
    const next = analyse("what did they sign?", first);
    assert.equal(next.followUp, true);
    assert.deepEqual(entityIds(next), entityIds(first));
    assert.deepEqual(next.keywords, ["sign"]);
  });

  it("keeps a short question with a subject of its own standalone", () => {
    const first = analyse("When did Kulubaev meet Wang Yi in Bishkek?");
    const next = analyse("how much did the railway cost", first);
    assert.equal(next.followUp, false);
    assert.deepEqual(next.mentions, []);
    assert.equal(analyse("when?", first).followUp, true);
    assert.equal(analyse("when is the next one", first).followUp, true);
  });

  it("keeps a question that names its own subject standalone", () => {
    const first = analyse("When did Kulubaev meet Wang Yi in Bishkek?");
    const next = analyse("When did Japarov visit Astana?", first);
    assert.equal(next.followUp, false);
    assert.deepEqual(entityIds(next), ["sadyr-japarov", "astana"]);
  });

  it("treats 'what about X' as a follow-up that swaps the entity of that kind", () => {
    const first = analyse("When did Japarov visit China?");
    const next = analyse("what about Kazakhstan?", first);
    assert.equal(next.followUp, true);
    assert.deepEqual(entityIds(next), ["kazakhstan", "sadyr-japarov"]);
    assert.equal(next.type, "when");
  });

  for (const [text, kind] of [
    ["thanks!", "thanks"], ["ok thank you", "thanks"], ["hello", "greeting"], ["how are you?", "greeting"], ["?", "empty"], ["/foo", "command"],
    ["what can you do?", "about"], ["can you help me with some questions about kyrgyz china relations", "about"], ["hmm interesting", "ack"], ["see ya", "bye"],
    // Put together from small-talk words alone, with typos and held-down letters.
    ["that's great, thanks a lot", "thanks"], ["what topics do you cover?", "about"], ["what kind of questions can i ask", "about"],
    ["thnaks!", "thanks"], ["heyyy", "greeting"], ["helo there", "greeting"], ["nevermind", "bye"],
    // Talking to the bot rather than asking the documents.
    ["are you there?", "about"], ["what is your purpose?", "about"], ["who created this bot?", "about"], ["tell me a joke", "about"],
    ["goodnight", "bye"], ["sorry, my bad", "ack"], ["k", "ack"],
  ] as const) {
    it(`small talk at any point: ${JSON.stringify(text)} → ${kind}`, () => {
      const previous = analyse("When did Japarov meet Xi?");
      const q = analyse(text, previous);
      assert.equal(q.smallTalk, kind);
      assert.equal(q.followUp, false);
    });
  }

  it("a real question is never small talk", () => {
    assert.equal(analyse("thanks to whom did the railway start?").smallTalk, null);
    assert.equal(analyse("hello, when did Japarov meet Xi in Astana?").smallTalk, null);
    assert.equal(analyse("what do you know about the sco").smallTalk, null);
    assert.equal(analyse("can you help me find when japarov met xi").smallTalk, null);
    assert.equal(analyse("what documents were signed?").smallTalk, null);
    assert.equal(analyse("who helped build the centre").smallTalk, null);
    assert.equal(analyse("did you know that Japarov met Xi?").smallTalk, null);
    assert.equal(analyse("can you tell me about the railway?").smallTalk, null);
    assert.equal(analyse("who made the agreement?").smallTalk, null);
  });
});

describe("fuzzy words", () => {
  it("finds words one insertion, deletion, substitution or swap away", () => {
    assert.ok(oneEditApart("japarov", "japrov"));
    assert.ok(oneEditApart("china", "chian"));
    assert.ok(oneEditApart("kulubaev", "kulubayev"));
    assert.ok(oneEditApart("bishkek", "bishkak"));
    assert.ok(!oneEditApart("bishkek", "bishkek"));
    assert.ok(!oneEditApart("astana", "almaty"));
    const words = new FuzzyWords([["railway", 3], ["railways", 1], ["rally", 1]]);
    assert.deepEqual(words.near("railwy").map((m) => m.word), ["railway"]);
    assert.deepEqual(words.near("railway").map((m) => m.word), ["railways"]);
  });
});

describe("terms", () => {
  it("maps every irregular past form to its own base, across the lines of the table", () => {
    // "led" ends one line of the table and "built" starts the next: each keeps its own base.
    assert.deepEqual(terms("led built paid came grew felt met"), terms("lead build pay come grow feel meet"));
    assert.notDeepEqual(terms("built"), terms("lead"));
  });
});
