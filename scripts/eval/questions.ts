/**
 * The evaluation question files (`test/fixtures/eval/dev.json`, `test.json`): their schema,
 * and a loader that rejects a malformed file with one line naming the file and question.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../src/errors.ts";

/** What a question tests; decides which metrics it counts in. */
export const QUESTION_KINDS = [
  "factual", "when", "paraphrase", "multi", "date-filtered", "casual", "date-only", "ordering", "list",
  "unanswerable", "near-miss", "smalltalk", "followup",
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Kinds the corpus does not answer: the right outcome is a refusal (or a partial answer). */
export const UNANSWERABLE_KINDS: ReadonlySet<QuestionKind> = new Set(["unanswerable", "near-miss"]);

/**
 * The languages a question crosses, question then documents: "en" (the default) for English
 * questions over English documents, "ru-en" for Russian questions over English documents,
 * "en-ru" and "ru-ru" over Russian documents. Each is reported as its own rows.
 */
export const QUESTION_LANGS = ["en", "ru-en", "en-ru", "ru-ru"] as const;
export type QuestionLang = (typeof QUESTION_LANGS)[number];

/** One evaluation question. */
export interface EvalQuestion {
  id: string;
  question: string;
  kind: QuestionKind;
  /** Question and document languages; default "en". */
  lang: QuestionLang;
  /** Answerable: any of them first counts for recall@1. "list": all of them should be in the top 5. */
  expectDocIds: string[];
  /** `YYYY-MM-DD` the answer must state. */
  expectDate?: string;
  /** Each must occur in the answer text, case-insensitive. */
  expectTerms?: string[];
  /** Earlier user messages of the conversation, asked first in order. */
  history?: string[];
  note?: string;
}

/** Whether a question has a right document (every kind but small talk and the unanswerable ones). */
export function isAnswerable(kind: QuestionKind): boolean {
  return kind !== "smalltalk" && !UNANSWERABLE_KINDS.has(kind);
}

/** An evaluation input problem: the message is the whole story (runCli prints it as one line). */
export class EvalInputError extends AppError {
  constructor(message: string) {
    super("EVAL_INPUT", message);
  }
}

/**
 * Reads and validates one question file; `label` names it in messages (default its file name).
 * Expected documents are checked against the index later, by `checkDocIds`.
 */
export async function loadQuestions(file: string, options: { label?: string } = {}): Promise<EvalQuestion[]> {
  const label = options.label ?? path.basename(file);
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EvalInputError(code === "ENOENT" ? `${label}: no such file (${file})` : `${label}: cannot read ${file} (${code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new EvalInputError(`${label}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new EvalInputError(`${label}: expected a JSON array of questions`);
  const seen = new Set<string>();
  return parsed.map((item, index) => {
    const q = validateQuestion(item, `${label} #${index + 1}`, label);
    if (seen.has(q.id)) throw new EvalInputError(`${label} ${q.id}: duplicate id`);
    seen.add(q.id);
    return q;
  });
}

/** Throws for the first expected document that the index does not hold. */
export function checkDocIds(questions: readonly EvalQuestion[], knownDocIds: ReadonlySet<string>, label: string): void {
  for (const q of questions) {
    const unknown = q.expectDocIds.find((docId) => !knownDocIds.has(docId));
    if (unknown !== undefined) throw new EvalInputError(`${label} ${q.id}: unknown document ${unknown}`);
  }
}

function validateQuestion(item: unknown, where: string, label: string): EvalQuestion {
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw new EvalInputError(`${where}: expected an object`);
  const q = item as Record<string, unknown>;
  if (typeof q.id !== "string" || !q.id.trim()) throw new EvalInputError(`${where}: "id" must be a non-empty string`);
  const at = `${label} ${q.id}`;
  if (typeof q.question !== "string" || !q.question.trim()) throw new EvalInputError(`${at}: "question" must be a non-empty string`);
  if (!QUESTION_KINDS.includes(q.kind as QuestionKind)) {
    throw new EvalInputError(`${at}: unknown kind ${JSON.stringify(q.kind)} (one of ${QUESTION_KINDS.join(", ")})`);
  }
  const kind = q.kind as QuestionKind;
  const strings = (name: string, value: unknown): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !v.trim())) {
      throw new EvalInputError(`${at}: "${name}" must be an array of non-empty strings`);
    }
    return value as string[];
  };
  if (q.lang !== undefined && !QUESTION_LANGS.includes(q.lang as QuestionLang)) {
    throw new EvalInputError(`${at}: unknown lang ${JSON.stringify(q.lang)} (one of ${QUESTION_LANGS.join(", ")})`);
  }
  const expectDocIds = strings("expectDocIds", q.expectDocIds ?? []) ?? [];
  if (isAnswerable(kind) && expectDocIds.length === 0) throw new EvalInputError(`${at}: a ${kind} question needs at least one expectDocIds entry`);
  if (q.expectDate !== undefined && (typeof q.expectDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(q.expectDate))) {
    throw new EvalInputError(`${at}: "expectDate" must be a YYYY-MM-DD string`);
  }
  if (q.note !== undefined && typeof q.note !== "string") throw new EvalInputError(`${at}: "note" must be a string`);
  return {
    id: q.id,
    question: q.question,
    kind,
    lang: (q.lang as QuestionLang | undefined) ?? "en",
    expectDocIds,
    ...(q.expectDate !== undefined ? { expectDate: q.expectDate as string } : {}),
    ...(q.expectTerms !== undefined ? { expectTerms: strings("expectTerms", q.expectTerms) } : {}),
    ...(q.history !== undefined ? { history: strings("history", q.history) } : {}),
    ...(q.note !== undefined ? { note: q.note as string } : {}),
  };
}
