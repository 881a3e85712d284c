import type { VenueInput } from '#domain/schemas/venues';
import type { Tx } from '../../db/database';

const columns = ['id', 'leagueId', 'name', 'address', 'courts', 'availability', 'version'] as const;

function values(v: Partial<VenueInput>) {
  return {
    ...(v.name !== undefined && { name: v.name }),
    ...(v.address !== undefined && { address: v.address || null }),
    ...(v.courts !== undefined && { courts: v.courts }),
    ...(v.availability !== undefined && { availability: JSON.stringify(v.availability) }),
  };
}

/** A league's venues, with camelCase names. Runs under row-level security. */
export const venuesRepository = {
  list(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('venues')
      .select(columns)
      .where('leagueId', '=', leagueId)
      .orderBy('name')
      .execute();
  },

  find(tx: Tx, venueId: string) {
    return tx.selectFrom('venues').select(columns).where('id', '=', venueId).executeTakeFirst();
  },

  async insert(tx: Tx, leagueId: string, venue: VenueInput): Promise<string> {
    const row = await tx
      .insertInto('venues')
      .values({
        leagueId,
        name: venue.name,
        address: venue.address || null,
        courts: venue.courts,
        availability: JSON.stringify(venue.availability),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  /** Changes a venue; with `expectedVersion`, only that version (false when it was not). */
  async update(
    tx: Tx,
    venueId: string,
    patch: Partial<VenueInput>,
    expectedVersion?: number,
  ): Promise<boolean> {
    let query = tx.updateTable('venues').set(values(patch)).where('id', '=', venueId);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  async remove(tx: Tx, venueId: string): Promise<void> {
    await tx.deleteFrom('venues').where('id', '=', venueId).execute();
  },
};
