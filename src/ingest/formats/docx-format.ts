/**
 * Word documents (.docx): the body through mammoth (as HTML, so headings and paragraphs
 * keep their shape), and the core properties from the package's `docProps/core.xml`
 * (`dc:title`, `dcterms:created`), which mammoth does not expose, read with JSZip
 * (the zip reader mammoth itself uses). The title falls back to the first heading. The
 * libraries load on the first Word document: most corpora have none.
 */
import { leadingIsoDate } from "../../dates.ts";
import type { NewsDocument } from "../../domain.ts";
import { CorpusFileError } from "../corpus-problem.ts";
import type { CorpusFileBytes, DocumentFormat } from "../document-format.ts";
import { type DocumentMetadata, parseDocument } from "../parse-document.ts";
import { htmlText } from "./html-text.ts";

/** The text of a core-properties element, whatever its namespace prefix. */
function coreProperty(xml: string, name: string): string | null {
  const match = new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*>([^<]*)</(?:[\\w-]+:)?${name}>`).exec(xml);
  const value = match?.[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&").trim();
  return value || null;
}

/** Title and creation date from `docProps/core.xml`, when the package has one. */
export async function docxCoreProperties(bytes: Uint8Array): Promise<DocumentMetadata> {
  const { default: JSZip } = await import("jszip");
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("docProps/core.xml")?.async("string");
  if (!xml) return {};
  const created = coreProperty(xml, "created");
  return { title: coreProperty(xml, "title"), publishedOn: created ? leadingIsoDate(created) : null };
}

export const docxFormat: DocumentFormat = {
  name: "Word document",
  extensions: [".docx"],
  async parse({ docId, bytes, contentHash }: CorpusFileBytes): Promise<NewsDocument> {
    const [{ default: mammoth }, { parseHTML }] = await Promise.all([import("mammoth"), import("linkedom")]);
    let core: DocumentMetadata;
    let html: string;
    try {
      core = await docxCoreProperties(bytes);
      html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    } catch (cause) {
      throw new CorpusFileError("unreadable", `is not a readable Word document (${(cause as Error).message}); skipped`, { cause });
    }
    const { body } = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
    const heading = body.querySelector("h1, h2, h3")?.textContent?.replace(/\s+/g, " ").trim() || null;
    return parseDocument({ docId, raw: htmlText(body), contentHash, metadata: { ...core, title: core.title ?? heading } });
  },
};
