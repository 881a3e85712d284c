import type { Profile, Role } from '#domain/schemas/me';
import type { Tx } from '../../db/database';

/** The signed-in user's own rows. Runs under row-level security (`withUser`). */
export const meRepository = {
  async find(tx: Tx, userId: string) {
    return tx
      .selectFrom('users')
      .leftJoin('profiles', 'profiles.user_id', 'users.id')
      .select([
        'users.id',
        'users.email',
        'users.role',
        'users.is_demo',
        'profiles.display_name',
        'profiles.phone',
        'profiles.city_or_club',
        'profiles.sports',
        'profiles.version as profile_version',
        'profiles.updated_at as profile_updated_at',
      ])
      .where('users.id', '=', userId)
      .executeTakeFirst();
  },

  async insertProfile(tx: Tx, userId: string, profile: Profile): Promise<boolean> {
    const row = await tx
      .insertInto('profiles')
      .values({ user_id: userId, ...columns(profile) })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .returning('user_id')
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
    let query = tx.updateTable('profiles').set(columns(profile)).where('user_id', '=', userId);
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
    display_name: profile.displayName,
    phone: profile.phone,
    city_or_club: profile.cityOrClub,
    sports: JSON.stringify(profile.sports),
  };
}
