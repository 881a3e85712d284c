import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { rlsCatalogueProblems, TABLES_WITHOUT_USER_DATA } from '../test/rls-catalogue';
import { openDatabase, type Database } from './database';

/**
 * The catalogue itself, after every migration (issue #10, finding 11; decision 0007): row-level
 * security cannot be forgotten on a table, no function is left executable by PUBLIC, and the
 * app's login role cannot get past the policies.
 */
describe.each(TEST_DATABASES)('the RLS catalogue (%s)', (kind) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('every table with user data has row-level security forced and policies; no function is open to PUBLIC', async () => {
    expect(await rlsCatalogueProblems(db.owner)).toEqual([]);
  });

  it('the tables left without row-level security are the short, explained list', async () => {
    const open = await sql<{ name: string }>`select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relforcerowsecurity
      order by 1`.execute(db.owner);
    expect(open.rows.map((r) => r.name)).toEqual(Object.keys(TABLES_WITHOUT_USER_DATA).sort());
  });

  it('the app connects as a role that is no superuser, has no BYPASSRLS and owns nothing', async () => {
    const who = await sql<{ login: string; role: string }>`select session_user as login,
      current_user as role`.execute(db.system);
    expect(who.rows[0]?.role).toBe('rally_system');
    expect(await db.loginRoleProblems()).toEqual([]);
    const owned = await sql<{ n: number }>`select count(*)::int as n from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relowner = to_regrole(session_user)`.execute(db.system);
    expect(owned.rows[0]?.n).toBe(0);
  });

  it('the login role cannot read past the policies, even after leaving the app role', async () => {
    // What an injected `reset role` would get: rally_system's narrow rights, never the owner's.
    await expect(
      db.withUser(null, async (tx) => {
        await sql`set local role none`.execute(tx);
        return sql`select email from users`.execute(tx);
      }),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(sql`select phone from profiles`.execute(db.system)).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('a new table without row-level security, or without FORCE, or without policies, is reported', async () => {
    try {
      await sql`create table rls_catalogue_scratch (id integer primary key, note text)`.execute(
        db.owner,
      );
      expect(await rlsCatalogueProblems(db.owner)).toEqual([
        'table rls_catalogue_scratch: row-level security is not enabled',
        'table rls_catalogue_scratch: no policy for rally_app or rally_system',
      ]);
      await sql`alter table rls_catalogue_scratch enable row level security`.execute(db.owner);
      expect(await rlsCatalogueProblems(db.owner)).toEqual([
        'table rls_catalogue_scratch: row-level security is not forced',
        'table rls_catalogue_scratch: no policy for rally_app or rally_system',
      ]);
      await sql`alter table rls_catalogue_scratch force row level security`.execute(db.owner);
      await sql`create policy scratch_all on rls_catalogue_scratch to public using (true)`.execute(
        db.owner,
      );
      expect(await rlsCatalogueProblems(db.owner)).toEqual([
        'table rls_catalogue_scratch: no policy for rally_app or rally_system',
        'table rls_catalogue_scratch: a policy applies to PUBLIC',
      ]);
      await sql`drop policy scratch_all on rls_catalogue_scratch`.execute(db.owner);
      await sql`create policy scratch_app on rls_catalogue_scratch to rally_app
        using (true)`.execute(db.owner);
      expect(await rlsCatalogueProblems(db.owner)).toEqual([]);
    } finally {
      await sql`drop table if exists rls_catalogue_scratch`.execute(db.owner);
    }
  });

  it('a new function is not executable by PUBLIC unless granted, and the grant is reported', async () => {
    try {
      await sql`create function rls_catalogue_scratch() returns integer language sql
        security definer set search_path = public as $$ select 1 $$`.execute(db.owner);
      // Migration 0011 took PUBLIC's EXECUTE off the owner's future functions too.
      expect(await rlsCatalogueProblems(db.owner)).toEqual([]);
      await sql`grant execute on function rls_catalogue_scratch() to public`.execute(db.owner);
      expect(await rlsCatalogueProblems(db.owner)).toEqual([
        'function rls_catalogue_scratch(): PUBLIC may execute it',
      ]);
    } finally {
      await sql`drop function if exists rls_catalogue_scratch()`.execute(db.owner);
    }
  });
});
