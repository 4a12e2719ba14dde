/**
 * Small measuring helpers for `npm run bench`: latency summaries (percentiles), figures
 * with their design targets and verdicts, and the printed table.
 */

/** Percentile `p` (0–100) of values sorted ascending, nearest-rank; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summary of a latency sample, in the sample's unit (milliseconds in the bench). */
export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    mean: round(mean, 3),
    p50: round(percentile(sorted, 50), 3),
    p95: round(percentile(sorted, 95), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted.at(-1) ?? Number.NaN, 3),
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A design target: the figure must be at most (`max`) or at least (`min`) this value. */
export type Target = { max: number } | { min: number };

/** One row of the report: a measured value, its unit, and the target it is held to (if any). */
export interface Figure {
  /** Section of the table, e.g. "indexing". */
  group: string;
  name: string;
  /** Null when the measurement could not run (see `note`). */
  value: number | null;
  unit: string;
  target?: Target;
  /** Set from `value` and `target` by {@link figure}. */
  met?: boolean;
  note?: string;
}

/** Makes a figure and its verdict. */
export function figure(group: string, name: string, value: number | null, unit: string, options: { target?: Target; note?: string } = {}): Figure {
  const f: Figure = { group, name, value, unit, ...options };
  if (options.target && value !== null && Number.isFinite(value)) {
    f.met = "max" in options.target ? value <= options.target.max : value >= options.target.min;
  } else if (options.target) {
    f.met = false;
  }
  return f;
}

function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "—";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const text = value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return "";
  return "max" in target ? `≤ ${formatValue(target.max, unit)}` : `≥ ${formatValue(target.min, unit)}`;
}

/** The report as a fixed-width text table, grouped by section. */
export function formatTable(figures: readonly Figure[]): string {
  // Sections in order of first appearance, rows in their order within a section.
  const order = [...new Set(figures.map((f) => f.group))];
  const sorted = [...figures].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  const rows = sorted.map((f) => ({
    group: f.group,
    name: f.name,
    value: formatValue(f.value, f.unit),
    target: formatTarget(f.target, f.unit),
    verdict: f.target ? (f.met ? "✓" : "✗") : "",
    note: f.note ?? "",
  }));
  const width = (key: "name" | "value" | "target") => Math.max(key.length, ...rows.map((r) => r[key].length));
  const [wn, wv, wt] = [width("name"), width("value"), width("target")];
  const lines: string[] = [];
  let group = "";
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      lines.push("", group.toUpperCase());
    }
    lines.push(`  ${row.name.padEnd(wn)}  ${row.value.padStart(wv)}  ${row.target.padEnd(wt)}  ${row.verdict.padEnd(1)}  ${row.note}`.trimEnd());
  }
  return lines.join("\n").replace(/^\n/, "");
}

/** Milliseconds since `start` (a `performance.now()` value). */
export const since = (start: number): number => performance.now() - start;
