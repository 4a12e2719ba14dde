/**
 * How offline answers read: event dates, whole and clean sentences, lists in date order,
 * no repeats in follow-ups. Unit cases over hand-made passages, then questions over the
 * fixture corpus checked with the eval's grammar check.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Answerability } from "../src/answering/answerability.ts";
import { annotateRelativeDates, dateMentions, formatMention } from "../src/answering/event-dates.ts";
import { ExtractiveAnswerer } from "../src/answering/extractive-answerer.ts";
import { venueOf } from "../src/answering/venue.ts";
import { defaultKnowledge } from "../src/knowledge/load-knowledge.ts";
import type { QaPipeline } from "../src/answering/qa-pipeline.ts";
import type { Chunk, Passage } from "../src/domain.ts";
import type { Question } from "../src/question/question.ts";
import { terms } from "../src/text/terms.ts";
import { styleProblems } from "../scripts/eval/answer-style.ts";
import { firstStatedDate } from "../scripts/eval/score-question.ts";
import { openFixturePipeline, tempWorkspace } from "./support/fixtures.ts";

function question(text: string, overrides: Partial<Question> = {}): Question {
  return {
    text, language: "en", type: "what", expects: "description", mentions: [], keywords: terms(text), keywordWords: [], unknownWords: [],
    dates: { ranges: [], months: [] }, ordering: null, followUp: false, smallTalk: null, searchText: text, ...overrides,
  };
}

function chunk(docId: string, publishedOn: string | null, text: string, ordinal = 0, start = 0): Chunk {
  return { id: `${docId}#${ordinal}`, docId, title: docId, publishedOn, sourceName: null, sourceUrl: null, ordinal, text, start, end: start + text.length };
}

const answerWith = (supporting: Passage[]): Answerability => ({ outcome: "answer", reasons: ["answered"], supporting, missing: null, subject: null, coverage: 1 });

function answerer(chunks: Chunk[] = []) {
  return new ExtractiveAnswerer({
    idf: () => 1,
    period: () => ({ firstDate: "2019-06-13", lastDate: "2026-10-21" }),
    documentChunks: (docId) => chunks.filter((c) => c.docId === docId),
  });
}

describe("event dates", () => {
  it("resolves weekdays and ranges against the report date, towards the past", () => {
    const [tuesday] = dateMentions("Zhao Leji held talks in Bishkek on Tuesday.", "2024-04-17");
    assert.equal(tuesday.start, "2024-04-16");
    assert.equal(tuesday.relative, true);
    const [thursday] = dateMentions("The first flight landed in Kashgar on Thursday.", "2024-04-17");
    assert.equal(thursday.start, "2024-04-11", "a report tells of a past Thursday");
    const [week] = dateMentions("Japarov is on a state visit to China from Tuesday to Friday.", "2025-02-04");
    assert.equal(formatMention(week), "4–7 February 2025");
    const [december] = dateMentions("The project was launched on Friday, 27 December 2024.", "2025-02-04");
    assert.equal(december.relative, false);
    assert.equal(formatMention(december), "27 December 2024");
  });

  it("a month without its year is the one the phrase points to from the report date", () => {
    const month = (sentence: string, reportDate: string) => dateMentions(sentence, reportDate).map((m) => [m.text, m.start]);
    assert.deepEqual(month("The agreement was signed in Astana in June last year.", "2026-07-02"), [["June last year", "2025-06-01"]]);
    assert.deepEqual(month("The protocol signed in Beijing last October was applied.", "2024-06-20"), [["October", "2023-10-01"]]);
    assert.deepEqual(month("Beef exported under the protocol signed last May arrived.", "2026-03-13"), [["May", "2025-05-01"]]);
    assert.deepEqual(month("The forum held in October agreed on flights.", "2025-04-10"), [["October", "2024-10-01"]]);
    assert.deepEqual(month("The line opened in December 2024.", "2025-04-09"), [["December 2024", "2024-12-01"]]);
    assert.deepEqual(month("They discussed the summit to be held in Astana in June.", "2025-04-26"), [["June", "2025-06-01"]], "an event still to come is in the months ahead");
    assert.deepEqual(month("The parties agreed to hold consultations on consular issues in October.", "2024-08-21"), [["October", "2024-10-01"]], "what they agreed to do is ahead too");
  });

  it("a day without its year is the one the sentence points to from the report date, and 'D and D Month' is a range", () => {
    const day = (sentence: string, reportDate: string) => dateMentions(sentence, reportDate).map((m) => [formatMention(m), m.relative]);
    assert.deepEqual(day("The forum was held on 5 November.", "2025-06-24"), [["5 November 2024", true]], "a report tells of the past: the last 5 November");
    assert.deepEqual(day("The forum will be held on 5 November.", "2025-06-24"), [["5 November 2025", false]]);
    assert.deepEqual(day("The agreement signed on 20 December entered into force.", "2025-01-10"), [["20 December 2024", true]]);
    assert.deepEqual(day("The talks were held on 10 June.", "2025-06-24"), [["10 June 2025", false]]);
    assert.deepEqual(day("The agreement was signed on 5 June last year.", "2025-06-24"), [["5 June 2024", true]]);
    assert.deepEqual(day("The talks were held on 10 and 11 June.", "2025-06-24"), [["10–11 June 2025", false]]);
    assert.deepEqual(day("Doctors worked there between 4 and 7 March.", "2025-06-24"), [["4–7 March 2025", false]]);
    const sentence = "The agreement signed on 20 December entered into force.";
    assert.equal(annotateRelativeDates(sentence, dateMentions(sentence, "2025-01-10")), "The agreement signed on 20 December (20 December 2024) entered into force.");
  });

  it("a year said as a time is read ('in 2026', 'by the end of 2027', 'in the autumn of 2026'), a year in a name is not", () => {
    const years = (sentence: string) => dateMentions(sentence, "2023-08-16").map((m) => [m.text, m.precision]);
    assert.deepEqual(years("The work is to be completed in the autumn of 2026."), [["in the autumn of 2026", "year"]]);
    assert.deepEqual(years("The plant will be completed by the end of 2027."), [["by the end of 2027", "year"]]);
    assert.deepEqual(years("Scholarships for the 2024–2025 academic year were presented."), []);
    assert.deepEqual(years("They met in June 2025."), [["June 2025", "month"]]);
  });

  it("'until now' and 'from now on' are the time of writing, not a date of the report's events", () => {
    assert.deepEqual(dateMentions("It will serve residents who until now had to travel to Bishkek.", "2026-09-07"), []);
    assert.deepEqual(dateMentions("From now on the checkpoint works round the clock.", "2023-06-01"), []);
  });

  it("adds the resolved date after a relative one and changes nothing else", () => {
    const sentence = "Zhao Leji held talks in Bishkek on Tuesday, the press service said.";
    assert.equal(annotateRelativeDates(sentence, dateMentions(sentence, "2024-04-17")), "Zhao Leji held talks in Bishkek on Tuesday (16 April 2024), the press service said.");
  });
});

describe("clean quoted sentences", () => {
  it("a 'when' answer leads with the event's date from the text, not the report date", () => {
    const passage = { chunk: chunk("zhao", "2024-04-17", "Zhao Leji held talks with the speaker in Bishkek on Tuesday. They discussed trade."), score: 1 };
    const result = answerer().answerSync({ analysis: question("When did Zhao Leji hold talks in Bishkek?", { type: "when", expects: "date" }), decision: answerWith([passage]) });
    assert.match(result.text, /^On 16 April 2024 \[1\]\.\n\nZhao Leji held talks with the speaker in Bishkek on Tuesday \(16 April 2024\) \[1\]\./);
  });

  it("of several dates, a 'when' answer leads with the one whose clause holds what was asked", () => {
    const text = "Japarov, who is on a state visit to Turkmenistan on 20–21 October, held talks with Berdimuhamedov in Ashgabat on 21 October. Earlier they met in Bishkek on Tuesday.";
    const passage = { chunk: chunk("ashgabat", "2026-10-22", text), score: 1 };
    const ask = (q: string) => answerer().answerSync({ analysis: question(q, { type: "when", expects: "date" }), decision: answerWith([passage]) }).text.split("\n")[0];
    assert.equal(ask("When did Japarov hold talks in Ashgabat?"), "On 21 October 2026 [1].");
    assert.equal(ask("When was the state visit to Turkmenistan?"), "From 20 to 21 October 2026 [1].");
  });


  it("a date in a clause that describes the noun before it is that noun's date; a parenthetical relative clause does not cut a clause off its subject", () => {
    const expo = "The customs services signed an agreement in Urumqi on Friday, on the sidelines of the China–Eurasia Expo. The China–Eurasia Expo, held in Urumqi from 26 to 30 June, brought together companies from 50 countries.";
    const visit = "Xi Jinping held talks with Japarov, who is on a state visit to China, at the Great Hall of the People on Wednesday. On 7 February, Japarov will travel to Harbin at the invitation of Xi Jinping.";
    const ask = (text: string, reportDate: string, q: string, keywords: string[]) =>
      answerer().answerSync({ analysis: question(q, { type: "when", expects: "date", keywords }), decision: answerWith([{ chunk: chunk("doc", reportDate, text), score: 1 }]) }).text.split("\n")[0];
    assert.equal(ask(expo, "2025-06-28", "When did the China–Eurasia Expo open?", ["china", "eurasia", "expo"]), "From 26 to 30 June 2025 [1].");
    assert.equal(ask(expo, "2025-06-28", "When did the customs services sign the agreement?", ["customs", "services", "sign", "agreement"]), "On 27 June 2025 [1].");
    assert.equal(ask(visit, "2025-02-05", "When did Xi Jinping hold talks with Japarov?", ["xi", "jinping", "japarov"]), "On 5 February 2025 [1].");
    assert.equal(ask(visit, "2025-02-05", "When will Japarov travel to Harbin?", ["japarov", "travel", "harbin"]), "On 7 February 2025 [1].");
    const olympics = "Japarov met Xi Jinping in Beijing on Saturday, before the Games. Xi thanked Japarov and noted that the meeting takes place in the year of the 30th anniversary of relations between China and Kyrgyzstan, established on 5 January 1992.";
    assert.equal(ask(olympics, "2022-02-05", "When did Japarov and Xi meet?", terms("Japarov Xi meet")), "On 5 February 2022 [1].", "a describing clause after a clause of its own is not read with that clause");
    const council = "The council of foreign ministers met in Cholpon-Ata on 26–27 May under the chairmanship of Kulubaev. On 26 May, Kulubaev held bilateral talks with Wang Yi.";
    assert.equal(ask(council, "2026-05-27", "When did Kulubaev and Wang Yi meet?", terms("Kulubaev Wang Yi meet")), "On 26 May 2026 [1].", "a date that opens its sentence is read with the clause it opens");
    assert.equal(ask(council, "2026-05-27", "When did the council of foreign ministers meet?", terms("council foreign ministers meet")), "From 26 to 27 May 2026 [1].");
    assert.equal(ask(council, "2026-05-27", "When did the council of foreign ministers end?", terms("council foreign ministers end")), "On 27 May 2026 [1].", "the end of a span is its last day");
    assert.equal(ask(expo, "2025-06-28", "when did the china–eurasia expo close", ["china", "eurasia", "expo", "close"]), "On 30 June 2025 [1].");
  });

  it("a 'when' answer whose text does not date the asked event says the report date, not a background month", () => {
    const text = "Xi Jinping noted that this is their third meeting this year, after the state visit in February and the talks in Astana in June. He said China is ready to help make the next summit in Bishkek a success.";
    const passage = { chunk: chunk("tianjin", "2025-08-31", text), score: 1 };
    const result = answerer().answerSync({ analysis: question("When is the summit in Bishkek?", { type: "when", expects: "date", keywords: ["summit", "bishkek"] }), decision: answerWith([passage]) });
    assert.match(result.text, /^Reported on 31 August 2025: Xi Jinping noted/);
    assert.equal(firstStatedDate(result as never), "2025-08-31");
    assert.deepEqual(styleProblems(result.text), []);
    const visit = answerer().answerSync({ analysis: question("When was the state visit?", { type: "when", expects: "date", keywords: ["state", "visit"] }), decision: answerWith([passage]) });
    assert.match(visit.text, /^In February 2025 \[1\]\./, "a month whose clause holds what was asked is the event's");
  });

  it("a partial answer to 'when' says its closest fact's date in full first only when the quote leaves the year out", () => {
    const partial = (supporting: Passage[]): Answerability => ({ outcome: "partial", reasons: ["partial"], supporting, missing: "do not report it in Harbin", subject: "Sadyr Japarov", coverage: 0.5 });
    const ask = (text: string, reportDate: string, language: "en" | "ru" = "en") =>
      answerer().answerSync({ analysis: question("When did Japarov fly to Harbin?", { type: "when", expects: "date", keywords: ["japarov", "fly", "harbin"], language }), decision: partial([{ chunk: chunk("doc", reportDate, text), score: 1 }]) }).text;
    const yearless = ask("On 7 February, Japarov will travel to Harbin for the Asian Winter Games.", "2025-02-05");
    assert.equal(yearless, "The documents mention Sadyr Japarov but do not report it in Harbin. The closest they report:\n\nOn 7 February 2025 [1].\n\nOn 7 February, Japarov will travel to Harbin for the Asian Winter Games [1].");
    assert.equal(firstStatedDate({ text: yearless, citations: [] } as never), "2025-02-07");
    assert.match(ask("On 7 February, Japarov will travel to Harbin.", "2025-02-05", "ru"), /\n\n7 февраля 2025 года \[1\]\.\n\nOn 7 February/);
    assert.doesNotMatch(ask("Japarov will travel to Harbin on 7 February 2025.", "2025-02-05"), /\n\nOn 7 February 2025 \[1\]\./, "the quote says the year itself");
    assert.doesNotMatch(ask("Japarov will travel to Harbin on Friday.", "2025-02-05"), /\n\nOn 7 February 2025 \[1\]\./, "the quote shows the resolved date beside 'Friday'");
    assert.match(ask("Japarov spoke about Harbin.", "2025-02-05"), /\n\nReported on 5 February 2025: Japarov spoke about Harbin \[1\]\.$/, "no date in the text: the report date, said as such");
    for (const text of [yearless]) assert.deepEqual(styleProblems(text), []);
  });

  it("a 'when will' question leads with the date still to come, not the day of the report's event", () => {
    const text = "The customs services signed an agreement on data exchange in Urumqi on Friday. The system is to cover all cargo between the two countries from 1 January 2026.";
    const passage = { chunk: chunk("customs", "2025-06-28", text), score: 1 };
    const ask = (q: string) => answerer().answerSync({ analysis: question(q, { type: "when", expects: "date" }), decision: answerWith([passage]) }).text.split("\n")[0];
    assert.equal(ask("when is the customs data exchange supposed to cover all cargo"), "On 1 January 2026 [1].");
    assert.equal(ask("when did the customs services sign the data exchange agreement"), "On 27 June 2025 [1].");
  });

  it("a 'when will' question quotes the report's sentence with a date to come, a year said as the text says it", () => {
    const text = "Construction of the second stage of the ring road started on Tuesday. The second stage will be 36 km long, with four lanes. The work is carried out by a Chinese company and is to be completed in the autumn of 2026.";
    const passage = { chunk: chunk("ring", "2023-08-16", text), score: 1 };
    const ask = (q: string, keywords: string[]) => answerer().answerSync({ analysis: question(q, { type: "when", expects: "date", keywords }), decision: answerWith([passage]) }).text;
    const done = ask("ring road second stage when will it be done", ["ring", "road", "second", "stage"]);
    assert.match(done, /^In the autumn of 2026 \[1\]\.\n\n/);
    assert.match(done, /is to be completed in the autumn of 2026 \[1\]\./);
    assert.match(ask("when did construction of the second stage start", ["construction", "second", "stage", "start"]), /^On 15 August 2023 \[1\]\./, "a past question keeps the day, not a year");
    assert.deepEqual(styleProblems(done), []);
  });

  it("'on the same day' and 'the next day' are the day the report told before, even from the chunk before", () => {
    const opening = chunk("zhao", "2024-04-17", "Shakiev held talks in Bishkek on Tuesday with Zhao Leji. They signed a memorandum.", 0, 0);
    const rest = chunk("zhao", "2024-04-17", "On the same day, Zhao Leji was received by Japarov at the Yntymak Ordo. The next day, the delegation travelled to Cholpon-Ata.", 1, 90);
    const ask = (q: string) => answerer([opening, rest]).answerSync({ analysis: question(q, { type: "when", expects: "date" }), decision: answerWith([{ chunk: rest, score: 1 }]) }).text;
    assert.match(ask("When was Zhao Leji received at the Yntymak Ordo?"), /^On 16 April 2024 \[1\]\.\n\nOn the same day \(16 April 2024\), Zhao Leji was received/);
    assert.match(ask("When did the delegation travel to Cholpon-Ata?"), /^On 17 April 2024 \[1\]\.\n\n.*The next day \(17 April 2024\), the delegation travelled/s);
  });
  it("the sentence in which the decision found the asked number leads, over another report's closer wording", () => {
    const launch = { chunk: chunk("launch", "2024-12-27", "The Kyrgyz section will be 260 km long. The section includes 81 bridges and 27 tunnels."), score: 0.8 };
    const tunnel = { chunk: chunk("tunnel", "2026-03-18", "Builders completed the first tunnel on the Kyrgyz section of the railway."), score: 0.9 };
    const decision = { ...answerWith([launch, tunnel]), answerSentence: "The section includes 81 bridges and 27 tunnels." };
    const result = answerer().answerSync({ analysis: question("how many tunnels will the kyrgyz section of the railway have", { type: "how-many", expects: "number", keywords: ["tunnel", "kyrgyz", "section", "railway"] }), decision });
    assert.match(result.text, /^Reported on 27 December 2024: [^\n]*27 tunnels \[1\]\./);
  });

  it("an undated deed of a report is dated by the day its opening gives, not by the report date", () => {
    const opening = chunk("ma", "2025-04-10", "Kasymaliev received in Bishkek on 9 April a delegation of Xinjiang headed by Ma Xingrui. Kasymaliev said that Xinjiang is the main gateway for trade.", 0, 0);
    const rest = chunk("ma", "2025-04-10", "The sides signed a memorandum on cooperation between the Osh region and the Kashgar prefecture. The delegation will visit the Osh region next.", 1, 140);
    const ask = (q: string, keywords: string[]) => answerer([opening, rest]).answerSync({ analysis: question(q, { type: "when", expects: "date", keywords }), decision: answerWith([{ chunk: rest, score: 1 }]) }).text;
    assert.match(ask("When did Osh and Kashgar sign the memorandum?", ["osh", "kashgar", "sign", "memorandum"]), /^On 9 April 2025 \[1\]\.\n\n/);
    assert.match(ask("When will the delegation visit the Osh region?", ["delegation", "visit", "osh", "region"]), /^Reported on 10 April 2025: /, "what is still to come is not the opening's event");
  });

  it("'what did they discuss' quotes what follows the meeting's sentence in its report, the substance", () => {
    const text = "Kulubaev met Wang Yi in Almaty and discussed cooperation. The ministers reviewed the railway. They agreed to open Bedel for cargo. Wang Yi backed the UN Security Council bid. The sides praised the visa deal.";
    const passage = { chunk: chunk("almaty", "2025-04-26", text), score: 1 };
    const result = answerer().answerSync({ analysis: question("What did Kulubaev and Wang Yi discuss?", { keywords: ["discuss"], keywordWords: ["discuss"] }), decision: answerWith([passage]) });
    for (const item of ["railway", "Bedel", "Security Council"]) assert.ok(result.text.includes(item), `${item} missing: ${result.text}`);
  });

  it("a sentence without a date of its own says when it was reported; no date phrase before one that has its own", () => {
    const undated = { chunk: chunk("a", "2025-09-03", "Looking ahead, Japarov said cooperation would grow."), score: 1 };
    const plain = answerer().answerSync({ analysis: question("What did Japarov say about cooperation?"), decision: answerWith([undated]) });
    assert.equal(plain.text, "Reported on 3 September 2025: Looking ahead, Japarov said cooperation would grow [1].");
    const dated = { chunk: chunk("b", "2024-12-27", "Construction of the railway was formally launched on Friday, 27 December 2024, in Jalal-Abad."), score: 1 };
    const own = answerer().answerSync({ analysis: question("What happened with construction of the railway?"), decision: answerWith([dated]) });
    assert.equal(own.text, "Construction of the railway was formally launched on Friday, 27 December 2024, in Jalal-Abad [1].");
    assert.deepEqual(styleProblems(own.text), []);
  });

  it("a sentence that opens with 'he' is quoted after the sentence that names him, even from the chunk before", () => {
    const first = chunk("jeenbekov", "2019-06-14", "Opening the meeting, Sooronbay Jeenbekov spoke about the chairmanship.", 0, 0);
    const second = chunk("jeenbekov", "2019-06-14", "He proposed holding a regular forum on mountain glaciers.", 1, first.end + 1);
    const result = answerer([first, second]).answerSync({ analysis: question("What forum on glaciers was proposed?"), decision: answerWith([{ chunk: second, score: 1 }]) });
    assert.match(result.text, /Sooronbay Jeenbekov spoke about the chairmanship \[1\]\. He proposed holding a regular forum on mountain glaciers \[1\]\./);
    assert.deepEqual(styleProblems(result.text), []);
  });

  it("a sentence that only names the source of the report is not quoted", () => {
    const text = "President Sadyr Japarov met Cai Qi in Beijing. The press service of the head of state reported. They discussed trade and investment.";
    const result = answerer().answerSync({ analysis: question("What did Japarov and Cai Qi discuss?"), decision: answerWith([{ chunk: chunk("press", "2025-09-03", text), score: 1 }]) });
    assert.match(result.text, /met Cai Qi in Beijing \[1\]\. They discussed trade and investment \[1\]\./);
    assert.doesNotMatch(result.text, /press service/);
  });

  it("a quotation given to 'he' names the asked person the sentences before name, and the citation quotes as written", () => {
    const text = "Japarov recalled his visit to Xi'an in May 2023. The relationship has grown since. “The railway will link our two countries,” he said.";
    const japarov = { text: "Japarov", via: "name", forms: ["japarov", "sadyr japarov"], entities: [{ id: "japarov", kind: "person", name: "Sadyr Japarov", aliases: [], demonyms: [], capital: null }] } as unknown as Question["mentions"][number];
    const result = answerer().answerSync({ analysis: question("What did Japarov say about the railway?", { mentions: [japarov], keywords: terms("say railway") }), decision: answerWith([{ chunk: chunk("rail", "2025-02-04", text), score: 1 }]) });
    assert.match(result.text, /“The railway will link our two countries,” he \(Japarov\) said \[1\]\./);
    assert.ok(result.citations[0].quote.includes("” he said."), result.citations[0].quote);
  });

  it("a quotation is quoted whole, and Markdown stays out", () => {
    const text = "# Business forum\n\nJaparov told the forum: “Peace begins with cooperation. Prosperity comes from unity.” The forum ended with **twelve** agreements.";
    const result = answerer().answerSync({ analysis: question("What did Japarov tell the forum about peace?"), decision: answerWith([{ chunk: chunk("forum", "2025-02-04", text), score: 1 }]) });
    assert.match(result.text, /“Peace begins with cooperation\. Prosperity comes from unity\.” \[1\]/);
    assert.doesNotMatch(result.text, /#|\*\*/);
    assert.deepEqual(styleProblems(result.text), []);
  });

  it("'what else' repeats no sentence the conversation showed; 'where was that' may", () => {
    const passage = { chunk: chunk("talks", "2024-08-20", "Kulubaev and Wang Yi held talks in Bishkek. They discussed the railway. They agreed on visas."), score: 1 };
    const a = answerer();
    const first = a.answerSync({ analysis: question("What did Kulubaev and Wang Yi discuss in Bishkek?"), decision: answerWith([passage]) });
    const history = [{ question: "What did Kulubaev and Wang Yi discuss in Bishkek?", answer: first.text }];
    const more = a.answerSync({ analysis: question("what else did they discuss?", { followUp: true }), decision: answerWith([passage]), history });
    for (const sentence of more.text.split(/(?<=\.)\s+/)) assert.ok(!first.text.includes(sentence.replace(/ \[\d+\]/, "")), `repeated: ${sentence}`);
    const where = a.answerSync({ analysis: question("where were the talks held?", { followUp: true }), decision: answerWith([passage]), history });
    assert.match(where.text, /Bishkek/);
  });

  it("'tell me more' once every sentence was shown says so instead of repeating one, short sentences included", () => {
    const passage = { chunk: chunk("talks", "2024-08-20", "Kulubaev and Wang Yi held talks in Bishkek. They agreed on visas."), score: 1 };
    const a = answerer();
    const history: { question: string; answer: string }[] = [];
    for (const q of ["What did Kulubaev and Wang Yi discuss in Bishkek?", "tell me more"]) {
      const answer = a.answerSync({ analysis: question(q, { followUp: history.length > 0 }), decision: answerWith([passage]), history });
      history.push({ question: q, answer: answer.text });
    }
    const last = a.answerSync({ analysis: question("tell me more", { followUp: true }), decision: answerWith([passage]), history });
    assert.match(last.text, /^That is all the documents I have say about it/);
    assert.equal(last.citations[0].docId, "talks");
  });

  it("a list is one line per document in date order, each with its date and citation", () => {
    const passages = [
      { chunk: chunk("astana", "2025-06-17", "Japarov met Xi Jinping in Astana on Tuesday."), score: 1 },
      { chunk: chunk("beijing", "2025-02-05", "Xi Jinping held talks with Japarov in Beijing on Wednesday."), score: 0.9 },
      { chunk: chunk("tianjin", "2025-08-31", "Xi Jinping met Japarov in Tianjin on Sunday."), score: 0.8 },
    ];
    const result = answerer().answerSync({ analysis: question("List every meeting of Japarov and Xi Jinping", { type: "list", expects: "list" }), decision: answerWith(passages) });
    assert.deepEqual(result.text.split("\n").map((line) => line.slice(0, 22)), ["• 5 February 2025 — Xi", "• 17 June 2025 — Japar", "• 31 August 2025 — Xi "]);
    assert.deepEqual(result.citations.map((c) => c.docId), ["beijing", "astana", "tianjin"]);
    assert.deepEqual(styleProblems(result.text), []);
  });

  it("a list for a year leaves out a report of the year before that only looks ahead to it", () => {
    const passages = [
      { chunk: chunk("astana", "2024-07-04", "Japarov attended the SCO summit in Astana on Thursday. China will host the next summit in 2025."), score: 1 },
      { chunk: chunk("tianjin", "2025-09-01", "Japarov attended the SCO summit in Tianjin on Monday."), score: 0.9 },
      { chunk: chunk("dushanbe", "2025-10-10", "Japarov attended the CIS summit in Dushanbe on Friday."), score: 0.8 },
    ];
    const analysis = question("which summits did japarov go to in 2025", { type: "list", expects: "list", dates: { ranges: [{ from: "2025-01-01", to: "2025-12-31", text: "in 2025" }], months: [] } });
    const result = answerer().answerSync({ analysis, decision: answerWith(passages) });
    assert.deepEqual(result.citations.map((c) => c.docId), ["tianjin", "dushanbe"]);
  });

  it("a list with more matching reports than lines keeps those the decision ranks first, however well a later one's sentence matches", () => {
    // Nine reports (one more than a list's lines); the last-ranked one's sentence holds every asked word.
    const passages = Array.from({ length: 8 }, (_, i) => ({ chunk: chunk(`talks-${i}`, `2024-0${i + 1}-10`, `Wang Yi held talks in Beijing on the ${i + 1}0th.`), score: 1 - i / 20 }));
    passages.push({ chunk: chunk("consultations", "2024-12-10", "Wang Yi held bilateral talks with the foreign ministers on Tuesday."), score: 0.5 });
    const result = answerer().answerSync({ analysis: question("which foreign ministers did wang yi hold bilateral talks with", { type: "list", expects: "list" }), decision: answerWith(passages) });
    assert.equal(result.citations.length, 8);
    assert.ok(!result.citations.some((c) => c.docId === "consultations"), "the ninth report in the decision's order is the one left out");
  });

  it("a list line whose sentence names no place says where, from its report's opening", () => {
    const xian = [chunk("xian", "2021-05-13", "The foreign ministers met in Xi'an on Wednesday.", 0, 0), chunk("xian", "2021-05-13", "Kazakbaev and Wang Yi adopted a joint statement on Wednesday.", 1, 50)];
    const nursultan = [chunk("nursultan", "2022-06-09", "Kazakbaev met Wang Yi in Nur-Sultan on Tuesday.", 0, 0)];
    const chunks = [...xian, ...nursultan];
    const extractive = new ExtractiveAnswerer({
      idf: () => 1,
      period: () => ({ firstDate: "2019-06-13", lastDate: "2026-10-21" }),
      documentChunks: (docId) => chunks.filter((c) => c.docId === docId),
      venueOf: (docId) => venueOf(chunks.find((c) => c.docId === docId)!.text, defaultKnowledge()),
    });
    const result = extractive.answerSync({ analysis: question("list every meeting between kazakbaev and wang yi", { type: "list", expects: "list" }), decision: answerWith([{ chunk: xian[1], score: 1 }, { chunk: nursultan[0], score: 0.9 }]) });
    const lines = result.text.split("\n");
    assert.match(lines[0], /^• 12 May 2021, Xi'an — Kazakbaev and Wang Yi adopted/);
    assert.match(lines[1], /^• 7 June 2022 — Kazakbaev met Wang Yi in Nur-Sultan/, "the sentence names its place: not said twice");
  });

  it("a list line quotes its report's opening when that says as much of the question as the passage found", () => {
    const tajik = [
      chunk("beijing", "2026-03-11", "Foreign Minister of Tajikistan Sirojiddin Muhriddin held talks with Wang Yi in Beijing on Wednesday.", 0, 0),
      chunk("beijing", "2026-03-11", "The ministers discussed the state visit of the President of Tajikistan to China.", 1, 120),
    ];
    const dushanbe = [chunk("dushanbe", "2024-07-05", "Xi Jinping held talks with the President of Tajikistan in Dushanbe on Friday.", 0, 0)];
    const chunks = [...tajik, ...dushanbe];
    const analysis = question("list all the meetings between tajikistan and china", { type: "list", expects: "list", keywords: terms("meetings talks") });
    const result = answerer(chunks).answerSync({ analysis, decision: answerWith([{ chunk: tajik[1], score: 1 }, { chunk: dushanbe[0], score: 0.9 }]) });
    const lines = result.text.split("\n");
    assert.match(lines[1], /^• 11 March 2026 — Foreign Minister of Tajikistan Sirojiddin Muhriddin held talks/);
    assert.equal(result.citations[1].chunkId, "beijing#0", "the citation points at the quoted opening");
  });

  it("a comparison names the side that came first or later, then both events in date order", () => {
    const cis = { chunk: chunk("cis", "2025-10-10", "Japarov took part in the CIS summit in Dushanbe on Friday."), score: 1 };
    const csto = { chunk: chunk("csto", "2024-11-28", "Japarov took part in the CSTO session in Astana on 28 November."), score: 0.9 };
    const decision = { ...answerWith([cis, csto]), comparison: { later: true, chosen: "the CIS summit in Dushanbe", other: "the CSTO session in Astana" } };
    const result = answerer().answerSync({ analysis: question("which came later, the CSTO session in Astana or the CIS summit in Dushanbe"), decision });
    const lines = result.text.split("\n").filter(Boolean);
    assert.equal(lines[0], "The CIS summit in Dushanbe came later, after the CSTO session in Astana [2].");
    assert.match(lines[1], /^• 28 November 2024 — .*\[1\]/);
    assert.match(lines[2], /^• 10 October 2025 — .*\[2\]/);
    assert.deepEqual(styleProblems(result.text), []);
    // Typed in lower case, the names are spelled as the knowledge base spells them.
    const entity = (name: string, aliases: string[]) => ({ id: name, kind: "organisation", name, aliases, demonyms: [], capital: null, country: null, roles: [], source: "built-in" }) as Question["mentions"][number]["entities"][number];
    const mentions = [
      { text: "csto", via: "alias", entities: [entity("Collective Security Treaty Organization", ["CSTO"])], forms: ["csto"], kind: "organisation" },
      { text: "dushanbe", via: "name", entities: [entity("Dushanbe", [])], forms: ["dushanbe"], kind: "city" },
    ] as Question["mentions"];
    const typed = { ...decision, comparison: { later: true, chosen: "the cis summit in dushanbe", other: "the csto session in astana" } };
    const lower = answerer().answerSync({ analysis: question("which came later, the csto session in astana or the cis summit in dushanbe", { mentions }), decision: typed });
    assert.match(lower.text, /^The cis summit in Dushanbe came later, after the CSTO session in astana \[2\]\./);
  });

  it("a yes/no question the documents do not cover hears that they do not report it, not a 'no'", () => {
    const refused = { outcome: "refuse" as const, reasons: ["nothing retrieved"], supporting: [], missing: null, subject: null, coverage: 0 };
    const result = answerer().answerSync({ analysis: question("Did Japarov visit Mars?", { type: "yesno", expects: "yesno" }), decision: refused });
    assert.match(result.text, /^The documents I have do not report this, so I cannot confirm it\./);
    assert.equal(result.refused, true);
  });

  it("a yes/no question is answered 'Yes — ' before the evidence", () => {
    const passage = { chunk: chunk("cis", "2025-10-10", "On the sidelines of the summit in Dushanbe, Japarov met Putin."), score: 1 };
    const result = answerer().answerSync({ analysis: question("Did Japarov meet Putin in Dushanbe?", { type: "yesno", expects: "yesno" }), decision: answerWith([passage]) });
    assert.match(result.text, /^Yes — /);
  });
});

