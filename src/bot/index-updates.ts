/**
 * Re-embedding on behalf of the bot's intake (uploads, `/add`, channel posts, `/remove`): one
 * build at a time, and every request is answered by a build that started after it, so a
 * document saved before the request is in the index the request resolves with. Requests that
 * arrive while a build runs share the next one (two uploads at once: at most two builds).
 */
export class IndexUpdates<T> {
  private running: Promise<T> | null = null;
  private next: Promise<T> | null = null;

  /** `rebuild` re-embeds the corpus, swaps the new index in, and resolves with what changed. */
  constructor(private readonly rebuild: () => Promise<T>) {}

  /** Resolves once a build that started after this call is live (with its summary); rejects when that build failed. */
  request(): Promise<T> {
    if (!this.running) return this.start();
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<T> {
    const run = this.rebuild();
    this.running = run;
    void run
      .finally(() => {
        if (this.running === run) this.running = null;
      })
      .catch(() => undefined);
    return run;
  }
}
