/**
 * The manifest's document records are checked by a plain loop (fast at 10k documents), not
 * by zod: the two must give the same verdicts, and the loop must say which field is wrong.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { documentProblem, ManifestDocumentSchema } from "../src/store/index-files.ts";

const GOOD = { contentHash: "abc", size: 12, mtimeMs: 1.5, title: "T", publishedOn: "2025-01-01", sourceName: null, sourceUrl: null, slots: [0, 3] };

const CASES: [string, unknown][] = [
  ["a whole record", GOOD],
  ["no size or mtime (older builds)", { ...GOOD, size: undefined, mtimeMs: undefined }],
  ["no slots", { ...GOOD, slots: [] }],
  ["not an object", "doc"],
  ["null", null],
  ["an array", [GOOD]],
  ["slots as a string", { ...GOOD, slots: "0,1" }],
  ["a negative slot", { ...GOOD, slots: [0, -1] }],
  ["a fractional slot", { ...GOOD, slots: [1.5] }],
  ["a slot as a string", { ...GOOD, slots: ["1"] }],
  ["no title", { ...GOOD, title: undefined }],
  ["a numeric content hash", { ...GOOD, contentHash: 5 }],
  ["a date that is not a string", { ...GOOD, publishedOn: 20250101 }],
  ["a missing date (undefined, not null)", { ...GOOD, publishedOn: undefined }],
  ["a size as a string", { ...GOOD, size: "12" }],
  ["a source URL as an object", { ...GOOD, sourceUrl: {} }],
];

describe("manifest document records", () => {
  for (const [name, doc] of CASES) {
    test(`${name}: the same verdict as the zod schema`, () => {
      const zod = ManifestDocumentSchema.safeParse(doc);
      const problem = documentProblem(doc);
      assert.equal(problem === null, zod.success, `loop: ${problem}; zod: ${zod.success ? "ok" : zod.error.issues[0].message}`);
      if (!zod.success && zod.error.issues[0].path.length > 0) assert.ok(problem!.startsWith(String(zod.error.issues[0].path[0])), `${problem} names ${zod.error.issues[0].path.join(".")}`);
    });
  }
});
