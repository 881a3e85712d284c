import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { insertLeagueWithDivision, insertProfile, insertUsers } from '../test/rls-fixtures';
import { openDatabase, type Database } from './database';

/**
 * Migration 0018: creating a team in a public league does not compute the user's list of
 * leagues (`app_my_leagues`, a walk over every team they are on), which a private league still
 * needs, once. The calls are counted by PostgreSQL's function statistics, which only a superuser
 * may switch on: the owner on embedded PGlite, the server's superuser on PostgreSQL.
 */
describe.each(TEST_DATABASES)('team creation checks on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let captain: string;
  let organizer: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    [captain, organizer] = await insertUsers(db.owner, [
      { oidcSubject: 'cara', role: 'captain' },
      { oidcSubject: 'olga', role: 'organizer' },
    ]);
    await insertProfile(db.owner, captain, 'Cara Captain', null);
    await insertProfile(db.owner, organizer, 'Olga Organizer', null);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  /** These statements in one transaction as a superuser, then rolled back; each one's rows. */
  async function asSuperuser(statements: string[]): Promise<Record<string, unknown>[][]> {
    if (kind === 'embedded') {
      const rolledBack = new Error('rolled back');
      const results: Record<string, unknown>[][] = [];
      await db.owner
        .transaction()
        .execute(async (tx) => {
          for (const statement of statements) {
            results.push((await sql.raw(statement).execute(tx)).rows as Record<string, unknown>[]);
          }
          throw rolledBack;
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) throw error;
        });
      return results;
    }
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = new URL(testDb.databaseUrl as string).pathname;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query('begin');
      const results: Record<string, unknown>[][] = [];
      for (const statement of statements) results.push((await client.query(statement)).rows);
      await client.query('rollback');
      return results;
    } finally {
      await client.end();
    }
  }

  /** `app_create_team` as `userId`: the team's name, and how often `app_my_leagues` ran. */
  async function createCounted(userId: string, divisionId: string, name: string) {
    // Counted as a difference: embedded PGlite may carry an earlier transaction's counts.
    const calls = `select coalesce(pg_stat_get_xact_function_calls('app_my_leagues'::regproc),
      0)::int as calls`;
    const rows = await asSuperuser([
      "set local track_functions = 'pl'",
      `select set_config('role', 'rally_app', true), set_config('app.user_id', '${userId}', true)`,
      calls,
      `select app_create_team('${divisionId}', '${name}', null, null, null, true, null, null,
        null) -> 'team' ->> 'name' as team`,
      calls,
    ]);
    const [before, created, after] = [rows[2]?.[0], rows[3]?.[0], rows[4]?.[0]];
    return { team: created?.team, calls: Number(after?.calls) - Number(before?.calls) };
  }

  it("creates a team in a public league without the user's list of leagues", async () => {
    const { divisionId } = await insertLeagueWithDivision(db.owner, {
      createdBy: organizer,
      visibility: 'public',
      season: { registrationOpen: true },
    });
    const created = await createCounted(captain, divisionId, 'Public Aces');
    expect(created).toEqual({ team: 'Public Aces', calls: 0 });
  });

  it('reads the list once for a private league, whose organizer creates the team', async () => {
    const { divisionId } = await insertLeagueWithDivision(db.owner, {
      createdBy: organizer,
      visibility: 'private',
      season: { registrationOpen: true },
    });
    const created = await createCounted(organizer, divisionId, 'Private Aces');
    expect(created).toEqual({ team: 'Private Aces', calls: 1 });
  });
});
