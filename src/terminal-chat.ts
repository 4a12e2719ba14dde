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
import { AppError } from "./errors.ts";
import { languageFor, listDate, longDate, t, type Lang } from "./locale/messages.ts";

const PROMPT = "> ";
/** The terminal is one conversation: its id in the shared conversation memory. */
const TERMINAL_CHAT_ID = 0;

/** The commands the terminal chat knows, in the order /help lists them (each described by `terminal-command-<name>` of the locale files). */
export const TERMINAL_COMMANDS: readonly string[] = ["/help", "/sources", "/timeline", "/new", "/quit"];

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

/**
 * The greeting and /help in `lang`, with `suggested` (the checked example questions, in the
 * corpus's words) as its English examples; Russian examples ask about the newest document's date.
 */
function helpText(qa: QaService, corpusDir: string | undefined, lang: Lang, suggested: readonly string[]): string {
  const o = qa.overview();
  const list = TERMINAL_COMMANDS.map((c) => `${c} (${t(lang, `terminal-command-${c.slice(1)}`)})`).join(", ");
  const commands = t(lang, "terminal-commands", { list });
  if (o.documents === 0) return [emptyCorpusHint(corpusDir ?? "the corpus folder"), commands].join("\n");
  const date = (isoDate: string) => (lang === "en" ? formatShortDate(isoDate) : longDate(lang, isoDate));
  const period = o.firstDate && o.lastDate ? t(lang, "terminal-period", { from: date(o.firstDate), to: date(o.lastDate) }) : "";
  const examples = (lang === "en" ? suggested : o.lastDate ? [t(lang, "help-example", { date: longDate(lang, o.lastDate) })] : []).map((q) => `"${q}"`);
  return [
    t(lang, "terminal-intro", { documents: String(o.documents), period }),
    ...(examples.length > 0 ? [t(lang, "terminal-try", { examples: examples.join(t(lang, "terminal-or")) })] : []),
    commands,
  ].join("\n");
}

function sourceLine(s: { publishedOn: string | null; title: string; docId: string; sourceUrl: string | null }, lang: Lang): string {
  return `${listDate(lang, s.publishedOn)} — ${s.title || s.docId}${s.sourceUrl ? ` — ${s.sourceUrl}` : ""}`;
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
  /** The language of the chat's own words: that of the last question typed (English until one is). */
  let lang: Lang = "en";

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
    lang = languageFor({ text });
    const followUp = conversation.forNextMessage(TERMINAL_CHAT_ID);
    try {
      const result = await qa.ask(text, { history: followUp?.history ?? [] });
      say(renderPlain(result));
      if (!result.refused && result.citations.length > 0) {
        conversation.record(TERMINAL_CHAT_ID, { question: text, answer: result.text, docIds: result.citations.map((c) => c.docId) }, [], followUp);
      }
    } catch (error) {
      if (error instanceof AppError) say(lang !== "en" && error.localized ? t(lang, error.localized.key, error.localized.vars) : error.userMessage);
      else {
        options.onError?.(error);
        say(t(lang, "apology"));
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
        say(helpText(qa, options.corpusDir, lang, await qa.exampleQuestions(2)));
        break;
      case "sources": {
        const sources = qa.sources();
        if (sources.length === 0) say(emptyCorpusHint(options.corpusDir ?? "the corpus folder"));
        for (const s of sources) say(sourceLine(s, lang));
        break;
      }
      case "timeline": {
        const events = timelineOf(qa.sources());
        if (events.length === 0) say(t(lang, "timeline-empty"));
        for (const s of events) say(sourceLine(s, lang));
        const undated = qa.sources().length - events.length;
        if (undated > 0) say(t(lang, "terminal-undated", { count: undated }));
        break;
      }
      case "new":
        conversation.forget(TERMINAL_CHAT_ID);
        say(t(lang, "terminal-new"));
        break;
      case "ask":
        // As in the bot's groups: "/ask question" is the question.
        if (rest?.trim()) await answer(rest.trim());
        else say(t(lang, "terminal-ask-usage"));
        break;
      default:
        say(t(lang, "terminal-unknown", { name, list: TERMINAL_COMMANDS.join(", ") }));
    }
    return true;
  };

  /** Whether anything was typed yet (the late suggestions are for a prompt nobody has used). */
  let typed = false;
  const done = (async () => {
    // The prompt does not wait for the suggestions, which are checked just after start: in a
    // terminal they follow as a line of their own while the prompt is still untouched.
    say(helpText(qa, options.corpusDir, lang, []));
    if (tty && qa.overview().documents > 0) {
      void qa.exampleQuestions(2).then((examples) => {
        if (typed || examples.length === 0) return;
        notice(t(lang, "terminal-try", { examples: examples.map((q) => `"${q}"`).join(t(lang, "terminal-or")) }));
      });
    }
    prompt();
    for await (const line of rl) {
      typed = true;
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
