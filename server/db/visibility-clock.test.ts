import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../test/databases';
import { quietly } from '../test/quiet';
import { openDatabase, type Database } from './database';
import { visibilityClock } from './visibility-clock';

/**
 * On PostgreSQL, kept answers follow the server's snapshot (decision 0014): a write by another
 * instance or by any tool makes them stale, and while the snapshot cannot be read nothing is kept.
 */
describe.runIf(TEST_DATABASES.includes('postgres'))('the visibility clock on PostgreSQL', () => {
  let testDb: TestDatabase;
  let one: Database;
  let other: Database;
  let reads = 0;
  const emails = (db: Database) =>
    db.cachedRead(
      'test:emails',
      async () => {
        reads++;
        return (await db.owner.selectFrom('users').select('email').orderBy('email').execute()).map(
          (u) => u.email,
        );
      },
      () => true,
    );

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    one = await openDatabase(testDb);
    await one.migrate();
    other = await openDatabase(testDb);
    await one.owner
      .insertInto('users')
      .values({ oidcIssuer: 't', oidcSubject: 'clock', email: 'ana@example.com' })
      .execute();
  });
  afterAll(async () => {
    await other?.close();
    await one?.close();
    await testDb?.drop();
  });

  it('keeps an answer until another instance or a tool writes', async () => {
    const kept = await quietly(one, async () => {
      await emails(one);
      const before = reads;
      await emails(one);
      return reads - before;
    });
    expect(kept).toBe(0);

    await other.owner.updateTable('users').set({ email: 'bea@example.com' }).execute();
    expect(await emails(one)).toEqual(['bea@example.com']);

    const tool = new pg.Client({ connectionString: testDb.databaseOwnerUrl });
    await tool.connect();
    try {
      await tool.query(`update users set email = 'cy@example.com'`);
    } finally {
      await tool.end();
    }
    expect(await emails(one)).toEqual(['cy@example.com']);
  });

  it('keeps nothing while its connection is lost, and keeps again once it is back', async () => {
    await emails(one);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where datname = $1 and application_name = 'rally-visibility-clock'`,
        [new URL(testDb.databaseUrl as string).pathname.slice(1)],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const before = reads;
    await emails(one);
    await emails(one);
    await emails(one);
    expect(reads - before).toBe(3);

    await vi.waitFor(
      async () => {
        const kept = await quietly(one, async () => {
          await emails(one);
          const start = reads;
          await emails(one);
          return reads - start;
        });
        expect(kept).toBe(0);
      },
      { timeout: 10_000, interval: 200 },
    );
  });

  it('shares one statement between the reads that wait for it, each sent after its caller', async () => {
    const clock = visibilityClock(testDb.databaseUrl as string, () => {});
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const first = await clock.read();
      sent.mockClear();
      const snapshots = await Promise.all(Array.from({ length: 100 }, () => clock.read()));
      expect(snapshots.every((s) => typeof s === 'string' && s.includes(':'))).toBe(true);
      expect(sent.mock.calls.length).toBeGreaterThan(0);
      expect(sent.mock.calls.length).toBeLessThanOrEqual(2);

      await one.owner.updateTable('users').set({ email: 'dee@example.com' }).execute();
      expect(await clock.read()).not.toBe(first);
    } finally {
      sent.mockRestore();
      await clock.close();
    }
  });
});
