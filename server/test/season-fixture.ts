import type { FastifyInstance } from 'fastify';
import { Agent, startTestApp, type TestApp, NO_RATE_LIMITS } from './app';
import type { DatabaseKind } from './databases';
import type { LineEntry, ResultEntryInput } from '#domain/schemas/results';
import {
  buildResultsLeague,
  confirmedResult,
  pastMatch,
  score,
  smallResult,
  type League,
} from './results-factory';

type Sets = [number, number][];
const sets = (s: Sets) => s.map(([home, away]) => ({ home, away }));

/**
 * A played season with numbers worked out by hand (see the tests that read it), through the API:
 * a public tennis league, one singles and one doubles line per match (best of three, match
 * tiebreak), teams A to E of three players (`A1` captains A and plays singles; `A2`/`A3` play
 * doubles).
 *
 * | match | date       | home v away | singles                    | doubles          | result   |
 * |-------|------------|-------------|----------------------------|------------------|----------|
 * | m1    | 2026-09-01 | A v B       | A1 6-4 6-3                 | A 4-6 6-3 [10-7] | A 2-0    |
 * | m2    | 2026-09-08 | B v C       | B1 7-5 6-4                 | C 6-3 6-2        | tie 1-1  |
 * | m6    | 2026-09-10 | B v D       | B1 6-0 6-0                 | B 6-1 6-1        | B 2-0    |
 * | m7    | 2026-09-12 | A v D       | A1 by walkover             | A 6-3 6-3        | A 2-0    |
 * | m3    | 2026-09-15 | C v A       | C1 6-2 2-1, A1 retired     | C 6-4 6-4        | C 2-0    |
 * | m4    | 2026-09-20 | A v B       | (entered, not confirmed)   |                  | pending  |
 *
 * Then team D withdraws (archived: it has played) and team E, which never played, is archived.
 */
export async function buildSeason(app: FastifyInstance, prefix = '') {
  const league = await buildResultsLeague(app, { teams: 5, prefix, visibility: 'public' });
  const [A, B, C, D] = [0, 1, 2, 3];
  const ids = (team: number) => league.teams[team]?.players.map((p) => p.id) ?? [];
  const match = (
    home: number,
    away: number,
    singles: Partial<LineEntry> & { sets?: LineEntry['sets'] },
    doubles: Sets,
  ): ResultEntryInput => ({
    lines: [
      {
        kind: 'singles',
        line: 1,
        homePlayers: ids(home).slice(0, 1),
        awayPlayers: ids(away).slice(0, 1),
        ...singles,
      },
      {
        kind: 'doubles',
        line: 1,
        homePlayers: ids(home).slice(1, 3),
        awayPlayers: ids(away).slice(1, 3),
        sets: sets(doubles),
      },
    ],
  });
  const play = async (
    home: number,
    away: number,
    date: string,
    input: ResultEntryInput,
  ): Promise<string> => {
    const id = await pastMatch(app, league, home, away, date);
    await confirmedResult(league, id, home, away, input);
    return id;
  };

  const m1 = await play(
    A,
    B,
    '2026-09-01',
    match(
      A,
      B,
      {
        sets: sets([
          [6, 4],
          [6, 3],
        ]),
      },
      [
        [4, 6],
        [6, 3],
        [10, 7],
      ],
    ),
  );
  const m2 = await play(
    B,
    C,
    '2026-09-08',
    match(
      B,
      C,
      {
        sets: sets([
          [7, 5],
          [6, 4],
        ]),
      },
      [
        [3, 6],
        [2, 6],
      ],
    ),
  );
  const m6 = await play(
    B,
    D,
    '2026-09-10',
    match(
      B,
      D,
      {
        sets: sets([
          [6, 0],
          [6, 0],
        ]),
      },
      [
        [6, 1],
        [6, 1],
      ],
    ),
  );
  const m7 = await play(
    A,
    D,
    '2026-09-12',
    match(A, D, { outcome: 'walkover', sets: [], winner: 'home' }, [
      [6, 3],
      [6, 3],
    ]),
  );
  const m3 = await play(
    C,
    A,
    '2026-09-15',
    match(
      C,
      A,
      {
        outcome: 'retired',
        sets: sets([
          [6, 2],
          [2, 1],
        ]),
        winner: 'home',
      },
      [
        [6, 4],
        [6, 4],
      ],
    ),
  );
  const m4 = await pastMatch(app, league, A, B, '2026-09-20');
  const pending = await team(league, A).captain.send(
    'PUT',
    `/api/matches/${m4}/result`,
    match(
      A,
      B,
      {
        sets: sets([
          [6, 0],
          [6, 0],
        ]),
      },
      [
        [6, 0],
        [6, 0],
      ],
    ),
  );
  if (pending.statusCode !== 200) throw new Error(`enter m4 answered ${pending.body}`);

  const withdrawn = await team(league, D).captain.send(
    'DELETE',
    `/api/teams/${team(league, D).teamId}`,
  );
  if (withdrawn.statusCode !== 200) throw new Error(`withdraw D answered ${withdrawn.body}`);
  await app.db.owner
    .updateTable('teams')
    .set({ archivedAt: new Date() })
    .where('id', '=', team(league, 4).teamId)
    .execute();

  return { league, matches: { m1, m2, m3, m4, m6, m7 } };
}

/** Team `i` of the league (A is 0). */
export function team(league: League, i: number) {
  const t = league.teams[i];
  if (!t) throw new Error(`no team ${i}`);
  return t;
}

/** Player `n` (1 is the captain) of team `i`. */
export function player(league: League, i: number, n: number) {
  const p = team(league, i).players[n - 1];
  if (!p) throw new Error(`no player ${n} in team ${i}`);
  return p;
}

/** The played season of `buildSeason`. */
export type Season = Awaited<ReturnType<typeof buildSeason>>;

/**
 * A test app (demo sign-in on, no rate limits) holding the played season of `buildSeason`, and an
 * anonymous visitor with a CSRF cookie, for the tests that read the season's pages.
 */
export async function startSeasonApp(
  kind: DatabaseKind,
): Promise<{ t: TestApp; season: Season; anonymous: Agent }> {
  const t = await startTestApp(kind, { env: { DEMO_MODE: 'true' }, overrides: NO_RATE_LIMITS });
  const season = await buildSeason(t.app);
  const anonymous = new Agent(t.app);
  await anonymous.prime();
  return { t, season, anonymous };
}

/**
 * A league of two teams that turns private once its teams are made (captains cannot enter a
 * private league's division on their own): only its organizer and players see it. Team 0 has
 * beaten team 1 in one confirmed match (2026-09-03), so there are results, standings and
 * ratings to hide.
 */
export async function privateLeagueWithResult(
  app: FastifyInstance,
  prefix: string,
): Promise<League> {
  const league = await buildResultsLeague(app, { teams: 2, prefix });
  const hidden = await league.organizer.send('PATCH', `/api/leagues/${league.leagueId}`, {
    visibility: 'private',
  });
  if (hidden.statusCode !== 200) throw new Error(`make private answered ${hidden.body}`);
  const matchId = await pastMatch(app, league, 0, 1, '2026-09-03');
  await confirmedResult(
    league,
    matchId,
    0,
    1,
    smallResult(league, 0, 1, score('6-1 6-1'), score('6-2 6-2')),
  );
  return league;
}
