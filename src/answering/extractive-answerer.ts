/**
 * The offline answerer: follows the answerability decision. For an answer it picks the
 * sentences of the supporting passages that best answer the question (IDF-weighted
 * overlap with its key words, passage rank as a tie-breaker), states the date of each
 * reported item ("On 3 September 2025, …"), and cites each sentence as [n]. A partial
 * answer says what the documents do not say and quotes the closest fact; a refusal says
 * plainly what the documents cover.
 */
import { LRUCache } from "lru-cache";
import type { Chunk, Citation, Passage } from "../domain.ts";
import { splitSentences } from "../text/sentences.ts";
import { terms } from "../text/terms.ts";
import type { Question } from "../question/question.ts";
import type { Answerer, AnswerInput } from "./answerer.ts";
import { formatLongDate } from "../dates.ts";
import { anaphoricDayMentions, annotateRelativeDates, dateMentions, type DateMention, formatMention, hasAnaphoricDay, TO_COME } from "./event-dates.ts";
import { namesPlace } from "./venue.ts";
import { closesQuotation, isBareAttribution, isOnlyMarkup, leansOnPrevious, nameSpeaker, opensQuotation, quotedByPronoun, quotesBalanced, stripMarkup } from "./quote-text.ts";
import { longDate, t, type Lang } from "../locale/messages.ts";

export interface ExtractiveOptions {
  /** IDF of a normalised term in the serving index. */
  idf: (term: string) => number;
  /** The period the corpus covers, for refusals. */
  period: () => { firstDate: string | null; lastDate: string | null };
  /** Most sentences quoted; default 3. */
  maxSentences?: number;
  /** Passages sentences may come from; default 3. */
  maxPassages?: number;
  /** A document's chunks in text order, to quote the sentence before one that opens with "he"; default none. */
  documentChunks?: (docId: string) => readonly Chunk[];
  /** The city a document's opening puts its event in, as written, for timeline lines that name none (src/answering/venue.ts); default none. */
  venueOf?: (docId: string) => string | null;
}

interface SentenceEntry {
  /** Offsets in the chunk's text. */
  start: number;
  text: string;
  terms: Set<string>;
}

interface Candidate {
  passage: Passage;
  /** Position among the chunk's sentences. */
  index: number;
  /** Offset in the document, to de-duplicate sentences seen in overlapping chunks and to keep text order. */
  start: number;
  text: string;
  terms: Set<string>;
  /** Share of the question's key-word weight the sentence holds (0–1). */
  overlap: number;
  /** How many of the asked names the sentence spells out. */
  names: number;
  score: number;
}

/** Sentences as they will be quoted: markup stripped, relative dates resolved, with their dates. */
interface Quoted {
  chunk: Chunk;
  /** Offset in the document. */
  start: number;
  /** Markup stripped. */
  plain: string;
  /** `plain` with relative dates resolved: "on Tuesday (16 April 2024)". */
  text: string;
  mentions: DateMention[];
}

/** Chunks whose split sentences are kept (an answerer lives as long as its index). */
const SENTENCE_CACHE_LIMIT = 2000;
/**
 * Weight of the asked names' words against the key words' (1) in choosing sentences: the
 * names chose the passage already, and "what did A and B sign" is answered by the sentence
 * about signing, not the opening that names them both. Chosen on the dev part: 0.4–0.6 gave
 * two more answers with every expected term than 1, and 0.25 started to lose list items.
 */
const NAME_WEIGHT = 0.5;
/** Most documents a list or timeline answer names, one line each. */
const MAX_LIST_ITEMS = 8;
/**
 * Sentences of the closest fact in a partial answer. Chosen on the dev part: 2 instead of 1
 * brought every expected term into five more answers (terms 79.1% -> 81.1%); 3 added none.
 */
const PARTIAL_CLOSEST_SENTENCES = 2;
/** Sentences a quotation may run on for, to keep it whole. */
const MAX_QUOTATION_SENTENCES = 3;
/** Sentences quoted before one that opens with "he", to reach one that stands on its own. */
const MAX_ANTECEDENT_SENTENCES = 2;
/** Sentences looked back for the person a quotation's "he said" refers to. */
const MAX_SPEAKER_LOOKBACK = 4;
/** Sentences read back for the day "on the same day" means: the report's opening is rarely further. */
const MAX_ANAPHOR_LOOKBACK = 6;
/** Characters of a sentence compared with earlier answers of the conversation ("what else" repeats nothing). */
const REPEAT_KEY_CHARS = 60;

/** "… of China." → "… of China [1]." (the marker goes inside the sentence's final punctuation). */
function cite(sentence: string, n: number): string {
  const end = /[.!?…]+$/.exec(sentence);
  return end ? `${sentence.slice(0, end.index)} [${n}]${end[0]}` : `${sentence} [${n}]`;
}

