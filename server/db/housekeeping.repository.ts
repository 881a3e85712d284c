import type { Kysely } from 'kysely';
import { camelCased, type SnakeCaseDB } from './naming';

/** The SQL of housekeeping: what has expired, deleted on the owner connection. */
export const housekeepingRepository = {
  async purge(system: Kysely<SnakeCaseDB>, now: Date, keysBefore: Date): Promise<void> {
    const db = camelCased(system);
    await db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
    await db.deleteFrom('authFlows').where('expiresAt', '<', now).execute();
    await db.deleteFrom('idempotencyKeys').where('createdAt', '<', keysBefore).execute();
  },
};
