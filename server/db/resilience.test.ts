import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASES } from '../test/databases';
import { openDatabase } from './database';
import { TcpProxy } from '../test/tcp-proxy';
import { purgeExpired } from './housekeeping';

describe('the embedded data directory', () => {
  it('is kept by one opening at a time; a lock left by a process that is gone is taken over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rally-lock-'));
    const lock = path.join(dir, 'rally.lock');
    const first = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    await expect(openDatabase({ databaseUrl: undefined, dataDir: dir })).rejects.toThrow(
      /already open in this process/,
    );
    await first.close();
    expect(existsSync(lock)).toBe(false);

    // Another live process (our parent stands in for one) holds the directory.
    writeFileSync(lock, String(process.ppid));
    await expect(openDatabase({ databaseUrl: undefined, dataDir: dir })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}`),
    );
    // A process that is gone does not, nor does a lock file that names no process.
    writeFileSync(lock, '');
    await (await openDatabase({ databaseUrl: undefined, dataDir: dir })).close();
    writeFileSync(lock, '999999999');
    const again = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    await again.close();
    // Three real openings of a PGlite directory, the first of which creates the cluster (initdb):
    // on a loaded 2-core machine that is more than the default 30 s.
  }, 120_000);
});

describe.each(TEST_DATABASES)('housekeeping on %s', (kind) => {
  it('deletes expired sessions and sign-ins and day-old idempotency keys, and keeps the rest', async () => {
    const testDb = await createTestDatabase(kind);
    const db = await openDatabase(testDb);
    try {
      await db.migrate();
      const user = await db.owner
        .insertInto('users')
        .values({ oidcIssuer: 'test', oidcSubject: 'housekeeping' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const hour = 3600 * 1000;
      const now = Date.now();
      await db.owner
        .insertInto('sessions')
        .values([
          { id: 'old', userId: user.id, expiresAt: new Date(now - hour) },
          { id: 'live', userId: user.id, expiresAt: new Date(now + hour) },
        ])
        .execute();
      await db.owner
        .insertInto('idempotencyKeys')
        .values([
          {
            userId: user.id,
            key: 'old',
            requestHash: 'h',
            statusCode: 200,
            response: null,
            createdAt: new Date(now - 25 * hour),
          },
          {
            userId: user.id,
            key: 'new',
            requestHash: 'h',
            statusCode: 200,
            response: null,
            createdAt: new Date(now - hour),
          },
        ])
        .execute();
      await purgeExpired(db);
      const sessions = await db.owner.selectFrom('sessions').select('id').execute();
      const keys = await db.owner.selectFrom('idempotencyKeys').select('key').execute();
      expect(sessions).toEqual([{ id: 'live' }]);
      expect(keys).toEqual([{ key: 'new' }]);
    } finally {
      await db.close();
      await testDb.drop();
    }
  });
});

describe.runIf(TEST_DATABASES.includes('postgres'))('a PostgreSQL connection that drops', () => {
  it('does not take the process down: the next query reconnects', async () => {
    const testDb = await createTestDatabase('postgres');
    const errors: Error[] = [];
    const db = await openDatabase({ ...testDb, onIdleError: (e) => errors.push(e) });
    try {
      await sql`select 1`.execute(db.owner);
      const name = new URL(testDb.databaseUrl as string).pathname.slice(1);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await admin.end();
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      const after = await sql<{ one: number }>`select 1 as one`.execute(db.owner);
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await testDb.drop();
    }
  });

  it('a connection lost inside a transaction fails that transaction, not the process', async () => {
    const testDb = await createTestDatabase('postgres');
    const direct = new URL(testDb.databaseUrl as string);
    const proxy = await TcpProxy.start({
      host: direct.hostname,
      port: Number(direct.port || 5432),
    });
    const viaProxy = new URL(direct);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const db = await openDatabase({
      databaseUrl: viaProxy.href,
      databaseOwnerUrl: testDb.databaseOwnerUrl,
      dataDir: 'memory://',
    });
    try {
      await db.migrate();
      // The client is checked out, between two statements, when its connection is reset: an
      // 'error' event nobody listened to would crash this test worker.
      await expect(
        db.withUser(null, async (tx) => {
          await sql`select 1`.execute(tx);
          proxy.cut();
          await sql`select 1`.execute(tx);
        }),
      ).rejects.toThrow();
      proxy.restore();
      const after = await sql<{ one: number }>`select 1 as one`.execute(db.system);
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await proxy.close();
      await testDb.drop();
    }
  });
});
