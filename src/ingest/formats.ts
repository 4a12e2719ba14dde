/** The corpus file formats, by extension: one module each under `formats/`, behind the DocumentFormat interface. */
import path from "node:path";
import type { DocumentFormat } from "./document-format.ts";
import { docxFormat } from "./formats/docx-format.ts";
import { htmlFormat } from "./formats/html-format.ts";
import { pdfFormat } from "./formats/pdf-format.ts";
import { textFormat } from "./formats/text-format.ts";

/** Every format the corpus reader knows. */
export const DOCUMENT_FORMATS: readonly DocumentFormat[] = [textFormat, pdfFormat, docxFormat, htmlFormat];

const byExtension = new Map(DOCUMENT_FORMATS.flatMap((format) => format.extensions.map((extension) => [extension, format] as const)));

/** The format of a file, by its extension (case-insensitive), or null when it is not a supported type. */
export function formatFor(file: string): DocumentFormat | null {
  return byExtension.get(path.extname(file).toLowerCase()) ?? null;
}
