/**
 * A glossary of names that mean the same thing (titles ↔ names, capitals ↔ countries,
 * demonyms, abbreviations). Used to expand keyword queries and to decide whether a
 * document mentions what a question names. Built-in groups cover the region; an
 * operator extends them with `aliases.yml` in the corpus folder:
 *
 *   - [Kyrgyzstan, Kyrgyz Republic, Kyrgyz, Kirghizia]
 *   - [Sadyr Japarov, Japarov, Zhaparov]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { AppError } from "../errors.ts";
import { terms } from "../text/terms.ts";

/** Names of one and the same thing: a question naming one is answered by a document naming another. */
export const DEFAULT_ALIAS_GROUPS: readonly (readonly string[])[] = [
  ["China", "Chinese", "PRC", "People's Republic of China"],
  ["Kyrgyzstan", "Kyrgyz", "Kyrgyz Republic", "Kirghizia"],
  ["Kazakhstan", "Kazakh"],
  ["Uzbekistan", "Uzbek"],
  ["Tajikistan", "Tajik"],
  ["Turkmenistan", "Turkmen"],
  ["Russia", "Russian", "Russian Federation"],
  ["Turkey", "Türkiye", "Turkish"],
  ["United States", "USA", "US", "American"],
  ["United Nations", "UN"],
  ["Security Council", "UNSC"],
  ["Shanghai Cooperation Organization", "Shanghai Cooperation Organisation", "SCO"],
  ["Belt and Road Initiative", "BRI", "Belt and Road"],
  ["World War II", "WWII", "Second World War"],
  ["Xinjiang", "Xinjiang Uygur Autonomous Region", "Urumqi"],
  ["Xi Jinping", "Xi", "Chinese President", "Chinese leader", "President of China"],
  ["Sadyr Japarov", "Japarov", "Zhaparov", "Kyrgyz President", "President of Kyrgyzstan"],
  ["Wang Yi", "Chinese Foreign Minister", "China's top diplomat"],
  ["COVID-19", "COVID", "coronavirus", "pandemic"],
  ["Soviet", "USSR", "Soviet Union"],
];

/**
 * Related names (capitals and their countries): they widen keyword search, but a
 * question about Bishkek is not answered by any document that mentions Kyrgyzstan.
 */
export const DEFAULT_RELATED_GROUPS: readonly (readonly string[])[] = [
  ["Beijing", "China"],
  ["Bishkek", "Kyrgyzstan"],
  ["Astana", "Nur-Sultan", "Kazakhstan"],
  ["Tashkent", "Uzbekistan"],
  ["Dushanbe", "Tajikistan"],
  ["Ashgabat", "Turkmenistan"],
  ["Moscow", "Kremlin", "Russia"],
  ["Ankara", "Turkey"],
  ["Washington", "United States"],
];

/** Alias groups as term lists: each alias is the list of its terms ("Kyrgyz Republic" → [kyrgyz, republic]). */
export class AliasGlossary {
  private readonly groupsByTerm = new Map<string, string[][]>();
  private readonly relatedByTerm = new Map<string, string[][]>();

  constructor(groups: readonly (readonly string[])[], related: readonly (readonly string[])[] = DEFAULT_RELATED_GROUPS) {
    index(groups, this.groupsByTerm);
    index(related, this.relatedByTerm);
  }

  /** Every alias of a one-word term (including itself), each as its list of terms. */
  aliasesOf(term: string): string[][] {
    return [[term], ...(this.groupsByTerm.get(term) ?? [])];
  }

  /** Single-word aliases and related names of the query's terms, for keyword query expansion. */
  expansionTerms(queryTerms: readonly string[]): string[] {
    const extra = new Set<string>();
    for (const term of queryTerms) {
      const groups = [...(this.groupsByTerm.get(term) ?? []), ...(this.relatedByTerm.get(term) ?? [])];
      for (const alias of groups) if (alias.length === 1 && !queryTerms.includes(alias[0])) extra.add(alias[0]);
    }
    return [...extra];
  }

  /** Related names of a one-word term (a capital's country, a country's capital), each as its list of terms. */
  relatedOf(term: string): string[][] {
    return this.relatedByTerm.get(term) ?? [];
  }
}

function index(groups: readonly (readonly string[])[], into: Map<string, string[][]>): void {
  for (const group of groups) {
    const aliases = group.map((alias) => terms(alias)).filter((t) => t.length > 0);
    for (const alias of aliases) {
      if (alias.length !== 1) continue;
      into.set(alias[0], [...(into.get(alias[0]) ?? []), ...aliases]);
    }
  }
}

/** The built-in glossary plus `aliases.yml` (or `.yaml`) from the corpus folder, when present. */
export async function loadAliases(corpusDir: string): Promise<AliasGlossary> {
  for (const name of ["aliases.yml", "aliases.yaml"]) {
    const file = path.join(corpusDir, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    let groups: unknown;
    try {
      groups = parseYaml(text);
    } catch (cause) {
      throw new AppError("ALIASES", `${file} is not valid YAML: ${(cause as Error).message}`, { cause });
    }
    const valid = Array.isArray(groups) && groups.every((g) => Array.isArray(g) && g.every((a) => typeof a === "string"));
    if (!valid && groups !== null) throw new AppError("ALIASES", `${file} must be a YAML list of lists of names, e.g. "- [Kyrgyzstan, Kyrgyz Republic]".`);
    return new AliasGlossary([...DEFAULT_ALIAS_GROUPS, ...((groups as string[][] | null) ?? [])]);
  }
  return new AliasGlossary(DEFAULT_ALIAS_GROUPS);
}
