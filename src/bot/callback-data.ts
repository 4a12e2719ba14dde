/**
 * Compact `callback_data` for inline buttons (Telegram allows 1–64 bytes). Everything a
 * button needs is in its data, so buttons keep working after a restart or a reindex:
 * `p:<chunkId>` when the id fits, else `h:<hash of chunkId>` resolved against the corpus.
 */
import { createHash } from "node:crypto";
import type { QaService } from "../answering/answerer.ts";

/** Telegram's limit on `callback_data`, in UTF-8 bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** A button that opens one chunk by its id: `p:<chunkId>`; the match's group 1 is the id. */
export const PASSAGE_CALLBACK = /^p:(.+)$/s;
/** A button that opens one chunk by the hash of its id (ids too long for 64 bytes): `h:<20 base64url>`. */
export const PASSAGE_HASH_CALLBACK = /^h:([A-Za-z0-9_-]{20})$/;
/** A page button of `/sources` (`s:<page>`) or `/timeline` (`t:<page>`); group 1 the list's letter, group 2 the page. */
export const LIST_PAGE_CALLBACK = /^([st]):(\d{1,6})$/;

/** The list a LIST_PAGE_CALLBACK letter names. */
export function listOfLetter(letter: string): "sources" | "timeline" {
  return letter === "s" ? "sources" : "timeline";
}

/** 20 base64url characters of sha256: 120 bits, collision-free for any realistic corpus. */
export function chunkIdHash(chunkId: string): string {
  return createHash("sha256").update(chunkId).digest("base64url").slice(0, 20);
}

/** Button data that opens one chunk (PASSAGE_CALLBACK, or PASSAGE_HASH_CALLBACK when the id is too long). */
export function passageCallbackData(chunkId: string): string {
  const direct = `p:${chunkId}`;
  return Buffer.byteLength(direct, "utf8") <= CALLBACK_DATA_LIMIT ? direct : `h:${chunkIdHash(chunkId)}`;
}

/** Button data of a page of `/sources` or `/timeline` (LIST_PAGE_CALLBACK). */
export function pageCallbackData(list: "sources" | "timeline", page: number): string {
  return `${list === "sources" ? "s" : "t"}:${page}`;
}

/**
 * Maps hashed chunk ids back to ids. The table is rebuilt from `qa.chunkIds()` whenever the
 * serving index changes (`builtAt`).
 */
export class ChunkIdResolver {
  private table = new Map<string, string>();
  private builtFor: string | null = null;

  constructor(private readonly qa: QaService) {}

  /** The chunk id behind a hash, or null when the current index has no such chunk. */
  resolve(hash: string): string | null {
    const builtAt = this.qa.overview().builtAt;
    if (this.builtFor !== builtAt) {
      this.table = new Map();
      for (const id of this.qa.chunkIds()) this.table.set(chunkIdHash(id), id);
      this.builtFor = builtAt;
    }
    return this.table.get(hash) ?? null;
  }
}
