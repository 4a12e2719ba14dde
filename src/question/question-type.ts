/**
 * What kind of question it is (pure): the question word and the answer it expects, the
 * words that only frame the question ("cost", "date", "what happened"), and order words
 * ("latest", "first met"). Part of the question analysis.
 */
import type { DateHints } from "../retrieval/date-hints.ts";
import { normalizeTerm } from "../text/terms.ts";
import { FuzzyWords } from "./fuzzy-words.ts";
import type { AnswerKind, Ordering, QuestionType } from "./question.ts";

/** Words that only say which kind of answer is wanted, by expected kind. */
export const KIND_WORDS: Partial<Record<AnswerKind, string[]>> = {
  date: ["date", "dates", "day", "days", "time", "year", "month", "happen", "happened", "take", "place", "whens", "soon", "long", "ago"],
  amount: ["cost", "costs", "price", "worth", "value", "amount", "sum", "much", "total", "expensive", "long", "far", "high", "tall", "big", "large", "deep", "wide", "heavy", "fast", "often", "frequently"],
  number: ["many", "number", "count", "total"],
  place: ["place", "venue", "location", "city", "town", "country", "held", "take"],
  person: ["person", "name", "official"],
  organisation: ["organisation", "organization", "company", "firm", "contractor", "manufacturer", "maker", "producer", "supplier", "lender", "builder", "operator"],
  reason: ["reason", "why"],
  // "how did the ambassador describe the centre", "what did Xi call the railway": what was said is the answer, not a word to find.
  description: ["describe", "described", "describes", "characterise", "characterised", "characterize", "characterized", "call", "called"],
  // "list every time …", "all the documents about …", "with their dates and places": the request for a list (each line gives its date and place), not what to find.
  list: ["list", "every", "all", "each", "time", "times", "occasion", "occasions", "date", "dates", "place", "places", "venue", "venues", "detail", "details", "document", "documents", "report", "reports", "article", "articles", "mention", "mentioned", "name", "enumerate"],
};

/** Words that ask for whatever happened ("what happened on 1 May", "anything reported in June"): date-only questions have only these. */
export const EVENT_WORDS = ["happen", "happened", "happening", "occur", "occurred", "go", "going", "on", "news", "report", "reported", "event", "events", "take", "took", "place", "anything", "something", "new", "cover", "covered"];
export const EVENT_TERMS = new Set(EVENT_WORDS.flatMap((w) => normalizeTerm(w) ?? []));
/** Question words and event words, for typo correction before the corpus ("hapepned" → "happened"). */
export const FRAMING_FIXES = new FuzzyWords([...EVENT_WORDS, "when", "where", "which", "what", "happened"].map((w) => [w, 1] as [string, number]), 4);

/** What an ordered question may order without saying what about: "the oldest report in the documents", "the latest news". */
export const ORDERED_THINGS = ["report", "reports", "reported", "document", "documents", "news", "article", "articles", "story", "stories", "event", "events", "item", "entry", "one", "corpus", "happened", "happen"];

/** Words about the documents, not the world they report ("does the corpus cover", "did Kulubaev mention", "according to"): never key words. */
export const META_WORDS = ["corpus", "mention", "mentions", "mentioned", "according"];

/** Words that ask for more of the conversation ("what else did they discuss", "tell me more"): never key words. */
export const MORE_WORDS = ["else", "more", "besides", "further", "additionally", "also", "too"];

/** Words of order ("the last meeting"), read into `ordering`. */
export const ORDER_WORDS = ["latest", "last", "first", "earliest", "oldest", "recent", "recently", "newest", "next", "previous", "most"];

/** A pattern for questions that start with one of the phrases (`|`-separated; regex syntax allowed), matched as whole words in any script. */
const leading = (phrases: string) => new RegExp(`^(?:${phrases})(?![\\p{L}\\p{N}])`, "iu");

/** "what is the <measure> of …", "at what altitude …": a what/which question (a preposition may lead) that names one of `measures`. */
const measureAsked = (measures: string) => new RegExp(`^(?:(?:at|to|by|of|in) )?(?:what|which)\\b.*\\b(?:${measures})\\b`, "iu");

/** Nouns that name a quantity by themselves ("trade", "exports"): "what was X" of them asks for a figure. */
const QUANTITY_NOUNS = "trade|turnover|exports?|imports?|gdp|growth|investments?|population|revenue|output|production";

/** "List …", "name all …", "перечисли …": a request for every match. */
const LIST_REQUEST = leading("list|name (?:all|every|the)|enumerate|перечисли");

/**
 * "Which/what" and a plural noun within five words, in a question scoped to the whole corpus ("in the
 * documents", "according to the reports", "in the corpus"): every match is asked for. A plural is a word
 * ending in -s but not -ss, -us or -is, nor one of the verbs and pronouns that end so.
 */
