/**
 * Question analysis (pure): one pass over the question that finds its language, type
 * and expected answer, the entities it asks about (through the knowledge base, case-
 * insensitively, one typo tolerated, roles resolved to their holders at the asked
 * date), its date constraints and ordering words, whether it leans on the conversation,
 * and the corrected text to search with. Every later stage reads the result.
 */
import type { Entity, KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeName } from "../knowledge/knowledge-base.ts";
import { MONTH_NAMES } from "../dates.ts";
import { hasDateHints, parseDateHints, withoutDatePhrases, type DateHints } from "../retrieval/date-hints.ts";
import { TERM_STOPWORDS as STOPWORDS } from "../text/stopwords.ts";
import { normalizeTerm, QUESTION_WORDS } from "../text/terms.ts";
import { FuzzyWords } from "./fuzzy-words.ts";
import type { Mention, Question, QuestionType } from "./question.ts";
import { EVENT_WORDS, FRAMING_FIXES, KIND_WORDS, META_WORDS, MORE_WORDS, ORDER_WORDS, ORDERED_THINGS, orderingOf, questionType } from "./question-type.ts";
import { englishQueryOf } from "./russian-question.ts";
import { classifySmallTalk, withoutSmallTalkOpening } from "./small-talk.ts";

/** What the analysis knows about the corpus being served. */
export interface CorpusVocabulary {
  /** Number of passages containing a normalised term (0: the corpus never uses it). */
  documentFrequency(term: string): number;
  /** Corpus terms one edit from a normalised term, most frequent first. */
  near(term: string): string[];
  /** Corpus words (lower case, unstemmed) one edit from a word, most frequent first: typos often hit the ending a stem drops. */
  nearWord?(word: string): string[];
}

export interface AnalysisContext {
  knowledge: KnowledgeBase;
  /** The serving corpus' vocabulary; without it, words are neither checked nor corrected. */
  vocabulary?: CorpusVocabulary;
  /** Whether a lower-case word is a common word of the language, never "corrected" into a corpus word. */
  isCommonWord?: (word: string) => boolean;
  /** Anchor of relative dates ("last year"); default now. */
  today?: Date;
  /** The previous question of the conversation, analysed: a follow-up borrows its subject. */
  previous?: Question | null;
}

