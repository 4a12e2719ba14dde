/**
 * A deterministic synthetic corpus for `npm run bench`: English news-like reports of
 * official visits (varied countries, people, cities, topics, figures; dates 2015–2026),
 * each file opening with the ` date YYYY-MM-DD ` token of the samples. Document i is a
 * pure function of (seed, i), so a smaller corpus is a prefix of a larger one, and every
 * document comes with the facts it states, for questions whose answers are known.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chunkDocument, type ChunkOptions } from "../../src/ingest/chunk-document.ts";
import { parseDocument } from "../../src/ingest/parse-document.ts";
import { Random, seedOf } from "./random.ts";
import { type Country, COUNTRIES, OFFICES, TOPICS, FORUMS, AGENCIES, MONUMENTS, INSTITUTIONS, ADJECTIVES, SEASONS, MONTHS, WEEKDAYS, ORDINALS } from "./visit-world.ts";

/** Default seed of the bench corpus and its questions. */
export const DEFAULT_SEED = 20_250_903;

// --- Documents ----------------------------------------------------------------------

interface Person {
  name: string;
  surname: string;
  office: string;
  country: Country;
  his: "his" | "her";
}

/** What a generated document states, for questions with known answers. */
export interface VisitFact {
  /** docId as `loadCorpus` gives it: the path under the corpus directory without `.txt`. */
  docId: string;
  /** Publication date, `YYYY-MM-DD`: the ` date ` token of the file. */
  publishedOn: string;
  /** Day of the meeting, `YYYY-MM-DD` (the publication day or the day before). */
  meetingOn: string;
  guest: string;
  /** How the report refers to the guest after the first mention. */
  guestSurname: string;
  guestOffice: string;
  guestCountry: string;
  host: string;
  hostOffice: string;
  hostCountry: string;
  city: string;
  topics: string[];
  agreements: number;
  /** Bilateral trade stated in the report, in billion US dollars. */
  tradeBillion: number;
}

export interface GeneratedDocument {
  /** Path of the file under the corpus directory, `/`-separated. */
  file: string;
  /** The file's full text. */
  raw: string;
  fact: VisitFact;
}

