/**
 * Russian words (pure): the Snowball stemmer from `@orama/stemmers`, a match of an
 * inflected word against a dictionary form ("Жапаровым" is "Жапаров", "Китае" is
 * "Китай"), and a table-driven Latin transliteration for names no data file knows.
 * Grammar only: names and translations are data (`src/knowledge/`).
 */
import { stemmer as snowballRussian } from "@orama/stemmers/russian";

/** Whether a text holds Cyrillic letters. */
export function hasCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}

/** The Snowball stem of a lower-case Russian word (ё read as е); words of up to 2 letters unchanged. */
export function russianStem(word: string): string {
  const plain = word.replace(/ё/g, "е");
  return plain.length <= 2 ? plain : snowballRussian(plain);
}

/**
 * Case, number and adjective endings of nouns, names and adjectives, longest first. A
 * dictionary form minus its ending plus any of these is the same word ("Си Цзиньпином",
 * "китайской", "в Москве").
 */
const ENDINGS = [
  "ыми", "ими", "ами", "ями", "ого", "его", "ому", "ему",
  "ым", "им", "ом", "ем", "ой", "ей", "ою", "ею", "ах", "ях", "ам", "ям", "ов", "ев", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ую", "юю",
  "а", "я", "у", "ю", "е", "и", "ы", "о", "й", "ь",
];
const ENDING_SET = new Set(ENDINGS);

/** The part of a dictionary form that stays in every case: "китай" → "кита", "москва" → "москв", "китайский" → "китайск". */
export function russianBase(form: string): string {
  const word = form.replace(/ё/g, "е");
  // Short names ("Си", "Ван", "КНР") do not decline, or decline beyond recognition.
  if (word.length <= 3) return word;
  for (const ending of ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) return word.slice(0, -ending.length);
  }
  return word;
}

/** Whether a lower-case word is an inflected form of a dictionary form ("жапаровым" of "жапаров", "китае" of "китай"). */
export function isRussianFormOf(word: string, form: string): boolean {
  const w = word.replace(/ё/g, "е");
  const f = form.replace(/ё/g, "е");
  if (w === f) return true;
  if (f.length <= 3) return false;
  // The form itself plus an ending ("жапаров" + "ым"), or its base plus one ("кита" + "е").
  if (w.startsWith(f) && ENDING_SET.has(w.slice(f.length))) return true;
  const base = russianBase(f);
  return base !== f && w.startsWith(base) && (w.length === base.length || ENDING_SET.has(w.slice(base.length)));
}

const LATIN: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m",
  н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch",
  ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya", ң: "ng", ө: "o", ү: "u", і: "i", ә: "a", ғ: "g", қ: "k", ұ: "u", һ: "h",
};

/**
 * A Cyrillic word in Latin letters, the way English news spells Russian and Kyrgyz names
 * (BGN/PCGN-like: "Жээнбеков" → "Zheenbekov", "Чолпон-Ата" → "Cholpon-Ata"); case of the
 * first letter kept, other characters unchanged. The fallback for names the knowledge base lacks.
 */
export function transliterate(text: string): string {
  let out = "";
  for (const char of text) {
    const lower = char.toLowerCase();
    const latin = LATIN[lower];
    if (latin === undefined) {
      out += char;
      continue;
    }
    out += char !== lower && latin.length > 0 ? latin[0].toUpperCase() + latin.slice(1) : latin;
  }
  return out;
}
