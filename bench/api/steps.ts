/**
 * What each database step of the hot read costs, one at a time (no HTTP, no concurrency): the
 * session look-up, an empty `withUser` transaction, the baseline's query and the schedule read,
 * each in its own `withUser`, and the API's read (session and schedule in one statement). Run it to see where a request's time goes before and after a change.
 *
 *   node --import tsx bench/api/steps.ts              # embedded PGlite (a scratch directory)
 *   DATABASE_URL=postgres://… node --import tsx bench/api/steps.ts   # a migrated, empty database
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database';
import { demoPlayerIds, seedDemo } from '../../server/cli/seed';
import { scheduleRepository } from '../../server/modules/schedule/schedule.repository';

const db = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: mkdtempSync(path.join(os.tmpdir(), 'rally-steps-')),
});
await db.migrate();
await seedDemo(db);
const [playerId] = await demoPlayerIds(db.system);
if (!playerId) throw new Error('The demo seed made no players.');

async function time(name: string, fn: () => Promise<unknown>, n = 1000) {
  for (let i = 0; i < 100; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(`${name.padEnd(28)} ${(((performance.now() - start) / n) * 1000).toFixed(0)} µs`);
}

const today = new Date().toISOString().slice(0, 10);
await time('session look-up', () =>
  db.system
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select(['users.id', 'users.role', 'users.isDemo', 'sessions.expiresAt'])
    .where('sessions.id', '=', 'no-such-session')
    .where('sessions.expiresAt', '>', new Date())
    .executeTakeFirst(),
);
await time('withUser, nothing in it', () => db.withUser(playerId, async () => null));
await time('withUser + baseline query', () =>
  db.withUser(playerId, (tx) =>
    sql`select m.id, m.match_date::text as date, m.start_time, m.status
      from matches m join team_members tm on tm.team_id in (m.home_team_id, m.away_team_id)
      where tm.user_id = app_user_id() and m.match_date >= current_date
      order by m.match_date limit 100`.execute(tx),
  ),
);
await time('withUser + schedule read', () =>
  db.withUser(playerId, (tx) => scheduleRepository.forUser(tx, { from: today })),
);
// The API's read: the session and the schedule in one statement, outside any transaction.
const session = `steps-${playerId}`;
await db.system
  .insertInto('sessions')
  .values({ id: session, userId: playerId, expiresAt: new Date(Date.now() + 86_400_000) })
  .execute();
await time('session + schedule, one statement', () =>
  scheduleRepository.forSession(db, session, { from: today }),
);
await db.close();
