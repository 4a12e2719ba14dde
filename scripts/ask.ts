/**
 * `npm run ask -- [--json] "question"`: one answer. `--json --stdin` answers one
 * question per input line, one JSON object per output line, loading the index once.
 */
import { createInterface } from "node:readline";
import { openQa } from "../src/app.ts";
import type { QaPipeline } from "../src/answering/qa-pipeline.ts";
import { renderPlain, toJson } from "../src/answering/render-text.ts";
import { AppError } from "../src/errors.ts";
import { parseCliArgs, progress, runCli, stderrLogger } from "./cli.ts";

const USAGE = `Usage: npm run -s ask -- [--json] "question"
       npm run -s ask -- --json --stdin < questions.txt

Answers from the indexed corpus (the index is built first when missing or stale).
--json   print one JSON object (question, mode, answer, citations, passages, timings)
--stdin  read one question per line and answer each in order`;

async function answerOne(qa: QaPipeline, question: string, json: boolean): Promise<string> {
  try {
    const answer = await qa.ask(question);
    return json ? JSON.stringify(toJson(answer)) : renderPlain(answer);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return json ? JSON.stringify({ question, error: error.userMessage }) : error.userMessage;
  }
}

await runCli(async (config) => {
  const { values, positionals } = parseCliArgs("ask", {
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, stdin: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const question = positionals.join(" ").trim();
  if (!values.stdin && !question) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const qa = await openQa(config, { onProgress: progress, logger: stderrLogger });
  if (!values.stdin) {
    console.log(await answerOne(qa, question, values.json));
    return 0;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    process.stdout.write(`${await answerOne(qa, line, values.json)}\n${values.json ? "" : "\n"}`);
  }
  return 0;
});
