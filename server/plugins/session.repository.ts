import type { Database } from '../db/database';

/**
 * The SQL of server-side sessions, with camelCase names. Runs on the owner connection
 * (`db.system`): a session is looked up before anyone is known, and the app role may not read the
 * sessions table.
 */
export const sessionsRepository = {
  /**
   * The live session's user, expiry and start; undefined when there is none. Every request's
   * look-up (`db.cachedRead`, decision 0006): one row, whose renaming by the plugin costs a few
   * microseconds.
   */
  find(system: Database['system'], id: string) {
    return system
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .select([
        'users.id',
        'users.role',
        'users.isDemo',
        'sessions.expiresAt',
        'sessions.createdAt',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.expiresAt', '>', new Date())
      .executeTakeFirst();
  },

  async extend(system: Database['system'], id: string, expiresAt: Date): Promise<void> {
    await system.updateTable('sessions').set({ expiresAt }).where('id', '=', id).execute();
  },

  /**
   * Starts a session in one transaction: the browser's previous session (if any) and every
   * expired one are deleted first.
   */
  async start(
    system: Database['system'],
    session: { id: string; userId: string; expiresAt: Date; userAgent: string | null },
    previousId: string | undefined,
  ): Promise<void> {
    await system.transaction().execute(async (tx) => {
      if (previousId) await tx.deleteFrom('sessions').where('id', '=', previousId).execute();
      await tx.deleteFrom('sessions').where('expiresAt', '<', new Date()).execute();
      await tx.insertInto('sessions').values(session).execute();
    });
  },

  async end(system: Database['system'], id: string): Promise<void> {
    await system.deleteFrom('sessions').where('id', '=', id).execute();
  },
};
