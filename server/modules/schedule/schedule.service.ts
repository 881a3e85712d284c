import type { z } from 'zod';
import { fieldErrors, PROBLEM_TYPES } from '#domain/schemas/problem';
import type { Match } from '#domain/schemas/matches';
import type {
  MyMatch,
  ScheduleDraft,
  SchedulePublish,
  ScheduleSettings,
} from '#domain/schemas/schedule';
import {
  ScheduleInput,
  type DraftMatch,
  type ExistingMatch,
  type VenueBooking,
} from '#domain/schemas/schedule';
import { regenerate } from '#domain/rules/schedule';
import { todayIn } from '#domain/rules/dates';
import type { Database, Tx } from '../../db/database';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionQueryAnswer, SessionUser } from '../../plugins/session';
import { sha256 } from '../../plugins/tokens';
import { getLeague, getSeason, visibleDivision } from '../leagues';
import {
  addMatches,
  divisionMatchPage,
  divisionMatchRows,
  lockDivision,
  lockVenue,
  matchesAtVenues,
  moveMatch,
  removeUnplayed,
  teamMatchPage,
  toMatch,
} from '../matches';
import { divisionTeams } from '../teams';
import { listVenues } from '../venues';
import {
  scheduleRepository as repo,
  type ScheduleRange,
  type ScheduleRow,
} from './schedule.repository';

/** The dates it is somewhere on Earth right now: from UTC-12 to UTC+14. */
function datesOnEarth(now: Date) {
  return { earliest: todayIn('Etc/GMT+12', now), latest: todayIn('Etc/GMT-14', now) };
}

/** The generator's input for a division, from its league, season, teams, venues and matches. */
async function scheduleInput(
  tx: Tx,
  divisionId: string,
  settings: z.output<typeof ScheduleSettings>,
) {
  const division = await visibleDivision(tx, divisionId);
  if (!division.isOrganizer) {
    throw forbidden("Only the league's organizers build its schedule.");
  }
  await lockDivision(tx, divisionId);
  const [season, league, teams, venues, existing] = await Promise.all([
    getSeason(tx, division.seasonId),
    getLeague(tx, division.leagueId),
    divisionTeams(tx, divisionId),
    listVenues(tx, division.leagueId),
    divisionMatchRows(tx, divisionId),
  ]);
  const live = teams.filter((t) => !t.archived);
  // An archived team's played matches stay as history; they are not the new schedule's business.
  const liveIds = new Set(live.map((t) => t.id));
  const homes = new Map(settings.homeVenues.map((h) => [h.teamId, h.venueId]));
  const unavailable = new Map(settings.unavailableDates.map((u) => [u.teamId, u.dates]));
  const missing = live.filter((t) => !homes.has(t.id));
  if (missing.length > 0) {
    throw badRequest(
      `Choose a home venue for ${missing.map((t) => t.name).join(', ')}.`,
      missing.map((t) => ({ field: 'homeVenues', message: `No home venue for ${t.name}` })),
    );
  }
  const startsOn = settings.startsOn ?? season.startsOn;
  const endsOn = settings.endsOn ?? season.endsOn;
  const today = todayIn(league.timeZone);
  const existingMatches = existing
    .filter(
      (m) =>
        m.status !== 'cancelled' &&
        m.venueId !== null &&
        liveIds.has(m.homeTeamId) &&
        liveIds.has(m.awayTeamId),
    )
    .map((m): ExistingMatch => ({
      id: m.id,
      round: m.round ?? 1,
      homeTeamId: m.homeTeamId,
      awayTeamId: m.awayTeamId,
      date: m.matchDate,
      startTime: m.startTime,
      venueId: m.venueId as string,
      courts: m.courts,
      status: m.status === 'played' ? 'played' : 'scheduled',
    }));
  const leagueVenues = new Set(venues.map((v) => v.id));
  const venueBookings = await bookedElsewhere(tx, divisionId, {
    venueIds: live.map((t) => homes.get(t.id) ?? '').filter((id) => leagueVenues.has(id)),
    from: startsOn > today ? startsOn : today,
    to: endsOn,
    kept: new Set(existingMatches.map((m) => m.id)),
  });
  const parsed = ScheduleInput.safeParse({
    teams: live.map((t) => ({
      id: t.id,
      name: t.name,
      homeVenueId: homes.get(t.id),
      unavailableDates: unavailable.get(t.id) ?? [],
    })),
    venues: venues.map((v) => ({
      id: v.id,
      name: v.name,
      address: v.address,
      courts: v.courts,
      availability: v.availability,
    })),
    courtsPerMatch:
      settings.courtsPerMatch ?? league.format.lines.reduce((n, group) => n + group.count, 0),
    startsOn,
    endsOn,
    matchDays: settings.matchDays,
    timeSlots: settings.timeSlots,
    matchMinutes: settings.matchMinutes,
    roundsPerWeek: settings.roundsPerWeek,
    doubleRoundRobin: settings.doubleRoundRobin,
    blackoutDates: settings.blackoutDates,
    notBefore: today,
    existingMatches,
    venueBookings,
  });
  if (!parsed.success) {
    throw badRequest('These schedule settings cannot work.', fieldErrors(parsed.error));
  }
  return { input: parsed.data, teams: live.map((t) => ({ id: t.id, name: t.name })) };
}

