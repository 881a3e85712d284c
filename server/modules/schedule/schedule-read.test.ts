import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Tx } from '../../db/database';
import { seedDemo } from '../../cli/seed';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../test/databases';
import { insertLeagueWithDivision, insertTeam, insertUsers } from '../../test/rls-fixtures';
import { matchesRepository } from '../matches/matches.repository';
import { scheduleRepository } from './schedule.repository';

/**
 * The schedule read (`app_my_matches`, migration 0008) applies each table's select policy itself,
 * as a `security definer` function. This guards it against drifting from the policies: for every
 * user, it returns exactly what the plain join returns under row-level security.
 */
describe.each(TEST_DATABASES)('the schedule read keeps row-level security on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let users: string[];
  const special: Record<string, string> = {};

  /** The schedule as the plain join under the policies (the read before migration 0008). */
  async function underPolicies(tx: Tx) {
    const rows = await matchesRepository
      .select(tx)
      .leftJoin('matchAvailability as my', (join) =>
        join.onRef('my.matchId', '=', 'm.id').on('my.userId', '=', sql<string>`app_user_id()`),
      )
      .select('my.answer as myAvailability')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('teamMembers as tm')
            .select('tm.teamId')
            .where('tm.userId', '=', sql<string>`app_user_id()`)
            .where((w) =>
              w.or([
                w('tm.teamId', '=', w.ref('m.homeTeamId')),
                w('tm.teamId', '=', w.ref('m.awayTeamId')),
              ]),
            ),
        ),
      )
      .limit(1000)
      .execute();
    return rows;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    await seedDemo(db);
    const s = db.owner;
    const [player, creator, outsider] = await insertUsers(s, ['player', 'creator', 'outsider']);
    Object.assign(special, { player, creator, outsider });

    // Two private leagues: the player plays in the first only; nobody organizes them.
    const leagues: string[] = [];
    const divisions: string[] = [];
    for (const name of ['Private A', 'Private B']) {
      const { leagueId, divisionId } = await insertLeagueWithDivision(s, {
        name,
        createdBy: creator,
        organizer: false,
      });
      leagues.push(leagueId);
      divisions.push(divisionId);
    }
    const [divA, divB] = divisions as [string, string];
    const a1 = await insertTeam(s, divA, { name: 'A1', createdBy: player });
    const a2 = await insertTeam(s, divA, { name: 'A2', createdBy: creator });
    // A team of the other (hidden) league, but created by the player: visible to them.
    const b1 = await insertTeam(s, divB, { name: 'B1', createdBy: player, captain: null });
    const b2 = await insertTeam(s, divB, {
      name: 'B2',
      createdBy: creator,
      captain: null,
      players: [creator],
    });
    const venueB = await s
      .insertInto('venues')
      .values({ leagueId: leagues[1] as string, name: 'Hidden', courts: 1, availability: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const match = (home: string, away: string, division: string, date: string) => ({
      divisionId: division,
      homeTeamId: home,
      awayTeamId: away,
      venueId: venueB.id,
      matchDate: date,
      startTime: '18:00',
      durationMinutes: 90,
    });
    const matches = await s
      .insertInto('matches')
      .values([
        // Visible, with a venue of another, hidden league: the venue is left out.
        match(a1, a2, divA, '2030-02-01'),
        // A hidden team against one of the player's: the match is hidden.
        match(a1, b2, divA, '2030-02-02'),
        // A match of the hidden league's division: hidden, though the player's team plays.
        match(a1, a2, divB, '2030-02-03'),
        // The player's own team of the hidden league (teams_select: created_by) at home.
        match(b1, a1, divA, '2030-02-04'),
        match(a2, a1, divA, '2020-02-03'),
      ])
      .returning('id')
      .execute();
    await s
      .insertInto('matchAvailability')
      .values({
        matchId: matches[0]?.id as string,
        teamId: a1,
        userId: player,
        answer: 'maybe',
        note: null,
      })
      .execute();

    users = [
      ...(await s.selectFrom('users').select('id').orderBy('oidcSubject').execute()).map(
        (u) => u.id,
      ),
    ];
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('returns for every user exactly the rows, columns and order of the join under the policies', async () => {
    expect(users.length).toBeGreaterThan(40);
    let nonEmpty = 0;
    for (const user of users) {
      const { expected, actual } = await db.withUser(user, async (tx) => ({
        expected: await underPolicies(tx),
        actual: await scheduleRepository.forUser(tx, {}),
      }));
      expect(actual, user).toEqual(expected);
      if (actual.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('shows the player their own answer, and hides what the policies hide', async () => {
    const rows = await db.withUser(special.player as string, (tx) =>
      scheduleRepository.forUser(tx, {}),
    );
    expect(rows.map((r) => [r.matchDate, r.homeName, r.awayName, r.venueName])).toEqual([
      ['2020-02-03', 'A2', 'A1', null],
      ['2030-02-01', 'A1', 'A2', null],
      ['2030-02-04', 'B1', 'A1', null],
    ]);
    expect(rows.map((r) => r.myAvailability)).toEqual([null, 'maybe', null]);
    const ranged = await db.withUser(special.player as string, (tx) =>
      scheduleRepository.forUser(tx, { from: '2025-01-01', before: '2030-02-01' }),
    );
    expect(ranged).toEqual([]);
  });

  it('shows nothing signed out or to a user on no team', async () => {
    for (const user of [null, special.outsider as string]) {
      expect(await db.withUser(user, (tx) => scheduleRepository.forUser(tx, {}))).toEqual([]);
    }
  });

  /** A live session for `user`, as sign-in makes one; its id. */
  async function sessionOf(user: string, expiresAt = new Date(Date.now() + 3_600_000)) {
    const id = `test-${randomUUID()}`;
    await db.owner
      .insertInto('sessions')
      .values({ id, userId: user, expiresAt: expiresAt })
      .execute();
    return id;
  }

  it('reads by session exactly what the user reads under the policies, in one statement', async () => {
    let nonEmpty = 0;
    for (const user of users) {
      const session = await sessionOf(user);
      for (const range of [{}, { from: '2026-01-01' }, { before: '2030-02-02' }]) {
        const expected = await db.withUser(user, (tx) => scheduleRepository.forUser(tx, range));
        const found = await scheduleRepository.forSession(db, session, range);
        expect(found?.result, user).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(40);
  });

  it("does not let the app role read another user's schedule by naming them", async () => {
    const someone = users.find((u) => u !== special.outsider) as string;
    await expect(
      db.withUser(special.outsider as string, (tx) =>
        sql`select * from app_my_matches_of(${someone}::uuid, null, null)`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('reads nothing for an unknown or expired session, and an empty list for a user on no team', async () => {
    expect(await scheduleRepository.forSession(db, 'no-such-session', {})).toBeNull();
    const expired = await sessionOf(special.player as string, new Date(Date.now() - 1000));
    expect(await scheduleRepository.forSession(db, expired, {})).toBeNull();
    const expiresAt = new Date(Date.now() + 60_000);
    const outsider = await sessionOf(special.outsider as string, expiresAt);
    expect(await scheduleRepository.forSession(db, outsider, {})).toEqual({
      expiresAt,
      createdAt: expect.any(Date),
      result: [],
    });
  });
});
