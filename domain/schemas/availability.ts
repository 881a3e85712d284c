import { z } from 'zod';
import { cleanText } from './text';

/** Players' availability answers and captains' lineups. */

export const AvailabilityAnswer = z.enum(['available', 'maybe', 'unavailable']);

export type AvailabilityAnswer = z.infer<typeof AvailabilityAnswer>;

/** `PUT /api/matches/:id/availability`: the signed-in player's answer for their team. */
export const AvailabilityInput = z.object({
  answer: AvailabilityAnswer,
  note: cleanText(0, 200).nullish(),
});

/** A team's availability grid for one match: every roster member and their answer. */
export const AvailabilityGrid = z.object({
  teamId: z.string().uuid(),
  players: z.array(
    z.object({
      userId: z.string().uuid(),
      displayName: z.string(),
      status: z.enum(['active', 'substitute', 'injured']),
      answer: AvailabilityAnswer.nullable(),
      note: z.string().nullable(),
    }),
  ),
});

export type AvailabilityGrid = z.infer<typeof AvailabilityGrid>;

/** One line of a lineup: singles line 1 with one player, doubles line 2 with two, … */
export const LineupLine = z.object({
  kind: z.enum(['singles', 'doubles']),
  line: z.number().int().min(1).max(9),
  players: z.array(z.string().uuid()).min(1).max(2),
});

export type LineupLine = z.infer<typeof LineupLine>;

/** `PUT /api/matches/:id/lineup`: the captain's whole lineup for their team. */
export const LineupInput = z.object({ lines: z.array(LineupLine).max(18) });

export type LineupInput = z.infer<typeof LineupInput>;

export const Lineup = z.object({
  teamId: z.string().uuid(),
  lines: z.array(
    LineupLine.extend({
      names: z.array(z.string()),
    }),
  ),
});

export type Lineup = z.infer<typeof Lineup>;
