/**
 * The entity knowledge base in memory: people and their roles over time, countries,
 * capitals, places, organisations and topics, each with the names a text may use for
 * it. Pure data and lookups; reading and validating files is `load-knowledge.ts`.
 */

import { Glossary } from "./glossary.ts";

/** What an entity is; `topic` covers events and subjects (COVID-19, World War II). */
export type EntityKind = "person" | "country" | "city" | "region" | "organisation" | "topic";

/** A role id such as `head-of-state`, defined by a `kind: role` entry. */
export type RoleId = string;

/** One period in a role: dates are `YYYY-MM-DD`, `null` for an unknown start or a role still held. */
export interface RoleSpan {
  role: RoleId;
  /** The country or organisation id the role is of. */
  of: string;
  from: string | null;
  to: string | null;
}

/** One person, country, place, organisation or topic, with every name it goes by. */
export interface Entity {
  id: string;
  kind: EntityKind;
  /** The canonical name, as answers should print it. */
  name: string;
  aliases: string[];
  demonyms: string[];
  /** A country's (or region's) capital city id: its names stand for that government ("Moscow said"). */
  capital: string | null;
  /** The country id a person, place or organisation belongs to. */
  country: string | null;
  /** A region's countries ("Central Asia": Kazakhstan, Kyrgyzstan, …): "a Central Asian minister" is any of theirs. */
  countries?: string[];
  roles: RoleSpan[];
  /** `"built-in"` or the path of the file that first defined the entity. */
  source: string;
}

/** A role and the phrases people use for it ("premier", "prime minister", "глава правительства"). */
export interface RoleDefinition {
  id: RoleId;
  phrases: string[];
}

/** One way a text can name an entity, normalised with normalizeName. */
export interface SurfaceForm {
  form: string;
  entity: Entity;
  via: "name" | "alias" | "demonym" | "capital";
}

/** An operator file merged into a knowledge base, and how many entries (new or extending) it had. */
export interface KnowledgeFile {
  file: string;
  entries: number;
}

const VIA_RANK: Record<SurfaceForm["via"], number> = { name: 0, alias: 1, demonym: 2, capital: 3 };

// Letters NFKD does not decompose, folded as a reader of Latin transliterations would.
const FOLDS: Record<string, string> = { ı: "i", ł: "l", ø: "o", đ: "d", ð: "d", þ: "th", æ: "ae", œ: "oe", ß: "ss" };

/**
 * The form every name is compared in: lower case, diacritics folded (Cyrillic й and ё→е
 * kept as letters), apostrophes and the possessive "'s" dropped, every other run of
 * non-letters and non-digits one space. "Xi'an" → "xian", "China–Kyrgyzstan" → "china kyrgyzstan".
 */
export function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’ʼ‘`´]s(?![\p{L}\p{N}])/gu, "")
    .replace(/['’ʼ‘`´]/gu, "")
    .normalize("NFKD")
    .replace(/\u0438\u0306/g, "й")
    .replace(/\p{M}/gu, "")
    .replace(/[ıłøđðþæœß]/g, (letter) => FOLDS[letter])
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Entities and role phrases with their lookup maps, built once: lookups are map reads. */
export class KnowledgeBase {
  /** Every entity, in file order (built-in first). */
  readonly entities: readonly Entity[];
  /** Every role definition. */
  readonly roles: readonly RoleDefinition[];
  /** Operator files merged into this base (the built-in file is not listed). */
  readonly files: readonly KnowledgeFile[];
  /** The bilingual glossary of the field's words (built-in `default-glossary.yml` plus `CORPUS_DIR/glossary.yml`); empty by default. */
  readonly glossary: Glossary;

  private readonly entitiesById = new Map<string, Entity>();
  private readonly formsByText = new Map<string, { entity: Entity; via: SurfaceForm["via"] }[]>();
  private readonly forms: readonly SurfaceForm[];
  private readonly phrases: readonly { phrase: string; role: RoleId }[];
  private readonly spansByRoleOf = new Map<string, { entity: Entity; span: RoleSpan }[]>();

  constructor(entities: Entity[], roles: RoleDefinition[], options: { files?: readonly KnowledgeFile[]; glossary?: Glossary } = {}) {
    this.entities = entities;
    this.roles = roles;
    this.files = options.files ?? [];
    this.glossary = options.glossary ?? new Glossary([]);
    for (const entity of entities) this.entitiesById.set(entity.id, entity);

    const forms: SurfaceForm[] = [];
    const seen = new Map<string, SurfaceForm>();
    const add = (text: string, entity: Entity, via: SurfaceForm["via"]) => {
      const form = normalizeName(text);
      if (form === "") return;
      const key = `${form}\u0000${entity.id}`;
      const existing = seen.get(key);
      if (existing) {
        if (VIA_RANK[via] < VIA_RANK[existing.via]) existing.via = via;
        return;
      }
      const surface: SurfaceForm = { form, entity, via };
      seen.set(key, surface);
      forms.push(surface);
    };
    for (const entity of entities) {
      add(entity.name, entity, "name");
      for (const alias of entity.aliases) add(alias, entity, "alias");
      for (const demonym of entity.demonyms) add(demonym, entity, "demonym");
    }
    for (const entity of entities) {
      const capital = entity.capital === null ? undefined : this.entitiesById.get(entity.capital);
      if (!capital) continue;
      add(capital.name, entity, "capital");
      for (const alias of capital.aliases) add(alias, entity, "capital");
    }
    forms.sort((a, b) => b.form.length - a.form.length || (a.form < b.form ? -1 : a.form > b.form ? 1 : 0));
    this.forms = forms;
    for (const surface of forms) {
      const list = this.formsByText.get(surface.form) ?? [];
      list.push({ entity: surface.entity, via: surface.via });
      this.formsByText.set(surface.form, list);
    }
    for (const list of this.formsByText.values()) list.sort((a, b) => VIA_RANK[a.via] - VIA_RANK[b.via]);

    const phrases = new Map<string, RoleId>();
    for (const role of roles) {
      for (const phrase of [role.id.replace(/-/g, " "), ...role.phrases]) {
        const form = normalizeName(phrase);
        if (form !== "" && !phrases.has(form)) phrases.set(form, role.id);
      }
    }
    this.phrases = [...phrases]
      .map(([phrase, role]) => ({ phrase, role }))
      .sort((a, b) => b.phrase.length - a.phrase.length || (a.phrase < b.phrase ? -1 : 1));

    for (const entity of entities) {
      for (const span of entity.roles) {
        const key = `${span.role}\u0000${span.of}`;
        const list = this.spansByRoleOf.get(key) ?? [];
        list.push({ entity, span });
        this.spansByRoleOf.set(key, list);
      }
    }
  }

