/**
 * Calendar days as integers (days since 1970-01-01, proleptic Gregorian), computed by hand so
 * that the replay's hot path never allocates a Date.
 */

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/**
 * Parses a strict ISO date `YYYY-MM-DD` into a day number; NaN if the text is not a real date
 * (wrong shape, month 13, 31 April, 29 February of a common year...).
 */
export function parseIsoDay(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (!(m >= 1 && m <= 12 && d >= 1)) return Number.NaN;
  const monthDays =
    m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > monthDays) return Number.NaN;
  const y1 = y - 1;
  const daysBeforeYear =
    365 * (y - 1970) +
    (Math.floor(y1 / 4) - Math.floor(y1 / 100) + Math.floor(y1 / 400)) -
    (Math.floor(1969 / 4) - Math.floor(1969 / 100) + Math.floor(1969 / 400));
  const leapDay = m > 2 && isLeap(y) ? 1 : 0;
  return daysBeforeYear + (DAYS_BEFORE_MONTH[m - 1] ?? 0) + leapDay + d - 1;
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatIsoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Month of the year (0 = January … 11 = December) of a day number, without allocating. */
export function monthOfDay(day: number): number {
  // Howard Hinnant's civil-from-days, on a calendar whose years start on 1 March.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 2 : mp - 10;
}
