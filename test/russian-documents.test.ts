/**
 * Russian documents in a mixed corpus, through the real pipeline and local embeddings: a
 * Russian document is dated from its token, its closing "///по материалам …" line gives the
 * source, Russian and English questions both find it (the glossary and the knowledge base's
 * Cyrillic spellings in reverse), and its text is quoted as written.
 */
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { QaPipeline } from "../src/answering/qa-pipeline.ts";
import { openFixturePipeline, REPO_ROOT, tempWorkspace } from "./support/fixtures.ts";

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
let qa: QaPipeline;
const RUSSIAN = path.join(REPO_ROOT, "test/fixtures/eval/corpus/ru");

before(async () => {
  workspace = await tempWorkspace();
  await cp(RUSSIAN, path.join(workspace.corpusDir, "ru"), { recursive: true });
  ({ qa } = await openFixturePipeline(workspace));
});

after(async () => {
  qa?.close();
  await workspace?.cleanup();
});

describe("Russian documents beside English ones", () => {
  it("dates a Russian document and reads its Russian source line", () => {
    const source = qa.sources().find((s) => s.docId === "ru/108_torugart-cargo-terminal-2025");
    assert.ok(source, "indexed");
    assert.equal(source.publishedOn, "2025-08-06");
  });

  it("answers a Russian question from a Russian document, quoting it in Russian with its date", async () => {
    const answer = await qa.ask("Сколько машин скорой помощи Китай передал Нарынской области?");
    assert.equal(answer.outcome, "answer");
    assert.equal(answer.citations[0].docId, "ru/109_naryn-ambulances-2026");
    assert.match(answer.text, /^20 мая 2026 года: .*20 машин скорой медицинской помощи/s);
  });

  it("finds a Russian document for an English question through the glossary and Cyrillic names", async () => {
    const answer = await qa.ask("How many tonnes of fertiliser did China send to Batken?");
    assert.ok(answer.passages.slice(0, 5).some((p) => p.chunk.docId === "ru/104_batken-fertiliser-aid-2024"), "in the top 5");
    assert.equal(answer.outcome, "answer");
    assert.equal(answer.citations[0].docId, "ru/104_batken-fertiliser-aid-2024");
    assert.match(answer.text, /500 тонн/);
  });

  it("counts across languages through the counted word's Russian forms: an English 'how many' over a Russian report", async () => {
    const answer = await qa.ask("How many ambulances did China give to Naryn region?");
    assert.equal(answer.outcome, "answer", answer.text);
    assert.equal(answer.citations[0].docId, "ru/109_naryn-ambulances-2026");
    assert.match(answer.text, /20 машин/);
    // The same report's other number counts doctors ("15 врачей скорой помощи"), not ambulances.
    const doctors = await qa.ask("How many doctors came with the ambulances to Naryn region?");
    assert.equal(doctors.outcome, "answer", doctors.text);
    assert.match(doctors.text.split("\n")[0], /15 врачей/);
    assert.doesNotMatch(doctors.text.split("\n")[0], /20 машин/);
  });

  it("keeps answering English questions from English documents", async () => {
    const answer = await qa.ask("When did Japarov meet Cai Qi?");
    assert.equal(answer.citations[0].docId, "000_e8cdec5b749d1b60");
    assert.match(answer.text, /^Reported on 3 September 2025: /);
  });

  it("does not answer, and says so in Russian, what neither language's documents cover", async () => {
    const refused = await qa.ask("Кто выиграл чемпионат мира по футболу в 2018 году?");
    assert.equal(refused.outcome, "refuse");
    assert.match(refused.text, /^В моих документах об этом ничего нет/);
    // Words no document holds make it at most partial, however well the rest matches.
    const partial = await qa.ask("Сколько подводных лодок Китай подарил Кыргызстану?");
    assert.notEqual(partial.outcome, "answer");
    assert.match(partial.text, /^(В документах|В моих документах)/);
  });
});
