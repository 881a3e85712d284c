import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** One backup's outcome, as `backup_runs` keeps it (migration 0020). */
export interface BackupRun {
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  file: string | null;
  bytes: number | null;
  /** The one-line reason of a failure; null when it succeeded. */
  error: string | null;
  host: string;
}

/** What `/metrics` tells of the backups: the last run, and the last success. */
export interface BackupOutcome {
  lastRunOk: boolean | null;
  lastSuccessAt: Date | null;
  lastSuccessSeconds: number | null;
}

/**
 * The key of the advisory lock that one scheduled backup holds on PostgreSQL for its whole run,
 * so that of several replicas exactly one backs up. Any constant: advisory locks are per database.
 */
const BACKUP_LOCK = 7_261_013;

/** The SQL of `backup_runs`, on the login connection as `rally_system` (or the owner's). */
export const backupRunsRepository = {
  async record(db: Kysely<DB>, run: BackupRun): Promise<void> {
    await db.insertInto('backupRuns').values(run).execute();
  },

  /** When the last successful backup finished; null when none has. */
  async lastSuccess(db: Kysely<DB>): Promise<Date | null> {
    const row = await db
      .selectFrom('backupRuns')
      .select('finishedAt')
      .where('ok', '=', true)
      .orderBy('finishedAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.finishedAt ?? null;
  },

  /** Two index look-ups (the last run, the last success), for every scrape of `/metrics`. */
  async outcome(db: Kysely<DB>): Promise<BackupOutcome> {
    const { rows } = await sql<{
      lastRunOk: boolean | null;
      lastSuccessAt: Date | null;
      lastSuccessSeconds: number | null;
    }>`select
        (select ok from backup_runs order by finished_at desc limit 1) as last_run_ok,
        s.finished_at as last_success_at,
        extract(epoch from s.finished_at - s.started_at)::float8 as last_success_seconds
      from (select 1) one
      left join lateral (select started_at, finished_at from backup_runs where ok
        order by finished_at desc limit 1) s on true`.execute(db);
    const row = rows[0];
    return {
      lastRunOk: row?.lastRunOk ?? null,
      lastSuccessAt: row?.lastSuccessAt ? new Date(row.lastSuccessAt) : null,
      lastSuccessSeconds: row?.lastSuccessSeconds ?? null,
    };
  },

  /** Deletes the runs that finished before `before` (housekeeping). */
  async purge(db: Kysely<DB>, before: Date): Promise<void> {
    await db.deleteFrom('backupRuns').where('finishedAt', '<', before).execute();
  },

  /**
   * Takes the backup lock on `connection` for the session (PostgreSQL): true when this session
   * holds it now, false when another does. It lasts until `unlock` or the connection's end.
   */
  async tryLock(connection: Kysely<DB>): Promise<boolean> {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${BACKUP_LOCK}) as locked`.execute(connection);
    return rows[0]?.locked === true;
  },

  async unlock(connection: Kysely<DB>): Promise<void> {
    await sql`select pg_advisory_unlock(${BACKUP_LOCK})`.execute(connection);
  },
};
