/**
 * Errors that carry their own user-facing text. Anything else reaching a boundary
 * (CLI, bot) is logged in full and answered with a generic message.
 */
export class AppError extends Error {
  /** Short machine-readable code, e.g. `CONFIG`, `INDEX_MISSING`. */
  readonly code: string;
  /** Safe to show to a user: no paths with secrets, no stack, no token. */
  readonly userMessage: string;
  /** The user message as a key of the locale files (src/locale/locales/) and its variables, for users of other languages than English. */
  readonly localized?: LocalizedMessage;

  constructor(code: string, message: string, options: { userMessage?: string; cause?: unknown; localized?: LocalizedMessage } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = options.userMessage ?? message;
    if (options.localized) this.localized = options.localized;
  }
}

/** A message of the locale files: its key and variables (strings are shown as they are, numbers formatted for the language). */
export interface LocalizedMessage {
  key: string;
  vars?: Record<string, string | number>;
}

/** A bad environment variable or option: the message names it and says how to fix it. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super("CONFIG", message);
  }
}

/** The index is missing, unreadable, or was built by another embedder or format version. */
export class IndexError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("INDEX", message, {
      userMessage: "The search index is not available right now. Please try again later.",
      localized: { key: "index-unavailable" },
      ...options,
    });
  }
}

/** Shown to users when something unexpected fails; the details go to the log only. */
export const GENERIC_APOLOGY = "Sorry, something went wrong while answering. Please try again in a moment.";
