import type { Profile, Role } from '#domain/schemas/me';
import type { Tx } from '../../db/database';

/** The signed-in user's own rows, with camelCase names. Runs under row-level security (`withUser`). */
export const meRepository = {
  async find(tx: Tx, userId: string) {
    return tx
      .selectFrom('users')
      .leftJoin('profiles', 'profiles.userId', 'users.id')
      .select([
        'users.id',
        'users.email',
        'users.role',
        'users.isDemo',
        'profiles.displayName',
        'profiles.phone',
        'profiles.cityOrClub',
        'profiles.sports',
        'profiles.version',
        'profiles.updatedAt',
      ])
      .where('users.id', '=', userId)
      .executeTakeFirst();
  },

  async insertProfile(tx: Tx, userId: string, profile: Profile): Promise<boolean> {
    const row = await tx
      .insertInto('profiles')
      .values({ userId, ...columns(profile) })
      .onConflict((oc) => oc.column('userId').doNothing())
      .returning('userId')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Updates the profile; with `expectedVersion`, only if it is still that version. */
  async updateProfile(
    tx: Tx,
    userId: string,
    profile: Profile,
    expectedVersion: number | undefined,
  ): Promise<boolean> {
    let query = tx.updateTable('profiles').set(columns(profile)).where('userId', '=', userId);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async setRole(tx: Tx, userId: string, role: Role): Promise<void> {
    await tx.updateTable('users').set({ role }).where('id', '=', userId).execute();
  },
};

function columns(profile: Profile) {
  return {
    displayName: profile.displayName,
    phone: profile.phone,
    cityOrClub: profile.cityOrClub,
    sports: JSON.stringify(profile.sports),
  };
}