/** The question's words with each name spelled as the knowledge base does ("the csto session in astana" → "the CSTO session in Astana"). */
function spelled(words: string, analysis: Question): string {
  let out = words;
  for (const mention of analysis.mentions) {
    const typed = mention.text.toLowerCase();
    const spelling = mention.entities.flatMap((e) => [e.name, ...e.aliases]).find((form) => form.toLowerCase() === typed);
    if (spelling) out = out.replace(new RegExp(`(?<![\\p{L}])${typed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "giu"), spelling);
  }
  return out;
}

/** Sentences cited [n] each, a quotation that runs over several sentences once at its end. */
function citeAll(sentences: readonly string[], n: number): string {
  const units: string[] = [];
  let open = "";
  for (const sentence of sentences) {
    open = open ? `${open} ${sentence}` : sentence;
    if (quotesBalanced(open)) {
      units.push(cite(open, n));
      open = "";
    }
  }
  if (open) units.push(cite(open, n));
  return units.join(" ");
}

/**
 * Whether a "when" answer states the event's date before its quotes: always (a direct answer),
 * never, or "yearless" (a partial answer: only when its closest fact gives the date without
 * the year, "held in Naryn on 10–11 June", which the quote alone would leave to the citation).
 */
type LeadDate = boolean | "yearless";

/** "On which dates…", "how many times…": a "when" question about several events. */
const SEVERAL_EVENTS = /\b(?:dates|times|occasions)\b/i;

/** A list, or a "when" about several events: one line per event in date order. */
/** "What was reported in June 2024?": a period longer than a day may hold several reports, a line each. */
const asksPeriod = (analysis: Question) => analysis.type === "date-only" && (analysis.dates.months.length > 0 || analysis.dates.ranges.some((range) => range.from !== range.to));
const wantsTimeline = (analysis: Question) => analysis.expects === "list" || (asksDate(analysis) && SEVERAL_EVENTS.test(analysis.text)) || asksPeriod(analysis);

/** The question asks when: its direct answer is a date. */
const asksDate = (analysis: Question) => analysis.expects === "date" || analysis.type === "when";

/** The refusal: plainly what the documents cover; a yes/no question hears that they do not report it (not a "no"). */
export function refusalText(period: { firstDate: string | null; lastDate: string | null }, options: { yesNo?: boolean; lang?: Lang } = {}): string {
  const lang = options.lang ?? "en";
  if (lang !== "en") return period.firstDate && period.lastDate ? t(lang, "refusal-period", { from: longDate(lang, period.firstDate), to: longDate(lang, period.lastDate) }) : t(lang, "refusal");
  const span = period.firstDate && period.lastDate
    ? ` They report on official visits and meetings from ${formatLongDate(period.firstDate)} to ${formatLongDate(period.lastDate)}.`
    : "";
  const lead = options.yesNo ? "The documents I have do not report this, so I cannot confirm it." : "The documents I have do not cover this, so I cannot answer it.";
  return `${lead}${span}`;
}

export class ExtractiveAnswerer implements Answerer {
  readonly mode = "extractive" as const;
  private readonly options: Required<Omit<ExtractiveOptions, "documentChunks" | "venueOf">> & Pick<ExtractiveOptions, "documentChunks" | "venueOf">;
  private readonly sentenceCache = new LRUCache<string, SentenceEntry[]>({ max: SENTENCE_CACHE_LIMIT });

  constructor(options: ExtractiveOptions) {
    this.options = { maxSentences: 3, maxPassages: 3, ...options };
  }

  async answer(input: AnswerInput) {
    return this.answerSync(input);
  }

  /** Sentences of a chunk with their terms, cached: the same passages come back for related questions. */
  private sentencesOf(chunk: Chunk): SentenceEntry[] {
    let sentences = this.sentenceCache.get(chunk.id);
    if (!sentences) {
      sentences = splitSentences(chunk.text).map((s) => ({ start: s.start, text: s.text, terms: new Set(terms(s.text)) }));
      this.sentenceCache.set(chunk.id, sentences);
    }
    return sentences;
  }

  /** Synchronous form, for the hot path and benchmarks. */
  answerSync(input: Pick<AnswerInput, "analysis" | "decision" | "history">) {
    const { period } = this.options;
    const { decision, analysis } = input;
    if (decision.outcome === "refuse" || decision.supporting.length === 0) {
      return { mode: this.mode, text: refusalText(period(), { yesNo: analysis.type === "yesno", lang: analysis.language }), citations: [], refused: true, outcome: "refuse" as const };
    }
    // "What else…", "tell me more": nothing the conversation quoted already. Other follow-ups
    // ("where was that?") may rightly be answered by a sentence shown before.
    const shown = asksForMore(analysis.text) ? shownBefore(input.history) : NOTHING_SHOWN;
    if (decision.outcome === "partial") {
      const closest = this.render(analysis, this.choose(analysis, decision.supporting.slice(0, 1), PARTIAL_CLOSEST_SENTENCES, shown), { leadWithDate: "yearless" });
      const missing = decision.missing ?? "do not say what was asked";
      const lang = analysis.language;
      const lead = lang !== "en"
        ? `${t(lang, decision.subject ? "partial-subject" : "partial-plain", { subject: decision.subject ?? "", missing })} ${t(lang, "partial-closest")}`
        : `${decision.subject ? `The documents mention ${decision.subject} but ${missing}.` : `The documents ${missing}.`} The closest they report:`;
      const text = `${lead}\n\n${closest.text}`;
      return { mode: this.mode, text, citations: closest.citations, refused: false, outcome: "partial" as const };
    }
    if (decision.comparison) {
      const compared = this.timeline(analysis, decision.supporting.slice(0, 2), NOTHING_SHOWN);
      if (compared) {
        const { chosen, other, later } = decision.comparison;
        const n = compared.citations.find((c) => c.docId === decision.supporting[0].chunk.docId)?.n ?? 1;
        const [a, b] = [spelled(chosen, analysis), spelled(other, analysis)];
        const lead = cite(`${a.charAt(0).toUpperCase()}${a.slice(1)} came ${later ? "later" : "first"}, ${later ? "after" : "before"} ${b}.`, n);
        return { mode: this.mode, text: `${lead}\n\n${compared.text}`, citations: compared.citations, refused: false, outcome: "answer" as const };
      }
    }
    if (decision.sequence) {
      // "What happened right after X": the next report's sentences, led by where it stands in time.
      const [next, anchor] = decision.supporting.map((p) => p.chunk);
      if (next.publishedOn && anchor?.publishedOn) {
        const body = this.render(analysis, this.choose(analysis, decision.supporting.slice(0, 1), this.options.maxSentences, NOTHING_SHOWN), { leadWithDate: false });
        const named = spelled(decision.sequence.anchor, analysis);
        const lead = `The documents' ${decision.sequence.after ? "next report after" : "report just before"} ${named} (${formatLongDate(anchor.publishedOn)}) is from ${formatLongDate(next.publishedOn)}:`;
        return { mode: this.mode, text: `${lead}\n\n${body.text}`, citations: body.citations, refused: false, outcome: "answer" as const };
      }
    }
    const listed = wantsTimeline(analysis) ? this.timeline(analysis, decision.supporting, shown) : null;
    const chosen = listed ? [] : this.choose(analysis, decision.supporting, this.options.maxSentences, shown, decision.answerSentence);
    // "Tell me more" once the conversation has shown all these passages say: that, not a repeat.
    if (!listed && chosen.length > 0 && chosen.every((c) => shown.has(c.text))) {
      const { citations } = this.render(analysis, chosen.slice(0, 1), { leadWithDate: false });
      return { mode: this.mode, text: cite(t(analysis.language, "nothing-more"), 1), citations, refused: false, outcome: "answer" as const };
    }
    const { text, citations } = listed ?? this.render(analysis, chosen, { leadWithDate: true });
    return { mode: this.mode, text: analysis.type === "yesno" ? `Yes — ${text}` : text, citations, refused: false, outcome: "answer" as const };
  }

  /**
   * What a sentence is scored on: each key word once, and each asked name once, by its best
   * known word, when one of its spellings is whole in the sentence. Counting every spelling's
   * words (the transliterations nobody writes) would swamp the share a sentence can reach.
   */
  private weightsOf(analysis: Question): SentenceWeights {
    // Date phrases chose the passages already (the analysis leaves them out of the key words); as
    // words they would favour sentences that merely mention the date over the report of that date.
    const names = this.nameSlots(analysis, NAME_WEIGHT);
    const keywords = analysis.keywords.map((term) => ({ forms: [[term]], weight: this.options.idf(term) }));
    return sentenceWeights([...names, ...keywords]);
  }

  /** Weights for a sentence in Russian: the key words' Russian forms (glossary) and the names at full weight. */
  private russianWeightsOf(analysis: Question): SentenceWeights {
    const keywords = analysis.keywords.flatMap((term, i) => {
      const forms = analysis.keywordAlternatives?.[i] ?? [];
      return forms.length > 0 ? [{ forms: [...forms], weight: this.options.idf(term) }] : [];
    });
    return sentenceWeights([...this.nameSlots(analysis, 1), ...keywords]);
  }

  /** One slot per asked name: its spellings' words, weighed by the rarest word the corpus holds. */
  private nameSlots(analysis: Question, share: number): WeightSlot[] {
    const unseen = this.options.idf(UNSEEN_TERM);
    return analysis.mentions.flatMap((mention) => {
      const forms = mention.forms.slice(0, 8).map((form) => terms(form)).filter((form) => form.length > 0);
      const known = forms.flat().map((t) => this.options.idf(t)).filter((idf) => idf < unseen);
      return forms.length > 0 && known.length > 0 ? [{ forms, weight: share * Math.max(...known), name: true }] : [];
    });
  }

  /** Every sentence of the passages (up to `maxPassages`, or all for a list) with its score for the question. */
  private candidates(analysis: Question, passages: readonly Passage[], weights: SentenceWeights, options: { all?: boolean } = {}): Candidate[] {
    const russianWeights = this.russianWeightsOf(analysis);
    const topScore = passages[0].score || 1;
    const topDoc = passages[0].chunk.docId;
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const [rank, passage] of (options.all ? passages : passages.slice(0, this.options.maxPassages)).entries()) {
      if (!options.all && rank > 0 && passage.score < 0.5 * topScore) break;
      for (const [index, sentence] of this.sentencesOf(passage.chunk).entries()) {
        const start = passage.chunk.start + sentence.start;
        const key = `${passage.chunk.docId}@${start}`;
        if (seen.has(key) || isOnlyMarkup(sentence.text) || isBareAttribution(sentence.text)) continue;
        seen.add(key);
        // A sentence in Russian is weighed by the key words' Russian forms (glossary) instead.
        const russian = /\p{Script=Cyrillic}/u.test(sentence.text) && !/[A-Za-z]{4}/.test(sentence.text);
        const scored = russian ? russianWeights : weights;
        const share = scored.share(sentence.terms);
        const score = share + 0.15 * (passage.score / topScore) + (passage.chunk.docId === topDoc ? 0.2 : 0) - 0.0005 * Math.max(0, sentence.text.length - 300);
        candidates.push({ passage, index, start, text: sentence.text, terms: sentence.terms, overlap: share, names: scored.names(sentence.terms), score });
      }
    }
    return candidates.sort((a, b) => b.score - a.score);
  }

  /** The best sentence, then others that add question terms it lacks or score nearly as well; nothing the conversation showed already. */
  private choose(analysis: Question, passages: readonly Passage[], maxSentences: number, shown: ShownBefore, lead?: string): Candidate[] {
    const weights = this.weightsOf(analysis);
    let all = this.candidates(analysis, passages, weights);
    // "The latest / first …": the decision chose the passage by date; its sentences lead, then its report's, however well another report matches.
    if ((analysis.ordering === "latest" || analysis.ordering === "first") && passages.length > 0) {
      const rankOf = (c: Candidate) => (c.passage === passages[0] ? 0 : c.passage.chunk.docId === passages[0].chunk.docId ? 1 : 2);
      all = [...all].sort((a, b) => rankOf(a) - rankOf(b));
    }
    // The sentence in which the decision found the asked amount, person or place leads.
    const holding = lead ? all.findIndex((c) => c.passage === passages[0] && c.text === lead) : -1;
    // It leads even over another report's better-matching sentence: that one lacks what was asked ("the first tunnel" for "how many tunnels").
    if (holding > 0) all.unshift(...all.splice(holding, 1));
    const fresh = all.filter((c) => !shown.has(c.text));
    // "What else…" after everything was shown: the best again rather than nothing.
    const candidates = fresh.length > 0 ? fresh : all.slice(0, 1);
    const chosen: Candidate[] = [];
    const covered = new Set<string>();
    for (const candidate of candidates) {
      if (chosen.length >= maxSentences) break;
      const best = chosen[0];
      const addsTerms = weights.addsTo(covered, candidate.terms);
      if (best && !(candidate.score >= 0.8 * best.score || (addsTerms && candidate.score >= 0.5 * best.score))) continue;
      chosen.push(candidate);
      for (const term of candidate.terms) covered.add(term);
    }
    // "When will it be completed?": the report's sentence that gives a date still to come, when none chosen does.
    if (asksFuture(analysis) && chosen.length > 0) {
      const toCome = (c: Candidate) => dateMentions(stripMarkup(c.text), c.passage.chunk.publishedOn).some((m) => isToCome(m, c.passage.chunk.publishedOn));
      const docId = chosen[0].passage.chunk.docId;
      const dated = chosen.some(toCome) ? undefined : candidates.find((c) => c.passage.chunk.docId === docId && !chosen.includes(c) && toCome(c));
      if (dated && maxSentences > 1) chosen.splice(Math.min(chosen.length, maxSentences - 1), 1, dated);
    }
    // "What did they discuss?": the substance is in the sentences that follow the best one in its
    // report, which hold none of the question's words (they are what was discussed).
    if (asksForSubstance(analysis) && chosen.length > 0) {
      const best = chosen[0];
      const most = maxSentences + SUBSTANCE_EXTRA_SENTENCES;
      for (const next of candidates) {
        if (chosen.length >= most) break;
        if (next.passage.chunk.id === best.passage.chunk.id && next.index > best.index && next.index <= best.index + most && !chosen.includes(next)) chosen.push(next);
      }
    }
    return chosen;
  }

  /**
   * The chosen sentences with what they need to read on their own: a quotation runs on
   * to its end (or back to its start), and a sentence that opens with "he" or "the two
   * sides" is preceded by the sentence before it (from the chunk before, when it opens
   * its chunk). A quotation that cannot be made whole is left out unless it is all there
   * is. In text order within each document.
   */
  private complete(chosen: readonly Candidate[], analysis?: Question): Map<string, Quoted[]> {
    const speakers = new Map<number, string>();
    const byDoc = new Map<string, Map<number, { chunk: Chunk; start: number; text: string; entry: SentenceEntry }>>();
    const add = (chunk: Chunk, sentence: SentenceEntry) => {
      const start = chunk.start + sentence.start;
      let doc = byDoc.get(chunk.docId);
      if (!doc) byDoc.set(chunk.docId, (doc = new Map()));
      if (!doc.has(start)) doc.set(start, { chunk, start, text: stripMarkup(sentence.text), entry: sentence });
    };
    for (const candidate of chosen) {
      const chunk = candidate.passage.chunk;
      const sentences = this.sentencesOf(chunk);
      let first = candidate.index;
      let last = candidate.index;
      const span = () => sentences.slice(first, last + 1).map((s) => s.text).join(" ");
      while (opensQuotation(span()) && last + 1 < sentences.length && last - first + 1 < MAX_QUOTATION_SENTENCES) last++;
      while (closesQuotation(span()) && first > 0 && last - first + 1 < MAX_QUOTATION_SENTENCES) first--;
      if (!quotesBalanced(span()) && chosen.length > 1) continue;
      if (leansOnPrevious(sentences[first].text)) {
        // Back to a sentence that stands on its own (at most a few); none when there is none.
        const antecedents: { chunk: Chunk; sentence: SentenceEntry }[] = [];
        let at = { chunk, sentence: sentences[first] };
        while (antecedents.length < MAX_ANTECEDENT_SENTENCES) {
          const before = this.previousSentence(at, chunk, sentences);
          if (!before) break;
          at = before;
          // "The press service reported." introduces nobody: the subject is further back.
          if (isBareAttribution(before.sentence.text)) continue;
          antecedents.unshift(before);
          if (!leansOnPrevious(before.sentence.text)) break;
        }
        if (antecedents.length > 0 && !leansOnPrevious(antecedents[0].sentence.text)) for (const antecedent of antecedents) add(antecedent.chunk, antecedent.sentence);
      }
      for (let i = first; i <= last; i++) add(chunk, sentences[i]);
      // "“…,” he said.": the asked person the sentences before name, named after the pronoun.
      for (let i = first; i <= last; i++) {
        if (!analysis || !quotedByPronoun(sentences[i].text)) continue;
        const speaker = this.speakerBefore(chunk, sentences, i, analysis);
        if (speaker) speakers.set(chunk.start + sentences[i].start, speaker);
      }
    }
    const result = new Map<string, Quoted[]>();
    for (const [docId, sentences] of byDoc) {
      result.set(docId, [...sentences.values()].sort((a, b) => a.start - b.start).map((q) => {
        let mentions = dateMentions(q.text, q.chunk.publishedOn);
        // "On the same day, …": the day the report told last before it.
        if (!mentions.some((m) => m.precision === "day") && hasAnaphoricDay(q.text)) {
          const day = this.dayToldBefore(q.chunk, q.entry);
          if (day) mentions = [...mentions, ...anaphoricDayMentions(q.text, day)].sort((a, b) => a.index - b.index);
        }
        const annotated = annotateRelativeDates(q.text, mentions);
        const speaker = speakers.get(q.start);
        return { chunk: q.chunk, start: q.start, plain: q.text, text: speaker ? nameSpeaker(annotated, speaker) : annotated, mentions };
      }));
    }
    return result;
  }

  /** The day of the event a report's first sentence tells (within a month before its report date, not on it), or null: "received … on 9 April". */
  private openingDay(docId: string, reportDate: string | null): DateMention | null {
    // The document's chunks come in order (as withOpenings reads them): the first is its opening.
    const first = this.options.documentChunks?.(docId)[0];
    const sentence = first ? this.sentencesOf(first)[0] : undefined;
    if (!first || !sentence || first.start !== 0) return null;
    // The report's own day is said as such ("Reported on …"), not as the event's.
    const day = reportedEventDate([{ mentions: dateMentions(stripMarkup(sentence.text), reportDate) }], reportDate);
    return day && day.start !== reportDate ? day : null;
  }

  /** The last day that the few sentences before `sentence` of its document give (`YYYY-MM-DD`); null when none does. */
  private dayToldBefore(chunk: Chunk, sentence: SentenceEntry): string | null {
    let at = { chunk, sentence };
    for (let step = 0; step < MAX_ANAPHOR_LOOKBACK; step++) {
      const before = this.previousSentence(at, at.chunk, this.sentencesOf(at.chunk));
      if (!before) return null;
      const days = dateMentions(stripMarkup(before.sentence.text), before.chunk.publishedOn).filter((m) => m.precision === "day");
      if (days.length > 0) return days.at(-1)!.start;
      at = before;
    }
    return null;
  }

  /**
   * The asked person that the nearest of the few sentences before `index` names (alone), by
   * the last word of their name ("Japarov"); null when none or several do.
   */
  private speakerBefore(chunk: Chunk, sentences: readonly SentenceEntry[], index: number, analysis: Question): string | null {
    const people = analysis.mentions.flatMap((m) => {
      const person = m.entities.find((e) => e.kind === "person");
      return person ? [{ name: person.name.split(" ").at(-1)!, forms: m.forms.map((f) => terms(f)).filter((f) => f.length > 0) }] : [];
    });
    if (people.length === 0) return null;
    let at = { chunk, sentence: sentences[index] };
    for (let step = 0; step < MAX_SPEAKER_LOOKBACK; step++) {
      const before = this.previousSentence(at, chunk, sentences);
      if (!before) return null;
      const named = people.filter((p) => p.forms.some((form) => form.every((t) => before.sentence.terms.has(t))));
      if (named.length === 1) return named[0].name;
      if (named.length > 1) return null;
      at = before;
    }
    return null;
  }

  /**
   * The sentence before `at`: the one before it in the chosen sentence's chunk (`sentences`
   * are that chunk's), else the one ending before it in an earlier chunk; null when none.
   */
  private previousSentence(at: { chunk: Chunk; sentence: SentenceEntry }, chunk: Chunk, sentences: readonly SentenceEntry[]): { chunk: Chunk; sentence: SentenceEntry } | null {
    const index = at.chunk === chunk ? sentences.indexOf(at.sentence) : -1;
    return index > 0 ? { chunk, sentence: sentences[index - 1] } : this.sentenceBefore(at.chunk, at.chunk.start + at.sentence.start);
  }

  /** The sentence of the document that ends before `offset`, from the chunk before; null when there is none or no look-up. */
  private sentenceBefore(chunk: Chunk, offset: number): { chunk: Chunk; sentence: SentenceEntry } | null {
    const chunks = this.options.documentChunks?.(chunk.docId) ?? [];
    for (const other of [...chunks].reverse()) {
      if (other.start >= chunk.start) continue;
      const sentence = [...this.sentencesOf(other)].reverse().find((s) => other.start + s.start + s.text.length <= offset);
      if (sentence) return { chunk: other, sentence };
    }
    return null;
  }

  /**
   * The answer from chosen sentences: for a "when" question (`leadWithDate`) the event's date first, as the
   * text gives it (else the report date, said as such); then each document's sentences, in
   * order of its best sentence, cited [n]. A quote that states no date of its own says when
   * it was reported; the report date always stays on the citation.
   */
  private render(analysis: Question, chosen: readonly Candidate[], options: { leadWithDate: LeadDate }): { text: string; citations: Citation[] } {
    const quoted = this.complete(chosen, analysis);
    const citations: Citation[] = [];
    for (const candidate of chosen) {
      const chunk = candidate.passage.chunk;
      if (citations.some((c) => c.docId === chunk.docId)) continue;
      citations.push({ n: citations.length + 1, docId: chunk.docId, title: chunk.title, date: chunk.publishedOn, source: chunk.sourceUrl, quote: "", chunkId: chunk.id });
    }
    const parts: string[] = [];
    // A direct "when" answer whose text gives no date for the event says the report date of its first source instead, even over a quote's background dates.
    let reportDateFirst = options.leadWithDate === true && asksDate(analysis);
    if (options.leadWithDate && asksDate(analysis) && citations.length > 0) {
      const first = citations[0];
      const sentences = quoted.get(first.docId) ?? [];
      // A partial answer's closest fact is its best sentence: its date is said first only when the quote leaves the year out.
      const closest = options.leadWithDate === "yearless" ? sentences.filter((s) => s.start === chosen[0]?.start) : sentences;
      // A quote that dates nothing tells the report's event ("The sides signed a memorandum"): the day its opening gives, when it does.
      const told = eventDate(analysis, closest, chosen[0], this.options.idf);
      const mention = told ?? (options.leadWithDate === true && !asksFuture(analysis) && !closest.some((s) => s.start === chosen[0]?.start && (s.mentions.length > 0 || TO_COME.test(s.plain))) ? this.openingDay(first.docId, first.date) : null);
      const says = options.leadWithDate === true || (mention !== null && !mention.relative && !/\d{4}/.test(mention.text));
      if (mention && says) {
        // "When did the Expo close?": the last day of the span the text gives ("from 26 to 30 June").
        const asked = mention.end && mention.precision === "day" && ASKS_END.test(analysis.translated ?? analysis.text) ? { ...mention, start: mention.end, end: null } : mention;
        parts.push(cite(directDate(asked, analysis.language), first.n));
        reportDateFirst = false;
      }
    }
    for (const citation of citations) {
      const sentences = quoted.get(citation.docId) ?? [];
      citation.quote = sentences.map((s) => s.plain).join(" ");
      const body = citeAll(sentences.map((s) => s.text), citation.n);
      const datesItself = !(reportDateFirst && citation === citations[0]) && (sentences[0]?.mentions.some((m) => m.precision !== "year") ?? false);
      const lang = analysis.language;
      // The quotes stay as written (they are the evidence); the frame is in the question's language.
      if (datesItself) parts.push(body);
      else if (lang !== "en") parts.push(citation.date ? t(lang, "dated", { date: longDate(lang, citation.date), text: body }) : t(lang, "undated", { text: body }));
      else parts.push(citation.date ? `Reported on ${formatLongDate(citation.date)}: ${body}` : `In an undated report: ${body}`);
    }
    return { text: parts.join("\n\n"), citations };
  }

  /**
   * The passages with each report's opening chunk after them (scored as its best passage), where
   * retrieval found another of its passages: news tells its event first, and the answerability
   * check read that opening with every passage of the report, so a line may quote it.
   */
  private withOpenings(passages: readonly Passage[]): Passage[] {
    const out = [...passages];
    for (const passage of passages) {
      const opening = this.options.documentChunks?.(passage.chunk.docId)[0];
      if (opening && !out.some((p) => p.chunk.id === opening.id)) out.push({ chunk: opening, score: passage.score });
    }
    return out;
  }

  /**
   * A list or timeline: one line per matching document in date order, each with the date
   * of its event (or report), its best sentence and its citation. One document: the usual
   * answer, since the items are then in its sentences.
   */
  private timeline(analysis: Question, passages: readonly Passage[], shown: ShownBefore): { text: string; citations: Citation[] } | null {
    const best = new Map<string, Candidate>();
    // The passages are the ones the decision found to answer, a line each. Each document's line is the
    // sentence that spells out most of the asked names, then holds most key words, then comes first
    // in the report (news tells the event first), score breaking ties.
    const byOverlap = this.candidates(analysis, this.withOpenings(passages), this.weightsOf(analysis), { all: true }).sort((a, b) => b.names - a.names || b.overlap - a.overlap || a.start - b.start || b.score - a.score);
    for (const candidate of byOverlap) {
      if (shown.has(candidate.text)) continue;
      const docId = candidate.passage.chunk.docId;
      if (!best.has(docId)) best.set(docId, candidate);
    }
    // More matching reports than lines: the decision's order (its choice, then retrieval's rank) picks them,
    // not how well a sentence matches (a line's best sentence may match well in a report ranked far down).
    const listed = [...new Set(passages.map((p) => p.chunk.docId))].flatMap((docId) => best.get(docId) ?? []).slice(0, MAX_LIST_ITEMS);
    if (listed.length < 2) return null;
    const dated = listed.map((candidate) => {
      const quoted = this.complete([candidate], analysis).get(candidate.passage.chunk.docId) ?? [];
      const mention = reportedEventDate(quoted, candidate.passage.chunk.publishedOn);
      const date = mention?.start ?? candidate.passage.chunk.publishedOn;
      return { candidate, quoted, mention, date };
    });
    // "Which summits in 2025": a line's event must fall in the asked period (its report may only look
    // ahead to it), unless no line's does.
    const inPeriod = (item: (typeof dated)[number]) => item.date !== null && inAskedPeriod(analysis, item.date);
    const anyInPeriod = dated.some(inPeriod);
    const items = dated.filter((item) => !item.date || !anyInPeriod || inPeriod(item)).sort((a, b) => (a.date ?? "9999").localeCompare(b.date ?? "9999"));
    if (items.length < 2) return null;
    const citations: Citation[] = [];
    const lines = items.map(({ candidate, quoted, mention, date }) => {
      const chunk = candidate.passage.chunk;
      const n = citations.length + 1;
      const quote = quoted.map((q) => q.plain).join(" ");
      citations.push({ n, docId: chunk.docId, title: chunk.title, date: chunk.publishedOn, source: chunk.sourceUrl, quote, chunkId: chunk.id });
      const dateLabel = analysis.language !== "en" && date ? longDate(analysis.language, date) : mention ? formatMention(mention) : date ? formatLongDate(date) : "Undated";
      // "Where" for every line: the report's venue when the quoted sentence names no place of its own.
      const venue = this.options.venueOf?.(chunk.docId) ?? null;
      const label = venue && !quoted.some((q) => namesPlace(q.plain, venue)) ? `${dateLabel}, ${venue}` : dateLabel;
      // The label states the date: the sentence that gave it is quoted as written.
      return `• ${label} — ${citeAll(quoted.map((q) => (mention && q.mentions.includes(mention) ? q.plain : q.text)), n)}`;
    });
    return { text: lines.join("\n"), citations };
  }
}

