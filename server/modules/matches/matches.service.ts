import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { z } from 'zod';
import type {
  Match,
  MatchCreate,
  MatchPatch,
  MatchCancel,
  MatchEvent,
  MatchPostpone,
} from '#domain/schemas/matches';
import { slotClashes, type SlotMatch } from '#domain/rules/clashes';
import { todayIn } from '#domain/rules/dates';
import type { Tx } from '../../db/database';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { leagueToday, visibleDivision } from '../leagues';
import { divisionTeams } from '../teams';
import { listVenues } from '../venues';
import {
  lockDivision,
  lockVenue,
  matchesRepository as repo,
  type MatchRow,
} from './matches.repository';

type Row = MatchRow;

export { lockDivision, lockVenue };

/** A match row as the API shows it. */
export function toMatch(r: Row): Match {
  return {
    id: r.id,
    leagueId: r.league_id,
    leagueName: r.league_name,
    timeZone: r.time_zone,
    divisionId: r.division_id,
    divisionName: r.division_name,
    round: r.round,
    homeTeam: { id: r.home_team_id, name: r.home_name },
    awayTeam: { id: r.away_team_id, name: r.away_name },
    venue:
      r.venue_id && r.venue_name
        ? { id: r.venue_id, name: r.venue_name, address: r.venue_address }
        : null,
    date: r.match_date,
    startTime: r.start_time,
    durationMinutes: r.duration_minutes,
    status: r.status,
    cancelReason: r.cancel_reason,
    version: r.version,
    sequence: r.sequence,
    result: resultSummary(r.result_status, r.result_totals),
  };
}

function resultSummary(status: Row['result_status'], totals: unknown): Match['result'] {
  if (!status || !totals || typeof totals !== 'object') return null;
  const t = totals as { winner: 'home' | 'away' | 'tie'; linesHome: number; linesAway: number };
  return { status, winner: t.winner, linesHome: t.linesHome, linesAway: t.linesAway };
}

/** A cancelled or played match is final: 409, saying `why` it cannot go on. */
export function assertOpen(match: { status: string }, why: string): void {
  if (match.status === 'cancelled' || match.status === 'played') {
    throw conflict(`This match is ${match.status}: ${why}`);
  }
}

/** A match the acting user can see, or 404. */
export async function visibleMatch(tx: Tx, matchId: string): Promise<Row> {
  const match = await repo.find(tx, matchId);
  if (!match) throw notFound('There is no such match, or its league is private.');
  return match;
}

/** A match its league's organizer may change: 404 unseen, 403 not an organizer. */
async function organizedMatch(tx: Tx, matchId: string): Promise<Row> {
  const match = await visibleMatch(tx, matchId);
  const division = await visibleDivision(tx, match.division_id);
  if (!division.isOrganizer)
    throw forbidden("Only the league's organizers can change its matches.");
  await lockDivision(tx, match.division_id);
  return match;
}

export async function postponeMatch(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  to: z.output<typeof MatchPostpone>,
): Promise<Match> {
  const match = await organizedMatch(tx, matchId);
  assertOpen(match, 'it cannot be moved.');
  if (to.date < todayIn(match.time_zone)) {
    throw badRequest('The new date is in the past.', [{ field: 'date', message: 'In the past' }]);
  }
  await leagueVenue(tx, match.league_id, to.venueId);
  await assertSlotFree(tx, match.league_id, {
    ...slotOf(match),
    date: to.date,
    startTime: to.startTime,
    ...(to.venueId !== undefined && { venueId: to.venueId }),
  });
  await repo.update(tx, matchId, {
    status: 'postponed',
    match_date: to.date,
    start_time: to.startTime,
    ...(to.venueId !== undefined && { venue_id: to.venueId }),
  });
  await repo.record(tx, [
    {
      match_id: matchId,
      actor_id: user.id,
      kind: 'postponed',
      details: {
        from: { date: match.match_date, startTime: match.start_time, venueId: match.venue_id },
        to: {
          date: to.date,
          startTime: to.startTime,
          venueId: to.venueId === undefined ? match.venue_id : to.venueId,
        },
      },
    },
  ]);
  return toMatch((await repo.find(tx, matchId)) as Row);
}

export async function cancelMatch(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  body: z.output<typeof MatchCancel>,
): Promise<Match> {
  const match = await organizedMatch(tx, matchId);
  assertOpen(match, 'it cannot be cancelled.');
  await repo.update(tx, matchId, { status: 'cancelled', cancel_reason: body.reason });
  await repo.record(tx, [
    { match_id: matchId, actor_id: user.id, kind: 'cancelled', details: { reason: body.reason } },
  ]);
  return toMatch((await repo.find(tx, matchId)) as Row);
}

