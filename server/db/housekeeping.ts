import type { Database } from './database';

/** Idempotency keys answer retries of the same write; a day covers any offline replay queue. */
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * Deletes what has expired: sessions, unfinished sign-ins and old idempotency keys. Runs on the
 * owner connection (the app role may not delete these).
 */
export async function purgeExpired(db: Database, now = new Date()): Promise<void> {
  await db.system.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await db.system.deleteFrom('auth_flows').where('expires_at', '<', now).execute();
  await db.system
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS))
    .execute();
}
