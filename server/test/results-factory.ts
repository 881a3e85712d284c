import type { FastifyInstance } from 'fastify';
import { DEFAULT_MATCH_FORMAT, type MatchFormat } from '#domain/schemas/leagues';
import type { ResultEntryInput } from '#domain/schemas/results';
import type { Agent } from './app';
import { buildLeague, createTeam, expectStatus, signUp } from './factories';

/** One singles and one doubles line, best of three with a match tiebreak: three players a side. */
export const SMALL_FORMAT: MatchFormat = {
  ...DEFAULT_MATCH_FORMAT,
  lines: [
    { kind: 'singles', count: 1 },
    { kind: 'doubles', count: 1 },
  ],
};

export interface Side {
  captain: Agent;
  /** Captain first, then the players who joined. */
  players: { agent: Agent; id: string; name: string }[];
  teamId: string;
}

export interface League {
  organizer: Agent;
  leagueId: string;
  divisionId: string;
  teams: Side[];
}

/**
 * A league (by an organizer) with one division and `teams` teams, each a captain and
 * `playersPerTeam - 1` more players who joined by invite link; all through the API. Names are
 * `<prefix><team letter><n>`, e.g. `A1` (the captain of team A), `A2`.
 */
export async function buildResultsLeague(
  app: FastifyInstance,
  options: {
    teams?: number;
    playersPerTeam?: number;
    format?: MatchFormat;
    visibility?: 'public' | 'private';
    sport?: 'tennis' | 'pickleball' | 'padel';
    prefix?: string;
  } = {},
): Promise<League> {
  const prefix = options.prefix ?? '';
  const { agent: organizer } = await signUp(app, 'organizer', `${prefix}Organizer`);
  const league = await organizer.send(
    'POST',
    '/api/leagues',
    buildLeague({
      name: `${prefix}Results League`,
      visibility: options.visibility ?? 'public',
      sport: options.sport ?? 'tennis',
      format: options.format ?? SMALL_FORMAT,
      rosterMin: 1,
      rosterMax: 12,
    }),
  );
  expectStatus(league, 201, 'create league');
  const leagueId = league.json().id as string;
  const season = await organizer.send('POST', `/api/leagues/${leagueId}/seasons`, {
    name: 'Autumn',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    registrationOpen: true,
  });
  expectStatus(season, 201, 'create season');
  const division = await organizer.send('POST', `/api/seasons/${season.json().id}/divisions`, {
    name: 'Open',
  });
  expectStatus(division, 201, 'create division');
  const divisionId = division.json().id as string;

  const teams: Side[] = [];
  for (let t = 0; t < (options.teams ?? 2); t++) {
    const letter = String.fromCharCode(65 + t);
    const captain = await signUp(app, 'captain', `${prefix}${letter}1`);
    const teamId = await createTeam(captain.agent, divisionId, `${prefix}Team ${letter}`);
    const players = [{ agent: captain.agent, id: captain.id, name: `${prefix}${letter}1` }];
    for (let p = 2; p <= (options.playersPerTeam ?? 3); p++) {
      const invite = await captain.agent.send('POST', `/api/teams/${teamId}/invites`, {
        kind: 'link',
      });
      expectStatus(invite, 201, 'invite');
      const token = new URL(invite.json().url as string).pathname.split('/').pop();
      const player = await signUp(app, 'player', `${prefix}${letter}${p}`);
      expectStatus(await player.agent.send('POST', `/api/invites/${token}/accept`), 200, 'join');
      players.push({ agent: player.agent, id: player.id, name: `${prefix}${letter}${p}` });
    }
    teams.push({ captain: captain.agent, players, teamId });
  }
  return { organizer, leagueId, divisionId, teams };
}

/**
 * A match between two teams on a past date. New matches cannot be made in the past through
 * the API, so the organizer creates it ahead and the test moves its date back, as time would.
 */
export async function pastMatch(
  app: FastifyInstance,
  league: League,
  home: number,
  away: number,
  date: string,
  startTime = '18:00',
): Promise<string> {
  const future = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const created = await league.organizer.send(
    'POST',
    `/api/divisions/${league.divisionId}/matches`,
    {
      homeTeamId: league.teams[home]?.teamId,
      awayTeamId: league.teams[away]?.teamId,
      date: future,
      startTime,
      durationMinutes: 120,
    },
  );
  expectStatus(created, 201, 'create match');
  const id = created.json().id as string;
  await app.db.owner.updateTable('matches').set({ matchDate: date }).where('id', '=', id).execute();
  return id;
}

type Score = [number, number][];

/** The sets of a score as the app writes it, home games first: `score('6-2 6-3')`. */
export function score(text: string): Score {
  return text.split(' ').map((set) => {
    const [home, away] = set.split('-').map(Number);
    if (home === undefined || away === undefined) throw new Error(`not a set: ${set}`);
    return [home, away];
  });
}

/**
 * A result for SMALL_FORMAT: singles by the first player of each side, doubles by the next two;
 * scores home games first, e.g. `[[6, 4], [6, 3]]`.
 */
export function smallResult(
  league: League,
  home: number,
  away: number,
  singles: Score,
  doubles: Score,
): ResultEntryInput {
  const h = league.teams[home]?.players.map((p) => p.id) ?? [];
  const a = league.teams[away]?.players.map((p) => p.id) ?? [];
  const sets = (s: Score) => s.map(([x, y]) => ({ home: x, away: y }));
  return {
    lines: [
      {
        kind: 'singles',
        line: 1,
        homePlayers: h.slice(0, 1),
        awayPlayers: a.slice(0, 1),
        sets: sets(singles),
      },
      {
        kind: 'doubles',
        line: 1,
        homePlayers: h.slice(1, 3),
        awayPlayers: a.slice(1, 3),
        sets: sets(doubles),
      },
    ],
  };
}

/** Enters a result as the home captain and confirms it as the away captain. */
export async function confirmedResult(
  league: League,
  matchId: string,
  home: number,
  away: number,
  input: ResultEntryInput,
) {
  const entered = await league.teams[home]?.captain.send(
    'PUT',
    `/api/matches/${matchId}/result`,
    input,
  );
  if (!entered) throw new Error('no such team');
  expectStatus(entered, 200, 'enter result');
  const confirmed = await league.teams[away]?.captain.send(
    'POST',
    `/api/matches/${matchId}/result/confirm`,
  );
  if (!confirmed) throw new Error('no such team');
  expectStatus(confirmed, 200, 'confirm result');
  return confirmed.json();
}
