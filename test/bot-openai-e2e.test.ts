/**
 * OpenAI mode through Telegram: the real bot and pipeline, a fake OpenAI-compatible server
 * that streams the model's answer slowly, and the fake Bot API. In a private chat the
 * answer grows in one message, then becomes the final formatted answer with its buttons.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { answererFactory } from "../src/app.ts";
import { QaPipeline } from "../src/answering/qa-pipeline.ts";
import { loadConfig } from "../src/config.ts";
import { startTestBot, type TestBot } from "./bot-helpers.ts";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "./fakes/openai-server.ts";
import { parseTelegramHtml } from "./fakes/telegram-api.ts";
import { openFixturePipeline, TODAY, tempWorkspace } from "./support/fixtures.ts";

let workspace: Awaited<ReturnType<typeof tempWorkspace>>;
let server: FakeOpenAIServer;
let qa: QaPipeline;
let t: TestBot<QaPipeline>;

before(async () => {
  workspace = await tempWorkspace();
  server = await startFakeOpenAIServer();
  const { embedder } = await openFixturePipeline(workspace);
  const config = loadConfig({ OPENAI_API_KEY: "sk-test-streaming-0000", OPENAI_BASE_URL: `${server.url}/v1`, CHAT_MODEL: "fake-chat", EMBEDDINGS: "local" });
  const silent = { warn: () => undefined, error: () => undefined };
  qa = await QaPipeline.open({
    indexDir: workspace.indexDir,
    embedder,
    wordSimilarity: (a, b) => embedder.wordSimilarity(a, b),
    today: () => TODAY,
    createAnswerer: await answererFactory(config, silent),
  });
  t = await startTestBot({ qa, tuning: { streamEditIntervalMs: 100 } });
});

after(async () => {
  await t?.stop();
  qa?.close();
  await server?.close();
  await workspace?.cleanup();
});

test("a private question streams the model's answer in place, then shows the final answer with dated sources and buttons", async () => {
  const text = "Sadyr Japarov met Cai Qi during his working visit to China [1]. They discussed trade, investment and humanitarian ties [1].";
  server.scriptChat({ text, chunks: text.match(/.{1,12}/g)!, chunkDelayMs: 40 });
  const chat = 601;
  t.api.pushMessage({ chatId: chat, text: "When did Japarov meet Cai Qi?" });

  const deadline = Date.now() + 10_000;
  const finalEdit = () => t.api.callsTo("editMessageText", (c) => c.body.chat_id === chat && c.body.reply_markup !== undefined).at(-1);
  while (!finalEdit() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  const sent = t.api.sentTo(chat);
  assert.equal(sent.length, 1, "one message, edited in place");
  const edits = t.api.callsTo("editMessageText", (c) => c.body.chat_id === chat);
  assert.ok(edits.length >= 2, `the answer grew in place (${edits.length} edits)`);
  const final = finalEdit();
  assert.ok(final, "the final answer replaced the streamed text");
  const visible = parseTelegramHtml(String(final.body.text));
  assert.ok(visible.ok);
  assert.match(visible.text, /Japarov met Cai Qi .*\[1\]/);
  assert.match(visible.text, /Sources\n\[1\] .* — 3 Sep 2025/);
  assert.equal(final.body.reply_markup.inline_keyboard[0][0].text, "[1]");
  assert.equal(server.chatRequests.at(-1)!.body.stream, true);
});
