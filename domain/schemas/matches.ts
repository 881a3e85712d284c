import { z } from 'zod';
import { DateOnly, TimeOfDay } from './dates';
import { cleanText } from './text';

/** Single matches: the match as the API shows it, and the changes organizers make. */

export const MatchStatus = z.enum(['scheduled', 'postponed', 'cancelled', 'played']);

/** A match's result in a schedule list: where it stands, and the lines each team won. */
export const MatchResultSummary = z.object({
  status: z.enum(['pending', 'disputed', 'final']),
  winner: z.enum(['home', 'away', 'tie']),
  linesHome: z.number().int(),
  linesAway: z.number().int(),
});

export type MatchResultSummary = z.infer<typeof MatchResultSummary>;

/** A team match as every schedule view shows it. Dates and times are the league's local time. */
export const Match = z.object({
  id: z.string().uuid(),
  leagueId: z.string().uuid(),
  leagueName: z.string(),
  /** The league's IANA time zone: the date and start time are its wall-clock time. */
  timeZone: z.string(),
  divisionId: z.string().uuid(),
  divisionName: z.string(),
  round: z.number().int().nullable(),
  homeTeam: z.object({ id: z.string().uuid(), name: z.string() }),
  awayTeam: z.object({ id: z.string().uuid(), name: z.string() }),
  venue: z
    .object({ id: z.string().uuid(), name: z.string(), address: z.string().nullable() })
    .nullable(),
  date: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  status: MatchStatus,
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  /** Goes up on every change a calendar must notice (iCal SEQUENCE). */
  sequence: z.number().int(),
  /** The entered (pending, disputed) or final result; null while none is entered. */
  result: MatchResultSummary.nullable(),
});

export type Match = z.infer<typeof Match>;

/** `POST /api/matches/:id/postpone`: the new date and time. */
export const MatchPostpone = z.object({
  date: DateOnly,
  startTime: TimeOfDay,
  venueId: z.string().uuid().nullish(),
});

/** `POST /api/matches/:id/cancel`. */
export const MatchCancel = z.object({ reason: cleanText(3, 500) });

export const MatchEvent = z.object({
  at: z.string(),
  actor: z.string().nullable(),
  kind: z.enum(['created', 'updated', 'postponed', 'cancelled']),
  details: z.record(z.string(), z.unknown()),
});

export type MatchEvent = z.infer<typeof MatchEvent>;

/** `POST /api/divisions/:id/matches`: one match added by an organizer. */
export const MatchCreate = z
  .object({
    homeTeamId: z.string().uuid(),
    awayTeamId: z.string().uuid(),
    date: DateOnly,
    startTime: TimeOfDay,
    durationMinutes: z.number().int().min(15).max(720),
    venueId: z.string().uuid().nullish(),
    round: z.number().int().min(1).max(200).nullish(),
  })
  .refine((m) => m.homeTeamId !== m.awayTeamId, {
    message: 'A team cannot play itself',
    path: ['awayTeamId'],
  });

/** `PATCH /api/matches/:id`: corrections that do not move the date (for that: postpone). */
export const MatchPatch = z
  .object({
    startTime: TimeOfDay,
    durationMinutes: z.number().int().min(15).max(720),
    venueId: z.string().uuid().nullable(),
    round: z.number().int().min(1).max(200).nullable(),
  })
  .partial()
  .refine((m) => Object.keys(m).length > 0, 'Nothing to change');
