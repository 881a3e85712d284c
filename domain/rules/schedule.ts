import { minutesOfDay, WEEKDAYS } from '../schemas/dates';
import type {
  DraftMatch,
  DraftSchedule,
  ExistingMatch,
  ScheduleProblem,
  ValidScheduleInput,
  VenueHours,
} from '../schemas/schedule';
import { complementaryOrder, roundRobinRounds } from './round-robin';
import type { Pairing } from './round-robin';

/*
 * Schedule generation for a division (scheduling issue, part 1). Pure and deterministic: the same
 * input gives the same draft, with no clock and no randomness, so a draft can be regenerated and
 * compared. Constraints that cannot be met become problems next to the draft, never exceptions:
 * the organizer reviews both before publishing.
 */

const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;

/** Calendar days as integers (days since 1970-01-01, UTC), so date arithmetic is exact. */
export function dayOf(iso: string): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const day = new Date(0).setUTCFullYear(
    Number(iso.slice(0, 4)),
    Number(iso.slice(5, 7)) - 1,
    Number(iso.slice(8, 10)),
  );
  return day / DAY_MS;
}

function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Monday-to-Sunday week number, for `roundsPerWeek`. */
function weekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** `HH:MM` of minutes since midnight. */
export function timeOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Courts held at a venue from `start` to `end` (minutes, of one day or counted from day 0). */
export interface Booking {
  start: number;
  end: number;
  courts: number;
}

/** Most courts in use at once during [start, end): usage only rises where a booking starts. */
export function peakCourts(bookings: readonly Booking[], start: number, end: number): number {
  let peak = 0;
  for (const probe of [
    start,
    ...bookings.map((b) => b.start).filter((s) => s > start && s < end),
  ]) {
    let used = 0;
    for (const b of bookings) if (b.start <= probe && probe < b.end) used += b.courts;
    peak = Math.max(peak, used);
  }
  return peak;
}

/**
 * Whether a match of `duration` minutes from `start` (minutes since midnight) fits wholly inside
 * one of a venue's opening windows on `weekday` (0 Monday … 6 Sunday).
 */
export function fitsHours(
  availability: readonly VenueHours[],
  weekday: number,
  start: number,
  duration: number,
): boolean {
  return availability.some(
    (h) =>
      WEEKDAYS.indexOf(h.weekday) === weekday &&
      minutesOfDay(h.from) <= start &&
      start + duration <= minutesOfDay(h.to),
  );
}

interface Failure {
  kind: 'team_unavailable' | 'team_busy' | 'no_court';
  teamIds: string[];
  day: number;
}

/**
 * Generates (or, with `existingMatches`, regenerates) a division's schedule.
 *
 * Pairings come from the circle method (`roundRobinRounds`), teams in the order of `input.teams`
 * grouped by home venue so that venue-mates alternate home games (`complementaryOrder`). Each
 * round gets the next allowed match day after the previous round (a match day of the season, not a
 * league blackout, at most `roundsPerWeek` rounds per Monday-to-Sunday week). Each match is placed
 * at its home team's venue in the earliest start time with enough free courts; when a team is
 * unavailable or busy on the round's date, or the courts are full, the other match days of that
 * week that no other round uses are tried in date order. What still fails is listed in `problems`
 * and the match is kept in the draft with no date.
 *
 * Played and locked `existingMatches` are kept exactly, hold their courts and their teams' days,
 * and their pairings are not scheduled again; scheduled (unplayed) ones are placed afresh.
 * `venueBookings` (other divisions' matches at the shared venues) hold their courts too, unless
 * cancelled; a `no_court` problem they cause names them.
 *
 * @param input validated by `ScheduleInput` (ids refer to listed teams and venues)
 */
