import type { Database, Tx } from '../../db/database';

/** Calendar feed tokens, with camelCase names. */
export const calendarRepository = {
  async insert(
    tx: Tx,
    feed: { tokenHash: string; userId: string | null; teamId: string | null; createdBy: string },
  ): Promise<string> {
    const row = await tx
      .insertInto('calendarFeeds')
      .values(feed)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  /** The feeds the acting user made (row-level security shows no others). */
  mine(tx: Tx) {
    return tx
      .selectFrom('calendarFeeds as f')
      .leftJoin('teams as t', 't.id', 'f.teamId')
      .select(['f.id', 'f.teamId', 't.name as teamName', 'f.createdAt'])
      .where('f.revokedAt', 'is', null)
      .orderBy('f.createdAt', 'desc')
      .execute();
  },

  async revoke(tx: Tx, feedId: string): Promise<boolean> {
    const result = await tx
      .updateTable('calendarFeeds')
      .set({ revokedAt: new Date() })
      .where('id', '=', feedId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /**
   * The feed for a token. A calendar app fetches with no session, so this runs on the owner
   * connection, before any user transaction; the token is the credential.
   */
  byToken(system: Database['system'], tokenHash: string) {
    return system
      .selectFrom('calendarFeeds')
      .select(['id', 'userId', 'teamId', 'createdBy', 'revokedAt'])
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  },
};
