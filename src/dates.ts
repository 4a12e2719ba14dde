/** Dates for people and for matching (pure). Input is always `YYYY-MM-DD`. */

/** English month names, January first. */
export const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

/** "3 September 2025". */
export function formatLongDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** "3 Sep 2025": for source lists. */
export function formatShortDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${day} ${MONTH_NAMES[month - 1].slice(0, 3)} ${year}`;
}

/** "September 2025": the words a reader would use for the month of a date. */
export function formatMonthYear(isoDate: string): string {
  const [year, month] = isoDate.split("-").map(Number);
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

/** A date string is accepted only when it is a real calendar day. */
export function isValidIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The calendar day a date-time string starts with, as written (its own time zone, not
 * UTC): "2025-09-03T23:30:00+06:00" → "2025-09-03". Null when it starts with no real day.
 */
export function leadingIsoDate(value: string): string | null {
  const day = /^\s*(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
  return day !== undefined && isValidIsoDate(day) ? day : null;
}
