/**
 * The one interface every corpus file format implements: bytes in, a NewsDocument out.
 * A format throws CorpusFileError when the file cannot become a document (no text
 * layer, not decodable, corrupt); the loader reports it by name and goes on.
 */
import type { NewsDocument } from "../domain.ts";

/** One corpus file, read. */
export interface CorpusFileBytes {
  /** Path relative to the corpus directory, `/`-separated. */
  file: string;
  docId: string;
  bytes: Buffer;
  /** sha256 of `bytes`. */
  contentHash: string;
}

export interface DocumentFormat {
  /** For messages: "PDF", "Word document". */
  readonly name: string;
  /** Lower-case file extensions with the dot: `.pdf`. */
  readonly extensions: readonly string[];
  parse(file: CorpusFileBytes): Promise<NewsDocument>;
}
