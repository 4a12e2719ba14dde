/**
 * The grammar check of an answer's prose (pure), run over every eval answer: the defects
 * a reader notices first in extractive answers. Each problem is one short line; an
 * answer passes when there are none.
 *
 * - a capitalised common word after a leading date phrase ("On 4 February 2025, Looking ahead, …");
 * - the same date stated twice in one sentence ("On 27 December 2024, … on Friday, 27 December 2024");
 * - unbalanced quotation marks (a quotation cut in half);
 * - Markdown or HTML markup in the text ("# Business forum", "**", "[text](url)", "<p>");
 * - a paragraph whose first sentence opens with a pronoun nobody introduced ("He added…").
 */
import * as chrono from "chrono-node/en";
import { STOPWORDS } from "../../src/text/stopwords.ts";

/** "On 4 February 2025, " or "In an undated report: ": the frame before a quoted sentence. */
const LEADING_DATE_PHRASE = /^(?:On|In) [^,:]{3,40}, /;
/** Frames this project's answers put before a quote: "Reported on 3 September 2025: ", "Yes — ", "• 3 Sep 2025 — ". */
const FRAMES = [LEADING_DATE_PHRASE, /^Reported on [^:]{3,40}: /, /^Yes — /, /^• [^—]{3,40} — /, /^In an undated report: /];
/** Words that open a sentence about someone or something named before. */
const PRONOUN_OPENER = /^(?:[^,.;:]{1,40}, )?(?:He|She|They|It|His|Her|Their|Its|Him|Them|The two sides|Both sides|The two leaders|The latter|The former)\b/i;
/** A capitalised word that is not a name: a function word, or a common shape of English nouns, verbs and adverbs. */
function isCommonCapitalised(word: string): boolean {
  const lower = word.toLowerCase();
  return STOPWORDS.has(lower) || /^[A-Z][a-z]+(?:ing|ion|ment|ly|ness|ance|ence)$/.test(word);
}

const MARKUP: readonly [RegExp, string][] = [
  [/(?:^|\n)\s*#{1,6}\s/, "a Markdown heading"],
  [/\*\*|__/, "Markdown emphasis"],
  [/\[[^\]\n]+\]\([^)\s]+\)/, "a Markdown link"],
  [/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>/i, "an HTML tag"],
  [/`/, "a code mark"],
];

/** Quotation marks that open and close: curly double, curly single as quotes (not apostrophes), guillemets, straight double. */
function unbalancedQuotes(paragraph: string): boolean {
  const count = (re: RegExp) => (paragraph.match(re) ?? []).length;
  if (count(/“/g) !== count(/”/g)) return true;
  if (count(/«/g) !== count(/»/g)) return true;
  return count(/"/g) % 2 === 1;
}

/** Sentences of a paragraph, roughly: enough to find a date stated twice. */
function roughSentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?])\s+(?=[A-Z“"«])/);
}

function dayKey(component: chrono.ParsedResult["start"]): string | null {
  if (!component.isCertain("day") || !component.isCertain("month")) return null;
  return `${component.get("year")}-${component.get("month")}-${component.get("day")}`;
}

/** Problems of the answer's text; empty when it reads cleanly. */
export function styleProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [pattern, what] of MARKUP) if (pattern.test(text)) problems.push(`contains ${what}`);
  const paragraphs = text.split(/\n\s*\n|\n(?=• )/).map((p) => p.trim()).filter(Boolean);
  for (const paragraph of paragraphs) {
    const framed = LEADING_DATE_PHRASE.exec(paragraph);
    if (framed) {
      const next = /^[A-Za-z]+/.exec(paragraph.slice(framed[0].length))?.[0] ?? "";
      if (next && next !== "I" && /^[A-Z]/.test(next) && isCommonCapitalised(next)) problems.push(`"${next}" capitalised after a leading date phrase`);
    }
    if (unbalancedQuotes(paragraph)) problems.push("unbalanced quotation marks");
    // A timeline's date label is a column, not part of the sentence.
    for (const sentence of roughSentences(paragraph.replace(/^• [^—]{3,40} — /, ""))) {
      const days = chrono.parse(sentence).map((r) => dayKey(r.start)).filter((d): d is string => d !== null);
      if (new Set(days).size < days.length) {
        problems.push("a date stated twice in one sentence");
        break;
      }
    }
  }
  const first = paragraphs.find((p) => !/^(?:Sources:|\[\d+\])/.test(p));
  if (first) {
    let body = first;
    for (const frame of FRAMES) body = body.replace(frame, "");
    const opener = PRONOUN_OPENER.exec(body);
    if (opener) problems.push(`opens with "${opener[0]}", introduced nowhere`);
  }
  return problems;
}
