/**
 * LLM mode of the evaluation: the product's LLM answerer (built from a configuration, as
 * `npm start` builds it) against the fake OpenAI-compatible server, scripted as a model
 * that always answers: a short answer from the first passage, citing [1]. Follow-ups are
 * condensed to the follow-up plus the previous question. What this measures is how often
 * the pipeline around the model refuses answerable questions.
 *
 * The fake lives in test/fakes: importing it from a script is acceptable for this dev tool
 * (it is never part of the served product), and it keeps one fake for tests and eval.
 */
import type { Config } from "../../src/config.ts";
import { answererFactory } from "../../src/app.ts";
import type { Answerer } from "../../src/answering/answerer.ts";
import type { ExtractiveAnswerer } from "../../src/answering/extractive-answerer.ts";
import { type FakeOpenAIServer, type FakeReply, startFakeOpenAIServer } from "../../test/fakes/openai-server.ts";

/** Chat requests one ask can make: condense and answer. */
const REQUESTS_PER_ASK = 2;

/** A running fake model and the answerer factory pointed at it. */
export interface FakeAnsweringModel {
  createAnswerer: (extractive: ExtractiveAnswerer) => Answerer;
  /** Call before each question of `asks` asks (its history plus itself): forgets earlier requests, queues its replies. */
  prepare(asks: number): void;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1:0 and builds the LLM answerer for it from `config`. */
export async function startFakeAnsweringModel(config: Config, logger: { warn(m: string): void; error(m: string): void }): Promise<FakeAnsweringModel> {
  const server = await startFakeOpenAIServer();
  const factory = await answererFactory(
    { ...config, openaiApiKey: "sk-eval-fake-model", openaiBaseUrl: `${server.url}/v1`, chatModel: "eval-fake-chat", openaiTimeoutMs: 10_000 },
    logger,
  );
  if (!factory) throw new Error("answererFactory built no LLM answerer although a key was configured");
  // The fake reads `text` after recording the request, so a getter can answer from that request's prompt.
  const reply: FakeReply = {
    get text() {
      return replyTo(server);
    },
  };
  return {
    createAnswerer: factory,
    prepare(asks) {
      server.reset();
      server.scriptChat(...Array.from({ length: asks * REQUESTS_PER_ASK }, () => reply));
    },
    close: () => server.close(),
  };
}

/** What the "model" says to the latest chat request. */
function replyTo(server: FakeOpenAIServer): string {
  const messages: { role?: string; content?: unknown }[] = server.chatRequests.at(-1)?.body?.messages ?? [];
  const prompt = messages.filter((m) => m.role === "user").map((m) => String(m.content ?? "")).join("\n");
  const followUp = /<follow_up>\n([\s\S]*?)\n<\/follow_up>/.exec(prompt);
  if (followUp) {
    const previous = [...prompt.matchAll(/^User: (.*)$/gm)].at(-1)?.[1];
    return previous ? `${followUp[1].trim()} ${previous.trim()}` : followUp[1].trim();
  }
  const first = /<passages>\n\[1\] \(([^,]*), [^\n]*\n([\s\S]*?)(?:\n\n\[2\] \(|\n<\/passages>)/.exec(prompt);
  if (!first) return "OK";
  const [, date, text] = first;
  const sentence = text.replace(/\s+/g, " ").trim().split(/(?<=[.!?])\s+/)[0].slice(0, 300);
  return date === "undated" ? `${sentence} [1]` : `Reported on ${date}: ${sentence} [1]`;
}
