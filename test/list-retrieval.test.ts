/**
 * What a list question's retrieval reads of the question (pure): the pairs of key words it
 * says side by side, which a passage that tells of the same thing says together too.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keywordPairs } from "../src/retrieval/hybrid-retriever.ts";

describe("key words side by side", () => {
  it("pairs the key words the question says together, stopwords between them aside", () => {
    assert.deepEqual(keywordPairs({ text: "Which SCO heads of government meetings are in the documents?", keywords: ["head", "govern", "meet"] }), ["head govern", "govern meet"]);
    assert.deepEqual(keywordPairs({ text: "List every state visit Sadyr Japarov made", keywords: ["state", "visit", "make"] }), ["state visit"]);
  });

  it("pairs nothing across a name or a framing word that is no key word", () => {
    assert.deepEqual(keywordPairs({ text: "list every meeting between Kazakbaev and Wang Yi", keywords: ["meet"] }), []);
    assert.deepEqual(keywordPairs({ text: "which summits did japarov attend in astana", keywords: ["summit", "attend"] }), []);
  });
});
