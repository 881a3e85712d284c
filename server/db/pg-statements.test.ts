import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases';
import { openDatabase, type Database } from './database';

/** The statements this connection has prepared, whose text holds `marker`. */
async function preparedWith(db: Database, marker: string): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`
    select statement from pg_prepared_statements
    where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`.execute(
    db.system,
  );
  return rows.map((r) => r.statement);
}

describe.runIf(process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  let target: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    target = await createTestDatabase('postgres');
    // One connection, so every statement below meets the statements prepared before it.
    db = await openDatabase({ ...target, databasePoolSize: 1 });
    await db.migrate();
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });

  it('prepares a statement with parameters once per connection, in and out of transactions', async () => {
    const read = (on: Database['system']) =>
      sql`select id from leagues where name = ${'x'} and 'prepared-once' <> ''`.execute(on);
    await db.withUser(null, read);
    await db.withUser(null, read);
    await read(db.system);
    expect(await preparedWith(db, 'prepared-once')).toEqual([
      "select id from leagues where name = $1 and 'prepared-once' <> ''",
    ]);
  });

  it('leaves statements without parameters to the simple protocol (BEGIN with SET LOCAL)', async () => {
    await db.withUser(null, (tx) => sql`select 'no parameters here' as note`.execute(tx));
    expect(await preparedWith(db, 'no parameters here')).toEqual([]);
  });

  it('a statement whose table changed fails once, and the next request gets a fresh connection', async () => {
    const owner = db.owner;
    await sql`create table prepared_scratch (id integer primary key)`.execute(owner);
    await sql`grant select on prepared_scratch to rally_system`.execute(owner);
    try {
      const read = () =>
        sql<{ id: number }>`select * from prepared_scratch where id > ${0}`.execute(db.system);
      await read();
      expect(await preparedWith(db, 'prepared_scratch')).toHaveLength(1);
      await sql`alter table prepared_scratch add column note text`.execute(owner);
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      // The connection that held the stale statement was closed; a new one prepares anew.
      const again = await read();
      expect(again.rows).toEqual([]);
      expect(await preparedWith(db, 'prepared_scratch')).toHaveLength(1);
    } finally {
      await sql`drop table prepared_scratch`.execute(owner);
    }
  });
});
