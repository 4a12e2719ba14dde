/**
 * The entity knowledge base: the built-in file, name normalisation, lookups, role
 * holders over time, operator files (entities.yml and the legacy aliases.yml), and the
 * errors a broken file gives, with its line number.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { KnowledgeBase, normalizeName } from "../src/knowledge/knowledge-base.ts";
import { defaultKnowledge, KnowledgeError, loadKnowledge, parseKnowledge } from "../src/knowledge/load-knowledge.ts";
import { runScript } from "./support/run-script.ts";

const ids = (entities: readonly { id: string }[]) => entities.map((entity) => entity.id);
const lookupIds = (knowledge: KnowledgeBase, phrase: string) => knowledge.lookup(phrase).map((match) => match.entity.id);

/** Parses an operator file against the built-in knowledge and expects a KnowledgeError at `line`. */
function assertKnowledgeError(yamlText: string, line: number, pattern: RegExp): void {
  assert.throws(
    () => parseKnowledge(yamlText, { file: "corpus/entities.yml", base: defaultKnowledge() }),
    (error: unknown) => {
      assert.ok(error instanceof KnowledgeError, `a KnowledgeError, got ${String(error)}`);
      assert.equal(error.code, "KNOWLEDGE");
      assert.match(error.message, new RegExp(`^corpus/entities\\.yml:${line}: `));
      assert.match(error.message, pattern);
      assert.match(error.userMessage, new RegExp(`^entities\\.yml:${line}: `));
      return true;
    },
  );
}

describe("the built-in knowledge", () => {
  test("loads and validates, with every kind and the canonical roles", () => {
    const knowledge = defaultKnowledge();
    assert.ok(knowledge.entities.length >= 120, `${knowledge.entities.length} entities`);
    const kinds = new Set(knowledge.entities.map((entity) => entity.kind));
    assert.deepEqual([...kinds].sort(), ["city", "country", "organisation", "person", "region", "topic"]);
    const roles = ids(knowledge.roles);
    for (const role of ["head-of-state", "head-of-government", "foreign-minister", "head-of-parliament", "party-official", "ambassador"]) {
      assert.ok(roles.includes(role), role);
    }
    assert.ok(knowledge.entities.every((entity) => entity.source === "built-in"));
    assert.deepEqual(knowledge.files, []);
    assert.equal(defaultKnowledge(), knowledge, "parsed once and cached");
  });

  test("keeps what the old alias groups knew", () => {
    const knowledge = defaultKnowledge();
    assert.deepEqual(lookupIds(knowledge, "coronavirus"), ["covid-19"]);
    assert.deepEqual(lookupIds(knowledge, "pandemic"), ["covid-19"]);
    assert.deepEqual(lookupIds(knowledge, "Great Patriotic War"), ["world-war-ii"]);
    assert.deepEqual(lookupIds(knowledge, "WWII"), ["world-war-ii"]);
    assert.deepEqual(lookupIds(knowledge, "USSR"), ["soviet-union"]);
    assert.deepEqual(lookupIds(knowledge, "Türkiye"), ["turkey"]);
    assert.deepEqual(lookupIds(knowledge, "UNSC"), ["un-security-council"]);
    assert.deepEqual(lookupIds(knowledge, "Belt and Road"), ["belt-and-road-initiative"]);
    assert.deepEqual(lookupIds(knowledge, "Kremlin"), ["moscow", "russia"]);
    assert.deepEqual(lookupIds(knowledge, "Urumqi"), ["urumqi", "xinjiang"]);
  });
});

test("normalizeName folds case, accents, apostrophes, possessives and punctuation", () => {
  assert.equal(normalizeName("Xi'an"), "xian");
  assert.equal(normalizeName("Xi’an"), "xian");
  assert.equal(normalizeName("China–Kyrgyzstan"), "china kyrgyzstan");
  assert.equal(normalizeName("Japarov's"), "japarov");
  assert.equal(normalizeName("Japarov’s visit"), "japarov visit");
  assert.equal(normalizeName("  Nur-Sultan  "), "nur sultan");
  assert.equal(normalizeName("Türkiye"), "turkiye");
  assert.equal(normalizeName("Mevlüt Çavuşoğlu"), "mevlut cavusoglu");
  assert.equal(normalizeName("Ürümqi"), "urumqi");
  assert.equal(normalizeName("Шавкат Мирзиёев"), "шавкат мирзиеев");
  assert.equal(normalizeName("Чуйская область"), "чуйская область", "й stays a letter");
  assert.equal(normalizeName("U.S.A."), "u s a");
  assert.equal(normalizeName("C+C5"), "c c5");
  assert.equal(normalizeName("«Пояс и путь»"), "пояс и путь");
});

