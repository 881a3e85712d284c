import { sql } from 'kysely';
import type { Tx } from '../../db/database';

/** The readiness probe's one statement. */
export const healthRepository = {
  async ping(tx: Tx): Promise<void> {
    await sql`select 1`.execute(tx);
  },
};
