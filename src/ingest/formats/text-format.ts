/** Plain text and Markdown: the bytes decoded (any encoding decodeText finds), then the shared text parser. */
import type { NewsDocument } from "../../domain.ts";
import { decodeText } from "../decode-text.ts";
import type { CorpusFileBytes, DocumentFormat } from "../document-format.ts";
import { parseDocument } from "../parse-document.ts";

export const textFormat: DocumentFormat = {
  name: "text",
  extensions: [".txt", ".md", ".markdown"],
  async parse({ docId, bytes, contentHash }: CorpusFileBytes): Promise<NewsDocument> {
    return parseDocument({ docId, raw: decodeText(bytes).text, contentHash });
  },
};
