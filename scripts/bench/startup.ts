/**
 * `npm start` as a user runs it, measured from outside: spawns `node scripts/start.mjs`
 * (the compiled bot in dist/, built beforehand by the caller) with no Telegram token, so it
 * opens the terminal chat, waits for its "> " prompt (ready), then types the questions on
 * stdin one at a time, each after the previous answer's prompt, and reads the serving
 * process's memory once they are answered: resident now (VmRSS) and the peak of its whole
 * life (VmHWM), which includes an index build or a word-vector conversion done at start.
 * Then it closes stdin, which ends the chat and the process.
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
  /** Questions typed and answered after the prompt. */
  answered: number;
  /** Prompt to the last answer's prompt, ms. */
  answeringMs: number | null;
  /** VmRSS and VmHWM (the peak over the process's life) once the questions are answered, MB; null off Linux or without questions. */
  answeredRssMb: number | null;
  answeredPeakRssMb: number | null;
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
  /** Typed after the prompt, one at a time; the memory figures are read after the last answer. */
  questions?: readonly string[];
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

/** One start of the terminal bot, then its questions answered. */
export function measureStartup(options: StartupOptions): Promise<StartupRun> {
  return new Promise((resolve) => {
    const questions = options.questions ?? [];
    const started = performance.now();
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: options.cwd,
      // Empty values win over .env (dotenv never overrides a variable that is set).
      env: { ...process.env, CORPUS_DIR: options.corpusDir, INDEX_DIR: options.indexDir, TELEGRAM_BOT_TOKEN: "", OPENAI_API_KEY: "", EMBEDDINGS: "local", LOG_LEVEL: options.logLevel ?? "info", ...(options.modelCacheDir ? { MODEL_CACHE_DIR: options.modelCacheDir } : {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const run: StartupRun = { indexLoadedMs: null, promptMs: null, rssMb: null, peakRssMb: null, answered: 0, answeringMs: null, answeredRssMb: null, answeredPeakRssMb: null, inProcessMs: null };
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
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => finish(`${run.promptMs === null ? "not ready" : `${run.answered} of ${questions.length} questions answered`} after ${timeoutMs} ms`), timeoutMs);
    // Prompts seen on stdout: the first is ready, each later one follows an answer.
    let prompts = 0;
    let stdoutTail = "";
    const typeNext = () => {
      if (run.answered < questions.length) child.stdin.write(`${questions[run.answered].replace(/\s+/g, " ")}\n`);
      else {
        run.answeringMs = round(since(started) - run.promptMs!, 1);
        const memory = memoryOf(child.pid);
        run.answeredRssMb = memory.rssMb;
        run.answeredPeakRssMb = memory.peakRssMb;
        finish();
      }
    };
    child.stdout.on("data", (data: Buffer) => {
      const text = data.toString("utf8");
      output += text;
      // A prompt is "> " at the start of a line, with nothing typed after it (stdin is not a TTY: nothing is echoed).
      const seen = (stdoutTail + text).match(/(^|\n)> /g)?.length ?? 0;
      const before = stdoutTail.match(/(^|\n)> /g)?.length ?? 0;
      stdoutTail = (stdoutTail + text).slice(-2);
      for (let i = 0; i < seen - before; i++) {
        prompts++;
        if (prompts === 1) {
          run.promptMs = round(since(started), 1);
          Object.assign(run, memoryOf(child.pid));
        } else run.answered++;
        typeNext();
      }
    });
    let partial = "";
    child.stderr.on("data", (data: Buffer) => {
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
    });
    child.once("exit", (code) => {
      if (!settled) finish(`exited with code ${code} after ${run.answered} answers: ${output.slice(-500)}`);
    });
  });
}