/**
 * The courts already taken at the division's home venues while its schedule is built (the
 * generator's `venueBookings`): every other division's matches there, since a league's venues are
 * shared, and this division's played matches that are not `kept` (an archived team's). Its
 * unplayed matches are placed again, so they hold nothing. The venues are locked first, in one
 * order so that two publications cannot deadlock, and stay locked until the transaction ends: no
 * other division books their courts between this read and a publication's insert.
 */
async function bookedElsewhere(
  tx: Tx,
  divisionId: string,
  range: { venueIds: string[]; from: string; to: string; kept: ReadonlySet<string> },
): Promise<VenueBooking[]> {
  const venueIds = [...new Set(range.venueIds)].sort();
  for (const id of venueIds) await lockVenue(tx, id);
  // A season over before its first day to place (or ending before it starts): nothing to count.
  if (range.to < range.from) return [];
  const rows = await matchesAtVenues(tx, { venueIds, from: range.from, to: range.to });
  return rows
    .filter((r) => r.divisionId !== divisionId || (r.status === 'played' && !range.kept.has(r.id)))
    .map((r) => ({
      venueId: r.venueId as string,
      date: r.matchDate,
      startTime: r.startTime,
      durationMinutes: r.durationMinutes,
      courts: r.courts,
      status: r.status,
      label: `${r.divisionName}: ${r.homeName} v ${r.awayName}`,
    }));
}

/** A draft schedule to review: nothing is saved. */
export async function draftSchedule(
  tx: Tx,
  divisionId: string,
  settings: z.output<typeof ScheduleSettings>,
): Promise<ScheduleDraft> {
  const { input, teams } = await scheduleInput(tx, divisionId, settings);
  const draft = regenerate(input, input.existingMatches);
  return { ...draft, teams, draftHash: sha256(JSON.stringify(draft.matches)) };
}

/**
 * Publishes the reviewed draft in one transaction: the generator runs again on the same input
 * (it is deterministic), and only if it gives the draft that was reviewed are the unplayed
 * matches replaced. Played matches are never touched.
 */
export async function publishSchedule(
  tx: Tx,
  user: SessionUser,
  divisionId: string,
  body: z.output<typeof SchedulePublish>,
): Promise<{ created: number; moved: number; kept: number }> {
  const { input } = await scheduleInput(tx, divisionId, body);
  const draft = regenerate(input, input.existingMatches);
  if (sha256(JSON.stringify(draft.matches)) !== body.draftHash) {
    throw conflict(
      'The schedule would differ from the draft you reviewed (teams, venues or matches changed): review a new draft.',
    );
  }
  const unplaced = draft.matches.filter((m) => m.status === 'draft' && m.awayTeamId && !m.date);
  if (unplaced.length > 0) {
    throw new HttpProblem(
      409,
      `${unplaced.length} matches could not be placed: change the settings first.`,
      {
        type: PROBLEM_TYPES.scheduleIncomplete,
        extra: { problems: draft.problems },
      },
    );
  }
  const placed = draft.matches.filter((m) => m.status === 'draft' && m.awayTeamId);
  const existing = await divisionMatchRows(tx, divisionId);
  const { pairs, fresh, gone } = pairWithExisting(
    placed,
    existing.filter((m) => m.status === 'scheduled' || m.status === 'postponed'),
  );
  await removeUnplayed(tx, divisionId, gone);
  const slot = (m: DraftMatch) => matchSlot(m, input.matchMinutes);
  // A match the rebuild moved keeps its id, calendar UID, answers and history: updated in place.
  let moved = 0;
  for (const { draft: m, row } of pairs) {
    const to = slot(m);
    const from = {
      round: row.round,
      venueId: row.venueId,
      matchDate: row.matchDate,
      startTime: row.startTime,
      durationMinutes: row.durationMinutes,
      courts: row.courts,
    };
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    await moveMatch(tx, user.id, row.id, to, {
      reason: 'schedule rebuilt',
      from: { round: from.round, date: from.matchDate, startTime: from.startTime },
      to: { round: to.round, date: to.matchDate, startTime: to.startTime },
    });
    moved++;
  }
  const ids = await addMatches(
    tx,
    user.id,
    fresh.map((m) => ({
      row: draftMatchRow(divisionId, m, input.matchMinutes),
      details: { round: m.round, date: m.date, startTime: m.startTime },
    })),
  );
  return {
    created: ids.length,
    moved,
    kept: draft.matches.filter((m) => m.status !== 'draft').length + pairs.length - moved,
  };
}