const CORPUS_WIDE_PLURAL = /^(?:which|what) (?:[\p{L}'’-]+ ){0,4}?(?!(?:was|has|does|is|its|this|his|us|as|yes|news)\b)[\p{L}-]+(?<![su]s|is)s\b.*\b(?:in|according to|from|across) the (?:documents|reports|corpus|news|sources)\b/iu;

/**
 * "Which of the presidents hosted Xi", "who among the leaders…", "Кто из лидеров Центральной Азии
 * принимал Си Цзиньпина": people picked out of a group in the plural, each of them that did it.
 */
const AMONG_PEOPLE = new RegExp(
  [
    "\\b(?:which|who|whom) (?:of|among) the (?:[\\p{L}-]+ ){0,3}?(?:leaders|presidents|ministers|premiers|officials|speakers|heads of (?:state|government))\\b",
    "(?<![\\p{L}])(?:кто|кого|кому|с кем) из (?:[\\p{L}-]+ ){0,2}?(?:лидеров|президентов|министров|премьеров|премьер-министров|руководителей|глав|чиновников|спикеров|официальных лиц)(?![\\p{L}])",
  ].join("|"),
  "iu",
);

const TYPE_RULES: { pattern: RegExp; type: QuestionType; expects: AnswerKind }[] = [
  // "whens the next summit", "how soon", "how long ago", "what was the date of the signing", "in which year": casual and roundabout ways to ask when.
  { pattern: leading("when|whens|how soon|how long ago|(?:on |at |in )?(?:what|which) (?:dates?|days?|time|year|month)|(?:what|which) (?:is|was|are|were) the (?:dates?|day|year|month)|since when|когда|в каком году|в какой день|в каком месяце|какого числа"), type: "when", expects: "date" },
  { pattern: leading("who|whom|whose|which (?:person|official|minister|leader|president|delegation)|(?:what|what's|whats) (?:is|was) the name of|(?:what|what's|whats) (?:is|was) (?:his|her) name|кто|кого|кому|с кем"), type: "who", expects: "person" },
  // "in which chinese city", "what kyrgyz town": a word or two may describe the place asked for.
  { pattern: leading("where|in (?:what|which) (?:[\\p{L}-]+ ){0,2}(?:city|town|place|country|region)|(?:what|which) (?:[\\p{L}-]+ ){0,2}(?:city|town|place|venue|country|region)|где|куда|откуда|в каком городе"), type: "where", expects: "place" },
  { pattern: leading("how much|(?:what|which) (?:sum|amount|price|cost)|(?:what|how big|how large) (?:was|is|were|are) the (?:value|cost|price|amount|sum|volume|worth|size)|сколько сто(?:ит|или|ила|ило|ил|ят)|во сколько обо[шй][\\p{L}]*|на какую сумму"), type: "how-much", expects: "amount" },
  { pattern: leading("how many|сколько"), type: "how-many", expects: "number" },
  // A measure asked for: "how long is the tunnel", "what is the capacity of the plant", "at what altitude…", "the SCO budget for 2023".
  { pattern: leading("how (?:long|far|high|tall|big|large|deep|wide|heavy|fast|often|frequently)|как часто"), type: "how-much", expects: "amount" },
  { pattern: measureAsked("population|number of"), type: "how-many", expects: "number" },
  { pattern: measureAsked("capacity|budget|length|altitude|height|elevation|distance|area|size|volume|speed|weight|output|share|stake|percentage|proportion"), type: "how-much", expects: "amount" },
  { pattern: measureAsked("cost|value|price|worth|sum|amount"), type: "how-much", expects: "amount" },
  // "what was china kyrgyzstan trade in 2021", "what were the exports of …": a figure that is
  // a quantity by itself is asked for, not a description of it.
  { pattern: leading(`(?:what|what's|whats) (?:is|was|were|are) (?:the )?(?:[\\p{L}'’-]+ ){0,3}(?:${QUANTITY_NOUNS})(?: (?:between|of|with|from|to|in|for|last|this)\\b|[?.!]?$)`), type: "how-much", expects: "amount" },
  { pattern: LIST_REQUEST, type: "list", expects: "list" },
  { pattern: /\b(every|all the|all of the) (meetings?|visits?|times?|agreements?|documents?|summits?|ministers?)\b/iu, type: "list", expects: "list" },
  // "which sco meetings did …", "what visits were there in 2024": events in the plural ask for each of them.
  { pattern: leading("(?:which|what) (?:[\\p{L}-]+ ){0,2}(?:meetings|visits|summits|trips|events|forums|sessions)"), type: "list", expects: "list" },
  // "which presidents did Xi meet", "which foreign ministers did Wang Yi hold talks with": people met, each of them.
  { pattern: leading("(?:which|what) (?:[\\p{L}-]+ ){0,2}(?:presidents|ministers|leaders|premiers|officials|speakers|heads of (?:state|government)) (?:did|has|have)\\b"), type: "list", expects: "list" },
  // "Which Kyrgyz farm products got access … according to the documents?", "which SCO heads of government meetings are in the documents":
  // things in the plural, asked of the whole corpus, are each of them. (Not "was", "has", "does": verbs, not plurals.)
  { pattern: CORPUS_WIDE_PLURAL, type: "list", expects: "list" },
  { pattern: leading("(?:which|what) (?:[\\p{L}-]+ )?(?:organi[sz]ations?|bloc|union|body|group|company|companies|firm|contractor|corporation|bank|university|institute|agency|manufacturer|maker|producer|supplier|lender|builder|operator)"), type: "which", expects: "organisation" },
  { pattern: leading("why|почему|зачем|for what reason|what was the reason|what is the reason"), type: "why", expects: "reason" },
  { pattern: leading("is|are|was|were|did|does|do|has|have|had|can|could|will|would"), type: "yesno", expects: "yesno" },
  { pattern: leading("which|what|что|какой|какие|какая|какое"), type: "what", expects: "description" },
  { pattern: leading("how|как"), type: "how", expects: "description" },
];

/** `asTyped`: the question as the user wrote it, when `text` is its English reading (a Russian question). */
export function questionType(text: string, keywords: string[], dates: DateHints, options: { asTyped?: string } = {}): { type: QuestionType; expects: AnswerKind } {
  // "what about Kazakhstan?" asks the previous question again: it has no type of its own.
  if (/^(?:and\s+)?(?:what|how) about\b/iu.test(text)) return { type: "other", expects: "description" };
  // "whats the population", "what's the cost": typed contractions read as "what is".
  const lead = text.replace(/^(so|and|but|ok|okay|please|hey|hi|tell me|can you tell me|do you know|could you tell me)[\s,]+/iu, "").replace(/^(what|who|where|when|how)(?:['’]s|s(?= ))/iu, "$1 is");
  const generic = keywords.every((k) => EVENT_TERMS.has(k));
  if ((dates.ranges.length > 0 || dates.months.length > 0) && generic && /^(what|anything|which events|news|any)/iu.test(lead)) return { type: "date-only", expects: "description" };
  // "When did A meet B? List all the meetings.": a later sentence that asks for a list makes it one.
  const later = text.split(/(?<=[?!.])\s+/u).slice(1);
  if (later.some((sentence) => LIST_REQUEST.test(sentence))) return { type: "list", expects: "list" };
  if (AMONG_PEOPLE.test(lead) || (options.asTyped !== undefined && AMONG_PEOPLE.test(options.asTyped))) return { type: "list", expects: "list" };
  for (const rule of TYPE_RULES) if (rule.pattern.test(lead)) return { type: rule.type, expects: rule.expects };
  // Telegraphic questions: "japarov xi meeting astana date", "cost of the railway".
  const has = (words: string) => new RegExp(`(?<![\\p{L}])(?:${words})(?![\\p{L}])`, "iu").test(text);
  if (has("date|when|дата|когда")) return { type: "when", expects: "date" };
  if (has("cost|price|worth|value|how much|стоимость")) return { type: "how-much", expects: "amount" };
  // "kazakhstan china trade in 2025": a quantity noun for a year asks for its figure.
  if (has(QUANTITY_NOUNS) && dates.ranges.length > 0 && !/^(?:what|which|how|did|does|do|is|are|was|were)\b/iu.test(lead)) return { type: "how-much", expects: "amount" };
  if (has("where|venue|location|где")) return { type: "where", expects: "place" };
  return { type: "other", expects: "description" };
}

export function orderingOf(text: string): Ordering | null {
  const lower = text.toLowerCase();
  if (/\b(latest|last|most recent(ly)?|recently|newest|последн\p{L}*)\b/u.test(lower)) return "latest";
  // "the first tunnel" describes a thing; "first met", "the first summit in the documents" order events.
  if (/\bearliest\b|\boldest\b|\bfirst (time|met|meet|visit\w*|held|hold|took|came|signed|sign)\b|\b(met|meet|visited|held|signed|came)\s+(for the )?first\b|\bfirst\b.*\b(in the documents|according to the documents|ever|in the corpus|on record)\b/u.test(lower)) return "first";
  // "the first meeting between A and B", "the first Kyrgyz premier Li Qiang met": the first of
  // several events; "была первой". ("The first tunnel" is still a thing, and "впервые отправил" a first shipment.)
  if (/\bfirst (meeting|talks|visit|summit|session)s? (between|with|of \p{L}+ and)\b|\bfirst\b(\s+[\p{L}'’-]+){1,6}\s+(met|meet|visited|received|hosted)\b/u.test(lower) || /(^|\s)(был|была|было)\s+перв(ой|ым)(\s|[?.!,]|$)/u.test(lower)) return "first";
  if (/\b(after|following|since|then next|next)\b/u.test(lower)) return "after";
  if (/\b(before|prior to|ahead of|preceding)\b/u.test(lower)) return "before";
  return null;
}
