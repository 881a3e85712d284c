import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { insertLeagueWithDivision, insertTeam, insertUsers } from '../test/rls-fixtures';
import { asSystem, openDatabase, type Database } from './database';

/**
 * Row-level security and the step rule of results, ratings and their history, without the API:
 * each statement here is what a bug in a service could send.
 */
describe.each(TEST_DATABASES)('row-level security of results on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let organizer: string;
  let homeCaptain: string;
  let awayCaptain: string;
  let homePlayer: string;
  let outsider: string;
  let home: string;
  let away: string;
  let division: string;
  let match: string;

  const pending = () => ({
    matchId: match,
    divisionId: division,
    status: 'pending' as const,
    lines: '[]',
    totals: '{}',
    enteredTeamId: home,
    enteredBy: homeCaptain,
    confirmBy: new Date(Date.now() + 3_600_000),
  });

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    [organizer, homeCaptain, awayCaptain, homePlayer, outsider] = await insertUsers(db.owner, [
      'org',
      'hc',
      'ac',
      'hp',
      'out',
    ]);
    ({ divisionId: division } = await insertLeagueWithDivision(db.owner, {
      createdBy: organizer,
      season: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
    }));
    home = await insertTeam(db.owner, division, {
      name: 'Home',
      createdBy: homeCaptain,
      players: [homePlayer],
    });
    away = await insertTeam(db.owner, division, { name: 'Away', createdBy: awayCaptain });
    match = (
      await db.owner
        .insertInto('matches')
        .values({
          divisionId: division,
          homeTeamId: home,
          awayTeamId: away,
          matchDate: '2026-09-01',
          startTime: '18:00',
          durationMinutes: 120,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('only a captain of a team in the match enters a result, and only for their own team', async () => {
    await expect(
      db.withUser(homePlayer, (tx) => tx.insertInto('matchResults').values(pending()).execute()),
    ).rejects.toThrow();
    await expect(
      db.withUser(awayCaptain, (tx) =>
        tx
          .insertInto('matchResults')
          .values({ ...pending(), enteredBy: awayCaptain })
          .execute(),
      ),
    ).rejects.toThrow(/not allowed/);
    await expect(
      db.withUser(outsider, (tx) =>
        tx
          .insertInto('matchResults')
          .values({ ...pending(), enteredBy: outsider })
          .execute(),
      ),
    ).rejects.toThrow();
    await db.withUser(homeCaptain, async (tx) => {
      await tx.insertInto('matchResults').values(pending()).execute();
      await tx
        .insertInto('resultEvents')
        .values({
          matchId: match,
          divisionId: division,
          kind: 'entered',
          actorId: homeCaptain,
          teamId: home,
          comment: null,
          lines: '[]',
          totals: '{}',
        })
        .execute();
    });
  });

  it('the entering team cannot confirm its own result; the other captain can', async () => {
    const confirm = (user: string) =>
      db.withUser(user, (tx) =>
        tx
          .updateTable('matchResults')
          .set({ status: 'final', decidedHow: 'confirmed', decidedBy: user, confirmBy: null })
          .where('matchId', '=', match)
          .execute(),
      );
    await expect(confirm(homeCaptain)).rejects.toThrow(/not allowed/);
    // Someone outside the match does not even see the row to change.
    const [outside] = await confirm(outsider);
    expect(outside?.numUpdatedRows).toBe(0n);
    const [done] = await confirm(awayCaptain);
    expect(done?.numUpdatedRows).toBe(1n);
  });

  it('a final result is locked: only an organizer corrects it', async () => {
    const change = (user: string, how: 'confirmed' | 'corrected') =>
      db.withUser(user, (tx) =>
        tx
          .updateTable('matchResults')
          .set({ lines: '[{"changed":true}]', decidedHow: how, decidedBy: user })
          .where('matchId', '=', match)
          .execute(),
      );
    await expect(change(awayCaptain, 'confirmed')).rejects.toThrow(/locked/);
    await expect(change(homeCaptain, 'corrected')).rejects.toThrow(/locked/);
    const [done] = await change(organizer, 'corrected');
    expect(done?.numUpdatedRows).toBe(1n);
  });

  it('ratings and line results are read-only to the app role, written as the owner', async () => {
    await expect(
      db.withUser(organizer, (tx) =>
        tx
          .insertInto('playerRatings')
          .values({
            userId: homePlayer,
            sport: 'tennis',
            kind: 'singles',
            rating: 3000,
            deviation: 1,
            reliability: 1,
            matches: 1,
            lastPlayed: null,
            state: '{}',
          })
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await db.withUser(organizer, (tx) =>
      asSystem(tx, (owner) =>
        owner
          .insertInto('playerRatings')
          .values({
            userId: homePlayer,
            sport: 'tennis',
            kind: 'singles',
            rating: 1600,
            deviation: 100,
            reliability: 0.5,
            matches: 1,
            lastPlayed: '2026-09-01',
            state: '{}',
          })
          .execute(),
      ),
    );
    // Back to the app role after the owner's step: the same transaction cannot write again.
    await expect(
      db.withUser(organizer, async (tx) => {
        await asSystem(tx, async () => undefined);
        await tx.deleteFrom('playerRatings').execute();
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("a private league's results and its players' ratings are invisible to outsiders", async () => {
    const seen = (user: string) =>
      db.withUser(user, async (tx) => ({
        results: (await tx.selectFrom('matchResults').select('matchId').execute()).length,
        ratings: (await tx.selectFrom('playerRatings').select('userId').execute()).length,
        history: (await tx.selectFrom('resultEvents').select('id').execute()).length,
      }));
    expect(await seen(outsider)).toEqual({ results: 0, ratings: 0, history: 0 });
    expect(await seen(awayCaptain)).toEqual({ results: 1, ratings: 1, history: 1 });
    expect(await seen(homePlayer)).toMatchObject({ results: 1, ratings: 1 });
  });
});
