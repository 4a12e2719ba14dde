/**
 * Questions to suggest in `/start`, `/help` and the terminal, drawn from the corpus
 * (pure): for the newest documents, the people and places their headline and lede name,
 * read through the knowledge base, made into the questions people ask of such news
 * ("When did A meet B?", "What did A discuss in C?"). The pipeline then keeps only those
 * it answers with a citation of that document.
 */
import type { Entity, KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeName } from "../knowledge/knowledge-base.ts";

/** A document as the generator sees it. */
export interface ExampleSource {
  docId: string;
  /** The headline and the opening of the text. */
  text: string;
}

/** A suggested question and the document that should answer it. */
export interface ExampleCandidate {
  question: string;
  docId: string;
}

/** People and places of a text, in order of first appearance (each entity once). */
function namedIn(text: string, knowledge: KnowledgeBase): Entity[] {
  const normalised = ` ${normalizeName(text)} `;
  const found = new Map<string, { entity: Entity; at: number }>();
  for (const form of knowledge.surfaceForms()) {
    if (form.via === "demonym" || form.via === "capital") continue;
    if (form.entity.kind !== "person" && form.entity.kind !== "city") continue;
    const at = normalised.indexOf(` ${form.form} `);
    if (at < 0) continue;
    const seen = found.get(form.entity.id);
    if (!seen || at < seen.at) found.set(form.entity.id, { entity: form.entity, at });
  }
  return [...found.values()].sort((a, b) => a.at - b.at).map((f) => f.entity);
}

/**
 * Candidate questions, newest document first, at most one per document, made lazily: the
 * caller takes the first few, so only the documents those need are read (at 30k chunks
 * reading every document's people and places took seconds of start-up).
 */
export function* exampleCandidates(sources: Iterable<ExampleSource>, knowledge: KnowledgeBase): Generator<ExampleCandidate> {
  for (const source of sources) {
    const named = namedIn(source.text, knowledge);
    const people = named.filter((e) => e.kind === "person");
    const city = named.find((e) => e.kind === "city");
    if (people.length >= 2) yield { question: `When did ${people[0].name} meet ${people[1].name}?`, docId: source.docId };
    else if (people.length === 1 && city) yield { question: `What did ${people[0].name} discuss in ${city.name}?`, docId: source.docId };
  }
}
