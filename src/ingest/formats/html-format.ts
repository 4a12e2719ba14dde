/**
 * HTML pages: the main text only, through Mozilla's Readability over linkedom, so menus,
 * sidebars and footers stay out. Metadata, read before Readability trims the page:
 * the date from `article:published_time`, JSON-LD `datePublished`, `itemprop=datePublished`,
 * the first `<time datetime>`, or a `date` meta tag, in that order; the title from
 * `og:title`, JSON-LD `headline`, the page title or the first heading; the link from
 * `<link rel=canonical>` or `og:url`; the source name from `og:site_name` or the JSON-LD publisher.
 */
import type { parseHTML as ParseHtml } from "linkedom";
import { leadingIsoDate } from "../../dates.ts";
import type { NewsDocument } from "../../domain.ts";
import { decodeText } from "../decode-text.ts";
import type { CorpusFileBytes, DocumentFormat } from "../document-format.ts";
import { type DocumentMetadata, parseDocument } from "../parse-document.ts";
import { htmlText } from "./html-text.ts";

type HtmlDocument = ReturnType<typeof ParseHtml>["document"];

/** linkedom and Readability load on the first HTML page: most corpora have none, and they take a while to load. */
async function htmlLibraries() {
  const [{ parseHTML }, { Readability }] = await Promise.all([import("linkedom"), import("@mozilla/readability")]);
  return { parseHTML, Readability };
}

/** The encoding a page declares in its first bytes (`<meta charset>` or `http-equiv` content type). */
function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

function meta(document: HtmlDocument, ...keys: string[]): string | null {
  for (const key of keys) {
    const element = document.querySelector(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`);
    const value = element?.getAttribute("content")?.trim();
    if (value) return value;
  }
  return null;
}

/** Every object of the page's JSON-LD blocks, `@graph` members included. */
function jsonLdObjects(document: HtmlDocument): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      objects.push(value as Record<string, unknown>);
      visit((value as Record<string, unknown>)["@graph"]);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ""));
    } catch {
      // A broken JSON-LD block says nothing; the other sources still do.
    }
  }
  return objects;
}

function firstString(objects: Record<string, unknown>[], read: (object: Record<string, unknown>) => unknown): string | null {
  for (const object of objects) {
    const value = read(object);
    if (typeof value === "string" && value.trim()) return value.trim();
  }
  return null;
}

const httpUrl = (value: string | null | undefined) => (value && /^https?:\/\//i.test(value.trim()) ? value.trim() : null);

/** Date, title and link from the page's head and markup; call before Readability changes the page. */
export function htmlMetadata(document: HtmlDocument): DocumentMetadata {
  const ld = jsonLdObjects(document);
  const dates = [
    meta(document, "article:published_time"),
    firstString(ld, (object) => object.datePublished),
    document.querySelector("[itemprop=datePublished][datetime]")?.getAttribute("datetime") ?? null,
    document.querySelector("time[datetime]")?.getAttribute("datetime") ?? null,
    meta(document, "date", "pubdate", "publishdate", "DC.date.issued", "dcterms.created"),
  ];
  const heading = document.querySelector("h1")?.textContent?.replace(/\s+/g, " ").trim() || null;
  const publisher = firstString(ld, (object) => (object.publisher as Record<string, unknown> | undefined)?.name);
  return {
    publishedOn: dates.map((value) => (value ? leadingIsoDate(value) : null)).find((day) => day !== null) ?? null,
    title: meta(document, "og:title", "twitter:title") ?? firstString(ld, (object) => object.headline) ?? (document.title?.trim() || heading),
    sourceUrl: httpUrl(document.querySelector('link[rel="canonical"]')?.getAttribute("href")) ?? httpUrl(meta(document, "og:url")),
    sourceName: meta(document, "og:site_name") ?? publisher,
  };
}

/** The page's main text: Readability's article, or the body without navigation, header, footer and asides when it finds none. */
function mainText(html: string, { parseHTML, Readability }: Awaited<ReturnType<typeof htmlLibraries>>): string {
  // Readability is written against the browser DOM (linkedom implements what it uses) and changes the page it reads.
  const article = new Readability(parseHTML(html).document as unknown as Document, { charThreshold: 0 }).parse();
  if (article?.content) {
    const text = htmlText(parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body);
    if (text) return text;
  }
  const { body } = parseHTML(html).document;
  for (const element of body.querySelectorAll("nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]")) element.remove();
  return htmlText(body);
}

export const htmlFormat: DocumentFormat = {
  name: "HTML page",
  extensions: [".html", ".htm", ".xhtml"],
  async parse({ docId, bytes, contentHash }: CorpusFileBytes): Promise<NewsDocument> {
    const libraries = await htmlLibraries();
    const html = decodeText(bytes, { declared: declaredCharset(bytes) }).text;
    const metadata = htmlMetadata(libraries.parseHTML(html).document);
    return parseDocument({ docId, raw: mainText(html, libraries), contentHash, metadata });
  },
};
