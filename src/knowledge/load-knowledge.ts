/**
 * Reads knowledge files: the built-in `default-entities.yml`, an operator's
 * `CORPUS_DIR/entities.yml`, and the legacy `CORPUS_DIR/aliases.yml` (a list of lists of
 * names). Every problem is a KnowledgeError naming the file and line.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from "yaml";
import { AppError } from "../errors.ts";
import { Glossary, type GlossaryEntry } from "./glossary.ts";
import { KnowledgeBase, normalizeName, type Entity, type EntityKind, type RoleDefinition, type RoleSpan } from "./knowledge-base.ts";

/** A knowledge file that cannot be read or does not validate; the message starts with `file:line:`. */
export class KnowledgeError extends AppError {
  constructor(message: string, options: { userMessage?: string; cause?: unknown } = {}) {
    super("KNOWLEDGE", message, options);
  }
}

const ENTITY_KINDS: readonly EntityKind[] = ["person", "country", "city", "region", "organisation", "topic"];
type EntryKind = EntityKind | "role";
const ALLOWED_KEYS: Record<EntryKind, readonly string[]> = {
  person: ["id", "kind", "name", "aliases", "country", "roles"],
  country: ["id", "kind", "name", "aliases", "demonyms", "capital"],
  city: ["id", "kind", "name", "aliases", "country"],
  region: ["id", "kind", "name", "aliases", "demonyms", "country", "capital", "countries"],
  organisation: ["id", "kind", "name", "aliases", "country"],
  topic: ["id", "kind", "name", "aliases"],
  role: ["id", "kind", "name", "phrases"],
};
const ALL_KEYS = new Set(Object.values(ALLOWED_KEYS).flat());
const SPAN_KEYS = ["role", "of", "from", "to"];
const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** What each reference may point at. */
const REFERENCE_KINDS: Record<"country" | "capital" | "of", readonly EntityKind[]> = {
  country: ["country"],
  capital: ["city"],
  of: ["country", "organisation", "region"],
};

/** Where a value came from, for error messages. */
interface Place {
  file: string;
  lines: LineCounter;
}

function fail(place: Place, node: Node | Pair | null | undefined, message: string): never {
  const line = lineOf(place, node);
  throw new KnowledgeError(`${place.file}:${line}: ${message}`, { userMessage: `${path.basename(place.file)}:${line}: ${message}` });
}

function lineOf(place: Place, node: Node | Pair | null | undefined): number {
  const range = !node ? undefined : isPair(node) ? (node.key as Node | null)?.range : node.range;
  return range ? place.lines.linePos(range[0]).line : 1;
}

/**
 * Parses and validates one knowledge file (a YAML list of entries). References, roles and
 * extensions of existing ids resolve against `base` (the built-in knowledge for an
 * operator file) plus the file itself; the result holds only this file's entries, to be
 * merged into `base`. `source` (default `file`) is recorded on new entities.
 */
