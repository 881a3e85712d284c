import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as players from '../modules/players/players.service';
import * as ratings from '../modules/ratings/ratings.service';
import * as schedule from '../modules/schedule/schedule.service';
import * as standings from '../modules/standings/standings.service';
import * as teams from '../modules/teams/teams.service';
import * as venues from '../modules/venues/venues.service';
import { HttpProblem } from '../plugins/problem';
import type { TestApp } from '../test/app';
import { TEST_DATABASES } from '../test/databases';
import { quietly } from '../test/quiet';
import {
  insertLeagueWithDivision,
  insertProfile,
  insertTeam,
  insertUsers,
} from '../test/rls-fixtures';
import { privateLeagueWithResult, startSeasonApp } from '../test/season-fixture';
import type { Database, Tx } from './database';

/**
 * `Database.readShared` gives one answer to every user with the same visibility key
 * (`Database.viewer`, decision 0016). For every kind of user (signed out, a player, a player of
 * another league, a captain, a league's organizer, a creator of a team or a league that only
 * `created_by` shows them, a user in two leagues, a user removed from their team, one who left
 * with lines played, a user in no league) and every page that is read this way, users with the same key see the same answer,
 * and the answer read shared is the one read as that user directly. The fixture has pairs of
 * users who differ by one clause of the key only, so a key without that clause fails here.
 */

/**
 * The pages read with `readShared`, as their routes read them (`key`: the route's URL; `self`:
 * the route's viewer is `db.viewer(user, { self: true })`).
 */
interface Page {
  key: string;
  read: (tx: Tx) => Promise<unknown>;
  self?: boolean;
}

/** A read's answer, or the status of the problem it failed with (404 for a page one cannot see). */
async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return { answer: await read() };
  } catch (error) {
    if (error instanceof HttpProblem) return { status: error.status };
    throw error;
  }
}