/**
 * Verbs that ask what a meeting was about ("what did they discuss / agree / sign / propose"):
 * the words of such a question name the event, not the answer, which is the report's content.
 */
const SUBSTANCE_VERBS = /^(?:discuss(?:ed)?|talk(?:ed)?|agree[ds]?|sign(?:ed)?|propose[ds]?|decide[ds]?|announce[ds]?|do|did|say|said)$/i;

/** Sentences a substance answer may give beyond the usual ones: a report's account of talks runs to a paragraph. */
const SUBSTANCE_EXTRA_SENTENCES = 2;

function asksForSubstance(analysis: Question): boolean {
  return analysis.expects === "description" && analysis.type === "what" && analysis.keywordWords.length > 0 && analysis.keywordWords.some((w) => SUBSTANCE_VERBS.test(w));
}

/** Sentences an earlier answer of the conversation already quoted. */
interface ShownBefore {
  has(sentence: string): boolean;
}

const NOTHING_SHOWN: ShownBefore = { has: () => false };

/** "What else…", "tell me more", "any other…", "anything besides…": the asker wants what was not said yet. */
const MORE = /\b(?:else|more|other|others|besides|further|another|additionally)\b/i;

function asksForMore(question: string): boolean {
  return MORE.test(question);
}

function shownBefore(history: AnswerInput["history"]): ShownBefore {
  const earlier = (history ?? []).map((turn) => turn.answer).join("\n");
  // Without its final stop: the answer put the citation before it ("… quick response [1].").
  return { has: (sentence) => earlier.length > 0 && earlier.includes(stripMarkup(sentence).replace(/[.!?…]+$/, "").slice(0, REPEAT_KEY_CHARS)) };
}