export function parseKnowledge(yamlText: string, options: { file: string; base?: KnowledgeBase; source?: string }): KnowledgeBase {
  const place: Place = { file: options.file, lines: new LineCounter() };
  const source = options.source ?? options.file;
  const base = options.base ?? new KnowledgeBase([], []);
  const items = parseList(yamlText, place, "a list of entries, e.g. \"- { id: kyrgyzstan, kind: country, name: Kyrgyzstan }\"");

  // First pass: ids and kinds, so that entries may refer to ones further down the file.
  const baseRoles = new Set(base.roles.map((role) => role.id));
  const kindOf = new Map<string, EntryKind>();
  const entries: { map: YAMLMap; id: string; kind: EntryKind; extends: boolean; label: string }[] = [];
  for (const [index, item] of items.entries()) {
    if (!isMap(item)) fail(place, item, `entry ${index + 1} must be a mapping with id, kind and name`);
    const idNode = valueNode(item, "id");
    if (idNode === undefined) fail(place, item, `entry ${index + 1} has no id`);
    const id = scalarText(idNode);
    if (id === null || !ID_PATTERN.test(id)) fail(place, idNode, `entry ${index + 1}: id must be kebab-case (like "sadyr-japarov"), got ${describe(idNode)}`);
    const baseKind: EntryKind | undefined = base.byId(id)?.kind ?? (baseRoles.has(id) ? "role" : undefined);
    const kindNode = valueNode(item, "kind");
    let kind: EntryKind;
    if (kindNode === undefined) {
      if (baseKind === undefined) fail(place, item, `entry "${id}" has no kind (one of ${[...ENTITY_KINDS, "role"].join(", ")})`);
      kind = baseKind;
    } else {
      const text = scalarText(kindNode);
      if (text === null || !(ENTITY_KINDS as readonly string[]).concat("role").includes(text)) {
        fail(place, kindNode, `entry "${id}": kind ${describe(kindNode)} is not one of ${[...ENTITY_KINDS, "role"].join(", ")}`);
      }
      kind = text as EntryKind;
      if (baseKind !== undefined && baseKind !== kind) fail(place, kindNode, `${kind} "${id}": the built-in "${id}" is a ${baseKind}; use another id`);
    }
    const label = `${kind} "${id}"`;
    if (kindOf.has(id)) fail(place, idNode, `${label}: duplicate id (already defined above in this file)`);
    kindOf.set(id, kind);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null || !ALL_KEYS.has(key)) fail(place, pair, `${label}: unknown key ${describe(pair.key as Node)} (allowed: ${ALLOWED_KEYS[kind].join(", ")})`);
      if (!ALLOWED_KEYS[kind].includes(key)) fail(place, pair, `${label}: "${key}" is not used for a ${kind} (allowed: ${ALLOWED_KEYS[kind].join(", ")})`);
    }
    entries.push({ map: item, id, kind, extends: baseKind !== undefined, label });
  }

  const kindOfId = (id: string): EntryKind | undefined => kindOf.get(id) ?? base.byId(id)?.kind ?? (baseRoles.has(id) ? "role" : undefined);
  const knownRoles = [...new Set([...baseRoles, ...entries.filter((e) => e.kind === "role").map((e) => e.id)])];

  // Second pass: values and references.
  const entities: Entity[] = [];
  const roles: RoleDefinition[] = [];
  for (const { map, id, kind, extends: isExtension, label } of entries) {
    const nameNode = valueNode(map, "name");
    let name = "";
    if (nameNode !== undefined) {
      const text = scalarText(nameNode);
      if (text === null || text.trim() === "") fail(place, nameNode, `${label}: name must be text, got ${describe(nameNode)}`);
      name = text.trim();
    } else if (!isExtension && kind !== "role") {
      fail(place, map, `${label} has no name`);
    }
    if (kind === "role") {
      roles.push({ id, phrases: stringList(place, map, "phrases", label) });
      continue;
    }
    const reference = (key: "country" | "capital"): string | null => {
      const node = valueNode(map, key);
      if (node === undefined || (isScalar(node) && node.value === null)) return null;
      return checkReference(place, node, key, label, kindOfId);
    };
    entities.push({
      id,
      kind,
      name,
      aliases: stringList(place, map, "aliases", label),
      demonyms: stringList(place, map, "demonyms", label),
      capital: reference("capital"),
      country: reference("country"),
      ...(valueNode(map, "countries") === undefined ? {} : { countries: countryList(place, map, label, kindOfId) }),
      roles: roleSpans(place, map, label, knownRoles, kindOfId),
      source,
    });
  }
  const files = source === "built-in" ? [] : [{ file: options.file, entries: entries.length }];
  return new KnowledgeBase(entities, roles, { files });
}

