/**
 * A bot on the fake Bot API over the real pipeline and a copy of the fixture corpus, for a
 * whole test file. Kept apart from test/bot-helpers.ts: loading the index builder brings
 * proper-lockfile, whose exit handlers would count as signal listeners in the bot's
 * shutdown tests.
 */
import { after, before } from "node:test";
import type { QaPipeline } from "../../src/answering/qa-pipeline.ts";
import { startTestBot, type TestBot } from "../bot-helpers.ts";
import { openFixturePipeline, tempWorkspace } from "./fixtures.ts";

/** Started before the file's tests and stopped after them; read `bot.qa` and `bot.t` inside the tests. */
export function fixtureBotPerFile(): { readonly qa: QaPipeline; readonly t: TestBot<QaPipeline> } {
  const state: { qa?: QaPipeline; t?: TestBot<QaPipeline>; workspace?: Awaited<ReturnType<typeof tempWorkspace>> } = {};
  before(async () => {
    state.workspace = await tempWorkspace();
    ({ qa: state.qa } = await openFixturePipeline(state.workspace));
    state.t = await startTestBot({ qa: state.qa });
  });
  after(async () => {
    await state.t?.stop();
    state.qa?.close();
    await state.workspace?.cleanup();
  });
  return {
    get qa() {
      return state.qa!;
    },
    get t() {
      return state.t!;
    },
  };
}
