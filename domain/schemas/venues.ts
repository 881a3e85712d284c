import { z } from 'zod';
import { MAX_VENUE_HOURS, VenueHours } from './schedule';
import { cleanText } from './text';

/** A league's venues: courts and opening hours. */

/** `POST /api/leagues/:id/venues` and `PATCH /api/venues/:id`. */
export const VenueInput = z.object({
  name: cleanText(1, 120),
  address: cleanText(0, 300).nullish(),
  courts: z.number().int().min(1, 'At least one court').max(100),
  availability: z
    .array(VenueHours)
    .min(1, 'Give the days and hours the courts can be used')
    .max(MAX_VENUE_HOURS),
});

export type VenueInput = z.input<typeof VenueInput>;

export const VenuePatch = VenueInput.partial().refine(
  (v) => Object.keys(v).length > 0,
  'Nothing to change',
);

export const Venue = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  name: z.string(),
  address: z.string().nullable(),
  courts: z.number().int(),
  availability: z.array(VenueHours),
  version: z.number().int(),
});

export type Venue = z.infer<typeof Venue>;
