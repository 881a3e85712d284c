import type { z } from 'zod';
import { lineupErrors } from '#domain/rules/lineup';
import type {
  AvailabilityGrid,
  AvailabilityInput,
  Lineup,
  LineupInput,
} from '#domain/schemas/availability';
import type { Tx } from '../../db/database';
import { badRequest, forbidden, notFound } from '../../plugins/problem';
import type { SessionUser } from '../../plugins/session';
import { assertOpen, visibleMatch, type MatchRow } from '../matches';
import { memberIds, visibleTeam } from '../teams';
import { availabilityRepository as repo } from './availability.repository';

/**
 * The side of the match a request is about: `teamId` when given (it must play the match), else
 * the acting user's own team in it. Returns the team as its members see it (one read: its
 * `isMember`, `isCaptain` and `isOrganizer` are the acting user's).
 */
async function side(tx: Tx, user: SessionUser, match: MatchRow, teamId: string | undefined) {
  const candidates = teamId ? [teamId] : [match.homeTeamId, match.awayTeamId];
  if (teamId && teamId !== match.homeTeamId && teamId !== match.awayTeamId) {
    throw notFound('This team does not play this match.');
  }
  for (const id of candidates) {
    const team = await visibleTeam(tx, id);
    if (team.isMember || (teamId && team.isOrganizer)) return team;
  }
  throw forbidden("Only the teams' players (and the league's organizers) see this.");
}

/** A player answers whether they can play the match, for their own team. */
export async function answerAvailability(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  input: z.output<typeof AvailabilityInput>,
): Promise<AvailabilityGrid> {
  const match = await visibleMatch(tx, matchId);
  assertOpen(match, 'it takes no more answers or lineups.');
  const team = await side(tx, user, match, undefined);
  await repo.answer(tx, {
    matchId,
    teamId: team.id,
    userId: user.id,
    answer: input.answer,
    note: input.note || null,
  });
  // The grid of the side just checked: not the match and the team read again.
  return grid(tx, matchId, team.id);
}

/** The team's availability grid: its roster and their answers. */
export async function availabilityGrid(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  teamId: string | undefined,
): Promise<AvailabilityGrid> {
  const match = await visibleMatch(tx, matchId);
  const team = await side(tx, user, match, teamId);
  return grid(tx, matchId, team.id);
}

async function grid(tx: Tx, matchId: string, teamId: string): Promise<AvailabilityGrid> {
  const rows = await repo.grid(tx, matchId, teamId);
  return {
    teamId,
    players: rows.map((r) => ({ ...r, displayName: r.displayName ?? 'A former member' })),
  };
}

/**
 * The captain sets the team's lineup for the match: lines from the league's format, singles one
 * player and doubles two, players from the roster, nobody twice. Replaces the previous lineup.
 */
export async function setLineup(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  teamId: string | undefined,
  input: z.output<typeof LineupInput>,
): Promise<Lineup> {
  const match = await visibleMatch(tx, matchId);
  assertOpen(match, 'it takes no more answers or lineups.');
  const team = await side(tx, user, match, teamId);
  if (!team.isCaptain) throw forbidden("Only the team's captains set its lineup.");
  // The league's format alone, not the whole league page (getLeague: four reads).
  const format = await repo.format(tx, match.leagueId);
  if (!format) throw notFound('There is no such league, or it is private.');
  const errors = lineupErrors(input.lines, format, new Set(await memberIds(tx, team.id)));
  if (errors.length > 0)
    throw badRequest('This lineup does not fit the format or the roster.', errors);
  await repo.replaceLineup(
    tx,
    matchId,
    team.id,
    input.lines.flatMap((l) =>
      l.players.map((userId, i) => ({ kind: l.kind, line: l.line, seat: i + 1, userId })),
    ),
  );
  // The lineup of the side just checked: not the match and the team read again.
  return lineupOf(tx, matchId, team.id);
}

export async function getLineup(
  tx: Tx,
  user: SessionUser,
  matchId: string,
  teamId: string | undefined,
): Promise<Lineup> {
  const match = await visibleMatch(tx, matchId);
  const team = await side(tx, user, match, teamId);
  return lineupOf(tx, matchId, team.id);
}

async function lineupOf(tx: Tx, matchId: string, teamId: string): Promise<Lineup> {
  const slots = await repo.lineup(tx, matchId, teamId);
  const lines = new Map<string, Lineup['lines'][number]>();
  for (const s of slots) {
    const key = `${s.kind}:${s.line}`;
    const line = lines.get(key) ?? { kind: s.kind, line: s.line, players: [], names: [] };
    line.players.push(s.userId);
    line.names.push(s.displayName ?? 'A former member');
    lines.set(key, line);
  }
  return { teamId, lines: [...lines.values()] };
}
