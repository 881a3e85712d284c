import { PROBLEM_TYPES } from '#domain/schemas/problem';
import type { z } from 'zod';
import type { Venue, VenueInput, VenuePatch } from '#domain/schemas/venues';
import type { VenueHours } from '#domain/schemas/schedule';
import type { Tx } from '../../db/database';
import { HttpProblem, forbidden, notFound } from '../../plugins/problem';
import { leagueAccess } from '../leagues';
import { venuesRepository as repo } from './venues.repository';

type VenueRow = NonNullable<Awaited<ReturnType<typeof repo.find>>>;

/** The row as the API shows it: its hours are the JSON the venue was stored with. */
function toVenue(row: VenueRow): Venue {
  return { ...row, availability: row.availability as VenueHours[] };
}

/** A league's venues (visible with the league). */
export async function listVenues(tx: Tx, leagueId: string): Promise<Venue[]> {
  await leagueAccess(tx, leagueId);
  return (await repo.list(tx, leagueId)).map(toVenue);
}

async function organizerOf(tx: Tx, leagueId: string): Promise<void> {
  if (!(await leagueAccess(tx, leagueId)).isOrganizer)
    throw forbidden('Only the organizers of this league manage its venues.');
}

export async function createVenue(
  tx: Tx,
  leagueId: string,
  input: z.output<typeof VenueInput>,
): Promise<Venue> {
  await organizerOf(tx, leagueId);
  const id = await repo.insert(tx, leagueId, input);
  return toVenue((await repo.find(tx, id)) as VenueRow);
}

async function visibleVenue(tx: Tx, venueId: string): Promise<VenueRow> {
  const row = await repo.find(tx, venueId);
  if (!row) throw notFound('There is no such venue, or its league is private.');
  return row;
}

export async function updateVenue(
  tx: Tx,
  venueId: string,
  patch: z.output<typeof VenuePatch>,
  ifMatch?: number,
): Promise<Venue> {
  const venue = await visibleVenue(tx, venueId);
  await organizerOf(tx, venue.leagueId);
  if (!(await repo.update(tx, venueId, patch, ifMatch))) {
    throw new HttpProblem(
      412,
      'This venue was changed since you loaded it. Review the current version.',
      {
        type: PROBLEM_TYPES.versionConflict,
        extra: { current: toVenue(await visibleVenue(tx, venueId)) },
      },
    );
  }
  return toVenue(await visibleVenue(tx, venueId));
}

/** Deletes a venue; its matches keep their dates and lose the venue (shown as "venue to be set"). */
export async function deleteVenue(tx: Tx, venueId: string): Promise<void> {
  const venue = await visibleVenue(tx, venueId);
  await organizerOf(tx, venue.leagueId);
  await repo.remove(tx, venueId);
}
