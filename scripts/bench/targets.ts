/** The speed figures of the design ("Numbers to reach" in design.md) that `npm run bench` holds the code to. */
export const TARGETS = {
  /** Embedding + indexing, chunks per second. */
  throughput: { min: 1000 },
  reembed: { max: 2 },
  p50: { max: 5 },
  p95: { max: 15 },
  /** Resident memory of the serving process after loading and answering, MB: design.md's "at most 300 MB for the serving process" (it was 400 here). */
  rss: { max: 300 },
  recall: { min: 0.98 },
  speedup: { min: 10 },
  startup: { max: 1000 },
  /** Peak resident memory (VmHWM) of npm start's serving process once it has answered, on a first start (word-vector conversion, index build) as on a later one, MB. */
  serveRss: { max: 300 },
  botP95: { max: 250 },
} as const;
