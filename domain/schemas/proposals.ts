import { z } from 'zod';
import { DateOnly, TimeOfDay } from './dates';
import { cleanText } from './text';

/** Captains' proposals to move a match to another date. */

/** `POST /api/matches/:id/proposals`: a captain proposes a new date and time. */
export const ProposalInput = z.object({
  date: DateOnly,
  startTime: TimeOfDay,
  message: cleanText(0, 300).nullish(),
});

export const Proposal = z.object({
  id: z.string().uuid(),
  matchId: z.string().uuid(),
  teamId: z.string().uuid(),
  proposedBy: z.string().nullable(),
  date: z.string(),
  startTime: z.string(),
  message: z.string().nullable(),
  status: z.enum(['open', 'accepted', 'declined', 'withdrawn']),
  createdAt: z.string(),
});

export type Proposal = z.infer<typeof Proposal>;
