/**
 * `npm start`: runs the compiled bot (`dist/main.js`), compiling `src/` first with
 * `tsc -p tsconfig.build.json` when `dist/` is missing or older than any source file, so
 * `npm install && npm start` works on a fresh machine. Plain JavaScript: it must run
 * before anything is compiled, and without tsx (tsx costs ~37 MB and start time).
 * `npm run build` (`--build-only`) compiles without starting.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");
const DIST = path.join(ROOT, "dist");
/** Written after a successful build; its time is the build's. */
const STAMP = path.join(DIST, ".built");
/** Besides src/, these change what the build emits. */
const BUILD_INPUTS = ["tsconfig.json", "tsconfig.build.json", "package.json"].map((file) => path.join(ROOT, file));

/** Newest modification time (ms) under `dir`, or of `dir` itself. */
function newestMtimeMs(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is current. */
export function staleReason() {
  if (!existsSync(STAMP) || !existsSync(path.join(DIST, "main.js"))) return "no build yet";
  const builtAt = statSync(STAMP).mtimeMs;
  const inputs = Math.max(newestMtimeMs(SRC), ...BUILD_INPUTS.filter(existsSync).map((file) => statSync(file).mtimeMs));
  return inputs > builtAt ? "the sources changed" : null;
}

/** Compiles src/ into dist/ and copies the data files beside the code (the built-in knowledge base). */
export function build() {
  rmSync(STAMP, { force: true });
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    process.stderr.write(`error: compiling src/ failed (tsc exit ${result.status ?? result.signal}); npm run typecheck shows the errors.\n`);
    process.exit(1);
  }
  cpSync(SRC, DIST, { recursive: true, filter: (source) => statSync(source).isDirectory() || !/\.[cm]?ts$/.test(source) });
  // The built-in knowledge parsed once here, not at every start (src/knowledge/load-knowledge.ts); without it a start parses the YAML.
  const snapshot = spawnSync(process.execPath, ["--input-type=module", "-e", `(await import(${JSON.stringify(pathToFileURL(path.join(DIST, "knowledge", "load-knowledge.js")).href)})).writeDefaultKnowledgeSnapshot();`], { stdio: ["ignore", "inherit", "inherit"] });
  if (snapshot.status !== 0) process.stderr.write("warning: could not write the parsed built-in knowledge; every start will parse it.\n");
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv.includes("--build-only")) {
  build();
  process.exit(0);
}
const reason = staleReason();
if (reason) {
  process.stderr.write(`Compiling src/ into dist/ (${reason})…\n`);
  build();
}
await import(pathToFileURL(path.join(DIST, "main.js")).href);
