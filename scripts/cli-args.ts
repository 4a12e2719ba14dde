/**
 * Command-line options of the scripts, parsed with `node:util` `parseArgs`: a user's mistake
 * becomes one line naming it and pointing at `--help` (exit code 2), never a stack trace.
 * No side effects on import (unlike cli.ts, which loads `.env`), so the bench can use it too.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { AppError } from "../src/errors.ts";

/** A mistake in the command line: printed as one line with a pointer to `--help`, exit code 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("USAGE", message);
  }
}

/**
 * `parseArgs` of `node:util` for a script named `command` (e.g. "ask"): an unknown option or a
 * missing value becomes a UsageError saying what was wrong and where the usage is.
 */
export function parseCliArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const message = (error as Error).message
      // Node's advice about positionals that start with "-" is noise for a mistyped option.
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/[.\s]+$/, "");
    throw new UsageError(`${message}. See npm run ${command} -- --help.`);
  }
}

/** Prints an AppError as one line and returns its exit code; anything else with its stack (a bug). */
export function reportFailure(error: unknown): number {
  if (error instanceof AppError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.code === "CONFIG" || error.code === "USAGE" ? 2 : 1;
  }
  process.stderr.write(`unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

