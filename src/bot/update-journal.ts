/**
 * A small durable journal of the updates the bot has taken but not yet answered, so that a
 * killed process finishes them after its restart. One JSON record a line, appended and
 * fsynced before Telegram is told to forget the update (see `journalUpdates`); records of
 * concurrent updates share one fsync. The file is rewritten compactly at start and whenever
 * it has grown by `compactEvery` records. Without a path it keeps the same state in memory.
 */
import { mkdir, open, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Update } from "grammy/types";
import { replaceFileDurably } from "../durable-file.ts";

/** One line of the journal. */
type JournalRecord =
  | { op: "received"; at: number; update: Update }
  /** The message showing the partial (streamed) answer, to be replaced on a retry. */
  | { op: "streamed"; id: number; chatId: number; messageId: number }
  /** A restart began answering the update again. */
  | { op: "attempt"; id: number }
  | { op: "done"; id: number };

interface PendingUpdate {
  update: Update;
  receivedAt: number;
  attempts: number;
  streamed?: { chatId: number; messageId: number };
}

/** Options of `UpdateJournal.open`. */
export interface UpdateJournalOptions {
  /** Updates older than this are not answered again after a restart, in ms. Default 24 h (Telegram keeps updates as long). */
  maxAgeMs?: number;
  /** Rewrite the file compactly after this many appended records. Default 5,000. */
  compactEvery?: number;
  /** Finished update ids remembered, to skip Telegram redelivering them. Default 10,000. */
  rememberDone?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** What `open` found left by an earlier process. */
export interface JournalRecovery {
  /** Updates to answer again, oldest first. */
  pending: number;
  /** Updates older than `maxAgeMs`, dropped. */
  expired: number;
  /** Lines that could not be read (a torn last write), skipped. */
  unreadable: number;
}

/** Updates in progress: received, possibly streamed, then done. */
export class UpdateJournal {
  private readonly pendingById = new Map<number, PendingUpdate>();
  private readonly finished = new Set<number>();
  private readonly active = new Set<number>();
  private fd: FileHandle | null = null;
  private buffer: string[] = [];
  private queuedSeq = 0;
  private durableSeq = 0;
  private writing: Promise<void> | null = null;
  private appendedSinceCompact = 0;
  private readonly maxAgeMs: number;
  private readonly compactEvery: number;
  private readonly rememberDone: number;
  private readonly now: () => number;
  /** What the start found; zeros for a fresh or in-memory journal. */
  recovery: JournalRecovery = { pending: 0, expired: 0, unreadable: 0 };

  private constructor(
    /** The journal file; null keeps everything in memory. */
    readonly file: string | null,
    options: UpdateJournalOptions,
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60_000;
    this.compactEvery = options.compactEvery ?? 5000;
    this.rememberDone = options.rememberDone ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** A journal that does not survive the process (tests, or no state directory). */
  static inMemory(options: UpdateJournalOptions = {}): UpdateJournal {
    return new UpdateJournal(null, options);
  }

  /** Opens (creating its directory) the journal at `file`, reads what a previous process left, and compacts it. */
  static async open(file: string, options: UpdateJournalOptions = {}): Promise<UpdateJournal> {
    const journal = new UpdateJournal(file, options);
    await mkdir(path.dirname(file), { recursive: true });
    let text = "";
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    journal.recovery = journal.load(text);
    await journal.compact();
    return journal;
  }

  private load(text: string): JournalRecovery {
    let unreadable = 0;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        unreadable++;
        continue;
      }
      this.apply(record);
    }
    let expired = 0;
    for (const [id, entry] of this.pendingById) {
      if (this.now() - entry.receivedAt > this.maxAgeMs) {
        this.finish(id);
        expired++;
      }
    }
    return { pending: this.pendingById.size, expired, unreadable };
  }

  private apply(record: JournalRecord): void {
    switch (record?.op) {
      case "received": {
        const id = record.update?.update_id;
        if (typeof id !== "number" || this.finished.has(id) || this.pendingById.has(id)) return;
        this.pendingById.set(id, { update: record.update, receivedAt: record.at, attempts: 1 });
        return;
      }
      case "streamed": {
        const entry = this.pendingById.get(record.id);
        if (entry) entry.streamed = { chatId: record.chatId, messageId: record.messageId };
        return;
      }
      case "attempt": {
        const entry = this.pendingById.get(record.id);
        if (entry) entry.attempts++;
        return;
      }
      case "done":
        this.finish(record.id);
        return;
    }
  }

  private finish(id: number): void {
    this.pendingById.delete(id);
    this.finished.add(id);
    if (this.finished.size > this.rememberDone) {
      const oldest = this.finished.values().next().value as number;
      this.finished.delete(oldest);
    }
  }

