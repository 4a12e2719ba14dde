/**
 * The one answerability decision: from the analysed question and the retrieved passages,
 * `answer` (a passage names every asked entity, meets the asked date and holds the kind
 * of answer expected and the question's key words), `partial` (the documents speak about
 * the subject but not about what was asked) or `refuse`, with the reasons and the
 * passages that carry it. Pure: corpus look-ups come through `Evidence`.
 */
import { type Chunk, type Passage, searchTitleOf } from "../domain.ts";
import type { Entity, KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeName } from "../knowledge/knowledge-base.ts";
import type { Mention, Question } from "../question/question.ts";
import { dateMatches, hasDateHints, textMentionsPeriod } from "../retrieval/date-hints.ts";
import { russianBase } from "../text/russian.ts";
import { splitSentences } from "../text/sentences.ts";
import { EMBEDDING_STOPWORDS, TERM_STOPWORDS } from "../text/stopwords.ts";
import { terms } from "../text/terms.ts";
import { DEFAULT_ANSWERABILITY_SETTINGS, type AnswerabilitySettings } from "./answerability-settings.ts";
import { TO_COME } from "./event-dates.ts";
import { LRUCache } from "lru-cache";

export type Outcome = "answer" | "partial" | "refuse";

export interface Answerability {
  outcome: Outcome;
  /** Why, in a few words each (logs, `ask --json`). */
  reasons: string[];
  /** The passages that carry the answer (or, for `partial`, the closest fact), best first. */
  supporting: Passage[];
  /** For `partial`: what the documents do not say, as a clause ("do not give the amount", "do not mention space exploration"). */
  missing: string | null;
  /** For `partial`: what they do speak about (the asked entities' names), null when the question names none. */
  subject: string | null;
  /** Share of the key words found in the chosen passage (0–1). */
  coverage: number;
  /** For `answer`: the sentence of the lead passage that holds the kind of thing asked (the amount, the person, …), to lead the answer with. */
  answerSentence?: string;
  /** "Which came later, A or B": the side that answers (its passage is `supporting[0]`) and the other, as the question put them. */
  comparison?: { later: boolean; chosen: string; other: string };
  /** "What happened right after X": the report that answers is `supporting[0]`, X's is `supporting[1]`; `anchor` as the question put it. */
  sequence?: { after: boolean; anchor: string };
}

/** Word-level similarity (cosine of word vectors), 0 for unknown words: local embeddings provide it. */
export type WordSimilarity = (a: string, b: string) => number;

/** What the decision needs from the serving corpus. */
export interface Evidence {
  /** IDF of a normalised term. */
  idf(term: string): number;
  /** Whether any chunk of the document (or its title) contains the normalised term. */
  documentHasTerm(docId: string, term: string): boolean;
  /** The document's first chunk (its lede, which names the actors), or null. */
  lede(docId: string): Chunk | null;
  /** The lede of the report dated next after (or before) the document, or null; absent where the corpus is not at hand. */
  reportNextTo?(docId: string, direction: "after" | "before"): Chunk | null;
  /** The document's chunks in order; absent where the corpus is not at hand (then the passage and lede stand for it). */
  documentChunks?(docId: string): readonly Chunk[];
  /** Word-vector similarity of two lower-case words, 0 when unknown; absent without word vectors. */
  wordSimilarity?: WordSimilarity;
  knowledge: KnowledgeBase;
}

interface Judged {
  passage: Passage;
  rank: number;
  mentionsMet: boolean;
  missingMentions: Mention[];
  dateMet: boolean;
  /** The passage's report was published in the asked period (not only speaking of it); false when none is asked. */
  publishedInPeriod: boolean;
  kindMet: boolean;
  /** The sentence that holds the asked kind; undefined when the question asks for no checked kind or the report's opening dates it. */
  kindSentence?: string;
  coverage: number;
  absent: string[];
  /** The question's rarest key word is in the passage (or closely paraphrased), or the question has fewer than two. */
  focusMet: boolean;
  /** Indices of the key words the passage (or its report's lede) holds as written. */
  held: Set<number>;
  /** The question's ordinals ("second", "13th") that neither the passage nor its report's lede holds. */
  ordinalsMissing: string[];
  /** A question about a held event, and the passage (with its report's title and lede) speaks of the event only as one to come: the event's word as asked, else null. */
  plannedOnly: string | null;
  /** The question asks about one occasion ("at the Kazarman hydropower signing") that neither the report's opening nor one sentence of the passage tells as held. */
  occasionMissing: boolean;
}

/**
 * Normalised texts and terms of chunks, kept while the same passages come back (bounded).
 * Caches here are keyed by the chunk object: a reloaded index brings new objects, so a
 * re-embedded document's changed text is never served from an older entry.
 */
const TEXT_CACHE_LIMIT = 4000;
const textCache = new LRUCache<Chunk, { text: string; terms: Set<string>; words: Set<string> }>({ max: TEXT_CACHE_LIMIT });

function chunkText(chunk: Chunk): { text: string; terms: Set<string>; words: Set<string> } {
  let cached = textCache.get(chunk);
  if (!cached) {
    const normalised = normalizeName(`${searchTitleOf(chunk)} ${chunk.text}`);
    // Paraphrase candidates are content words: a function word is near everything in the vectors ("sign" ~ "will" 0.63).
    const words = normalised.split(" ").filter((w) => w.length >= 3 && !isFunctionWord(w));
    cached = { text: ` ${normalised} `, terms: new Set(terms(`${searchTitleOf(chunk)} ${chunk.text}`)), words: new Set(words) };
    textCache.set(chunk, cached);
  }
  return cached;
}

/** Function words (and reporting verbs) that may not paraphrase a content word, whatever the vectors say. */
const isFunctionWord = (word: string) => TERM_STOPWORDS.has(word) || EMBEDDING_STOPWORDS.has(word);

/** A chunk's terms outside the knowledge base's names of two words or more, and those names' last words. */
interface NameSplit {
  outside: Set<string>;
  heads: Set<string>;
}

const nameSplitCache = new LRUCache<Chunk, NameSplit>({ max: TEXT_CACHE_LIMIT });

/** The words of a chunk (title and text) split at the knowledge base's names of two words or more, longest first. */
function nameSplit(chunk: Chunk, knowledge: KnowledgeBase): NameSplit {
  let cached = nameSplitCache.get(chunk);
  if (!cached) {
    // The same normalised text the other checks read (chunkText pads it with spaces).
    const words = chunkText(chunk).text.trim().split(" ");
    const kept: string[] = [];
    const heads: string[] = [];
    for (let i = 0; i < words.length; ) {
      let span = 0;
      for (let n = MAX_NAME_WORDS; n >= 2 && span === 0; n--) if (i + n <= words.length && knowledge.lookup(words.slice(i, i + n).join(" ")).length > 0) span = n;
      if (span === 0) kept.push(words[i]);
      else heads.push(words[i + span - 1]);
      i += Math.max(1, span);
    }
    cached = { outside: new Set(terms(kept.join(" "))), heads: new Set(terms(heads.join(" "))) };
    nameSplitCache.set(chunk, cached);
  }
  return cached;
}

/** The terms of a chunk (title and text) outside the knowledge base's names of two words or more. */
function termsOutsideNames(chunk: Chunk, knowledge: KnowledgeBase): Set<string> {
  return nameSplit(chunk, knowledge).outside;
}

/**
 * The terms of the last words of the knowledge base's names of two words or more in a chunk:
 * a name's last word says what it names ("summit" in "China–Central Asia Summit"; "organization",
 * not "treaty", in "Collective Security Treaty Organization"). The complement of `termsOutsideNames`.
 */
function nameHeads(chunk: Chunk, knowledge: KnowledgeBase): Set<string> {
  return nameSplit(chunk, knowledge).heads;
}

/** Whether the passage (or its report's lede) names something headed by the question's key word `index`. */
function namesHeadedBy(question: Question, index: number, chunk: Chunk, evidence: Evidence): boolean {
  const lede = evidence.lede(chunk.docId);
  return holdsKeyword(question, index, nameHeads(chunk, evidence.knowledge)) || (!!lede && lede.id !== chunk.id && holdsKeyword(question, index, nameHeads(lede, evidence.knowledge)));
}

/** Money or a measured quantity: "$1.2 billion", "300 million yuan", "18 tonnes", "4.3 km", "1,160 MW". */
const AMOUNT = /(\$|€|¥)\s?\d|\d[\d,.]*\s*-?\s*(?:(?:million|billion|thousand|mln|bn|trillion)\s+)?(?:dollars|usd|yuan|rmb|renminbi|soms?|roubles|rubles|euros?|tenge|sums?|tonnes?|tons?|kg|kilograms?|km|kilometres?|kilometers?|metres?|meters?|m|feet|ft|miles?|mw|gw|kwh|megawatts?|gigawatts?|bcm|cubic|square|sq|hectares?|ha|percent|per cent|%|doses|trucks|passengers|seats|beds|places)\b|\b(?:million|billion|mln|bn)\b/i;
/** Amounts written in Russian ("85 миллионов долларов", "500 тонн", "4 500 сомов"). */
const RUSSIAN_AMOUNT = /\d[\d\s,.]*\s*(?:(?:тыс|тысяч[а-я]*|млн|миллион[а-я]*|млрд|миллиард[а-я]*)\.?\s+)?(?:доллар[а-я]*|юан[а-я]*|сом[а-я]*|рубл[а-я]*|тенге|евро|тонн[а-я]*|км|километр[а-я]*|мегаватт[а-я]*|процент[а-я]*|%)/iu;
/** A Russian title then a name ("мэр Бишкека Айбек Джунушалиев", "министр Даниар Амангельдиев"). */
const RUSSIAN_TITLED_NAME = /(?:^|[^\p{L}])(?:мэр|министр|президент|председател|посол|глав|спикер|торага|губернатор|премьер|ректор|полномочн)[\p{L}-]*(?:\s+[\p{Ll}-]+){0,4}\s+\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+/u;
/** "в Ланьчжоу", "на Иссык-Куле": a Russian preposition of place before a capitalised word. */
const RUSSIAN_PLACE = /(?:^|[^\p{L}])(?:в|во|на)\s+\p{Lu}\p{Ll}{2,}/u;
const RUSSIAN_MONTHS = /(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*/iu;
const NUMBER = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|dozens?|million|billion)\b/i;
/** Money: "$1.2 billion", "300 million yuan", "5 bn som". */
const MONEY = /(\$|€|¥)\s?\d|\d[\d,.]*\s*(?:(?:million|billion|thousand|mln|bn|trillion)\s+)?(?:dollars|usd|yuan|rmb|renminbi|soms?|roubles|rubles|euros?|tenge|sums?)\b/i;

/** A length or a distance: "523 km", "the 523-km railway", "4,000 metres", "12 miles". */
const LENGTH = /\d[\d,.]*\s*-?\s*(?:km|kilometres?|kilometers?|metres?|meters?|m|feet|ft|miles?)\b/i;
/** A span of time: "three hours", "9 days", "two years". */
const DURATION = /\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a few|several|half an?)\s*(?:-\s*)?(?:minutes?|hours?|days?|weeks?|months?|years?)\b/i;
/** A share: "51 percent", "30%", "a third", "half". */
const SHARE = /\d[\d,.]*\s*(?:percent|per cent|%)|\b(?:half|a third|a quarter|two thirds|majority|minority)\b/i;
const RUSSIAN_LENGTH = /\d[\d\s,.]*\s*(?:км|километр[а-я]*|метр[а-я]*|м\b)/iu;
const RUSSIAN_DURATION = /\d[\d\s,.]*\s*(?:минут[а-я]*|час[а-я]*|дн[а-я]*|день|суток|сутки|недел[а-я]*|месяц[а-я]*|лет|год[а-я]*)(?![а-я])/iu;
const RUSSIAN_SHARE = /\d[\d\s,.]*\s*(?:процент[а-я]*|%)|\b(?:половин[а-я]*|треть)/iu;

