import type { Kysely } from 'kysely';
import type { Tx } from '../../db/database';
import type { SnakeCaseDB } from '../../db/naming';

/** Calendar feed tokens. */
export const calendarRepository = {
  async insert(
    tx: Tx,
    feed: { tokenHash: string; userId: string | null; teamId: string | null; createdBy: string },
  ): Promise<string> {
    const row = await tx
      .insertInto('calendar_feeds')
      .values({
        token_hash: feed.tokenHash,
        user_id: feed.userId,
        team_id: feed.teamId,
        created_by: feed.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  /** The feeds the acting user made (row-level security shows no others). */
  mine(tx: Tx) {
    return tx
      .selectFrom('calendar_feeds as f')
      .leftJoin('teams as t', 't.id', 'f.team_id')
      .select(['f.id', 'f.team_id', 't.name as team_name', 'f.created_at'])
      .where('f.revoked_at', 'is', null)
      .orderBy('f.created_at', 'desc')
      .execute();
  },

  async revoke(tx: Tx, feedId: string): Promise<boolean> {
    const result = await tx
      .updateTable('calendar_feeds')
      .set({ revoked_at: new Date() })
      .where('id', '=', feedId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  /**
   * The feed for a token. A calendar app fetches with no session, so this runs on the owner
   * connection, before any user transaction; the token is the credential.
   */
  byToken(system: Kysely<SnakeCaseDB>, tokenHash: string) {
    return system
      .selectFrom('calendar_feeds')
      .select(['id', 'user_id', 'team_id', 'created_by', 'revoked_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  },
};
