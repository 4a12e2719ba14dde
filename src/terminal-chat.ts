/**
 * The chat in the terminal that `npm start` opens when no TELEGRAM_BOT_TOKEN is set:
 * one question per line, answers with sources, follow-ups on the previous answer.
 */
import { createInterface } from "node:readline";
import type { QaService, Turn } from "./answering/answerer.ts";
import { formatShortDate } from "./dates.ts";
import { renderPlain } from "./answering/render-text.ts";
import { AppError, GENERIC_APOLOGY } from "./errors.ts";

/** How long an answer stays the context of a follow-up, in milliseconds. */
const FOLLOW_UP_WINDOW_MS = 10 * 60_000;

export interface TerminalChatOptions {
  qa: QaService;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Where unexpected errors are reported (not the chat). */
  onError?: (error: unknown) => void;
}

function helpText(qa: QaService): string {
  const o = qa.overview();
  const period = o.firstDate && o.lastDate ? ` from ${formatShortDate(o.firstDate)} to ${formatShortDate(o.lastDate)}` : "";
  return [
    `Ask about official visits and meetings: ${o.documents} documents${period}.`,
    `Try: ${qa.exampleQuestions(2).map((q) => `"${q}"`).join(" or ") || '"When did the presidents meet?"'}`,
    "Commands: /sources lists the documents, /new forgets the conversation, /quit exits.",
  ].join("\n");
}

/** Runs until the input ends or the user types /quit. */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { qa } = options;
  const output = options.output ?? process.stdout;
  const rl = createInterface({ input: options.input ?? process.stdin, output, terminal: false });
  const say = (text: string) => output.write(`${text}\n`);
  let history: Turn[] = [];
  let lastAnswerAt = 0;

  say(helpText(qa));
  output.write("> ");
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    if (text === "/help" || text === "/start") say(helpText(qa));
    else if (text === "/sources") {
      for (const s of qa.sources()) say(`${s.publishedOn ? formatShortDate(s.publishedOn) : "undated"} — ${s.title}${s.sourceUrl ? ` — ${s.sourceUrl}` : ""}`);
    } else if (text === "/new") {
      history = [];
      say("Starting a new conversation.");
    } else if (text) {
      const recent = Date.now() - lastAnswerAt < FOLLOW_UP_WINDOW_MS ? history : [];
      try {
        const answer = await qa.ask(text, { history: recent });
        say(renderPlain(answer));
        if (!answer.refused && answer.citations.length > 0) {
          history = [...recent, { question: text, answer: answer.text }].slice(-3);
          lastAnswerAt = Date.now();
        }
      } catch (error) {
        if (error instanceof AppError) say(error.userMessage);
        else {
          options.onError?.(error);
          say(GENERIC_APOLOGY);
        }
      }
    }
    say("");
    output.write("> ");
  }
  rl.close();
}