/**
 * The date of the reported event: among the quoted sentences of its document, a mention that
 * meets the question's date constraint, from the clause that holds most of the question's words
 * ("who is on a state visit on 20–21 October, held talks … on 21 October": "talks" asks for the
 * second); on a tie the best sentence's, a day before a month; null when the text gives none
 * (the report date then stands).
 */
function eventDate(analysis: Question, quoted: readonly Quoted[], best: Candidate | undefined, idf: (term: string) => number): DateMention | null {
  const ordered = [...quoted].sort((a, b) => Number(b.start === best?.start) - Number(a.start === best?.start));
  // Each asked name counts once, by its rarest word, when one of its forms is whole in the clause.
  const names = analysis.mentions.map((m) => m.forms.slice(0, 8).map((f) => terms(f)).filter((form) => form.length > 0));
  const weightOf = (clause: ReadonlySet<string>) => {
    let weight = 0;
    for (const term of analysis.keywords) if (clause.has(term)) weight += idf(term);
    for (const forms of names) weight += Math.max(0, ...forms.filter((form) => form.every((t) => clause.has(t))).map((form) => Math.max(...form.map(idf))));
    return weight;
  };
  // "When is it to cover all cargo?", "when will it open": a date still to come, when the report gives one.
  const toCome = (m: DateMention, sentence: Quoted) => isToCome(m, sentence.chunk.publishedOn);
  const future = asksFuture(analysis) && quoted.some((sentence) => sentence.mentions.some((m) => toCome(m, sentence)));
  // A year ("to be completed in the autumn of 2026") answers only a question about what is to come, and only when no day or month does.
  const years = future && !quoted.some((sentence) => sentence.mentions.some((m) => m.precision !== "year" && toCome(m, sentence)));
  let pick: { mention: DateMention; weight: number } | null = null;
  for (const sentence of ordered) {
    const usable = sentence.mentions.filter((m) => (m.precision !== "year" || years) && meetsDateHints(analysis, m) && (!future || toCome(m, sentence)));
    for (const mention of [...usable.filter((m) => m.precision === "day"), ...usable.filter((m) => m.precision !== "day")]) {
      // The clause's words, and again those nearest the date within it (two dates in one clause).
      const { clause, nearest } = clauseAround(sentence.plain, mention, sentence.mentions);
      const weight = weightOf(new Set(terms(clause))) + weightOf(new Set(terms(nearest)));
      // A month whose clause holds nothing asked is background ("after the state visit in February"), not the event's date.
      if (weight === 0 && mention.precision !== "day" && !future) continue;
      if (!pick || weight > pick.weight) pick = { mention, weight };
    }
  }
  return pick?.mention ?? null;
}

