/**
 * Finds a publication date in a dateline among the first lines of a text (pure):
 * "BISHKEK, 3 September 2025 — …", "Beijing, Sept. 3, 2025 (Xinhua) --", "4 February 2025",
 * "БИШКЕК, 3 сентября 2025 года — …". The date must name day, month and year, and
 * stand at the start of its line (after an optional place) and end it or be followed by
 * a dash, colon or parenthesis, so a date in a sentence ("On 3 September 2025, …") is an
 * event's date, not the dateline.
 */
import { createRequire } from "node:module";
import * as chronoEn from "chrono-node/en";
import type * as ChronoRu from "chrono-node/ru";
import { isValidIsoDate } from "../dates.ts";

// The English parser is loaded anyway (retrieval reads dates with it); the Russian one only
// on the first Russian dateline candidate, synchronously as parsing is.
const require = createRequire(import.meta.url);
let chronoRu: typeof ChronoRu | undefined;
const russian = () => (chronoRu ??= require("chrono-node/ru") as typeof ChronoRu);

/** Non-empty lines looked at: a headline, a subtitle and a byline may come first. */
const DATELINE_LINES = 6;
/** A place before the date: up to three capitalised words, then a comma; at most two such ("Bishkek, Kyrgyzstan, "). */
const PLACE_PREFIX = /^(?:\p{Lu}[\p{L}\p{M}.'’-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}.'’-]*){0,2}[ \t]*,[ \t]*){0,2}/u;
/** What may follow the date in a dateline. */
const AFTER_DATE = /^[ \t]*(?:года|г\.)?[ \t]*(?:$|[—–-]|[:(|/])/;

function datelineOf(line: string): string | null {
  const rest = line.slice(PLACE_PREFIX.exec(line)?.[0].length ?? 0);
  const [result] = /[а-яё]/i.test(rest) ? russian().strict.parse(rest) : chronoEn.strict.parse(rest);
  if (!result || result.index !== 0) return null;
  const { start } = result;
  if (!start.isCertain("day") || !start.isCertain("month") || !start.isCertain("year")) return null;
  if (!AFTER_DATE.test(rest.slice(result.text.length))) return null;
  const iso = [start.get("year"), start.get("month"), start.get("day")].map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0")).join("-");
  return isValidIsoDate(iso) ? iso : null;
}

/** The `YYYY-MM-DD` date of the text's dateline, or null when its first lines have none. */
export function findDateline(text: string): string | null {
  const lines = text.split("\n", 40).map((line) => line.trim()).filter(Boolean).slice(0, DATELINE_LINES);
  for (const line of lines) {
    const date = datelineOf(line.slice(0, 200));
    if (date) return date;
  }
  return null;
}