interface Token {
  raw: string;
  /** normalizeName of the (corrected) word. */
  norm: string;
  start: number;
  capitalised: boolean;
  possessive: boolean;
  corrected: boolean;
  /** The whole word a typo was corrected to (a name's, a question word's or a corpus word), not a stem of one. */
  correctedWord?: string;
  /** Set once a mention has taken the token. */
  used: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;

/** Words before a city that make it the venue of the event asked about ("met in Osh"); "near Balykchy" places a thing, not a meeting. */
const VENUE_WORDS = new Set("in at to".split(" "));
const VISIT_WORDS = new Set("visit visits visited visiting toured tour trip".split(" "));
/** Verbs a visit is made with ("the visit Xi made to", "visits paid to"). */
const MADE_WORDS = new Set("made make makes making paid pay pays paying".split(" "));
/** Words before "made to" looked through for the visit they tell of ("every visit Wang Yi made to"): a name of three words fits. */
const VISIT_LOOKBACK = 4;

/** Words after a capital that make it stand for its government ("Moscow said", "Beijing's"). */
const GOVERNMENT_VERBS = new Set(
  "said says say announced announces announce stated states state wants want proposed proposes propose offered offers offer pledged pledges pledge promised promises promise agreed agrees agree signed signs sign supported supports support urged urges urge welcomed welcomes welcome sent sends send hosted hosts host thinks think set sets decided decides decide adopted adopts adopt approved approves approve ratified ratifies ratify discussed discusses discuss".split(" "),
);

const PRONOUNS = /\b(they|them|their|he|him|his|she|her|it|its|there|then|that|this|those|these|such|the two|both sides|the sides|the leaders|the ministers|(the|that|this|next|last|second|first|other|same|previous|earlier)\s+ones?)\b/iu;
/** Asking the answer to go on, with nothing else ("go on", "continue please"): a follow-up; "continue the talks?" is not. */
const CARRY_ON = /^(go\s+on|continue|keep\s+going|carry\s+on)(\s+please)?[\s.!?]*$/iu;
const ELLIPSIS = /^(and|but|also|what about|how about|what else|anything else|tell me more|more|same|and what|and when|and where|and who|а|и|ещё|еще)\b/iu;

/** Suffixes that make a noun of a person's or a state's role from a word the stemmer keeps apart ("chair" → "chairmanship", "leader" → "leadership"). */
const ROLE_SUFFIXES = ["man", "manship", "ship"];

/** Each key word's alternatives with its role derivations added: "the SCO chair" is the report's "chairmanship". */
function withDerivations(alternatives: string[][][], words: readonly string[]): string[][][] {
  return alternatives.map((forms, i) => {
    const word = words[i];
    if (!word || word.length < 4 || !/^\p{Ll}+$/u.test(word)) return forms;
    const derived = ROLE_SUFFIXES.flatMap((suffix) => normalizeTerm(`${word}${suffix}`) ?? []).filter((term) => !forms.some((f) => f.length === 1 && f[0] === term));
    return [...forms, ...[...new Set(derived)].map((term) => [term])];
  });
}

/** Per-knowledge-base look-ups, built once: forms by entity, the fuzzy index of name words, the longest phrase. */
interface KnowledgeIndex {
  formsOf: Map<string, string[]>;
  nameWords: FuzzyWords;
  nameWordSet: Set<string>;
  longest: number;
  rolePhrases: Map<string, string>;
}

const knowledgeIndexes = new WeakMap<KnowledgeBase, KnowledgeIndex>();

function knowledgeIndex(knowledge: KnowledgeBase): KnowledgeIndex {
  let index = knowledgeIndexes.get(knowledge);
  if (index) return index;
  const formsOf = new Map<string, string[]>();
  const nameWordSet = new Set<string>();
  let longest = 1;
  for (const { form, entity } of knowledge.surfaceForms()) {
    const forms = formsOf.get(entity.id) ?? [];
    if (!forms.includes(form)) forms.push(form);
    formsOf.set(entity.id, forms);
    const words = form.split(" ");
    longest = Math.max(longest, words.length);
    for (const word of words) nameWordSet.add(word);
  }
  const rolePhrases = new Map<string, string>();
  for (const { phrase, role } of knowledge.rolePhrases()) {
    rolePhrases.set(phrase, role);
    longest = Math.max(longest, phrase.split(" ").length);
  }
  const nameWords = new FuzzyWords([...nameWordSet].filter((w) => !STOPWORDS.has(w)).map((w) => [w, 1] as [string, number]), 4);
  index = { formsOf, nameWords, nameWordSet, longest, rolePhrases };
  knowledgeIndexes.set(knowledge, index);
  return index;
}

/** Analyses one question. Cheap (a few Map look-ups a word): it runs on every question. */
export function analyseQuestion(input: string, context: AnalysisContext): Question {
  const typed = input.replace(/\s+/g, " ").trim();
  // "👍", ")))": a message without letters is in the language of the conversation.
  const language = /\p{L}/u.test(typed) ? detectLanguage(typed) : (context.previous?.language ?? "en");
  const smallTalk = classifySmallTalk(typed);
  // "thanks! and when was that?": the question is read without the thanks it opens with.
  const asked = smallTalk ? typed : withoutSmallTalkOpening(typed);
  // A Russian question is read onto the corpus language (names, glossary words, dates) and analysed as that.
  const inCorpus = context.vocabulary ? (word: string) => context.vocabulary!.documentFrequency(normalizeTerm(word) ?? word) > 0 : undefined;
  const russian = !smallTalk && language === "ru" ? englishQueryOf(asked, context.knowledge, context.today, { inCorpus }) : null;
  const text = smallTalk ? typed : correctCalendarWords(russian ? russian.text : asked, context);
  const dates = smallTalk ? { ranges: [], months: [] } : parseDateHints(text, context.today);
  const base: Question = {
    text: typed, language, type: "other", expects: "description", mentions: [], keywords: [], keywordWords: [], unknownWords: [],
    dates, ordering: null, followUp: false, smallTalk, searchText: text,
  };
  if (smallTalk) return base;

  const kb = knowledgeIndex(context.knowledge);
  const rest = withoutDatePhrases(text, dates);
  // Date phrases were read already: their words are neither names nor key words.
  const tokens = tokenize(text, datePhraseSpans(text, dates));
  const unknownWords = correctTypos(tokens, kb, context);
  const mentions = findMentions(tokens, kb, context.knowledge, dates);

  const typeKeywords = tokens.filter((t) => !t.used).flatMap((t) => normalizeTerm(t.corrected ? t.norm : t.raw) ?? []);
  const typeOptions = russian ? { asTyped: typed } : {};
  const asWritten = questionType(text, typeKeywords, dates, typeOptions);
  // A question the words as written give no particular kind is read again with its typos corrected:
  // "which sco meeitngs did …" asks for meetings, a list. (Corrections never overrule a kind the text gives.)
  const corrected = withCorrections(text, tokens);
  const { type, expects } = corrected !== text && GENERIC_TYPES.has(asWritten.type) ? questionType(corrected, typeKeywords, dates, typeOptions) : asWritten;
  // Words that ask for the kind of answer ("cost", "date") or an order ("last") are not content to find.
  // An ordered question's "report", "news" or "event" only says what is ordered ("the oldest report in the documents").
  const ordered = orderingOf(withoutDatePhrases(text, dates)) !== null;
  const framing = new Set([...(KIND_WORDS[expects] ?? []), ...ORDER_WORDS, ...META_WORDS, ...MORE_WORDS, ...(type === "date-only" ? EVENT_WORDS : []), ...(ordered ? ORDERED_THINGS : [])].map((w) => normalizeTerm(w)!));
  const keywords: string[] = [];
  const keywordWords: string[] = [];
  for (const token of tokens) {
    if (token.used) continue;
    const term = normalizeTerm(token.corrected ? token.norm : token.raw);
    if (!term || term.length < 2 || QUESTION_WORDS.has(term) || framing.has(term) || keywords.includes(term)) continue;
    keywords.push(term);
    keywordWords.push(token.norm);
  }

  // A Russian question's order words may not survive its reading into English ("была первой").
  const ordering = orderingOf(rest) ?? (russian ? orderingOf(asked) : null);
  const lower = text.toLowerCase();
  const refersBack = (PRONOUNS.test(lower) && mentions.length === 0) || ELLIPSIS.test(lower) || CARRY_ON.test(lower) || (mentions.length === 0 && keywords.length === 0 && !hasDateHints(dates));
  let question: Question = {
    ...base,
    type,
    expects,
    mentions,
    keywords,
    keywordWords,
    unknownWords: [
      ...unknownWords.filter((w) => !framing.has(normalizeTerm(w) ?? w)),
      // Russian words nothing translated and no (Russian) document contains: the corpus cannot answer them.
      ...(russian && context.vocabulary ? russian.untranslated.filter((w) => w.length >= 3 && context.vocabulary!.documentFrequency(normalizeTerm(w) ?? w) === 0) : []),
    ],
    keywordAlternatives: withDerivations(context.knowledge.glossary.alternativesFor(keywords), keywordWords),
    ...(russian ? { translated: russian.text, untranslated: russian.untranslated } : {}),
    ordering,
    followUp: refersBack,
    // A Russian question searches in both languages: English documents by its reading, Russian ones by its own words.
    searchText: russian ? `${searchTextOf(tokens, text, mentions)} ${asked}` : searchTextOf(tokens, text, mentions),
  };
  if (question.followUp && context.previous && !context.previous.smallTalk) question = withContext(question, context.previous);
  return question;
}

const CALENDAR_WORDS = new FuzzyWords(
  [...MONTH_NAMES, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map((w) => [w.toLowerCase(), 1] as [string, number]),
  4,
);

/** Month and weekday names with one typo, corrected before the date parser reads the text ("14 setpember 2022"). */
function correctCalendarWords(text: string, context: AnalysisContext): string {
  // Five letters at least ("jane" is not June), and not a word of the corpus; a common misspelling
  // ("feburary") is still a month.
  return text.replace(/\p{L}{5,}/gu, (word) => {
    const lower = word.toLowerCase();
    const term = normalizeTerm(lower);
    if (term && (context.vocabulary?.documentFrequency(term) ?? 0) > 0) return word;
    return CALENDAR_WORDS.near(lower)[0]?.word ?? word;
  });
}

/**
 * English or Russian, by script: more Cyrillic than Latin letters is Russian. The bot knows only
 * these two, and on short questions script beats statistical detectors: on the 357 dev questions
 * it was right for all, tinyld 1.3.4 for 88% and franc-min 6.2.0 for 69% (short Russian questions
 * read as Bulgarian, Ukrainian or Serbian; names alone read as anything).
 */
function detectLanguage(text: string): "en" | "ru" {
  const cyrillic = (text.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  return cyrillic > latin ? "ru" : "en";
}

/** Where the date phrases the date parser read stand in the text. */
function datePhraseSpans(text: string, dates: DateHints): [number, number][] {
  const spans: [number, number][] = [];
  for (const hint of [...dates.ranges, ...dates.months]) {
    const at = text.indexOf(hint.text);
    if (at >= 0) spans.push([at, at + hint.text.length]);
  }
  return spans;
}

function tokenize(text: string, dateSpans: [number, number][]): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index ?? 0;
    const inDate = dateSpans.some(([from, to]) => start >= from && start < to);
    const before = text.slice(0, start);
    const sentenceStart = tokens.length === 0 || /[.!?]\s*$/.test(before);
    tokens.push({
      raw,
      norm: normalizeName(raw),
      start,
      capitalised: !sentenceStart && /^\p{Lu}/u.test(raw),
      possessive: /['’]s$/iu.test(raw),
      corrected: false,
      used: inDate,
    });
  }
  return tokens.filter((t) => t.norm.length > 0);
}

/** Question types that say nothing of the answer's kind beyond "what": a corrected typo may tell more. */
const GENERIC_TYPES = new Set<QuestionType>(["what", "other"]);

/** The text with each word corrected to a whole word written so ("which persidents" → "which presidents"); a stem is no word to read. */
function withCorrections(text: string, tokens: readonly Token[]): string {
  let out = "";
  let at = 0;
  for (const token of tokens) {
    if (token.correctedWord === undefined) continue;
    out += text.slice(at, token.start) + token.correctedWord;
    at = token.start + token.raw.length;
  }
  return at === 0 ? text : out + text.slice(at);
}

/**
 * Words the corpus never uses and the knowledge base does not know are corrected to a
 * name word or corpus word one edit away ("japrov" → "japarov", "chna" → "china"),
 * unless they are common words of the language. Returns the words nothing corrected.
 */
function correctTypos(tokens: Token[], kb: KnowledgeIndex, context: AnalysisContext): string[] {
  const unknown: string[] = [];
  const { vocabulary } = context;
  for (const token of tokens) {
    const word = token.norm;
    if (token.used || word.length < 3 || /\d/.test(word) || STOPWORDS.has(word) || QUESTION_WORDS.has(word) || kb.nameWordSet.has(word)) continue;
    const term = normalizeTerm(token.raw);
    if (!term || QUESTION_WORDS.has(term) || (vocabulary && vocabulary.documentFrequency(term) > 0)) continue;
    if (context.isCommonWord?.(word)) {
      if (vocabulary) unknown.push(word);
      continue;
    }
    const name = kb.nameWords.near(word)[0] ?? FRAMING_FIXES.near(word)[0];
    if (name) {
      token.norm = token.correctedWord = name.word;
      token.corrected = true;
      continue;
    }
    if (!vocabulary) continue;
    const corpusWord = vocabulary.nearWord?.(word)[0];
    if (corpusWord) {
      token.norm = token.correctedWord = corpusWord;
      token.corrected = true;
      continue;
    }
    const corpusTerm = vocabulary.near(term)[0];
    if (corpusTerm) {
      token.norm = corpusTerm;
      token.corrected = true;
      continue;
    }
    unknown.push(word);
  }
  return unknown;
}

/** Knowledge-base phrases (longest first), roles with their country, and capitalised words it does not know. */
function findMentions(tokens: Token[], kb: KnowledgeIndex, knowledge: KnowledgeBase, dates: DateHints): Mention[] {
  const mentions: Mention[] = [];
  const spans: { from: number; to: number; mention: Mention }[] = [];
  const formsFor = (entities: Entity[]) => [...new Set(entities.flatMap((e) => kb.formsOf.get(e.id) ?? [normalizeName(e.name)]))];
  const textOf = (from: number, to: number) => tokens.slice(from, to).map((t) => t.raw).join(" ");

  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].used) continue;
    for (let n = Math.min(kb.longest, tokens.length - i); n >= 1; n--) {
      const slice = tokens.slice(i, i + n);
      if (slice.some((t) => t.used)) continue;
      const phrase = slice.map((t) => t.norm).join(" ");
      // "heads of state", "foreign ministers": plurals name the same role or entity.
      const singular = slice.map((t) => singularOf(t.norm)).join(" ");
      const role = kb.rolePhrases.get(phrase) ?? kb.rolePhrases.get(singular);
      if (role) {
        const found = roleMention(role, i, i + n);
        if (found === "no-country") {
          // A role of nobody in particular ("where did the heads of state gather") describes, it is not content.
          for (const t of slice) t.used = true;
        }
        if (found) {
          i += n - 1;
          break;
        }
      }
      // "who", "us", "un" are words first: as one-word names ("WHO", "US") only in capitals.
      if (n === 1 && (STOPWORDS.has(phrase) || QUESTION_WORDS.has(phrase)) && slice[0].raw !== slice[0].raw.toUpperCase()) continue;
      let hits = knowledge.lookup(phrase);
      if (hits.length === 0 && singular !== phrase) hits = knowledge.lookup(singular);
      if (hits.length === 0) continue;
      const last = slice[slice.length - 1];
      const next = tokens[i + n];
      const actsAsGovernment = (token: Token | undefined) => token !== undefined && (GOVERNMENT_VERBS.has(token.norm) || kb.rolePhrases.has(token.norm));
      // "Astana and Beijing set a target": a capital joined to one that acts acts too.
      const partner = next?.norm === "and" ? tokens[i + n + 1] : undefined;
      const joinedToActing = partner !== undefined && knowledge.lookup(partner.norm).some((h) => h.via === "capital") && actsAsGovernment(tokens[i + n + 2]);
      const standsForGovernment = last.possessive || actsAsGovernment(next) || joinedToActing;
      const direct = hits.filter((h) => h.via !== "capital");
      const chosen = standsForGovernment && hits.some((h) => h.via === "capital") ? hits : direct.length > 0 ? direct : hits;
      let entities = [...new Map(chosen.map((h) => [h.entity.id, h.entity])).values()];
      let via: Mention["via"] = chosen.some((h) => h.via === "capital") && standsForGovernment ? "capital" : slice.some((t) => t.corrected) ? "typo" : chosen[0].via;
      let to = i + n;
      // "the Kyrgyz capital", "Kyrgyzstan's capital", "the capital of Kazakhstan": the country's capital city.
      const capital = entities[0].kind === "country" && entities[0].capital ? knowledge.byId(entities[0].capital) : undefined;
      const capitalBefore = i >= 2 && tokens[i - 1].norm === "of" && tokens[i - 2].norm === "capital" && !tokens[i - 2].used;
      if (capital && (next?.norm === "capital" || capitalBefore)) {
        entities = [capital];
        via = "capital";
        if (capitalBefore) tokens[i - 2].used = tokens[i - 1].used = true;
        else to = i + n + 1;
      }
      const before = tokens[(capitalBefore && capital ? i - 2 : i) - 1]?.norm ?? "";
      const isPlace = ["city", "region", "country"].includes(entities[0].kind) && via !== "capital";
      const mention: Mention = { text: textOf(capitalBefore && capital ? i - 2 : i, to), via, entities, forms: formsFor(entities), kind: entities[0].kind };
      const beforeThat = tokens[(capitalBefore && capital ? i - 2 : i) - 2]?.norm ?? "";
      // A city is a venue after "in/at/to"; a country only as the goal of a visit ("visit China", "a state visit to Kyrgyzstan").
      // "every visit Wang Yi made to Kyrgyzstan", "the visits paid to China": the goal of a visit the sentence named a few words back.
      const start = capitalBefore && capital ? i - 2 : i;
      const madeTo = before === "to" && MADE_WORDS.has(beforeThat) && tokens.slice(Math.max(0, start - 2 - VISIT_LOOKBACK), start - 2).some((t) => VISIT_WORDS.has(t.norm));
      const visitWord = VISIT_WORDS.has(before) || (before === "to" && VISIT_WORDS.has(beforeThat)) || madeTo;
      if (isPlace && (entities[0].kind === "country" ? visitWord : VENUE_WORDS.has(before) || visitWord)) mention.located = true;
      for (const t of tokens.slice(i, to)) t.used = true;
      mentions.push(mention);
      spans.push({ from: i, to, mention });
      i = to - 1;
      break;
    }
  }

  /** "the Kyrgyz president", "China's premier", "Beijing's top diplomat", "the president of Kyrgyzstan". */
  function roleMention(role: string, from: number, to: number): Mention | "no-country" | null {
    const before = spans.find((s) => s.to === from || (s.to === from - 1 && tokens[from - 1].norm === "s"));
    let country = before && countryOf(before.mention);
    let consumed: (typeof spans)[number] | null = before && country ? before : null;
    if (!country && tokens[to]?.norm === "of") {
      const at = tokens[to + 1]?.norm === "the" ? to + 2 : to + 1;
      for (let n = Math.min(kb.longest, tokens.length - at); n >= 1 && !country; n--) {
        const phrase = tokens.slice(at, at + n).map((t) => t.norm).join(" ");
        const hit = knowledge.lookup(phrase).find((h) => h.entity.kind === "country" || h.entity.kind === "organisation" || h.via === "capital");
        if (hit) {
          country = hit.entity.kind === "city" ? null : hit.entity;
          if (country) for (const t of tokens.slice(to, at + n)) t.used = true;
        }
      }
    }
    if (!country) return "no-country";
    const range = dateSpan(dates);
    // "a Central Asian foreign minister": the role in any of the region's countries.
    const of = country.kind === "region" ? (country.countries ?? []) : [country.id];
    let holders = [...new Set(of.flatMap((id) => knowledge.holders(role, id, range)))];
    // "the Kyrgyz parliament speaker", "the Jogorku Kenesh speaker": a role named by a body of a country is that country's.
    if (holders.length === 0 && country.kind === "organisation" && country.country) holders = knowledge.holders(role, country.country, range);
    if (holders.length === 0) return null;
    for (const t of tokens.slice(from, to)) t.used = true;
    const mention: Mention = { text: `${consumed ? consumed.mention.text + " " : ""}${textOf(from, to)}`, via: "role", entities: holders, forms: formsFor(holders), kind: "person" };
    if (consumed) mentions.splice(mentions.indexOf(consumed.mention), 1, mention);
    else mentions.push(mention);
    return mention;
  }

  function countryOf(mention: Mention): Entity | null {
    const entity = mention.entities.find((e) => e.kind === "country" || e.kind === "organisation" || (e.kind === "region" && (e.countries?.length ?? 0) > 0));
    if (entity) return entity;
    const city = mention.entities.find((e) => e.kind === "city");
    return city?.country ? (knowledge.byId(city.country) ?? null) : null;
  }

  // Capitalised words the knowledge base does not know ("Kumtor", "FIFA"): names the passage must contain.
  for (const token of tokens) {
    if (token.used || !token.capitalised || token.norm.length < 2) continue;
    const term = normalizeTerm(token.raw);
    if (!term || QUESTION_WORDS.has(term)) continue;
    mentions.push({ text: token.raw, via: "unknown-name", entities: [], forms: [token.norm], kind: "name" });
    token.used = true;
  }
  return dedupeMentions(mentions);
}

