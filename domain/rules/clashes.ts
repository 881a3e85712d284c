import { minutesOfDay, WEEKDAYS } from '../schemas/dates';
import { type VenueHours } from '../schemas/schedule';
import { dayOf, fitsHours, peakCourts, timeOf, weekdayOf } from './schedule';

/*
 * Whether one match can be played in its slot (issue #5, scheduling): the check run when an
 * organizer adds, moves or corrects a single match and when a captain's date proposal is made or
 * accepted. The generator places a whole season with the same venue rules (`fitsHours`,
 * `peakCourts`); this checks one slot against the matches already there. Pure: the caller reads
 * the venue and the neighbouring matches.
 */

/** A match as the clash rule sees it: its teams, slot, venue and the courts it holds. */
export interface SlotMatch {
  /** Null for a match not created yet. */
  id: string | null;
  homeTeam: { id: string; name: string };
  awayTeam: { id: string; name: string };
  /** The league's wall-clock date and start time, `YYYY-MM-DD` and `HH:MM`. */
  date: string;
  startTime: string;
  durationMinutes: number;
  venueId: string | null;
  courts: number;
}

/** The match's venue: its courts and opening hours. */
export interface SlotVenue {
  id: string;
  name: string;
  courts: number;
  availability: readonly VenueHours[];
}

export type ClashKind =
  'venue_too_small' | 'venue_closed' | 'outside_venue_hours' | 'team_busy' | 'no_court';

/** One reason the slot does not work, named at the field that would fix it. */
export interface Clash {
  kind: ClashKind;
  field: 'date' | 'startTime' | 'venueId';
  message: string;
}

const DAY_MINUTES = 1440;
const WEEKDAY_NAMES = [
  'Mondays',
  'Tuesdays',
  'Wednesdays',
  'Thursdays',
  'Fridays',
  'Saturdays',
  'Sundays',
];

/** The match's window in minutes from day 0, so matches past midnight compare correctly. */
function windowOf(m: SlotMatch): { start: number; end: number } {
  const start = dayOf(m.date) * DAY_MINUTES + minutesOfDay(m.startTime);
  return { start, end: start + m.durationMinutes };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/**
 * What stops `match` from being played in its slot, or an empty list.
 *
 * - A team never plays two matches whose times overlap (a second match on the same day at
 *   another time is allowed: a double-header to catch up).
 * - At its venue, the whole match fits one opening window of that weekday (as in the generator),
 *   and the courts in use at the busiest moment of its window, plus its own, are at most the
 *   venue's courts.
 *
 * @param match the match in its new slot
 * @param venue the match's venue, or null when it has none (then only the teams are checked)
 * @param others matches that may clash: the two teams' and the venue's around the date. Pass
 *   played matches (they held their courts and players) but not cancelled ones; `match` itself
 *   is ignored if listed.
 */
export function slotClashes(
  match: SlotMatch,
  venue: SlotVenue | null,
  others: readonly SlotMatch[],
): Clash[] {
  const clashes: Clash[] = [];
  const window = windowOf(match);
  const around = others
    .filter((o) => o.id !== match.id)
    .map((o) => ({ match: o, window: windowOf(o) }))
    .filter((o) => overlaps(o.window, window));
  const at = (o: SlotMatch) => `${o.date} at ${o.startTime}`;

  if (venue && match.venueId === venue.id) {
    const weekday = weekdayOf(dayOf(match.date));
    const hours = venue.availability.filter((h) => WEEKDAYS.indexOf(h.weekday) === weekday);
    const days = WEEKDAY_NAMES[weekday] as string;
    if (venue.courts < match.courts) {
      clashes.push({
        kind: 'venue_too_small',
        field: 'venueId',
        message: `${venue.name} has ${venue.courts} court(s); this match needs ${match.courts}`,
      });
    }
    if (hours.length === 0) {
      clashes.push({
        kind: 'venue_closed',
        field: 'date',
        message: `${venue.name} is not open on ${days}`,
      });
    } else if (
      !fitsHours(venue.availability, weekday, minutesOfDay(match.startTime), match.durationMinutes)
    ) {
      const open = hours.map((h) => `${h.from}–${h.to}`).join(' and ');
      clashes.push({
        kind: 'outside_venue_hours',
        field: 'startTime',
        message: `${venue.name} is open ${open} on ${days}: a ${match.durationMinutes}-minute match from ${match.startTime} does not fit`,
      });
    }
  }

  for (const { match: other } of around) {
    const [team] = [match.homeTeam, match.awayTeam].filter(
      (t) => t.id === other.homeTeam.id || t.id === other.awayTeam.id,
    );
    if (!team) continue;
    const opponent = other.homeTeam.id === team.id ? other.awayTeam : other.homeTeam;
    clashes.push({
      kind: 'team_busy',
      field: 'startTime',
      message: `${team.name} already play ${opponent.name} on ${at(other)}`,
    });
  }

  if (venue && match.venueId === venue.id && venue.courts >= match.courts) {
    const sharing = around.filter((o) => o.match.venueId === venue.id);
    const peak = peakCourts(
      sharing.map((o) => ({ ...o.window, courts: o.match.courts })),
      window.start,
      window.end,
    );
    if (peak + match.courts > venue.courts) {
      const free = venue.courts - peak;
      const names = sharing
        .map(({ match: o }) => `${o.homeTeam.name} v ${o.awayTeam.name} at ${o.startTime}`)
        .join(', ');
      const end = timeOf(window.end % DAY_MINUTES);
      clashes.push({
        kind: 'no_court',
        field: 'startTime',
        message: `${venue.name} has ${free === 0 ? 'no court' : `only ${free} of its ${venue.courts} courts`} free at some time from ${match.startTime} to ${end} on ${match.date} (${names}); this match needs ${match.courts}`,
      });
    }
  }
  return clashes;
}
