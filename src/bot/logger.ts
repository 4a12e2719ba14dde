/**
 * Structured logs (pino) with the bot token removed everywhere: known fields are redacted by
 * path, and every written line is scrubbed of the token text, whatever field carried it.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import { GrammyError, HttpError } from "grammy";
import type { Config, LogLevel } from "../config.ts";
import { REDACTED, secretVariants } from "../secrets.ts";

export { scrubSecrets } from "../secrets.ts";

export type { Logger } from "pino";


/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Minimum level written. Default `info`. */
  level?: LogLevel;
  /** Secrets to scrub from every line (the bot token; its secret half is scrubbed too). */
  secrets?: ReadonlyArray<string | null | undefined>;
  /** Where lines go. Default stdout. */
  destination?: DestinationStream;
}

/**
 * A pino logger that never writes the given secrets. Given the app's Config, it logs at
 * `logLevel` and scrubs the Telegram token and the OpenAI key.
 */
export function createLogger(
  input: LoggerOptions | Pick<Config, "logLevel" | "telegramToken" | "openaiApiKey"> = {},
): Logger {
  const options: LoggerOptions =
    "logLevel" in input ? { level: input.logLevel, secrets: [input.telegramToken, input.openaiApiKey] } : input;
  const variants = secretVariants(options.secrets ?? []);
  return pino(
    {
      level: options.level ?? "info",
      base: { name: "visits-bot" },
      redact: {
        paths: ["token", "*.token", "telegramToken", "*.telegramToken", "secret_token", "*.secret_token", "headers.authorization"],
        censor: REDACTED,
      },
      hooks: {
        streamWrite: (line: string) => {
          let out = line;
          for (const variant of variants) out = out.split(variant).join(REDACTED);
          return out;
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}

/**
 * Log fields for an error: Telegram API refusals by method, code and description (without the
 * request payload, which holds user text), other errors with their stack.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) {
    return { type: "GrammyError", method: error.method, code: error.error_code, description: error.description };
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? error.error.message : String(error.error);
    return { type: "HttpError", message: error.message, cause };
  }
  if (error instanceof Error) {
    return { type: error.name, message: error.message, stack: error.stack };
  }
  return { type: typeof error, message: String(error) };
}
