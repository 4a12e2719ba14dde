/**
 * A Russian question read onto the corpus language without a model (pure): names through
 * the knowledge base's Cyrillic spellings (inflected forms included: "с Си Цзиньпином"),
 * role phrases ("министр иностранных дел"), the field's words through the bilingual
 * glossary (stemmed: "переговоров" → "talks"), date phrases through chrono-node's Russian
 * parser ("в феврале 2025 года" → "February 2025"), seasons and parts of a year ("летом
 * 2024" → "summer 2024"), and names nothing knows transliterated ("Кумтор" → "Kumtor").
 * The result is an English query that `analyseQuestion` reads like any English question.
 */
import { createRequire } from "node:module";
import type * as ChronoRu from "chrono-node/ru";
import { MONTH_NAMES } from "../dates.ts";
import type { Entity, KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeName } from "../knowledge/knowledge-base.ts";
import { hasCyrillic, isRussianFormOf, russianStem, transliterate } from "../text/russian.ts";
import { RUSSIAN_STOPWORDS } from "../text/stopwords.ts";

const require = createRequire(import.meta.url);
let chronoRu: typeof ChronoRu | undefined;
// Loaded on the first Russian question only, like the Russian dateline parser.
const russianChrono = () => (chronoRu ??= require("chrono-node/ru") as typeof ChronoRu);

/** What a Russian question became: the English query, and the Russian words nothing translated. */
export interface EnglishQuery {
  text: string;
  untranslated: string[];
}

/** Seasons and parts of a year before a year ("летом 2024", "в начале 2022 года"): grammar of dates, read as the English date parser's words. */
const YEAR_PARTS: [RegExp, string][] = [
  [/^(весн|весеннем)/u, "spring"],
  [/^(лет[оа]?м?$|летн)/u, "summer"],
  [/^(осен)/u, "autumn"],
  [/^(зим)/u, "winter"],
  [/^(начал)/u, "early"],
  [/^(середин)/u, "mid"],
  [/^(конц|конец)/u, "late"],
];

/** A Cyrillic name or role phrase of the knowledge base, as normalised words. */
interface CyrillicForm {
  words: string[];
  stems: string[];
  english: string;
  /** A role phrase: the country after it is whose role it is ("министр иностранных дел Кыргызстана"). */
  role: boolean;
}

const formIndexes = new WeakMap<KnowledgeBase, Map<string, CyrillicForm[]>>();

/** The knowledge base's Cyrillic names and role phrases by the first three letters, longest first; each with the English words it stands for. */
function cyrillicForms(knowledge: KnowledgeBase): Map<string, CyrillicForm[]> {
  let index = formIndexes.get(knowledge);
  if (index) return index;
  const entitiesByForm = new Map<string, { entities: Entity[]; demonym: boolean }>();
  for (const { form, entity, via } of knowledge.surfaceForms()) {
    if (!hasCyrillic(form) || via === "capital") continue;
    const known = entitiesByForm.get(form) ?? { entities: [], demonym: via === "demonym" };
    if (!known.entities.includes(entity)) known.entities.push(entity);
    entitiesByForm.set(form, known);
  }
  const forms: CyrillicForm[] = [];
  const add = (form: string, english: string, role: boolean) => {
    const words = form.split(" ");
    forms.push({ words, stems: words.map(russianStem), english, role });
  };
  for (const [form, { entities, demonym }] of entitiesByForm) add(form, demonym ? demonymOf(entities[0]) : englishName(entities), false);
  for (const { phrase, role } of knowledge.rolePhrases()) if (hasCyrillic(phrase)) add(phrase, role.replace(/-/g, " "), true);
  forms.sort((a, b) => b.words.length - a.words.length || b.words.join(" ").length - a.words.join(" ").length);
  index = new Map();
  for (const form of forms) {
    const key = form.words[0].slice(0, 3);
    const list = index.get(key) ?? [];
    list.push(form);
    index.set(key, list);
  }
  formIndexes.set(knowledge, index);
  return index;
}

/** The Latin name that names every one of the entities ("Japarov" for both Japarovs), else the first one's name. */
function englishName(entities: Entity[]): string {
  if (entities.length === 1) return entities[0].name;
  const latin = (e: Entity) => [e.name, ...e.aliases].filter((n) => !hasCyrillic(n));
  const shared = latin(entities[0]).filter((name) => entities.every((e) => latin(e).some((n) => normalizeName(n) === normalizeName(name))));
  return shared[0] ?? entities[0].name;
}

function demonymOf(entity: Entity): string {
  return entity.demonyms.find((d) => !hasCyrillic(d)) ?? entity.name;
}

function sameWord(word: string, form: string, formStem: string): boolean {
  if (word === form) return true;
  if (form.length <= 3) return false;
  return (formStem.length >= 4 && russianStem(word) === formStem) || isRussianFormOf(word, form);
}

/** One piece of the question: a word (with its offset) or a date phrase already in English. */
type Piece = { kind: "word"; raw: string; norm: string; start: number } | { kind: "english"; text: string };

/**
 * The English query of a Russian question. `today` anchors relative dates ("в прошлом
 * году"). Latin words and numbers are kept as typed.
 */
