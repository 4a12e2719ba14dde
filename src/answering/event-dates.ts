/**
 * The dates a reported sentence gives for its events (pure), read with chrono-node against
 * the report's own date: "on Tuesday" in a report of Wednesday 17 April 2024 is 16 April
 * 2024, "from Tuesday to Friday" is a range, "yesterday" is the day before the report.
 * A report tells of what happened, so a bare weekday is the last such day on or before
 * the report date unless the sentence speaks of the future ("will", "next"); a day or month
 * without its year ("on 5 November", "in March") likewise is the last one, so a later month
 * than the report's is last year's.
 */
import * as chrono from "chrono-node/en";
import { MONTH_NAMES } from "../dates.ts";

export type DatePrecision = "day" | "month" | "year";

/** One date expression of a sentence. */
export interface DateMention {
  /** Offset and text of the expression in the sentence. */
  index: number;
  text: string;
  /** First (or only) day, `YYYY-MM-DD`; for month precision the 1st of the month. */
  start: string;
  /** Last day of a range, `YYYY-MM-DD`, or null. */
  end: string | null;
  precision: DatePrecision;
  /** The sentence does not spell the date out ("on Tuesday", "yesterday"): it was resolved from the report date. */
  relative: boolean;
}

/** Words that make a bare weekday or a month without its year point forward from the report date ("agreed to hold consultations in October"). */
const FUTURE = /\b(?:will|shall|next|upcoming|agreed to|decided to|intends? to|promised to|is due|are due|is scheduled|are scheduled|is expected|are expected|plans? to|is to|are to|set to|to be (?:held|signed|opened|launched|completed|built|hosted)|planned for|scheduled for|preparations? for|ahead of)\b/i;
/** Chrono reads "now" as the reference instant. */
const NOW = /\bnow\b/i;
const RELATIVE_DAY = /\b(?:yesterday|today|tonight|tomorrow)\b/i;
/** Cheap test first: chrono is thorough but not cheap, and most sentences state no date. */
const MAY_HAVE_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|yesterday|tomorrow|tonight)\b/i;

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

function shiftDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function shiftYears(isoDate: string, years: number): string {
  return years === 0 ? isoDate : `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;
}

/** The first day of "10 and 11 June" right before the second one ("between 4 and …"). */
const DAY_AND = /(\d{1,2})(?:st|nd|rd|th)? and $/i;

function dayOf(component: chrono.ParsedResult["start"]): string {
  return iso(component.get("year")!, component.get("month")!, component.get("day")!);
}

/** Date expressions of `sentence`, resolved against the report date (`YYYY-MM-DD`, or null when undated). */
export function dateMentions(sentence: string, reportDate: string | null): DateMention[] {
  if (!MAY_HAVE_DATE.test(sentence)) return [];
  const reference = reportDate ? new Date(`${reportDate}T12:00:00Z`) : new Date(Date.UTC(2000, 0, 1, 12));
  const mentions: DateMention[] = [];
  for (const result of chrono.parse(sentence, { instant: reference, timezone: 0 })) {
    // "until now", "from now on": the moment of writing, not a day the report tells of.
    if (NOW.test(result.text)) continue;
    const { start, end } = result;
    const weekdayOnly = start.isCertain("weekday") && !start.isCertain("day") && !start.isCertain("month");
    const relativeDay = RELATIVE_DAY.test(result.text);
    const relative = weekdayOnly || relativeDay;
    if (relative && !reportDate) continue; // nothing to resolve it against
    let precision: DatePrecision;
    if (start.isCertain("day") || weekdayOnly) precision = "day";
    else if (start.isCertain("month")) precision = "month";
    else if (start.isCertain("year")) precision = "year";
    else continue; // a time of day, "this week": no date
    let first = dayOf(start);
    let last = end && (end.isCertain("day") || end.isCertain("weekday") || end.isCertain("month")) ? dayOf(end) : null;
    if (weekdayOnly && reportDate && first > reportDate && !FUTURE.test(sentence)) {
      first = shiftDays(first, -7);
      if (last) last = shiftDays(last, -7);
    }
    let text = result.text;
    let resolvedYear = false;
    let index = result.index;
    // "on 10 and 11 June", "between 4 and 7 March": chrono reads only the second day.
    const pair = precision === "day" && !weekdayOnly && !last ? DAY_AND.exec(sentence.slice(0, index + /^\s*(?:on|between|from)?\s*/i.exec(text)![0].length)) : null;
    if (pair && Number(pair[1]) < start.get("day")!) {
      last = first;
      first = `${first.slice(0, 8)}${pair[1].padStart(2, "0")}`;
      text = `${pair[0]}${text.replace(/^\s*(?:on|between|from)\s+/i, "")}`;
      index = pair.index;
    }
    // "on 5 November" without its year: the one the sentence points to from the report date, as for a month.
    if (precision === "day" && !relative && reportDate && !start.isCertain("year")) {
      const resolved = yearlessMonth(sentence, index, text, start.get("month")!, reportDate);
      const years = Number(resolved.start.slice(0, 4)) - Number(first.slice(0, 4));
      first = shiftYears(first, years);
      if (last) last = shiftYears(last, years);
      ({ text, resolved: resolvedYear } = resolved);
    }
    if (precision === "month" && reportDate && !start.isCertain("year") && !end) {
      const resolved = yearlessMonth(sentence, result.index, result.text, start.get("month")!, reportDate);
      ({ text, start: first, resolved: resolvedYear } = resolved);
    }
    if (precision === "month") first = `${first.slice(0, 8)}01`;
    mentions.push({ index, text, start: first, end: last !== null && last !== first ? last : null, precision, relative: relative || resolvedYear });
  }
  // "last May" where chrono reads no date ("signed last May arrived…": "May" could be the verb).
  if (reportDate) {
    for (const m of sentence.matchAll(LAST_OR_NEXT_MONTH)) {
      const at = (m.index ?? 0) + m[0].length - m[2].length;
      if (mentions.some((x) => at < x.index + x.text.length && x.index < at + m[2].length)) continue;
      const month = MONTH_NAMES.findIndex((name) => name.toLowerCase() === m[2].toLowerCase()) + 1;
      const { text, start, resolved } = yearlessMonth(sentence, at, m[2], month, reportDate);
      mentions.push({ index: at, text, start, end: null, precision: "month", relative: resolved });
    }
    mentions.sort((a, b) => a.index - b.index);
  }
  // "in 2026", "by the end of 2027", "in the autumn of 2026": chrono reads no bare year.
  for (const m of sentence.matchAll(YEAR_PHRASE)) {
    const at = m.index ?? 0;
    if (mentions.some((x) => at < x.index + x.text.length && x.index < at + m[0].length)) continue;
    mentions.push({ index: at, text: m[0], start: `${m[1]}-01-01`, end: null, precision: "year", relative: false });
  }
  mentions.sort((a, b) => a.index - b.index);
  // "last year" right after a month was read with the month ("in June last year").
  return mentions.filter((m, i) => !(m.precision === "year" && i > 0 && mentions[i - 1].index < m.index && mentions[i - 1].text.endsWith(m.text)));
}

/** A year said as a time ("in 2026", "by the end of 2027", "in the autumn of 2026", "in early 2026"), not as a name ("the 2024–2025 academic year"). */
const YEAR_PHRASE = /\b(?:in|by|until|till|before|from|since)\s+(?:(?:the\s+)?(?:early|late|mid-?|(?:end|beginning|start|middle|spring|summer|autumn|fall|winter|(?:first|second)\s+half)\s+of)\s+)?((?:19|20)\d{2})\b(?![–-]\d)/gi;

/** "last May", "next October": a month named by where it stands from the report date. */
const LAST_OR_NEXT_MONTH = new RegExp(`\\b(last|next)\\s+(${MONTH_NAMES.join("|")})\\b`, "gi");

/**
 * A month the sentence gives without its year ("in June last year", "last October", "in
 * March"), resolved from the report date: the one the phrase points to, and towards the past
 * unless the sentence speaks of the future. `resolved` when a reader would not take that year
 * by themselves (another year, or "last"/"next"), so the year is said beside it.
 */
function yearlessMonth(sentence: string, index: number, text: string, month: number, reportDate: string): { text: string; start: string; resolved: boolean } {
  const after = sentence.slice(index + text.length);
  const before = sentence.slice(0, index);
  const reportYear = Number(reportDate.slice(0, 4));
  const reportMonth = Number(reportDate.slice(5, 7));
  const yearPhrase = /^\s*(?:of\s+)?(last|this|next)\s+year\b/i.exec(after);
  const pointer = /\b(last|next)\s+$/i.exec(before)?.[1].toLowerCase();
  let year = reportYear;
  let said = text;
  if (yearPhrase) {
    year += yearPhrase[1].toLowerCase() === "last" ? -1 : yearPhrase[1].toLowerCase() === "next" ? 1 : 0;
    said = `${text}${yearPhrase[0]}`;
  } else if (pointer === "last") year -= month >= reportMonth ? 1 : 0;
  else if (pointer === "next") year += month <= reportMonth ? 1 : 0;
  else if (month > reportMonth && !FUTURE.test(sentence)) year -= 1;
  return { text: said, start: iso(year, month, 1), resolved: year !== reportYear || said !== text || pointer !== undefined };
}

/** "16 April 2024", "4–7 February 2025", "30 June – 2 July 2025", "May 2023", "2019". */
export function formatMention(mention: Pick<DateMention, "start" | "end" | "precision">): string {
  const [y1, m1, d1] = mention.start.split("-").map(Number);
  if (mention.precision === "year") return String(y1);
  if (mention.precision === "month") {
    if (!mention.end) return `${MONTH_NAMES[m1 - 1]} ${y1}`;
    const [y2, m2] = mention.end.split("-").map(Number);
    return y1 === y2 ? `${MONTH_NAMES[m1 - 1]} to ${MONTH_NAMES[m2 - 1]} ${y2}` : `${MONTH_NAMES[m1 - 1]} ${y1} to ${MONTH_NAMES[m2 - 1]} ${y2}`;
  }
  if (!mention.end) return `${d1} ${MONTH_NAMES[m1 - 1]} ${y1}`;
  const [y2, m2, d2] = mention.end.split("-").map(Number);
  if (y1 === y2 && m1 === m2) return `${d1}–${d2} ${MONTH_NAMES[m2 - 1]} ${y2}`;
  if (y1 === y2) return `${d1} ${MONTH_NAMES[m1 - 1]} – ${d2} ${MONTH_NAMES[m2 - 1]} ${y2}`;
  return `${d1} ${MONTH_NAMES[m1 - 1]} ${y1} – ${d2} ${MONTH_NAMES[m2 - 1]} ${y2}`;
}

/**
 * The sentence with each relative date followed by the date it means: "on Tuesday" →
 * "on Tuesday (16 April 2024)". Nothing else changes.
 */
export function annotateRelativeDates(sentence: string, mentions: readonly DateMention[]): string {
  let out = sentence;
  for (const mention of [...mentions].filter((m) => m.relative).sort((a, b) => b.index - a.index)) {
    const at = mention.index + mention.text.replace(/[\s,.;:]+$/, "").length;
    out = `${out.slice(0, at)} (${formatMention(mention)})${out.slice(at)}`;
  }
  return out;
}

/** A day named by the one the text told before: "on the same day", "that day", "the next day", "the day before". */
const ANAPHORIC_DAY = /\b(?:(?:on )?(?:the|that) (?:very |same )?(same|next|following) day|(?:on )?that (same )?day|the day (before|after))\b/i;

/** Whether the sentence names its day by one told before ("On the same day, …"). */
export function hasAnaphoricDay(sentence: string): boolean {
  return ANAPHORIC_DAY.test(sentence);
}

/**
 * "On the same day", "the next day" of `sentence` as dates, counted from `previousDay`
 * (`YYYY-MM-DD`: the last day the text gave before the sentence); marked relative, so
 * the quote shows the day it means ("On the same day (16 April 2024), …").
 */
export function anaphoricDayMentions(sentence: string, previousDay: string): DateMention[] {
  return [...sentence.matchAll(new RegExp(ANAPHORIC_DAY, "gi"))].map((m) => {
    const offset = /next|following|after/i.test(m[0]) ? 1 : /before/i.test(m[0]) ? -1 : 0;
    return { index: m.index ?? 0, text: m[0], start: shiftDays(previousDay, offset), end: null, precision: "day" as const, relative: true };
  });
}

/** Words of what is still to come ("will open", "is to be built", "plans to", "agreed to"): a sentence with them tells no deed done. */
export const TO_COME = /\b(?:will|would|shall|plans?|planned|intends?|expected|scheduled|due to|to be|is to|are to|upcoming|future|agreed to|decided to)\b/i;