describe("lookup", () => {
  const knowledge = defaultKnowledge();

  test("finds an entity by any of its names, in any case", () => {
    assert.deepEqual(knowledge.lookup("PRC"), [{ entity: knowledge.byId("china"), via: "alias" }]);
    assert.deepEqual(lookupIds(knowledge, "prc"), ["china"]);
    assert.deepEqual(lookupIds(knowledge, "Kyrgyz Republic"), ["kyrgyzstan"]);
    assert.deepEqual(lookupIds(knowledge, "KYRGYZ REPUBLIC"), ["kyrgyzstan"]);
    assert.deepEqual(lookupIds(knowledge, "Жапаров"), ["sadyr-japarov"]);
    assert.deepEqual(lookupIds(knowledge, "Садыр Жапаров"), ["sadyr-japarov"]);
    assert.deepEqual(lookupIds(knowledge, "Си Цзиньпин"), ["xi-jinping"]);
    assert.deepEqual(lookupIds(knowledge, "Xi'an"), ["xian"]);
    assert.deepEqual(lookupIds(knowledge, "Xian"), ["xian"]);
    assert.deepEqual(lookupIds(knowledge, "nobody in particular"), []);
  });

  test("a capital's names stand for its country too", () => {
    assert.deepEqual(
      knowledge.lookup("Nur-Sultan").map((match) => [match.entity.id, match.via]),
      [
        ["astana", "alias"],
        ["kazakhstan", "capital"],
      ],
    );
    assert.deepEqual(
      knowledge.lookup("Beijing").map((match) => [match.entity.id, match.via]),
      [
        ["beijing", "name"],
        ["china", "capital"],
      ],
    );
  });

  test("demonyms name their country", () => {
    assert.deepEqual(knowledge.lookup("Chinese").map((match) => [match.entity.id, match.via]), [["china", "demonym"]]);
    assert.deepEqual(lookupIds(knowledge, "Kazakhstani"), ["kazakhstan"]);
  });

  test("a shared surname finds every bearer", () => {
    assert.deepEqual(lookupIds(knowledge, "Berdimuhamedov").sort(), ["gurbanguly-berdimuhamedov", "serdar-berdimuhamedov"]);
  });
});

test("surface forms come longest first, so phrases match before their parts", () => {
  const forms = defaultKnowledge().surfaceForms();
  for (let i = 1; i < forms.length; i++) assert.ok(forms[i - 1].form.length >= forms[i].form.length, `${forms[i - 1].form} before ${forms[i].form}`);
  const position = (form: string) => forms.findIndex((surface) => surface.form === form);
  assert.ok(position("xinjiang uygur autonomous region") < position("xinjiang"));
  assert.ok(position("sadyr japarov") < position("japarov"));
  assert.ok(forms.every((surface) => surface.form === normalizeName(surface.form)));
});

test("role phrases are normalised, longest first", () => {
  const phrases = defaultKnowledge().rolePhrases();
  const roleOf = (phrase: string) => phrases.find((entry) => entry.phrase === phrase)?.role;
  assert.equal(roleOf("prime minister"), "head-of-government");
  assert.equal(roleOf("premier"), "head-of-government");
  assert.equal(roleOf("vice premier"), "deputy-head-of-government");
  assert.equal(roleOf("top diplomat"), "foreign-minister");
  assert.equal(roleOf("глава мид"), "foreign-minister");
  assert.equal(roleOf("toraga"), "head-of-parliament");
  assert.equal(roleOf("президент"), "head-of-state");
  for (let i = 1; i < phrases.length; i++) assert.ok(phrases[i - 1].phrase.length >= phrases[i].phrase.length);
});