describe.each(TEST_DATABASES)('answers shared by visibility on %s', (kind) => {
  let t: TestApp;
  let db: Database;
  /** Who reads, by what they are. */
  const users: Record<string, string | null> = {};
  let pages: Page[];
  let hiddenDivision: string;

  beforeAll(async () => {
    let season: Awaited<ReturnType<typeof startSeasonApp>>['season'];
    ({ t, season } = await startSeasonApp(kind));
    db = t.app.db;
    const hidden = await privateLeagueWithResult(t.app, 'P');
    hiddenDivision = hidden.divisionId;
    const s = db.owner;
    // Schedule-read's private fixture (rls-page-reads.test.ts): two private leagues that their
    // creator does not organize, teams created by a player, matches across leagues.
    const [player, twin, creator, creatorTwin, outsider, removed, both, founder] =
      await insertUsers(s, [
        'player',
        'twin',
        'creator',
        'creator-twin',
        'outsider',
        'removed',
        'both',
        'founder',
      ]);
    // A private league its creator does not organize: only `created_by` shows it to them.
    await insertLeagueWithDivision(s, { name: 'Private C', createdBy: founder, organizer: false });
    const [A, B] = [
      await insertLeagueWithDivision(s, {
        name: 'Private A',
        createdBy: creator,
        organizer: false,
      }),
      await insertLeagueWithDivision(s, {
        name: 'Private B',
        createdBy: creator,
        organizer: false,
      }),
    ];
    // `twin` plays where `player` captains: the same leagues; only `player` created b1.
    const a1 = await insertTeam(s, A.divisionId, {
      name: 'A1',
      createdBy: player,
      players: [twin],
    });
    const a2 = await insertTeam(s, A.divisionId, { name: 'A2', createdBy: creator });
    const b1 = await insertTeam(s, B.divisionId, { name: 'B1', createdBy: player, captain: null });
    // `creator` and `creatorTwin` play in B; only `creator` created league A (and team a2).
    const b2 = await insertTeam(s, B.divisionId, {
      name: 'B2',
      createdBy: creator,
      captain: null,
      players: [creator, creatorTwin],
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
      ])
      .execute();
    // A player of the private league who left their team (their lines, name and ratings stay:
    // the policies show them to that player only), and one who plays in the private league and
    // in the season's public one.
    const { userId: gone } = await s
      .selectFrom('linePlayers')
      .select('userId')
      .where('teamId', '=', hidden.teams[1]?.teamId as string)
      // Not the captain, who created the team: that would put the team in their key.
      .where('userId', '<>', hidden.teams[1]?.players[0]?.id as string)
      .orderBy('userId')
      .executeTakeFirstOrThrow();
    await s.deleteFrom('teamMembers').where('userId', '=', gone).execute();
    await s
      .insertInto('teamMembers')
      .values([
        { teamId: hidden.teams[0]?.teamId as string, userId: both, role: 'player' },
        { teamId: season.league.teams[0]?.teamId as string, userId: both, role: 'player' },
        { teamId: hidden.teams[1]?.teamId as string, userId: removed, role: 'player' },
      ])
      .execute();
    await s.deleteFrom('teamMembers').where('userId', '=', removed).execute();
    for (const [id, name] of [
      [player, 'Player'],
      [outsider, 'Outsider'],
      [both, 'Both'],
    ] as const) {
      await insertProfile(s, id, name, null);
    }
    const organizer = await s
      .selectFrom('leagueOrganizers')
      .select('userId')
      .where('leagueId', '=', hidden.leagueId)
      .executeTakeFirstOrThrow();
    Object.assign(users, {
      'signed out': null,
      outsider,
      player,
      twin,
      creator,
      'creator twin': creatorTwin,
      'creator of a league only': founder,
      'removed from a team': removed,
      'left with lines': gone,
      'in two leagues': both,
      'organizer of the private league': organizer.userId,
      'player of the private league': hidden.teams[0]?.players[1]?.id,
      'captain of the private league': hidden.teams[0]?.players[0]?.id,
      'player of the public league': season.league.teams[1]?.players[1]?.id,
      'captain of the public league': season.league.teams[1]?.players[0]?.id,
    });

    const divisions = (await s.selectFrom('divisions').select('id').execute()).map((d) => d.id);
    const teamIds = (await s.selectFrom('teams').select('id').execute()).map((d) => d.id);
    const leagues = (await s.selectFrom('leagues').select('id').execute()).map((d) => d.id);
    const people = [
      ...new Set([
        ...Object.values(users).filter((u): u is string => u !== null),
        ...hidden.teams.flatMap((team) => team.players.map((p) => p.id)),
        ...season.league.teams.flatMap((team) => team.players.map((p) => p.id)),
      ]),
    ];
    const board = (query: { leagueId?: string }) => ({
      key: `/api/leaderboards?sport=tennis&leagueId=${query.leagueId ?? ''}`,
      read: (tx: Tx) =>
        ratings.leaderboard(tx, {
          sport: 'tennis',
          kind: 'singles',
          minMatches: 0,
          limit: 100,
          ...query,
        }),
      self: true,
    });
    pages = [
      ...divisions.flatMap((id) => [
        {
          key: `/api/divisions/${id}/standings`,
          read: (tx: Tx) => standings.divisionStandings(tx, id),
        },
        { key: `/api/divisions/${id}/matches`, read: (tx: Tx) => schedule.divisionMatches(tx, id) },
        { key: `/api/divisions/${id}/teams`, read: (tx: Tx) => teams.divisionTeams(tx, id) },
      ]),
      ...teamIds.map((id) => ({
        key: `/api/teams/${id}/matches`,
        read: (tx: Tx) => schedule.teamMatches(tx, id),
      })),
      ...leagues.map((id) => ({
        key: `/api/leagues/${id}/venues`,
        read: (tx: Tx) => venues.listVenues(tx, id),
      })),
      ...teamIds.map((id) => ({
        key: `/api/teams/${id}/stats`,
        read: (tx: Tx) => players.teamStats(tx, id),
        self: true,
      })),
      ...people.map((id) => ({
        key: `/api/players/${id}`,
        read: (tx: Tx) => players.playerPage(tx, id, undefined),
        self: true,
      })),
      board({}),
      board({ leagueId: hidden.leagueId }),
    ];
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  const keyOf = async (user: string | null, self = false) => (await db.viewer(user, { self })).key;

  it('users with the same key see the same answer on every shared page', async () => {
    const groups = async (self: boolean) => {
      const byKey = new Map<string, string[]>();
      for (const [what, user] of Object.entries(users)) {
        const key = await keyOf(user, self);
        byKey.set(key, [...(byKey.get(key) ?? []), what]);
      }
      return byKey;
    };
    const byKey = await groups(false);
    // Those who see public rows only share the signed-out key; the twins do not share theirs.
    expect(byKey.get(await keyOf(null))?.sort()).toEqual(
      ['left with lines', 'outsider', 'removed from a team', 'signed out'].sort(),
    );
    expect(await keyOf(users.player as string)).not.toBe(await keyOf(users.twin as string));
    expect(await keyOf(users.creator as string)).not.toBe(
      await keyOf(users['creator twin'] as string),
    );
    expect(
      await keyOf(users['player of the private league'] as string),
      'a captain and a player of the same team',
    ).toBe(await keyOf(users['captain of the private league'] as string));

    // With `self`, those on no roster have keys of their own.
    const bySelfKey = await groups(true);
    expect(bySelfKey.get(await keyOf(null, true))).toEqual(['signed out']);
    expect(bySelfKey.size).toBeLessThan(Object.keys(users).length);

    let compared = 0;
    for (const [self, grouped] of [
      [false, byKey],
      [true, bySelfKey],
    ] as const) {
      for (const group of grouped.values()) {
        const [first, ...others] = group.map((what) => users[what] as string | null);
        for (const page of pages.filter((p) => (p.self ?? false) === self)) {
          const expected = await outcome(() => db.withUser(first ?? null, page.read));
          for (const other of others) {
            const seen = await outcome(() => db.withUser(other, page.read));
            expect(seen, `${page.key}: ${group.join(', ')}`).toEqual(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(pages.length * 2);
  }, 120_000);

  it('users whose keys differ by one part only see different answers', async () => {
    // Without the created rows in the key these pairs would share answers that differ.
    const differ = async (a: string, b: string, self = false) => {
      let differences = 0;
      for (const page of pages.filter((p) => (p.self ?? false) === self)) {
        const [x, y] = [users[a] as string, users[b] as string];
        const seen = await outcome(() => db.withUser(x, page.read));
        if (JSON.stringify(seen) !== JSON.stringify(await outcome(() => db.withUser(y, page.read))))
          differences++;
      }
      return differences;
    };
    expect(await differ('player', 'twin')).toBeGreaterThan(0);
    expect(await differ('creator', 'creator twin')).toBeGreaterThan(0);
    expect(await differ('creator of a league only', 'outsider')).toBeGreaterThan(0);
    // Their own name and ratings: shown to them by the policies' self clauses only.
    expect(await differ('left with lines', 'signed out', true)).toBeGreaterThan(0);
  }, 120_000);

  it('the shared answer is the one read as each user, whoever read it first', async () => {
    const order = Object.values(users);
    // Twice, the second time in the other order: each user then meets answers others read.
    for (const readers of [order, [...order].reverse()]) {
      for (const page of pages) {
        for (const user of readers) {
          const direct = await outcome(() => db.withUser(user, page.read));
          const shared = await outcome(async () =>
            db.readShared(await db.viewer(user, { self: page.self ?? false }), page.key, page.read),
          );
          expect(shared, `${page.key} as ${user}`).toEqual(direct);
        }
      }
    }
  }, 300_000);

  it('one read serves every user with the same key, and concurrent misses share it', async () => {
    const captain = users['captain of the private league'] as string;
    const player = users['player of the private league'] as string;
    let reads = 0;
    const page = {
      key: `test:shared-standings ${kind}`,
      read: (tx: Tx) => {
        reads++;
        return standings.divisionStandings(tx, hiddenDivision);
      },
    };
    const counted = await quietly(db, async () => {
      const before = reads;
      const viewers = await Promise.all([captain, player].map((u) => db.viewer(u)));
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.readShared(viewers[i % 2] as (typeof viewers)[0], page.key, page.read),
        ),
      );
      expect(new Set(answers).size).toBe(1);
      return reads - before;
    });
    expect(counted).toBe(1);
    // Another user's key: a read of its own, with its own answer (404: the league is private).
    expect(
      await outcome(async () => db.readShared(await db.viewer(null), page.key, page.read)),
    ).toEqual({ status: 404 });
  });

  it('a change of membership changes the key, and the answer', async () => {
    const user = users.outsider as string;
    const page = `/api/divisions/${hiddenDivision}/teams`;
    const read = (tx: Tx) => teams.divisionTeams(tx, hiddenDivision);
    const asUser = async () =>
      outcome(async () => db.readShared(await db.viewer(user), page, read));
    const signedOut = await keyOf(null);
    expect(await keyOf(user)).toBe(signedOut);
    expect(await asUser()).toEqual({ status: 404 });

    const teamId = (
      await db.owner
        .selectFrom('teams')
        .select('id')
        .where('divisionId', '=', hiddenDivision)
        .executeTakeFirstOrThrow()
    ).id;
    await db.owner
      .insertInto('teamMembers')
      .values({ teamId, userId: user, role: 'player' })
      .execute();
    expect(await keyOf(user)).not.toBe(signedOut);
    expect(await asUser()).toEqual(await outcome(() => db.withUser(user, read)));
    expect(await asUser()).not.toEqual({ status: 404 });

    await db.owner.deleteFrom('teamMembers').where('userId', '=', user).execute();
    expect(await keyOf(user)).toBe(signedOut);
    expect(await asUser()).toEqual({ status: 404 });
  });
});
