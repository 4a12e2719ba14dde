/**
 * Parses one corpus file's text into a NewsDocument (pure: no I/O). The date comes from,
 * in order: a leading ` date YYYY-MM-DD ` token, YAML front matter `date:`, or a
 * `YYYY-MM-DD` prefix of the file name. A `///originally published by …` line gives the source.
 */
import { parse as parseYaml } from "yaml";
import type { NewsDocument } from "../domain.ts";
import { splitSentences } from "../text/sentences.ts";

export interface ParseInput {
  docId: string;
  /** The file's text, already decoded. */
  raw: string;
  contentHash: string;
}

const DATE_TOKEN = /^\uFEFF?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*/i;
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const FILE_NAME_DATE = /(?:^|\/)(\d{4}-\d{2}-\d{2})[^/]*$/;
const SOURCE_LINE = /\s*\/{3}\s*(?:originally\s+)?published\s+by\s+([^,(\n]+?)\s*(?:,\s*([^(\n]*?))?\s*(?:\((https?:\/\/[^)\s]+)\))?\s*$/i;

/** A date string is accepted only when it is a real calendar day. */
export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function frontMatterDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === "string") {
    const match = /^\d{4}-\d{2}-\d{2}/.exec(value.trim());
    if (match && isValidIsoDate(match[0])) return match[0];
  }
  return null;
}

/** A short title from the first sentence: at most ~12 words, no trailing punctuation. */
export function titleFromText(text: string): string {
  const firstSentence = splitSentences(text)[0]?.text.replace(/[.!?]+$/, "") ?? "";
  const words = firstSentence.replace(/\s+/g, " ").split(" ").filter(Boolean);
  const short = words.slice(0, 12).join(" ").replace(/[.,;:!?]+$/, "");
  return words.length > 12 ? `${short}…` : short || "Untitled";
}

export function parseDocument({ docId, raw, contentHash }: ParseInput): NewsDocument {
  let body = raw.replace(/\r\n?/g, "\n");
  let publishedOn: string | null = null;
  let title: string | null = null;
  let sourceName: string | null = null;
  let sourceUrl: string | null = null;

  const token = DATE_TOKEN.exec(body);
  if (token && isValidIsoDate(token[1])) {
    publishedOn = token[1];
    body = body.slice(token[0].length);
  }

  const front = FRONT_MATTER.exec(body);
  if (front) {
    let meta: unknown = null;
    try {
      meta = parseYaml(front[1], { schema: "core" });
    } catch {
      meta = null; // not YAML after all: keep the text as it is
    }
    if (meta && typeof meta === "object") {
      const fields = meta as Record<string, unknown>;
      publishedOn ??= frontMatterDate(fields.date ?? fields.published ?? fields.publishedOn);
      if (typeof fields.title === "string" && fields.title.trim()) title = fields.title.trim();
      const source = fields.source ?? fields.url ?? fields.link;
      if (typeof source === "string" && /^https?:\/\//.test(source.trim())) sourceUrl = source.trim();
      else if (typeof source === "string" && source.trim()) sourceName = source.trim();
      if (typeof fields.publisher === "string") sourceName = fields.publisher.trim();
      body = body.slice(front[0].length);
    }
  }

  if (publishedOn === null) {
    const fromName = FILE_NAME_DATE.exec(docId);
    if (fromName && isValidIsoDate(fromName[1])) publishedOn = fromName[1];
  }

  // The source line closes the document, on its own line or after the last sentence.
  const sourceAt = body.lastIndexOf("///");
  if (sourceAt >= 0) {
    const match = SOURCE_LINE.exec(body.slice(sourceAt));
    if (match) {
      sourceName = match[1].trim();
      sourceUrl = match[3] ?? sourceUrl;
      body = body.slice(0, sourceAt);
    }
  }

  const text = body.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  return {
    docId,
    title: title ?? titleFromText(text),
    publishedOn,
    sourceName,
    sourceUrl,
    text,
    contentHash,
  };
}
