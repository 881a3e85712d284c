import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaguesRepository } from '../modules/leagues/leagues.repository';
import { matchesRepository } from '../modules/matches/matches.repository';
import { playersRepository } from '../modules/players/players.repository';
import { ratingReadsRepository } from '../modules/ratings/ratings.repository';
import { teamsRepository } from '../modules/teams/teams.repository';
import type { TestApp } from '../test/app';
import { TEST_DATABASES } from '../test/databases';
import { insertLeagueWithDivision, insertTeam, insertUsers } from '../test/rls-fixtures';
import { privateLeagueWithResult, startSeasonApp } from '../test/season-fixture';
import type { League } from '../test/results-factory';
import type { Database, Tx } from './database';

/**
 * The page reads of migration 0014 (`app_division_matches`, `app_team_matches`,
 * `app_team_stats`, `app_player_page`) apply each table's select policy themselves, as
 * `security definer` functions. For every user (and signed out), and every division, team and
 * player, each returns exactly what the plain queries return under row-level security, and a
 * user who cannot see a private league gets nothing from them, even calling them directly.
 */
const byKey = <T extends { matchId: string; kind?: string; line?: number; userId?: string }>(
  rows: readonly T[],
) =>
  [...rows].sort((a, b) =>
    `${a.matchId}|${a.kind ?? ''}|${a.line ?? ''}|${a.userId ?? ''}`.localeCompare(
      `${b.matchId}|${b.kind ?? ''}|${b.line ?? ''}|${b.userId ?? ''}`,
    ),
  );
const byUser = <T extends { userId: string; sport?: string; kind?: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) =>
    `${a.userId}|${a.sport ?? ''}|${a.kind ?? ''}`.localeCompare(
      `${b.userId}|${b.sport ?? ''}|${b.kind ?? ''}`,
    ),
  );

/** A division's schedule under the policies: the 404 check, then the join (before 0014). */
async function divisionUnderPolicies(tx: Tx, divisionId: string) {
  if (!(await leaguesRepository.findDivision(tx, divisionId))) return undefined;
  return matchesRepository.division(tx, divisionId);
}

async function teamMatchesUnderPolicies(tx: Tx, teamId: string) {
  if (!(await teamsRepository.find(tx, teamId))) return undefined;
  return matchesRepository.ofTeam(tx, teamId);
}

/** Who played the team's matches (not cancelled) for it, under the policies. */
function teamMates(tx: Tx, teamId: string) {
  return tx
    .selectFrom('linePlayers as lp')
    .innerJoin('matches as m', 'm.id', 'lp.matchId')
    .select(['lp.matchId', 'lp.kind', 'lp.line', 'lp.side', 'lp.teamId', 'lp.userId'])
    .where('lp.teamId', '=', teamId)
    .where('m.status', '<>', 'cancelled')
    .where((eb) => eb.or([eb('m.homeTeamId', '=', teamId), eb('m.awayTeamId', '=', teamId)]))
    .execute();
}

async function namesOf(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return tx
    .selectFrom('people')
    .select(['userId', 'displayName'])
    .where('userId', 'in', [...new Set(ids)])
    .execute();
}

/** The team stats' sets under the policies, in the function's shape (sets sorted). */
async function teamStatsUnderPolicies(tx: Tx, teamId: string) {
  if (!(await teamsRepository.find(tx, teamId))) return null;
  const mates = await teamMates(tx, teamId);
  const roster = (await playersRepository.roster(tx, teamId)).map((r) => r.userId);
  const players = [...new Set([...roster, ...mates.map((m) => m.userId)])];
  const ratings =
    players.length === 0
      ? []
      : await tx
          .selectFrom('playerRatings')
          .select(['userId', 'sport', 'kind', 'rating'])
          .where('userId', 'in', players)
          .execute();
  return {
    league: (await playersRepository.teamLeague(tx, teamId)) ?? null,
    results: await playersRepository.teamResults(tx, teamId),
    lines: byKey(await playersRepository.teamLines(tx, teamId)),
    roster: roster.sort(),
    mates: byKey(mates),
    names: byUser(await namesOf(tx, players)),
    ratings: byUser(ratings),
  };
}

