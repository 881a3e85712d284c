import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { insertLeagueWithDivision, insertTeam, insertUsers } from '../test/rls-fixtures';
import { openDatabase, type Database } from './database';

/** Row-level security of venues, matches, their history and calendar feeds, without the API. */
describe.each(TEST_DATABASES)('row-level security of scheduling on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let organizer: string;
  let captain: string;
  let outsider: string;
  let match: string;
  let venue: string;
  let team: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    const [o, c, x, opp] = await insertUsers(db.owner, ['org', 'cap', 'out', 'opp']);
    [organizer, captain, outsider] = [o, c, x];
    const { leagueId, divisionId } = await insertLeagueWithDivision(db.owner, { createdBy: o });
    team = await insertTeam(db.owner, divisionId, { name: 'Home', createdBy: c });
    const away = await insertTeam(db.owner, divisionId, { name: 'Away', createdBy: opp });
    venue = (
      await db.owner
        .insertInto('venues')
        .values({ leagueId, name: 'Courts', courts: 2, availability: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    match = (
      await db.owner
        .insertInto('matches')
        .values({
          divisionId,
          homeTeamId: team,
          awayTeamId: away,
          venueId: venue,
          matchDate: '2030-02-01',
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

  it("an outsider sees none of a private league's venues, matches or history", async () => {
    const seen = await db.withUser(outsider, async (tx) => ({
      venues: (await sql`select id from venues`.execute(tx)).rows,
      matches: (await sql`select id from matches`.execute(tx)).rows,
      events: (await sql`select id from match_events`.execute(tx)).rows,
    }));
    expect(seen).toEqual({ venues: [], matches: [], events: [] });
  });

  it('a captain sees the schedule but cannot change it or write its history', async () => {
    const result = await db.withUser(captain, async (tx) => ({
      seen: (await sql`select id from matches`.execute(tx)).rows.length,
      moved: (
        await sql`update matches set match_date = '2030-03-01' where id = ${match}`.execute(tx)
      ).numAffectedRows,
      venue: (await sql`update venues set courts = 9 where id = ${venue}`.execute(tx))
        .numAffectedRows,
    }));
    expect(result).toEqual({ seen: 1, moved: 0n, venue: 0n });
    await expect(
      db.withUser(captain, (tx) =>
        sql`insert into match_events (match_id, actor_id, kind) values (${match}, ${captain}, 'cancelled')`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('an organizer changes a match and records it under their own name only', async () => {
    const moved = await db.withUser(organizer, (tx) =>
      sql`update matches set status = 'postponed', sequence = sequence + 1 where id = ${match}`.execute(
        tx,
      ),
    );
    expect(moved.numAffectedRows).toBe(1n);
    await expect(
      db.withUser(organizer, (tx) =>
        sql`insert into match_events (match_id, actor_id, kind) values (${match}, ${captain}, 'updated')`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      db.withUser(organizer, (tx) => sql`update match_events set kind = 'created'`.execute(tx)),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('nobody makes a calendar feed for someone else or for a team they are not on', async () => {
    await expect(
      db.withUser(outsider, (tx) =>
        sql`insert into calendar_feeds (token_hash, user_id, created_by) values ('a', ${captain}, ${outsider})`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      db.withUser(outsider, (tx) =>
        sql`insert into calendar_feeds (token_hash, team_id, created_by) values ('b', ${team}, ${outsider})`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await db.withUser(captain, (tx) =>
      sql`insert into calendar_feeds (token_hash, team_id, created_by) values ('c', ${team}, ${captain})`.execute(
        tx,
      ),
    );
    const theirs = await db.withUser(outsider, (tx) =>
      sql`select id from calendar_feeds`.execute(tx),
    );
    expect(theirs.rows).toEqual([]);
  });
  it("answers and lineups are a team's own: nobody answers for another or picks outsiders", async () => {
    await expect(
      db.withUser(captain, (tx) =>
        sql`insert into match_availability (match_id, team_id, user_id, answer)
          values (${match}, ${team}, ${organizer}, 'available')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await db.withUser(captain, (tx) =>
      sql`insert into match_availability (match_id, team_id, user_id, answer)
        values (${match}, ${team}, ${captain}, 'maybe')`.execute(tx),
    );
    const seenByOutsider = await db.withUser(outsider, (tx) =>
      sql`select * from match_availability`.execute(tx),
    );
    expect(seenByOutsider.rows).toEqual([]);
    await expect(
      db.withUser(captain, (tx) =>
        sql`insert into lineup_slots (match_id, team_id, kind, line, seat, user_id)
          values (${match}, ${team}, 'singles', 1, 1, ${outsider})`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      db.withUser(outsider, (tx) =>
        sql`insert into lineup_slots (match_id, team_id, kind, line, seat, user_id)
          values (${match}, ${team}, 'singles', 1, 1, ${captain})`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });
  it("proposals come from a playing team's captain and change only through the decision function", async () => {
    await expect(
      db.withUser(outsider, (tx) =>
        sql`insert into match_proposals (match_id, team_id, proposed_by, match_date, start_time)
          values (${match}, ${team}, ${outsider}, '2030-03-01', '18:00')`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await db.withUser(captain, (tx) =>
      sql`insert into match_proposals (match_id, team_id, proposed_by, match_date, start_time)
        values (${match}, ${team}, ${captain}, '2030-03-01', '18:00')`.execute(tx),
    );
    await expect(
      db.withUser(captain, (tx) => sql`update match_proposals set status = 'accepted'`.execute(tx)),
    ).rejects.toMatchObject({ code: '42501' });
    const own = await db.withUser(captain, (tx) =>
      sql<{ outcome: string }>`select app_decide_proposal(id, 'accepted') as outcome
        from match_proposals`.execute(tx),
    );
    expect(own.rows).toEqual([{ outcome: 'forbidden' }]);
  });
});