export function generateSchedule(input: ValidScheduleInput): DraftSchedule {
  const problems: ScheduleProblem[] = [];
  // Thousands of matches share a few hundred dates; formatting each date once is most of the speed.
  const isoCache = new Map<number, string>();
  const iso = (day: number) => {
    let text = isoCache.get(day);
    if (text === undefined) isoCache.set(day, (text = isoOf(day)));
    return text;
  };
  const need = input.courtsPerMatch;
  const duration = input.matchMinutes;
  const matchWeekdays = new Set(input.matchDays.map((d) => WEEKDAYS.indexOf(d)));
  const slotStarts = [...new Set(input.timeSlots.map(minutesOfDay))].sort((a, b) => a - b);

  // Start times each venue can host on each weekday: those whose whole match fits its hours.
  const venueSlots = new Map<string, number[][]>();
  const usedSlots = new Set<number>();
  for (const venue of input.venues) {
    const byWeekday = WEEKDAYS.map((_, weekday) =>
      slotStarts.filter((start) => fitsHours(venue.availability, weekday, start, duration)),
    );
    byWeekday.forEach((starts, weekday) => {
      if (matchWeekdays.has(weekday)) for (const s of starts) usedSlots.add(s);
    });
    venueSlots.set(venue.id, byWeekday);
    if (venue.courts < need) {
      problems.push({
        kind: 'venue_too_small',
        venueId: venue.id,
        message: `${venue.name} has ${venue.courts} court(s); a match needs ${need}`,
      });
    }
  }
  for (const start of slotStarts) {
    if (!usedSlots.has(start)) {
      problems.push({
        kind: 'slot_outside_venue_hours',
        message: `No venue is open for a ${duration}-minute match from ${timeOf(start)} on a match day; that start time is never used`,
      });
    }
  }

  const venues = new Map(input.venues.map((v) => [v.id, v]));
  const teams = new Map(input.teams.map((t) => [t.id, t]));
  const unavailable = new Map(
    input.teams.map((t) => [t.id, new Set(t.unavailableDates.map(dayOf))]),
  );
  const teamName = (id: string) => teams.get(id)?.name ?? id;
  const teamDays = new Map<string, Set<number>>(input.teams.map((t) => [t.id, new Set()]));
  const bookings = new Map<string, Booking[]>();
  const bookingsAt = (venueId: string, day: number) => {
    const key = `${venueId}@${day}`;
    let list = bookings.get(key);
    if (!list) bookings.set(key, (list = []));
    return list;
  };
  const book = (
    venueId: string,
    day: number,
    start: number,
    courts: number,
    ...teamIds: string[]
  ) => {
    bookingsAt(venueId, day).push({ start, end: start + duration, courts });
    for (const id of teamIds) teamDays.get(id)?.add(day);
  };

  // Matches placed elsewhere hold their courts first; cancelled ones hold nothing. The courts of
  // one running past midnight are held the next morning too. Each is named in `no_court` problems.
  const bookedElsewhere = new Map<Booking, string>();
  for (const b of input.venueBookings) {
    if (b.status === 'cancelled') continue;
    const day = dayOf(b.date);
    const start = minutesOfDay(b.startTime);
    for (const [d, offset, label] of [
      [day, 0, `${b.label} at ${b.startTime}`],
      [day + 1, DAY_MINUTES, `${b.label} at ${b.startTime} on ${b.date}`],
    ] as const) {
      const held = {
        start: start - offset,
        end: start + b.durationMinutes - offset,
        courts: b.courts,
      };
      if (held.end <= 0) continue;
      bookingsAt(b.venueId, d).push(held);
      bookedElsewhere.set(held, label);
    }
  }

  // Kept matches hold their courts and days before anything new is placed.
  const kept = input.existingMatches.filter((m) => m.status !== 'scheduled');
  const keptByRound = new Map<number, ExistingMatch[]>();
  for (const m of [...kept].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    book(
      m.venueId,
      dayOf(m.date),
      minutesOfDay(m.startTime),
      m.courts ?? need,
      m.homeTeamId,
      m.awayTeamId,
    );
    keptByRound.set(m.round, [...(keptByRound.get(m.round) ?? []), m]);
  }

  // Teams of one venue side by side, so their home games alternate (see complementaryOrder).
  const venueIndex = new Map(input.venues.map((v, i) => [v.id, i]));
  const seeded = input.teams
    .map((t, i) => ({ id: t.id, venue: venueIndex.get(t.homeVenueId) ?? input.venues.length, i }))
    .sort((a, b) => a.venue - b.venue || a.i - b.i)
    .map((t) => t.id);
  const rounds = roundRobinRounds(complementaryOrder(seeded), input.doubleRoundRobin);
  const consumed = consumedPairings(rounds, kept);

  // Round dates first, so a match moved within its week never lands on another round's day.
  const first = Math.max(
    dayOf(input.startsOn),
    input.notBefore ? dayOf(input.notBefore) : -Infinity,
  );
  const last = dayOf(input.endsOn);
  const blackouts = new Set(input.blackoutDates.map(dayOf));
  const allowed: number[] = [];
  for (let day = first; day <= last; day++) {
    if (matchWeekdays.has(weekdayOf(day)) && !blackouts.has(day)) allowed.push(day);
  }
  const roundsInWeek = new Map<number, number>();
  const roundDays: (number | null)[] = [];
  let previous = -Infinity;
  let next = 0;
  rounds.forEach((round, r) => {
    const keptDays = (keptByRound.get(r + 1) ?? []).map((m) => dayOf(m.date));
    const allKept = round.every((p, i) => p.away === null || consumed.has(`${r}:${i}`));
    let day: number | null = null;
    if (allKept) {
      // Nothing left to place: the round stands where its kept matches are.
      day = keptDays.length > 0 ? Math.max(...keptDays) : null;
    } else {
      while (next < allowed.length) {
        const candidate = allowed[next] as number;
        if (
          candidate > previous &&
          (roundsInWeek.get(weekOf(candidate)) ?? 0) < input.roundsPerWeek
        ) {
          day = candidate;
          break;
        }
        next++;
      }
    }
    if (day !== null) {
      roundsInWeek.set(weekOf(day), (roundsInWeek.get(weekOf(day)) ?? 0) + 1);
      previous = Math.max(day, ...keptDays);
    }
    roundDays.push(day);
  });
  const roundDaySet = new Set(roundDays.filter((d): d is number => d !== null));

  const findSlot = (venueId: string, day: number): number | null => {
    const venue = venues.get(venueId);
    if (!venue || venue.courts < need) return null;
    const list = bookings.get(`${venueId}@${day}`) ?? [];
    for (const start of venueSlots.get(venueId)?.[weekdayOf(day)] ?? []) {
      if (peakCourts(list, start, start + duration) + need <= venue.courts) return start;
    }
    return null;
  };

  const matches: DraftMatch[] = [];
  const maxRound = kept.reduce((max, m) => Math.max(max, m.round), rounds.length);
  for (let r = 0; r < maxRound; r++) {
    const round = rounds[r] ?? [];
    const day = roundDays[r] ?? null;
    const roundNo = r + 1;
    for (const m of keptByRound.get(roundNo) ?? []) {
      matches.push({
        id: m.id,
        round: m.round,
        homeTeamId: m.homeTeamId,
        awayTeamId: m.awayTeamId,
        date: m.date,
        startTime: m.startTime,
        venueId: m.venueId,
        courts: m.courts ?? need,
        status: m.status === 'played' ? 'played' : 'locked',
      });
    }
    if (day === null && round.some((p, i) => p.away !== null && !consumed.has(`${r}:${i}`))) {
      problems.push({
        kind: 'season_too_short',
        round: roundNo,
        message: `Round ${roundNo} does not fit: no match day is left before ${input.endsOn}`,
      });
    }
    // Other match days of the round's week that no round uses, after the previous round.
    const fallbacks =
      day === null
        ? []
        : allowed.filter(
            (d) =>
              weekOf(d) === weekOf(day) &&
              !roundDaySet.has(d) &&
              d > (roundDays[r - 1] ?? -Infinity),
          );
    round.forEach((pairing: Pairing, i) => {
      const id = pairing.away === null ? `r${pad(roundNo)}-bye` : `r${pad(roundNo)}-m${pad(i + 1)}`;
      if (pairing.away === null) {
        matches.push(draft(id, roundNo, pairing.home, null, day, null, null, 0));
        return;
      }
      if (consumed.has(`${r}:${i}`)) return;
      const { home, away } = pairing;
      const venueId = teams.get(home)?.homeVenueId ?? '';
      if (day === null) {
        matches.push(draft(id, roundNo, home, away, null, null, null, need));
        return;
      }
      let failure: Failure | null = null;
      for (const candidate of [day, ...fallbacks]) {
        const off = [home, away].filter((t) => unavailable.get(t)?.has(candidate));
        const busy = [home, away].filter((t) => teamDays.get(t)?.has(candidate));
        const start = off.length === 0 && busy.length === 0 ? findSlot(venueId, candidate) : null;
        if (start !== null) {
          book(venueId, candidate, start, need, home, away);
          matches.push(draft(id, roundNo, home, away, candidate, start, venueId, need));
          return;
        }
        failure ??=
          off.length > 0
            ? { kind: 'team_unavailable', teamIds: off, day: candidate }
            : busy.length > 0
              ? { kind: 'team_busy', teamIds: busy, day: candidate }
              : { kind: 'no_court', teamIds: [home, away], day: candidate };
      }
      matches.push(draft(id, roundNo, home, away, null, null, null, need));
      if (failure)
        problems.push(describe(failure, id, roundNo, home, away, venueId, fallbacks.length));
    });
  }
  return { matches, problems };

  function draft(
    id: string,
    round: number,
    home: string,
    away: string | null,
    day: number | null,
    start: number | null,
    venueId: string | null,
    courts: number,
  ): DraftMatch {
    return {
      id,
      round,
      homeTeamId: home,
      awayTeamId: away,
      date: day === null ? null : iso(day),
      startTime: start === null ? null : timeOf(start),
      venueId,
      courts,
      status: 'draft',
    };
  }

  function describe(
    failure: Failure,
    matchId: string,
    round: number,
    home: string,
    away: string,
    venueId: string,
    otherDays: number,
  ): ScheduleProblem {
    const date = iso(failure.day);
    const what = `${teamName(home)} v ${teamName(away)} (round ${round})`;
    const names = failure.teamIds.map(teamName).join(' and ');
    const elsewhere = otherDays > 0 ? ', nor on the other match days of that week' : '';
    const venue = venues.get(venueId);
    const reason =
      failure.kind === 'team_unavailable'
        ? `${names} cannot play on ${date}`
        : failure.kind === 'team_busy'
          ? `${names} already play(s) on ${date}`
          : !venue
            ? `the home venue ${venueId} is not one of the venues`
            : venue.courts < need
              ? `${venue.name} has ${venue.courts} court(s); a match needs ${need}`
              : (venueSlots.get(venueId)?.[weekdayOf(failure.day)] ?? []).length === 0
                ? `no start time fits the hours of ${venue.name} on ${date}`
                : `${venue.name} has no start time with ${need} free court(s) on ${date}${heldElsewhere(venueId, failure.day)}`;
    return {
      kind: failure.kind,
      message: `${what} could not be placed: ${reason}${elsewhere}`,
      matchId,
      round,
      teamIds: failure.teamIds,
      date,
      venueId,
    };
  }

  /**
   * Why a venue is full on `day` when matches booked elsewhere are the cause (without them a start
   * time would have room): `: its courts are taken by …` naming those that overlap a start time.
   */
  function heldElsewhere(venueId: string, day: number): string {
    const list = bookings.get(`${venueId}@${day}`) ?? [];
    const own = list.filter((b) => !bookedElsewhere.has(b));
    const starts = venueSlots.get(venueId)?.[weekdayOf(day)] ?? [];
    const courts = venues.get(venueId)?.courts ?? 0;
    if (!starts.some((s) => peakCourts(own, s, s + duration) + need <= courts)) return '';
    const names = list
      .filter(
        (b) => bookedElsewhere.has(b) && starts.some((s) => b.start < s + duration && s < b.end),
      )
      .map((b) => ({ start: b.start, label: bookedElsewhere.get(b) as string }))
      .sort((a, b) => a.start - b.start || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .map((b) => b.label);
    const more = names.length > MAX_NAMED ? ` and ${names.length - MAX_NAMED} more` : '';
    return `: its courts are taken by matches already booked there (${names.slice(0, MAX_NAMED).join(', ')}${more})`;
  }
}

/** Matches booked elsewhere that a `no_court` problem names at most. */
const MAX_NAMED = 5;

/**
 * Which generated pairings (`round:index`) a kept match already covers: the same home team first,
 * then the reverse, so a double round robin still schedules the return match.
 */
function consumedPairings(
  rounds: readonly Pairing[][],
  kept: readonly ExistingMatch[],
): Set<string> {
  const consumed = new Set<string>();
  if (kept.length === 0) return consumed;
  const free = new Map<string, string[]>();
  rounds.forEach((round, r) =>
    round.forEach((p, i) => {
      if (p.away === null) return;
      const key = `${p.home}|${p.away}`;
      free.set(key, [...(free.get(key) ?? []), `${r}:${i}`]);
    }),
  );
  const take = (key: string) => {
    const slot = free.get(key)?.shift();
    if (slot !== undefined) consumed.add(slot);
    return slot !== undefined;
  };
  const leftovers = kept.filter((m) => !take(`${m.homeTeamId}|${m.awayTeamId}`));
  for (const m of leftovers) take(`${m.awayTeamId}|${m.homeTeamId}`);
  return consumed;
}

/**
 * Regenerates a division's schedule: played and locked matches stay exactly as they are, unplayed
 * ones are placed again around them, and no pairing already played is scheduled twice.
 *
 * @param existingMatches the division's current matches, whatever their status
 */
export function regenerate(
  input: ValidScheduleInput,
  existingMatches: readonly ExistingMatch[],
): DraftSchedule {
  return generateSchedule({ ...input, existingMatches: [...existingMatches] });
}