/** The player page's sets under the policies, every sport, in the function's shape. */
async function playerUnderPolicies(tx: Tx, playerId: string) {
  const person = await playersRepository.person(tx, playerId);
  if (!person) return null;
  const history = await tx
    .selectFrom('ratingEvents')
    .select([
      'sport',
      'matchId',
      'kind',
      'line',
      sql<string>`match_date::text`.as('date'),
      'won',
      'before',
      'after',
      'deviationAfter',
      'explanation',
    ])
    .where('userId', '=', playerId)
    .orderBy('matchDate')
    .orderBy('startTime')
    .orderBy('matchId')
    .orderBy('id')
    .execute();
  const own = await tx
    .selectFrom('linePlayers')
    .select('matchId')
    .where('userId', '=', playerId)
    .execute();
  const mates = await playersRepository.linePlayers(tx, [
    ...own.map((l) => l.matchId),
    ...history.map((h) => h.matchId),
  ]);
  return {
    name: person.displayName,
    ratings: await ratingReadsRepository.ratings(tx, [playerId], null),
    latestSport: (await ratingReadsRepository.latestRatedSport(tx, playerId)) ?? null,
    teamSport: (await playersRepository.teamSport(tx, playerId)) ?? null,
    lines: byKey(await playersRepository.playerLines(tx, playerId)),
    history,
    mates: byKey(mates),
    names: byUser(await namesOf(tx, [playerId, ...mates.map((m) => m.userId)])),
  };
}

