import { sql, type Kysely } from 'kysely';

/**
 * Every backup's outcome (issue #13 item 2): the scheduled ones (server/backup/schedule.ts) and
 * `rally backup --to`. In the database rather than in each process, so that every replica's
 * `/metrics` tells the same last success, and a replica that starts after a missed night knows
 * it was missed. Only the owner and `rally_system` reach it (migration 0011's pattern: row-level
 * security forced, a policy for each); the app role, which acts for users, has no grant at all.
 * Housekeeping deletes runs older than 400 days, so it stays a few hundred rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table backup_runs (
    id bigint generated always as identity primary key,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    ok boolean not null,
    file text,
    bytes bigint,
    error text,
    host text not null,
    check (ok = (error is null)),
    check (not ok or file is not null)
  )`.execute(db);
  // The metrics read the last run and the last success at every scrape.
  await sql`create index backup_runs_finished on backup_runs (finished_at desc)`.execute(db);
  await sql`create index backup_runs_last_success on backup_runs (finished_at desc)
    where ok`.execute(db);
  await sql`alter table backup_runs enable row level security`.execute(db);
  await sql`alter table backup_runs force row level security`.execute(db);
  await sql`create policy backup_runs_owner on backup_runs for all to current_user
    using (true) with check (true)`.execute(db);
  await sql`create policy backup_runs_system on backup_runs for all to rally_system
    using (true) with check (true)`.execute(db);
  await sql`grant select, insert, delete on backup_runs to rally_system`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table backup_runs`.execute(db);
}
