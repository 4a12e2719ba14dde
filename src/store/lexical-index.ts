/**
 * BM25 keyword index over chunks, keyed by store slot. A plain inverted index: per term
 * the slots that contain it with their (field-weighted) term frequencies, per slot its
 * length and the ids of its terms. Queries score postings into a flat array, so a
 * question over 30,000 chunks takes about a millisecond; MiniSearch, measured first,
 * took ~50 ms at that size (OR queries over common words build large result objects).
 * The per-slot term lists also answer "does this document mention X?" without re-reading
 * text. Saved as a small JSON header (the vocabulary) plus flat typed arrays, which load
 * without parsing and stay compact in memory; the first change after loading turns them
 * back into growable arrays (incremental re-embedding).
 */
import { formatMonthYear } from "../dates.ts";
import { type Chunk, searchTitleOf } from "../domain.ts";
import { terms } from "../text/terms.ts";

export interface LexicalHit {
  slot: number;
  score: number;
}

/** BM25 parameters: term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Field weights: a title word counts 1.5 times, a date word ("September 2025") half. */
const TITLE_WEIGHT = 1.5;
const DATE_WEIGHT = 0.5;
const FORMAT = 2;

/** Words a reader would use for a date ("September 2025"), so keyword search can match them. */
function dateWords(publishedOn: string | null): string {
  return publishedOn ? formatMonthYear(publishedOn) : "";
}

interface Postings {
  slots: number[];
  tfs: number[];
}

/** The saved form: `header` is JSON, `data` the typed arrays it describes, in order. */
export interface SerializedLexicalIndex {
  header: string;
  data: Buffer;
}

interface Header {
  format: number;
  terms: string[];
  slots: number;
  postings: number;
  termRefs: number;
}

/** The loaded, read-only form: flat arrays with offsets. */
interface Frozen {
  postingStart: Int32Array; // terms + 1
  postingSlots: Int32Array;
  postingTfs: Float32Array;
  lengths: Float32Array; // slots
  termStart: Int32Array; // slots + 1
  termRefs: Int32Array;
  live: Uint8Array; // slots
}

export class LexicalIndex {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  // Growable entries (built or changed in this process) over the loaded flat form: a term's
  // postings or a slot's term list is copied out of `frozen` only when it changes.
  private readonly postings: (Postings | undefined)[] = [];
  /** Weighted length of each slot's text; 0 for a free slot. */
  private readonly lengths: number[] = [];
  /** Ids of the distinct terms of each slot; null for a free slot, undefined: see `frozen`. */
  private readonly chunkTerms: (number[] | null | undefined)[] = [];
  private frozen: Frozen | null = null;
  private count = 0;
  private totalLength = 0;
  private sortedTerms: string[] | null = null;
  private scores = new Float64Array(0);

  static empty(): LexicalIndex {
    return new LexicalIndex();
  }

  static deserialize({ header, data }: SerializedLexicalIndex): LexicalIndex {
    const meta = JSON.parse(header) as Header;
    if (meta.format !== FORMAT) throw new Error(`keyword index format ${meta.format}, expected ${FORMAT}`);
    const index = new LexicalIndex();
    meta.terms.forEach((term, id) => {
      index.termIds.set(term, id);
      index.termNames.push(term);
    });
    // Every array below is a view of one buffer; copy only if the data is not 4-byte aligned.
    const aligned = data.byteOffset % 4 === 0;
    const buffer = aligned ? data.buffer : new Uint8Array(data).buffer;
    const base = aligned ? data.byteOffset : 0;
    let offset = base;
    const take = <T>(make: (b: ArrayBufferLike, o: number, n: number) => T, count: number, bytes: number): T => {
      const view = make(buffer, offset, count);
      offset += Math.ceil((count * bytes) / 4) * 4;
      return view;
    };
    const terms = meta.terms.length;
    const frozen: Frozen = {
      postingStart: take((b, o, n) => new Int32Array(b, o, n), terms + 1, 4),
      postingSlots: take((b, o, n) => new Int32Array(b, o, n), meta.postings, 4),
      postingTfs: take((b, o, n) => new Float32Array(b, o, n), meta.postings, 4),
      lengths: take((b, o, n) => new Float32Array(b, o, n), meta.slots, 4),
      termStart: take((b, o, n) => new Int32Array(b, o, n), meta.slots + 1, 4),
      termRefs: take((b, o, n) => new Int32Array(b, o, n), meta.termRefs, 4),
      live: take((b, o, n) => new Uint8Array(b, o, n), meta.slots, 1),
    };
    if (offset - base !== data.byteLength) throw new Error(`keyword index data has ${data.byteLength} bytes, expected ${offset - base}`);
    index.frozen = frozen;
    index.lengths.push(...frozen.lengths);
    index.chunkTerms.length = meta.slots;
    index.postings.length = terms;
    for (let slot = 0; slot < meta.slots; slot++) {
      if (!frozen.live[slot]) continue;
      index.count++;
      index.totalLength += frozen.lengths[slot];
    }
    return index;
  }

