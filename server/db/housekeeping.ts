import type { Database } from './database';
import { housekeepingRepository } from './housekeeping.repository';

/** Idempotency keys answer retries of the same write; a day covers any offline replay queue. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * Deletes what has expired: sessions, unfinished sign-ins and old idempotency keys. Runs on the
 * owner connection (the app role may not delete these).
 */
export async function purgeExpired(db: Database, now = new Date()): Promise<void> {
  await housekeepingRepository.purge(db.system, now, new Date(now.getTime() - IDEMPOTENCY_TTL_MS));
}
