/**
 * Time from `npm start` to ready with a built index: spawns `node scripts/start.mjs` (the
 * compiled bot in dist/, built beforehand by the caller) with no Telegram token (so it opens the terminal chat), keeps its stdin open, and waits
 * for the index to be loaded and the chat's "> " prompt. Then it closes stdin, which
 * ends the chat and the process.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { round, since } from "./measure.ts";

export interface StartupRun {
  /** Spawn to the "index loaded" log line (or, at the terminal's default log level, the chat's greeting on stderr), ms. */
  indexLoadedMs: number | null;
  /** Spawn to the terminal prompt "> ", ms: ready for a question. */
  promptMs: number | null;
  /** Resident memory of the serving process at the prompt, and its peak until then (VmRSS, VmHWM), MB; null off Linux. */
  rssMb: number | null;
  peakRssMb: number | null;
  /** What main() itself logged as its time to "index loaded" (after module loading), ms; null when that line is not logged. */
  inProcessMs: number | null;
  /** Why the run failed, when it did. */
  error?: string;
}

export interface StartupOptions {
  cwd: string;
  corpusDir: string;
  indexDir: string;
  /** LOG_LEVEL of the started bot; default `info`, what a user gets. */
  logLevel?: string;
  /** Give up after this long, ms; default 30000. */
  timeoutMs?: number;
  /** MODEL_CACHE_DIR of the started bot; an empty directory makes it a first start (word-vector conversion). */
  modelCacheDir?: string;
}

/** VmRSS and VmHWM of a process in MB, from /proc (Linux); nulls elsewhere. */
function memoryOf(pid: number | undefined): { rssMb: number | null; peakRssMb: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: round(kb("VmRSS") / 1024, 1), peakRssMb: round(kb("VmHWM") / 1024, 1) };
  } catch {
    return { rssMb: null, peakRssMb: null };
  }
}

/** One cold start of the terminal bot over an existing index. */
export function measureStartup(options: StartupOptions): Promise<StartupRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: options.cwd,
      // Empty values win over .env (dotenv never overrides a variable that is set).
      env: { ...process.env, CORPUS_DIR: options.corpusDir, INDEX_DIR: options.indexDir, TELEGRAM_BOT_TOKEN: "", OPENAI_API_KEY: "", EMBEDDINGS: "local", LOG_LEVEL: options.logLevel ?? "info", ...(options.modelCacheDir ? { MODEL_CACHE_DIR: options.modelCacheDir } : {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const run: StartupRun = { indexLoadedMs: null, promptMs: null, rssMb: null, peakRssMb: null, inProcessMs: null };
    let output = "";
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) run.error = error;
      child.stdin.end();
      // The chat ends with its input; make sure nothing lingers.
      const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve(run);
      });
      if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(kill);
        resolve(run);
      }
    };
    const timer = setTimeout(() => finish(`not ready after ${options.timeoutMs ?? 30_000} ms`), options.timeoutMs ?? 30_000);
    let partial = "";
    const onData = (data: Buffer) => {
      const text = data.toString("utf8");
      output += text;
      // Log lines may arrive split across chunks: look at whole lines only.
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        // The "index loaded" log line when the log level shows it, else the chat's first line (on stderr).
        const loaded = line.includes('"index loaded"');
        if (run.indexLoadedMs === null && (loaded || line.includes("chatting in the terminal"))) run.indexLoadedMs = round(since(started), 1);
        if (loaded) {
          try {
            run.inProcessMs = (JSON.parse(line.slice(line.indexOf("{"))) as { ms?: number }).ms ?? null;
          } catch {
            run.inProcessMs = null;
          }
        }
      }
      if (run.promptMs === null && /(^|\n)> /.test(output)) {
        run.promptMs = round(since(started), 1);
        Object.assign(run, memoryOf(child.pid));
        finish();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      if (!settled) finish(`exited with code ${code} before the prompt: ${output.slice(-500)}`);
    });
  });
}
