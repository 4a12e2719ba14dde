/**
 * What can go wrong with one corpus file. Every skip carries the file's name and a
 * message that completes the sentence "FILE …", so `npm run embed` can print it as it is.
 */

export type CorpusProblemKind =
  | "unreadable"
  | "empty"
  | "binary"
  | "undecodable"
  | "undated"
  | "duplicate-id"
  | "unsupported"
  | "not-a-file"
  | "outside-corpus"
  | "too-large"
  | "no-text-layer";

export interface CorpusProblem {
  /** Path relative to the corpus directory. */
  file: string;
  kind: CorpusProblemKind;
  message: string;
}

/** Thrown while reading or parsing one file when it cannot become a document; the loader turns it into a CorpusProblem. */
export class CorpusFileError extends Error {
  constructor(
    readonly kind: CorpusProblemKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "CorpusFileError";
  }
}
