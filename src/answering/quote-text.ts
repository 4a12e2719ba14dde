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
 * A sentence that only names the source of the report ("The press service of the head of
 * state reported.", "Об этом сообщает пресс-служба президента."): a few words ending in a
 * reporting verb, with nothing reported. Quoted alone it reads as a fragment and states no fact.
 */
const BARE_ATTRIBUTION = /^[^,;:"“”«»\d]{0,80}\b(?:reported|reports|said|says|informed|announced|stated|noted|writes|wrote)\s*\.$/i;
const BARE_ATTRIBUTION_RU = /^(?:об этом\s+)?(?:сообщает|сообщила|сообщили|сообщил|передает|передаёт|информирует)\s[^,;:"«»\d]{0,80}\.$/iu;
/** Most words a bare attribution has ("The press service of the Cabinet of Ministers reported."). */
const BARE_ATTRIBUTION_MAX_WORDS = 12;

/** Whether the sentence only says who reported (not a sentence to quote). */
export function isBareAttribution(text: string): boolean {
  const plain = stripMarkup(text);
  if (plain.split(/\s+/).length > BARE_ATTRIBUTION_MAX_WORDS || /\bthat\b/i.test(plain)) return false;
  return BARE_ATTRIBUTION.test(plain) || BARE_ATTRIBUTION_RU.test(plain);
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

/** A quotation given to a bare pronoun: "“… proposed by Xi,” he said." (the pronoun captured). */
const QUOTED_BY_PRONOUN = /([”"»]\s*,?\s*)(he|she)(\s+(?:also\s+)?(?:said|says|added|noted|stressed|told|continued|emphasi[sz]ed|stated|recalled)\b)/i;

/** Whether the sentence is a quotation given to "he" or "she" only. */
export function quotedByPronoun(sentence: string): boolean {
  return QUOTED_BY_PRONOUN.test(sentence);
}

/** The speaker named after the pronoun, as an editor would: "…,” he (Japarov) said." Nothing else changes. */
export function nameSpeaker(sentence: string, name: string): string {
  return sentence.replace(QUOTED_BY_PRONOUN, (_, quote: string, pronoun: string, verb: string) => `${quote}${pronoun} (${name})${verb}`);
}
