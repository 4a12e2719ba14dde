/**
 * The answerability decision on hand-made passages: answer, partial (the subject is
 * there, what was asked is not) and refuse, with the passages that carry the outcome.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { judgeAnswerability, type Evidence } from "../src/answering/answerability.ts";
import type { Chunk, Passage } from "../src/domain.ts";
import { defaultKnowledge } from "../src/knowledge/load-knowledge.ts";
import { analyseQuestion } from "../src/question/analyse-question.ts";
import { terms } from "../src/text/terms.ts";

const knowledge = defaultKnowledge();

function passage(docId: string, publishedOn: string, text: string, score: number): Passage {
  const chunk: Chunk = { id: `${docId}#0`, docId, title: text.split(".")[0], publishedOn, sourceName: null, sourceUrl: null, ordinal: 0, text, start: 0, end: text.length };
  return { chunk, score };
}

const railway = passage("railway", "2024-06-06", "Kyrgyzstan, China and Uzbekistan signed the railway construction agreement in Beijing. The line will be 523 km long.", 0.9);
const visit = passage("visit", "2025-02-05", "Chinese President Xi Jinping held talks with President of Kyrgyzstan Sadyr Japarov in Beijing on a state visit.", 0.8);
const trade = passage("trade", "2025-02-06", "Trade between China and Kyrgyzstan reached 22.7 billion dollars in 2024, Japarov said.", 0.7);
const passages = [railway, visit, trade];

/** Evidence over the given passages: each is its own document, IDF from how many contain a term. */
function evidenceOf(given: Passage[]): Evidence {
  const docTerms = new Map(given.map((p) => [p.chunk.docId, new Set(terms(p.chunk.text))]));
  return {
    idf: (term) => Math.log(1 + (given.length + 0.5) / ([...docTerms.values()].filter((t) => t.has(term)).length + 0.5)),
    documentHasTerm: (docId, term) => docTerms.get(docId)?.has(term) ?? false,
    lede: (docId) => given.find((p) => p.chunk.docId === docId)?.chunk ?? null,
    knowledge,
  };
}

const judge = (question: string, given = passages) =>
  judgeAnswerability(analyseQuestion(question, { knowledge, today: new Date("2026-11-23T12:00:00Z") }), given, evidenceOf(given));

