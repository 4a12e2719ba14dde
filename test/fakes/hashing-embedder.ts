/**
 * A deterministic, dependency-free Embedder for tests: bag-of-words vectors (each
 * lower-case word hashed into one of `dimensions` buckets, then L2-normalised). Texts
 * that share words get similar vectors; identical texts get identical ones. Counts the
 * texts it embeds and can be told to fail part-way, to simulate a crash mid-build.
 */
import { Embeddings } from "@langchain/core/embeddings";
import type { Embedder } from "../../src/embeddings/embedder.ts";
import { fnv1a } from "../../src/embeddings/word-vectors.ts";
import { words } from "../../src/text/words.ts";

export interface HashingEmbedderOptions {
  /** Vector size; default 64. */
  dimensions?: number;
  /** Recorded in index manifests; default `test:hashing:<dimensions>`. */
  id?: string;
  /** Throw once more than this many texts would have been embedded; default never. */
  failAfter?: number;
}

/** Thrown by a HashingEmbedder configured with `failAfter`. */
export class SimulatedEmbedderFailure extends Error {}



export class HashingEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  /** Texts embedded so far by `embedDocuments` and `embedQuery`. */
  embeddedTexts = 0;
  private readonly failAfter: number | undefined;

  constructor(options: HashingEmbedderOptions = {}) {
    super({ maxRetries: 0 });
    this.dimensions = options.dimensions ?? 64;
    this.id = options.id ?? `test:hashing:${this.dimensions}`;
    this.failAfter = options.failAfter;
  }

  /** The vector of one text, without counting it. */
  vector(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of words(text.toLowerCase())) vector[fnv1a(word.text) % this.dimensions] += 1;
    let norm = Math.hypot(...vector);
    if (norm === 0) {
      // Empty text: a fixed unit vector rather than zeros (cosine of zero is undefined).
      vector[0] = 1;
      norm = 1;
    }
    return vector.map((value) => value / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.count(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.count(text);
  }

  private count(text: string): number[] {
    if (this.failAfter !== undefined && this.embeddedTexts >= this.failAfter) {
      throw new SimulatedEmbedderFailure(`HashingEmbedder: simulated failure after ${this.failAfter} texts`);
    }
    this.embeddedTexts++;
    return this.vector(text);
  }
}
