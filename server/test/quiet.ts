import { sql } from 'kysely';
import type { Database } from '../db/database';

/**
 * `fn()`, run again until no transaction that wrote finished on the database server while it
 * ran, at most 200 times. On PostgreSQL the server's snapshot is what kept answers follow
 * (decision 0014), and the other test files' databases share the server: their writes make every
 * kept answer stale as well, so a test of what is kept needs a quiet moment. On embedded PGlite
 * the database is the test's alone: `fn` runs once. A write of `fn`'s own never lets it return:
 * the test then fails with the error below.
 */
export async function quietly<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  if (db.kind === 'embedded') return fn();
  const snapshot = async () =>
    (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db.owner)).rows[0]
      ?.s;
  for (let attempt = 0; attempt < 200; attempt++) {
    const before = await snapshot();
    const result = await fn();
    if ((await snapshot()) === before) return result;
  }
  throw new Error('A transaction that wrote finished on the server during every attempt');
}
