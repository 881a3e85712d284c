import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { insertProfile, insertUsers } from '../test/rls-fixtures';
import { openDatabase, type Database } from './database';

/**
 * Row-level security, proven without the API: queries run exactly as a request's do (the app
 * role, with `app.user_id` set), and try to reach another user's private data through plain SQL.
 */
describe.each(TEST_DATABASES)('row-level security on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    [alice, bob, carol] = await insertUsers(db.owner, [
      { oidcSubject: 'alice', email: 'alice@example.com' },
      { oidcSubject: 'bob', email: 'bob@example.com' },
      { oidcSubject: 'carol', email: null },
    ]);
    await insertProfile(db.owner, alice, 'Alice', '+14155550101');
    await insertProfile(db.owner, bob, 'Bob', '+14155550102');
    await db.owner
      .insertInto('idempotencyKeys')
      .values({
        userId: bob,
        key: 'k',
        requestHash: 'h',
        statusCode: 200,
        response: '{"secret":1}',
      })
      .execute();
    await db.owner
      .insertInto('sessions')
      .values({ id: 'bob-session', userId: bob, expiresAt: new Date(Date.now() + 3600_000) })
      .execute();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('requests run as the app role, not as the owner', async () => {
    const who = await db.withUser(alice, (tx) =>
      sql<{ role: string; super: boolean }>`select current_user as role,
        (select rolsuper from pg_roles where rolname = current_user) as super`.execute(tx),
    );
    expect(who.rows[0]).toEqual({ role: 'rally_app', super: false });
  });

  it("a user sees only their own user row and profile, not another's e-mail or phone", async () => {
    const seen = await db.withUser(alice, async (tx) => ({
      users: await sql<{ email: string }>`select email from users`.execute(tx),
      profiles: await sql<{ phone: string }>`select phone from profiles`.execute(tx),
      bobByKey: await sql`select * from profiles where user_id = ${bob}`.execute(tx),
    }));
    expect(seen.users.rows).toEqual([{ email: 'alice@example.com' }]);
    expect(seen.profiles.rows).toEqual([{ phone: '+14155550101' }]);
    expect(seen.bobByKey.rows).toEqual([]);
  });

  it("a user cannot change another user's profile or role", async () => {
    const result = await db.withUser(alice, async (tx) => ({
      profile:
        await sql`update profiles set display_name = 'Hacked' where user_id = ${bob}`.execute(tx),
      role: await sql`update users set role = 'organizer' where id = ${bob}`.execute(tx),
    }));
    expect(result.profile.numAffectedRows).toBe(0n);
    expect(result.role.numAffectedRows).toBe(0n);
    const bobNow = await db.owner
      .selectFrom('profiles')
      .innerJoin('users', 'users.id', 'profiles.userId')
      .select(['displayName', 'role'])
      .where('userId', '=', bob)
      .executeTakeFirstOrThrow();
    expect(bobNow).toEqual({ displayName: 'Bob', role: null });
  });

  it('a user cannot create a profile in somebody else’s name', async () => {
    await expect(
      db.withUser(alice, (tx) =>
        sql`insert into profiles (user_id, display_name, city_or_club) values (${carol}, 'Fake', 'X')`.execute(
          tx,
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const carolProfile = await db.owner
      .selectFrom('profiles')
      .select('userId')
      .where('userId', '=', carol)
      .execute();
    expect(carolProfile).toEqual([]);
  });

  it('a user cannot change the identity columns of their own account', async () => {
    await expect(
      db.withUser(alice, (tx) =>
        sql`update users set oidc_subject = 'bob' where id = ${alice}`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      db.withUser(alice, (tx) =>
        sql`update users set is_demo = true where id = ${alice}`.execute(tx),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it("sessions and another user's idempotency records are out of reach", async () => {
    await expect(
      db.withUser(alice, (tx) => sql`select * from sessions`.execute(tx)),
    ).rejects.toMatchObject({ code: '42501' });
    const keys = await db.withUser(alice, (tx) => sql`select * from idempotency_keys`.execute(tx));
    expect(keys.rows).toEqual([]);
  });

  it('signed out (no user id), nothing is visible', async () => {
    const seen = await db.withUser(null, async (tx) => ({
      users: await sql`select * from users`.execute(tx),
      profiles: await sql`select * from profiles`.execute(tx),
    }));
    expect(seen.users.rows).toEqual([]);
    expect(seen.profiles.rows).toEqual([]);
  });

  it('the acting user does not leak into the next transaction on the same connection', async () => {
    await db.withUser(alice, (tx) => sql`select 1`.execute(tx));
    const after = await sql<{ role: string; uid: string | null }>`select current_user as role,
      nullif(current_setting('app.user_id', true), '') as uid`.execute(db.system);
    expect(after.rows[0]?.role).not.toBe('rally_app');
    expect(after.rows[0]?.uid).toBeNull();
  });

  it('a version bump happens on every update, whoever writes', async () => {
    await db.withUser(alice, (tx) =>
      sql`update profiles set city_or_club = 'New Club' where user_id = ${alice}`.execute(tx),
    );
    const row = await db.owner
      .selectFrom('profiles')
      .select(['version', 'updatedAt', 'createdAt'])
      .where('userId', '=', alice)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
  });
});

describe('embedded database safety', () => {
  it('a query on the owner connection inside withUser fails at once instead of freezing', async () => {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
    try {
      await db.migrate();
      await expect(db.withUser(null, () => sql`select 1`.execute(db.owner))).rejects.toThrow(
        /outside the transaction/,
      );
      const after = await sql<{ one: number }>`select 1 as one`.execute(db.owner);
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});
