/**
 * Writes small, valid PDF files by hand for the ingest tests: one page per entry, text
 * in Helvetica (a text layer), or a grey image and no text (as a scan looks), with an
 * Info dictionary and a correct cross-reference table.
 */

export interface PdfOptions {
  /** Lines of text per page; an empty page list or `null` lines give an image-only page. */
  pages: (string[] | null)[];
  title?: string;
  /** Written as the Info dictionary's CreationDate, e.g. `D:20250903101500+06'00'`. */
  creationDate?: string;
}

/** Escapes a PDF literal string. */
function literal(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** A PDF 1.4 file with the given pages; every byte offset in its xref is exact. */
export function makePdf(options: PdfOptions): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 0; // object number = index + 1
  const pageCount = options.pages.length;
  // 1: catalog, 2: pages, 3: font, 4: image; then per page: page and contents.
  add("<< /Type /Catalog /Pages 2 0 R >>");
  const kids = options.pages.map((_, i) => `${5 + i * 2} 0 R`).join(" ");
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pageCount} >>`);
  add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const pixels = "80".repeat(16 * 16);
  add(`<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode /Length ${pixels.length + 1} >>\nstream\n${pixels}>\nendstream`);
  for (const [i, lines] of options.pages.entries()) {
    const content = lines && lines.length > 0
      ? `BT /F1 12 Tf 14 TL 72 760 Td ${lines.map((line) => `${literal(line)} Tj T*`).join(" ")} ET`
      : "q 400 0 0 400 100 300 cm /Im1 Do Q";
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents ${6 + i * 2} 0 R >>`);
    add(`<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`);
  }
  const info: string[] = ["/Producer (visits-bot tests)"];
  if (options.title !== undefined) info.push(`/Title ${literal(options.title)}`);
  if (options.creationDate !== undefined) info.push(`/CreationDate ${literal(options.creationDate)}`);
  add(`<< ${info.join(" ")} >>`);

  let out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
