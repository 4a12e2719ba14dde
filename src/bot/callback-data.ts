/**
 * Compact `callback_data` for inline buttons (Telegram allows 1–64 bytes). Everything a
 * button needs is in its data, so buttons keep working after a restart or a reindex:
 * `p:<chunkId>` when the id fits, else `h:<hash of chunkId>` resolved against the corpus.
 */
import { createHash } from "node:crypto";
import type { QaService } from "../answering/answerer.ts";

/** Telegram's limit on `callback_data`, in UTF-8 bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** What a pressed button asks for. */
export type CallbackAction =
  | { kind: "passage"; chunkId: string }
  | { kind: "passage-hash"; hash: string }
  | { kind: "sources"; page: number }
  | { kind: "timeline"; page: number };

/** 20 base64url characters of sha256: 120 bits, collision-free for any realistic corpus. */
export function chunkIdHash(chunkId: string): string {
  return createHash("sha256").update(chunkId).digest("base64url").slice(0, 20);
}

/** Button data that opens one chunk. */
export function passageCallbackData(chunkId: string): string {
  const direct = `p:${chunkId}`;
  return Buffer.byteLength(direct, "utf8") <= CALLBACK_DATA_LIMIT ? direct : `h:${chunkIdHash(chunkId)}`;
}

/** Button data of a page of `/sources` or `/timeline`. */
export function pageCallbackData(list: "sources" | "timeline", page: number): string {
  return `${list === "sources" ? "s" : "t"}:${page}`;
}

/** Reads button data back; null for anything this bot did not produce. */
export function parseCallbackData(data: string): CallbackAction | null {
  const colon = data.indexOf(":");
  if (colon < 0) return null;
  const tag = data.slice(0, colon);
  const rest = data.slice(colon + 1);
  switch (tag) {
    case "p":
      return rest ? { kind: "passage", chunkId: rest } : null;
    case "h":
      return /^[A-Za-z0-9_-]{20}$/.test(rest) ? { kind: "passage-hash", hash: rest } : null;
    case "s":
    case "t": {
      if (!/^\d{1,6}$/.test(rest)) return null;
      return { kind: tag === "s" ? "sources" : "timeline", page: Number(rest) };
    }
    default:
      return null;
  }
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
