/**
 * End to end, as an operator works: a corpus folder holding a PDF, a Word document and
 * a saved web page about dated visits (plus files that must be skipped) is embedded with
 * `npm run embed`, and `npm run ask` answers a question about each with its date and title.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { makeDocx } from "./support/make-docx.ts";
import { makePdf } from "./support/make-pdf.ts";
import { PAGE } from "./support/sample-page.ts";
import { runScript, type ScriptRun } from "./support/run-script.ts";

describe("a corpus of a PDF, a Word document and a web page, embedded and asked", () => {
  let base: string;
  let embed: ScriptRun;
  let answers: { question: string; outcome: string; answer: string; citations: { docId: string; title: string; date: string; source: string | null }[] }[];

  before(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), "formats-e2e-"));
    const corpusDir = path.join(base, "corpus");
    const indexDir = path.join(base, "index");
    await import("node:fs/promises").then(({ mkdir }) => mkdir(corpusDir));
    await writeFile(
      path.join(corpusDir, "ankara-talks.pdf"),
      makePdf({
        title: "Kulubaev holds talks in Ankara",
        creationDate: "D:20250611093000+06'00'",
        pages: [["Foreign Minister Jeenbek Kulubaev held talks with the Foreign Minister of Turkey in Ankara.", "The ministers discussed trade, education and new direct flights between Bishkek and Istanbul."]],
      }),
    );
    await writeFile(
      path.join(corpusDir, "rahmon-visit.docx"),
      await makeDocx({
        created: "2025-02-04T09:30:00Z",
        paragraphs: [{ heading: "Rahmon arrives in Bishkek on a state visit" }, "President of Tajikistan Emomali Rahmon arrived in Bishkek on a state visit.", "Presidents Japarov and Rahmon signed a treaty on the state border between Kyrgyzstan and Tajikistan."],
      }),
    );
    await writeFile(path.join(corpusDir, "border-market.html"), PAGE);
    await writeFile(path.join(corpusDir, "report.xlsx"), "PK not a document");
    await writeFile(path.join(corpusDir, "scan.pdf"), makePdf({ pages: [null] }));
    execFileSync("mkfifo", [path.join(corpusDir, "pipe.txt")]);
    await symlink("/dev/zero", path.join(corpusDir, "zero.txt"));
    await symlink("/etc/passwd", path.join(corpusDir, "passwd.txt"));

    const env = { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir };
    embed = await runScript("scripts/embed.ts", [], { env });
    const questions = [
      "When did Kulubaev hold talks in Ankara?",
      "When did Rahmon arrive in Bishkek on a state visit?",
      "When did Japarov and Mirziyoyev open the border market?",
    ];
    const asked = await runScript("scripts/ask.ts", ["--json", "--stdin"], { env, input: `${questions.join("\n")}\n` });
    assert.equal(asked.code, 0, asked.stderr);
    answers = asked.stdout.trim().split("\n").map((line) => JSON.parse(line));
  });

  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  test("npm run embed indexes the three documents and names every skipped file", () => {
    assert.equal(embed.code, 0, embed.stderr);
    assert.match(embed.stdout, /Documents: 3 added, 0 changed, 0 removed, 0 unchanged/);
    assert.match(embed.stderr, /warning: report\.xlsx is of an unsupported type \(\.xlsx/);
    assert.match(embed.stderr, /warning: scan\.pdf has no text layer/);
    assert.match(embed.stderr, /warning: pipe\.txt is a FIFO \(named pipe\), not a regular file; skipped/);
    assert.match(embed.stderr, /warning: zero\.txt is a symbolic link to a file outside the corpus directory; skipped/);
    assert.match(embed.stderr, /warning: passwd\.txt is a symbolic link to a file outside the corpus directory; skipped/);
    assert.match(embed.stdout, /Skipped 5 file\(s\): passwd\.txt, pipe\.txt, report\.xlsx, scan\.pdf, zero\.txt/);
  });

  const expected = [
    { docId: "ankara-talks", title: "Kulubaev holds talks in Ankara", date: "2025-06-11", long: "11 June 2025", source: null },
    { docId: "rahmon-visit", title: "Rahmon arrives in Bishkek on a state visit", date: "2025-02-04", long: "4 February 2025", source: null },
    { docId: "border-market", title: "Japarov and Mirziyoyev open a border market", date: "2025-03-12", long: "12 March 2025", source: "https://kabar.kg/news/border-market" },
  ];
  for (const [i, want] of expected.entries()) {
    test(`the ${want.docId.replace("-", " ")} document answers with its date and title`, () => {
      const answer = answers[i];
      assert.equal(answer.outcome, "answer", JSON.stringify(answer));
      assert.ok(answer.answer.includes(want.long), answer.answer);
      const [first] = answer.citations;
      assert.deepEqual({ docId: first.docId, title: first.title, date: first.date, source: first.source }, { docId: want.docId, title: want.title, date: want.date, source: want.source });
    });
  }
});