/** A match row as the clash rule sees it, in its current slot. */
export function slotOf(r: Row): SlotMatch {
  return {
    id: r.id,
    homeTeam: { id: r.home_team_id, name: r.home_name },
    awayTeam: { id: r.away_team_id, name: r.away_name },
    date: r.match_date,
    startTime: r.start_time,
    durationMinutes: r.duration_minutes,
    venueId: r.venue_id,
    courts: r.courts,
  };
}

/**
 * Refuses, with 409 and the fields to change, a slot that clashes with the two teams' other
 * matches or with its venue's courts and opening hours (`slotClashes`). Call it inside the
 * write's transaction (after `lockDivision` when the write moves a match): it takes the venue's
 * lock before reading, so two changes cannot both take the last court. Cancelled matches are
 * ignored; played ones count.
 */
export async function assertSlotFree(tx: Tx, leagueId: string, match: SlotMatch): Promise<void> {
  if (match.venueId) await lockVenue(tx, match.venueId);
  const [venues, neighbours] = await Promise.all([
    match.venueId ? listVenues(tx, leagueId) : [],
    repo.neighbours(tx, {
      teamIds: [match.homeTeam.id, match.awayTeam.id],
      venueId: match.venueId,
      date: match.date,
    }),
  ]);
  const venue = venues.find((v) => v.id === match.venueId) ?? null;
  const clashes = slotClashes(match, venue, neighbours.map(slotOf));
  if (clashes.length === 0) return;
  throw new HttpProblem(
    409,
    `The match cannot be played then: ${clashes.map((c) => c.message).join('; ')}.`,
    {
      type: PROBLEM_TYPES.slotClash,
      errors: clashes.map(({ field, message }) => ({ field, message })),
    },
  );
}

/** A venue id that must belong to the league: 400 naming `venueId` otherwise. */
async function leagueVenue(tx: Tx, leagueId: string, venueId: string | null | undefined) {
  if (!venueId) return;
  const venues = await listVenues(tx, leagueId);
  if (!venues.some((v) => v.id === venueId)) {
    throw badRequest('This venue is not one of the league’s.', [
      { field: 'venueId', message: 'Not a venue of this league' },
    ]);
  }
}

/** Courts a match added by hand holds (the generator's matches hold `courtsPerMatch`). */
const NEW_MATCH_COURTS = 1;

/** An organizer adds one match between two teams of the division, on a date to come. */
export async function createMatch(
  tx: Tx,
  user: SessionUser,
  divisionId: string,
  input: z.output<typeof MatchCreate>,
): Promise<Match> {
  const division = await visibleDivision(tx, divisionId);
  if (!division.isOrganizer) throw forbidden("Only the league's organizers add matches.");
  const live = new Map(
    (await divisionTeams(tx, divisionId)).filter((t) => !t.archived).map((t) => [t.id, t.name]),
  );
  const errors = (['homeTeamId', 'awayTeamId'] as const)
    .filter((field) => !live.has(input[field]))
    .map((field) => ({ field, message: 'Not a team of this division' }));
  if (errors.length > 0) throw badRequest('Both teams must play in this division.', errors);
  if (input.date < (await leagueToday(tx, division.leagueId))) {
    throw badRequest('A new match cannot be in the past.', [
      { field: 'date', message: 'In the past' },
    ]);
  }
  await leagueVenue(tx, division.leagueId, input.venueId);
  await lockDivision(tx, divisionId);
  await assertSlotFree(tx, division.leagueId, {
    id: null,
    homeTeam: { id: input.homeTeamId, name: live.get(input.homeTeamId) as string },
    awayTeam: { id: input.awayTeamId, name: live.get(input.awayTeamId) as string },
    date: input.date,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    venueId: input.venueId ?? null,
    courts: NEW_MATCH_COURTS,
  });
  const [id] = await repo.insertMany(tx, [
    {
      division_id: divisionId,
      round: input.round ?? null,
      home_team_id: input.homeTeamId,
      away_team_id: input.awayTeamId,
      venue_id: input.venueId ?? null,
      match_date: input.date,
      start_time: input.startTime,
      duration_minutes: input.durationMinutes,
      courts: NEW_MATCH_COURTS,
    },
  ]);
  await repo.record(tx, [
    { match_id: id as string, actor_id: user.id, kind: 'created', details: input },
  ]);
  return toMatch((await repo.find(tx, id as string)) as Row);
}

