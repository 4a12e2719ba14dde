/**
 * The analysed question (pure types): what every later stage reads instead of parsing
 * the question's text again. Built once by `analyseQuestion`.
 */
import type { Entity } from "../knowledge/knowledge-base.ts";
import type { DateHints } from "../retrieval/date-hints.ts";

/** The kind of answer a question expects; "description" when any well-chosen sentence will do. */
export type AnswerKind = "date" | "person" | "place" | "number" | "amount" | "organisation" | "list" | "yesno" | "reason" | "description";

/** The question word that shaped it ("date-only": "What happened on 1 May 2024?"). */
export type QuestionType = "when" | "who" | "where" | "how-many" | "how-much" | "which" | "what" | "why" | "how" | "yesno" | "list" | "date-only" | "other";

/** Order words: "latest"/"last", "first", "next after …", "before …". */
export type Ordering = "latest" | "first" | "after" | "before";

/** Small talk and commands, answered without a search. */
export type SmallTalk = "greeting" | "thanks" | "bye" | "about" | "ack" | "empty" | "command";

/**
 * One thing the question asks about: a person, country, place, organisation or topic
 * from the knowledge base (or a role resolved to its holders). A passage satisfies it
 * when it contains any of `forms`.
 */
export interface Mention {
  /** The question's words for it, as typed ("the kyrgyz president", "japrov"). */
  text: string;
  /** How it was recognised. */
  via: "name" | "alias" | "demonym" | "capital" | "role" | "typo" | "unknown-name";
  /** The candidate entities (several for "Japarov" or "the Kyrgyz president"); empty for an unknown name. */
  entities: Entity[];
  /** Normalised phrases (see `normalizeName`) any of which names it in a text. */
  forms: string[];
  /** The entity kind, or "name" for a capitalised word the knowledge base does not know. */
  kind: Entity["kind"] | "name";
  /** Named as where the event took place ("in Bishkek", "visit China"): a report names its venue where it opens. */
  located?: boolean;
}

export interface Question {
  /** The question as asked, whitespace-normalised. */
  text: string;
  language: "en" | "ru";
  type: QuestionType;
  expects: AnswerKind;
  mentions: Mention[];
  /** Content terms (normalised, stemmed) that are neither names nor date words, typos corrected. */
  keywords: string[];
  /** The lower-case words behind `keywords`, for word-vector paraphrase checks. */
  keywordWords: string[];
  /** Content words that no document contains and nothing corrects (they cannot be answered from the corpus). */
  unknownWords: string[];
  dates: DateHints;
  ordering: Ordering | null;
  /** Leans on the conversation: a pronoun or ellipsis with nothing in the question to resolve it. */
  followUp: boolean;
  smallTalk: SmallTalk | null;
  /** Text for keyword and vector search: typos corrected, the entities' canonical names added. */
  searchText: string;
  /**
   * For each of `keywords`, its index terms in the other language from the glossary (a list
   * of alternatives, each a list of terms that must all occur): how a passage in Russian
   * holds an English question's word and the other way round. Absent or empty: none known.
   */
  keywordAlternatives?: string[][][];
  /** A Russian question read in the corpus language ("when Sadyr Japarov meet Cai Qi?"), the text the analysis worked on. */
  translated?: string;
  /** Russian words of the question that neither the knowledge base nor the glossary knows. */
  untranslated?: string[];
}
