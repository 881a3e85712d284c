import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { quietly } from '../test/quiet';
import { openDatabase, type Database } from './database';

/**
 * `cachedRead` gives a kept answer only while nothing was written: every kind of write, through
 * every path a statement takes to the database, must make the next read go to the database. On
 * PostgreSQL that holds for writes by anyone (decision 0014): another instance, a tool.
 */
describe.each(TEST_DATABASES)('cached reads on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let user: string;
  let reads = 0;
  const read = () =>
    db.cachedRead(
      'test:users',
      async () => {
        reads++;
        return db.owner.selectFrom('users').select(['email', 'role']).orderBy('id').execute();
      },
      () => true,
    );
  /** How many times the database was asked, over `n` reads. */
  const asked = async (n = 3) => {
    const before = reads;
    for (let i = 0; i < n; i++) await read();
    return reads - before;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase(testDb);
    await db.migrate();
    const row = await db.owner
      .insertInto('users')
      .values({ oidcIssuer: 't', oidcSubject: 'cache', email: 'ana@example.com' })
      .returning('id')
      .executeTakeFirstOrThrow();
    user = row.id;
  });
  beforeEach(async () => {
    await read();
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('keeps the answer while nothing is written, read-only transactions included', async () => {
    const asking = await quietly(db, async () => {
      await read();
      await db.withUser(user, (tx) => sql`select count(*) from leagues`.execute(tx));
      await sql`select 1`.execute(db.owner);
      return asked();
    });
    expect(asking).toBe(0);
  });

  it('reads again after a write with parameters, outside a transaction', async () => {
    await db.owner
      .updateTable('users')
      .set({ email: 'bea@example.com' })
      .where('id', '=', user)
      .execute();
    expect(await asked(1)).toBe(1);
    expect((await read()).map((u) => u.email)).toEqual(['bea@example.com']);
  });

  it('reads again after a write without parameters (one message of several statements)', async () => {
    await sql`update users set email = 'cy@example.com'`.execute(db.owner);
    expect((await read()).map((u) => u.email)).toEqual(['cy@example.com']);
  });

  it('reads again after a transaction that wrote, as the app role or as the owner', async () => {
    await db.withUser(user, (tx) =>
      tx.updateTable('users').set({ role: 'captain' }).where('id', '=', user).execute(),
    );
    expect((await read()).map((u) => u.role)).toEqual(['captain']);
    await db.owner.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await tx.updateTable('users').set({ email: 'ed@example.com' }).execute();
    });
    expect((await read()).map((u) => u.email)).toEqual(['ed@example.com']);
  });

  it('does not keep an answer read while a write committed', async () => {
    let racing = true;
    const raced = () =>
      db.cachedRead(
        'test:race',
        async () => {
          const users = await db.owner.selectFrom('users').select('email').execute();
          if (racing) {
            racing = false;
            await db.owner.updateTable('users').set({ email: 'race@example.com' }).execute();
          }
          return users;
        },
        () => true,
      );
    expect((await raced()).map((u) => u.email)).not.toEqual(['race@example.com']);
    expect((await raced()).map((u) => u.email)).toEqual(['race@example.com']);
  });

  it('reads again when the answer is no longer fresh', async () => {
    let fresh = true;
    const answer = () =>
      db.cachedRead(
        'test:fresh',
        async () => {
          reads++;
          return 1;
        },
        () => fresh,
      );
    const asking = await quietly(db, async () => {
      fresh = true;
      const before = reads;
      await answer();
      await answer();
      fresh = false;
      await answer();
      return reads - before;
    });
    expect(asking).toBe(2);
  });

  it('gives the same answer after a write that failed, without reading where it is not counted', async () => {
    const emails = (await read()).map((u) => u.email);
    const failing = () =>
      expect(
        db.owner
          .updateTable('users')
          .set({ oidcSubject: null as unknown as string })
          .execute(),
      ).rejects.toThrow();
    if (kind === 'embedded') {
      const asking = await quietly(db, async () => {
        await read();
        await failing();
        return asked();
      });
      expect(asking).toBe(0);
    } else {
      // The update got a transaction id before it failed: its rollback moves the snapshot.
      await failing();
    }
    expect((await read()).map((u) => u.email)).toEqual(emails);
  });
});

/** `keepAnswers: false` (bench:routes): every read goes to the database, on both databases. */
describe.each(TEST_DATABASES)('reads with answers not kept on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await openDatabase({ ...testDb, keepAnswers: false });
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('asks the database on every read, cachedRead and readAs alike, while nothing is written', async () => {
    let reads = 0;
    const asking = await quietly(db, async () => {
      reads = 0;
      for (let i = 0; i < 3; i++) {
        await db.cachedRead(
          'test:not-kept',
          async () => ++reads,
          () => true,
        );
        await db.readAs(null, 'test:not-kept', async (tx) => {
          reads++;
          return sql`select 1`.execute(tx);
        });
      }
      return reads;
    });
    expect(asking).toBe(6);
  });
});