/** A "when" about the end of something: "when did the Expo close", "on what day did the visit end". */
const ASKS_END = /\b(?:end|ended|ends|ending|close|closed|closes|closing|finish|finished|finishes|conclude|concluded|concludes|wrap(?:ped)? up|last day)\b|(?:^|\s)(?:закончил|завершил|закрыл|окончил)[а-я]*/iu;

/** Whether a date is after its report's (for a year, any of its days): still to come when reported. */
function isToCome(mention: DateMention, reportDate: string | null): boolean {
  if (reportDate === null) return false;
  return mention.precision === "year" ? mention.start.slice(0, 4) >= reportDate.slice(0, 4) && `${mention.start.slice(0, 4)}-12-31` > reportDate : mention.start > reportDate;
}

const asksFuture = (analysis: Question) => asksDate(analysis) && ASKS_FUTURE.test(analysis.translated ?? analysis.text);

/** A "when" question about what is to come ("when will …", "how soon will …", "when is it supposed to …"). */
const ASKS_FUTURE = /\b(?:when|how soon) (?:will|shall)\b|\bwhen (?:is|are)\b.*\b(?:to be|supposed to|expected to|due to|scheduled to|planned to|going to|set to)\b|\bwhen (?:is|are) (?:it|they|\S+) to\b/i;

