/**
 * Date hints in a question ("in February 2025", "last September", "in 2023",
 * "summer 2024", "early 2022", "on Dec. 27, 2024") turned into date ranges (pure).
 * Days and months come from chrono-node; bare years, seasons and early/mid/late
 * parts of a year, which chrono does not read, from patterns here. `today` is an
 * argument so that relative hints are testable.
 */
import * as chrono from "chrono-node/en";
import { MONTH_NAMES } from "../dates.ts";

export interface DateRange {
  /** Inclusive `YYYY-MM-DD` bounds. */
  from: string;
  to: string;
  /** The words of the question this range came from. */
  text: string;
}

/** A month named without a year ("in May"): it matches that month of any year. */
export interface MonthHint {
  month: number;
  text: string;
}

export interface DateHints {
  ranges: DateRange[];
  months: MonthHint[];
}

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthRange = (y: number, fromMonth: number, toMonth: number, text: string): DateRange => ({
  from: iso(y, fromMonth, 1),
  to: iso(y, toMonth, lastDay(y, toMonth)),
  text,
});

const SEASONS: Record<string, [number, number]> = { spring: [3, 5], summer: [6, 8], autumn: [9, 11], fall: [9, 11] };
const PARTS: Record<string, [number, number]> = { early: [1, 4], beginning: [1, 4], mid: [5, 8], middle: [5, 8], late: [9, 12], end: [9, 12] };

const YEAR_PATTERN =
  /\b(?:(early|mid|middle|late|beginning|end)[\s-]+(?:of\s+)?|(spring|summer|autumn|fall|winter)\s+(?:of\s+)?|(first|second|1st|2nd)\s+half\s+of\s+|(q[1-4])\s+(?:of\s+)?)?((?:19|20)\d{2})\b/gi;

/** Digits, month names or relative day words: without one of these a question names no date. */
const MAY_HAVE_DATE =
  /\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\b(today|yesterday|tomorrow|tonight|week|month|year|ago|last|this|next|spring|summer|autumn|fall|winter)\b/i;

/** Finds the date hints of a question. `today` (default now) anchors relative phrases. */
export function parseDateHints(question: string, today: Date = new Date()): DateHints {
  const ranges: DateRange[] = [];
  const months: MonthHint[] = [];
  const covered: [number, number][] = [];
  // chrono is thorough but not cheap: most questions name no date at all.
  if (!MAY_HAVE_DATE.test(question)) return { ranges, months };

  const results = chrono.parse(question, today);
  const yearOf = (r: chrono.ParsedResult) => (r.start.isCertain("year") ? r.start.get("year") : null);
  for (const [i, result] of results.entries()) {
    const { start } = result;
    if (!start.isCertain("month")) continue;
    const month = start.get("month")!;
    // "between March and May 2024": the first month borrows the next one's year.
    const explicitYear = yearOf(result) ?? (results[i + 1] ? yearOf(results[i + 1]) : null);
    const relative = /\b(last|this|next|previous|past)\b/i.test(result.text) || /\b(last|this|next|previous|past)\s+$/i.test(question.slice(0, result.index));
    const year = explicitYear ?? (relative ? start.get("year")! : null);
    covered.push([result.index, result.index + result.text.length]);
    if (year === null) {
      months.push({ month, text: result.text });
    } else if (start.isCertain("day")) {
      const day = start.get("day")!;
      const end = result.end;
      const to = end && end.isCertain("day") ? iso(end.get("year")!, end.get("month")!, end.get("day")!) : iso(year, month, day);
      ranges.push({ from: iso(year, month, day), to, text: result.text });
    } else {
      ranges.push(monthRange(year, month, month, result.text));
    }
  }

  for (const match of question.matchAll(YEAR_PATTERN)) {
    const index = match.index ?? 0;
    if (covered.some(([from, to]) => index + match[0].length > from && index < to)) continue;
    const year = Number(match[5]);
    const [, part, season, half, quarter] = match;
    if (part) ranges.push(monthRange(year, ...PARTS[part.toLowerCase()], match[0]));
    else if (season?.toLowerCase() === "winter") ranges.push({ from: iso(year, 12, 1), to: iso(year + 1, 2, lastDay(year + 1, 2)), text: match[0] });
    else if (season) ranges.push(monthRange(year, ...SEASONS[season.toLowerCase()], match[0]));
    else if (half) ranges.push(/^(first|1st)$/i.test(half) ? monthRange(year, 1, 6, match[0]) : monthRange(year, 7, 12, match[0]));
    else if (quarter) {
      const q = Number(quarter.slice(1));
      ranges.push(monthRange(year, q * 3 - 2, q * 3, match[0]));
    } else ranges.push(monthRange(year, 1, 12, match[0]));
  }
  return { ranges, months };
}

export function hasDateHints(hints: DateHints): boolean {
  return hints.ranges.length > 0 || hints.months.length > 0;
}

/**
 * Whether a document date falls in any hinted range or month, with `slackDays` either side;
 * `reportLagShare` (default 0) lets a report come later by that share of the range's length.
 */
export function dateMatches(publishedOn: string | null, hints: DateHints, slackDays = 3, options: { reportLagShare?: number } = {}): boolean {
  if (!publishedOn) return false;
  const time = Date.parse(`${publishedOn}T00:00:00Z`);
  const slack = slackDays * 86_400_000;
  for (const range of hints.ranges) {
    const from = Date.parse(`${range.from}T00:00:00Z`);
    const to = Date.parse(`${range.to}T00:00:00Z`);
    // A period's figures are reported after it ends ("trade in 2025" in a January 2026 report).
    const lag = Math.max(slack, (options.reportLagShare ?? 0) * (to - from));
    if (time >= from - slack && time <= to + lag) return true;
  }
  const month = Number(publishedOn.slice(5, 7));
  return hints.months.some((hint) => hint.month === month);
}

/** The question without its date phrases (dates are matched separately from words). */
export function withoutDatePhrases(question: string, hints: DateHints): string {
  let rest = question;
  for (const hint of [...hints.ranges, ...hints.months]) rest = rest.replace(hint.text, " ");
  return rest;
}

const MONTHS = MONTH_NAMES.map((name) => name.toLowerCase());
/** Each month's name as a word ("may" inside "mayor" is not May), by month number − 1. */
const MONTH_WORDS = MONTHS.map((name) => new RegExp(`\\b${name}\\b`));

/** Whether a text itself names one of the hinted periods ("in May 2023" in a 2025 article). */
export function textMentionsPeriod(text: string, hints: DateHints): boolean {
  const lower = text.toLowerCase();
  for (const range of hints.ranges) {
    const [year, month, day] = range.from.split("-").map(Number);
    const sameMonth = range.from.slice(0, 7) === range.to.slice(0, 7);
    if (!lower.includes(String(year))) continue;
    if (!sameMonth) return true;
    // The month as a word ("may" is also a verb, and inside "mayor"); for one day, with that day beside it.
    const name = MONTHS[month - 1];
    const said = range.from === range.to ? new RegExp(`\\b${day}(?:st|nd|rd|th)?\\s+${name}\\b|\\b${name}\\s+${day}\\b`) : MONTH_WORDS[month - 1];
    if (said.test(lower)) return true;
  }
  return hints.months.some((hint) => MONTH_WORDS[hint.month - 1].test(lower));
}
