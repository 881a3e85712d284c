import type { Kysely } from 'kysely';
import type { DB } from './schema';

/** The SQL of housekeeping: what has expired, deleted on the owner connection. */
export const housekeepingRepository = {
  async purge(db: Kysely<DB>, now: Date, keysBefore: Date): Promise<void> {
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    await db.deleteFrom('auth_flows').where('expires_at', '<', now).execute();
    await db.deleteFrom('idempotency_keys').where('created_at', '<', keysBefore).execute();
  },
};
