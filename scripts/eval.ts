/**
 * `npm run eval`: retrieval and answer quality on the dev and test question sets, over one
 * throw-away index of the fixture corpus plus the eval corpus (local embeddings). Prints
 * tables, writes the JSON report, and with `--check` exits 1 when a floor is missed.
 * The work is in scripts/eval/run-evaluation.ts (shared with test/eval-floors.test.ts).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../src/errors.ts";
import { parseCliArgs, progress, runCli } from "./cli.ts";
import { formatDevAnswers, formatDevFailures, formatReport } from "./eval/format-report.ts";
import { EVAL_DEFAULTS, runEvaluation } from "./eval/run-evaluation.ts";

const USAGE = `Usage: npm run eval [-- options]

  --dev FILE           dev questions (default test/fixtures/eval/dev.json)
  --test FILE          test questions, reported in aggregate only (default test/fixtures/eval/test.json)
  --corpus DIR         a corpus directory; repeat to merge several
                       (default test/fixtures/corpus and test/fixtures/eval/corpus, if present)
  --out FILE           JSON report (default data/eval-report.json)
  --verbose            print the dev part's failed questions (never the test part's)
  --answers N          print N dev answers, spread over the part (to read the prose)
  --check              exit 1 when a floor CI enforces is missed (after printing)
  --llm                also answer the test part's answerable questions with the LLM answerer
                       against a local fake model (its "answerable refused" has a floor too)
  --ablations          also run bm25 only, vectors only and hybrid without dates on the dev part
  --chunk-chars N      chunk size other than the product's 700 characters
  --overlap N          chunk overlap other than the product's 1 sentence
  --vector-weight W    fusion weight other than the product's 0.35
  -h, --help           this text

The last three try other settings, to choose the defaults by their figures; floors are meant
for the shipped settings.`;

await runCli(async (config) => {
  const { values } = parseCliArgs("eval", {
      options: {
        dev: { type: "string" },
        test: { type: "string" },
        corpus: { type: "string", multiple: true },
        out: { type: "string", default: "data/eval-report.json" },
        verbose: { type: "boolean", default: false },
        answers: { type: "string" },
        check: { type: "boolean", default: false },
        llm: { type: "boolean", default: false },
        ablations: { type: "boolean", default: false },
        "chunk-chars": { type: "string" },
        overlap: { type: "string" },
        "vector-weight": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const number = (name: string, value: string | undefined, valid: (x: number) => boolean): number | undefined => {
    if (value === undefined) return undefined;
    const x = Number(value);
    if (!valid(x)) throw new ConfigError(`--${name} got "${value}": not a valid value. See npm run eval -- --help.`);
    return x;
  };
  const maxChars = number("chunk-chars", values["chunk-chars"], (x) => Number.isInteger(x) && x > 0);
  const overlapSentences = number("overlap", values.overlap, (x) => Number.isInteger(x) && x >= 0);
  const answers = number("answers", values.answers, (x) => Number.isInteger(x) && x > 0);
  const vectorWeight = number("vector-weight", values["vector-weight"], (x) => x >= 0 && x <= 1);
  const chunking = maxChars !== undefined || overlapSentences !== undefined ? { ...(maxChars !== undefined ? { maxChars } : {}), ...(overlapSentences !== undefined ? { overlapSentences } : {}) } : undefined;

  const report = await runEvaluation({
    config,
    devFile: values.dev ?? EVAL_DEFAULTS.devFile,
    testFile: values.test ?? EVAL_DEFAULTS.testFile,
    corpusDirs: values.corpus ?? EVAL_DEFAULTS.corpusDirs,
    llm: values.llm,
    ablations: values.ablations,
    chunking,
    retrieval: vectorWeight !== undefined ? { vectorWeight } : undefined,
    onProgress: progress,
  });
  if (values.verbose && report.dev.failures.length > 0) {
    progress(`Dev failures (${report.dev.failures.length}):`);
    progress(formatDevFailures(report.dev.failures));
  }
  if (answers !== undefined) {
    console.log(`${answers} dev answers:\n`);
    console.log(`${formatDevAnswers(report.dev.answers, answers)}\n`);
  }
  console.log(formatReport(report));
  const out = path.resolve(values.out!);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  progress(`Report written to ${values.out} in ${(report.durationMs / 1000).toFixed(1)} s`);
  return values.check && report.floors.failures.length > 0 ? 1 : 0;
});
