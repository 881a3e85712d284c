import type { Kysely } from 'kysely';
import type { SnakeCaseDB } from '../db/naming';

/**
 * The SQL of server-side sessions. Runs on the owner connection (`db.system`): a session is
 * looked up before anyone is known, and the app role may not read the sessions table.
 */
export const sessionsRepository = {
  /** The live session's user, expiry and start; undefined when there is none. */
  find(db: Kysely<SnakeCaseDB>, id: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.id',
        'users.role',
        'users.is_demo',
        'sessions.expires_at',
        'sessions.created_at',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.expires_at', '>', new Date())
      .executeTakeFirst();
  },

  async extend(db: Kysely<SnakeCaseDB>, id: string, expiresAt: Date): Promise<void> {
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
  },

  /**
   * Starts a session in one transaction: the browser's previous session (if any) and every
   * expired one are deleted first.
   */
  async start(
    db: Kysely<SnakeCaseDB>,
    session: { id: string; userId: string; expiresAt: Date; userAgent: string | null },
    previousId: string | undefined,
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      if (previousId) await tx.deleteFrom('sessions').where('id', '=', previousId).execute();
      await tx.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
      await tx
        .insertInto('sessions')
        .values({
          id: session.id,
          user_id: session.userId,
          expires_at: session.expiresAt,
          user_agent: session.userAgent,
        })
        .execute();
    });
  },

  async end(db: Kysely<SnakeCaseDB>, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
};
