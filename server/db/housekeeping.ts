import type { Database } from './database';
import { housekeepingRepository } from './housekeeping.repository';

/** Idempotency keys answer retries of the same write; a day covers any offline replay queue. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** Backup runs are kept for a year and a month: a few hundred rows (migration 0020). */
const BACKUP_RUNS_TTL_MS = 400 * 24 * 3600 * 1000;

/**
 * Deletes what has expired: sessions, unfinished sign-ins, old idempotency keys and backup runs.
 * Runs on the login connection as `rally_system` (the app role may not delete these).
 */
export async function purgeExpired(db: Database, now = new Date()): Promise<void> {
  await housekeepingRepository.purge(
    db.system,
    now,
    new Date(now.getTime() - IDEMPOTENCY_TTL_MS),
    new Date(now.getTime() - BACKUP_RUNS_TTL_MS),
  );
}
