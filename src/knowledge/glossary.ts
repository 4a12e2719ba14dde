/**
 * The bilingual glossary in memory: the field's words in English and their Russian forms
 * ("visit" ↔ "визит, посещение, посетить", "state visit" ↔ "государственный визит").
 * Questions in one language are mapped onto documents in the other with it; names go
 * through the entity knowledge base instead. Reading and validating files is
 * `load-knowledge.ts` (`parseGlossary`).
 */
import { isRussianFormOf, russianStem } from "../text/russian.ts";
import { RUSSIAN_STOPWORDS } from "../text/stopwords.ts";
import { terms } from "../text/terms.ts";
import { normalizeName } from "./knowledge-base.ts";

/** One glossary entry: an English word or phrase and the Russian words or phrases for it. */
export interface GlossaryEntry {
  /** The English word or phrase a Russian question is read as. */
  en: string;
  /** Other English forms an English question may use for it ("buses" for "bus"); default none. */
  alsoEn?: string[];
  ru: string[];
  /** `"built-in"` or the file the entry came from. */
  source: string;
}

/** A Russian phrase of the glossary, as normalised words, with its entry. */
interface RussianPhrase {
  words: string[];
  stems: string[];
  entry: GlossaryEntry;
}

/** A match of glossary words in a run of Russian words. */
export interface GlossaryMatch {
  /** How many words it covers. */
  length: number;
  entry: GlossaryEntry;
}

/** Entries with their look-up tables, built once. Later entries (an operator's file) win over earlier ones for the same Russian words. */
export class Glossary {
  readonly entries: readonly GlossaryEntry[];
  /** Russian phrases by the first three letters of their first word, longest phrase first. */
  private readonly byPrefix = new Map<string, RussianPhrase[]>();
  private readonly russianByEnglish = new Map<string, string[]>();
  /** Index terms of the Russian phrases by the index term of a one-word English entry. */
  private readonly termsByEnglishTerm = new Map<string, string[][]>();
  /** Multi-word English entries ("sister city", "hand over") as index terms, with their Russian phrases' terms. */
  private readonly englishPhrases: { terms: string[]; russian: string[][] }[] = [];

  constructor(entries: readonly GlossaryEntry[]) {
    this.entries = entries;
    const phrases: RussianPhrase[] = [];
    // Later entries first, so that an operator's entry shadows a built-in one with the same words.
    for (const entry of [...entries].reverse()) {
      for (const ru of entry.ru) {
        const words = normalizeName(ru).split(" ").filter(Boolean);
        if (words.length > 0) phrases.push({ words, stems: words.map(russianStem), entry });
      }
    }
    phrases.sort((a, b) => b.words.length - a.words.length);
    for (const phrase of phrases) {
      const key = phrase.words[0].slice(0, 3);
      const list = this.byPrefix.get(key) ?? [];
      list.push(phrase);
      this.byPrefix.set(key, list);
    }
    for (const entry of entries) {
      for (const en of [entry.en, ...(entry.alsoEn ?? [])]) {
        const key = normalizeName(en);
        this.russianByEnglish.set(key, [...(this.russianByEnglish.get(key) ?? []), ...entry.ru]);
        const english = terms(en);
        if (english.length > 1) this.englishPhrases.push({ terms: english, russian: entry.ru.map((ru) => terms(ru)).filter((t) => t.length > 0) });
        if (english.length !== 1) continue;
        const list = this.termsByEnglishTerm.get(english[0]) ?? [];
        // An English synonym ("hq") also finds its entry's English word ("headquarters") in English documents.
        const own = en === entry.en ? [] : [terms(entry.en)];
        for (const alternative of [...own, ...entry.ru.map((ru) => terms(ru))]) {
          if (alternative.length > 0 && alternative.join(" ") !== english[0] && !list.some((known) => known.join(" ") === alternative.join(" "))) list.push(alternative);
        }
        this.termsByEnglishTerm.set(english[0], list);
      }
    }
  }

  /**
   * The other language's index terms for an index term of the question ("visit" → [["визит"],
   * ["посещен"], …]; a Russian phrase is one alternative of several terms, all required).
   */
  alternativesOf(term: string): readonly string[][] {
    return this.termsByEnglishTerm.get(term) ?? [];
  }

  /**
   * The longest glossary phrase that starts at `words[at]` (normalised lower-case Russian words), or
   * null; of equally long ones, the one with most words exactly as written ("какого числа" is
   * "when", though its stems are those of "какое число", "how many").
   */
  matchRussian(words: readonly string[], at: number): GlossaryMatch | null {
    const first = words[at];
    if (first === undefined) return null;
    let best: { phrase: RussianPhrase; exact: number } | null = null;
    for (const phrase of this.byPrefix.get(first.slice(0, 3)) ?? []) {
      if (best && phrase.words.length < best.phrase.words.length) break; // longest first
      if (at + phrase.words.length > words.length) continue;
      if (!phrase.words.every((form, i) => sameWord(words[at + i], form, phrase.stems[i]))) continue;
      const exact = phrase.words.filter((form, i) => words[at + i] === form).length;
      if (!best || exact > best.exact) best = { phrase, exact };
    }
    return best ? { length: best.phrase.words.length, entry: best.phrase.entry } : null;
  }

  /**
   * For a question's index terms, the other language's terms of each: its own entry's
   * (`alternativesOf`) plus those of the multi-word entries whose words are all among them
   * ("sister" and "citi" both get "побратим").
   */
  alternativesFor(keywords: readonly string[]): string[][][] {
    const result = keywords.map((term) => this.alternativesOf(term).map((alternative) => [...alternative]));
    const present = new Set(keywords);
    for (const phrase of this.englishPhrases) {
      if (!phrase.terms.every((t) => present.has(t))) continue;
      keywords.forEach((term, i) => {
        if (phrase.terms.includes(term)) result[i].push(...phrase.russian.map((alternative) => [...alternative]));
      });
    }
    return result;
  }

  /** The Russian words and phrases for an English word or phrase (normalised comparison), or none. */
  russianFor(english: string): readonly string[] {
    return this.russianByEnglish.get(normalizeName(english)) ?? [];
  }

  /** This glossary with `other`'s entries after its own (they win where both give the same Russian words). */
  merge(other: Glossary): Glossary {
    return other.entries.length === 0 ? this : new Glossary([...this.entries, ...other.entries]);
  }
}

/** Case endings of a noun that ends in a consonant: "зал" → "зала", "залу", "зале", "залом", "залы", "залов", "залах", "залам", "залами". */
const SHORT_NOUN_ENDINGS: ReadonlySet<string> = new Set(["а", "у", "е", "ом", "ы", "ов", "ах", "ам", "ами"]);

/** Whether a question's word is the glossary's word: the same stem, or an inflected form of it. */
function sameWord(word: string, form: string, formStem: string): boolean {
  if (word === form) return true;
  // Short words ("в", "с", "ли") are function words: only the exact word. A three-letter
  // noun ("зал", "газ", "вуз") takes its case endings ("в концертном зале", "газа").
  if (form.length <= 3) return form.length === 3 && !RUSSIAN_STOPWORDS.has(form) && /[^аеёиоуыэюяй]$/u.test(form) && SHORT_NOUN_ENDINGS.has(word.slice(3)) && word.startsWith(form);
  // Stems of three letters join unrelated words ("визит" and "виза" are both "виз").
  return (formStem.length >= 4 && russianStem(word) === formStem) || isRussianFormOf(word, form);
}
