/**
 * What every script does around its work: load `.env`, parse the configuration and the
 * options, and turn a failure into one clear line on stderr and an exit code instead of a
 * stack trace (2 for a usage or configuration mistake, 1 for anything else).
 */
import "dotenv/config";
import { loadConfig, type Config } from "../src/config.ts";
import { reportFailure } from "./cli-args.ts";

export { parseCliArgs, reportFailure, UsageError } from "./cli-args.ts";

/** Progress for humans goes to stderr, so stdout stays clean for data. */
export const progress = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/** Warnings and errors of the answering core, as plain lines on stderr. */
export const stderrLogger = {
  warn: (message: string) => progress(`warning: ${message}`),
  error: (message: string) => progress(`error: ${message}`),
};

export async function runCli(main: (config: Config) => Promise<number | void>): Promise<void> {
  try {
    const code = await main(loadConfig());
    process.exitCode = code ?? 0;
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}
