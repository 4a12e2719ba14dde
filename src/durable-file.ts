/**
 * Durable file writes (one home for them): a file flushed to disk, a directory's entries
 * flushed, and the write-to-a-temporary-then-rename that readers never see half done.
 * Used by the index (CURRENT, manifests), the bot's update journal, the corpus writer and the
 * word-vector cache.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** Writes a file and flushes it to disk, so a crash right after never leaves it half written. */
export async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a file or directory (its entries) to disk; directories that cannot be opened are skipped. */
export async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, "r").catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` atomically and durably: the data goes to `<file>.<pid>.<random>.tmp`,
 * flushed, renamed over `file`, and the directory flushed. On failure the temporary is
 * removed and the error rethrown; `file` is then as it was. `hiddenTemporary` starts the
 * temporary's name with a dot, for directories whose readers skip hidden files (the corpus).
 */
export async function replaceFileDurably(file: string, data: string | Uint8Array, options: { hiddenTemporary?: boolean } = {}): Promise<void> {
  const name = `${path.basename(file)}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`;
  const temp = path.join(path.dirname(file), options.hiddenTemporary ? `.${name}` : name);
  try {
    await writeDurably(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncPath(path.dirname(file));
}
