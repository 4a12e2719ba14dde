/**
 * Parses one corpus file's text into a NewsDocument (pure: no I/O). Every format ends
 * here with its extracted text and its own metadata. The date comes from, in order: a
 * leading ` date YYYY-MM-DD ` token, YAML front matter `date:`, the format's metadata
 * (PDF info, DOCX core properties, HTML meta tags), a dateline in the first lines, or a
 * `YYYY-MM-DD` prefix of the file name. A `///originally published by …` line (in Russian
 * `///по материалам …`) gives the source.
 */
import { parse as parseYaml } from "yaml";
import { isValidIsoDate, leadingIsoDate } from "../dates.ts";
import type { NewsDocument } from "../domain.ts";
import { splitSentences } from "../text/sentences.ts";
import { findDateline } from "./dateline.ts";

export { isValidIsoDate };

/** What a file format says about its document, beside the text; each field may be missing. */
export interface DocumentMetadata {
  title?: string | null;
  /** `YYYY-MM-DD`. */
  publishedOn?: string | null;
  sourceName?: string | null;
  sourceUrl?: string | null;
}

export interface ParseInput {
  docId: string;
  /** The file's text, already decoded (or extracted from a PDF, DOCX or HTML file). */
  raw: string;
  contentHash: string;
  /** The format's own metadata: below the token and front matter, above the dateline and file name. */
  metadata?: DocumentMetadata;
}

const DATE_TOKEN = /^\uFEFF?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*/i;
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const FILE_NAME_DATE = /(?:^|\/)(\d{4}-\d{2}-\d{2})[^/]*$/;
// Russian closing lines too: "///по материалам Кабар, 14 мая 2025 г. (https://…)", "///источник: …".
const SOURCE_LINE = /\s*\/{3}\s*(?:(?:originally\s+)?published\s+by|по\s+материалам|источник:?|впервые\s+опубликовано)\s+([^,(\n]+?)\s*(?:,\s*([^(\n]*?))?\s*(?:\((https?:\/\/[^)\s]+)\))?\s*$/i;

function frontMatterDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  return typeof value === "string" ? leadingIsoDate(value) : null;
}

/** The first sentence's opening words (at most 12), the context search gives the chunks of an untitled document. */
export function openingWords(text: string): string {
  const firstSentence = splitSentences(text)[0]?.text.replace(/[.!?]+$/, "") ?? "";
  const words = firstSentence.replace(/\s+/g, " ").split(" ").filter(Boolean);
  const short = words.slice(0, 12).join(" ").replace(/[.,;:!?]+$/, "");
  return words.length > 12 ? `${short}…` : short || "Untitled";
}

/** Words a headline keeps whole; a longer first sentence is cut at a clause or phrase boundary within these bounds. */
const HEADLINE_WORDS = { whole: 14, min: 8, max: 18 } as const;
/** A leading clause that sets the scene rather than saying what happened ("As part of his visit to China, …"). */
const SCENE_SETTER = /^(?:As|On|In|At|During|Following|After|Before|Speaking|According|Amid|Ahead|Within|Under|With)\b[^,]*, /;
/** Clause boundaries: a comma, dash, semicolon or colon. */
const CLAUSE_BREAK = /(?:,|;|:|\s[—–])(?=\s)/g;
/** Phrase boundaries: before a phrase of place, time or circumstance. */
const PHRASE_BREAK = /\s(?=(?:on|in|at|during|after|before|for|under|within|amid|following|as|to discuss)\s)/g;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A title people can read when the document has none: a Markdown heading that opens the
 * text, else the first sentence; a long one loses a leading scene-setting clause and is cut
 * at the last clause boundary (else phrase boundary) that leaves a headline of 8–18 words,
 * at a word with "…" only when it has neither.
 */
export function titleFromText(text: string): string {
  const heading = /^\s*#{1,6}[ \t]+([^\n]+)/.exec(text)?.[1]?.replace(/[#*_`]+/g, "").trim();
  if (heading) return heading;
  let sentence = (splitSentences(text)[0]?.text ?? "").replace(/\s+/g, " ").replace(/[.!?]+$/, "").trim();
  if (!sentence) return "Untitled";
  if (wordCount(sentence) <= HEADLINE_WORDS.whole) return sentence;
  const scene = SCENE_SETTER.exec(sentence);
  if (scene && wordCount(scene[0]) <= 12) sentence = sentence.charAt(scene[0].length).toUpperCase() + sentence.slice(scene[0].length + 1);
  if (wordCount(sentence) <= HEADLINE_WORDS.whole) return sentence;
  const within = (re: RegExp) => [...sentence.matchAll(re)].map((m) => m.index!).filter((at) => {
    const words = wordCount(sentence.slice(0, at));
    return words >= HEADLINE_WORDS.min && words <= HEADLINE_WORDS.max;
  });
  const cut = within(CLAUSE_BREAK).at(-1) ?? within(PHRASE_BREAK).at(-1);
  if (cut !== undefined) return sentence.slice(0, cut);
  return `${sentence.split(" ").slice(0, HEADLINE_WORDS.whole).join(" ").replace(/[,;:]$/, "")}…`;
}

export function parseDocument({ docId, raw, contentHash, metadata = {} }: ParseInput): NewsDocument {
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

  const fromMetadata = metadata.publishedOn ?? null;
  if (publishedOn === null && fromMetadata !== null && isValidIsoDate(fromMetadata)) publishedOn = fromMetadata;
  publishedOn ??= findDateline(body);
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
    ...(title ?? metadata.title?.trim() ? { title: (title ?? metadata.title?.trim())! } : { title: titleFromText(text), searchTitle: openingWords(text) }),
    publishedOn,
    sourceName: sourceName ?? metadata.sourceName ?? null,
    sourceUrl: sourceUrl ?? metadata.sourceUrl ?? null,
    text,
    contentHash,
  };
}
