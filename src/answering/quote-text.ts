/**
 * Light, rule-based edits of quoted document sentences (pure). They never change a fact:
 * markup goes, headings are not sentences, a quotation is not cut in half, and a
 * sentence that leans on the one before ("He added…") is recognised so that its
 * antecedent can be quoted with it.
 */

/** A Markdown heading line: "# Business forum". */
const HEADING_LINE = /^[ \t]*#{1,6}[ \t]+[^\n]*$/gm;

/** The sentence without Markdown or HTML markup; heading lines inside it are dropped. */
export function stripMarkup(text: string): string {
  return text
    .replace(HEADING_LINE, "")
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>/gi, "")
    .replace(/!?\[([^\]\n]+)\]\([^)\s]+\)/g, "$1")
    .replace(/\*\*|__|`/g, "")
    .replace(/(^|\s)[*_]([^*_\n]+)[*_](?=[\s.,;:!?]|$)/g, "$1$2")
    .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether nothing but markup and headings is left of it (not a sentence to quote). */
export function isOnlyMarkup(text: string): boolean {
  return !/\p{L}/u.test(stripMarkup(text));
}

/**
 * Openers that refer to someone or something the sentence does not name, also after a
 * short introductory phrase ("In his speech, he proposed…").
 */
const LEANS_BACK = /^(?:[^,.;:]{1,40}, )?(?:[Hh]e|[Ss]he|[Tt]hey|It|His|Her|Their|Its|The two sides|Both sides|The two leaders|The sides|The latter|The former|The president|The minister|The premier)\b|^(?:This|These|Those)\b(?! (?:year|month|week|spring|summer|autumn|winter)\b)/;

/** "He also highly appreciated…", "The two sides agreed…": the subject is in an earlier sentence. */
export function leansOnPrevious(sentence: string): boolean {
  return LEANS_BACK.test(sentence.trimStart());
}

/** Whether the quotation marks of a text open and close (curly, guillemets, straight double). */
export function quotesBalanced(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return count(/“/g) === count(/”/g) && count(/«/g) === count(/»/g) && count(/"/g) % 2 === 0;
}

/** Opens a quotation it does not close ("…said: “We will"). */
export function opensQuotation(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return count(/“/g) > count(/”/g) || count(/«/g) > count(/»/g) || count(/"/g) % 2 === 1;
}

/** Closes a quotation it did not open ("…build it,” he said."). */
export function closesQuotation(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return count(/”/g) > count(/“/g) || count(/»/g) > count(/«/g);
}
