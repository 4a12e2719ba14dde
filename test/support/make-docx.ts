/**
 * Builds small, valid Word (.docx) packages for the ingest tests with JSZip: headings and
 * paragraphs in `word/document.xml`, and core properties (`dc:title`, `dcterms:created`)
 * in `docProps/core.xml`, as Word writes them.
 */
import JSZip from "jszip";

export interface DocxOptions {
  /** Paragraphs in order; `{ heading }` gives a Heading 1 paragraph. */
  paragraphs: (string | { heading: string })[];
  title?: string;
  /** `dcterms:created`, e.g. `2025-02-04T09:30:00Z`. */
  created?: string;
}

/** A relationships part: each type (after the OOXML namespace) to its target. */
function relationships(targets: Record<string, string>): string {
  const rows = Object.entries(targets).map(([type, target], i) => {
    const namespace = type.startsWith("metadata/") ? "http://schemas.openxmlformats.org/package/2006/relationships" : "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    return `<Relationship Id="rId${i + 1}" Type="${namespace}/${type}" Target="${target}"/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rows.join("")}</Relationships>`;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function makeDocx(options: DocxOptions): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`,
  );
  zip.file("_rels/.rels", relationships({ officeDocument: "word/document.xml", "metadata/core-properties": "docProps/core.xml" }));
  zip.file("word/_rels/document.xml.rels", relationships({ styles: "styles.xml" }));
  zip.file(
    "word/styles.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
</w:styles>`,
  );
  const body = options.paragraphs
    .map((paragraph) =>
      typeof paragraph === "string"
        ? `<w:p><w:r><w:t xml:space="preserve">${escape(paragraph)}</w:t></w:r></w:p>`
        : `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>${escape(paragraph.heading)}</w:t></w:r></w:p>`,
    )
    .join("");
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  const core = [
    options.title === undefined ? "" : `<dc:title>${escape(options.title)}</dc:title>`,
    options.created === undefined ? "" : `<dcterms:created xsi:type="dcterms:W3CDTF">${options.created}</dcterms:created>`,
  ].join("");
  zip.file(
    "docProps/core.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${core}</cp:coreProperties>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