describe.each(TEST_DATABASES)('the page reads keep row-level security on %s', (kind) => {
  let t: TestApp;
  let db: Database;
  let hidden: League;
  /** Who reads: signed out, the fixtures' users, both leagues' players, a few demo users. */
  let users: (string | null)[];
  /** Whose pages are read: both leagues' players, the fixtures' users, a few demo players. */
  let players: string[];
  let divisions: string[];
  let teams: string[];
  const special: Record<string, string> = {};

  beforeAll(async () => {
    let season: Awaited<ReturnType<typeof startSeasonApp>>['season'];
    ({ t, season } = await startSeasonApp(kind));
    db = t.app.db;
    hidden = await privateLeagueWithResult(t.app, 'P');
    // The schedule read's private fixture (schedule-read.test.ts): a hidden opponent, a hidden
    // league's venue, a team the player created in a league they cannot see.
    const s = db.owner;
    const [player, creator, outsider] = await insertUsers(s, ['player', 'creator', 'outsider']);
    Object.assign(special, { player, creator, outsider });
    const made = [];
    for (const name of ['Private A', 'Private B']) {
      made.push(await insertLeagueWithDivision(s, { name, createdBy: creator, organizer: false }));
    }
    const [A, B] = made as [(typeof made)[0], (typeof made)[0]];
    const a1 = await insertTeam(s, A.divisionId, { name: 'A1', createdBy: player });
    const a2 = await insertTeam(s, A.divisionId, { name: 'A2', createdBy: creator });
    const b1 = await insertTeam(s, B.divisionId, { name: 'B1', createdBy: player, captain: null });
    const b2 = await insertTeam(s, B.divisionId, {
      name: 'B2',
      createdBy: creator,
      captain: null,
      players: [creator],
    });
    const venue = await s
      .insertInto('venues')
      .values({ leagueId: B.leagueId, name: 'Hidden', courts: 1, availability: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const match = (home: string, away: string, divisionId: string, matchDate: string) => ({
      divisionId,
      homeTeamId: home,
      awayTeamId: away,
      venueId: venue.id,
      matchDate,
      startTime: '18:00',
      durationMinutes: 90,
    });
    await s
      .insertInto('matches')
      .values([
        match(a1, a2, A.divisionId, '2030-02-01'),
        match(a1, b2, A.divisionId, '2030-02-02'),
        match(a1, a2, B.divisionId, '2030-02-03'),
        match(b1, a1, A.divisionId, '2030-02-04'),
        match(a2, a1, A.divisionId, '2020-02-03'),
      ])
      .execute();
    // A division with no match.
    await insertLeagueWithDivision(s, { name: 'Empty', createdBy: creator, visibility: 'public' });

    const playersOf = (league: League) => league.teams.flatMap((team) => team.players);
    const organizers = await s
      .selectFrom('leagueOrganizers')
      .select('userId')
      .where('leagueId', 'in', [hidden.leagueId, season.league.leagueId])
      .execute();
    // The demo league's players with lines (the demo seed plays part of its season).
    const demo = (
      await s
        .selectFrom('linePlayers as lp')
        .innerJoin('divisions as d', 'd.id', 'lp.divisionId')
        .innerJoin('seasons as se', 'se.id', 'd.seasonId')
        .where('se.leagueId', 'not in', [hidden.leagueId, season.league.leagueId])
        .select('lp.userId')
        .distinct()
        .orderBy('lp.userId')
        .limit(3)
        .execute()
    ).map((r) => r.userId);
    const fixtures = [player, creator, outsider];
    players = [
      ...new Set([
        ...playersOf(season.league).map((p) => p.id),
        ...playersOf(hidden).map((p) => p.id),
        ...fixtures,
        ...demo,
      ]),
    ];
    users = [
      null,
      ...new Set([
        ...fixtures,
        ...organizers.map((o) => o.userId),
        ...playersOf(hidden).map((p) => p.id),
        ...season.league.teams.map((team) => team.players[0]?.id as string),
        ...demo,
      ]),
    ];
    divisions = (await s.selectFrom('divisions').select('id').execute()).map((d) => d.id);
    teams = (await s.selectFrom('teams').select('id').execute()).map((d) => d.id);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it("gives every user exactly a division's and a team's schedule under the policies", async () => {
    let shown = 0;
    let hiddenPages = 0;
    for (const user of users) {
      await db.withUser(user, async (tx) => {
        for (const division of divisions) {
          const expected = await divisionUnderPolicies(tx, division);
          expect(await matchesRepository.divisionPage(tx, division), `${user} ${division}`).toEqual(
            expected,
          );
          if (expected === undefined) hiddenPages++;
          else if (expected.length > 0) shown++;
        }
        for (const team of teams) {
          const expected = await teamMatchesUnderPolicies(tx, team);
          expect(await matchesRepository.teamPage(tx, team), `${user} ${team}`).toEqual(expected);
          if (expected === undefined) hiddenPages++;
          else if (expected.length > 0) shown++;
        }
      });
    }
    expect(shown).toBeGreaterThan(100);
    expect(hiddenPages).toBeGreaterThan(50);
  }, 300_000);

  it("gives every user exactly a team's stats under the policies", async () => {
    let withLines = 0;
    for (const user of users) {
      await db.withUser(user, async (tx) => {
        for (const team of teams) {
          const expected = await teamStatsUnderPolicies(tx, team);
          const actual = await playersRepository.teamStatsData(tx, team);
          const sorted = actual && {
            ...actual,
            lines: byKey(actual.lines),
            roster: [...actual.roster].sort(),
            mates: byKey(actual.mates),
            names: byUser(actual.names),
            ratings: byUser(actual.ratings),
          };
          expect(sorted, `${user} ${team}`).toEqual(expected);
          if (expected && expected.lines.length > 0) withLines++;
        }
      });
    }
    expect(withLines).toBeGreaterThan(20);
  }, 300_000);

  it("gives every user exactly a player's page under the policies", async () => {
    let withLines = 0;
    for (const user of users) {
      await db.withUser(user, async (tx) => {
        for (const player of players) {
          const expected = await playerUnderPolicies(tx, player);
          const actual = await playersRepository.playerPageData(tx, player);
          const sorted = actual && {
            ...actual,
            lines: byKey(actual.lines),
            mates: byKey(actual.mates),
            names: byUser(actual.names),
          };
          expect(sorted, `${user} ${player}`).toEqual(expected);
          if (expected && expected.lines.length > 0 && expected.history.length > 0) withLines++;
        }
      });
    }
    expect(withLines).toBeGreaterThan(20);
  }, 300_000);

  it('shows nothing of a private league to those who cannot see it, called directly', async () => {
    const division = hidden.divisionId;
    const team = hidden.teams[1]?.teamId as string;
    const player = hidden.teams[1]?.players[1]?.id as string;
    const direct = (user: string | null) =>
      db.withUser(user, async (tx) => ({
        division: (await sql`select * from app_division_matches(${division}::uuid)`.execute(tx))
          .rows,
        team: (await sql`select * from app_team_matches(${team}::uuid)`.execute(tx)).rows,
        stats: (await sql<{ s: unknown }>`select app_team_stats(${team}::uuid) as s`.execute(tx))
          .rows[0]?.s,
        page: (await sql<{ p: unknown }>`select app_player_page(${player}::uuid) as p`.execute(tx))
          .rows[0]?.p,
      }));
    for (const user of [null, special.outsider as string, special.player as string]) {
      expect(await direct(user), String(user)).toEqual({
        division: [],
        team: [],
        stats: null,
        page: null,
      });
    }
    // The league's own player sees all of it: the answers above are not empty by accident.
    const member = await direct(hidden.teams[0]?.players[0]?.id as string);
    expect(member.division).toHaveLength(1);
    expect(member.team).toHaveLength(1);
    expect(member.stats).toMatchObject({ results: [{ totals: { winner: 'home' } }] });
    expect(member.page).toMatchObject({ name: expect.any(String) });
  });

  it('keeps the internal helpers, which take the user and leagues as arguments, from the app', async () => {
    for (const statement of [
      sql`select * from app_match_rows(null, null, '{}', '{}', null, null)`,
      sql`select app_divisions_visible('{}', '{}')`,
    ]) {
      await expect(
        db.withUser(special.outsider as string, (tx) => statement.execute(tx)),
      ).rejects.toMatchObject({ code: '42501' });
    }
  });
});