describe("answers over the fixture corpus", () => {
  let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
  let qa: QaPipeline;
  before(async () => {
    workspace = await tempWorkspace();
    ({ qa } = await openFixturePipeline(workspace));
  });
  after(async () => {
    qa?.close();
    await workspace?.cleanup();
  });

  it("'when' answers state the event's date first", async () => {
    const cases: [string, string][] = [
      ["When did Xi Jinping hold talks with Japarov at the Great Hall of the People?", "2025-02-05"],
      ["When did Japarov attend the SCO summit in Astana?", "2024-07-04"],
      ["When did the Sinopharm vaccines donated by China arrive at Manas airport?", "2021-03-18"],
    ];
    for (const [text, date] of cases) {
      const answer = await qa.ask(text);
      assert.equal(firstStatedDate(answer), date, `${text}\n${answer.text}`);
    }
  });

  it("'what happened in <month>' is a timeline of that month's reports, each told by its opening", async () => {
    const answer = await qa.ask("what happened in july 2024");
    assert.deepEqual(answer.citations.map((c) => c.docId), ["017_sco-astana-2024", "018_xi-rahmon-dushanbe-2024"]);
    assert.match(answer.text, /^• 4 July 2024 — President of Kyrgyzstan Sadyr Japarov took part in the 24th meeting/);
    assert.match(answer.text, /\n• 5 July 2024 — Chinese President Xi Jinping held talks with President of Tajikistan Emomali Rahmon/);
    // A report from then comes before one that only looks ahead to the month.
    const june = await qa.ask("What was reported in June 2024?");
    assert.equal(june.citations[0].docId, "016_railway-agreement-2024", june.text);
    assert.match(june.text, /signed an intergovernmental agreement on the construction/);
  });

  it("every answer passes the grammar check", async () => {
    for (const text of [
      "When was the launch ceremony of the China–Kyrgyzstan–Uzbekistan railway project held?",
      "What did Japarov say in his Xinhua interview about the SCO?",
      "What did Jeenbekov propose at the 2019 SCO summit?",
      "List every time Japarov met Xi Jinping",
      "what did kulubaev and wang yi discuss in almaty",
    ]) {
      const answer = await qa.ask(text);
      assert.deepEqual(styleProblems(answer.text), [], `${text}\n${answer.text}`);
    }
  });

  it("suggested questions are drawn from the corpus, and each one gets a cited answer", async () => {
    const examples = await qa.exampleQuestions(6);
    assert.ok(examples.length >= 2, `suggestions: ${examples.join(" | ")}`);
    assert.equal(new Set(examples).size, examples.length);
    for (const example of examples) {
      assert.doesNotMatch(example, /What was reported on/);
      const answer = await qa.ask(example);
      assert.equal(answer.outcome, "answer", `${example}\n${answer.text}`);
      assert.ok(answer.citations.length > 0, example);
      assert.deepEqual(styleProblems(answer.text), [], `${example}\n${answer.text}`);
    }
  });
});
