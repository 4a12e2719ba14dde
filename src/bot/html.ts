/**
 * Telegram HTML helpers (pure): escaping, dates for people, plain-text fallback, and a
 * tag-aware splitter that keeps every part within Telegram's 4,096-character limit.
 */

import { formatShortDate } from "../dates.ts";

/** Telegram's limit on one message's text, in UTF-16 code units. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

/** Escapes the characters Telegram's HTML parse mode reserves (`&`, `<`, `>`, `"`). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `2025-09-03` → `3 Sep 2025`; null → `undated`; anything unparseable is returned as is. */
export function formatDate(isoDate: string | null): string {
  if (isoDate === null) return "undated";
  const match = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})/.exec(isoDate);
  return match ? formatShortDate(match[0]) : isoDate;
}

/** Whether a string is an absolute http(s) URL, the only kind rendered as a link. */
export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Longest document title shown in lists and source lines, in characters. */
export const MAX_TITLE_CHARS = 160;

/** Clause ends a title may be cut after: `,;:` before a space, or CJK punctuation. */
const CLAUSE_END = /[,;:](?=\s)|[，、；：。！？]/g;

/**
 * A title that fits `maxChars` (default 160) characters: cut after the last clause end, else
 * at the last space, else (one endless word, CJK text without punctuation) anywhere, and marked
 * with "…". Whitespace runs become one space. Never splits a surrogate pair.
 */
export function shortenTitle(title: string, maxChars = MAX_TITLE_CHARS): string {
  const text = title.replace(/\s+/g, " ").trim();
  if (text.length <= maxChars) return text;
  const room = maxChars - 1; // for the ellipsis
  const floor = Math.floor(room / 2);
  const head = text.slice(0, room + 1);
  let cut = -1;
  for (const m of head.matchAll(CLAUSE_END)) {
    const end = m.index + m[0].length;
    if (end >= floor && end <= room) cut = end;
  }
  if (cut < 0) {
    const space = head.lastIndexOf(" ");
    if (space >= floor) cut = space;
  }
  if (cut < 0) {
    cut = room;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
  }
  return text.slice(0, cut).replace(/[\s,;:—–-]+$/, "") + "…";
}

/** Longest URL rendered as a link target; longer ones are left out rather than fill a message. */
const MAX_LINK_CHARS = 1000;

/** `<a href="…">` for an http(s) URL, or the escaped label alone for anything else. */
export function link(label: string, url: string | null | undefined): string {
  return isHttpUrl(url) && url.length <= MAX_LINK_CHARS ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x")) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? whole;
  });
}

/**
 * The text a reader sees, for the plain-text resend when Telegram rejects the HTML:
 * tags dropped, entities decoded, and link targets kept as `label (url)`.
 */
export function htmlToPlainText(html: string): string {
  const withLinks = html.replace(/<a\s+href="([^"]*)"\s*>([\s\S]*?)<\/a>/gi, (_whole, href: string, label: string) => {
    const url = decodeEntities(href);
    return `${label} (${url})`;
  });
  return decodeEntities(withLinks.replace(/<\/?[a-zA-Z][^>]*>/g, ""));
}

interface OpenTag {
  name: string;
  raw: string;
}

const TAG_AT = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/y;
const ENTITY_AT = /&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/y;

/** Length of the indivisible unit starting at `i`: a whole tag, a whole entity, or one character. */
function atomAt(html: string, i: number): { length: number; tag?: { closing: boolean; name: string; raw: string } } {
  const ch = html.charCodeAt(i);
  if (ch === 0x3c /* < */) {
    TAG_AT.lastIndex = i;
    const m = TAG_AT.exec(html);
    if (m) return { length: m[0].length, tag: { closing: m[1] === "/", name: m[2].toLowerCase(), raw: m[0] } };
  } else if (ch === 0x26 /* & */) {
    ENTITY_AT.lastIndex = i;
    const m = ENTITY_AT.exec(html);
    if (m) return { length: m[0].length };
  } else if (ch >= 0xd800 && ch <= 0xdbff && i + 1 < html.length) {
    return { length: 2 }; // never split a surrogate pair
  }
  return { length: 1 };
}

const closersOf = (stack: readonly OpenTag[]): string =>
  stack.slice().reverse().map((t) => `</${t.name}>`).join("");

type CutKind = "paragraph" | "line" | "sentence" | "space" | "any";
const CUT_PREFERENCE: readonly CutKind[] = ["paragraph", "line", "sentence", "space", "any"];

/**
 * Splits Telegram HTML into parts of at most `maxLength` characters (default 4,096), preferring
 * paragraph breaks, then line breaks, sentence ends and spaces. A cut never falls inside a tag
 * or entity; tags open at a cut are closed at the end of one part and reopened in the next.
 * The raw HTML length is measured, which is never less than what Telegram counts.
 */
export function splitHtml(html: string, maxLength = TELEGRAM_MESSAGE_LIMIT): string[] {
  const text = html.trim();
  if (text.length <= maxLength) return text ? [text] : [];
  const parts: string[] = [];
  let pos = 0;
  let stack: OpenTag[] = [];

  while (pos < text.length) {
    const prefix = stack.map((t) => t.raw).join("");
    const local = stack.slice();
    const best = new Map<CutKind, { index: number; stack: OpenTag[] }>();
    let i = pos;
    let reachedEnd = false;

    while (i < text.length) {
      const atom = atomAt(text, i);
      const next = i + atom.length;
      const nextStack = local.slice();
      if (atom.tag) {
        if (atom.tag.closing) {
          const at = nextStack.map((t) => t.name).lastIndexOf(atom.tag.name);
          if (at >= 0) nextStack.splice(at, 1);
        } else {
          nextStack.push({ name: atom.tag.name, raw: atom.tag.raw });
        }
      }
      const nextClosers = closersOf(nextStack).length;
      if (prefix.length + (next - pos) + nextClosers > maxLength && best.size > 0) break;
      local.length = 0;
      local.push(...nextStack);
      i = next;
      if (i >= text.length) {
        reachedEnd = true;
        break;
      }
      const ch = text[i - 1];
      // Cutting right after an opening tag would leave an empty element behind.
      if (atom.tag && !atom.tag.closing) continue;
      let kind: CutKind = "any";
      if (atom.tag) kind = "any"; // after a closing tag
      else if (ch === "\n" && text[i - 2] === "\n") kind = "paragraph";
      else if (ch === "\n") kind = "line";
      else if (ch === " " && /[.!?]/.test(text[i - 2] ?? "")) kind = "sentence";
      else if (ch === " ") kind = "space";
      best.set(kind, { index: i, stack: local.slice() });
      if (kind !== "any") best.set("any", { index: i, stack: local.slice() });
    }

    let cut: { index: number; stack: OpenTag[] };
    if (reachedEnd) {
      cut = { index: text.length, stack: local.slice() };
    } else {
      // A paragraph break is worth taking unless it leaves a part that is nearly empty.
      const floor = pos + Math.floor((maxLength - prefix.length) * 0.3);
      const preferred = CUT_PREFERENCE.map((kind) => best.get(kind)).find((c) => c !== undefined && c.index >= floor);
      cut = preferred ?? best.get("any") ?? { index: i, stack: local.slice() };
    }

    const body = text.slice(pos, cut.index).replace(/\s+$/, "");
    const part = prefix + body + closersOf(cut.stack);
    if (htmlToPlainText(part).trim() !== "") parts.push(part);
    stack = cut.stack;
    pos = cut.index;
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  }
  return parts;
}
