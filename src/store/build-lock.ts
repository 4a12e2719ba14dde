/**
 * One writer per index: every build holds `INDEX_DIR/build.lock` (a directory made with
 * `proper-lockfile`, whose modification time the holder refreshes every few seconds).
 * A second build waits for it, with one message, for at most `waitMs`; a lock whose
 * holder died (not refreshed for `staleMs`) is taken over. The lock is released when the
 * build ends, and by proper-lockfile's exit handler when the process exits or is signalled.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { AppError } from "../errors.ts";

/** The lock's path inside the index directory. */
export const LOCK_NAME = "build.lock";

export interface BuildLockOptions {
  /** How long to wait for another build to finish, in ms; default 10 minutes. 0 gives up at once. */
  waitMs?: number;
  /** A lock not refreshed for this long belongs to a dead build and is taken over, in ms; default 20,000 (minimum 2,000). */
  staleMs?: number;
  /** Told once when the lock is busy and the build waits. */
  onWait?: (message: string) => void;
  /** Pause between attempts while waiting, in ms; default 250. */
  pollMs?: number;
}

/** Another build held the index for longer than the caller would wait. */
export class BuildBusyError extends AppError {
  constructor(message: string) {
    super("INDEX_BUSY", message, { userMessage: "Another index build is still running; try again when it has finished." });
  }
}

/** The held lock. `assertHeld()` throws when another process took it over (this build then must not publish). */
export interface BuildLock {
  assertHeld(): void;
  release(): Promise<void>;
}

export const DEFAULT_LOCK_WAIT_MS = 10 * 60_000;
export const DEFAULT_LOCK_STALE_MS = 20_000;

/** Takes the build lock of `indexDir` (creating the directory), waiting as the options say. */
export async function acquireBuildLock(indexDir: string, options: BuildLockOptions = {}): Promise<BuildLock> {
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const staleMs = Math.max(2000, options.staleMs ?? DEFAULT_LOCK_STALE_MS);
  const lockfilePath = path.join(indexDir, LOCK_NAME);
  await mkdir(indexDir, { recursive: true });
  const deadline = Date.now() + waitMs;
  let compromised: Error | null = null;
  let told = false;
  for (;;) {
    try {
      const release = await lockfile.lock(indexDir, {
        lockfilePath,
        realpath: false,
        stale: staleMs,
        update: Math.max(1000, Math.floor(staleMs / 4)),
        retries: 0,
        // Called from a timer when another process took the lock over: remember it, never throw.
        onCompromised: (error) => void (compromised = error),
      });
      return {
        assertHeld() {
          if (compromised) throw new BuildBusyError(`The build lock ${lockfilePath} was taken over by another build (${compromised.message}); this build was not published.`);
        },
        release: () => release().catch(() => undefined),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") {
        throw new AppError("INDEX_LOCK", `Cannot take the build lock ${lockfilePath}: ${(error as Error).message}`, { cause: error });
      }
      if (Date.now() >= deadline) {
        throw new BuildBusyError(`Another build is still running in ${indexDir} after ${(waitMs / 1000).toFixed(waitMs < 10_000 ? 1 : 0)} s; try again when it has finished.`);
      }
      if (!told) options.onWait?.(`another build is running in ${indexDir}; waiting…`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 250, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** Runs `work` holding the build lock; the lock is released however it ends. */
export async function withBuildLock<T>(indexDir: string, options: BuildLockOptions, work: (lock: BuildLock) => Promise<T>): Promise<T> {
  const lock = await acquireBuildLock(indexDir, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