  /** Records updates fetched from Telegram (those not seen before), durably. Rejects when the disk does. */
  async received(updates: readonly Update[]): Promise<void> {
    const fresh = updates.filter((u) => !this.finished.has(u.update_id) && !this.pendingById.has(u.update_id));
    if (fresh.length === 0) return;
    const at = this.now();
    for (const update of fresh) this.pendingById.set(update.update_id, { update, receivedAt: at, attempts: 1 });
    try {
      await this.append(fresh.map((update): JournalRecord => ({ op: "received", at, update })));
    } catch (error) {
      for (const update of fresh) this.pendingById.delete(update.update_id);
      throw error;
    }
  }

  /**
   * Takes an update for handling: false when it is finished already or being handled (Telegram
   * redelivering what a restart is answering from the journal).
   */
  claim(updateId: number): boolean {
    if (this.finished.has(updateId) || this.active.has(updateId)) return false;
    this.active.add(updateId);
    return true;
  }

  /** The update's answer was delivered, or it needs none: it is not answered again. */
  async done(updateId: number): Promise<void> {
    this.active.delete(updateId);
    if (this.finished.has(updateId)) return;
    this.finish(updateId);
    await this.append([{ op: "done", id: updateId }]);
  }

  /** Handling ended without a delivered answer: the update stays pending for the next start. */
  release(updateId: number): void {
    this.active.delete(updateId);
  }

  /** Notes the message that shows an update's partial answer (a retry edits it). */
  async streamed(updateId: number, chatId: number, messageId: number): Promise<void> {
    const entry = this.pendingById.get(updateId);
    if (!entry) return;
    entry.streamed = { chatId, messageId };
    await this.append([{ op: "streamed", id: updateId, chatId, messageId }]);
  }

  /** The message showing a partial answer to this update, if a previous attempt sent one. */
  streamedMessageId(updateId: number): number | undefined {
    return this.pendingById.get(updateId)?.streamed?.messageId;
  }

  /** Updates received and not done, oldest first, with how many times answering them began. */
  pending(): Array<{ update: Update; attempts: number }> {
    return [...this.pendingById.values()]
      .sort((a, b) => a.update.update_id - b.update.update_id)
      .map((entry) => ({ update: entry.update, attempts: entry.attempts }));
  }

  /** Records that answering an update begins again (so that an update that crashes the process is given up on). */
  async attempt(updateId: number): Promise<void> {
    const entry = this.pendingById.get(updateId);
    if (!entry) return;
    entry.attempts++;
    await this.append([{ op: "attempt", id: updateId }]);
  }

  /** The lowest update id not yet done, if any. */
  lowestPending(): number | undefined {
    let lowest: number | undefined;
    for (const id of this.pendingById.keys()) if (lowest === undefined || id < lowest) lowest = id;
    return lowest;
  }

  /** Whether an update is received and not done. */
  isPending(updateId: number): boolean {
    return this.pendingById.has(updateId);
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    await this.flushAll();
    await this.fd?.close();
    this.fd = null;
  }

  // ---- file -------------------------------------------------------------------------------

  /** Appends records; resolves once they are on disk (fsync), batched with concurrent appends. */
  private async append(records: readonly JournalRecord[]): Promise<void> {
    if (this.file === null) return;
    for (const record of records) this.buffer.push(JSON.stringify(record) + "\n");
    const mine = (this.queuedSeq += records.length);
    while (this.durableSeq < mine) {
      this.writing ??= this.writeBatch().finally(() => (this.writing = null));
      await this.writing;
    }
  }

  private async flushAll(): Promise<void> {
    while (this.writing || this.buffer.length > 0) {
      this.writing ??= this.writeBatch().finally(() => (this.writing = null));
      await this.writing;
    }
  }

  private async writeBatch(): Promise<void> {
    const lines = this.buffer.splice(0);
    const upTo = this.durableSeq + lines.length;
    if (!this.fd) throw new Error(`The update journal ${this.file} is closed.`);
    try {
      await this.fd.write(lines.join(""));
      await this.fd.datasync();
    } catch (error) {
      // These records are lost; their callers get the error. Later ones keep their place.
      this.durableSeq = upTo;
      throw error;
    }
    this.durableSeq = upTo;
    this.appendedSinceCompact += lines.length;
    if (this.appendedSinceCompact >= this.compactEvery) await this.compact();
  }

  /** Rewrites the file with only what is still needed (pending updates and recent done ids), atomically. */
  private async compact(): Promise<void> {
    if (this.file === null) return;
    const lines: string[] = [];
    for (const id of this.finished) lines.push(JSON.stringify({ op: "done", id } satisfies JournalRecord));
    for (const entry of this.pendingById.values()) {
      const id = entry.update.update_id;
      lines.push(JSON.stringify({ op: "received", at: entry.receivedAt, update: entry.update } satisfies JournalRecord));
      if (entry.streamed) lines.push(JSON.stringify({ op: "streamed", id, ...entry.streamed } satisfies JournalRecord));
      for (let i = 1; i < entry.attempts; i++) lines.push(JSON.stringify({ op: "attempt", id } satisfies JournalRecord));
    }
    await replaceFileDurably(this.file, lines.map((line) => line + "\n").join(""));
    await this.fd?.close();
    this.fd = await open(this.file, "a");
    this.appendedSinceCompact = 0;
  }
}