/**
 * The measure a "how much / how long / what share" question asks for, by its words: money
 * ("cost", "price", "invest"), a length or a time ("how long", "how far", "altitude"), a
 * share ("share", "stake", "percentage"), a speed ("how fast"); money for trade ("trade in 2024", "turnover"); null for any amount ("how much beef", "capacity").
 * Another measure of the same subject ("1.5 billion kilowatt-hours" for "how long is the
 * section") does not answer it.
 */
type Measure = "money" | "length" | "height" | "share" | "frequency" | "speed";
function measureOf(question: Question): Measure | null {
  const text = question.translated ?? question.text;
  if (/\bhow (often|frequently)\b|\bfrequency\b/i.test(text) || /как часто/iu.test(question.text)) return "frequency";
  if (/\b(share|stake|percentage|proportion|per ?cent)\b/i.test(text) || /\b(дол[яи]|процент[а-я]*)\b/iu.test(question.text)) return "share";
  if (/\bhow (high|tall)\b|\b(altitude|height|elevation)\b/i.test(text)) return "height";
  if (/\bhow fast\b|\b(speed|speeds)\b/i.test(text) || /скорост[а-я]*|как быстро/iu.test(question.text)) return "speed";
  if (/\bhow (long|far|deep|wide)\b|\b(length|distance|depth|width)\b/i.test(text)) return "length";
  if (/\b(cost|costs|price|worth|value|spend|spent|pay|paid|fund|funds|funding|money|invest|investment|pledge|pledged|grant|budget|raise|raised|loan|trade|turnover)\b/i.test(text) || /стои[а-я]*|стоимост[а-я]*|обош[а-я]*/iu.test(question.text)) return "money";
  return null;
}

/** A height given with its number ("at an altitude of more than 4,000 metres"): not the length or distance of anything. */
const HEIGHT_GIVEN = /\b(?:altitude|height|elevation)\s+of\s+(?:(?:more|less)\s+than\s+|about\s+|around\s+|over\s+|nearly\s+|almost\s+)?\d[\d,.]*\s*(?:km|kilometres?|kilometers?|metres?|meters?|m|feet|ft)\b/gi;

const MEASURE_EVIDENCE: Record<Measure, (sentence: string) => boolean> = {
  money: (sentence) => MONEY.test(sentence) || RUSSIAN_AMOUNT.test(sentence),
  // "How long" asks a length or a time ("how long does the flight take").
  length: (sentence) => LENGTH.test(sentence.replace(HEIGHT_GIVEN, "")) || DURATION.test(sentence) || RUSSIAN_LENGTH.test(sentence) || RUSSIAN_DURATION.test(sentence),
  height: (sentence) => LENGTH.test(sentence) || RUSSIAN_LENGTH.test(sentence),
  share: (sentence) => SHARE.test(sentence) || RUSSIAN_SHARE.test(sentence),
  frequency: (sentence) => FREQUENCY.test(sentence) || RUSSIAN_FREQUENCY.test(sentence),
  speed: (sentence) => SPEED.test(sentence),
};

/** A speed: "120 km/h", "up to 160 kilometres per hour", "80 км/ч". */
const SPEED = /\d[\d,.]*\s*(?:km\/h|kmh|kph|mph|(?:kilomet(?:re|er)s?|miles?)\s+(?:per|an|a)\s+hour|км\/ч|километр[а-я]*\s+в\s+час)/iu;

/** How often: "once a year", "twice a week", "four times a week", "every two years", "annually", "daily". */
const FREQUENCY = /\b(?:once|twice|(?:\d+|one|two|three|four|five|six|seven|ten) times)\b|\b(?:every|each)\s+(?:(?:other|two|three|four|five|\d+)\s+)?(?:day|week|month|year|days|weeks|months|years)\b|\b(?:daily|weekly|monthly|annually|yearly|quarterly)\b|\b(?:a|per)\s+(?:day|week|month|year)\b/i;
const RUSSIAN_FREQUENCY = /(?:^|\s)(?:раз в|ежегодно|ежедневно|еженедельно|ежемесячно|дважды|каждый|каждую|каждые)(?:\s|$)/iu;

/** A date in a sentence: a month, a weekday, a year, "on the same day" (a day told before), or "today"/"yesterday" (the report date then dates the event). */
const DATE_WORDS = /\b(?:on )?(?:the|that) (?:same|next|following) day\b|\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)\b|\b(19|20)\d{2}\b/;

/** A question that asks for the day itself. */
const ASKS_DAY = /\b(?:what|which) day\b|\bexact date\b|\bon what date\b|\bwhat date\b/i;
/** A day in a sentence: a day of a month, a weekday, "the same day", "today"/"yesterday". */
const DAY_WORDS = /\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b|\b(?:the|that) (?:same|next|following) day\b|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)/i;

/** Share of the passage's key-word weight that the sentence holding the asked kind must carry (it speaks of the subject). */
const KIND_SENTENCE_SHARE = 1 / 3;

