/** The order of `/timeline` (bot and terminal chat): pure, over the listed sources. */
import type { SourceEntry } from "./answerer.ts";

/** The dated documents oldest first (ties keep their order); undated ones are left out. */
export function timelineOf(sources: readonly SourceEntry[]): SourceEntry[] {
  return sources
    .filter((s) => s.publishedOn !== null)
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.publishedOn! < b.s.publishedOn! ? -1 : a.s.publishedOn! > b.s.publishedOn! ? 1 : a.i - b.i))
    .map(({ s }) => s);
}
