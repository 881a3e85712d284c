import type { z } from 'zod';
import { fieldErrors } from '../../../domain/schemas/problem';
import type {
  Match,
  MatchCreate,
  MatchPatch,
  MatchCancel,
  MatchEvent,
  MatchPostpone,
  ScheduleDraft,
  SchedulePublish,
  ScheduleSettings,
} from '../../../domain/schemas/match';
import { ScheduleInput, type ExistingMatch } from '../../../domain/schemas/schedule';
import { regenerate } from '../../../domain/rules/schedule';
import type { Tx } from '../../db/database';
import { HttpProblem, badRequest, conflict, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { sha256 } from '../../plugins/tokens';
import { getLeague, getSeason, visibleDivision } from '../leagues/leagues.service';
import { divisionTeams, visibleTeam } from '../teams/teams.service';
import { listVenues } from '../venues/venues.service';
import { lockDivision, matchesRepository as repo } from './matches.repository';

type Row = Awaited<ReturnType<typeof repo.division>>[number];

/** Today's date in UTC; new matches (and proposed dates) may not be before it. */
export const today = () => new Date().toISOString().slice(0, 10);

function toMatch(r: Row): Match {
  return {
    id: r.id,
    leagueId: r.league_id,
    leagueName: r.league_name,
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
  };
}

/** The generator's input for a division, from its league, season, teams, venues and matches. */
async function scheduleInput(
  tx: Tx,
  divisionId: string,
  settings: z.output<typeof ScheduleSettings>,
) {
  const division = await visibleDivision(tx, divisionId);
  if (!division.is_organizer) {
    throw forbidden("Only the league's organizers build its schedule.");
  }
  await lockDivision(tx, divisionId);
  const [season, league, teams, venues, existing] = await Promise.all([
    getSeason(tx, division.season_id),
    getLeague(tx, division.league_id),
    divisionTeams(tx, divisionId),
    listVenues(tx, division.league_id),
    repo.division(tx, divisionId),
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
    startsOn: settings.startsOn ?? season.startsOn,
    endsOn: settings.endsOn ?? season.endsOn,
    matchDays: settings.matchDays,
    timeSlots: settings.timeSlots,
    matchMinutes: settings.matchMinutes,
    roundsPerWeek: settings.roundsPerWeek,
    doubleRoundRobin: settings.doubleRoundRobin,
    blackoutDates: settings.blackoutDates,
    notBefore: today(),
    existingMatches: existing
      .filter(
        (m) =>
          m.status !== 'cancelled' &&
          m.venue_id !== null &&
          liveIds.has(m.home_team_id) &&
          liveIds.has(m.away_team_id),
      )
      .map((m): ExistingMatch => ({
        id: m.id,
        round: m.round ?? 1,
        homeTeamId: m.home_team_id,
        awayTeamId: m.away_team_id,
        date: m.match_date,
        startTime: m.start_time,
        venueId: m.venue_id as string,
        courts: m.courts,
        status: m.status === 'played' ? 'played' : 'scheduled',
      })),
  });
  if (!parsed.success) {
    throw badRequest('These schedule settings cannot work.', fieldErrors(parsed.error));
  }
  return { input: parsed.data, teams: live.map((t) => ({ id: t.id, name: t.name })) };
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
): Promise<{ created: number; kept: number }> {
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
        type: 'urn:rally:problem:schedule-incomplete',
        extra: { problems: draft.problems },
      },
    );
  }
  await repo.removeUnplayed(tx, divisionId);
  const placed = draft.matches.filter((m) => m.status === 'draft' && m.awayTeamId);
  const ids = await repo.insertMany(
    tx,
    placed.map((m) => ({
      division_id: divisionId,
      round: m.round,
      home_team_id: m.homeTeamId,
      away_team_id: m.awayTeamId as string,
      venue_id: m.venueId as string,
      match_date: m.date as string,
      start_time: m.startTime as string,
      duration_minutes: input.matchMinutes,
      courts: m.courts,
    })),
  );
  await repo.record(
    tx,
    ids.map((id, i) => ({
      match_id: id,
      actor_id: user.id,
      kind: 'created' as const,
      details: { round: placed[i]?.round, date: placed[i]?.date, startTime: placed[i]?.startTime },
    })),
  );
  return { created: ids.length, kept: draft.matches.filter((m) => m.status !== 'draft').length };
}

export async function divisionMatches(tx: Tx, divisionId: string): Promise<Match[]> {
  await visibleDivision(tx, divisionId);
  return (await repo.division(tx, divisionId)).map(toMatch);
}

export async function teamMatches(tx: Tx, teamId: string): Promise<Match[]> {
  await visibleTeam(tx, teamId);
  return (await repo.ofTeam(tx, teamId)).map(toMatch);
}

/**
 * The signed-in player's matches across all their teams: upcoming (from today) or past. The
 * transaction's acting user is the player (`withUser`), and one query finds them.
 */
export async function myMatches(tx: Tx, when: 'upcoming' | 'past' | 'all'): Promise<Match[]> {
  const range =
    when === 'upcoming' ? { from: today() } : when === 'past' ? { before: today() } : {};
  const rows = await repo.forUser(tx, range);
  return (when === 'past' ? rows.reverse() : rows).map(toMatch);
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
  if (!division.is_organizer)
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
  if (to.date < today()) {
    throw badRequest('The new date is in the past.', [{ field: 'date', message: 'In the past' }]);
  }
  await leagueVenue(tx, match.league_id, to.venueId);
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

/** An organizer adds one match between two teams of the division, on a date to come. */
export async function createMatch(
  tx: Tx,
  user: SessionUser,
  divisionId: string,
  input: z.output<typeof MatchCreate>,
): Promise<Match> {
  const division = await visibleDivision(tx, divisionId);
  if (!division.is_organizer) throw forbidden("Only the league's organizers add matches.");
  const live = new Set(
    (await divisionTeams(tx, divisionId)).filter((t) => !t.archived).map((t) => t.id),
  );
  const errors = (['homeTeamId', 'awayTeamId'] as const)
    .filter((field) => !live.has(input[field]))
    .map((field) => ({ field, message: 'Not a team of this division' }));
  if (errors.length > 0) throw badRequest('Both teams must play in this division.', errors);
  if (input.date < today()) {
    throw badRequest('A new match cannot be in the past.', [
      { field: 'date', message: 'In the past' },
    ]);
  }
  await leagueVenue(tx, division.league_id, input.venueId);
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
      courts: 1,
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
      type: 'urn:rally:problem:version-conflict',
      extra: { current: toMatch((await repo.find(tx, matchId)) as Row) },
    });
  }
  await repo.record(tx, [
    { match_id: matchId, actor_id: user.id, kind: 'updated', details: patch },
  ]);
  return toMatch((await repo.find(tx, matchId)) as Row);
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