describe("holders", () => {
  const knowledge = defaultKnowledge();

  test("give the holder of a role at a time", () => {
    assert.deepEqual(ids(knowledge.holders("head-of-government", "china", { from: "2022-01-01", to: "2022-12-31" })), ["li-keqiang"]);
    assert.deepEqual(ids(knowledge.holders("head-of-government", "china", { from: "2024-01-01", to: "2024-12-31" })), ["li-qiang"]);
    assert.deepEqual(ids(knowledge.holders("head-of-state", "kyrgyzstan", { from: "2019-06-13", to: "2019-06-13" })), ["sooronbay-jeenbekov"]);
    assert.deepEqual(ids(knowledge.holders("foreign-minister", "china", { from: "2023-03-01", to: "2023-03-31" })), ["qin-gang"]);
    assert.deepEqual(ids(knowledge.holders("foreign-minister", "china", { from: "2024-05-01", to: "2024-05-01" })), ["wang-yi"]);
    assert.deepEqual(ids(knowledge.holders("head-of-parliament", "china", { from: "2025-09-03", to: "2025-09-03" })), ["zhao-leji"]);
  });

  test("list everyone who held it in a period that spans a change, most recent first", () => {
    assert.deepEqual(ids(knowledge.holders("head-of-government", "china", { from: "2023-01-01", to: "2023-12-31" })), ["li-qiang", "li-keqiang"]);
  });

  test("without a range give every holder, most recent first", () => {
    const premiers = ids(knowledge.holders("head-of-government", "china"));
    assert.deepEqual(premiers.slice(0, 2), ["li-qiang", "li-keqiang"]);
    assert.deepEqual(ids(knowledge.holders("head-of-government", "china", null)), premiers);
    assert.deepEqual(knowledge.holders("head-of-state", "nowhere"), []);
  });
});

describe("an operator's entities.yml", () => {
  const operatorFile = `
- id: kyrgyzstan
  aliases: [Kyrgyz Rep., Кыргыз Республикасы]
- id: li-qiang
  kind: person
  aliases: [Premier Li]
- id: edil-baisalov
  kind: person
  name: Edil Baisalov
  aliases: [Baisalov, Эдиль Байсалов]
  country: kyrgyzstan
  roles:
    - { role: deputy-head-of-government, of: kyrgyzstan, from: 2021-10 }
- id: head-of-government
  kind: role
  phrases: [chair of the cabinet]
`;

  test("extends built-in entities and roles and adds new people", () => {
    const base = defaultKnowledge();
    const merged = base.merge(parseKnowledge(operatorFile, { file: "corpus/entities.yml", base }));
    assert.equal(merged.entities.length, base.entities.length + 1);
    assert.deepEqual(lookupIds(merged, "Kyrgyz Rep"), ["kyrgyzstan"]);
    assert.deepEqual(lookupIds(merged, "Kyrgyz Republic"), ["kyrgyzstan"], "built-in aliases stay");
    assert.deepEqual(lookupIds(merged, "Premier Li"), ["li-qiang"]);
    assert.equal(merged.byId("li-qiang")?.roles.length, base.byId("li-qiang")?.roles.length, "extension without roles keeps the built-in ones");
    const added = merged.byId("edil-baisalov");
    assert.equal(added?.name, "Edil Baisalov");
    assert.equal(added?.source, "corpus/entities.yml");
    assert.deepEqual(lookupIds(merged, "Эдиль Байсалов"), ["edil-baisalov"]);
    assert.deepEqual(ids(merged.holders("deputy-head-of-government", "kyrgyzstan", { from: "2024-01-01", to: "2024-01-01" })), ["edil-baisalov"]);
    assert.equal(merged.rolePhrases().find((entry) => entry.phrase === "chair of the cabinet")?.role, "head-of-government");
    assert.deepEqual(merged.files, [{ file: "corpus/entities.yml", entries: 4 }]);
    assert.equal(base.byId("kyrgyzstan")?.aliases.includes("Kyrgyz Rep."), false, "merge leaves the base untouched");
  });

  test("a new name replaces the canonical name and the old one stays an alias", () => {
    const base = defaultKnowledge();
    const merged = base.merge(parseKnowledge("- { id: turkey, name: Türkiye }\n", { file: "corpus/entities.yml", base }));
    assert.equal(merged.byId("turkey")?.name, "Türkiye");
    assert.deepEqual(lookupIds(merged, "Turkey"), ["turkey"]);
  });

  test("a key with nothing after it counts as absent", () => {
    const text = "- id: somebody\n  kind: person\n  name: Some Body\n  country:\n  aliases:\n  roles:\n    - { role: head-of-state, of: kyrgyzstan, from: 2030, to: }\n";
    const [somebody] = parseKnowledge(text, { file: "corpus/entities.yml", base: defaultKnowledge() }).entities;
    assert.equal(somebody.country, null);
    assert.deepEqual(somebody.aliases, []);
    assert.deepEqual(somebody.roles, [{ role: "head-of-state", of: "kyrgyzstan", from: "2030-01-01", to: null }]);
  });

  test("an empty file is fine", () => {
    for (const text of ["", "# nothing yet\n", "[]\n"]) {
      assert.equal(parseKnowledge(text, { file: "corpus/entities.yml", base: defaultKnowledge() }).entities.length, 0);
    }
  });
});