  serialize(): SerializedLexicalIndex {
    const slots = this.slotCount;
    const terms = this.termNames.length;
    const postingStart = new Int32Array(terms + 1);
    for (let id = 0; id < terms; id++) postingStart[id + 1] = postingStart[id] + this.postingsOf(id).slots.length;
    const postingSlots = new Int32Array(postingStart[terms]);
    const postingTfs = new Float32Array(postingStart[terms]);
    for (let id = 0; id < terms; id++) {
      const p = this.postingsOf(id);
      postingSlots.set(p.slots, postingStart[id]);
      postingTfs.set(p.tfs, postingStart[id]);
    }
    const lengths = new Float32Array(slots);
    const termStart = new Int32Array(slots + 1);
    const live = new Uint8Array(slots);
    for (let slot = 0; slot < slots; slot++) {
      const ids = this.termIdsOf(slot);
      lengths[slot] = this.lengthOf(slot);
      live[slot] = ids ? 1 : 0;
      termStart[slot + 1] = termStart[slot] + (ids?.length ?? 0);
    }
    const termRefs = new Int32Array(termStart[slots]);
    for (let slot = 0; slot < slots; slot++) {
      const ids = this.termIdsOf(slot);
      if (ids) termRefs.set(ids, termStart[slot]);
    }
    const parts = [postingStart, postingSlots, postingTfs, lengths, termStart, termRefs, live].map((array) => {
      const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      const padding = (4 - (bytes.byteLength % 4)) % 4;
      return padding ? Buffer.concat([bytes, Buffer.alloc(padding)]) : bytes;
    });
    const header: Header = { format: FORMAT, terms: this.termNames, slots, postings: postingSlots.length, termRefs: termRefs.length };
    return { header: JSON.stringify(header), data: Buffer.concat(parts) };
  }

  get documentCount(): number {
    return this.count;
  }

  private get slotCount(): number {
    return this.lengths.length;
  }

  private postingsOf(id: number): { slots: ArrayLike<number>; tfs: ArrayLike<number> } {
    const own = this.postings[id];
    if (own) return own;
    const f = this.frozen!;
    const from = f.postingStart[id];
    const to = f.postingStart[id + 1];
    return { slots: f.postingSlots.subarray(from, to), tfs: f.postingTfs.subarray(from, to) };
  }

  /** A term's postings as growable arrays (copied out of the loaded form on first change). */
  private mutablePostings(id: number): Postings {
    let own = this.postings[id];
    if (!own) {
      const loaded = this.postingsOf(id);
      own = { slots: Array.from(loaded.slots), tfs: Array.from(loaded.tfs) };
      this.postings[id] = own;
    }
    return own;
  }

  private termIdsOf(slot: number): ArrayLike<number> | null {
    const own = this.chunkTerms[slot];
    if (own !== undefined) return own;
    const f = this.frozen;
    if (!f || slot >= f.live.length || !f.live[slot]) return null;
    return f.termRefs.subarray(f.termStart[slot], f.termStart[slot + 1]);
  }

  private lengthOf(slot: number): number {
    return this.lengths[slot] ?? 0;
  }