/** 21 → "21st", 12 → "12th". */
const ordinalSuffix = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${suffix}`;
};
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
/** "3 September 2025" */
export const longDate = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
};
/** "September 2025" */
export const monthYear = (iso: string) => {
  const [y, m] = iso.split("-").map(Number);
  return `${MONTHS[m - 1]} ${y}`;
};

function person(random: Random, country: Country, office: string): Person {
  const first = random.pick(country.firstNames);
  const surname = random.pick(country.surnames);
  const female = /a$/.test(first) || ["Yuki", "Seo-yeon", "Priya", "Siti", "Ayse", "Sophie", "Marie", "Katrin"].includes(first);
  const name = country.surnameFirst ? `${surname} ${first}` : `${first} ${surname}`;
  return { name, surname, office, country, his: female ? "her" : "his" };
}

function money(random: Random, min: number, max: number): number {
  return Math.round((min + random.next() * (max - min)) * 10) / 10;
}

/** Document `index` of the corpus with `seed`: the same pair always gives the same text. */
export function generateDocument(seed: number, index: number): GeneratedDocument {
  const random = new Random(seedOf(`${seed}:${index}`));
  const [hostCountry, guestCountry] = random.chance(0.45)
    ? random.sample(COUNTRIES.slice(0, 2), 2) // most reports are Kyrgyzstan–China, as in the real corpus
    : random.chance(0.5)
      ? [random.pick(COUNTRIES.slice(0, 2)), random.pick(COUNTRIES.slice(2))]
      : random.sample(COUNTRIES, 2);
  const rank = random.int(0, OFFICES.length - 1);
  const office = OFFICES[rank];
  const guest = person(random, guestCountry, office);
  const host = person(random, hostCountry, rank === 0 ? random.pick(["President", "Prime Minister"]) : random.pick(OFFICES));
  const city = random.chance(0.6) ? hostCountry.capital : random.pick(hostCountry.cities);

  const start = Date.UTC(2015, 0, 1);
  const end = Date.UTC(2026, 10, 30);
  const meeting = new Date(start + Math.floor(random.next() * ((end - start) / 86_400_000)) * 86_400_000);
  const published = new Date(meeting.getTime() + (random.chance(0.4) ? 86_400_000 : 0));
  const meetingOn = isoDay(meeting);
  const publishedOn = isoDay(published);
  const year = meeting.getUTCFullYear();
  const weekday = WEEKDAYS[meeting.getUTCDay()];

  const topics = random.sample(TOPICS, 4);
  const [t1, t2, t3, t4] = topics;
  const agreements = random.int(2, 24);
  const tradeBillion = money(random, 0.2, 25);
  const growth = random.int(3, 48);
  const anniversary = random.int(5, 35);
  const flights = random.int(4, 30);
  const companies = random.int(40, 400);
  const projectMillion = random.int(12, 900);
  const visitKind = random.pick(["an official visit", "a working visit", "a state visit"]);
  const press = random.pick(["the press service of the head of state", "the Ministry of Foreign Affairs", "the government's press office", "the presidential administration"]);
  const G = `${guestCountry.demonym} ${guest.office} ${guest.name}`;
  const H = `${hostCountry.demonym} ${host.office} ${host.name}`;
  const other = random.pick(COUNTRIES.filter((c) => c !== hostCountry));
  const earlier = `${random.pick(MONTHS)} ${year - random.int(1, 3)}`;

  const openings = [
    `${G} met with ${H} in ${city} on ${weekday}, ${press} reported.`,
    `During ${visitKind} to ${hostCountry.name}, ${guest.office} of ${guestCountry.name} ${guest.name} held talks with ${host.office} ${host.name} in ${city} on ${longDate(meetingOn)}.`,
    `${host.name}, ${host.office} of ${hostCountry.name}, received ${guest.office} of ${guestCountry.name} ${guest.name} in ${city} on ${weekday}, ${longDate(meetingOn)}.`,
    `At the invitation of ${H}, ${guest.office} of ${guestCountry.name} ${guest.name} arrived in ${city} on ${weekday} for ${visitKind}, ${press} said.`,
  ];
  const body = [
    `The parties discussed ${t1.phrase}, ${t2.phrase} and ${t3.phrase}, as well as the preparation of upcoming high-level events.`,
    `Bilateral trade between ${guestCountry.name} and ${hostCountry.name} reached ${tradeBillion} billion US dollars in ${year - 1}, up ${growth} percent from a year earlier, ${guest.surname} said.`,
    `Following the talks, the two sides signed ${agreements} documents, including a memorandum on ${t1.memorandum} and an agreement on ${t2.memorandum}.`,
    `${host.surname} noted that ${year} marks the ${ordinalSuffix(anniversary)} anniversary of diplomatic relations between the two countries, which have developed in a spirit of good neighbourliness.`,
    `The delegations agreed to set up a joint working group on ${t3.phrase} and to hold its first meeting in ${random.pick(guestCountry.cities)} next ${random.pick(SEASONS)}.`,
    `“We are ready to deepen our ${random.pick(ADJECTIVES)} partnership in ${t4.phrase} and to implement every agreement reached at the highest level,” ${guest.surname} told reporters.`,
    `According to the ${guestCountry.demonym} side, ${companies} companies from both countries took part in a business forum held on the sidelines of the visit.`,
    `The ${t1.project} project, worth about ${projectMillion} million dollars, is expected to be completed by ${year + random.int(1, 4)}.`,
    `Both sides expressed readiness to increase the number of direct flights between ${guestCountry.capital} and ${hostCountry.capital} to ${flights} per week.`,
    `${guest.surname} also laid a wreath at the ${random.pick(MONUMENTS)} and visited the ${random.pick(INSTITUTIONS)} in ${city}.`,
    `Earlier, in ${earlier}, the two officials met in ${random.pick(other.cities)} on the sidelines of the ${random.pick(FORUMS)}.`,
    `${host.surname} thanked ${guest.surname} for ${guest.his} personal contribution to the development of ${t4.phrase} and wished the people of ${guestCountry.name} peace and prosperity.`,
    `Experts say the visit could open new opportunities for ${t2.phrase} across Central Asia, where demand for ${t3.project}s is growing.`,
    `The ${ORDINALS[random.int(0, ORDINALS.length - 1)]} meeting of the intergovernmental commission is scheduled for ${random.pick(MONTHS)} ${year + 1} in ${random.pick(hostCountry.cities)}.`,
    `${guest.surname} invited ${host.surname} to visit ${guestCountry.name} at a convenient time, and the invitation was accepted with gratitude.`,
  ];
  const closings = [
    `The visit ended with the adoption of a joint statement on ${t1.phrase} and ${t4.phrase}.`,
    `${guest.name} will continue ${guest.his} visit with a trip to ${random.pick(hostCountry.cities)}, where ${guest.his} delegation is expected to inspect the ${t2.project}.`,
    `The next round of talks is expected in ${guestCountry.capital} in ${random.pick(MONTHS)} ${year + 1}.`,
  ];

  const middle = random.sample(body, random.int(6, 10));
  const sentences = [random.pick(openings), ...middle, random.pick(closings)];
  // Three or four paragraphs, as in the samples.
  const paragraphs: string[] = [];
  const cuts = random.int(3, 4);
  const per = Math.ceil(sentences.length / cuts);
  for (let i = 0; i < sentences.length; i += per) paragraphs.push(sentences.slice(i, i + per).join(" "));

  const agency = random.pick(AGENCIES);
  const source = random.chance(0.6)
    ? `\n\n///originally published by ${agency.name}, ${longDate(publishedOn)} (https://${agency.domain}/news/${publishedOn.replaceAll("-", "")}/${pad(index, 6)}.html)\n`
    : "\n";
  const file = `${year}/visit-${pad(index, 6)}.txt`;
  const raw = ` date ${publishedOn} ${paragraphs.join("\n\n")}${source}`;
  return {
    file,
    raw,
    fact: {
      docId: file.replace(/\.txt$/, ""),
      publishedOn,
      meetingOn,
      guest: guest.name,
      guestSurname: guest.surname,
      guestOffice: guest.office,
      guestCountry: guestCountry.name,
      host: host.name,
      hostOffice: host.office,
      hostCountry: hostCountry.name,
      city,
      topics: topics.map((t) => t.phrase),
      agreements,
      tradeBillion,
    },
  };
}

