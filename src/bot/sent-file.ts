/**
 * A file sent on Telegram (to the bot, or attached to a channel post), read as a document
 * without saving anything: its type checked by name (or MIME type), its size checked before
 * the download, downloaded within the limit, and parsed in memory by its corpus format. What
 * cannot become a document is an AppError whose message names the file and says why.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Api } from "grammy";
import type { Document } from "grammy/types";
import type { Config } from "../config.ts";
import type { NewsDocument } from "../domain.ts";
import { AppError } from "../errors.ts";
import { CorpusFileError } from "../ingest/corpus-problem.ts";
import type { DocumentFormat } from "../ingest/document-format.ts";
import { DOCUMENT_FORMATS, formatFor } from "../ingest/formats.ts";
import { shortenTitle } from "./html.ts";
import { downloadTelegramFile, FileTooLargeError } from "./telegram-file.ts";

const MIME_EXTENSIONS: Record<string, string> = {
  "application/pdf": ".pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
  "text/html": ".html",
  "application/xhtml+xml": ".xhtml",
  "text/plain": ".txt",
  "text/markdown": ".md",
};
const READ_TYPES = DOCUMENT_FORMATS.flatMap((format) => format.extensions).join(" ");

/** A sent file, read and parsed. */
export interface SentFile {
  /** The file's name with an extension its format reads (unsafe: sanitise before saving). */
  fileName: string;
  /** The name as shown to people (shortened). */
  shown: string;
  format: DocumentFormat;
  bytes: Buffer;
  /** The document as the corpus reader would read it, with `docId` as given. */
  parsed: NewsDocument;
}

/** The file's type by name (or MIME type when the name has no extension), or an AppError naming it. */
export function sentFileFormat(document: Pick<Document, "file_name" | "mime_type">): { fileName: string; shown: string; format: DocumentFormat } {
  const mimeExtension = document.mime_type ? MIME_EXTENSIONS[document.mime_type.toLowerCase()] : undefined;
  const name = path.basename(document.file_name?.trim() || `document${mimeExtension ?? ""}`);
  const shown = shortenTitle(name, 80);
  const format = formatFor(name) ?? (path.extname(name) === "" && mimeExtension ? formatFor(mimeExtension) : null);
  if (!format) {
    const extension = path.extname(name).toLowerCase() || "no extension";
    throw new AppError("UNSUPPORTED_TYPE", `Skipped ${shown}: unsupported type (${extension}). I read ${READ_TYPES}. Nothing was saved.`, {
      localized: { key: "file-unsupported", vars: { name: shown, extension: path.extname(name).toLowerCase() || "—", types: READ_TYPES } },
    });
  }
  return { fileName: path.extname(name) ? name : `${name}${format.extensions[0]}`, shown, format };
}

/** Checks, downloads and parses one sent file; `docId` is the id it would be saved under (dates from a file-name prefix need it). */
export async function readSentFile(options: {
  document: Document;
  api: Api;
  config: Pick<Config, "telegramApiRoot" | "telegramToken" | "uploadMaxBytes">;
  docIdFor: (fileName: string) => string;
  signal?: AbortSignal;
}): Promise<SentFile> {
  const { document, config } = options;
  const { fileName, shown, format } = sentFileFormat(document);
  if (document.file_size !== undefined && document.file_size > config.uploadMaxBytes) throw new FileTooLargeError(shown, document.file_size, config.uploadMaxBytes);
  const bytes = await downloadTelegramFile({
    api: options.api,
    apiRoot: config.telegramApiRoot,
    token: config.telegramToken ?? "",
    fileId: document.file_id,
    name: shown,
    maxBytes: config.uploadMaxBytes,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let parsed: NewsDocument;
  try {
    parsed = await format.parse({ file: fileName, docId: options.docIdFor(fileName), bytes, contentHash: createHash("sha256").update(bytes).digest("hex") });
    if (!parsed.text) throw new CorpusFileError("empty", "has no text");
  } catch (error) {
    const reason = error instanceof CorpusFileError ? error.message.replace(/; skipped$/, "") : `cannot be read (${(error as Error).message})`;
    // `kind` lets a locale word the reason itself (the reason's text is English).
    const kind = error instanceof CorpusFileError ? error.kind : "other";
    throw new AppError("UNREADABLE", `Could not add ${shown}: it ${reason}. Nothing was saved.`, { cause: error, localized: { key: "file-unreadable", vars: { name: shown, reason, kind } } });
  }
  return { fileName, shown, format, bytes, parsed };
}
