/**
 * Work the bot has started and must finish before it stops: updates being handled and
 * background jobs such as a reindex. Shutdown waits for it to drain.
 */

/** A set of pending promises that can be awaited as a whole. */
export class InflightTracker {
  private readonly pending = new Set<Promise<unknown>>();
  /** Highest update id that entered the bot (to confirm the polling offset on shutdown). */
  lastUpdateId: number | undefined;

  /** Number of tasks still running. */
  get size(): number {
    return this.pending.size;
  }

  /** Registers a task; returns it unchanged. */
  track<T>(task: Promise<T>): Promise<T> {
    const settled = task.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return task;
  }

  /** Notes an update id as seen. */
  sawUpdate(updateId: number): void {
    if (this.lastUpdateId === undefined || updateId > this.lastUpdateId) this.lastUpdateId = updateId;
  }

  /**
   * Resolves when every task (including ones started meanwhile) has settled: true, or false when
   * `timeoutMs` (default 30,000) passed first.
   */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), left);
      });
      const result = await Promise.race([Promise.all([...this.pending]), timedOut]);
      clearTimeout(timer);
      if (result === "timeout") return false;
    }
    return true;
  }
}
