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
  type MatchChange,
  type MatchRow,
  type NewMatch,
} from './matches.repository';

type Row = MatchRow;

export { lockDivision, lockVenue };

/** A match row as the API shows it: teams, venue and result as nested objects. */
export function toMatch(r: Row): Match {
  return {
    id: r.id,
    leagueId: r.leagueId,
    leagueName: r.leagueName,
    timeZone: r.timeZone,
    divisionId: r.divisionId,
    divisionName: r.divisionName,
    round: r.round,
    homeTeam: { id: r.homeTeamId, name: r.homeName },
    awayTeam: { id: r.awayTeamId, name: r.awayName },
    venue:
      r.venueId && r.venueName
        ? { id: r.venueId, name: r.venueName, address: r.venueAddress }
        : null,
    date: r.matchDate,
    startTime: r.startTime,
    durationMinutes: r.durationMinutes,
    status: r.status,
    cancelReason: r.cancelReason,
    version: r.version,
    sequence: r.sequence,
    result: resultSummary(r.resultStatus, r.resultTotals),
  };
}

function resultSummary(status: Row['resultStatus'], totals: unknown): Match['result'] {
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
  const division = await visibleDivision(tx, match.divisionId);
  if (!division.isOrganizer)
    throw forbidden("Only the league's organizers can change its matches.");
  await lockDivision(tx, match.divisionId);
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
  if (to.date < todayIn(match.timeZone)) {
    throw badRequest('The new date is in the past.', [{ field: 'date', message: 'In the past' }]);
  }
  await leagueVenue(tx, match.leagueId, to.venueId);
  await assertSlotFree(tx, match.leagueId, {
    ...slotOf(match),
    date: to.date,
    startTime: to.startTime,
    ...(to.venueId !== undefined && { venueId: to.venueId }),
  });
  await repo.update(tx, matchId, {
    status: 'postponed',
    matchDate: to.date,
    startTime: to.startTime,
    ...(to.venueId !== undefined && { venueId: to.venueId }),
  });
  await repo.record(tx, [
    {
      matchId,
      actorId: user.id,
      kind: 'postponed',
      details: {
        from: { date: match.matchDate, startTime: match.startTime, venueId: match.venueId },
        to: {
          date: to.date,
          startTime: to.startTime,
          venueId: to.venueId === undefined ? match.venueId : to.venueId,
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
  await repo.update(tx, matchId, { status: 'cancelled', cancelReason: body.reason });
  await repo.record(tx, [
    { matchId, actorId: user.id, kind: 'cancelled', details: { reason: body.reason } },
  ]);
  return toMatch((await repo.find(tx, matchId)) as Row);
}

/** A match row as the clash rule sees it, in its current slot. */
export function slotOf(r: Row): SlotMatch {
  return {
    id: r.id,
    homeTeam: { id: r.homeTeamId, name: r.homeName },
    awayTeam: { id: r.awayTeamId, name: r.awayName },
    date: r.matchDate,
    startTime: r.startTime,
    durationMinutes: r.durationMinutes,
    venueId: r.venueId,
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
      divisionId,
      round: input.round ?? null,
      homeTeamId: input.homeTeamId,
      awayTeamId: input.awayTeamId,
      venueId: input.venueId ?? null,
      matchDate: input.date,
      startTime: input.startTime,
      durationMinutes: input.durationMinutes,
      courts: NEW_MATCH_COURTS,
    },
  ]);
  await repo.record(tx, [
    { matchId: id as string, actorId: user.id, kind: 'created', details: input },
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
  await leagueVenue(tx, match.leagueId, patch.venueId);
  // A change of round alone moves nothing: the slot is checked only when it changes.
  if (
    patch.startTime !== undefined ||
    patch.durationMinutes !== undefined ||
    patch.venueId !== undefined
  ) {
    await assertSlotFree(tx, match.leagueId, {
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
      ...(patch.startTime !== undefined && { startTime: patch.startTime }),
      ...(patch.durationMinutes !== undefined && { durationMinutes: patch.durationMinutes }),
      ...(patch.venueId !== undefined && { venueId: patch.venueId }),
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
  await repo.record(tx, [{ matchId, actorId: user.id, kind: 'updated', details: patch }]);
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
    ...e,
    at: e.at.toISOString(),
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

/** A division's schedule page; undefined when the division is not visible (`divisionPage`). */
export function divisionMatchPage(tx: Tx, divisionId: string): Promise<Row[] | undefined> {
  return repo.divisionPage(tx, divisionId);
}

/** A team's schedule page; undefined when the team is not visible (`teamPage`). */
export function teamMatchPage(tx: Tx, teamId: string): Promise<Row[] | undefined> {
  return repo.teamPage(tx, teamId);
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
      matchId: id,
      actorId,
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
  await repo.record(tx, [{ matchId, actorId, kind: 'updated', details }]);
}

/** A match whose result is final is played. */
export async function markPlayed(tx: Tx, matchId: string): Promise<void> {
  await repo.markPlayed(tx, matchId);
}