  add(slot: number, chunk: Chunk): void {
    if (this.termIdsOf(slot)) this.removeSlot(slot);
    const frequencies = new Map<string, number>();
    const count = (text: string, weight: number) => {
      for (const term of terms(text)) frequencies.set(term, (frequencies.get(term) ?? 0) + weight);
    };
    count(chunk.text, 1);
    count(searchTitleOf(chunk), TITLE_WEIGHT);
    count(dateWords(chunk.publishedOn), DATE_WEIGHT);
    let length = 0;
    const ids: number[] = [];
    for (const [term, tf] of frequencies) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termNames.length;
        this.termIds.set(term, id);
        this.termNames.push(term);
        this.postings.push({ slots: [], tfs: [] });
        this.sortedTerms = null;
      }
      const p = this.mutablePostings(id);
      p.slots.push(slot);
      p.tfs.push(tf);
      ids.push(id);
      length += tf;
    }
    while (this.lengths.length <= slot) {
      this.lengths.push(0);
      this.chunkTerms.push(null);
    }
    this.lengths[slot] = length;
    this.chunkTerms[slot] = ids;
    this.count++;
    this.totalLength += length;
  }

  /** Removes a chunk; the chunk argument is not needed any more but kept for symmetry with `add`. */
  remove(slot: number, _chunk?: Chunk): void {
    this.removeSlot(slot);
  }

  private removeSlot(slot: number): void {
    const ids = this.termIdsOf(slot);
    if (!ids) return;
    for (let i = 0; i < ids.length; i++) {
      const p = this.mutablePostings(ids[i]);
      const at = p.slots.indexOf(slot);
      const last = p.slots.length - 1;
      p.slots[at] = p.slots[last];
      p.tfs[at] = p.tfs[last];
      p.slots.pop();
      p.tfs.pop();
    }
    this.count--;
    this.totalLength -= this.lengths[slot];
    this.lengths[slot] = 0;
    this.chunkTerms[slot] = null;
  }

  /** Inverse document frequency of a normalised term (rare terms weigh more). */
  idf(term: string): number {
    const n = Math.max(1, this.count);
    const df = this.documentFrequency(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Number of chunks containing a normalised term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postingsOf(id).slots.length;
  }

  /** Whether any of the slots contains the normalised term. */
  slotsContain(slots: readonly number[], term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined) return false;
    return slots.some((slot) => Array.prototype.includes.call(this.termIdsOf(slot) ?? [], id));
  }

  /** The distinct normalised terms of the given slots. */
  termsOf(slots: readonly number[]): Set<string> {
    const out = new Set<string>();
    for (const slot of slots) {
      const ids = this.termIdsOf(slot);
      if (ids) for (let i = 0; i < ids.length; i++) out.add(this.termNames[ids[i]]);
    }
    return out;
  }

  /** Every indexed term (for typo-tolerant look-ups of question words). */
  vocabulary(): readonly string[] {
    return this.termNames;
  }

  /** Indexed terms that start with `prefix` (for names: "tajik" → "tajikistan"). */
  termsStartingWith(prefix: string): string[] {
    this.sortedTerms ??= [...this.termNames].sort();
    const sorted = this.sortedTerms;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
    return out;
  }

  /**
   * Best `k` chunks for the query terms (OR semantics), BM25 score, best first.
   * `expansion` terms (glossary aliases) count with `expansionWeight` (default 0.4).
   */
  query(text: string, k: number, options: { expansion?: readonly string[]; expansionWeight?: number; translations?: readonly string[]; translationWeight?: number } = {}): LexicalHit[] {
    const weights = new Map<string, number>();
    for (const term of terms(text)) weights.set(term, 1);
    // The question's words in the other language (already index terms), by default weighed as its own words.
    for (const term of options.translations ?? []) if (!weights.has(term)) weights.set(term, options.translationWeight ?? 1);
    for (const term of options.expansion ?? []) if (!weights.has(term)) weights.set(term, options.expansionWeight ?? 0.4);
    if (this.scores.length < this.slotCount) this.scores = new Float64Array(Math.max(this.slotCount, this.scores.length * 2));
    const scores = this.scores;
    const lengths = this.lengths;
    const touched: number[] = [];
    const avgLength = this.totalLength / Math.max(1, this.count) || 1;
    for (const [term, weight] of weights) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const { slots, tfs } = this.postingsOf(id);
      const idf = weight * this.idf(term);
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i];
        const tf = tfs[i];
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[slot]) / avgLength));
      }
    }
    const hits = topK(touched, scores, k);
    for (const slot of touched) scores[slot] = 0;
    return hits;
  }
}

/** The k best slots by score, best first (ties by slot), without sorting everything. */
function topK(slots: readonly number[], scores: Float64Array, k: number): LexicalHit[] {
  const best: LexicalHit[] = [];
  let floor = -Infinity;
  for (const slot of slots) {
    const score = scores[slot];
    if (best.length >= k && score <= floor) continue;
    best.push({ slot, score });
    if (best.length > k * 2) {
      best.sort((a, b) => b.score - a.score || a.slot - b.slot);
      best.length = k;
      floor = best[k - 1].score;
    }
  }
  best.sort((a, b) => b.score - a.score || a.slot - b.slot);
  if (best.length > k) best.length = k;
  return best;
}