/** Clause boundaries: a comma, semicolon, colon, dash or bracket between words. */
const CLAUSE_BREAK = /[,;:()\u2014]|\s[\u2013-]\s/gu;

/** A clause that describes the noun before it: a relative one ("who is on a state visit …") or a participle ("held in Urumqi from 26 to 30 June"). */
const MODIFIER_CLAUSE = /^\s*(?:who|whom|whose|which|held|built|made|led|set|given|taken|known|chosen|sent|won|[a-z]{3,}ed)\b/u;
/**
 * Most content words of a sentence's opening that a describing clause after it is read with: a
 * subject ("The China–Eurasia Expo, held in …"), not a clause of its own ("… noted the 30th
 * anniversary of relations between China and Kyrgyzstan, established on 5 January 1992").
 */
const MAX_SUBJECT_TERMS = 6;
/** A parenthetical relative clause between a head and the rest of its clause ("X held talks with Y, who is on a visit, in Beijing on Wednesday"). */
const RELATIVE_CLAUSE = /^\s*(?:who|whom|whose|which)\b/u;

/**
 * The clause of `sentence` around a date mention, and within it the words nearest the date:
 * those leading up to it from the previous date ("signed in Beijing last May | arrived in
 * Kashgar on Thursday"), or, for a date that opens its clause ("On 21 October, …"), those
 * after it up to the next. A clause that describes the sentence's subject ("The Expo, held in
 * Urumqi from 26 to 30 June, …") takes the subject with it, and one that goes on
 * after a parenthetical relative clause ("Xi held talks with Japarov, who is on a state visit,
 * in Beijing on Wednesday") takes the clause before the parenthesis, not the parenthesis. A date
 * that is a clause of its own ("On 21 October, …") is read with the clause it opens.
 */
