/**
 * The stop-word lists (lower-case, diacritics folded): one base list of English function
 * words and named extensions for the uses that need more.
 */

function wordSet(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.join(" ").split(/\s+/).filter(Boolean));
}

/** English function words that carry no topic. The base of every list below; citation quotes use it alone. */
export const STOPWORDS: ReadonlySet<string> = wordSet(
  "a about above after again against all also am an and any are as at be because been before being below between both but by",
  "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his",
  "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out",
  "over own same she should so some such than that the their theirs them themselves then there these they this those through to too",
  "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves",
);

/** Words of a request rather than its topic ("tell me", "please", "whats"): retrieval terms drop them too. */
export const QUERY_FILLERS: ReadonlySet<string> = wordSet(
  "tell me please say said says know let us give show find any anything something whether ever yet still much many",
  "whats whos hows wheres",
);

/** Prepositions the base list lacks ("the ring road around the capital"); kept apart so that local vectors do not change. */
export const MORE_PREPOSITIONS: ReadonlySet<string> = wordSet("around across along among amongst beside besides beyond inside outside onto toward towards upon via within without per");

/** What `terms()` drops: {@link STOPWORDS}, {@link QUERY_FILLERS} and {@link MORE_PREPOSITIONS}. */
export const TERM_STOPWORDS: ReadonlySet<string> = new Set([...STOPWORDS, ...QUERY_FILLERS, ...MORE_PREPOSITIONS]);

/**
 * What the local embedder skips before its SIF-weighted average: {@link STOPWORDS}, modal and
 * reporting verbs that news prose repeats everywhere, and the stems "n't" leaves that are not
 * words ("can't" → "ca", "won't" → "wo", "shan't" → "sha", "ain't" → "ai"). "won" is not one: it is "win".
 * Changing it changes every local vector (bump LocalEmbeddings.id).
 */
export const EMBEDDING_STOPWORDS: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  ...wordSet("may might must said says shall", "ca wo sha ai"),
]);

/**
 * Russian function words that carry no topic (lower case, ё as е): prepositions, particles,
 * auxiliaries, "находится"/"расположен" ("is located", as English "is") and the "year" of "в 2024 году". Question words and pronouns are not here: the
 * glossary maps them ("когда" → "when", "они" → "they").
 */
export const RUSSIAN_STOPWORDS: ReadonlySet<string> = wordSet(
  "в во на с со к ко по о об обо от из у за над под при про для же бы ну то да не ни или либо но чтобы ведь вот",
  "был была было были быть есть является являлся являлась будет будут находится находятся находился находилась расположен расположена расположено расположены",
  "год года году годе годы годах г гг",
  "мне меня мы нам нас ты вы вам",
  "пожалуйста скажи скажите подскажи подскажите знаешь знаете можешь можете",
  "какой-нибудь когда-нибудь либо-то вообще именно примерно около",
);
