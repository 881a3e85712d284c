import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_FORMAT } from '#domain/schemas/leagues';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
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
    match_id: match,
    division_id: division,
    status: 'pending' as const,
    lines: '[]',
    totals: '{}',
    entered_team_id: home,
    entered_by: homeCaptain,
    confirm_by: new Date(Date.now() + 3_600_000),
  });

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    const users = await db.owner
      .insertInto('users')
      .values(
        ['org', 'hc', 'ac', 'hp', 'out'].map((s) => ({ oidc_issuer: 'test', oidc_subject: s })),
      )
      .returning('id')
      .execute();
    [organizer, homeCaptain, awayCaptain, homePlayer, outsider] = users.map((u) => u.id) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const league = await db.owner
      .insertInto('leagues')
      .values({
        name: 'Private League',
        sport: 'tennis',
        visibility: 'private',
        format: JSON.stringify(DEFAULT_MATCH_FORMAT),
        roster_min: 1,
        roster_max: 8,
        created_by: organizer,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.owner
      .insertInto('league_organizers')
      .values({ league_id: league.id, user_id: organizer, role: 'owner' })
      .execute();
    const season = await db.owner
      .insertInto('seasons')
      .values({ league_id: league.id, name: 'S', starts_on: '2026-01-01', ends_on: '2026-12-31' })
      .returning('id')
      .executeTakeFirstOrThrow();
    division = (
      await db.owner
        .insertInto('divisions')
        .values({ season_id: season.id, name: 'D', level_min: null, level_max: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const teams = await db.owner
      .insertInto('teams')
      .values([
        { division_id: division, name: 'Home', created_by: homeCaptain },
        { division_id: division, name: 'Away', created_by: awayCaptain },
      ])
      .returning('id')
      .execute();
    [home, away] = teams.map((t) => t.id) as [string, string];
    await db.owner
      .insertInto('team_members')
      .values([
        { team_id: home, user_id: homeCaptain, role: 'captain' },
        { team_id: home, user_id: homePlayer, role: 'player' },
        { team_id: away, user_id: awayCaptain, role: 'captain' },
      ])
      .execute();
    match = (
      await db.owner
        .insertInto('matches')
        .values({
          division_id: division,
          home_team_id: home,
          away_team_id: away,
          match_date: '2026-09-01',
          start_time: '18:00',
          duration_minutes: 120,
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
      db.withUser(homePlayer, (tx) => tx.insertInto('match_results').values(pending()).execute()),
    ).rejects.toThrow();
    await expect(
      db.withUser(awayCaptain, (tx) =>
        tx
          .insertInto('match_results')
          .values({ ...pending(), entered_by: awayCaptain })
          .execute(),
      ),
    ).rejects.toThrow(/not allowed/);
    await expect(
      db.withUser(outsider, (tx) =>
        tx
          .insertInto('match_results')
          .values({ ...pending(), entered_by: outsider })
          .execute(),
      ),
    ).rejects.toThrow();
    await db.withUser(homeCaptain, async (tx) => {
      await tx.insertInto('match_results').values(pending()).execute();
      await tx
        .insertInto('result_events')
        .values({
          match_id: match,
          division_id: division,
          kind: 'entered',
          actor_id: homeCaptain,
          team_id: home,
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
          .updateTable('match_results')
          .set({ status: 'final', decided_how: 'confirmed', decided_by: user, confirm_by: null })
          .where('match_id', '=', match)
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
          .updateTable('match_results')
          .set({ lines: '[{"changed":true}]', decided_how: how, decided_by: user })
          .where('match_id', '=', match)
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
          .insertInto('player_ratings')
          .values({
            user_id: homePlayer,
            sport: 'tennis',
            kind: 'singles',
            rating: 3000,
            deviation: 1,
            reliability: 1,
            matches: 1,
            last_played: null,
            state: '{}',
          })
          .execute(),
      ),
    ).rejects.toThrow(/permission denied/);
    await db.withUser(organizer, (tx) =>
      asSystem(tx, (owner) =>
        owner
          .insertInto('player_ratings')
          .values({
            user_id: homePlayer,
            sport: 'tennis',
            kind: 'singles',
            rating: 1600,
            deviation: 100,
            reliability: 0.5,
            matches: 1,
            last_played: '2026-09-01',
            state: '{}',
          })
          .execute(),
      ),
    );
    // Back to the app role after the owner's step: the same transaction cannot write again.
    await expect(
      db.withUser(organizer, async (tx) => {
        await asSystem(tx, async () => undefined);
        await tx.deleteFrom('player_ratings').execute();
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("a private league's results and its players' ratings are invisible to outsiders", async () => {
    const seen = (user: string) =>
      db.withUser(user, async (tx) => ({
        results: (await tx.selectFrom('match_results').select('match_id').execute()).length,
        ratings: (await tx.selectFrom('player_ratings').select('user_id').execute()).length,
        history: (await tx.selectFrom('result_events').select('id').execute()).length,
      }));
    expect(await seen(outsider)).toEqual({ results: 0, ratings: 0, history: 0 });
    expect(await seen(awayCaptain)).toEqual({ results: 1, ratings: 1, history: 1 });
    expect(await seen(homePlayer)).toMatchObject({ results: 1, ratings: 1 });
  });
});