/** Years and days of a month are dates, not the number a "how many" question asks for ("on 24 October", "May 5"). */
const YEAR = /\b(19|20)\d{2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b/g;
const TITLE = /\b(President|Minister|Ambassador|Chairman|Chairwoman|Chair|Premier|Governor|Mayor|Secretary|Director|Speaker|Deputy|Envoy|Consul|Head|Chief|Secretary-General|Commissioner)\b/;
/** Two capitalised words in a row after the first word of the sentence ("… Ambassador Du Dewen said"). */
const NAME_AFTER_TITLE = /(?<=\S\s+)(\p{Lu}[\p{Ll}'’-]+)\s+(\p{Lu}[\p{Ll}'’-]+)/gu;
/** Capitalised words of institutions and titles, never of a person's name ("the Department of Consular Affairs"). */
const INSTITUTION_WORDS = new Set(
  "Department Ministry Affairs Committee Council Foreign Republic Party State National Cabinet Office Service Administration Bank University Organization Organisation Union Commission General Central Standing People People's Committee Agency Customs Security Development Economic Economy Trade Energy Transport Culture Education Health Presidential Government Assembly Congress Parliament Kenesh Jogorku Secretariat Forum Summit Council Region Regional City Autonomous".split(" "),
);

/** A personal name in a sentence: two capitalised words after its start, neither an institution's word. */
function namesPerson(sentence: string): boolean {
  for (const m of sentence.matchAll(NAME_AFTER_TITLE)) if (!INSTITUTION_WORDS.has(m[1]) && !INSTITUTION_WORDS.has(m[2])) return true;
  return false;
}
/** "in/at/near" and a capitalised word that is not a month or a weekday. */
const PLACE = /\b(?:in|at|near) (?:the )?(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)\p{Lu}\p{Ll}+/u;
/** Every "in/at/near <Capitalised>" of a sentence, the place word captured. */
const PLACES = new RegExp(PLACE.source.replace("\\p{Lu}\\p{Ll}+", "(\\p{Lu}\\p{Ll}+)"), "gu");
/** A question that asks for a city or town, not a country ("in which chinese city"). */
const ASKS_TOWN = /\b(?:city|town|village)\b/i;
const ORGANISATION = /\b(Organi[sz]ation|Union|Council|Committee|Ministry|Bank|Corporation|Company|Fund|Institute|University|Agency|Group)\b/;

/** Whether a term set holds the question's keyword `index`, or one of its forms in the other language (glossary). */
function holdsKeyword(question: Question, index: number, set: ReadonlySet<string> | undefined): boolean {
  if (!set) return false;
  if (set.has(question.keywords[index])) return true;
  return (question.keywordAlternatives?.[index] ?? []).some((alternative) => alternative.every((t) => set.has(t)));
}

/** Compiled Russian name patterns, keyed by prefixes and form; an LRU like the file's other caches. */
const RUSSIAN_PATTERN_LIMIT = 5000;
const russianPatterns = new LRUCache<string, RegExp>({ max: RUSSIAN_PATTERN_LIMIT });

/**
 * Whether a normalised, space-padded text names a form, declined as Russian declines it when
 * the form is Cyrillic ("в пекине" for "пекин", "чжао лэцзи"); `prefixes` (normalised) must
 * stand right before it. Latin forms are matched as written.
 */
function namesForm(text: string, form: string, prefixes: readonly string[] = [""]): boolean {
  if (!/\p{Script=Cyrillic}/u.test(form)) return prefixes.some((prefix) => text.includes(` ${prefix ? `${prefix} ` : ""}${form} `));
  const key = `${prefixes.join("|")}\u0000${form}`;
  let pattern = russianPatterns.get(key);
  if (!pattern) {
    const words = form.split(" ").map((word) => `${escapeRegExp(russianBase(word))}[а-яё]{0,4}`).join(" ");
    const before = prefixes.filter(Boolean).map(escapeRegExp).join("|");
    pattern = new RegExp(` ${before ? `(?:${before}) ` : ""}${words} `, "u");
    russianPatterns.set(key, pattern);
  }
  return pattern.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Decides whether the passages answer the question. */
export function judgeAnswerability(question: Question, passages: readonly Passage[], evidence: Evidence, settings: AnswerabilitySettings = DEFAULT_ANSWERABILITY_SETTINGS): Answerability {
  const empty = { supporting: [], missing: null, subject: null, coverage: 0 };
  if (passages.length === 0) return { outcome: "refuse", reasons: ["nothing retrieved"], ...empty };
  const compared = judgeComparison(question, passages.slice(0, settings.judgedPassages), evidence, settings);
  if (compared) return compared;
  const sequenced = judgeSequence(question, passages, evidence, settings);
  if (sequenced) return sequenced;
  const dated = hasDateHints(question.dates);
  // A list needs every match: all the passages retrieval found for it (its listK) are judged.
  const facts = questionFacts(question, evidence);
  // "The latest / first meeting of A and B" is chosen by date among every report of it: the
  // passages past the best few count when one of their sentences names every asked actor.
  const byDate = question.ordering === "latest" || question.ordering === "first";
  const judgedHere = (passage: Passage, rank: number) =>
    question.expects === "list" || rank < settings.judgedPassages || (byDate && namesEveryActor(question, passage.chunk));
  const judged = passages.flatMap((passage, rank) => (judgedHere(passage, rank) ? [judge(question, facts, passage, rank, evidence, settings, dated)] : []));

  const withEntities = judged.filter((j) => j.mentionsMet);
  // Everything named but the venue: the documents report the actors, not there.
  const elsewhere = withEntities.length === 0 ? judged.find((j) => j.missingMentions.every((m) => m.located)) : undefined;
  if (elsewhere) {
    const places = listOf(elsewhere.missingMentions.map(nameOf), "or");
    const subject = listOf(question.mentions.filter((m) => !m.located && m.via !== "unknown-name").map(nameOf), "and") || null;
    return { outcome: "partial", reasons: [`no report of it in ${places}`], supporting: [elsewhere.passage], missing: `do not report it in ${places}`, subject, coverage: elsewhere.coverage };
  }
  if (withEntities.length === 0) {
    const missing = mostMissed(judged);
    return { outcome: "refuse", reasons: [`no passage names ${listOf(missing.map((m) => m.text), "and") || "what was asked"} together with the rest`], ...empty };
  }
  const inPeriod = dated ? withEntities.filter((j) => j.dateMet) : withEntities;
  const subject = listOf(question.mentions.filter((m) => m.via !== "unknown-name").map(nameOf), "and") || null;
  // Retrieval's rank already weighs every word and the vectors: the first passage that qualifies wins.
  const best = (list: Judged[]) => list[0];
  // "What happened in July 2024" asks for the reports' events, which their openings tell: a report's opening stands for its passages.
  const opening = (passage: Passage): Passage => {
    const lede = question.type === "date-only" ? evidence.lede(passage.chunk.docId) : null;
    return lede ? { ...passage, chunk: lede } : passage;
  };
  const supportingOf = (chosen: Judged, pool: Judged[]) => {
    const passages = [chosen.passage, ...orderBy(question, pool.filter((j) => j !== chosen)).map((j) => j.passage)].map(opening);
    return passages.filter((p, i) => passages.findIndex((q) => q.chunk.id === p.chunk.id) === i);
  };

  if (inPeriod.length === 0) {
    const closest = best(withEntities);
    // "on 1 May 2024" is said "for 1 May 2024".
    const period = [...question.dates.ranges, ...question.dates.months].map((d) => d.text.trim().replace(/^(?:on|in|during|for|from|at|since|by)\s+/iu, "")).join(", ");
    // Nothing asked but a period ("what happened on 1 May 2024"), or too little of what was asked, and no report from then: nothing to give.
    // Nor when the closest report lacks the question's focus ("who won the football world championship in 2018").
    if (question.mentions.length === 0 && (question.keywords.length === 0 || closest.coverage < settings.minCoverage || !closest.focusMet)) {
      return { outcome: "refuse", reasons: [`nothing reported for ${period}`], ...empty };
    }
    return { outcome: "partial", reasons: [`no passage from ${period}`], supporting: [closest.passage], missing: `do not report on it for ${period}`, subject, coverage: closest.coverage };
  }

  // Ordering words pick by date among the passages that answer; otherwise the best covered.
  const covering = inPeriod.filter((j) => j.coverage >= settings.minCoverage);
  // A list's every item is held to what its first item is: a report that lacks the question's focus lists nothing.
  // A name headed by the focus is one of the things a list asks for ("the China–Central Asia Summit" is a summit).
  const listsFocus = (k: Judged) => k.focusMet || (facts.focus >= 0 && namesHeadedBy(question, facts.focus, k.passage.chunk, evidence));
  const answering = question.expects === "list"
    ? covering.filter((j) => covering.some((k) => listsFocus(k) && k.passage.chunk.docId === j.passage.chunk.docId)).map((j) => (j.focusMet || !listsFocus(j) ? j : { ...j, focusMet: true }))
    : covering;
  if (answering.length > 0) {
    const ordered = orderBy(question, answering);
    const chosen = ordered[0];
    if (!chosen.kindMet) {
      // Another passage of the same report first: it tells the same event.
      const withKind = answering.find((j) => j.kindMet && j.passage.chunk.docId === chosen.passage.chunk.docId) ?? answering.find((j) => j.kindMet);
      if (withKind) return focused(question, facts, withKind, answering, { outcome: "answer", reasons: ["answered"], supporting: supportingOf(withKind, answering), missing: null, subject, coverage: withKind.coverage, answerSentence: withKind.kindSentence });
      return { outcome: "partial", reasons: [`no ${question.expects} in the passages`], supporting: [chosen.passage], missing: missingKind(question), subject, coverage: chosen.coverage };
    }
    return focused(question, facts, chosen, answering, { outcome: "answer", reasons: ["answered"], supporting: supportingOf(chosen, answering), missing: null, subject, coverage: chosen.coverage, answerSentence: chosen.kindSentence });
  }
  const closest = best(inPeriod);
  const reason = `coverage ${closest.coverage.toFixed(2)} below ${settings.minCoverage}`;
  if (question.mentions.filter((m) => m.via !== "unknown-name").length === 0) return { outcome: "refuse", reasons: [reason], ...empty, coverage: closest.coverage };
  return { outcome: "partial", reasons: [reason], supporting: [closest.passage], missing: closest.absent.length > 0 ? `do not mention ${listOf(closest.absent, "or")}` : "do not say what was asked", subject, coverage: closest.coverage };
}

/** "Which came first/later, A or B": the order asked for and the two sides' words. */
const COMPARISON = /\b(first|earlier|sooner|before|later|last|after|more recent|most recent|newer|older)\b/i;
/** The words that frame a comparison, not either side of it. */
const COMPARISON_FRAME = new Set(terms("which what came come happened happen took take place held first earlier sooner before later last after more most recent newer older one"));

/** "Did Kasymaliev visit Russia or China first?": the shared words (who did what), the two sides and the order word. */
const ASKED_EITHER = /^(?:did|does|do|was|were|has|have|had)\s+(.+?)\s+or\s+(.+?)\s+(first|earlier|sooner|later|last)\b/i;

function comparisonOf(text: string): { later: boolean; sides: [string, string]; context?: string } | null {
  const either = ASKED_EITHER.exec(text);
  if (either) {
    // The second side is the words between "or" and the order word; the first as many words before "or"; what
    // stands before them is said of both ("Kasymaliev visit").
    const second = either[2].trim();
    const words = either[1].trim().split(/\s+/);
    const count = second.split(/\s+/).length;
    if (words.length <= count) return null;
    const sides: [string, string] = [words.slice(-count).join(" "), second];
    const context = words.slice(0, -count).join(" ");
    const later = ["later", "last"].includes(either[3].toLowerCase());
    return [...sides, context].every((part) => terms(part).some((t) => !COMPARISON_FRAME.has(t))) ? { later, sides, context } : null;
  }
  const found = COMPARISON.exec(text);
  const order = found?.[1]?.toLowerCase();
  const split = text.toLowerCase().lastIndexOf(" or ");
  // "Which came first, …", "in Naryn what came first, …": the question word asks before the order word.
  const asked = /\b(?:which|what)\b/i.exec(text);
  if (!order || split < 0 || !asked || asked.index > found!.index) return null;
  const later = !["first", "earlier", "sooner", "before", "older"].includes(order);
  // "which came later, the CSTO session in Astana" → "the CSTO session in Astana"; "… or the CIS summit?" → "the CIS summit".
  const left = text.slice(0, split).replace(/^.*?\b(?:first|earlier|sooner|before|later|last|after|more recent|most recent|newer|older)\b[,:]?\s*/i, "");
  const sides: [string, string] = [left.trim(), text.slice(split + 4).replace(/[?.!\s]+$/, "").trim()];
  return sides.every((side) => terms(side).some((t) => !COMPARISON_FRAME.has(t))) ? { later, sides } : null;
}

/**
 * "Which came later, the CSTO session in Astana or the CIS summit in Dushanbe?": each side
 * is matched to the passage that holds most of its words (an event each, in different
 * reports), and the dates decide. Null when the question compares nothing or a side has no
 * passage that covers it; the usual decision then applies.
 */
function judgeComparison(question: Question, passages: readonly Passage[], evidence: Evidence, settings: AnswerabilitySettings): Answerability | null {
  const comparison = comparisonOf(question.text);
  if (!comparison) return null;
  const picks = comparison.sides.map((side) => {
    if (!side) return null;
    // A name the side holds ("Kyrgyz", "Torugart") is found by any of its forms, Cyrillic ones too; the other
    // words as written or through the glossary ("honey" is a Russian report's "мед").
    const asked = comparison.context ? `${comparison.context} ${side}` : side;
    const sideText = ` ${normalizeName(asked)} `;
    const names = question.mentions.filter((m) => m.entities.length > 0 && sideText.includes(` ${normalizeName(m.text)} `));
    const nameTerms = new Set(names.flatMap((m) => terms(m.text)));
    const wanted = [...new Set(terms(asked).filter((t) => !COMPARISON_FRAME.has(t) && !nameTerms.has(t)))];
    const alternatives = evidence.knowledge.glossary.alternativesFor(wanted);
    const units = [
      ...wanted.map((t, i) => ({ weight: evidence.idf(t), held: (text: { text: string; terms: ReadonlySet<string> }) => text.terms.has(t) || alternatives[i].some((alt) => alt.every((a) => text.terms.has(a))) })),
      ...names.map((m) => ({ weight: terms(m.text).reduce((sum, t) => sum + evidence.idf(t), 0), held: (text: { text: string; terms: ReadonlySet<string> }) => m.forms.some((form) => namesForm(text.text, form)) })),
    ];
    const total = units.reduce((sum, u) => sum + u.weight, 0) || 1;
    const shareIn = (texts: { text: string; terms: ReadonlySet<string> }[]) => units.filter((u) => texts.some((x) => u.held(x))).reduce((sum, u) => sum + u.weight, 0) / total;
    let best: { passage: Passage; share: number; opening: number; own: number } | null = null;
    for (const passage of passages) {
      if (!passage.chunk.publishedOn) continue;
      const lede = evidence.lede(passage.chunk.docId);
      const share = shareIn([chunkText(passage.chunk), ...(lede ? [chunkText(lede)] : [])]);
      // Between passages that hold the side alike, the report that opens with it is about it (the centre's
      // opening, not the agreement that one will open): its title and first sentences decide.
      const opening = lede ? shareIn([openingOf(lede)]) : 0;
      // Then, within the report, the passage that itself says it is the one to quote.
      const own = shareIn([chunkText(passage.chunk)]);
      const better = !best || share > best.share || (share === best.share && (opening > best.opening || (opening === best.opening && own > best.own)));
      if (better) best = { passage, share, opening, own };
    }
    return best;
  });
  const [a, b] = picks;
  if (!a || !b || a.share < settings.minCoverage || b.share < settings.minCoverage || a.passage.chunk.docId === b.passage.chunk.docId) return null;
  const aFirst = a.passage.chunk.publishedOn! <= b.passage.chunk.publishedOn!;
  const [chosen, other] = aFirst !== comparison.later ? [a, b] : [b, a];
  const [chosenSide, otherSide] = chosen === a ? comparison.sides : [comparison.sides[1], comparison.sides[0]];
  return {
    outcome: "answer", reasons: ["compared the dates of the two events"], supporting: [chosen.passage, other.passage], missing: null, subject: null, coverage: chosen.share,
    comparison: { later: comparison.later, chosen: chosenSide, other: otherSide },
  };
}

/** "What happened right after the SCO summit in Astana?", "what came before …": the event asked about is the report next in time. */
const SEQUENCE = /^(?:and\s+|so\s+)?(?:what|which (?:event|meeting|visit|report)s?)\s+(?:happened|came|followed|took place|was (?:next|held|reported)|were (?:held|reported)|preceded)\s+(?:next\s+)?(?:right |just |shortly |soon |immediately |directly )?(after|before)\s+(.+?)[?.!\s]*$/i;

/**
 * A sequence question: the passage that best tells the named event (it names what the
 * question names and covers its key words) anchors it, and the report dated next after
 * (or before) it answers. Null when the question is no such question or nothing anchors it.
 */
function judgeSequence(question: Question, passages: readonly Passage[], evidence: Evidence, settings: AnswerabilitySettings): Answerability | null {
  const match = SEQUENCE.exec(question.translated ?? question.text);
  if (!match || !evidence.reportNextTo) return null;
  const facts = questionFacts(question, evidence);
  const dated = hasDateHints(question.dates);
  const anchor = passages
    .slice(0, settings.judgedPassages)
    .map((passage, rank) => judge(question, facts, passage, rank, evidence, settings, dated))
    .find((j) => j.mentionsMet && j.dateMet && j.coverage >= settings.minCoverage && j.passage.chunk.publishedOn);
  if (!anchor) return null;
  const after = match[1].toLowerCase() === "after";
  const next = evidence.reportNextTo(anchor.passage.chunk.docId, after ? "after" : "before");
  if (!next) return null;
  return {
    outcome: "answer", reasons: [`the report ${after ? "after" : "before"} ${anchor.passage.chunk.docId}`], supporting: [passages.find((p) => p.chunk.id === next.id) ?? { chunk: next, score: anchor.passage.score }, anchor.passage], missing: null, subject: null, coverage: anchor.coverage,
    sequence: { after, anchor: match[2] },
  };
}

/** How a partial answer names a mention: the entity's name (the first candidate), else the question's words. */
const nameOf = (mention: Mention) => mention.entities[0]?.name ?? mention.text;

/** "A", "A and B", "A, B and C". */
function listOf(items: readonly string[], conjunction: "and" | "or"): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? (unique[0] ?? "") : `${unique.slice(0, -1).join(", ")} ${conjunction} ${unique.at(-1)}`;
}

/** What the checks read off the question, worked out once for all its passages. */
interface QuestionFacts {
  /** Index of the focus key word (see `focusOf`), or -1. */
  focus: number;
  counted: ReturnType<typeof countedThing>;
  title: RegExp | null;
  /** The ordinals the question gives ("the second tunnel", "the 13th meeting"), "first" aside (an order word). */
  ordinals: Ordinal[];
  /** The noun "first" stands before in the question ("the first stage"), when it is a key word, else null. */
  firstOf: string | null;
  /** How a "how many / how much" question counts its figure (span, capacity). */
  span: CountedSpan;
  /** The question asks what happened at an event ("what was agreed", "what did the summit decide"), not what is planned. */
  past: boolean;
  /** Key words the question itself speaks of as to come ("what did they discuss ahead of the summit"). */
  framedPlanned: Set<number>;
  /** The country's part asked about ("the Uzbek section", "the Chinese side"), or null. */
  part: CountryPart | null;
  /** Words of the asked names: they never paraphrase a key word ("trade" is near "china" in the vectors). */
  nameWords: Set<string>;
  /** The occasion the question places what it asks at ("at the SCO summit", "during the signing"), or null. */
  occasion: Occasion | null;
}

/** One country's part of something shared: its entity and the noun ("section", "side"). */
interface CountryPart {
  countryId: string;
  noun: string;
}

/** "the Kyrgyz section", "the Chinese side", "the Chinese delegation": a country's word before a noun of parts. */
const COUNTRY_PART = /\b([\p{L}-]+)\s+(section|part|side|stretch|leg|segment|delegation|team)s?\b/giu;
/** Nouns of one kind of part: a party to talks ("side", "delegation") or a piece of a route ("section", "stretch"). */
const PART_FAMILY: Record<string, string> = { side: "party", delegation: "party", team: "party" };

/** The country parts a text names, by the knowledge base (a country's name or its adjective). */
function countryParts(text: string, knowledge: KnowledgeBase): CountryPart[] {
  return [...text.matchAll(COUNTRY_PART)].flatMap((m) => {
    const hit = knowledge.lookup(normalizeName(m[1])).find((h) => h.entity.kind === "country");
    const noun = m[2].toLowerCase();
    return hit ? [{ countryId: hit.entity.id, noun: PART_FAMILY[noun] ?? (noun === "part" ? "part" : "section") }] : [];
  });
}

/** Clause breaks between two parties' doings ("X was led by A, and the Chinese delegation by B"). */
const PARTY_CLAUSE_BREAK = /,\s+(?:and|while|whereas|but)\s+|;\s*/u;

/**
 * The clause of a sentence that speaks of the asked country's part, when the sentence gives
 * several countries' parts clause by clause ("The Kyrgyz delegation was led by Imangaziev, and
 * the Chinese delegation by the Director-General …"); the whole sentence otherwise.
 */
function partClause(sentence: SentenceFacts, part: CountryPart, knowledge: KnowledgeBase): SentenceFacts {
  const clauses = sentence.text.split(PARTY_CLAUSE_BREAK);
  if (clauses.length < 2) return sentence;
  const parts = clauses.map((clause) => countryParts(clause, knowledge).filter((p) => p.noun === part.noun));
  const asked = parts.findIndex((found) => found.some((p) => p.countryId === part.countryId));
  if (asked < 0 || !parts.some((found, i) => i !== asked && found.length > 0)) return sentence;
  const text = clauses[asked];
  return { text, normalised: ` ${normalizeName(text)} `, terms: new Set(terms(text)) };
}

/**
 * Whether the nearest of `texts` that names a country's part of the asked kind (the sentence,
 * then the one before, then the report's opening) names another country's ("the Kyrgyz
 * section") and not the asked one's ("the Uzbek section").
 */
function speaksOfOtherPart(texts: readonly string[], part: CountryPart, knowledge: KnowledgeBase): boolean {
  for (const text of texts) {
    const parts = countryParts(text, knowledge).filter((p) => p.noun === part.noun);
    if (parts.length > 0) return !parts.some((p) => p.countryId === part.countryId);
  }
  return false;
}

function questionFacts(question: Question, evidence: Evidence): QuestionFacts {
  const ordinals = question.keywordWords.flatMap((word) => {
    const value = ordinalValue(word);
    return value !== null && value > 1 ? [{ word, value }] : [];
  });
  const past = asksPast(question);
  return {
    focus: focusOf(question, evidence),
    counted: countedThing(question, evidence.knowledge),
    title: namedTitle(question),
    ordinals,
    firstOf: firstNounOf(question),
    span: countedSpanOf(question),
    past,
    framedPlanned: new Set(past ? question.keywords.flatMap((term, i) => (onlyPlanned(term, [question.text]) ? [i] : [])) : []),
    part: countryParts(question.translated ?? question.text, evidence.knowledge)[0] ?? null,
    nameWords: new Set(question.mentions.flatMap((m) => m.forms.flatMap((form) => form.split(" ")))),
    occasion: occasionOf(question),
  };
}

/** An occasion the question asks about: its words as typed, its key words' indices and the names in it. */
interface Occasion {
  text: string;
  keywords: number[];
  mentions: Mention[];
}

/** Nouns of an occasion where things are said and signed ("the opening", "the summit", "the launch ceremony"). */
const OCCASION_NOUNS = /\b(?:signing|opening|ceremony|launch|summit|forum|meeting|talks|session|conference|expo|exhibition|games|olympics|celebration|parade|festival|commission|council|congress|inauguration|unveiling|reception|banquet|dinner)\b/i;
/** "at / during / on the sidelines of" and the occasion's noun phrase, up to a place, a date or the end ("at the SCO summit in Astana"). */
const AT_OCCASION = /\b(?:at|during|on the sidelines of|in the course of)\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?(.+?)(?=\s+(?:in|on|with|about|for|to|and|between|last|this|that|when|where|after|before)\b|[?.!,]|$)/i;

/**
 * "What did Wang Yi say at the Kazarman hydropower signing": the occasion asked about, when the
 * question places what it asks at one; null otherwise (a place, "at the border", is no occasion).
 */
function occasionOf(question: Question): Occasion | null {
  if (question.language !== "en") return null;
  const match = AT_OCCASION.exec(question.text);
  if (!match || !OCCASION_NOUNS.test(match[1])) return null;
  const words = new Set(match[1].toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const keywords = question.keywordWords.flatMap((word, i) => (words.has(word) ? [i] : []));
  const mentions = question.mentions.filter((m) => m.text.toLowerCase().split(/\s+/).some((w) => words.has(w)));
  return keywords.length + mentions.length >= 2 ? { text: match[1], keywords, mentions } : null;
}

/**
 * Whether the report tells the asked occasion: what of the occasion's key words and names its opening
 * (title and first sentences) lacks, one sentence of the passage or opening holds together, and,
 * for a question about what took place, not as still to come (OCCASION_TO_COME) ("a Chinese Cultural Centre will open
 * in Bishkek" does not tell its opening). "The CIS summit" is told by a report that opens with the
 * CIS heads of state and says "on the sidelines of the summit".
 */
function tellsOccasion(question: Question, occasion: Occasion, sentences: readonly SentenceFacts[], opening: { text: string; terms: Set<string> } | null, past: boolean): boolean {
  const keywordIn = (termsHeld: ReadonlySet<string>) => (i: number) => holdsKeyword(question, i, termsHeld);
  const mentionIn = (text: string, termsHeld: ReadonlySet<string>) => (m: Mention) =>
    m.via === "unknown-name" ? terms(m.text).every((t) => termsHeld.has(t)) : m.forms.some((f) => namesForm(text, f));
  const keywords = opening ? occasion.keywords.filter((i) => !keywordIn(opening.terms)(i)) : occasion.keywords;
  const mentions = opening ? occasion.mentions.filter((m) => !mentionIn(opening.text, opening.terms)(m)) : occasion.mentions;
  if (keywords.length + mentions.length === 0) return true;
  return sentences.some((sentence) => keywords.every(keywordIn(sentence.terms)) && mentions.every(mentionIn(sentence.normalised, sentence.terms)) && !(past && OCCASION_TO_COME.test(sentence.text)));
}

/** An occasion told as still to come: "will open", "is to be held", "scheduled for" (not the noun "a plan for"). */
const OCCASION_TO_COME = /\b(?:will|shall|is to|are to|is due to|are due to|(?:is|are) expected to|(?:is|are) scheduled|planned for|upcoming|forthcoming)\b/i;

function judge(question: Question, facts: QuestionFacts, passage: Passage, rank: number, evidence: Evidence, settings: AnswerabilitySettings, dated: boolean): Judged {
  const { chunk } = passage;
  const own = chunkText(chunk);
  const lede = evidence.lede(chunk.docId);
  const ledeText = lede && lede.id !== chunk.id ? chunkText(lede) : null;
  const inWindow = (form: string) => namesForm(own.text, form) || (ledeText ? namesForm(ledeText.text, form) : false);
  const venue = lede ? openingOf(lede).text : own.text;
  const missingMentions = question.mentions.filter((mention) =>
    mention.via === "unknown-name"
      ? !mention.forms.some((form) => terms(form).every((term) => evidence.documentHasTerm(chunk.docId, term)))
      : mention.located
        ? // Russian puts the venue in any case and word order ("Баткенской области передали"): named in the opening is enough.
          !mention.forms.some((form) => (/\p{Script=Cyrillic}/u.test(form) ? namesForm(venue, form) : namesForm(venue, form, VENUE_PREFIXES)))
        : !mention.forms.some(inWindow),
  );
  const publishedInPeriod = dated && dateMatches(chunk.publishedOn, question.dates, settings.dateSlackDays, { reportLagShare: settings.reportLagShare });
  const dateMet = !dated || publishedInPeriod || periodSentence(question, chunk);

  let total = 0;
  let found = 0;
  const absent: string[] = [];
  const held = new Set<number>();
  const { focus } = facts;
  // Across languages the word vectors cannot tell a paraphrase: the focus is not required there.
  const otherLanguage = /\p{Script=Cyrillic}/u.test(chunk.text.slice(0, 200)) !== (question.language === "ru");
  let focusMet = focus < 0 || otherLanguage;
  question.keywords.forEach((term, i) => {
    const weight = evidence.idf(term);
    total += weight;
    if (holdsKeyword(question, i, own.terms) || holdsKeyword(question, i, ledeText?.terms)) {
      found += weight;
      held.add(i);
      // The focus counts where the passage says it, not inside another name ("treaty" in "Collective Security Treaty Organization").
      if (i === focus) focusMet = holdsKeyword(question, i, termsOutsideNames(chunk, evidence.knowledge)) || (!!ledeText && holdsKeyword(question, i, termsOutsideNames(lede!, evidence.knowledge)));
      return;
    }
    const credit = paraphraseCredit(question.keywordWords[i], own.words, evidence, settings.minWordSimilarity, facts.nameWords);
    found += weight * credit;
    if (i === focus && credit >= settings.focusSimilarity) focusMet = true;
    if (credit === 0) absent.push(question.keywordWords[i]);
  });
  for (const word of question.unknownWords) {
    if (question.keywordWords.includes(word)) continue;
    total += evidence.idf(word);
    absent.push(word);
  }
  const coverage = total > 0 ? found / total : 1;
  const kind = kindEvidence(question, facts, chunk, evidence);
  const given = new Set([...ordinalsIn(own.text), ...(ledeText ? ordinalsIn(ledeText.text) : [])]);
  const ordinalsMissing = otherLanguage ? [] : facts.ordinals.filter((o) => !given.has(o.value)).map((o) => o.word);
  // "The first stage" is not the second one: a report that numbers the thing, but never as the first, tells another.
  if (!otherLanguage && facts.firstOf && numbersOnlyLater(facts.firstOf, [own.text, ledeText?.text ?? ""])) ordinalsMissing.push(`first ${facts.firstOf}`);
  // Any key word the report holds as written and speaks of only as to come ("ahead of the Bishkek summit"), unless the question does too.
  let plannedOnly: string | null = null;
  if (facts.past && !otherLanguage && held.size > 0) {
    const report = [searchTitleOf(chunk), ...sentencesOf(chunk).map((x) => x.text), ...(ledeText ? sentencesOf(lede!).map((x) => x.text) : [])];
    // Said as the question words them, in its order ("regular flights", not "regular").
    const planned = [...held].filter((i) => !facts.framedPlanned.has(i) && onlyPlanned(question.keywords[i], report)).sort((a, b) => a - b);
    if (planned.length > 0) plannedOnly = planned.slice(0, MAX_PLANNED_WORDS).map((i) => question.keywordWords[i]).join(" ");
  }
  // The report as a whole tells the occasion or not: its every sentence, where the corpus is at hand.
  const reportChunks = evidence.documentChunks?.(chunk.docId) ?? [chunk, ...(ledeText ? [lede!] : [])];
  const occasionMissing = facts.occasion !== null && !otherLanguage && !tellsOccasion(question, facts.occasion, reportChunks.flatMap(sentencesOf), lede ? openingOf(lede) : null, facts.past);
  return { passage, rank, mentionsMet: missingMentions.length === 0, missingMentions, dateMet, publishedInPeriod, kindMet: kind !== null, kindSentence: kind || undefined, coverage, absent, focusMet, held, ordinalsMissing, plannedOnly, occasionMissing };
}

/**
 * An answer stands only when its report holds the question's focus (the passage chosen, or
 * another passage of the same report): the commoner words matching is not enough. Otherwise
 * it is partial, with the same lead passage, saying which word the documents lack there.
 */
function focused(question: Question, facts: QuestionFacts, chosen: Judged, pool: readonly Judged[], answer: Answerability): Answerability {
  // "The second tunnel" is not the first one: an ordinal the question gives must be in the report.
  const sameReport = (j: Judged) => j === chosen || j.passage.chunk.docId === chosen.passage.chunk.docId;
  if (chosen.ordinalsMissing.length > 0 && !pool.some((j) => sameReport(j) && j.ordinalsMissing.length === 0)) {
    // Another answering report that gives the ordinal, and every key word the chosen one holds, tells the asked one ("the second forum").
    const other = pool.find((j) => j.ordinalsMissing.length === 0 && j.focusMet && j.kindMet && [...chosen.held].every((i) => j.held.has(i)));
    if (other) return focused(question, facts, other, pool, { ...answer, supporting: [other.passage, ...answer.supporting.filter((p) => p !== other.passage)], coverage: other.coverage, answerSentence: other.kindSentence });
    const word = chosen.ordinalsMissing[0];
    return { ...answer, outcome: "partial", reasons: [`the report does not mention "${word}"`], supporting: [chosen.passage], missing: `do not mention the ${word}`, answerSentence: undefined };
  }
  // "What was agreed at the 16th commission?" is not answered by "the 16th meeting will be held in the autumn".
  if (chosen.plannedOnly !== null && !pool.some((j) => sameReport(j) && j.plannedOnly === null)) {
    const word = chosen.plannedOnly;
    return { ...answer, outcome: "partial", reasons: [`the report speaks of the ${word} only as planned or proposed`], supporting: [chosen.passage], missing: `speak of the ${word} only as planned or proposed, not as done`, answerSentence: undefined };
  }
  // "What did Wang Yi say at the Kazarman hydropower signing" is not answered by a report of other talks that mention the project.
  if (chosen.occasionMissing && facts.occasion && !pool.some((j) => sameReport(j) && !j.occasionMissing)) {
    const occasion = facts.occasion.text;
    return { ...answer, outcome: "partial", reasons: [`the report does not tell the ${occasion}`], supporting: [chosen.passage], missing: `do not report the ${occasion}`, answerSentence: undefined };
  }
  if (chosen.focusMet || pool.some((j) => j.focusMet && j.passage.chunk.docId === chosen.passage.chunk.docId)) return answer;
  const word = question.keywordWords[facts.focus];
  return { ...answer, outcome: "partial", reasons: [`the report does not mention "${word}"`], supporting: [chosen.passage], missing: `do not mention ${word}` };
}

/** "What was agreed", "what did the summit decide", "who signed": the question asks about an event that took place. */
function asksPast(question: Question): boolean {
  const text = question.translated ?? question.text;
  return /\b(?:did|was|were|had)\b/i.test(text) || question.keywordWords.some((w) => PAST_VERB.test(w));
}
const PAST_VERB = /^(?:\p{L}{3,}ed|held|met|took|made|said|gave|began|went|signed|won)$/u;

/** The asked event, named before it is set to take place: "… Commission on Trade and Economic Cooperation will be held in Beijing". */
const PLANNED_AFTER = /^(?:[^\s.,;]+\s+){0,8}?(?:(?:will be|would be|is to be|are to be|to be|is scheduled to be|are scheduled to be|is expected to be|is due to be)\s+(?:held|hosted|convened|organi[sz]ed)\b|(?:is|are) (?:planned|scheduled|set|expected|due) (?:for|in|to take place)\b)/iu;
/** The asked event, looked forward to: "ahead of the Bishkek summit", "the preparations for the summit", "the upcoming visit". */
const PLANNED_BEFORE = /\b(?:ahead of|preparations? for|preparing for|prepare for|upcoming|forthcoming)\s+(?:the\s+)?(?:(?!(?:and|or|but|with|to|in|on|at|of|for|from|by)\s)[\p{L}'’-]+\s+){0,4}$/iu;

/** The asked event as a topic or a request, not as done: "discussed the restoration of regular flights", "asked China to co-sponsor the resolution", "invited Chinese companies to build". */
const PROPOSED_BEFORE = /\b(?:discuss(?:ed|es|ing)?|propos(?:e|ed|es|ing|al)|suggest(?:ed|s|ing)?|(?:ask|invit|urg)(?:ed|es|e|s)?\s+(?:[\p{L}'’-]+\s+){1,3}?to|call(?:ed|s)?\s+for)\s+(?:(?!(?:and|but|while|whereas)\s)[\p{L}\p{N}'’-]+\s+){0,6}$/iu;

/** Most key words a "spoken of only as planned" answer names. */
const MAX_PLANNED_WORDS = 3;

/** The thing discussed, told as done right after it: "discussed the treaty on the state border signed in March". */
const DONE_AFTER = /^(?:[\p{L}\p{N}'’–-]+\s+){0,6}?(?:signed|held|opened|launched|adopted|built|completed|concluded|reached|achieved|approved|ratified)\b/iu;

/**
 * Whether every sentence that names the term speaks of its event as one to come: the report
 * tells of the preparations, not of the event. False when no sentence names it.
 */
function onlyPlanned(term: string, sentences: readonly string[]): boolean {
  let named = false;
  for (const sentence of sentences) {
    for (const word of sentence.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)) {
      if (terms(word[0])[0] !== term) continue;
      named = true;
      const at = word.index ?? 0;
      const before = sentence.slice(0, at);
      const after = sentence.slice(at + word[0].length).trimStart();
      const proposed = PROPOSED_BEFORE.test(before) && !DONE_AFTER.test(after);
      if (!PLANNED_BEFORE.test(before) && !proposed && !PLANNED_AFTER.test(after)) return false;
    }
  }
  return named;
}

/**
 * The question's focus: the rarest key word the corpus knows, of three letters or more (a
 * unit such as "kg" or a number such as "2nd" is no focus), among at least
 * two key words; -1 when there is none.
 */
function focusOf(question: Question, evidence: Evidence): number {
  if (question.keywords.length < 2) return -1;
  let focus = -1;
  question.keywords.forEach((term, i) => {
    if (question.keywordWords[i]?.length < FOCUS_MIN_LETTERS || /\d/.test(term) || evidence.idf(term) >= evidence.idf(UNSEEN_TERM)) return;
    if (focus < 0 || evidence.idf(term) > evidence.idf(question.keywords[focus])) focus = i;
  });
  return focus;
}

const ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"];

/** The number an ordinal word stands for ("second" 2, "13th" 13), or null. */
function ordinalValue(word: string): number | null {
  const digits = /^(\d+)(?:st|nd|rd|th)$/.exec(word);
  if (digits) return Number(digits[1]);
  const at = ORDINAL_WORDS.indexOf(word);
  return at >= 0 ? at + 1 : null;
}

/** An ordinal of the question: the word and its number. */
interface Ordinal {
  word: string;
  value: number;
}

/** "How much did the first stage cost": the key word right after "first", or null. */
function firstNounOf(question: Question): string | null {
  const noun = /\bfirst\s+([\p{L}-]+)/iu.exec(question.translated ?? question.text)?.[1]?.toLowerCase();
  return noun && question.keywordWords.includes(noun) ? noun : null;
}

/** Whether normalised texts number the noun ("the second stage") but never call it the first. */
function numbersOnlyLater(noun: string, texts: readonly string[]): boolean {
  const text = ` ${texts.join(" ")} `;
  if (new RegExp(` (?:first|1st) ${escapeRegExp(noun)}s? `).test(text)) return false;
  return new RegExp(` (?:${ORDINAL_WORDS.slice(1).join("|")}|\\d+(?:st|nd|rd|th)) ${escapeRegExp(noun)}s? `).test(text);
}

/** The ordinals a normalised text gives, as numbers. */
function ordinalsIn(text: string): Set<number> {
  const found = new Set<number>();
  for (const word of text.split(" ")) {
    const value = ordinalValue(word);
    if (value !== null) found.add(value);
  }
  return found;
}

/** Shortest focus word: "gas", "oil" and "tax" are things asked about; "kg" and "km" are units. */
const FOCUS_MIN_LETTERS = 3;

/** A term no document holds: its IDF is the highest there is. */
const UNSEEN_TERM = "\u0000";

/**
 * Whether a sentence of the passage names the asked period together with a key word of
 * the question: a 2025 report saying "in May 2023 the two presidents met" speaks of May
 * 2023; one that only gives 2023 trade figures does not report a 2023 visit.
 */
function periodSentence(question: Question, chunk: Chunk): boolean {
  if (!textMentionsPeriod(chunk.text, question.dates)) return false;
  return sentencesOf(chunk).some((sentence) => {
    if (!textMentionsPeriod(sentence.text, question.dates)) return false;
    return question.keywords.length === 0 || question.keywords.some((k) => sentence.terms.has(k));
  });
}

/** Whether the report's opening (title and first two sentences) carries a third of the question's key-word weight, or names an asked entity when it has none. */
function opensWith(question: Question, chunk: Chunk, evidence: Evidence): boolean {
  const lede = evidence.lede(chunk.docId);
  if (!lede) return false;
  const { text: opening, terms: openingTerms } = openingOf(lede);
  if (question.keywords.length === 0) return question.mentions.some((m) => m.forms.some((f) => opening.includes(` ${f} `)));
  const total = question.keywords.reduce((sum, k) => sum + evidence.idf(k), 0);
  // Through the glossary too: an English question over a Russian report ("launch" is its "запуск").
  const found = question.keywords.reduce((sum, k, i) => sum + (holdsKeyword(question, i, openingTerms) ? evidence.idf(k) : 0), 0);
  return found >= KIND_SENTENCE_SHARE * total;
}

/** Words that put a place as the venue in a report's opening ("held talks in Bishkek", "a state visit to China"), normalised. */
const VENUE_PREFIXES = ["in", "to", "at", "into", "in the", "to the", "at the", "in the city of", "arrived in", "visit", "visited", "visiting"];

/** A report's title and first two sentences, normalised, with their terms: where news names the event's venue ("… met in Astana on Tuesday"). */
function openingOf(lede: Chunk): { text: string; terms: Set<string> } {
  let cached = openingCache.get(lede);
  if (cached === undefined) {
    // The lede's sentences are split, normalised and stemmed once, for the kind checks too.
    const sentences = sentencesOf(lede).slice(0, 2);
    const parts = [normalizeName(searchTitleOf(lede)), ...sentences.map((sentence) => sentence.normalised.trim())].filter(Boolean);
    cached = { text: ` ${parts.join(" ")} `, terms: new Set([...terms(searchTitleOf(lede)), ...sentences.flatMap((sentence) => [...sentence.terms])]) };
    openingCache.set(lede, cached);
  }
  return cached;
}

const openingCache = new LRUCache<Chunk, { text: string; terms: Set<string> }>({ max: TEXT_CACHE_LIMIT });

/** Corpus words whose knowledge-base look-up is remembered: about the vocabulary of a large corpus's passages that get judged. */
const KNOWN_NAME_CACHE_LIMIT = 20_000;
const knownNameCache = new LRUCache<string, boolean>({ max: KNOWN_NAME_CACHE_LIMIT });

/** Whether a word is by itself a name the knowledge base knows ("china", "bishkek"), whatever the question's casing found. */
function isKnownName(word: string, knowledge: KnowledgeBase): boolean {
  let known = knownNameCache.get(word);
  if (known === undefined) knownNameCache.set(word, (known = knowledge.lookup(word).length > 0));
  return known;
}

function paraphraseCredit(word: string, words: Set<string>, evidence: Evidence, minSimilarity: number, names: ReadonlySet<string> = new Set()): number {
  if (!evidence.wordSimilarity || !word) return 0;
  let best = 0;
  for (const candidate of words) {
    if (names.has(candidate) || isKnownName(candidate, evidence.knowledge)) continue;
    const similarity = evidence.wordSimilarity(word, candidate);
    if (similarity > best) best = similarity;
  }
  return best >= minSimilarity ? best : 0;
}

/**
 * The sentence of the passage that holds the kind of thing asked for (an amount for "how
 * much", a person for "who", …), other than what the question itself names, and speaks of
 * the question's subject: at least a third of the weight of the key words the passage has,
 * or, without key words, an asked entity; null when none does. An amount elsewhere in the
 * report does not answer "how much did the plant cost". `""` when the question asks for no
 * checked kind, or the report's opening dates the asked event (no one sentence then).
 */
function kindEvidence(question: Question, facts: QuestionFacts, chunk: Chunk, evidence: Evidence): string | null {
  if (!KIND_CHECKS[question.expects]) return "";
  // A report whose opening tells the asked event dates it: the report date answers "when".
  if (question.expects === "date" && opensWith(question, chunk, evidence)) return "";
  const { knowledge } = evidence;
  const asked = new Set(question.mentions.flatMap((m) => m.entities.map((e) => e.id)));
  const passageTerms = chunkText(chunk).terms;
  const present = question.keywords.map((_, i) => i).filter((i) => holdsKeyword(question, i, passageTerms));
  // The idf weight of the key words (by index) that `held` says a text holds.
  const weightOf = (indices: readonly number[], held: (i: number) => boolean = () => true) => indices.filter(held).reduce((sum, i) => sum + evidence.idf(question.keywords[i]), 0);
  const presentWeight = weightOf(present);
  // The passage's rarest key word is the thing asked about: the amount must stand beside it.
  const rarest = present.reduce((best, i) => (evidence.idf(question.keywords[i]) > evidence.idf(question.keywords[best]) ? i : best), present[0]);
  const { counted, title } = facts;
  const askedYears = yearsAsked(question);
  const sentences = sentencesOf(chunk);
  const lede = evidence.lede(chunk.docId);
  const { text: opening, terms: openingTerms } = lede ? openingOf(lede) : { text: "", terms: new Set<string>() };
  // A passage that holds none of the key words (its report's opening does) does not speak of what is measured: "thanked Russia for 100 million dollars" is not trade.
  if (MEASURED_KINDS.has(question.expects) && question.keywords.length > 0 && present.length === 0) return null;
  const holding = sentences.find((sentence, at) => {
    const { normalised } = sentence;
    // A number or an amount belongs to what its sentence (or the one before, or the report's
    // opening) names: "four flights a week between Osh and Kashgar" does not count Osh–Urumqi flights.
    if (MEASURED_KINDS.has(question.expects)) {
      // "Trade in 2025" is not answered by "43.8 billion dollars in 2024": a sentence that dates its
      // figure by years gives one of the asked years.
      if (askedYears && !yearsAgree(sentence.text, askedYears)) return false;
      // "In its first month" is not answered by "on the first day", nor "since it opened" by it.
      if (!spanAgrees(facts.span, sentence.text)) return false;
      const near = `${sentences[at - 1]?.normalised ?? ""}${normalised}${opening}`;
      if (!question.mentions.every((m) => m.via === "unknown-name" || m.forms.some((f) => namesForm(near, f)))) return false;
      // "Bedel, at an altitude of 3,700 metres" measures Bedel, not the Torugart asked about: the
      // sentence names another thing of an asked thing's kind, and not the asked one.
      const named = namedEntities(sentence, knowledge);
      const namedIds = new Set(named.map((e) => e.id));
      const askedKinds = new Set(question.mentions.flatMap((m) => (m.entities.some((e) => namedIds.has(e.id)) ? [] : m.entities.map((e) => e.kind))));
      // "Trade between the two countries" is between the report's two, which its first sentence names.
      const parties = BOTH_PARTIES.test(sentence.text) && lede ? sentencesOf(lede).slice(0, 1).flatMap((s) => namedEntities(s, knowledge)) : [];
      if ([...named, ...parties].some((e) => !asked.has(e.id) && askedKinds.has(e.kind))) return false;
      // "200 students at Xinjiang University, Lanzhou University and Shaanxi Normal University" is
      // not Shaanxi's number: the measure is shared by a list the asked name is one item of.
      if (sharedWithOthers(sentence.text, question, asked, knowledge)) return false;
    }
    if (present.length > 0) {
      // A sentence that names the asked measure itself ("The total cost is estimated at 4.7 billion
      // dollars") gives it for its report's subject, which the report's opening names.
      const ofSubject = MEASURED_KINDS.has(question.expects) && [...sentence.terms].some((t) => MEASURE_NOUN_TERMS.has(t));
      const said = (i: number) => holdsKeyword(question, i, sentence.terms) || (ofSubject && holdsKeyword(question, i, openingTerms));
      if (weightOf(present, said) < KIND_SENTENCE_SHARE * presentWeight || !said(rarest)) return false;
    } else if (!question.mentions.some((m) => m.forms.some((f) => namesForm(normalised, f)))) {
      return false;
    }
    // "How many tunnels on the Uzbek section" is not answered by the Kyrgyz section's.
    if (facts.part && speaksOfOtherPart([sentence.text, sentences[at - 1]?.text ?? "", opening], facts.part, knowledge)) return false;
    // Of a sentence that tells each side's part, only the asked side's clause answers.
    const scope = facts.part ? partClause(sentence, facts.part, knowledge) : sentence;
    // `asVenue`: named where a venue is ("in Lanzhou", "at Xi'an"), not as a university's or a road's name.
    const namesOther = (kinds: string[], asVenue = false) =>
      namedEntities(scope, knowledge).some((e) => kinds.includes(e.kind) && !asked.has(e.id) && (!asVenue || /\p{Script=Cyrillic}/u.test(scope.text) || namedAsVenue(scope, e)));
    // Across languages the title cannot be read word by word, and the counted thing only through its other-language forms.
    const sameLanguage = /\p{Script=Cyrillic}/u.test(sentence.text) === (question.language === "ru");
    if (counted && (sameLanguage || counted.alternatives.length > 0) && !countsIt(sentence.text, counted, evidence, chunk.docId)) return false;
    if (sameLanguage && title && !title.test(sentence.text)) return false;
    return KIND_CHECKS[question.expects]!(scope.text, namesOther, question, knowledge);
  });
  if (holding) return holding.text;
  // "When did Naryn and Artux become sister cities?": a report that tells the asked event as done
  // ("signed a sister-city agreement"), in a sentence of its own with no date, dates it by its
  // report date, as news tells the day's events. Not for "what day", nor for what is only to come.
  // A question without a verb's tense ("tokmok solar plant launch when") asks of what was done;
  // "when do the flights start" asks of what is to come.
  const ofDone = facts.past || !(TO_COME.test(question.translated ?? question.text) || PRESENT_AUXILIARY.test(question.translated ?? question.text));
  if (question.expects === "date" && ofDone && present.length > 0 && !ASKS_DAY.test(question.translated ?? question.text)) {
    const questionWeight = weightOf(question.keywords.map((_, i) => i));
    const tells = sentences.some((sentence) => {
      const inSentence = (i: number) => holdsKeyword(question, i, sentence.terms);
      if (weightOf(present, inSentence) < TELLS_EVENT_SHARE * questionWeight || !inSentence(rarest) || TO_COME.test(sentence.text)) return false;
      return question.mentions.every((m) => m.via === "unknown-name" || m.forms.some((f) => namesForm(sentence.normalised, f)));
    });
    if (tells) return "";
  }
  return null;
}

/**
 * "Who was the Chinese ambassador …", "the name of the health minister": the asked title
 * must stand with a name ("Ambassador of China to Kyrgyzstan Du Dewen", "Health Minister
 * Alymkadyr Beishenaliev"); another person named nearby is not the one asked for. Null
 * when the question asks for no title.
 */
function namedTitle(question: Question): RegExp | null {
  if (question.expects !== "person") return null;
  const asked = TITLE.exec(question.text.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase()))?.[0];
  if (!asked) return null;
  // The title, an optional "of/to/for …" of capitalised words, then a two-word name.
  return new RegExp(`\\b${asked}\\b(?:\\s+(?:of|to|for|at)\\s+(?:the\\s+)?\\p{Lu}[\\p{L}'’-]*(?:\\s+(?:of|and|to|the|for)?\\s*\\p{Lu}[\\p{L}'’-]*)*)?\\s+\\p{Lu}\\p{Ll}+\\s+\\p{Lu}\\p{Ll}+`, "u");
}

/** Words that stand for the report's parties without naming them: "the two countries", "both sides". */
const BOTH_PARTIES = /\b(?:the two|both) (?:countries|states|nations|sides|parties|governments|republics)\b|(?:^|\s)(?:двух|обеих|обе|две) (?:стран|сторон|государств)/iu;

/** Nouns that name a measure by itself ("the total cost", "its length", "the capacity"), as terms. */
const MEASURE_NOUN_TERMS = new Set(terms("cost price value worth length distance capacity budget investment height altitude area population"));

/** Share of the question's key-word weight a sentence holds to tell the asked event itself: most of it. */
const TELLS_EVENT_SHARE = 2 / 3;
/** Auxiliaries of the present, which a "when" question about what is to come uses ("when do the flights start", "when is the summit"). */
const PRESENT_AUXILIARY = /\b(?:do|does|is|are|am)\b/i;

/** Kinds of answer that belong to the thing their sentence names. */
const MEASURED_KINDS: ReadonlySet<Question["expects"]> = new Set(["number", "amount"]);

/** The years a question's date ranges cover ("in 2025", "from 2022 to 2024"), or null when it asks none (or only months). */
function yearsAsked(question: Question): Set<number> | null {
  const years = new Set<number>();
  for (const range of question.dates.ranges) for (let y = Number(range.from.slice(0, 4)); y <= Number(range.to.slice(0, 4)); y++) years.add(y);
  return years.size > 0 && years.size <= 10 ? years : null;
}

/** A span of time a figure is counted over: "the first month", "its first week", "the past year". */
const COUNTED_SPAN = /\b(?:first|last|past|next|initial|opening)\s+(?:(?:few|two|three|four|five|six|\d+)\s+)?(day|week|month|year|quarter|hour)s?\b/i;
/** A figure asked over the whole time something has run: "since it opened", "so far", "to date", "in total". */
const WHOLE_SPAN = /\bsince (?:it|they|its|their|the)\b|\bso far\b|\bto date\b|\bin total\b|\baltogether\b|\ball told\b/i;
/** A sentence's figure counted over a short span of its own: "on the first day", "in its first week", "on the opening day". */
const OWN_SHORT_SPAN = /\b(?:on|in|during|over) (?:the|its|their) (?:first|opening) (?:day|days|week|weeks|hour|hours)\b|\bon (?:the )?opening day\b/i;

/** How the question counts its figure, read once: the span's unit word, whether over the whole time, whether it asks a capacity. */
interface CountedSpan {
  unit: RegExp | null;
  whole: boolean;
  capacity: boolean;
}

function countedSpanOf(question: Question): CountedSpan {
  const text = question.translated ?? question.text;
  const span = COUNTED_SPAN.exec(text);
  return { unit: span ? new RegExp(`\\b${span[1]}s?\\b`, "i") : null, whole: WHOLE_SPAN.test(text), capacity: ASKS_CAPACITY.test(text) };
}

/**
 * Whether a sentence's figure is counted the way the question asks: over its span ("in its first
 * month" needs the sentence to speak of a month; "since it opened" is not answered by a figure for
 * "the first day"), and as what happened, not what something can take. A question that names no
 * span takes any.
 */
function spanAgrees(span: CountedSpan, sentence: string): boolean {
  if (span.unit && !span.unit.test(sentence)) return false;
  // "How many trucks have crossed" asks what happened, not what the checkpoint "can handle".
  if (CAPACITY.test(sentence) && !span.capacity) return false;
  return !(span.whole && OWN_SHORT_SPAN.test(sentence));
}

/** A figure of what something can take, not of what it did: "can handle up to 200 trucks a day", "a capacity of". */
const CAPACITY = /\b(?:can|could|will be able to|is able to)\s+(?:handle|take|carry|accommodate|serve|process|receive|hold|pass)\b|\bcapacity\b|\bdesigned (?:for|to)\b/i;
/** A question about what something can take: "how many trucks can Bedel handle", "what is its capacity". */
const ASKS_CAPACITY = /\b(?:can|could|capacity|able|handle|max|maximum|up to|design(?:ed)?|planned|will)\b/i;

/** A year written as such ("in 2024", "2023–2027"); not a day of the month. */
const WRITTEN_YEAR = /\b(?:19|20)\d{2}\b/g;

/** Whether a sentence's written years, if it gives any, include an asked one (a span "2023–2027" counts as each year in it). */
function yearsAgree(sentence: string, asked: ReadonlySet<number>): boolean {
  const written = [...sentence.matchAll(WRITTEN_YEAR)].map((m) => Number(m[0]));
  if (written.length === 0) return true;
  if (written.some((y) => asked.has(y))) return true;
  const spans = [...sentence.matchAll(/\b((?:19|20)\d{2})\s*[–-]\s*((?:19|20)\d{2})\b/g)];
  return spans.some((m) => [...asked].some((y) => y >= Number(m[1]) && y <= Number(m[2])));
}

/** A thing a "how many" question counts: its stem, the word as typed, and its other-language forms (each a phrase of stems). */
interface Counted {
  stem: string;
  word: string;
  alternatives: string[][];
  /** The country the question's word for it names just before it ("Chinese students"), if any. */
  country: string | null;
  /** Units the question counts in ("how many tonnes of apricots"), lower case. */
  units: Set<string>;
}

/** Units after a number that make it a measure ("4.3 km", "21 tonnes", "40 percent"), not a count of things. */
const MEASURE_UNIT = /^(?:km|kilomet(?:re|er)s?|m|metres?|meters?|tonnes?|tons?|kg|kilograms?|hectares?|ha|percent|%|mw|megawatts?|kwh|dollars?|usd|yuan|soms?|roubles?|rubles?|euros?|tenge|км|метр[а-я]*|тонн[а-я]*|процент[а-я]*|доллар[а-я]*)$/iu;

/** The country a word names by itself ("chinese", "kyrgyzstan"), or null. */
function countryOf(word: string | undefined, knowledge: KnowledgeBase): string | null {
  if (!word) return null;
  return knowledge.lookup(normalizeName(word)).find((hit) => hit.via !== "capital" && hit.entity.kind === "country")?.entity.id ?? null;
}

/** "How many trucks …": the counted thing, the first key word after "how many"; null when there is none. */
function countedThing(question: Question, knowledge: KnowledgeBase): Counted | null {
  if (question.expects !== "number") return null;
  const asked = /\bhow many\s+(?:of\s+(?:the\s+)?)?(.*)$/i.exec(question.text)?.[1];
  if (!asked) return null;
  // "How many tonnes of dried apricots": the unit measures, the apricots are what is counted.
  const after = (asked.replace(MEASURE_UNIT_OF, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  for (const [at, word] of after.entries()) {
    const i = question.keywordWords.indexOf(word);
    if (i < 0) continue;
    // "dried apricots", "electric buses", "medical workers": an adjective's noun is what is counted.
    if (ADJECTIVE_ENDING.test(word) && question.keywordWords.includes(after[at + 1] ?? "")) continue;
    // The counted thing's other-language forms count too ("tonnes" → "тонн", "ambulances" → "машин скорой помощи" in a Russian report).
    const otherScript = (phrase: string[]) => /\p{Script=Cyrillic}/u.test(phrase[0]) !== /\p{Script=Cyrillic}/u.test(word);
    const units = new Set((question.text.toLowerCase().match(/[\p{L}%]+/gu) ?? []).filter((w) => MEASURE_UNIT.test(w)));
    return { stem: question.keywords[i], word, alternatives: (question.keywordAlternatives?.[i] ?? []).filter(otherScript), country: countryOf(after[at - 1], knowledge), units };
  }
  return null;
}

/** Endings of English adjectives before a noun ("dried", "electric", "medical", "famous", "active"). */
const ADJECTIVE_ENDING = /(?:ed|al|ic|ous|ive|ful|less)$/;

/** A unit and "of" before the thing counted: "tonnes of", "kilometres of", "cubic metres of". */
const MEASURE_UNIT_OF = /^(?:(?:metric|cubic|square)\s+)?(?:tonnes?|tons?|kilograms?|kg|kilometres?|kilometers?|km|metres?|meters?|litres?|liters?|hectares?|barrels?|megawatts?|kilowatt-hours?|doses|units|pieces|heads)\s+of\s+/i;

/** A number and a digit run or number word, as words of a sentence. */
const NUMBER_WORD = /^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|millions?|billions?)$/i;
/** Words between a number and the thing it counts ("46 trucks", "the number of flights … to 14"). */
const COUNT_WINDOW = 4;

/**
 * Whether the sentence gives a number of the counted thing: a number within a few words of
 * it (or of a word the vectors find close, "lorries" for "trucks"). "On the first day, 46
 * trucks crossed" counts trucks; "at an altitude of 4,000 metres" does not count people.
 */
function countsIt(sentence: string, counted: Counted, evidence: Evidence, docId: string): boolean {
  const words = sentence.replace(YEAR, " ").match(/[\p{L}\p{N}][\p{L}\p{N},.]*/gu) ?? [];
  // A report that uses the counted word itself means something else by a word near it:
  // "21 tonnes of cherries" in a report on cherries and apricots does not count apricots.
  const ownWord = evidence.documentHasTerm(docId, counted.stem);
  const namesThing = (word: string) => {
    const lower = word.toLowerCase();
    if (terms(lower)[0] === counted.stem) return true;
    if (ownWord) return false;
    // A function word is near everything in the vectors ("people" ~ "than" 0.76): only content words name the thing.
    return !isFunctionWord(lower) && (evidence.wordSimilarity?.(counted.word, lower) ?? 0) >= COUNTED_SIMILARITY;
  };
  // "Chinese students" are not counted by "120 Kyrgyz students" nor by "6,200 citizens of Kyrgyzstan".
  const ofOtherCountry = (at: number) => {
    if (!counted.country) return false;
    const before = countryOf(words[at - 1], evidence.knowledge);
    const after = /^(?:of|from)$/i.test(words[at + 1] ?? "") ? countryOf(words[at + 2], evidence.knowledge) : null;
    return [before, after].some((country) => country !== null && country !== counted.country);
  };
  const isCounted = (word: string, at: number) => namesThing(word) && !ofOtherCountry(at);
  // An other-language form counts when all its words stand in the window ("20 машин скорой медицинской помощи").
  const namesAlternative = (window: string[]) => {
    const stems = new Set(window.flatMap((word) => terms(word.toLowerCase())));
    return counted.alternatives.some((phrase) => phrase.every((stem) => stems.has(stem)));
  };
  return words.some((word, i) => {
    if (!NUMBER_WORD.test(word.replace(/[,.]$/, ""))) return false;
    // "The tunnel, 4.3 km long" measures the tunnel, it does not count tunnels: a number with a unit
    // the question does not count in.
    const unit = MEASURE_UNIT.exec(words[i + 1] ?? "")?.[0];
    if (unit && !counted.units.has(unit.toLowerCase())) return false;
    const from = Math.max(0, i - COUNT_WINDOW);
    const window = words.slice(from, i + COUNT_WINDOW + 1);
    return window.some((word, k) => isCounted(word, from + k)) || namesAlternative(window);
  });
}

/** A name in a list: capitalised words ("Lanzhou University", "Kyrgyzstan"). */
const LIST_ITEM = String.raw`\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,4}`;
/** Three names or more: "A, B and C", "A, B, C or D". */
const NAME_LIST = new RegExp(String.raw`${LIST_ITEM}(?:,\s+${LIST_ITEM})+,?\s+(?:and|or)\s+${LIST_ITEM}`, "gu");

/**
 * Whether an asked name is one item of a list of three names or more in the sentence, beside
 * names the question does not ask about: a number or amount there belongs to the list as a
 * whole ("the railway's cost is shared by China, Kyrgyzstan and Uzbekistan"), not to the
 * asked one. Two names ("between China and Kyrgyzstan") are the usual pair of a bilateral
 * report, not a share.
 */
function sharedWithOthers(sentence: string, question: Question, asked: ReadonlySet<string>, knowledge: KnowledgeBase): boolean {
  const unknownForms = question.mentions.filter((m) => m.via === "unknown-name").flatMap((m) => m.forms.map((f) => normalizeName(f)));
  // A name the knowledge base does not know is asked when the question has all its words ("shaanxi normal university").
  const words = new Set(question.keywords);
  const isAsked = (item: string) => {
    const name = normalizeName(item);
    // By its name, not its capital: "Bishkek, Osh and Tokmok" are towns, not the Kyrgyz government.
    if (knowledge.lookup(name).some((hit) => hit.via !== "capital" && asked.has(hit.entity.id))) return true;
    if (unknownForms.some((form) => ` ${name} `.includes(` ${form} `))) return true;
    const own = terms(item);
    return own.length > 0 && own.every((t) => words.has(t));
  };
  for (const match of sentence.matchAll(NAME_LIST)) {
    const items = match[0].split(/,\s+|,?\s+(?:and|or)\s+/u).map((item) => item.trim()).filter(Boolean);
    if (items.length >= 3 && items.some(isAsked) && items.some((item) => !isAsked(item))) return true;
  }
  return false;
}

/** Word-vector similarity at which another word names the counted thing ("lorries" ~ "trucks"). */
const COUNTED_SIMILARITY = 0.6;

interface SentenceFacts {
  text: string;
  /** normalizeName of the sentence, padded with spaces. */
  normalised: string;
  terms: Set<string>;
  /** Knowledge-base entities the sentence names (not through a capital), found on first use. */
  entities?: Entity[];
}

const sentenceCache = new LRUCache<Chunk, SentenceFacts[]>({ max: TEXT_CACHE_LIMIT });

/** A chunk's sentences with their normalised text and terms, cached: the same passages come back for related questions. */
function sentencesOf(chunk: Chunk): SentenceFacts[] {
  let cached = sentenceCache.get(chunk);
  if (!cached) {
    cached = splitSentences(chunk.text).map(({ text }) => ({ text, normalised: ` ${normalizeName(text)} `, terms: new Set(terms(text)) }));
    sentenceCache.set(chunk, cached);
  }
  return cached;
}

/** The entities a sentence names, by looking its word n-grams up in the knowledge base. */
function namedEntities(sentence: SentenceFacts, knowledge: KnowledgeBase): Entity[] {
  if (sentence.entities) return sentence.entities;
  const words = sentence.normalised.trim().split(" ");
  const found = new Map<string, Entity>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_NAME_WORDS && i + n <= words.length; n++) {
      for (const hit of knowledge.lookup(words.slice(i, i + n).join(" "))) if (hit.via !== "capital") found.set(hit.entity.id, hit.entity);
    }
  }
  sentence.entities = [...found.values()];
  return sentence.entities;
}

/** Longest entity name looked up in a sentence, in words ("Xinjiang Uygur Autonomous Region"). */
const MAX_NAME_WORDS = 5;

/** Whether the sentence names the entity right after a venue word ("in Lanzhou", "arrived in Beijing"), and not as an institution's name ("at Osh State University"). */
function namedAsVenue(sentence: SentenceFacts, entity: Entity): boolean {
  const text = sentence.normalised;
  return [entity.name, ...entity.aliases].some((name) => {
    const form = normalizeName(name);
    return VENUE_PREFIXES.some((prefix) => {
      const needle = ` ${prefix} ${form} `;
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        const next = text.slice(at + needle.length).split(" ", 1)[0];
        if (!INSTITUTION_TERMS.has(next)) return true;
      }
      return false;
    });
  });
}

/** INSTITUTION_WORDS as normalised text has them. */
const INSTITUTION_TERMS = new Set([...INSTITUTION_WORDS].map((word) => normalizeName(word)));

/** The evidence of each checked kind in one sentence; `namesOther` finds knowledge-base entities of the given kinds not asked about (`asVenue`: named as a venue). */
const KIND_CHECKS: Partial<Record<Question["expects"], (sentence: string, namesOther: (kinds: string[], asVenue?: boolean) => boolean, question: Question, knowledge: KnowledgeBase) => boolean>> = {
  amount: (sentence, _namesOther, question) => {
    const measure = measureOf(question);
    return measure ? MEASURE_EVIDENCE[measure](sentence) : AMOUNT.test(sentence) || RUSSIAN_AMOUNT.test(sentence);
  },
  // "What day", "the exact date": a month alone ("signed in March") does not say it.
  date: (sentence, _namesOther, question) => {
    // "When will all nine schools be finished", "the rest of the buses": the date of the first few is not theirs.
    if (ASKS_WHOLE.test(question.translated ?? question.text) && FIRST_FEW.test(sentence)) return false;
    return ASKS_DAY.test(question.translated ?? question.text) ? DAY_WORDS.test(sentence) : DATE_WORDS.test(sentence) || RUSSIAN_MONTHS.test(sentence);
  },
  number: (sentence) => NUMBER.test(sentence.replace(YEAR, "")),
  person: (sentence, namesOther) => namesOther(["person"]) || (TITLE.test(sentence) && namesPerson(sentence)) || RUSSIAN_TITLED_NAME.test(sentence),
  place: (sentence, namesOther, question, knowledge) => {
    // "Which city": a country ("will be held in China") does not say where.
    if (ASKS_TOWN.test(question.translated ?? question.text)) {
      // "at Xinjiang University" names a university, not a town.
      const institution = (m: RegExpMatchArray) => INSTITUTION_WORDS.has(/^\s+(\p{Lu}\p{Ll}+)/u.exec(sentence.slice((m.index ?? 0) + m[0].length))?.[1] ?? "");
      return namesOther(["city"], true) || [...sentence.matchAll(PLACES)].some((m) => !institution(m) && !knowledge.lookup(normalizeName(m[1])).some((hit) => hit.entity.kind === "country" || hit.entity.kind === "region"));
    }
    // "Where in Kyrgyzstan": the place the question names itself does not say where.
    const asked = new Set(question.mentions.flatMap((m) => m.entities.map((e) => e.id)));
    const namesAsked = (name: string) => knowledge.lookup(normalizeName(name)).some((hit) => asked.has(hit.entity.id));
    return namesOther(["city", "region", "country"]) || [...sentence.matchAll(PLACES)].some((m) => !namesAsked(m[1])) || RUSSIAN_PLACE.test(sentence);
  },
  organisation: (sentence, namesOther) => namesOther(["organisation"]) || ORGANISATION.test(sentence),
  // "Why …": a sentence that gives a cause or a purpose, not one that only tells the event.
  reason: (sentence) => REASON.test(sentence) || RUSSIAN_REASON.test(sentence),
};

/** A question about the whole of a number of things or what is left of them: "all nine schools", "the rest of the buses", "the remaining 180". */
const ASKS_WHOLE = /\b(?:all(?: the)? (?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)|the rest of|the remaining|the other (?:\d+|two|three|four|five|six|seven|eight|nine|ten))\b/i;
/** A sentence about the first few of them: "the first three schools opened", "the first 120 of the 300 buses". */
const FIRST_FEW = /\bthe first (?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|few)\b/i;

/** A cause or a purpose in a sentence: "because", "due to", "in order to", "so that", "aimed at", "as part of", "to + verb" after a comma. */
const REASON = /\b(?:because|due to|owing to|thanks to|as a result|in order to|so that|so as to|aimed at|with the aim|in response to|in connection with|in view of|the reason|reasons?|since it|as it|which will allow|to allow|to ensure|to help|to reduce|to increase|to speed up|to simplify)\b/i;
const RUSSIAN_REASON = /(?:^|\s)(?:потому что|так как|из-за|благодаря|чтобы|в связи с|поскольку|с целью|ради)(?:\s|$)/iu;

function missingKind(question: Question): string {
  switch (question.expects) {
    case "amount":
      return "do not give the amount";
    case "number":
      return "do not give the number";
    case "person":
      return "do not say who it was";
    case "place":
      return "do not say where";
    case "organisation":
      return "do not name the organisation";
    case "date":
      return "do not say when";
    case "reason":
      return "do not say why";
    default:
      return "do not say what was asked";
  }
}

/** The mentions that the judged passages miss most often (for the refusal's reason). */
function mostMissed(judged: Judged[]): Mention[] {
  const counts = new Map<Mention, number>();
  for (const j of judged) for (const m of j.missingMentions) counts.set(m, (counts.get(m) ?? 0) + 1);
  const max = Math.max(0, ...counts.values());
  return [...counts].filter(([, n]) => n === max).map(([m]) => m);
}

/**
 * Whether one sentence of the chunk names every person, organisation and place the question
 * asks about (not its venue), at least one of them a person: a country alone ("the Kyrgyz
 * section") is named by nearly every report.
 */
function namesEveryActor(question: Question, chunk: Chunk): boolean {
  const actors = question.mentions.filter((m) => m.via !== "unknown-name" && !m.located);
  if (!actors.some((m) => m.kind === "person")) return false;
  return sentencesOf(chunk).some((sentence) => actors.every((m) => m.forms.some((form) => namesForm(sentence.normalised, form))));
}

/**
 * Reports this many days apart or fewer may tell one event (the summit and the talks on its
 * eve, a report and the next day's): between them retrieval's rank chooses, not the date.
 */
const SAME_EVENT_DAYS = 2;

/** Passages in the order the question asks for: newest first for "latest", oldest for "first", else as ranked. */
function orderBy(question: Question, judged: Judged[]): Judged[] {
  const byRank = [...judged].sort((a, b) => a.rank - b.rank);
  // "What was reported in June 2024": a report from then before one that only looks ahead to it.
  if (question.type === "date-only") return [...byRank.filter((j) => j.publishedInPeriod), ...byRank.filter((j) => !j.publishedInPeriod)];
  if (question.ordering !== "latest" && question.ordering !== "first") return byRank;
  const sign = question.ordering === "latest" ? -1 : 1;
  const day = (j: Judged) => (j.passage.chunk.publishedOn ? Date.parse(j.passage.chunk.publishedOn) / 86_400_000 : sign * Infinity);
  const byDate = [...judged].sort((a, b) => sign * (day(a) - day(b)) || a.rank - b.rank);
  if (byDate.length === 0) return byDate;
  // The best-ranked passage of the event at the far end leads; the rest follow by date.
  const end = day(byDate[0]);
  const lead = byRank.find((j) => Math.abs(day(j) - end) <= SAME_EVENT_DAYS)!;
  return [lead, ...byDate.filter((j) => j !== lead)];
}