/** Corrections to a match that keep its date: time, duration, venue, round (If-Match guarded). */
export async function updateMatch(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  patch: z.output<typeof MatchPatch>,
  ifMatch: number | undefined,
): Promise<Match> {
  const match = await organizedMatch(tx, matchId);
  assertOpen(match, 'it cannot be changed.');
  await leagueVenue(tx, match.league_id, patch.venueId);
  // A change of round alone moves nothing: the slot is checked only when it changes.
  if (
    patch.startTime !== undefined ||
    patch.durationMinutes !== undefined ||
    patch.venueId !== undefined
  ) {
    await assertSlotFree(tx, match.league_id, {
      ...slotOf(match),
      ...(patch.startTime !== undefined && { startTime: patch.startTime }),
      ...(patch.durationMinutes !== undefined && { durationMinutes: patch.durationMinutes }),
      ...(patch.venueId !== undefined && { venueId: patch.venueId }),
    });
  }
  const updated = await repo.update(
    tx,
    matchId,
    {
      ...(patch.startTime !== undefined && { start_time: patch.startTime }),
      ...(patch.durationMinutes !== undefined && { duration_minutes: patch.durationMinutes }),
      ...(patch.venueId !== undefined && { venue_id: patch.venueId }),
      ...(patch.round !== undefined && { round: patch.round }),
    },
    ifMatch,
  );
  if (!updated) {
    throw new HttpProblem(412, 'This match was changed since you loaded it.', {
      type: PROBLEM_TYPES.versionConflict,
      extra: { current: toMatch((await repo.find(tx, matchId)) as Row) },
    });
  }
  await repo.record(tx, [
    { match_id: matchId, actor_id: user.id, kind: 'updated', details: patch },
  ]);
  return toMatch((await repo.find(tx, matchId)) as Row);
}

/** One match, as the schedule views show it. */
export async function getMatch(tx: Tx, matchId: string): Promise<Match> {
  return toMatch(await visibleMatch(tx, matchId));
}

/** Who changed the match, when, and what. */
export async function matchHistory(tx: Tx, matchId: string): Promise<MatchEvent[]> {
  await visibleMatch(tx, matchId);
  return (await repo.history(tx, matchId)).map((e) => ({
    at: e.at.toISOString(),
    actor: e.display_name,
    kind: e.kind,
    details: e.details as Record<string, unknown>,
  }));
}

/*
 * Writes other features make to matches: the schedule's publication places and moves them, and
 * a final result marks a match played. The matches module owns `matches` and `match_events`.
 */

/** A division's matches, every status, in date order. */
export function divisionMatchRows(tx: Tx, divisionId: string): Promise<Row[]> {
  return repo.division(tx, divisionId);
}

/** A team's matches, home and away, in date order. */
export function teamMatchRows(tx: Tx, teamId: string): Promise<Row[]> {
  return repo.ofTeam(tx, teamId);
}

/** Every match that may hold these venues' courts in the range (`matchesRepository.atVenues`). */
export function matchesAtVenues(
  tx: Tx,
  range: { venueIds: readonly string[]; from: string; to: string },
): Promise<Row[]> {
  return repo.atVenues(tx, range);
}

/** A match by id as the transaction sees it, with no visibility check (system work). */
export function findMatch(tx: Tx, matchId: string): Promise<Row | undefined> {
  return repo.find(tx, matchId);
}

/** Deletes these unplayed matches of a division (played and cancelled ones stay). */
export function removeUnplayed(
  tx: Tx,
  divisionId: string,
  ids: readonly string[],
): Promise<number> {
  return repo.removeUnplayed(tx, divisionId, ids);
}

type NewMatch = Parameters<typeof repo.insertMany>[1][number];
type MatchChange = Parameters<typeof repo.update>[2];

/** Adds matches, each with its `created` event (by `actorId`, with its `details`). */
export async function addMatches(
  tx: Tx,
  actorId: string,
  matches: readonly { row: NewMatch; details: object }[],
): Promise<string[]> {
  const ids = await repo.insertMany(
    tx,
    matches.map((m) => m.row),
  );
  await repo.record(
    tx,
    ids.map((id, i) => ({
      match_id: id,
      actor_id: actorId,
      kind: 'created' as const,
      details: matches[i]?.details ?? {},
    })),
  );
  return ids;
}

/** Moves a match to a new slot, with its `updated` event (by `actorId`, with its `details`). */
export async function moveMatch(
  tx: Tx,
  actorId: string,
  matchId: string,
  change: MatchChange,
  details: object,
): Promise<void> {
  await repo.update(tx, matchId, change);
  await repo.record(tx, [{ match_id: matchId, actor_id: actorId, kind: 'updated', details }]);
}

/** A match whose result is final is played. */
export async function markPlayed(tx: Tx, matchId: string): Promise<void> {
  await repo.markPlayed(tx, matchId);
}
