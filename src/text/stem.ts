/**
 * The English stemmer of index and query terms (pure): Porter's, from `@orama/stemmers`,
 * which also has the Russian one. Chosen over the former hand-written suffix stripper
 * because it scored the same on `npm run eval` (hybrid + dates: recall@1 88.2%, recall@5
 * 98.5%, refusals 91.7% unanswerable / 2.9% answerable, each variant unchanged) and, unlike
 * it, also joins "railways"/"railway". Changing it changes the index terms: bump
 * INDEX_FORMAT_VERSION (src/store/index-files.ts).
 */
import { stemmer as porterStem } from "@orama/stemmers/english";
import { IRREGULAR_PAST } from "./irregular-verbs.ts";
import { LRUCache } from "lru-cache";
import { hasCyrillic, russianStem } from "./russian.ts";

/**
 * The stem of a lower-case word, applied alike at index and query time so that
 * "meeting"/"meet", "agreed"/"agreeing"/"agree" and "discussed"/"discuss" match. Words of
 * up to 3 letters and words with digits ("80th", "g20") are returned unchanged; irregular
 * past forms are first mapped to their base ("met" → "meet", "held" → "hold"). Cyrillic
 * words are stemmed with the Russian Snowball stemmer ("визитом"/"визита" → "визит").
 */
export function stem(term: string): string {
  let stemmed = stems.get(term);
  if (stemmed === undefined) {
    const word = IRREGULAR_PAST.get(term) ?? term;
    // Russian words (documents and questions in Russian) get the Russian Snowball stemmer.
    stemmed = word.length <= 3 || /\d/.test(word) ? word : hasCyrillic(word) ? russianStem(word) : porterStem(word);
    stems.set(term, stemmed);
  }
  return stemmed;
}

/** Stems already computed: a corpus and its questions repeat a few tens of thousands of words. */
const STEM_CACHE_LIMIT = 200_000;
const stems = new LRUCache<string, string>({ max: STEM_CACHE_LIMIT });
