/**
 * Downloading a file a user sent: `getFile` for its path, then `GET <apiRoot>/file/bot<token>/<path>`
 * (the same TELEGRAM_API_ROOT as every other call, so a local Bot API server or the tests' fake
 * work alike). The size is checked before the download (the message's `file_size`, then
 * getFile's) and again while reading, so no more than the limit is ever held in memory. The URL
 * carries the token: it never appears in an error message.
 */
import { GrammyError, type Api } from "grammy";
import { AppError } from "../errors.ts";

/** The Bot API serves bots files of at most 20 MB. */
export const BOT_API_DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** "3.4 MB", "120 KB". */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A file over the limit; its message is for the user. */
export class FileTooLargeError extends AppError {
  constructor(name: string, bytes: number | null, maxBytes: number) {
    const size = bytes === null ? "larger than" : `${sizeText(bytes)}, over`;
    const limit = sizeText(maxBytes);
    super("FILE_TOO_LARGE", `${name} is ${size} the ${limit} limit for one document; nothing was saved.`, {
      localized: bytes === null ? { key: "file-too-large-unknown", vars: { name, limit } } : { key: "file-too-large", vars: { name, size: sizeText(bytes), limit } },
    });
  }
}

export interface DownloadOptions {
  api: Api;
  /** TELEGRAM_API_ROOT, without a trailing slash. */
  apiRoot: string;
  token: string;
  fileId: string;
  /** For messages. */
  name: string;
  maxBytes: number;
  signal?: AbortSignal;
  /** Longest the download may take, in ms. Default 60,000. */
  timeoutMs?: number;
}

/** Downloads one file into memory, refusing it (FileTooLargeError) as soon as it is known to be over `maxBytes`. */
export async function downloadTelegramFile(options: DownloadOptions): Promise<Buffer> {
  const { name, maxBytes } = options;
  let file;
  try {
    file = await options.api.getFile(options.fileId); // the bot's Api is cancelled at shutdown by its own transformer
  } catch (error) {
    if (error instanceof GrammyError && /too big/i.test(error.description)) throw new FileTooLargeError(name, null, Math.min(maxBytes, BOT_API_DOWNLOAD_LIMIT_BYTES));
    throw error;
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(name, file.file_size, maxBytes);
  if (!file.file_path) throw new AppError("DOWNLOAD", `getFile gave no file_path for ${name}`, { userMessage: `Telegram did not let me download ${name}; please send it again.`, localized: { key: "file-no-path", vars: { name } } });
  const url = `${options.apiRoot}/file/bot${options.token}/${file.file_path.split("/").map(encodeURIComponent).join("/")}`;
  const failed = (why: string, cause?: unknown) =>
    new AppError("DOWNLOAD", `Could not download ${name} from the Bot API: ${why}`, { userMessage: `I could not download ${name} from Telegram (${why}); please send it again.`, localized: { key: "file-download-failed", vars: { name, why } }, cause });
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
  } catch (error) {
    throw failed((error as Error).name === "TimeoutError" ? "timed out" : "network error", error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new FileTooLargeError(name, declared, maxBytes);
  }
  const parts: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const part of response.body) {
      received += part.byteLength;
      if (received > maxBytes) throw new FileTooLargeError(name, null, maxBytes);
      parts.push(part);
    }
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      await response.body.cancel().catch(() => undefined);
      throw error;
    }
    throw failed("the connection broke", error);
  }
  return Buffer.concat(parts);
}
