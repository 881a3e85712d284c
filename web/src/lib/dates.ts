/**
 * Every date and time the app shows, worded by `Intl` in the reader's locale. Calendar dates
 * (`YYYY-MM-DD`: match days, season dates) have no time zone, so they are formatted as UTC;
 * instants (ISO timestamps: when a result was entered, when an invitation expires) are shown in
 * the reader's time zone. Text that cannot be read as a date is shown as it came.
 */

const CALENDAR_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const CALENDAR_DAY = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const CALENDAR_DAY_WITH_WEEKDAY = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const INSTANT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const INSTANT_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function calendar(format: Intl.DateTimeFormat, date: string): string {
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : format.format(parsed);
}

function instant(format: Intl.DateTimeFormat, iso: string): string {
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) ? iso : format.format(parsed);
}

/** A `YYYY-MM-DD` date in the reader's words, e.g. "9 Mar 2027" (a season's first day). */
export function formatDate(date: string): string {
  return calendar(CALENDAR_DATE, date);
}

/** A `YYYY-MM-DD` date with its weekday, e.g. "Tue, 9 Mar 2027" (a match day). */
export function formatMatchDate(date: string): string {
  return calendar(CALENDAR_DAY_WITH_WEEKDAY, date);
}

/** A `YYYY-MM-DD` day, e.g. "9 Mar 2027", or a dash when there is none (a rating's last match). */
export function formatDay(date: string | null): string {
  return date ? calendar(CALENDAR_DAY, date) : '—';
}

/** An instant as people read it: "25 Nov 2026, 18:30". */
export function formatInstant(iso: string): string {
  return instant(INSTANT, iso);
}

/** The reader's day of an instant, e.g. "25 Nov 2026" (when an invitation expires). */
export function formatInstantDate(iso: string): string {
  return instant(INSTANT_DATE, iso);
}
