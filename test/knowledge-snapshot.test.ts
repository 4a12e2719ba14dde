/**
 * The build's snapshot of the built-in knowledge (dist/knowledge/default-knowledge.json, written
 * by scripts/start.mjs through writeDefaultKnowledgeSnapshot): a knowledge base read from it
 * resolves every name, role and glossary term exactly as one parsed from the YAML, and a
 * snapshot of other YAML is ignored.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { readDefaultKnowledge, writeDefaultKnowledgeSnapshot } from "../src/knowledge/load-knowledge.ts";

const dir = mkdtempSync(path.join(tmpdir(), "knowledge-snapshot-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the built-in knowledge snapshot", () => {
  const file = writeDefaultKnowledgeSnapshot(path.join(dir, "default-knowledge.json"));
  const parsed = readDefaultKnowledge(path.join(dir, "no-such-snapshot.json"));
  const snapshot = readDefaultKnowledge(file);

  test("is read when it was made from the present YAML, which is parsed without it", () => {
    assert.equal(snapshot.fromSnapshot, true);
    assert.equal(parsed.fromSnapshot, false);
  });

  test("resolves every surface form to the same entities, by the same way", () => {
    const forms = parsed.knowledge.surfaceForms();
    assert.ok(forms.length > 500, `${forms.length} surface forms`);
    assert.deepEqual(snapshot.knowledge.surfaceForms(), forms);
    for (const form of forms) assert.deepEqual(snapshot.knowledge.lookup(form.form), parsed.knowledge.lookup(form.form), form.form);
    for (const entity of parsed.knowledge.entities) assert.deepEqual(snapshot.knowledge.byId(entity.id), entity);
  });

  test("holds the same roles, role phrases and glossary", () => {
    assert.deepEqual(snapshot.knowledge.roles, parsed.knowledge.roles);
    assert.deepEqual(snapshot.knowledge.rolePhrases(), parsed.knowledge.rolePhrases());
    assert.deepEqual(snapshot.knowledge.glossary.entries, parsed.knowledge.glossary.entries);
    for (const entry of parsed.knowledge.glossary.entries.slice(0, 200)) {
      assert.deepEqual(snapshot.knowledge.glossary.alternativesOf(entry.en), parsed.knowledge.glossary.alternativesOf(entry.en), entry.en);
    }
  });

  test("a snapshot of other YAML (another checksum) is ignored and the YAML parsed", () => {
    const stale = JSON.parse(readFileSync(file, "utf8")) as { entitiesSha256: string; entities: unknown[] };
    stale.entitiesSha256 = "0".repeat(64);
    stale.entities = [];
    const staleFile = path.join(dir, "stale.json");
    writeFileSync(staleFile, JSON.stringify(stale));
    const read = readDefaultKnowledge(staleFile);
    assert.equal(read.fromSnapshot, false);
    assert.equal(read.knowledge.entities.length, parsed.knowledge.entities.length);
  });
});
