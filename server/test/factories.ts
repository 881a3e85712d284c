import type { FastifyInstance } from 'fastify';
import { DEFAULT_MATCH_FORMAT, type LeagueInput } from '#domain/schemas/leagues';
import type { Role } from '#domain/schemas/me';
import { Agent, buildProfile } from './app';

/** Fails with the response body, so a broken set-up step says why. */
export function expectStatus(
  response: { statusCode: number; body: string },
  status: number,
  step: string,
) {
  if (response.statusCode !== status) {
    throw new Error(`${step} answered ${response.statusCode}: ${response.body}`);
  }
}

/**
 * A signed-in, onboarded demo user (the app must run with `DEMO_MODE=true`): a profile with
 * this display name and, unless null, this role.
 */
export async function signUp(
  app: FastifyInstance,
  role: Role | null,
  displayName: string,
): Promise<{ agent: Agent; id: string }> {
  const agent = new Agent(app);
  await agent.prime();
  expectStatus(await agent.send('POST', '/api/auth/demo', { user: 'new' }), 204, 'demo sign-in');
  expectStatus(
    await agent.send('PUT', '/api/me/profile', buildProfile({ displayName })),
    200,
    'profile',
  );
  if (role) expectStatus(await agent.send('PUT', '/api/me/role', { role }), 200, 'role');
  const me = await agent.get('/api/me');
  return { agent, id: me.json().id as string };
}

/** A valid `POST /api/leagues` body, with overrides. */
export function buildLeague(overrides: Partial<LeagueInput> = {}): LeagueInput {
  return {
    name: 'Riverside Tennis League',
    sport: 'tennis',
    visibility: 'private',
    format: DEFAULT_MATCH_FORMAT,
    rosterMin: 2,
    rosterMax: 8,
    ...overrides,
  };
}

/**
 * A league (owned by this organizer) with one season and one division, through the API.
 * `registrationOpen` is the season's: whether captains may still add teams.
 */
export async function createLeagueWithDivision(
  organizer: Agent,
  options: {
    visibility?: 'public' | 'private';
    rosterMax?: number;
    registrationOpen?: boolean;
  } = {},
): Promise<{ leagueId: string; seasonId: string; divisionId: string }> {
  const rosterMax = options.rosterMax ?? 8;
  const league = await organizer.send(
    'POST',
    '/api/leagues',
    buildLeague({
      visibility: options.visibility ?? 'private',
      rosterMin: Math.min(2, rosterMax),
      rosterMax,
    }),
  );
  expectStatus(league, 201, 'create league');
  const leagueId = league.json().id as string;
  const season = await organizer.send('POST', `/api/leagues/${leagueId}/seasons`, {
    name: 'Spring 2027',
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    registrationOpen: options.registrationOpen ?? true,
  });
  expectStatus(season, 201, 'create season');
  const seasonId = season.json().id as string;
  const division = await organizer.send('POST', `/api/seasons/${seasonId}/divisions`, {
    name: '3.5 Mixed',
    levelMin: 3,
    levelMax: 3.5,
  });
  expectStatus(division, 201, 'create division');
  return { leagueId, seasonId, divisionId: division.json().id as string };
}

/** A team created through the API by this captain (or organizer); returns its id. */
export async function createTeam(
  captain: Agent,
  divisionId: string,
  name: string,
): Promise<string> {
  const team = await captain.send('POST', `/api/divisions/${divisionId}/teams`, { name });
  expectStatus(team, 201, 'create team');
  return team.json().id as string;
}