function clauseAround(sentence: string, mention: DateMention, others: readonly DateMention[]): { clause: string; nearest: string } {
  const from = mention.index;
  // Without the comma chrono may take along ("on Friday,"): it ends the clause.
  const to = mention.index + mention.text.replace(/[\s,.;:]+$/u, "").length;
  // Clauses as [start, end) offsets; the mention's is the one it starts in.
  const bounds: [number, number][] = [];
  let at = 0;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    const breakAt = m.index ?? 0;
    if (breakAt >= from && breakAt < to) continue; // a dash or comma inside the date ("30 June – 2 July")
    bounds.push([at, breakAt]);
    at = breakAt + m[0].length;
  }
  bounds.push([at, sentence.length]);
  const own = Math.max(0, bounds.findIndex(([s, e]) => from >= s && from < Math.max(e, s + 1)));
  const [ownStart, ownEnd] = bounds[own];
  const text = ([s, e]: [number, number]) => sentence.slice(s, e);
  let head: [number, number] | null = null;
  const subject = own === 1 && terms(text(bounds[0])).length <= MAX_SUBJECT_TERMS;
  if (subject && MODIFIER_CLAUSE.test(text(bounds[own]))) head = bounds[0];
  else if (own > 1 && RELATIVE_CLAUSE.test(text(bounds[own - 1])) && !RELATIVE_CLAUSE.test(text(bounds[own]))) head = bounds[own - 2];
  // "On 26 May, Kulubaev held talks with Wang Yi": a date that is a clause of its own is read with the clause it opens.
  const opens = !head && own + 1 < bounds.length && terms(`${sentence.slice(ownStart, from)} ${sentence.slice(to, ownEnd)}`).length === 0;
  const end = opens ? bounds[own + 1][1] : ownEnd;
  const clause = head ? `${text(head)} ${text(bounds[own])}` : sentence.slice(ownStart, end);
  let start = head ? head[0] : ownStart;
  let stop = end;
  for (const other of others) {
    const otherEnd = other.index + other.text.length;
    if (otherEnd <= from) start = Math.max(start, otherEnd);
    else if (other.index >= to) stop = Math.min(stop, other.index);
  }
  const leading = sentence.slice(start, from);
  return { clause, nearest: terms(leading).length > 0 ? sentence.slice(start, to) : sentence.slice(from, stop) };
}