/** Where and when a placed draft match is played, as columns of `matches`. */
function matchSlot(m: DraftMatch, minutes: number) {
  return {
    round: m.round,
    venueId: m.venueId as string,
    matchDate: m.date as string,
    startTime: m.startTime as string,
    durationMinutes: minutes,
    courts: m.courts,
  };
}

/** A placed draft match (it has an away team, a date and a venue) as a new row of `matches`. */
export function draftMatchRow(divisionId: string, m: DraftMatch, minutes: number) {
  return {
    divisionId,
    homeTeamId: m.homeTeamId,
    awayTeamId: m.awayTeamId as string,
    ...matchSlot(m, minutes),
  };
}

/**
 * Pairs the rebuilt schedule's matches with the division's unplayed ones: the same home and away
 * teams, in date order. Paired matches are kept (and moved if their slot changed); the rest of
 * the draft is new, and unplayed matches left unpaired are gone from the schedule.
 */
function pairWithExisting<
  D extends { homeTeamId: string; awayTeamId: string | null; date: string | null },
  R extends { id: string; homeTeamId: string; awayTeamId: string; matchDate: string },
>(draft: readonly D[], rows: readonly R[]) {
  const waiting = new Map<string, R[]>();
  for (const row of [...rows].sort((a, b) => a.matchDate.localeCompare(b.matchDate))) {
    const key = `${row.homeTeamId}|${row.awayTeamId}`;
    waiting.set(key, [...(waiting.get(key) ?? []), row]);
  }
  const pairs: { draft: D; row: R }[] = [];
  const fresh: D[] = [];
  for (const m of [...draft].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''))) {
    const row = waiting.get(`${m.homeTeamId}|${m.awayTeamId}`)?.shift();
    if (row) pairs.push({ draft: m, row });
    else fresh.push(m);
  }
  return { pairs, fresh, gone: [...waiting.values()].flat().map((r) => r.id) };
}

/**
 * A division's schedule: one statement that answers whether the division is visible (404, as
 * `visibleDivision` says it) and its matches (`divisionMatchPage`, migration 0014).
 */
export async function divisionMatches(tx: Tx, divisionId: string): Promise<Match[]> {
  const rows = await divisionMatchPage(tx, divisionId);
  if (!rows) throw notFound('There is no such division, or its league is private.');
  return rows.map(toMatch);
}

/** A team's schedule, in one statement like `divisionMatches` (404 as `visibleTeam`). */
export async function teamMatches(tx: Tx, teamId: string): Promise<Match[]> {
  const rows = await teamMatchPage(tx, teamId);
  if (!rows) throw notFound('There is no such team, or its league is private.');
  return rows.map(toMatch);
}

type When = 'upcoming' | 'past' | 'all';

/*
 * The signed-in player's matches across all their teams: upcoming (from today) or past, found by
 * one query. "Today" is each match's league's date. The query takes the widest range (upcoming:
 * from the earliest date anywhere on Earth; past: before the latest: `scheduleRange`), and each
 * row, which carries its league's zone, is then kept by that league's today (`pickSchedule`).
 */

function scheduleRange(when: When, now: Date): ScheduleRange {
  if (when === 'all') return {};
  const { earliest, latest } = datesOnEarth(now);
  return when === 'upcoming' ? { from: earliest } : { before: latest };
}

function pickSchedule(rows: ScheduleRow[], when: When, now: Date): MyMatch[] {
  const todays = new Map<string, string>();
  const kept = rows.filter((r) => {
    if (when === 'all') return true;
    const day = todays.get(r.timeZone) ?? todayIn(r.timeZone, now);
    todays.set(r.timeZone, day);
    return when === 'upcoming' ? r.matchDate >= day : r.matchDate < day;
  });
  return (when === 'past' ? kept.reverse() : kept).map((r) => ({
    ...toMatch(r),
    myAvailability: r.myAvailability,
  }));
}

/** The schedule of the transaction's acting user (`withUser`). */
export async function myMatches(tx: Tx, when: When): Promise<MyMatch[]> {
  const now = new Date();
  return pickSchedule(await repo.forUser(tx, scheduleRange(when, now)), when, now);
}

/**
 * The schedule of a session's user, the session checked in the same statement (the hot read,
 * `GET /api/me/matches`; see `scheduleRepository.forSession`), given again from memory while
 * nothing was written (`Database.cachedRead`) and the session lasts. Null: no live session.
 */
export async function mySessionSchedule(
  db: Database,
  sessionId: string,
  when: When,
): Promise<SessionQueryAnswer<MyMatch[]> | null> {
  const now = new Date();
  const range = scheduleRange(when, now);
  const found = await db.cachedRead(
    `me/matches:${sessionId}:${range.from ?? ''}:${range.before ?? ''}`,
    () => repo.forSession(db, sessionId, range),
    (answer) => answer !== null && answer.expiresAt.getTime() > Date.now(),
  );
  return found && { ...found, result: pickSchedule(found.result, when, now) };
}
