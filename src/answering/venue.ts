/**
 * Where a report's event took place, as its opening sentence writes it: the first city the
 * knowledge base knows after "in" or "at" ("… met Wang Yi in Xi'an on Wednesday" → "Xi'an").
 * A timeline line whose own sentence names no place takes it from here (pure).
 */
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeName } from "../knowledge/knowledge-base.ts";
import { splitSentences } from "../text/sentences.ts";

/** Longest city name looked up, in words ("Nur-Sultan", "Cholpon-Ata", "Ho Chi Minh City"). */
const MAX_PLACE_WORDS = 4;
/** A place written after a preposition of venue: capitalised words, hyphens and apostrophes inside. */
const AFTER_VENUE_WORD = /\b(?:in|at)\s+((?:the\s+)?\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3})/gu;

/** The city the opening sentence of `text` puts its event in, as written; null when it names none after "in"/"at". */
export function venueOf(text: string, knowledge: KnowledgeBase): string | null {
  const opening = splitSentences(text)[0]?.text ?? text;
  for (const match of opening.matchAll(AFTER_VENUE_WORD)) {
    const words = match[1].replace(/^the\s+/, "").split(/\s+/);
    for (let n = Math.min(MAX_PLACE_WORDS, words.length); n >= 1; n--) {
      const written = words.slice(0, n).join(" ");
      if (knowledge.lookup(normalizeName(written)).some((hit) => hit.entity.kind === "city" && hit.via !== "capital")) return written;
    }
  }
  return null;
}

/** Whether `sentence` names `place` as written (case aside), so a line need not add it. */
export function namesPlace(sentence: string, place: string): boolean {
  return sentence.toLowerCase().includes(place.toLowerCase());
}
