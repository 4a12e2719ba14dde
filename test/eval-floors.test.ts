/**
 * The quality floors, on the eval's test part (never tuned on), offline, with LLM mode
 * against the fake model: the same evaluation as `npm run eval -- --llm --check`, in
 * process. It fails below what CI enforces (the floor, or the ratchet below it
 * where the floor is not reached yet) and reports the floors still to reach.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { it } from "node:test";
import { loadConfig } from "../src/config.ts";
import { EVAL_DEFAULTS, runEvaluation } from "../scripts/eval/run-evaluation.ts";
import { MODEL_CACHE_DIR } from "./support/fixtures.ts";

it("holds the quality floors CI enforces on the test part, clean, perturbed and in LLM mode", { timeout: 120_000 }, async (t) => {
  if (!existsSync(EVAL_DEFAULTS.testFile)) {
    t.skip(`no ${EVAL_DEFAULTS.testFile} yet: the eval's test questions are still to be written`);
    return;
  }
  // Only the cache directory from the environment: no developer keys or .env values.
  const report = await runEvaluation({ config: loadConfig({ MODEL_CACHE_DIR }), llm: true });
  const m = report.test.metrics;
  t.diagnostic(
    `test: recall@1 ${m.recallAt1.share}, recall@5 ${m.recallAt5.share}, unanswerable refused or partial ${m.unanswerableRefusedOrPartial.share}, ` +
      `answerable refused ${m.answerableRefused.share}, LLM mode answerable refused ${report.llm?.answerableRefused.share}; ${report.durationMs} ms`,
  );
  assert.ok(report.llm, "LLM mode ran");
  if (report.floors.misses.length > 0) t.diagnostic(`issue floors not reached yet: ${report.floors.misses.join("; ")}`);
  assert.deepEqual(report.floors.failures, [], `Below the enforced floors:\n  ${report.floors.failures.join("\n  ")}`);
});