function parseList(yamlText: string, place: Place, expected: string): Node[] {
  const doc = parseDocument(yamlText, { lineCounter: place.lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    // An unclosed quote or bracket is reported at the end of input: name the last line with text instead.
    const lastLine = yamlText.trimEnd().split("\n").length;
    const line = Math.min(place.lines.linePos(error.pos[0]).line, lastLine);
    const message = `not valid YAML: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
    throw new KnowledgeError(`${place.file}:${line}: ${message}`, { userMessage: `${path.basename(place.file)}:${line}: ${message}`, cause: error });
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return [];
  if (!isSeq(contents)) fail(place, contents, `the file must be ${expected}`);
  return contents.items as Node[];
}

function valueNode(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair) return undefined;
  if (pair.value !== null) return pair.value as Node;
  // `key:` with nothing after it: a null scalar positioned at the key, read as absent.
  const blank = new Scalar(null);
  blank.range = (pair.key as Node).range;
  return blank;
}

function scalarText(node: Node): string | null {
  if (!isScalar(node)) return null;
  return typeof node.value === "string" ? node.value : null;
}

function describe(node: Node | null | undefined): string {
  if (!node) return "nothing";
  if (isScalar(node)) return node.value === null ? "nothing" : JSON.stringify(node.value);
  return isSeq(node) ? "a list" : isMap(node) ? "a mapping" : "a value";
}

function stringList(place: Place, map: YAMLMap, key: string, label: string): string[] {
  const node = valueNode(map, key);
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) fail(place, node, `${label}: ${key} must be a list of names, e.g. ${key}: [A, B]`);
  const result: string[] = [];
  for (const item of node.items as Node[]) {
    const text = scalarText(item);
    if (text === null || text.trim() === "") fail(place, item, `${label}: ${key} must be strings; ${describe(item)} is not (quote it)`);
    result.push(text.trim());
  }
  return result;
}

function checkReference(place: Place, node: Node, key: "country" | "capital" | "of", label: string, kindOfId: (id: string) => EntryKind | undefined): string {
  const id = scalarText(node);
  const wanted = REFERENCE_KINDS[key];
  if (id === null) fail(place, node, `${label}: ${key} must be the id of a ${wanted.join(" or ")}, got ${describe(node)}`);
  const kind = kindOfId(id);
  if (kind === undefined) fail(place, node, `${label}: ${key} "${id}" is not a known id (define it with kind: ${wanted[0]})`);
  if (!(wanted as readonly string[]).includes(kind)) fail(place, node, `${label}: ${key} "${id}" is a ${kind}, not a ${wanted.join(" or ")}`);
  return id;
}

/** A region's `countries`: a list of country ids ("Central Asia": Kazakhstan, Kyrgyzstan, …). */
function countryList(place: Place, map: YAMLMap, label: string, kindOfId: (id: string) => EntryKind | undefined): string[] {
  const node = valueNode(map, "countries")!;
  if (isScalar(node) && node.value === null) return [];
  if (!isSeq(node)) fail(place, node, `${label}: countries must be a list of country ids like [kazakhstan, kyrgyzstan]`);
  return (node.items as Node[]).map((item) => checkReference(place, item, "country", label, kindOfId));
}

function roleSpans(place: Place, map: YAMLMap, label: string, knownRoles: readonly string[], kindOfId: (id: string) => EntryKind | undefined): RoleSpan[] {
  const node = valueNode(map, "roles");
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) fail(place, node, `${label}: roles must be a list like "- { role: head-of-state, of: kyrgyzstan, from: 2021-01-28 }"`);
  const spans: RoleSpan[] = [];
  for (const item of node.items as Node[]) {
    if (!isMap(item)) fail(place, item, `${label}: each role must be a mapping like { role: head-of-state, of: kyrgyzstan, from: 2021-01-28 }`);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!SPAN_KEYS.includes(key)) fail(place, pair, `${label}: unknown key ${describe(pair.key as Node)} in a role (allowed: ${SPAN_KEYS.join(", ")})`);
    }
    const roleNode = valueNode(item, "role");
    if (roleNode === undefined) fail(place, item, `${label}: a role has no "role" (one of ${knownRoles.join(", ")})`);
    const role = scalarText(roleNode);
    if (role === null || !knownRoles.includes(role)) fail(place, roleNode, `${label}: role ${describe(roleNode)} is not a known role (known: ${knownRoles.join(", ")})`);
    const ofNode = valueNode(item, "of");
    if (ofNode === undefined) fail(place, item, `${label}: role "${role}" has no "of" (the country or organisation id)`);
    const of = checkReference(place, ofNode, "of", label, kindOfId);
    const from = spanDate(place, valueNode(item, "from"), "from", label);
    const to = spanDate(place, valueNode(item, "to"), "to", label);
    if (from !== null && to !== null && from > to) fail(place, item, `${label}: role "${role}" of "${of}" runs from ${from} to ${to}, which ends before it starts`);
    spans.push({ role, of, from, to });
  }
  return spans;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a full date: the first day of the period for `from`, the last for `to`. */
function spanDate(place: Place, node: Node | undefined, key: "from" | "to", label: string): string | null {
  if (node === undefined || (isScalar(node) && node.value === null)) return null;
  const raw = isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") ? String(node.value).trim() : null;
  const match = raw === null ? null : /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(raw);
  const bad = () => fail(place, node, `${label}: ${key} ${describe(node)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)`);
  if (!match) return bad();
  const [, year, month, day] = match;
  const monthNumber = month === undefined ? (key === "from" ? 1 : 12) : Number(month);
  if (monthNumber < 1 || monthNumber > 12) return bad();
  const lastDay = new Date(Date.UTC(Number(year), monthNumber, 0)).getUTCDate();
  const dayNumber = day === undefined ? (key === "from" ? 1 : lastDay) : Number(day);
  if (dayNumber < 1 || dayNumber > lastDay) return bad();
  return `${year}-${String(monthNumber).padStart(2, "0")}-${String(dayNumber).padStart(2, "0")}`;
}

/**
 * The legacy `aliases.yml`: a YAML list of lists of names. A group naming a known entity
 * extends it with the group's other names (names of other entities are skipped); any
 * other group becomes a `topic` entity named by its first element.
 */
export function parseLegacyAliases(yamlText: string, options: { file: string; base: KnowledgeBase }): KnowledgeBase {
  const place: Place = { file: options.file, lines: new LineCounter() };
  const groups = parseList(yamlText, place, 'a list of lists of names, e.g. "- [Kyrgyzstan, Kyrgyz Republic]"');
  const entities: Entity[] = [];
  const usedIds = new Set<string>();
  for (const [index, group] of groups.entries()) {
    if (!isSeq(group)) fail(place, group, `group ${index + 1} must be a list of names, e.g. "- [Kyrgyzstan, Kyrgyz Republic]"`);
    const names = (group.items as Node[]).map((item) => {
      const text = scalarText(item);
      if (text === null || text.trim() === "") fail(place, item, `group ${index + 1}: names must be strings; ${describe(item)} is not (quote it)`);
      return text.trim();
    });
    if (names.length === 0) continue;
    const named = (name: string) => options.base.lookup(name).filter((match) => match.via !== "capital").map((match) => match.entity);
    const target = names.map(named).find((matches) => new Set(matches).size === 1)?.[0];
    if (target) {
      const aliases = names.filter((name) => named(name).length === 0);
      entities.push({ ...emptyEntity(target.id, target.kind, options.file), aliases });
      continue;
    }
    const slug = normalizeName(names[0]).replace(/ /g, "-");
    let id = ID_PATTERN.test(slug) ? slug : `alias-group-${index + 1}`;
    for (let n = 2; usedIds.has(id) || options.base.byId(id); n++) id = `${ID_PATTERN.test(slug) ? slug : `alias-group-${index + 1}`}-${n}`;
    usedIds.add(id);
    entities.push({ ...emptyEntity(id, "topic", options.file), name: names[0], aliases: names.slice(1) });
  }
  return new KnowledgeBase(entities, [], { files: [{ file: options.file, entries: groups.length }] });
}

function emptyEntity(id: string, kind: EntityKind, source: string): Entity {
  return { id, kind, name: "", aliases: [], demonyms: [], capital: null, country: null, roles: [], source };
}

/**
 * Parses and validates one glossary file: a YAML list of `{ en: English word or phrase, ru:
 * [Russian words or phrases], also: [other English forms] }` (`also` optional: plurals and
 * synonyms an English question may use). Problems are KnowledgeErrors naming `file:line`.
 */
export function parseGlossary(yamlText: string, options: { file: string; source?: string }): Glossary {
  const place: Place = { file: options.file, lines: new LineCounter() };
  const source = options.source ?? options.file;
  const items = parseList(yamlText, place, 'a list of entries, e.g. "- { en: visit, ru: [визит, посещение] }"');
  const entries: GlossaryEntry[] = [];
  const firstLine = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const label = `entry ${index + 1}`;
    if (!isMap(item)) fail(place, item, `${label} must be a mapping like { en: visit, ru: [визит, посещение] }`);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (key !== "en" && key !== "ru" && key !== "also") fail(place, pair, `${label}: unknown key ${JSON.stringify(key)} (a glossary entry has en, ru and optionally also)`);
    }
    const enNode = valueNode(item, "en");
    const en = enNode === undefined ? null : scalarText(enNode);
    if (en === null || en.trim() === "") fail(place, enNode ?? item, `${label}: en must be an English word or phrase, got ${describe(enNode)}`);
    const ru = stringList(place, item, "ru", `${label} (${en})`);
    if (ru.length === 0) fail(place, item, `${label} (${en}): ru must list at least one Russian word, e.g. ru: [визит]`);
    const ruNode = valueNode(item, "ru");
    for (const [i, word] of ru.entries()) {
      const at = isSeq(ruNode) ? (ruNode.items[i] as Node) : item;
      if (!/\p{Script=Cyrillic}/u.test(word)) fail(place, at, `${label} (${en}): ru holds ${JSON.stringify(word)}, which is not Russian`);
      const form = normalizeName(word);
      const line = lineOf(place, at);
      const earlier = firstLine.get(form);
      if (earlier !== undefined) fail(place, at, `${label} (${en}): ${JSON.stringify(word)} is already in the entry at line ${earlier}`);
      firstLine.set(form, line);
    }
    const also = stringList(place, item, "also", `${label} (${en})`);
    entries.push({ en: en.trim(), ru, source, ...(also.length > 0 ? { alsoEn: also } : {}) });
  }
  return new Glossary(entries);
}

const DEFAULT_FILE = fileURLToPath(new URL("./default-entities.yml", import.meta.url));
const DEFAULT_GLOSSARY_FILE = fileURLToPath(new URL("./default-glossary.yml", import.meta.url));
/** The built-in knowledge already parsed, written beside the compiled code by `npm run build` (writeDefaultKnowledgeSnapshot). */
export const DEFAULT_SNAPSHOT_FILE = fileURLToPath(new URL("./default-knowledge.json", import.meta.url));
let cachedDefault: KnowledgeBase | undefined;

/** The parsed built-in knowledge, with the sha256 of the two files it was parsed from. */
interface KnowledgeSnapshot {
  entitiesSha256: string;
  glossarySha256: string;
  entities: Entity[];
  roles: RoleDefinition[];
  glossary: GlossaryEntry[];
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function parseDefaults(entitiesText: string, glossaryText: string): KnowledgeSnapshot {
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  const entities = parseKnowledge(entitiesText, { file: relative(DEFAULT_FILE), source: "built-in" });
  const glossary = parseGlossary(glossaryText, { file: relative(DEFAULT_GLOSSARY_FILE), source: "built-in" });
  return { entitiesSha256: sha256(entitiesText), glossarySha256: sha256(glossaryText), entities: [...entities.entities], roles: [...entities.roles], glossary: [...glossary.entries] };
}

/** The snapshot when there is one made from exactly these files, else null (then the YAML is parsed). */
function readSnapshot(entitiesText: string, glossaryText: string, file: string): KnowledgeSnapshot | null {
  let snapshot: KnowledgeSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, "utf8")) as KnowledgeSnapshot;
  } catch {
    return null;
  }
  return snapshot.entitiesSha256 === sha256(entitiesText) && snapshot.glossarySha256 === sha256(glossaryText) ? snapshot : null;
}

/**
 * Writes the parsed built-in knowledge to DEFAULT_SNAPSHOT_FILE: parsing and validating
 * the two YAML files cost ~0.4-1 s of every start (a cold YAML parser and ~1,000 entries);
 * reading the JSON costs a few ms. Stale or missing, it is ignored.
 */
export function writeDefaultKnowledgeSnapshot(file: string = DEFAULT_SNAPSHOT_FILE): string {
  writeFileSync(file, JSON.stringify(parseDefaults(readFileSync(DEFAULT_FILE, "utf8"), readFileSync(DEFAULT_GLOSSARY_FILE, "utf8"))));
  return file;
}

/**
 * The built-in knowledge read from a snapshot file when it was made from the present YAML
 * (`fromSnapshot` true), else parsed from the YAML; what `defaultKnowledge` does with
 * DEFAULT_SNAPSHOT_FILE, uncached.
 */
export function readDefaultKnowledge(snapshotFile: string = DEFAULT_SNAPSHOT_FILE): { knowledge: KnowledgeBase; fromSnapshot: boolean } {
  const entitiesText = readFileSync(DEFAULT_FILE, "utf8");
  const glossaryText = readFileSync(DEFAULT_GLOSSARY_FILE, "utf8");
  const snapshot = readSnapshot(entitiesText, glossaryText, snapshotFile);
  const known = snapshot ?? parseDefaults(entitiesText, glossaryText);
  return { knowledge: new KnowledgeBase(known.entities, known.roles, { glossary: new Glossary(known.glossary) }), fromSnapshot: snapshot !== null };
}

/**
 * The built-in knowledge (`src/knowledge/default-entities.yml` and `default-glossary.yml`),
 * parsed and validated once per process, or read from the build's snapshot of exactly those files.
 */
export function defaultKnowledge(): KnowledgeBase {
  cachedDefault ??= readDefaultKnowledge().knowledge;
  return cachedDefault;
}

const ENTITY_FILES = ["entities.yml", "entities.yaml"] as const;
const ALIAS_FILES = ["aliases.yml", "aliases.yaml"] as const;
const GLOSSARY_FILES = ["glossary.yml", "glossary.yaml"] as const;
/** Knowledge files at the top of `CORPUS_DIR`: they sit beside the documents but are not documents. */
export const KNOWLEDGE_FILES: readonly string[] = [...ENTITY_FILES, ...ALIAS_FILES, ...GLOSSARY_FILES];

/**
 * The built-in knowledge merged with the operator's `CORPUS_DIR/entities.yml` (or
 * `.yaml`), the legacy `CORPUS_DIR/aliases.yml` (or `.yaml`) and the glossary
 * `CORPUS_DIR/glossary.yml` (or `.yaml`), each when present.
 */
export async function loadKnowledge(corpusDir: string): Promise<KnowledgeBase> {
  let knowledge = defaultKnowledge();
  const entities = await readOptional(corpusDir, ENTITY_FILES);
  if (entities) knowledge = knowledge.merge(parseKnowledge(entities.text, { file: entities.file, base: knowledge }));
  const aliases = await readOptional(corpusDir, ALIAS_FILES);
  if (aliases) knowledge = knowledge.merge(parseLegacyAliases(aliases.text, { file: aliases.file, base: knowledge }));
  const glossary = await readOptional(corpusDir, GLOSSARY_FILES);
  if (glossary) {
    const operator = parseGlossary(glossary.text, { file: glossary.file });
    knowledge = knowledge.merge(new KnowledgeBase([], [], { glossary: operator, files: [{ file: glossary.file, entries: operator.entries.length }] }));
  }
  return knowledge;
}

async function readOptional(dir: string, names: readonly string[]): Promise<{ file: string; text: string } | null> {
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      return { file, text: await readFile(file, "utf8") };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new KnowledgeError(`${file}: cannot be read: ${(cause as Error).message}`, { userMessage: `${name} cannot be read.`, cause });
    }
  }
  return null;
}
