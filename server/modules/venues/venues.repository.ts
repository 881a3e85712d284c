import type { VenueInput } from '../../../domain/schemas/match';
import type { Tx } from '../../db/database';

const columns = [
  'id',
  'league_id',
  'name',
  'address',
  'courts',
  'availability',
  'version',
] as const;

function values(v: Partial<VenueInput>) {
  return {
    ...(v.name !== undefined && { name: v.name }),
    ...(v.address !== undefined && { address: v.address || null }),
    ...(v.courts !== undefined && { courts: v.courts }),
    ...(v.availability !== undefined && { availability: JSON.stringify(v.availability) }),
  };
}

/** A league's venues. Runs under row-level security. */
export const venuesRepository = {
  list(tx: Tx, leagueId: string) {
    return tx
      .selectFrom('venues')
      .select(columns)
      .where('league_id', '=', leagueId)
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
        league_id: leagueId,
        name: venue.name,
        address: venue.address || null,
        courts: venue.courts,
        availability: JSON.stringify(venue.availability),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async update(tx: Tx, venueId: string, patch: Partial<VenueInput>): Promise<void> {
    await tx.updateTable('venues').set(values(patch)).where('id', '=', venueId).execute();
  },

  async remove(tx: Tx, venueId: string): Promise<void> {
    await tx.deleteFrom('venues').where('id', '=', venueId).execute();
  },
};
