/**
 * PDF files through unpdf (Mozilla's PDF.js for servers), loaded only when a PDF is
 * present. The text layer, page by page; the title and creation date from the info
 * dictionary (`/Title`, `/CreationDate` as `D:YYYYMMDD…`, the day as written). A PDF
 * without a text layer (a scan) is reported as such: it would need OCR.
 */
import type { NewsDocument } from "../../domain.ts";
import { isValidIsoDate } from "../../dates.ts";
import { CorpusFileError } from "../corpus-problem.ts";
import type { CorpusFileBytes, DocumentFormat } from "../document-format.ts";
import { parseDocument } from "../parse-document.ts";

/** `D:20250903101500+06'00'` (or a bare `20250903`) → `2025-09-03`. */
export function pdfDate(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const match = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  const day = match ? `${match[1]}-${match[2]}-${match[3]}` : null;
  return day && isValidIsoDate(day) ? day : null;
}

export const pdfFormat: DocumentFormat = {
  name: "PDF",
  extensions: [".pdf"],
  async parse({ docId, bytes, contentHash }: CorpusFileBytes): Promise<NewsDocument> {
    const { getDocumentProxy, getMeta, extractText } = await import("unpdf");
    let pages: string[];
    let info: Record<string, unknown>;
    try {
      // PDF.js takes ownership of the array it is given: hand it a copy.
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        info = (await getMeta(pdf)).info as Record<string, unknown>;
        pages = (await extractText(pdf, { mergePages: false })).text;
      } finally {
        await pdf.loadingTask.destroy();
      }
    } catch (cause) {
      const reason = (cause as Error).name === "PasswordException" ? "is password-protected" : `is not a readable PDF (${(cause as Error).message})`;
      throw new CorpusFileError("unreadable", `${reason}; skipped`, { cause });
    }
    const text = pages.map((page) => page.trim()).filter(Boolean).join("\n\n");
    if (!text) {
      throw new CorpusFileError("no-text-layer", `has no text layer (${pages.length} page${pages.length === 1 ? "" : "s"} of images, as a scan is; it would need OCR); skipped`);
    }
    const title = typeof info.Title === "string" ? info.Title : null;
    return parseDocument({ docId, raw: text, contentHash, metadata: { title, publishedOn: pdfDate(info.CreationDate) } });
  },
};