describe("answerability", () => {
  it("answers when a passage names every asked entity and the key words", () => {
    const decision = judge("When did Xi Jinping hold talks with Japarov?");
    assert.equal(decision.outcome, "answer");
    assert.equal(decision.supporting[0].chunk.docId, "visit");
  });

  it("what was said at an occasion needs a report that tells the occasion, in its opening or in one sentence, as held", () => {
    const talks = passage("talks", "2026-05-27", "The council of foreign ministers met in Cholpon-Ata. Kulubaev held talks with Wang Yi. They discussed the Kazarman hydropower project. Wang Yi said that China values the partnership. The ministers signed a plan of consultations.", 0.9);
    const said = judge("what did wang yi say at the kazarman hydropower signing", [talks]);
    assert.equal(said.outcome, "partial");
    assert.match(said.missing ?? "", /kazarman hydropower signing|hydropower only as planned or proposed/);
    const centre = passage("centre", "2024-08-20", "Kulubaev held talks with Wang Yi in Bishkek. Wang Yi said that China values the partnership. A Chinese Cultural Centre will open in Bishkek next year.", 0.9);
    assert.equal(judge("what did wang yi say at the opening of the chinese cultural centre", [centre]).outcome, "partial", "told only as to come");
    const summit = passage("summit", "2025-10-10", "Japarov took part in the meeting of the Council of Heads of State of the CIS in Dushanbe. In his speech, Japarov proposed a CIS platform for labour migrants. On the sidelines of the summit, Japarov met Putin.", 0.9);
    assert.equal(judge("What did Japarov propose at the CIS summit in Dushanbe?", [summit]).outcome, "answer", "the opening names the CIS, a sentence the summit");
  });

  it("'where in X' is not answered by X itself; 'the first stage' not by a report of the second; 'is planned for' is still to come", () => {
    const csto = passage("csto", "2024-11-28", "Japarov took part in the CSTO session in Astana. The priorities will be joint exercises of the rapid reaction forces in Kyrgyzstan.", 0.9);
    assert.equal(judge("where in kyrgyzstan will the csto rapid reaction forces hold exercises", [csto]).outcome, "partial");
    const osh = passage("osh", "2024-11-28", "Japarov took part in the CSTO session in Astana. Joint exercises of the rapid reaction forces will be held in Osh in Kyrgyzstan.", 0.9);
    assert.equal(judge("where in kyrgyzstan will the csto rapid reaction forces hold exercises", [osh]).outcome, "answer");
    const measured = passage("measured", "2026-03-18", "Builders completed the boring of the first tunnel of the railway. The tunnel, 4.3 km long, is near Makmal.", 0.9);
    assert.notEqual(judge("how many tunnels will the railway have", [measured]).outcome, "answer", "4.3 km measures a tunnel, it counts none");
    const tunnel = passage("tunnel", "2026-03-18", "Builders completed the second tunnel of the railway, 3.2 km long, on Tuesday.", 0.9);
    assert.equal(judge("how long is the first tunnel of the railway", [tunnel]).outcome, "partial");
    assert.equal(judge("how long is the second tunnel of the railway", [tunnel]).outcome, "answer");
    const committee = passage("committee", "2024-04-17", "Shakiev held talks with Zhao Leji in Bishkek. The first meeting of the inter-parliamentary committee is planned for the autumn in Beijing.", 0.9);
    assert.notEqual(judge("what did the inter-parliamentary committee decide at its first meeting", [committee]).outcome, "answer");
  });

  it("the date of the first few of a number of things is not the date of all of them or of the rest", () => {
    const buses = passage("buses", "2026-06-24", "Kasymaliev met Li Qiang in Dalian. They discussed trade and investment. The first 120 of the 300 electric buses ordered for Bishkek arrived in April.", 0.9);
    assert.notEqual(judge("When will the rest of the 300 electric buses for Bishkek arrive?", [buses]).outcome, "answer");
    assert.equal(judge("When did the first electric buses for Bishkek arrive?", [buses]).outcome, "answer");
  });

  it("refuses when no passage names the asked entities together", () => {
    const decision = judge("When did Putin hold talks with Japarov?");
    assert.equal(decision.outcome, "refuse");
    assert.deepEqual(decision.supporting, []);
    assert.match(decision.reasons[0], /Putin/);
  });

  it("a number answers 'how many' only when it counts the asked thing, beside what it belongs to", () => {
    const bedel = passage("bedel", "2026-07-02", "The Bedel checkpoint on the Kyrgyz–Chinese border was opened for cargo traffic. It lies at an altitude of 4,000 metres. On the first day, 46 trucks crossed the border.", 0.9);
    assert.equal(judge("how many trucks crossed bedel on the first day", [bedel]).outcome, "answer");
    assert.notEqual(judge("How many people live near the Bedel checkpoint?", [bedel]).outcome, "answer");
    // The figure is counted over the asked span, and is what happened, not what the checkpoint can take.
    assert.notEqual(judge("how many trucks crossed bedel in its first month", [bedel]).outcome, "answer");
    assert.notEqual(judge("how many trucks have crossed bedel since it opened", [bedel]).outcome, "answer");
    const capacity = passage("capacity", "2026-07-02", "The Bedel checkpoint was opened for cargo traffic. It can handle up to 200 trucks a day.", 0.9);
    assert.notEqual(judge("how many trucks have crossed bedel", [capacity]).outcome, "answer");
    assert.equal(judge("how many trucks can bedel handle a day", [capacity]).outcome, "answer");
    const flights = passage("flights", "2025-04-10", "Ma Xingrui visited Bishkek. The flight between Osh and Kashgar now operates four times a week, with four flights planned. He proposed a trade house in Urumqi.", 0.9);
    assert.equal(judge("how many flights a week are there between osh and urumqi", [flights]).outcome, "partial");
    assert.equal(judge("how many flights a week are there between osh and kashgar", [flights]).outcome, "answer");
  });

  it("a measure belongs to the thing its sentence names: another checkpoint's altitude does not answer for the asked one", () => {
    const crossings = passage("crossings", "2026-07-02", "Cargo from Torugart and Irkeshtam will reach China faster. The Irkeshtam pass lies at an altitude of 2,950 metres, the report said.", 0.9);
    assert.notEqual(judge("At what altitude is the Torugart checkpoint?", [crossings]).outcome, "answer");
    assert.equal(judge("At what altitude is the Irkeshtam pass?", [crossings]).outcome, "answer");
  });

  it("a number shared by a list of three names is not the number of the one asked about", () => {
    const semester = passage("semester", "2025-08-14", "The ministers launched the Silk Road Semester exchange. Under it, 200 Kyrgyz students a year will study at Xinjiang University, Lanzhou University and Shaanxi Normal University.", 0.9);
    assert.equal(judge("how many students will shaanxi normal university take under the silk road semester", [semester]).outcome, "partial");
    assert.equal(judge("how many kyrgyz students will study under the silk road semester", [semester]).outcome, "answer");
    const cost = passage("cost", "2024-06-06", "China, Kyrgyzstan and Uzbekistan will share the cost of the railway, estimated at 4.7 billion dollars.", 0.9);
    assert.equal(judge("How much will Uzbekistan pay for the railway?", [cost]).outcome, "partial");
    assert.equal(judge("How much will the railway cost?", [cost]).outcome, "answer");
    // A capital is a stand-in for its government, not a town of a list: "Bishkek, Osh and Tokmok" are not Kyrgyzstan's share.
    const fuel = passage("fuel", "2025-08-15", "Russia has delivered 640,000 tonnes of fuel to Kyrgyzstan, and three schools will open in Bishkek, Osh and Tokmok.", 0.9);
    assert.equal(judge("How much fuel has Russia delivered to Kyrgyzstan?", [fuel]).outcome, "answer");
  });

  it("a measure of another kind does not answer: a length needs a length, a share a share, a cost money", () => {
    const line = passage("line", "2026-10-21", "They signed a memorandum on the Kyrgyz section of Line D of the gas pipeline, which will carry up to 1.5 billion cubic metres a year.", 0.9);
    assert.equal(judge("How long is the Kyrgyz section of Line D?", [line]).outcome, "partial");
    const long = passage("long", "2026-10-21", "The Kyrgyz section of Line D of the gas pipeline will be 215 km long.", 0.9);
    assert.equal(judge("How long is the Kyrgyz section of Line D?", [long]).outcome, "answer");
    const deal = passage("deal", "2026-02-12", "Kyrgyzstan and China signed an agreement on the Kazarman hydropower project, estimated at 2.4 billion dollars.", 0.9);
    assert.equal(judge("What share of the Kazarman hydropower project does Kyrgyzstan hold?", [deal]).outcome, "partial");
    assert.equal(judge("How much will the Kazarman hydropower project cost?", [deal]).outcome, "answer");
    const venture = passage("venture", "2026-02-12", "Under the Kazarman hydropower project agreement, Kyrgyzstan holds 49 percent of the joint venture.", 0.9);
    assert.equal(judge("What share of the Kazarman hydropower project does Kyrgyzstan hold?", [venture]).outcome, "answer");
    assert.equal(analyseQuestion("Сколько стоило строительство пункта пропуска?", { knowledge, today: new Date("2026-11-23T12:00:00Z") }).expects, "amount");
  });

  it("an event the report speaks of only as to come does not answer what happened at it", () => {
    const planned = passage("planned", "2026-06-24", "Li Qiang met Adylbek Kasymaliev in Dalian. They agreed that the 16th meeting of the Intergovernmental Commission on Trade will be held in Beijing in the autumn.", 0.9);
    assert.equal(judge("What was agreed at the 16th intergovernmental commission in Beijing?", [planned]).outcome, "partial");
    const held = passage("held", "2025-08-20", "The 15th meeting of the Intergovernmental Commission on Trade was held in Cholpon-Ata. The commission agreed to create a subcommission on energy.", 0.9);
    assert.equal(judge("What was agreed at the 15th intergovernmental commission?", [held]).outcome, "answer");
    const ahead = passage("ahead", "2026-05-27", "The SCO foreign ministers met in Cholpon-Ata ahead of the Bishkek summit and discussed the draft declaration.", 0.9);
    assert.equal(judge("what did the sco summit in bishkek decide", [ahead]).outcome, "partial");
    assert.equal(judge("What did the SCO foreign ministers discuss ahead of the summit?", [ahead]).outcome, "answer");
    // Discussed, asked for or proposed is not done.
    const asked = passage("asked", "2024-09-28", "Kulubaev met Wang Yi at the UN General Assembly in New York. Kulubaev asked China to co-sponsor the resolution on sustainable mountain development.", 0.9);
    assert.equal(judge("when did the un general assembly adopt the resolution on sustainable mountain development", [asked]).outcome, "partial");
    const discussed = passage("discussed", "2021-05-12", "Kazakbaev met Wang Yi in Xi'an. The ministers discussed the restoration of regular passenger flights between Bishkek and Urumqi.", 0.9);
    assert.notEqual(judge("when did regular flights between bishkek and urumqi resume", [discussed]).outcome, "answer");
    assert.equal(judge("When did Kazakbaev and Wang Yi discuss flights between Bishkek and Urumqi?", [discussed]).outcome, "answer", "the question asks of the discussion itself");
  });

  it("'how many tonnes of X' counts X, and a day of the month is no count", () => {
    const exports = passage("exports", "2024-06-20", "Kyrgyzstan exported 1,000 tonnes of cherries to China this year, along with its first dried apricots and honey.", 0.9);
    assert.equal(judge("How many tonnes of dried apricots did Kyrgyzstan export to China?", [exports]).outcome, "partial");
    assert.equal(judge("How many tonnes of cherries did Kyrgyzstan export to China?", [exports]).outcome, "answer");
    const signed = passage("signed", "2023-10-24", "Kyrgyzstan and China signed protocols on 24 October on exports of cherries to China.", 0.9);
    assert.equal(judge("How many cherries did Kyrgyzstan export to China?", [signed]).outcome, "partial");
  });

  it("'who was the ambassador' needs the title with a name, not another person nearby", () => {
    const opening = passage("opening", "2026-09-07", "The cardiac centre was opened in Osh. The opening ceremony of the cardiac centre was attended by Chairman of the Cabinet of Ministers Adylbek Kasymaliev and the Ambassador of China.", 0.9);
    assert.equal(judge("who was the chinese ambassador at the opening of the cardiac centre in osh", [opening]).outcome, "partial");
    const named = passage("named", "2026-09-07", "The cardiac centre was opened in Osh. The opening ceremony of the cardiac centre was attended by Ambassador of China to Kyrgyzstan Du Dewen.", 0.9);
    assert.equal(judge("who was the chinese ambassador at the opening of the cardiac centre in osh", [named]).outcome, "answer");
  });

  it("'which came later, A or B' matches each side to its report and lets the dates decide", () => {
    const csto = passage("csto", "2024-11-28", "Japarov took part in the session of the CSTO Collective Security Council in Astana.", 0.9);
    const cis = passage("cis", "2025-10-10", "Japarov took part in the CIS summit in Dushanbe.", 0.8);
    const later = judge("which came later, the csto session in astana or the cis summit in dushanbe", [csto, cis]);
    assert.equal(later.outcome, "answer");
    assert.equal(later.supporting[0].chunk.docId, "cis");
    assert.deepEqual(later.comparison, { later: true, chosen: "the cis summit in dushanbe", other: "the csto session in astana" });
    const first = judge("Which came first: the CIS summit in Dushanbe or the CSTO session in Astana?", [cis, csto]);
    assert.equal(first.supporting[0].chunk.docId, "csto");
    assert.equal(judge("Did Japarov go to Astana or Dushanbe first?", [csto]).comparison, undefined, "one report is no comparison");
  });

  it("a comparison's side is the report that opens with it, in either language, and the question word may come after a lead-in", () => {
    const agreement = passage("agreement", "2024-08-20", "Kulubaev held talks with Wang Yi in Bishkek. They discussed trade and transport. A Chinese Cultural Centre will open in Bishkek next year.", 0.9);
    const opened = passage("opened", "2025-09-19", "The Chinese Cultural Centre in Bishkek was officially opened on Thursday.", 0.7);
    const cardiac = passage("cardiac", "2026-09-07", "The Osh cardiac centre was opened on Monday.", 0.6);
    const centre = judge("Which came first, the opening of the Chinese Cultural Centre in Bishkek or the opening of the Osh cardiac centre?", [agreement, opened, cardiac]);
    assert.equal(centre.supporting[0].chunk.docId, "opened", "the report of the opening, not the agreement that one will open");
    const fair = passage("fair", "2025-06-28", "The customs service reported the number of trucks. Trade grew in May. Kyrgyz companies presented textiles, honey and dried fruit in Urumqi.", 0.9);
    const honey = passage("honey", "2025-06-30", "Кыргызстан впервые отправил в Китай партию меда.", 0.7);
    const beef = passage("beef", "2026-03-13", "The first consignment of Kyrgyz beef arrived in China.", 0.8);
    const first = judge("so in the end what got to china first, kyrgyz honey or kyrgyz beef?", [fair, beef, honey]);
    assert.equal(first.comparison?.chosen, "kyrgyz honey");
    assert.equal(first.supporting[0].chunk.docId, "honey", "the Russian report of the first honey, through the glossary and the names' Cyrillic forms");
  });

  it("'did X visit A or B first' compares the two with what is said of both", () => {
    const moscow = passage("moscow", "2025-03-18", "Kasymaliev held talks with Russian Prime Minister Mishustin in Moscow on his first visit to Russia.", 0.8);
    const beijing = passage("beijing", "2025-05-21", "Li Qiang held talks with Kasymaliev in Beijing on his first visit to China.", 0.9);
    const other = passage("other", "2025-01-10", "Japarov visited Russia and China last year.", 0.95);
    const decision = judge("did kasymaliev visit russia or china first after becoming head of government", [other, beijing, moscow]);
    assert.equal(decision.supporting[0].chunk.docId, "moscow", "Kasymaliev's visits, not another's");
    assert.deepEqual(decision.comparison, { later: false, chosen: "russia", other: "china" });
  });

  it("an answer needs the question's focus, its rarest key word: the commoner ones matching is not enough", () => {
    const sco = passage("sco", "2024-07-04", "Kyrgyzstan and China agreed to expand cooperation in energy, trade and transport at the summit.", 0.9);
    const trade = passage("trade", "2024-07-05", "Trade, energy and transport cooperation grew, the ministers agreed.", 0.8);
    const launch = passage("launch", "2024-07-06", "A satellite was launched into space from Baikonur.", 0.7);
    const asked = "What did Kyrgyzstan and China agree about energy, trade, transport and space cooperation?";
    const near = judge(asked, [sco, trade, launch]);
    assert.equal(near.outcome, "partial");
    assert.equal(near.missing, "do not mention space");
    assert.equal(near.supporting[0].chunk.docId, "sco", "the lead passage stays the best ranked");
    const space = passage("space", "2024-07-04", "Kyrgyzstan and China agreed to expand cooperation in energy, trade, transport and space.", 0.95);
    assert.equal(judge(asked, [space, trade, launch]).outcome, "answer");
  });

  it("refuses with nothing retrieved", () => {
    assert.equal(judge("When did Xi visit?", []).outcome, "refuse");
  });

  it("gives a partial answer when the subject is there but the asked amount is not", () => {
    const decision = judge("How much will the railway between China, Kyrgyzstan and Uzbekistan cost?", [railway]);
    assert.equal(decision.outcome, "partial");
    assert.equal(decision.missing, "do not give the amount");
    assert.equal(decision.supporting[0], railway);
  });

  it("answers an amount question from a passage that gives one", () => {
    const decision = judge("How much was trade between China and Kyrgyzstan in 2024?");
    assert.equal(decision.outcome, "answer");
    assert.equal(decision.supporting[0], trade);
  });

  it("gives a partial answer when the asked period is not reported", () => {
    const decision = judge("When did Xi Jinping hold talks with Japarov in 2019?");
    assert.equal(decision.outcome, "partial");
    assert.match(decision.missing ?? "", /2019/);
  });

  it("gives a partial answer when key words are missing from passages about the entities", () => {
    const decision = judge("What did Kyrgyzstan and China agree about space exploration?");
    assert.equal(decision.outcome, "partial");
    assert.match(decision.missing ?? "", /space/);
  });

  it("refuses a question about nothing the passages speak of", () => {
    assert.equal(judge("what is a good recipe for plov").outcome, "refuse");
  });

  it("picks the latest of the answering passages for 'last'", () => {
    const older = passage("older", "2023-05-18", "Chinese President Xi Jinping held talks with President of Kyrgyzstan Sadyr Japarov in Xi'an.", 0.95);
    const decision = judge("When did Xi Jinping and Japarov last hold talks?", [older, visit]);
    assert.equal(decision.supporting[0], visit);
    assert.equal(judge("When did Xi Jinping and Japarov first hold talks?", [visit, older]).supporting[0], older);
  });

  it("'the latest meeting' reaches a report ranked below the best few when one of its sentences names both people", () => {
    const filler = (i: number) => passage(`filler${i}`, "2024-01-0" + (i + 1), `Kulubaev met Wang Yi in Bishkek for talks number ${i}.`, 0.9 - i / 100);
    const summit = passage("summit", "2026-05-27", "The SCO foreign ministers met in Cholpon-Ata. On 26 May, Kulubaev held bilateral talks with Wang Yi.", 0.5);
    const decision = judge("what was the latest meeting between kulubaev and wang yi", [...[0, 1, 2, 3, 4, 5].map(filler), summit]);
    assert.equal(decision.supporting[0], summit);
    // Ranked below and a day later, the summit the two attended is the same trip: the better-ranked talks stand.
    const talks = passage("talks", "2025-08-31", "Chinese President Xi Jinping met with President of Kyrgyzstan Sadyr Japarov in Tianjin.", 0.9);
    const council = passage("council", "2025-09-01", "Sadyr Japarov took part in the meeting of the SCO Council of Heads of State in Tianjin under the chairmanship of Xi Jinping.", 0.6);
    assert.equal(judge("most recent meeting between xi and japarov?", [talks, council]).supporting[0], talks);
  });

  it("a function word never stands in for an asked word, however close its vector", () => {
    const meeting = passage("meeting", "2024-09-28", "Kulubaev met Wang Yi in New York. Wang Yi said that China will co-sponsor the resolution.", 0.9);
    // Word vectors put "sign" near "will" and "that": only content words may paraphrase.
    const similar = (a: string, b: string) => (a === "sign" && ["will", "that"].includes(b) ? 0.63 : 0);
    const decision = judgeAnswerability(analyseQuestion("What did Kulubaev and Wang Yi sign in New York?", { knowledge }), [meeting], { ...evidenceOf([meeting]), wordSimilarity: similar });
    assert.equal(decision.outcome, "partial");
  });

  it("an asked name never stands in for a key word, however close its vector", () => {
    const vaccines = passage("vaccines", "2021-03-18", "China delivered vaccines to Kyrgyzstan. The cargo was received by the health minister.", 0.9);
    // The vectors put "trade" near "china" (0.63): the name is what was asked about, not what was asked.
    const similar = (a: string, b: string) => (a === "trade" && b === "china" ? 0.63 : 0);
    const decision = judgeAnswerability(analyseQuestion("what was china kyrgyzstan trade in 2021", { knowledge, today: new Date("2026-11-23T12:00:00Z") }), [vaccines], { ...evidenceOf([vaccines]), wordSimilarity: similar });
    assert.equal(decision.outcome, "partial");
  });

  it("the words that ask for a list are not what the passages must hold", () => {
    const question = analyseQuestion("list every time japarov met xi in 2025", { knowledge, today: new Date("2026-11-23T12:00:00Z") });
    assert.equal(question.expects, "list");
    assert.deepEqual(question.keywordWords, ["met"]);
  });

  it("a list takes a report whose only word for the asked thing heads a name: the China–Central Asia Summit is a summit", () => {
    const tianjin = passage("tianjin", "2025-09-01", "Japarov attended the SCO summit in Tianjin on Monday.", 0.9);
    const astana = passage("astana", "2025-06-17", "Japarov attended talks with Xi Jinping in Astana on the sidelines of the second China–Central Asia Summit.", 0.8);
    const csto = passage("csto", "2024-11-28", "Japarov attended the session of the Collective Security Treaty Organization in Astana.", 0.7);
    const given = [tianjin, astana, csto];
    const summits = judge("which summits did japarov attend", given);
    assert.equal(summits.outcome, "answer");
    assert.deepEqual(summits.supporting.map((p) => p.chunk.docId).sort(), ["astana", "tianjin"]);
    // A name's last word says what it names: the Collective Security Treaty Organization is no treaty.
    const treaties = judge("list every treaty japarov attended", given);
    assert.notEqual(treaties.outcome, "answer");
  });

  it("one country's part is not another's: the Kyrgyz section's tunnels do not count the Uzbek section's", () => {
    const tunnels = passage("tunnels", "2026-03-18", "Builders completed the first tunnel on the Kyrgyz section of the China–Kyrgyzstan–Uzbekistan railway. Work is going on at the sites of 12 tunnels in the Fergana range.", 0.9);
    assert.equal(judge("how many tunnels are on the uzbek section of the railway", [tunnels]).outcome, "partial");
    assert.equal(judge("how many tunnels are on the kyrgyz section of the railway", [tunnels]).outcome, "answer");
  });

  it("of a sentence that tells each side's part, only the asked side's clause names who", () => {
    const talks = passage("consular", "2024-10-24", "The foreign ministries held consultations on consular issues. The Kyrgyz delegation was led by Deputy Minister of Foreign Affairs Almaz Imangaziev, and the Chinese delegation by the Director-General of the Department of Consular Affairs.", 0.9);
    assert.equal(judge("who led the chinese side at the consular consultations", [talks]).outcome, "partial");
    assert.equal(judge("who led the kyrgyz side at the consular consultations", [talks]).outcome, "answer");
  });

  it("'why' is answered by a sentence that gives a cause or a purpose, not by one that tells the event", () => {
    const lane = passage("lane", "2021-05-13", "Wang Yi proposed creating a green lane for Kyrgyz farm products at the border, so that trucks with fruit are cleared within 24 hours.", 0.9);
    assert.equal(judge("why did wang yi propose a green lane at the border", [lane]).outcome, "answer");
    const csto = passage("csto", "2024-11-29", "Japarov took part in the CSTO session in Astana. Armenia, which has frozen its participation in the organization, did not attend.", 0.9);
    assert.equal(judge("why did armenia freeze its participation in the csto", [csto]).outcome, "partial");
  });

  it("'in which city' is answered by a town named as a venue, not by a university's name", () => {
    const memo = passage("memo", "2025-08-14", "The education ministers signed a memorandum on the Silk Road Semester student exchange. The students will study at Osh State University and at Lanzhou University.", 0.9);
    assert.equal(judge("in which city was the silk road semester memorandum signed", [memo]).outcome, "partial");
    const signed = passage("signed", "2025-08-14", "The education ministers signed a memorandum on the Silk Road Semester student exchange in Urumqi.", 0.9);
    assert.equal(judge("in which city was the silk road semester memorandum signed", [signed]).outcome, "answer");
  });

  it("a figure dated to another year does not answer for the asked year", () => {
    const trade = passage("trade", "2025-06-17", "Tokayev and Xi noted that trade between Kazakhstan and China reached 43.8 billion dollars in 2024.", 0.9);
    assert.equal(judge("how much was trade between kazakhstan and china in 2025", [trade]).outcome, "partial");
    assert.equal(judge("how much was trade between kazakhstan and china in 2024", [trade]).outcome, "answer");
  });

  it("'what was the trade' asks for the figure in money: a count of doses or a meeting does not answer it", () => {
    const aid = passage("aid", "2021-05-12", "Kazakbaev met Wang Yi and discussed trade between Kyrgyzstan and China. China donated 150,000 doses of vaccine to Kyrgyzstan in 2021.", 0.9);
    assert.equal(judge("what was china kyrgyzstan trade in 2021", [aid]).outcome, "partial");
    const figures = passage("figures", "2022-01-20", "Trade between Kyrgyzstan and China reached 7.5 billion dollars in 2021, customs reported.", 0.9);
    assert.equal(judge("what was china kyrgyzstan trade in 2021", [figures]).outcome, "answer");
  });

  it("'the two countries' of a figure are the report's two: Kyrgyz–Turkmen trade does not answer for Uzbekistan", () => {
    const ashgabat = passage("ashgabat", "2026-10-21", "President of Kyrgyzstan Sadyr Japarov held talks with President of Turkmenistan Serdar Berdimuhamedov in Ashgabat. They signed an agreement on the supply of electricity through the power grid of Uzbekistan. The leaders noted that trade between the two countries amounted to about 60 million dollars in 2025.", 0.9);
    assert.equal(judge("what was trade between kyrgyzstan and uzbekistan", [ashgabat]).outcome, "partial");
    assert.equal(judge("what was trade between kyrgyzstan and turkmenistan", [ashgabat]).outcome, "answer");
  });

  it("'how many Chinese students' is not answered by a count of another country's students", () => {
    const grants = passage("grants", "2024-05-22", "The Embassy of China in Kyrgyzstan presented scholarships to 120 Kyrgyz students in Bishkek. About 6,200 students from Kyrgyzstan study in China.", 0.9);
    assert.equal(judge("how many chinese students study in kyrgyzstan", [grants]).outcome, "partial");
    assert.equal(judge("how many kyrgyz students study in china", [grants]).outcome, "answer");
    const exchange = passage("exchange", "2025-08-14", "Under the exchange programme, 200 Kyrgyz students will study in China and 80 Chinese students will study in Kyrgyzstan.", 0.9);
    assert.equal(judge("how many chinese students study in kyrgyzstan", [exchange]).outcome, "answer");
  });

  it("an amount in a passage that holds none of the asked words is not their figure, whatever its report's opening says", () => {
    const lede = passage("moscow", "2025-03-18", "Kasymaliev and Mishustin discussed trade between Russia and Kyrgyzstan in Moscow.", 0.9);
    const fund = { chunk: { ...passage("moscow", "2025-03-18", "Kasymaliev thanked Russia for the additional contribution of 100 million dollars to the development fund.", 0.8).chunk, id: "moscow#1", ordinal: 1 }, score: 0.8 };
    assert.equal(judge("russia kyrgyzstan trade 2025", [lede, fund]).outcome, "partial");
  });

  it("'how many tonnes of dried apricots' counts apricots: not a near word in a report that says apricots too", () => {
    const cherries = passage("cherries", "2024-06-20", "Kyrgyzstan exported the first cherries to China under the protocol on cherries and apricots. Two trucks carried 21 tonnes of cherries to Kashgar.", 0.9);
    const similar = (a: string, b: string) => (new Set([a, b]).size === 2 && [a, b].every((w) => ["apricots", "cherries"].includes(w)) ? 0.9 : 0);
    const decision = judgeAnswerability(analyseQuestion("How many tonnes of apricots did Kyrgyzstan export to China", { knowledge, today: new Date("2026-11-23T12:00:00Z") }), [cherries], { ...evidenceOf([cherries]), wordSimilarity: similar });
    assert.equal(decision.outcome, "partial");
    const plums = passage("plums", "2024-06-20", "Kyrgyzstan exported 40 tonnes of dried plums to China this spring, while apricot exports begin next year.", 0.9);
    assert.equal(judge("how many tonnes of dried apricots did kyrgyzstan export to china", [plums]).outcome, "partial");
  });

  it("a date-only question with no report of that day gets nothing, not a report that says 'may' and '2024'", () => {
    const visit = passage("visit", "2025-02-05", "Xi said that cooperation may grow further, and that trade reached 22.7 billion dollars in 2024.", 0.9);
    assert.equal(judge("what happened on 1 may 2024", [visit]).outcome, "refuse");
    const day = passage("day", "2025-02-05", "On 1 May 2024 the first container train left Xi'an for Bishkek.", 0.9);
    assert.equal(judge("what happened on 1 may 2024", [day]).outcome, "answer");
  });

  it("a sentence that names a measure ('the total cost', 'the investment') gives it for its report's subject", () => {
    const railway = { chunk: { ...passage("railway", "2024-06-06", "China, Kyrgyzstan and Uzbekistan signed the railway construction agreement in Beijing. The line will be 523 km long.", 0.9).chunk }, score: 0.9 };
    const cost = { chunk: { ...passage("railway", "2024-06-06", "The total cost is estimated at 4.7 billion dollars. The railway will use the standard gauge.", 0.8).chunk, id: "railway#1", ordinal: 1 }, score: 0.8 };
    assert.equal(judge("how much will the railway under the agreement cost", [railway, cost]).outcome, "answer");
    const venture = { chunk: { ...passage("railway", "2024-06-06", "A joint venture with 1,200 workers will build the railway.", 0.8).chunk, id: "railway#1", ordinal: 1 }, score: 0.8 };
    assert.equal(judge("how much will the railway under the agreement cost", [railway, venture]).outcome, "partial");
  });

  it("'when did …' is dated by its report when a sentence tells the asked event as done, not when it is only to come", () => {
    const forum = passage("forum", "2024-10-08", "The Kyrgyzstan–Xinjiang forum opened in Bishkek. More than 300 officials took part. The Naryn region and the city of Artux signed a sister-city agreement.", 0.9);
    assert.equal(judge("When did Naryn and Artux sign a sister-city agreement?", [forum]).outcome, "answer");
    const plan = passage("plan", "2024-10-08", "The Kyrgyzstan–Xinjiang forum opened in Bishkek. More than 300 officials took part. The Naryn region and the city of Artux will sign a sister-city agreement.", 0.9);
    assert.equal(judge("When did Naryn and Artux sign a sister-city agreement?", [plan]).outcome, "partial");
    // Typed without a tense it asks of what was done; "when do … start" asks of what is to come.
    assert.equal(judge("naryn artux sister-city agreement signing when", [forum]).outcome, "answer");
    const flights = passage("flights", "2026-10-21", "Japarov held talks in Ashgabat. The presidents discussed direct flights between Bishkek and Ashgabat. Japarov proposed launching the flights.", 0.9);
    assert.equal(judge("when do direct flights between bishkek and ashgabat start", [flights]).outcome, "partial");
  });

  it("'how fast' is answered by a speed, not by a length", () => {
    const line = passage("line", "2026-03-18", "About 180 km of access roads have been built for the China–Kyrgyzstan–Uzbekistan railway, and the line will be 523 km long.", 0.9);
    assert.equal(judge("how fast will trains go on the china kyrgyzstan uzbekistan railway", [line]).outcome, "partial");
    const fast = passage("fast", "2026-03-18", "Trains will go at up to 120 km/h on the China–Kyrgyzstan–Uzbekistan railway.", 0.9);
    assert.equal(judge("how fast will trains go on the china kyrgyzstan uzbekistan railway", [fast]).outcome, "answer");
  });

  it("'how often' is answered by a frequency, not by any number", () => {
    const committee = passage("committee", "2024-04-17", "The speakers signed a memorandum in Bishkek. The cooperation committee of the two parliaments will meet once a year, alternately in Bishkek and Beijing.", 0.9);
    assert.equal(judge("how often will the parliaments' cooperation committee meet", [committee]).outcome, "answer");
    const members = passage("members", "2024-04-17", "The speakers set up a cooperation committee of the two parliaments with 12 members in Bishkek.", 0.9);
    assert.equal(judge("how often will the parliaments' cooperation committee meet", [members]).outcome, "partial");
  });

  it("'what day' needs a day, not a month; an altitude is no distance", () => {
    const treaty = passage("treaty", "2025-10-10", "Japarov and Rahmon met at the CIS summit. They spoke about trade and water. The presidents discussed the treaty on the Kyrgyz–Tajik state border signed in March.", 0.9);
    assert.equal(judge("what day in march was the kyrgyz-tajik border treaty signed", [treaty]).outcome, "partial");
    assert.equal(judge("when was the kyrgyz-tajik border treaty signed", [treaty]).outcome, "answer");
    const bedel = passage("bedel", "2026-07-02", "The Bedel checkpoint, located at an altitude of more than 4,000 metres, connects the Issyk-Kul region with Aksu.", 0.9);
    assert.equal(judge("how far is the bedel checkpoint from aksu", [bedel]).outcome, "partial");
    assert.equal(judge("at what altitude is the bedel checkpoint", [bedel]).outcome, "answer");
  });

  it("an ordinal the question gives must be in the report: the second tunnel is not the first", () => {
    const first = passage("first", "2026-03-18", "Builders completed the first tunnel on the Kyrgyz section of the railway. The tunnel is 4.3 km long.", 0.9);
    assert.equal(judge("how long is the second tunnel on the kyrgyz section of the railway", [first]).outcome, "partial");
    assert.equal(judge("how long is the first tunnel on the kyrgyz section of the railway", [first]).outcome, "answer");
    const second = passage("second", "2026-09-01", "Builders completed the second tunnel on the Kyrgyz section of the railway, 2.1 km long.", 0.8);
    const decision = judge("how long is the second tunnel on the kyrgyz section of the railway", [first, second]);
    assert.equal(decision.outcome, "answer");
    assert.equal(decision.supporting[0].chunk.docId, "second", "the report that gives the ordinal answers");
  });

  it("'which city' is not answered by a country", () => {
    const commission = passage("commission", "2024-06-12", "The border commission met on Tuesday. The next meeting of the border commission will be held in China in 2025.", 0.9);
    assert.equal(judge("in which chinese city will the next border commission meeting be held", [commission]).outcome, "partial");
    assert.equal(judge("in which country will the next border commission meeting be held", [commission]).outcome, "answer");
  });

  it("a measure asked for needs the measure: 'what was the budget' is not answered by its approval", () => {
    const sco = passage("sco", "2022-11-01", "The heads of government of the SCO approved the budget of the organisation for 2023.", 0.9);
    assert.equal(judge("What was the SCO budget for 2023?", [sco]).outcome, "partial");
    const plant = passage("plant", "2025-02-12", "The Kazarman cascade of hydropower plants will have a total capacity of 1,160 MW.", 0.9);
    const decision = judge("What is the total capacity of the Kazarman hydropower cascade?", [plant]);
    assert.equal(decision.outcome, "answer");
    assert.match(decision.answerSentence ?? "", /1,160 MW/, "the sentence that holds the amount is handed to the answerer");
  });

  it("a number counts the asked thing only through a content word, not a function word the vectors put near it", () => {
    const bedel = passage("bedel", "2026-07-02", "The Bedel checkpoint was opened. It lies at an altitude of more than 4,000 metres, near the Aksu prefecture.", 0.9);
    const similar = (a: string, b: string) => (a === "people" && ["than", "more"].includes(b) ? 0.76 : 0);
    const decision = judgeAnswerability(analyseQuestion("How many people live in the Aksu prefecture?", { knowledge }), [bedel], { ...evidenceOf([bedel]), wordSimilarity: similar });
    assert.notEqual(decision.outcome, "answer");
  });

  it("the question's focus counts where a passage says it, not inside another name", () => {
    const csto = passage("csto", "2024-11-28", "The Collective Security Treaty Organization met in Astana. The leaders of Kyrgyzstan, Kazakhstan and Tajikistan approved a programme to strengthen the Tajik–Afghan border.", 0.9);
    assert.equal(judge("where was the kyrgyz tajik border treaty signed", [csto]).outcome, "partial");
    const treaty = passage("treaty", "2025-03-13", "The Kyrgyz and Tajik presidents signed the border treaty in Khujand.", 0.9);
    assert.equal(judge("where was the kyrgyz tajik border treaty signed", [treaty]).outcome, "answer");
  });

  it("'which company' needs an organisation's name, not who paid", () => {
    const centre = passage("centre", "2026-09-07", "The Osh cardiac surgery centre, built with a grant from the government of China, was opened in Osh.", 0.9);
    assert.equal(judge("which company built the osh cardiac centre", [centre]).outcome, "partial");
    const named = passage("named", "2026-09-07", "The Osh cardiac surgery centre was built by the China State Construction Engineering Corporation.", 0.9);
    assert.equal(judge("which company built the osh cardiac centre", [named]).outcome, "answer");
  });
});
