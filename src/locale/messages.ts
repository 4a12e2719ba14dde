/**
 * The bot's own words in the user's language (English or Russian): Fluent files under
 * `src/locale/locales/` read by grammY's i18n plugin (`@grammyjs/i18n`), dates written the
 * way each language writes them, and the choice of language for a message. Answers quote
 * the documents as they are; only the words around the quotes come from here.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import { formatLongDate, formatShortDate } from "../dates.ts";

/** The languages the bot speaks; English is the default. */
export type Lang = "en" | "ru";

const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");

let i18n: I18n | undefined;

/** The plugin instance with both locales, loaded once (synchronously: a few small files). */
export function botI18n(): I18n {
  if (!i18n) {
    // No Unicode isolation marks around variables: they would show up in terminals and JSON.
    i18n = new I18n({ defaultLocale: "en", fluentBundleOptions: { useIsolating: false } });
    i18n.loadLocalesDirSync(LOCALES_DIR);
  }
  return i18n;
}

/** One message in `lang`; a key missing in Russian falls back to English. */
export function t(lang: Lang, key: string, variables: Record<string, string | number> = {}): string {
  return botI18n().t(lang, key, variables);
}

const RU_LONG = new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const RU_SHORT = new Intl.DateTimeFormat("ru-RU", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const utc = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

/** "3 September 2025" / "3 сентября 2025 года". */
export function longDate(lang: Lang, isoDate: string): string {
  return lang === "ru" ? RU_LONG.format(utc(isoDate)).replace(/\s*г\.$/u, " года") : formatLongDate(isoDate);
}

/** "3 Sep 2025" / "3 сент. 2025 г.": for source lists. */
export function shortDate(lang: Lang, isoDate: string): string {
  return lang === "ru" ? RU_SHORT.format(utc(isoDate)) : formatShortDate(isoDate);
}

/** "3 September 2025" / "3 сентября 2025 г.": a document's date in confirmations and, in Russian, in lists. */
export function calendarDate(lang: Lang, isoDate: string): string {
  return lang === "ru" ? RU_LONG.format(utc(isoDate)) : formatLongDate(isoDate);
}

/** A date in `/sources` and `/timeline`: "3 Sep 2025" / "3 сентября 2025 г."; null is "undated" / "без даты". */
export function listDate(lang: Lang, isoDate: string | null): string {
  if (isoDate === null) return lang === "en" ? "undated" : t(lang, "undated-source");
  const match = /^\d{4}-(0[1-9]|1[0-2])-\d{2}/.exec(isoDate);
  if (!match) return isoDate;
  return lang === "en" ? formatShortDate(match[0]) : calendarDate(lang, match[0]);
}

/**
 * One message as Telegram HTML: the message's own words escaped, and each of `html`'s variables
 * put in as it is (markup such as `<b>title</b>` or `<code>id</code>`, already escaped by the caller).
 */
export function tHtml(lang: Lang, key: string, variables: Record<string, string | number> = {}, html: Record<string, string> = {}): string {
  const marks = Object.keys(html);
  const placeholders = Object.fromEntries(marks.map((name, i) => [name, `\u0000${i}\u0000`]));
  const text = t(lang, key, { ...variables, ...placeholders });
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return escaped.replace(/\u0000(\d+)\u0000/g, (_, i: string) => html[marks[Number(i)]]);
}

/** The language for a button press: the presser's Telegram `language_code` (the pressed message's own text is the bot's). */
export function languageOfPress(ctx: { from?: { language_code?: string } }): Lang {
  return languageFor({ languageCode: ctx.from?.language_code });
}

/** Telegram `language_code`s answered in Russian: Russian and the languages of its neighbours whose speakers mostly read it. */
const RUSSIAN_READERS = new Set(["ru", "be", "uk", "kk", "ky", "uz", "tg"]);

/**
 * The language to answer a message in: the question's script first (Cyrillic is Russian),
 * then the user's Telegram `language_code`, then English.
 */
export function languageFor(input: { text?: string; languageCode?: string }): Lang {
  const text = input.text ?? "";
  const cyrillic = (text.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  if (cyrillic > latin) return "ru";
  if (latin > 0 && !text.trim().startsWith("/")) return "en";
  const code = input.languageCode?.toLowerCase().split(/[-_]/)[0];
  return code && RUSSIAN_READERS.has(code) ? "ru" : "en";
}

/** The language for a reply to a Telegram update: its message text's script, then the sender's `language_code`. */
export function languageOfUpdate(ctx: { msg?: { text?: string; caption?: string }; from?: { language_code?: string } }): Lang {
  return languageFor({ text: ctx.msg?.text ?? ctx.msg?.caption, languageCode: ctx.from?.language_code });
}