function dedupeMentions(mentions: Mention[]): Mention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const key = m.entities.length > 0 ? m.entities.map((e) => e.id).sort().join("|") : m.forms.join("|");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "ministers" → "minister", "heads" → "head", "countries" → "country"; short words and "-ss" words stay. */
function singularOf(word: string): string {
  if (word.length <= 3 || word.endsWith("ss")) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

/** The whole span of the question's date ranges, for "the Chinese premier in 2022". */
function dateSpan(dates: DateHints): { from: string; to: string } | null {
  if (dates.ranges.length === 0) return null;
  const from = dates.ranges.map((r) => r.from).sort()[0];
  const to = dates.ranges.map((r) => r.to).sort().at(-1)!;
  return { from, to };
}

/** The text to search with: typos corrected, and the canonical names of entities named otherwise. */
function searchTextOf(tokens: Token[], text: string, mentions: Mention[]): string {
  let out = "";
  let at = 0;
  for (const token of tokens) {
    out += text.slice(at, token.start) + (token.corrected ? token.norm : token.raw);
    at = token.start + token.raw.length;
  }
  out += text.slice(at);
  const typed = normalizeName(out);
  const extra: string[] = [];
  for (const mention of mentions) {
    if (mention.via === "name" || mention.via === "unknown-name") continue;
    for (const entity of mention.entities.slice(0, 3)) {
      if (!typed.includes(normalizeName(entity.name))) extra.push(entity.name);
    }
  }
  return [out.trim(), ...extra].join(" ");
}

/** A follow-up takes the previous question's subject: its mentions of other kinds, its dates, its keywords when it has none. */
function withContext(question: Question, previous: Question): Question {
  const kinds = new Set(question.mentions.map((m) => m.kind));
  const inherited = previous.mentions.filter((m) => !kinds.has(m.kind));
  const dates = question.dates.ranges.length > 0 || question.dates.months.length > 0 ? question.dates : previous.dates;
  const keywords = question.keywords.length > 0 ? question.keywords : previous.keywords;
  const keywordWords = question.keywords.length > 0 ? question.keywordWords : previous.keywordWords;
  const keywordAlternatives = question.keywords.length > 0 ? question.keywordAlternatives : previous.keywordAlternatives;
  const typed = question.type !== "other";
  return {
    ...question,
    mentions: [...question.mentions, ...inherited],
    dates,
    keywords,
    keywordWords,
    keywordAlternatives,
    type: typed ? question.type : previous.type,
    expects: typed ? question.expects : previous.expects,
    searchText: `${previous.searchText} ${question.searchText}`,
  };
}