describe("a broken entities.yml names the file and line", () => {
  test("an unknown role", () => {
    const text = `- id: somebody
  kind: person
  name: Some Body
  roles:
    - { role: premier, of: china, from: 2023 }
`;
    assertKnowledgeError(text, 5, /person "somebody": role "premier" is not a known role \(known: head-of-state, .*head-of-government/);
  });

  test("a reference to an unknown country", () => {
    const text = `- id: somebody
  kind: person
  name: Some Body
  country: kyrgystan
`;
    assertKnowledgeError(text, 4, /person "somebody": country "kyrgystan" is not a known id/);
  });

  test("a reference of the wrong kind", () => {
    assertKnowledgeError("- { id: somewhere, kind: city, name: Somewhere, country: bishkek }\n", 1, /country "bishkek" is a city, not a country/);
    assertKnowledgeError("- { id: somewhere, kind: region, name: Somewhere, countries: [kyrgyzstan, bishkek] }\n", 1, /country "bishkek" is a city, not a country/);
  });

  test("a bad date and a span that ends before it starts", () => {
    const badDate = `- id: somebody
  kind: person
  name: Some Body
  roles:
    - role: head-of-state
      of: kyrgyzstan
      from: 28.01.2021
`;
    assertKnowledgeError(badDate, 7, /from "28\.01\.2021" is not a date \(YYYY, YYYY-MM or YYYY-MM-DD\)/);
    assertKnowledgeError("- id: x\n  kind: person\n  name: X\n  roles: [{ role: head-of-state, of: china, from: 2021-02-30 }]\n", 4, /is not a date/);
    const backwards = `- id: somebody
  kind: person
  name: Some Body
  roles:
    - { role: head-of-state, of: kyrgyzstan, from: 2024, to: 2021 }
`;
    assertKnowledgeError(backwards, 5, /runs from 2024-01-01 to 2021-12-31/);
  });

  test("a duplicate id", () => {
    const text = `- id: somewhere
  kind: city
  name: Somewhere
- id: elsewhere
  kind: city
  name: Elsewhere
- id: somewhere
  kind: city
  name: Somewhere Else
`;
    assertKnowledgeError(text, 7, /city "somewhere": duplicate id/);
  });

  test("YAML that does not parse", () => {
    const text = `- id: somewhere
  kind: city
  name: Somewhere
- id: elsewhere
  aliases: [Elsewhere, "unclosed
`;
    assertKnowledgeError(text, 5, /not valid YAML/);
  });

  test("an unknown key, a missing name, a bad kind and aliases that are not strings", () => {
    assertKnowledgeError("- id: somewhere\n  kind: city\n  name: Somewhere\n  aliasses: [There]\n", 4, /city "somewhere": unknown key "aliasses" \(allowed: id, kind, name, aliases, country\)/);
    assertKnowledgeError("- id: somewhere\n  kind: city\n  name: Somewhere\n  demonyms: [There]\n", 4, /"demonyms" is not used for a city/);
    assertKnowledgeError("- id: somewhere\n  kind: city\n", 1, /city "somewhere" has no name/);
    assertKnowledgeError("- id: somewhere\n  kind: town\n  name: Somewhere\n", 2, /kind "town" is not one of person, country/);
    assertKnowledgeError("- id: somewhere\n  name: Somewhere\n", 1, /entry "somewhere" has no kind/);
    assertKnowledgeError("- kind: city\n  name: Somewhere\n", 1, /entry 1 has no id/);
    assertKnowledgeError("- id: Some Where\n  kind: city\n  name: Somewhere\n", 1, /id must be kebab-case/);
    assertKnowledgeError("- id: somewhere\n  kind: city\n  name: Somewhere\n  aliases: [There, 42]\n", 4, /aliases must be strings; 42 is not/);
    assertKnowledgeError("- id: china\n  kind: city\n", 2, /the built-in "china" is a country/);
    assertKnowledgeError("id: somewhere\n", 1, /must be a list of entries/);
  });
});

describe("loadKnowledge", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "visits-knowledge-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("is the built-in knowledge when the corpus has no knowledge files", async () => {
    const empty = path.join(dir, "empty");
    await mkdir(empty);
    const knowledge = await loadKnowledge(empty);
    assert.equal(knowledge.entities.length, defaultKnowledge().entities.length);
    assert.deepEqual(knowledge.files, []);
  });

  test("merges entities.yml and the legacy aliases.yml groups", async () => {
    const corpus = path.join(dir, "both");
    await mkdir(corpus);
    await writeFile(path.join(corpus, "entities.yml"), "- id: kara-balta\n  kind: city\n  name: Kara-Balta\n  aliases: [Karabalta, Кара-Балта]\n  country: kyrgyzstan\n");
    // Extends Kyrgyzstan and Japarov, adds one topic; "Kyrgyz" and "Japarov" are known already.
    await writeFile(path.join(corpus, "aliases.yml"), "- [Kyrgyzstan, Kyrgyz Republic, Kyrgyz, Kyrgyzskaya Respublika]\n- [Sadyr Japarov, Japarov, Sadyr Nurgozhoevich]\n- [Manas airport, Manas International Airport]\n");
    const knowledge = await loadKnowledge(corpus);
    assert.deepEqual(lookupIds(knowledge, "Кара-Балта"), ["kara-balta"]);
    assert.deepEqual(lookupIds(knowledge, "Kyrgyzskaya Respublika"), ["kyrgyzstan"]);
    assert.deepEqual(lookupIds(knowledge, "Sadyr Nurgozhoevich"), ["sadyr-japarov"]);
    assert.deepEqual(knowledge.lookup("Kyrgyz").map((match) => match.via), ["demonym"], "known names are not re-added");
    const topic = knowledge.lookup("Manas International Airport")[0]?.entity;
    assert.equal(topic?.kind, "topic");
    assert.equal(topic?.name, "Manas airport");
    assert.deepEqual(
      knowledge.files.map((file) => [path.basename(file.file), file.entries]),
      [
        ["entities.yml", 1],
        ["aliases.yml", 3],
      ],
    );
  });

  test("reports a broken legacy aliases.yml by line", async () => {
    const corpus = path.join(dir, "legacy-broken");
    await mkdir(corpus);
    await writeFile(path.join(corpus, "aliases.yml"), "- [Kyrgyzstan, Kyrgyz Republic]\n- Japarov\n");
    await assert.rejects(loadKnowledge(corpus), (error: unknown) => {
      assert.ok(error instanceof KnowledgeError);
      assert.match(error.message, /aliases\.yml:2: group 2 must be a list of names/);
      return true;
    });
  });

  test("resolves references in entities.yml against the built-in knowledge", async () => {
    const corpus = path.join(dir, "reference");
    await mkdir(corpus);
    await writeFile(path.join(corpus, "entities.yaml"), "- id: a\n  kind: person\n  name: A\n  roles: [{ role: ambassador, of: chinaa }]\n");
    await assert.rejects(loadKnowledge(corpus), /entities\.yaml:4: person "a": of "chinaa" is not a known id/);
  });
});

describe("npm run embed", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "visits-knowledge-cli-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("stops on a broken entities.yml with its file:line and no stack trace", async () => {
    const corpusDir = path.join(dir, "corpus");
    await mkdir(corpusDir);
    await writeFile(path.join(corpusDir, "2025-01-01_note.txt"), "date 2025-01-01 Japarov met Xi Jinping in Beijing.");
    await writeFile(path.join(corpusDir, "entities.yml"), "- id: li-qiang\n  kind: person\n  roles:\n    - { role: premier, of: china, from: 2023-03-11 }\n");
    const result = await runScript("scripts/embed.ts", [], { env: { CORPUS_DIR: corpusDir, INDEX_DIR: path.join(dir, "index") } });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /entities\.yml:4: person "li-qiang": role "premier" is not a known role/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(result.stdout, "");
  });
});
