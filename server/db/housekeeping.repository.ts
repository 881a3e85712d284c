import type { Kysely } from 'kysely';
import type { DB } from './schema';

/** The SQL of housekeeping: what has expired, deleted on the owner connection. */
export const housekeepingRepository = {
  async purge(db: Kysely<DB>, now: Date, keysBefore: Date, runsBefore: Date): Promise<void> {
    await db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
    await db.deleteFrom('authFlows').where('expiresAt', '<', now).execute();
    await db.deleteFrom('idempotencyKeys').where('createdAt', '<', keysBefore).execute();
    await db.deleteFrom('backupRuns').where('finishedAt', '<', runsBefore).execute();
  },
};
