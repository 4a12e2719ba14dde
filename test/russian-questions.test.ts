/**
 * Russian questions over English documents, offline: names through the knowledge base's
 * Cyrillic spellings (inflected forms too), field words through the bilingual glossary,
 * Russian date phrases through chrono-node's Russian parser, transliteration for unknown
 * names; the glossary file's loader and its validation; Russian stems in the index terms.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { defaultKnowledge, KnowledgeError, loadKnowledge, parseGlossary } from "../src/knowledge/load-knowledge.ts";
import { analyseQuestion } from "../src/question/analyse-question.ts";
import { englishQueryOf } from "../src/question/russian-question.ts";
import type { Question } from "../src/question/question.ts";
import { isRussianFormOf, transliterate } from "../src/text/russian.ts";
import { terms } from "../src/text/terms.ts";

const knowledge = defaultKnowledge();
const today = new Date("2026-11-23T12:00:00Z");
const analyse = (text: string) => analyseQuestion(text, { knowledge, today });
const entityIds = (q: Question) => q.mentions.map((m) => m.entities.map((e) => e.id).join("|"));

describe("Russian questions read in English", () => {
  it("maps names in any case, field words and the question word", () => {
    const q = analyse("Когда Жапаров встретился с Цай Ци?");
    assert.equal(q.language, "ru");
    assert.equal(q.text, "Когда Жапаров встретился с Цай Ци?");
    assert.equal(q.type, "when");
    assert.deepEqual(entityIds(q), ["sadyr-japarov", "cai-qi"]);
    assert.deepEqual(q.keywords, ["meet"]);
    assert.match(q.searchText, /Cai Qi/);
  });

  it("keeps a lower-case word the corpus spells in Latin letters as a name, not a Russian word the corpus also has", () => {
    const corpus = new Set(["kenkol", "шахматам"]);
    const query = englishQueryOf("на какой высоте находится пункт пропуска в кенколе?", knowledge, today, { inCorpus: (w) => corpus.has(w) });
    assert.match(query.text, /\bkenkol\b/);
    assert.deepEqual(query.untranslated, []);
    // A common word the Russian documents also use is not a name.
    assert.ok(englishQueryOf("кто выиграл турнир по шахматам", knowledge, today, { inCorpus: (w) => corpus.has(w) }).untranslated.includes("шахматам"));
  });

  it("an English synonym of a glossary entry also finds the entry's English word", () => {
    const q = analyse("when did kasymaliev go to powerchina hq");
    const at = q.keywordWords.indexOf("hq");
    assert.ok(q.keywordAlternatives?.[at]?.some((alternative) => alternative.join(" ") === "headquart"), JSON.stringify(q.keywordAlternatives));
  });

  it("declines a three-letter noun of the glossary, not a three-letter function word", () => {
    const q = analyse("Сколько мест в концертном зале Китайского культурного центра?");
    assert.match(q.searchText, /concert hall/);
    assert.ok(!q.unknownWords.includes("зале"), q.unknownWords.join(","));
    // "как" is a question word, not a noun: "какой" is not "как" + "ой".
    assert.doesNotMatch(analyse("Какой газ поставляет Туркменистан?").searchText, /\bhow\b/);
  });

  it("finds Chinese names by their Palladius spelling, declined", () => {
    const q = analyse("Какой орден Жээнбеков вручил Си Цзиньпину?");
    assert.deepEqual(entityIds(q), ["sooronbay-jeenbekov", "xi-jinping"]);
    assert.ok(q.keywords.includes("award"), q.keywords.join(","));
  });

  it("reads Russian dates: a month and year, a day, a season", () => {
    assert.deepEqual(analyse("Сколько документов подписали Жапаров и Си в феврале 2025 года?").dates.ranges.map((r) => [r.from, r.to]), [["2025-02-01", "2025-02-28"]]);
    assert.deepEqual(analyse("Что было 3 сентября 2025 г.?").dates.ranges.map((r) => [r.from, r.to]), [["2025-09-03", "2025-09-03"]]);
    assert.deepEqual(analyse("Встречался ли Кулубаев с Ван И летом 2024 года?").dates.ranges.map((r) => [r.from, r.to]), [["2024-06-01", "2024-08-31"]]);
  });

  it("resolves a role of a country in the genitive to its holder at the date", () => {
    const q = analyse("Где встречались министры иностранных дел Кыргызстана и Китая летом 2024?");
    assert.equal(q.type, "where");
    assert.ok(entityIds(q).includes("jeenbek-kulubaev"), entityIds(q).join(","));
  });

  it("asks yes or no with the particle ли, and 'how much' with сколько стоит", () => {
    assert.equal(analyse("Встречался ли Кулубаев с Ван И в Алматы?").type, "yesno");
    assert.equal(analyse("Сколько стоит железная дорога?").expects, "amount");
  });

  it("reads 'на какой высоте находится пункт пропуска' as an altitude of a checkpoint, 'находится' as no topic", () => {
    const q = analyse("На какой высоте находится пункт пропуска Бедел?");
    assert.equal(q.expects, "amount");
    assert.ok(q.keywordWords.includes("checkpoint"), q.keywordWords.join(","));
    assert.deepEqual(q.untranslated, []);
  });

  it("transliterates a name nothing knows, and says which words it could not read", () => {
    const q = analyse("Когда открыли рудник Кумтор в Нарыне?");
    assert.match(q.translated ?? "", /Kumtor/);
    assert.deepEqual(analyse("Когда Жапаров ел пельмени?").untranslated, ["ел", "пельмени"]);
  });

  it("leaves English questions alone and keeps small talk small talk", () => {
    assert.equal(analyse("When did Japarov meet Cai Qi?").translated, undefined);
    assert.equal(analyse("Привет!").smallTalk, "greeting");
    assert.equal(analyse("спасибо").smallTalk, "thanks");
  });

  it("gives each keyword its Russian forms, so that Russian documents hold an English question's words", () => {
    const q = analyse("How many ambulances did China give to Naryn?");
    const at = q.keywords.indexOf(terms("ambulances")[0]);
    assert.ok(at >= 0, q.keywords.join(","));
    assert.ok(q.keywordAlternatives?.[at].some((alt) => alt.join(" ") === terms("скорая помощь").join(" ")));
  });
});

describe("Russian words", () => {
  it("matches inflected forms of a dictionary form", () => {
    assert.ok(isRussianFormOf("жапаровым", "жапаров"));
    assert.ok(isRussianFormOf("китае", "китай"));
    assert.ok(isRussianFormOf("москве", "москва"));
    assert.ok(!isRussianFormOf("китайцы", "кит"));
    assert.ok(!isRussianFormOf("москвичи", "москва"));
  });

  it("stems Cyrillic index terms with the Russian stemmer", () => {
    assert.deepEqual(terms("визитом визита переговоров переговоры"), ["визит", "визит", "переговор", "переговор"]);
    assert.deepEqual(terms("visited visits"), ["visit", "visit"]);
    // "й" is a letter, not an accented "и": adjective endings still stem away.
    assert.deepEqual(terms("китайской китайский солнечный солнечных"), ["китайск", "китайск", "солнечн", "солнечн"]);
    assert.deepEqual(terms("Café Japárov"), ["cafe", "japarov"]);
  });

  it("transliterates as English news spells Kyrgyz names", () => {
    assert.equal(transliterate("Жээнбеков"), "Zheenbekov");
    assert.equal(transliterate("Чолпон-Ата"), "Cholpon-Ata");
  });
});

describe("the glossary file", () => {
  it("loads an operator's CORPUS_DIR/glossary.yml over the built-in one", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "glossary-"));
    try {
      await writeFile(path.join(dir, "glossary.yml"), "- { en: yurt, ru: [юрта] }\n");
      const merged = await loadKnowledge(dir);
      const q = analyseQuestion("Сколько юрт поставили в Бишкеке?", { knowledge: merged, today });
      assert.ok(q.keywords.includes("yurt"), q.keywords.join(","));
      assert.ok(merged.files.some((f) => f.file.endsWith("glossary.yml")));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const cases: [string, number, RegExp][] = [
    ["- { en: visit, ru: [визит] }\n- { en: trip, rus: [поездка] }\n", 2, /unknown key "rus"/],
    ["- { en: visit }\n", 1, /ru must list at least one Russian word/],
    ["- { ru: [визит] }\n", 1, /en must be an English word/],
    ["- { en: visit, ru: [visit] }\n", 1, /not Russian/],
    ["- { en: visit, ru: [визит] }\n- { en: trip, ru: [визит] }\n", 2, /already in the entry at line 1/],
    ["- [визит]\n", 1, /must be a mapping/],
  ];
  for (const [yamlText, line, pattern] of cases) {
    it(`rejects ${JSON.stringify(yamlText.trim().split("\n").at(-1))} naming line ${line}`, () => {
      assert.throws(
        () => parseGlossary(yamlText, { file: "corpus/glossary.yml" }),
        (error: unknown) => {
          assert.ok(error instanceof KnowledgeError, String(error));
          assert.match(error.message, new RegExp(`^corpus/glossary\\.yml:${line}: `));
          assert.match(error.message, pattern);
          return true;
        },
      );
    });
  }
});
