/**
 * The one place that knows the chunk id format: `<docId>#<key>`, where the key is 8
 * base64url characters of the sha256 of the chunk's text, with `.2`, `.3`, … when the same
 * text occurs again in the document. A chunk keeps its id for as long as its text is
 * unchanged, whatever is inserted or removed around it, so a button that names a passage
 * opens the same passage after a re-embed, or finds that it is gone.
 */
import { createHash } from "node:crypto";

const KEY = /^[A-Za-z0-9_-]{8}(?:\.[1-9]\d{0,5})?$/;

/** The content key of a chunk's text (without the repeat suffix). */
function textKey(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 8);
}

/**
 * Ids for the chunks of one document, in order: call the returned function with each
 * chunk's text. A text seen before in the same document gets the next repeat suffix.
 */
export function chunkIdsFor(docId: string): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const key = textKey(text);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return `${docId}#${count === 1 ? key : `${key}.${count}`}`;
  };
}

/** The document id and key of a chunk id, or null for anything this codec did not produce. */
export function parseChunkId(chunkId: string): { docId: string; key: string } | null {
  const hash = chunkId.lastIndexOf("#");
  if (hash <= 0) return null;
  const key = chunkId.slice(hash + 1);
  return KEY.test(key) ? { docId: chunkId.slice(0, hash), key } : null;
}