/** How many chunks the default chunker makes of a generated document. */
export function chunkCountOf(doc: GeneratedDocument, chunking?: ChunkOptions): number {
  return chunkDocument(parseDocument({ docId: doc.fact.docId, raw: doc.raw, contentHash: "" }), chunking).length;
}

export interface SyntheticCorpusOptions {
  /** Directory to write into (created); files go to `<year>/visit-<index>.txt`. */
  dir: string;
  /** Stop once the documents make at least this many chunks. */
  targetChunks: number;
  /** Default {@link DEFAULT_SEED}. */
  seed?: number;
  /** Chunking the count is measured with; default the index's default (700 characters, 1 sentence overlap). */
  chunking?: ChunkOptions;
}

export interface SyntheticCorpus {
  dir: string;
  seed: number;
  targetChunks: number;
  documents: number;
  /** Chunks the default chunker makes of the corpus (≥ targetChunks, by less than one document). */
  chunks: number;
  bytes: number;
  /** One per document, in index order. */
  facts: VisitFact[];
}

/** Writes documents 0, 1, 2, … until they make `targetChunks` chunks. */
export function writeSyntheticCorpus(options: SyntheticCorpusOptions): SyntheticCorpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const facts: VisitFact[] = [];
  const made = new Set<string>();
  let chunks = 0;
  let bytes = 0;
  for (let index = 0; chunks < options.targetChunks; index++) {
    const doc = generateDocument(seed, index);
    const file = path.join(options.dir, doc.file);
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(file, doc.raw);
    chunks += chunkCountOf(doc, options.chunking);
    bytes += Buffer.byteLength(doc.raw);
    facts.push(doc.fact);
  }
  return { dir: options.dir, seed, targetChunks: options.targetChunks, documents: facts.length, chunks, bytes, facts };
}

// --- Questions ----------------------------------------------------------------------

/** A question about one generated document, with the answer the corpus holds. */
export interface BenchQuestion {
  question: string;
  /** The document that answers it. */
  docId: string;
  /** Its publication date (the date an answer should state). */
  publishedOn: string;
  kind: "when" | "what" | "how-many" | "who" | "trade";
}

/** `count` questions about randomly chosen documents of `facts` (deterministic for a seed). */
export function generateQuestions(facts: readonly VisitFact[], options: { count: number; seed?: number }): BenchQuestion[] {
  const random = new Random(seedOf(`questions:${options.seed ?? DEFAULT_SEED}`));
  const questions: BenchQuestion[] = [];
  for (let i = 0; i < options.count; i++) {
    const f = random.pick(facts);
    const when = monthYear(f.meetingOn);
    const guestSurname = f.guestSurname;
    const templates: [BenchQuestion["kind"], string][] = [
      ["when", `When did ${f.guest} meet ${f.host} in ${f.city}?`],
      ["when", `When did the ${f.guestOffice} of ${f.guestCountry} ${f.guest} visit ${f.city}?`],
      ["what", `What did ${f.guest} and ${f.host} discuss in ${f.city}?`],
      ["what", `What was agreed on ${f.topics[0]} when ${guestSurname} visited ${f.hostCountry} in ${when}?`],
      ["how-many", `How many documents did ${f.guestCountry} and ${f.hostCountry} sign during ${f.guest}'s visit to ${f.city}?`],
      ["who", `Who did ${f.guest} meet in ${f.city} in ${when}?`],
      ["trade", `What was the trade volume between ${f.guestCountry} and ${f.hostCountry} according to ${f.guest}?`],
    ];
    const [kind, question] = random.pick(templates);
    questions.push({ question, docId: f.docId, publishedOn: f.publishedOn, kind });
  }
  return questions;
}
