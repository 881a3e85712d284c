/**
 * A league's wall-clock dates and times against real instants (issue #5: the league time zone).
 * Match dates and start times are stored as the league's local `YYYY-MM-DD` and `HH:MM`, with no
 * zone; these helpers turn them into instants, and tell what date it is in the league, with the
 * platform's `Intl` time-zone data (no library: Node and every browser carry the IANA database).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter giving the wall-clock fields of an instant in `zone` (24-hour clock). */
function wallClock(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function fieldsAt(zone: string, instant: number): Fields {
  const out: Record<string, number> = {};
  for (const part of wallClock(zone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? Number.NaN,
    month: out.month ?? Number.NaN,
    day: out.day ?? Number.NaN,
    hour: out.hour ?? Number.NaN,
    minute: out.minute ?? Number.NaN,
    second: out.second ?? Number.NaN,
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (New York in winter: -5 h). */
function offsetAt(zone: string, instant: number): number {
  const f = fieldsAt(zone, instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Every IANA zone name the platform knows, plus `UTC` (which `supportedValuesOf` leaves out). */
export function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

let known: Set<string> | undefined;

/**
 * Whether `zone` is an IANA time-zone name: one of `timeZones()`, or an alias of one (browsers
 * disagree on canonical names: `Asia/Kolkata` or `Asia/Calcutta`, `Europe/Kyiv` or `Europe/Kiev`).
 * Offsets (`+02:00`) and abbreviations other than `UTC` are not zones: they ignore summer time.
 */
export function isTimeZone(zone: string): boolean {
  known ??= new Set(timeZones());
  if (known.has(zone)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
      .timeZone;
    return known.has(canonical) && zone.includes('/');
  } catch {
    return false;
  }
}

/**
 * The last answer of `todayIn` for each zone, with the minute it is for: the date of a zone can
 * only change at a whole minute, since offsets since 1972 are whole minutes (the hot schedule
 * read asks for three zones' dates on every request, and `formatToParts` is slow).
 */
const todays = new Map<string, { minute: number; date: string }>();

/** The date (`YYYY-MM-DD`) on the wall calendar of `zone` at the instant `now`. */
export function todayIn(zone: string, now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const kept = todays.get(zone);
  if (kept?.minute === minute) return kept.date;
  const f = fieldsAt(zone, now.getTime());
  const date = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
  todays.set(zone, { minute, date });
  return date;
}

/**
 * The instant at which the wall clock of `zone` shows `date` (`YYYY-MM-DD`) and `time` (`HH:MM`).
 *
 * At a change of clocks the answer is the one calendars (and `Temporal`'s `compatible`) give:
 * a time that happens twice (autumn, clocks go back) is the earlier one, still on summer time; a
 * time that never happens (spring, clocks go forward) is moved forward by the gap, so 01:30 in
 * London on the last Sunday of March is 02:30 summer time.
 */
export function localToUtc(date: string, time: string, zone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall)) throw new RangeError(`Not a date and time: ${date} ${time}`);
  const day = 86_400_000;
  const before = wall - offsetAt(zone, wall - day);
  const after = wall - offsetAt(zone, wall + day);
  const shows = (t: number) => t + offsetAt(zone, t) === wall;
  // The offset before the change first: it is the earlier of two, and the one that moves a
  // skipped time forward.
  if (shows(before)) return new Date(before);
  if (shows(after)) return new Date(after);
  return new Date(before);
}
