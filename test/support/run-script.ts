/** Runs an entry point as the npm scripts do (node + tsx) with a clean, explicit environment. */
import { spawn } from "node:child_process";
import { MODEL_CACHE_DIR, REPO_ROOT } from "./fixtures.ts";

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<ScriptRun> {
  return runCommand(process.execPath, ["--import", "tsx", script, ...args], options);
}

/** Runs any command (npm, a plain .mjs) the same way: clean environment, given input, collected output. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      // Only what the test says: no .env values or developer keys leak in (dotenv never overrides these).
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", MODEL_CACHE_DIR, LOG_LEVEL: "warn", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