export function englishQueryOf(question: string, knowledge: KnowledgeBase, today: Date = new Date(), options: { inCorpus?: (word: string) => boolean } = {}): EnglishQuery {
  const pieces: Piece[] = [];
  let at = 0;
  const pushWords = (text: string, offset: number) => {
    for (const match of text.matchAll(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)) {
      pieces.push({ kind: "word", raw: match[0], norm: normalizeName(match[0]), start: offset + (match.index ?? 0) });
    }
  };
  for (const result of /\p{Script=Cyrillic}/u.test(question) ? russianChrono().parse(question, today) : []) {
    const english = englishDate(result);
    if (!english) continue;
    pushWords(question.slice(at, result.index), at);
    pieces.push({ kind: "english", text: english });
    at = result.index + result.text.length;
  }
  pushWords(question.slice(at), at);

  const words = pieces.map((p) => (p.kind === "word" ? p.norm : ""));
  const forms = cyrillicForms(knowledge);
  const out: string[] = [];
  const untranslated: string[] = [];
  let auxiliary: string | null = null;
  let afterRole = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.kind === "english") {
      out.push(piece.text);
      continue;
    }
    if (!hasCyrillic(piece.norm)) {
      out.push(piece.raw);
      continue;
    }
    // Names and role phrases of the knowledge base, longest first; then the glossary's phrases.
    const name = (forms.get(piece.norm.slice(0, 3)) ?? []).find(
      (form) => i + form.words.length <= pieces.length && form.words.every((w, j) => pieces[i + j].kind === "word" && sameWord(words[i + j], w, form.stems[j])),
    );
    const part = yearPart(piece.norm, pieces[i + 1]);
    if (part) {
      out.push(part);
      afterRole = false;
      continue;
    }
    const term = knowledge.glossary.matchRussian(words, i);
    if (name && (!term || name.words.length >= term.length)) {
      // A role then a name in the genitive: "foreign minister of Kyrgyzstan".
      out.push(afterRole && !name.role ? `of ${name.english}` : name.english);
      afterRole = name.role;
      i += name.words.length - 1;
      continue;
    }
    afterRole = false;
    if (term) {
      // "Встречался ли …": the particle asks yes or no; English puts its auxiliary first.
      if (term.entry.en === "did") auxiliary = "did";
      else out.push(term.entry.en);
      i += term.length - 1;
      continue;
    }
    if (RUSSIAN_STOPWORDS.has(piece.norm.replace(/ё/g, "е"))) continue;
    const sentenceStart = i === 0 || /[.!?]\s*$/.test(question.slice(0, piece.start));
    if (/^\p{Lu}/u.test(piece.raw) && !sentenceStart) {
      // A name nothing knows: as the Russian documents write it when they do, else as English news would spell it.
      out.push(options.inCorpus?.(piece.norm) ? piece.raw : transliterate(nameStem(piece.raw)));
      continue;
    }
    // A word typed in lower case that the corpus spells in Latin letters ("бедел" → "bedel") is one of
    // its names, kept as a capitalised one is. (As typed it may be any Russian word: "мира" is in the corpus too.)
    const latin = transliterate(nameStem(piece.raw)).toLowerCase();
    if (latin.length >= 4 && options.inCorpus?.(latin)) {
      out.push(latin);
      continue;
    }
    untranslated.push(piece.norm);
  }
  const end = /[?？]\s*$/.test(question) ? "?" : "";
  return { text: `${auxiliary ? `${auxiliary} ` : ""}${out.join(" ")}${end}`.trim(), untranslated };
}

/** A declined place name without its ending, for transliteration: "Баткенской" → "Баткен", "Токмоке" → "Токмок". */
function nameStem(word: string): string {
  const adjective = /^(.{3,}?)(ская|ской|скую|ский|ского|скому|ским|ском|ское|ские|ских)$/u.exec(word);
  if (adjective) return adjective[1];
  const declined = /^(.{4,}?)(е|у|ом|ой|ем|ым|ом)$/u.exec(word);
  return declined ? declined[1] : word;
}

/** "летом" before a year is "summer"; "в начале 2022" is "early 2022". */
function yearPart(word: string, next: Piece | undefined): string | null {
  const nextText = next?.kind === "word" ? next.norm : next?.kind === "english" ? next.text : "";
  if (!/^(19|20)\d{2}\b/.test(nextText)) return null;
  return YEAR_PARTS.find(([pattern]) => pattern.test(word))?.[1] ?? null;
}

/** A chrono result as English date words the English parser reads ("3 September 2025", "February 2025", "2025"). */
function englishDate(result: ChronoRu.ParsedResult): string | null {
  const { start } = result;
  const year = start.isCertain("year") ? start.get("year") : null;
  const relativeYear = /прошл|этом|текущ|следующ|будущ|позапрошл/iu.test(result.text) ? start.get("year") : null;
  const y = year ?? relativeYear;
  if (!start.isCertain("month")) return y !== null && /год/iu.test(result.text) ? String(y) : null;
  const month = MONTH_NAMES[start.get("month")! - 1];
  const day = start.isCertain("day") ? start.get("day") : null;
  const end = result.end;
  const range = end && end.isCertain("day") && day !== null ? `${day}–${end.get("day")} ${MONTH_NAMES[end.get("month")! - 1]}` : null;
  const body = range ?? (day !== null ? `${day} ${month}` : month);
  return y !== null ? `${body} ${y}` : body;
}
