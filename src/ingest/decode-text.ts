/**
 * Decodes the bytes of a text file (or an HTML page) to a string. A byte-order mark
 * decides (UTF-8, UTF-16 LE/BE); else strictly valid UTF-8 is UTF-8; else the encoding
 * chardet finds (Windows-1251, KOI8-R, Latin-1, …) is decoded with iconv-lite. Much
 * Russian-language news is saved as Windows-1251. Throws CorpusFileError ("binary" or
 * "undecodable") when the bytes are not text in any encoding found.
 */
import { createRequire } from "node:module";
import type Chardet from "chardet";
import type Iconv from "iconv-lite";
import { CorpusFileError } from "./corpus-problem.ts";

// Loaded on the first file that needs them (most corpora are UTF-8), synchronously: decoding is.
const require = createRequire(import.meta.url);
let codecs: { chardet: typeof Chardet; iconv: typeof Iconv } | undefined;
const loadCodecs = () => (codecs ??= { chardet: require("chardet") as typeof Chardet, iconv: require("iconv-lite") as typeof Iconv });

export interface DecodedText {
  text: string;
  /** The encoding used, as iconv-lite names it (`utf8`, `windows-1251`, …). */
  encoding: string;
}

/** chardet's confidence (0–100) below which a guess is not trusted. */
const MIN_CONFIDENCE = 10;
/** Bytes chardet looks at: enough for a confident guess, cheap on large files. */
const SAMPLE_BYTES = 64 * 1024;

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf8" },
  { bytes: [0xff, 0xfe], encoding: "utf16le" },
  { bytes: [0xfe, 0xff], encoding: "utf16be" },
];

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Share of characters that no text has: C0 controls other than tab, newlines and form feed, and C1 controls. */
function controlShare(text: string): number {
  const sample = text.slice(0, SAMPLE_BYTES);
  const controls = sample.match(/[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFD]/g)?.length ?? 0;
  return sample.length === 0 ? 0 : controls / sample.length;
}

export interface DecodeOptions {
  /** An encoding the file declares (an HTML `<meta charset>`); used when iconv-lite knows it and no BOM says otherwise. */
  declared?: string | null;
}

/** Decodes `bytes`; see the module comment for the order. The BOM is not part of the text. */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const bom of BOMS) {
    if (bom.bytes.every((byte, i) => buffer[i] === byte)) {
      const body = buffer.subarray(bom.bytes.length);
      return { text: bom.encoding === "utf8" ? body.toString("utf8") : loadCodecs().iconv.decode(body, bom.encoding, { stripBOM: false }), encoding: bom.encoding };
    }
  }
  const declared = options.declared?.trim().toLowerCase();
  if (declared && !/^utf-?8$/.test(declared) && loadCodecs().iconv.encodingExists(declared)) {
    return { text: loadCodecs().iconv.decode(buffer, declared), encoding: declared };
  }
  if (buffer.subarray(0, SAMPLE_BYTES).includes(0)) throw new CorpusFileError("binary", "is not a text file; skipped");
  try {
    return { text: strictUtf8.decode(buffer), encoding: "utf8" };
  } catch {
    // Not UTF-8: find out what it is.
  }
  const { chardet, iconv } = loadCodecs();
  const guesses = chardet.analyse(buffer.subarray(0, SAMPLE_BYTES)).filter((guess) => guess.confidence >= MIN_CONFIDENCE && iconv.encodingExists(guess.name));
  for (const guess of guesses) {
    const text = iconv.decode(buffer, guess.name);
    if (controlShare(text) < 0.005) return { text, encoding: guess.name.toLowerCase() };
  }
  throw new CorpusFileError("undecodable", "is neither UTF-8 nor text in an encoding that could be recognised (such as Windows-1251, KOI8-R or Latin-1); skipped");
}
