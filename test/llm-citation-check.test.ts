import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_REFUSAL_TEXT,
  checkCitations,
  displayPartial,
  pickQuote,
} from "../src/answering/citation-check.ts";
import type { Passage } from "../src/domain.ts";

function passage(n: number, overrides: Partial<Passage["chunk"]> = {}): Passage {
  const docId = `doc_${n}`;
  return {
    score: 1 - n / 10,
    chunk: {
      id: `${docId}#0`,
      docId,
      title: `Title ${n}`,
      publishedOn: `2025-0${n}-0${n}`,
      sourceName: "Xinhua",
      sourceUrl: `https://example.org/${n}`,
      ordinal: 0,
      text: `Passage ${n} opening sentence about nothing in particular. The second sentence of passage ${n} names Bishkek.`,
      start: 0,
      end: 100,
      ...overrides,
    },
  };
}

const passages = [1, 2, 3].map((n) => passage(n));

describe("checkCitations", () => {
  it("removes an invented [9] and renumbers the rest in order of first use", () => {
    const checked = checkCitations("Japarov visited Beijing [3]. He met Xi [9]. They signed a plan [1][3].", passages);
    assert.equal(checked.text, "Japarov visited Beijing [1]. He met Xi. They signed a plan [1, 2].");
    assert.deepEqual(
      checked.citations.map((c) => [c.n, c.docId]),
      [
        [1, "doc_3"],
        [2, "doc_1"],
      ],
    );
    assert.deepEqual(checked.invalidNumbers, [9]);
    assert.equal(checked.refused, false);
  });

  it("builds citations from passage metadata, never from the model text", () => {
    const checked = checkCitations("On 2 February 2025 the leaders met in Bishkek [2] (source: fake.example, 1999-01-01).", passages);
    const [citation] = checked.citations;
    assert.deepEqual(
      { ...citation, quote: "" },
      { n: 1, docId: "doc_2", title: "Title 2", date: "2025-02-02", source: "https://example.org/2", quote: "", chunkId: "doc_2#0" },
    );
    assert.equal(citation.quote, "The second sentence of passage 2 names Bishkek.");
  });

  it("reads [n, m], [n; m] and ranges, and drops a marker whose numbers are all invalid", () => {
    const checked = checkCitations("A [1, 2]. B [2; 3]. C [1-3]. D [0] [7, 8].", passages);
    assert.equal(checked.text, "A [1, 2]. B [2, 3]. C [1, 2, 3]. D.");
    assert.equal(checked.citations.length, 3);
    assert.deepEqual(checked.invalidNumbers, [0, 7, 8]);
  });

  it("cuts a Sources block the model appended (code builds that block)", () => {
    const checked = checkCitations("They met in Bishkek [2].\n\n**Sources:**\n[1] Some invented title, 1999", passages);
    assert.equal(checked.text, "They met in Bishkek [1].");
    assert.equal(checked.citations.length, 1);
    assert.equal(checked.citations[0].docId, "doc_2");
  });

  it("recognises the refusal marker and keeps the model's sentence without it", () => {
    const checked = checkCitations("NO_ANSWER: Документы не содержат ответа на этот вопрос.", passages);
    assert.equal(checked.refused, true);
    assert.equal(checked.text, "Документы не содержат ответа на этот вопрос.");
    assert.deepEqual(checked.citations, []);
  });

  it("uses the default refusal text when the model gives only the marker", () => {
    const checked = checkCitations("NO_ANSWER", passages);
    assert.equal(checked.refused, true);
    assert.equal(checked.text, DEFAULT_REFUSAL_TEXT);
  });

  it("treats an uncited 'the passages do not say' reply as a refusal, and other uncited text as not", () => {
    assert.equal(checkCitations("The passages do not mention a visit in 2019.", passages).refused, true);
    const uncited = checkCitations("Japarov visited Beijing in 2025.", passages);
    assert.equal(uncited.refused, false);
    assert.deepEqual(uncited.citations, []);
  });
});

describe("pickQuote", () => {
  it("picks the passage sentence that shares most words with the claim", () => {
    const text =
      "The talks lasted two hours and covered trade. On 3 September 2025, President Japarov arrived in Beijing for a state visit. Both sides praised the results.";
    assert.equal(
      pickQuote(text, "On 3 September 2025 Japarov arrived in Beijing"),
      "On 3 September 2025, President Japarov arrived in Beijing for a state visit.",
    );
  });

  it("falls back to the beginning of the passage (about 200 characters) when nothing overlaps", () => {
    const text = `${"Lorem ipsum dolor sit amet. ".repeat(20)}`;
    const quote = pickQuote(text, "unrelated claim");
    assert.ok(quote.length <= 201, `quote is ${quote.length} characters`);
    assert.ok(quote.startsWith("Lorem ipsum"));
    assert.ok(quote.endsWith("…"));
  });
});

describe("displayPartial", () => {
  it("holds back a forming refusal marker and strips a complete one", () => {
    assert.equal(displayPartial("NO_AN"), "");
    assert.equal(displayPartial("NO_ANSWER: The documents"), "The documents");
    assert.equal(displayPartial("On 3 September"), "On 3 September");
    assert.equal(displayPartial("N"), "");
    assert.equal(displayPartial("Nurlan"), "Nurlan");
  });
});