  /** The entity with this id, if any. */
  byId(id: string): Entity | undefined {
    return this.entitiesById.get(id);
  }

  /** Every surface form, longest first (so multi-word names match as phrases before their parts). A capital's names are also forms of its country with via "capital". */
  surfaceForms(): readonly SurfaceForm[] {
    return this.forms;
  }

  /** Entities one of whose forms equals the normalised phrase, strongest match first (name, alias, demonym, capital). */
  lookup(phrase: string): { entity: Entity; via: SurfaceForm["via"] }[] {
    return [...(this.formsByText.get(normalizeName(phrase)) ?? [])];
  }

  /** Role phrases, normalised, longest first, with their role id (the id itself, "head of state", is one of them). */
  rolePhrases(): readonly { phrase: string; role: RoleId }[] {
    return this.phrases;
  }

  /**
   * Holders of a role of a country/organisation who held it at some time within [from, to]
   * (YYYY-MM-DD, inclusive), or every holder when no range is given; most recent first.
   */
  holders(role: RoleId, of: string, range: { from: string; to: string } | null = null): Entity[] {
    const latestStart = new Map<Entity, string>();
    for (const { entity, span } of this.spansByRoleOf.get(`${role}\u0000${of}`) ?? []) {
      if (range && !overlaps(span, range)) continue;
      const start = span.from ?? "";
      const known = latestStart.get(entity);
      if (known === undefined || start > known) latestStart.set(entity, start);
    }
    return [...latestStart].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)).map(([entity]) => entity);
  }

  /** A merged copy: entries of `other` with an existing id extend that entity (aliases/roles appended), new ids are added. */
  merge(other: KnowledgeBase): KnowledgeBase {
    const entities = this.entities.map(copyEntity);
    const index = new Map(entities.map((entity, i) => [entity.id, i]));
    for (const entity of other.entities) {
      const at = index.get(entity.id);
      if (at === undefined) {
        index.set(entity.id, entities.length);
        entities.push(copyEntity(entity));
      } else {
        entities[at] = extendEntity(entities[at], entity);
      }
    }
    const roles = this.roles.map((role) => ({ id: role.id, phrases: [...role.phrases] }));
    const roleIndex = new Map(roles.map((role, i) => [role.id, i]));
    for (const role of other.roles) {
      const at = roleIndex.get(role.id);
      if (at === undefined) {
        roleIndex.set(role.id, roles.length);
        roles.push({ id: role.id, phrases: [...role.phrases] });
      } else {
        roles[at].phrases = appendUnique(roles[at].phrases, role.phrases);
      }
    }
    return new KnowledgeBase(entities, roles, { files: [...this.files, ...other.files], glossary: this.glossary.merge(other.glossary) });
  }
}

function overlaps(span: RoleSpan, range: { from: string; to: string }): boolean {
  return (span.from ?? "0000-01-01") <= range.to && (span.to ?? "9999-12-31") >= range.from;
}

function copyEntity(entity: Entity): Entity {
  return { ...entity, aliases: [...entity.aliases], demonyms: [...entity.demonyms], ...(entity.countries ? { countries: [...entity.countries] } : {}), roles: entity.roles.map((span) => ({ ...span })) };
}

/** An extension may rename (the old name stays an alias) and set the capital or country; the rest is appended. */
function extendEntity(base: Entity, extension: Entity): Entity {
  const renamed = extension.name !== "" && normalizeName(extension.name) !== normalizeName(base.name);
  const aliases = appendUnique(base.aliases, [...(renamed ? [base.name] : []), ...extension.aliases]);
  return {
    ...base,
    name: renamed ? extension.name : base.name,
    aliases: renamed ? aliases.filter((alias) => normalizeName(alias) !== normalizeName(extension.name)) : aliases,
    demonyms: appendUnique(base.demonyms, extension.demonyms),
    capital: extension.capital ?? base.capital,
    country: extension.country ?? base.country,
    ...(base.countries || extension.countries ? { countries: [...new Set([...(base.countries ?? []), ...(extension.countries ?? [])])] } : {}),
    roles: [...base.roles.map((span) => ({ ...span })), ...extension.roles.map((span) => ({ ...span }))],
  };
}

function appendUnique(base: readonly string[], extra: readonly string[]): string[] {
  const seen = new Set(base.map(normalizeName));
  const result = [...base];
  for (const item of extra) {
    const form = normalizeName(item);
    if (seen.has(form)) continue;
    seen.add(form);
    result.push(item);
  }
  return result;
}
