/**
 * The chat in the terminal that `npm start` opens when no TELEGRAM_BOT_TOKEN is set:
 * one question per line, answers with sources, follow-ups on the previous answer, and the
 * commands of TERMINAL_COMMANDS (anything else starting with `/` is named as unknown).
 */
import { clearLine, createInterface, cursorTo } from "node:readline";
import type { QaService } from "./answering/answerer.ts";
import { ConversationStore } from "./answering/conversation.ts";
import { timelineOf } from "./answering/timeline.ts";
import { formatShortDate } from "./dates.ts";
import { emptyCorpusHint } from "./ingest/corpus-files.ts";
import { renderPlain } from "./answering/render-text.ts";
import { AppError, GENERIC_APOLOGY } from "./errors.ts";

const PROMPT = "> ";
/** The terminal is one conversation: its id in the shared conversation memory. */
const TERMINAL_CHAT_ID = 0;

/** The commands the terminal chat knows, with their one-line descriptions (shown by /help). */
export const TERMINAL_COMMANDS: ReadonlyArray<readonly [command: string, description: string]> = [
  ["/help", "this text"],
  ["/sources", "documents, newest first"],
  ["/timeline", "dated documents in date order"],
  ["/new", "forget the conversation"],
  ["/quit", "leave, as Ctrl+D does"],
];

export interface TerminalChatOptions {
  qa: QaService;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where unexpected errors are reported (not the chat). */
  onError?: (error: unknown) => void;
  /** The corpus folder, named in the hint an empty corpus gets. */
  corpusDir?: string;
  /** Follow-up limits, as in the bot (config: HISTORY_TURNS, FOLLOW_UP_WINDOW_MS); defaults CONVERSATION_DEFAULTS. */
  historyTurns?: number;
  followUpWindowMs?: number;
}

/** A running terminal chat: `notice` prints a line between prompts (and redraws the prompt); `done` settles at the end. */
export interface TerminalChat {
  notice(message: string): void;
  readonly done: Promise<void>;
}

function helpText(qa: QaService, corpusDir: string | undefined): string {
  const o = qa.overview();
  const commands = `Commands: ${TERMINAL_COMMANDS.map(([c, d]) => `${c} (${d})`).join(", ")}.`;
  if (o.documents === 0) return [emptyCorpusHint(corpusDir ?? "the corpus folder"), commands].join("\n");
  const period = o.firstDate && o.lastDate ? ` from ${formatShortDate(o.firstDate)} to ${formatShortDate(o.lastDate)}` : "";
  const examples = qa.exampleQuestions(2).map((q) => `"${q}"`);
  return [
    `Ask about official visits and meetings: ${o.documents} documents${period}.`,
    ...(examples.length > 0 ? [`Try: ${examples.join(" or ")}`] : []),
    commands,
  ].join("\n");
}

function sourceLine(s: { publishedOn: string | null; title: string; docId: string; sourceUrl: string | null }): string {
  return `${s.publishedOn ? formatShortDate(s.publishedOn) : "undated"} — ${s.title || s.docId}${s.sourceUrl ? ` — ${s.sourceUrl}` : ""}`;
}

/** Starts the chat; it runs until the input ends or the user types /quit. */
export function startTerminalChat(options: TerminalChatOptions): TerminalChat {
  const { qa } = options;
  const output = options.output ?? process.stdout;
  const tty = Boolean(output.isTTY);
  const rl = createInterface({ input: options.input ?? process.stdin, output, terminal: tty });
  rl.setPrompt(PROMPT);
  const say = (text: string) => output.write(`${text}\n`);
  const conversation = new ConversationStore({ maxChats: 1, maxTurns: options.historyTurns, followUpWindowMs: options.followUpWindowMs });
  let prompting = false;
  let closed = false;

  const notice = (message: string) => {
    if (closed) return;
    if (!prompting) {
      say(message);
      return;
    }
    // The notice takes the prompt's line; the prompt comes back below it with what was typed so far.
    if (tty) {
      clearLine(output, 0);
      cursorTo(output, 0);
    } else output.write("\n");
    say(message);
    rl.prompt(true);
  };
  const prompt = () => {
    prompting = true;
    rl.prompt();
  };

  const answer = async (text: string) => {
    const followUp = conversation.forNextMessage(TERMINAL_CHAT_ID);
    try {
      const result = await qa.ask(text, { history: followUp?.history ?? [] });
      say(renderPlain(result));
      if (!result.refused && result.citations.length > 0) {
        conversation.record(TERMINAL_CHAT_ID, { question: text, answer: result.text }, [], followUp);
      }
    } catch (error) {
      if (error instanceof AppError) say(error.userMessage);
      else {
        options.onError?.(error);
        say(GENERIC_APOLOGY);
      }
    }
  };

  /** Handles one line; false means leave. */
  const handle = async (text: string): Promise<boolean> => {
    const command = /^\/([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text);
    if (!command) {
      if (text) await answer(text);
      return true;
    }
    const [, name, rest] = command;
    switch (name.toLowerCase()) {
      case "quit":
      case "exit":
        return false;
      case "help":
      case "start":
        say(helpText(qa, options.corpusDir));
        break;
      case "sources": {
        const sources = qa.sources();
        if (sources.length === 0) say(emptyCorpusHint(options.corpusDir ?? "the corpus folder"));
        for (const s of sources) say(sourceLine(s));
        break;
      }
      case "timeline": {
        const events = timelineOf(qa.sources());
        if (events.length === 0) say("No dated documents are indexed yet.");
        for (const s of events) say(sourceLine(s));
        const undated = qa.sources().length - events.length;
        if (undated > 0) say(`(${undated} undated document${undated === 1 ? "" : "s"} not shown.)`);
        break;
      }
      case "new":
        conversation.forget(TERMINAL_CHAT_ID);
        say("Starting a new conversation.");
        break;
      case "ask":
        // As in the bot's groups: "/ask question" is the question.
        if (rest?.trim()) await answer(rest.trim());
        else say("Type a question after /ask, or just type the question.");
        break;
      default:
        say(`Unknown command /${name}. Commands: ${TERMINAL_COMMANDS.map(([c]) => c).join(", ")}; anything else is a question.`);
    }
    return true;
  };

  const done = (async () => {
    say(helpText(qa, options.corpusDir));
    prompt();
    for await (const line of rl) {
      prompting = false;
      if (!(await handle(line.trim()))) break;
      say("");
      prompt();
    }
    closed = true;
    rl.close();
  })();
  return { notice, done };
}

/** Runs the chat until the input ends or the user types /quit. */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  await startTerminalChat(options).done;
}