/** The direct answer to "when": "On 16 April 2024.", "From 4 to 7 February 2025.", "In May 2023."; in Russian the day ("16 апреля 2024 года."). */
function directDate(mention: DateMention, lang: Lang): string {
  if (lang !== "en") return `${mention.precision === "day" ? longDate(lang, mention.start) : formatMention(mention)}.`;
  // A year is said as the text says it: "By the end of 2027.", "In the autumn of 2026."
  if (mention.precision === "year" && /^(?:in|by|until|till|before|from|since)\s/i.test(mention.text)) return `${mention.text.charAt(0).toUpperCase()}${mention.text.slice(1)}.`;
  if (mention.precision !== "day") return `In ${formatMention(mention)}.`;
  return mention.end ? `From ${formatMention(mention)}.`.replace(/^From (\d+)–/, "From $1 to ") : `On ${formatMention(mention)}.`;
}

/** Days before its report that a dated event counts as the one reported (older dates are background: "established on 5 January 1992"). */
const REPORTED_EVENT_DAYS = 31;

/** The day of the event a report tells of: a day its sentences give within a month before the report date (or on it); null otherwise. */
function reportedEventDate(quoted: readonly Pick<Quoted, "mentions">[], reportDate: string | null): DateMention | null {
  if (!reportDate) return null;
  const earliest = new Date(`${reportDate}T12:00:00Z`);
  earliest.setUTCDate(earliest.getUTCDate() - REPORTED_EVENT_DAYS);
  const from = earliest.toISOString().slice(0, 10);
  for (const sentence of quoted) {
    const mention = sentence.mentions.find((m) => m.precision === "day" && m.start >= from && m.start <= reportDate);
    if (mention) return mention;
  }
  return null;
}

/** Whether a day (`YYYY-MM-DD`) falls in a period or month the question asks about, when it asks one. */
function inAskedPeriod(analysis: Question, day: string): boolean {
  return meetsDateHints(analysis, { index: 0, text: day, start: day, end: null, precision: "day", relative: false });
}

/** Whether a mention falls in a period or month the question asks about, when it asks one. */
function meetsDateHints(analysis: Question, mention: DateMention): boolean {
  const { ranges, months } = analysis.dates;
  if (ranges.length === 0 && months.length === 0) return true;
  const last = mention.end ?? mention.start;
  return ranges.some((r) => last >= r.from && mention.start <= r.to) || months.some((m) => Number(mention.start.slice(5, 7)) === m.month);
}

/** Something a sentence is credited for when one of its forms (terms, all present) is in it. */
interface WeightSlot {
  forms: readonly (readonly string[])[];
  weight: number;
  /** An asked name (not a key word). */
  name?: boolean;
}

/** The question's slots, and the share of their weight a sentence's terms hold. */
interface SentenceWeights {
  share(sentence: ReadonlySet<string>): number;
  /** How many asked names the sentence holds. */
  names(sentence: ReadonlySet<string>): number;
  /** Whether the sentence holds a slot the covered terms do not. */
  addsTo(covered: ReadonlySet<string>, sentence: ReadonlySet<string>): boolean;
}

function sentenceWeights(slots: readonly WeightSlot[]): SentenceWeights {
  const total = slots.reduce((sum, slot) => sum + slot.weight, 0) || 1;
  const holds = (slot: WeightSlot, set: ReadonlySet<string>) => slot.forms.some((form) => form.every((t) => set.has(t)));
  return {
    share: (sentence) => slots.reduce((sum, slot) => sum + (holds(slot, sentence) ? slot.weight : 0), 0) / total,
    names: (sentence) => slots.filter((slot) => slot.name && holds(slot, sentence)).length,
    addsTo: (covered, sentence) => slots.some((slot) => holds(slot, sentence) && !holds(slot, covered)),
  };
}

/** A term no document holds: its IDF is the highest there is. */
const UNSEEN_TERM = "\u0000";
