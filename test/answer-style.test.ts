import assert from "node:assert/strict";
import { test } from "node:test";
import { styleProblems } from "../scripts/eval/answer-style.ts";

test("the grammar check finds the defects of pasted fragments", () => {
  assert.deepEqual(styleProblems('On 4 February 2025, Looking ahead, Japarov said the summit would matter [1].'), ['"Looking" capitalised after a leading date phrase']);
  assert.deepEqual(styleProblems("On 27 December 2024, the railway was launched on Friday, 27 December 2024 [1]."), ["a date stated twice in one sentence"]);
  assert.deepEqual(styleProblems('Japarov said: “We will build the road [1].'), ["unbalanced quotation marks"]);
  assert.deepEqual(styleProblems("# Business forum [1]\n\nThe forum opened [1]."), ["contains a Markdown heading"]);
  assert.deepEqual(styleProblems("On 10 April 2025, he proposed opening a trade house [1]."), ['opens with "he", introduced nowhere']);
  assert.deepEqual(styleProblems("Reported on 10 April 2025: He also thanked the hosts [1]."), ['opens with "He", introduced nowhere']);
});

test("the grammar check passes clean answers", () => {
  assert.deepEqual(styleProblems("On 16 April 2024 [1].\n\nZhao Leji held talks in Bishkek on Tuesday (16 April 2024) [1]."), []);
  assert.deepEqual(styleProblems("On 3 September 2025, Chinese President Xi Jinping met Sadyr Japarov [1]. He thanked him [1]."), []);
  assert.deepEqual(styleProblems('Reported on 4 February 2025: Japarov said “a new chapter” had begun [1].'), []);
  assert.deepEqual(styleProblems("• 13 March 2024 — The 14th meeting was held in Beijing [1].\n• 25 September 2025 — The 15th meeting was held in Cholpon-Ata [2]."), []);
});
